"""The printed case study: the print stylesheet in Debian's Chromium (print media emulated),
and `make pdf` (scripts/make_pdf.py): the PDF's text read back with pdftotext, its metadata
and links, and the page's link to it, shown only once the PDF exists."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import yaml
from browser import CHROMIUM, serve
from conftest import ROOT, SITE_URL, SOURCE_FIGURES
from pypdf import PdfReader

from casebook.content.case_studies import load_case_studies
from casebook.site.pages import format_figure

pytest.importorskip("playwright.sync_api", reason="PDF and print tests need Playwright: make setup")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"PDF and print tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)

SLUG = "cfa-first-international-partnerships"
PAGE = f"case-studies/{SLUG}/"
STUDY = yaml.safe_load((ROOT / "case_studies" / f"{SLUG}.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def printed(real_site, tmp_path_factory) -> Path:
    """A copy of the real site after `make pdf`: the other tests keep the site as built."""
    from scripts import make_pdf

    site = tmp_path_factory.mktemp("printed") / "site"
    shutil.copytree(real_site, site)
    assert make_pdf.main([str(site)]) == 0
    return site


@pytest.fixture
def open_page(browser):
    """`open_page(site, url)`: a page of `site`, served on loopback, in a fresh tab."""
    servers, contexts = [], []

    def opener(site: Path, url: str):
        server = serve(site)
        servers.append(server)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/{url}")
        return page

    yield opener
    for context in contexts:
        context.close()
    for server in servers:
        server.shutdown()
        server.server_close()


def pdf_text(path: Path, *options: str) -> str:
    """The PDF's text in content order (table cells stay whole), whitespace collapsed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext: apt-get install poppler-utils")
    out = subprocess.run(["pdftotext", "-raw", *options, str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(unicodedata.normalize("NFKC", out.stdout).split())


def test_make_pdf_writes_the_case_study_with_its_title_and_author(printed):
    path = printed / PAGE / f"{SLUG}.pdf"
    reader = PdfReader(path)
    assert reader.metadata.title == STUDY["title"]
    assert reader.metadata.author == ", ".join(author["name"] for author in STUDY["authors"])
    assert 12 <= len(reader.pages) <= 40, len(reader.pages)  # a page per major section, no more
    assert path.stat().st_size < 2 * 1024 * 1024


def test_the_pdf_holds_every_lesson_and_every_figure(printed):
    text = pdf_text(printed / PAGE / f"{SLUG}.pdf")
    missing = [lesson["title"] for lesson in STUDY["lessons"] if lesson["title"] not in text]
    (study,), _ = load_case_studies(ROOT / "case_studies", ROOT)
    missing += [f"{f.label}: {format_figure(f)}" for f in study.figures if f"{f.label} {format_figure(f)}" not in text]
    missing += [figure for figure in SOURCE_FIGURES if figure not in text]
    assert missing == []


def test_the_pdf_starts_with_title_authors_date_address_and_citation_and_has_no_interface(printed):
    path = printed / PAGE / f"{SLUG}.pdf"
    first = pdf_text(path, "-l", "1")
    assert first.startswith(f"{STUDY['title']} {STUDY['subtitle']} Lynn Fine (International Programs Manager)")
    assert "20 January 2015" in first and f"{SITE_URL}{PAGE}" in first
    assert f"Cite as: Fine, L. (2015). {STUDY['title']} [Case study]. Code for America. {SITE_URL}{PAGE}" in first
    everything = pdf_text(path)
    for interface in ("Skip to content", "Table of contents", "Made with Material", "Search", "Download the reference"):
        assert interface not in everything


def test_the_pdf_links_to_the_published_site_not_to_the_printing_server(printed):
    targets = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(printed / PAGE / f"{SLUG}.pdf").pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert targets and not [url for url in targets if "127.0.0.1" in url]
    assert f"{SITE_URL}lessons/keep-it-simple/" in targets


def test_the_page_links_to_its_pdf_only_once_the_pdf_exists(real_site, printed, open_page):
    before = open_page(real_site, PAGE)
    assert before.locator(".casebook-pdf").count() == 2 and not before.locator(".casebook-pdf").first.is_visible()
    after = open_page(printed, PAGE)
    link = after.locator(".casebook-actions .casebook-pdf a")
    link.wait_for()
    assert link.is_visible() and after.locator(".casebook-cite-files .casebook-pdf").is_visible()
    response = after.request.get(link.evaluate("a => a.href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"


def test_print_shows_the_document_without_the_interface(real_site, open_page):
    page = open_page(real_site, PAGE)
    page.emulate_media(media="print")
    for interface in (
        ".md-header",
        ".md-tabs",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".casebook-search-open",
    ):
        assert not page.locator(interface).first.is_visible(), interface
    for interface in (".md-footer", ".casebook-cite-files", ".md-code__nav"):
        assert not page.locator(interface).first.is_visible(), interface
    top = page.locator(".casebook-print-only")
    assert top.is_visible() and re.search(r"Cite as: Fine, L\. \(2015\)\.", top.inner_text())
    assert page.locator("#figures + * table, #figures ~ .md-typeset__scrollwrap table").first.is_visible()
    style = "([selector, name]) => getComputedStyle(document.querySelector(selector)).getPropertyValue(name)"
    assert page.evaluate(style, ["h2#lessons", "break-before"]) == "page"
    assert page.evaluate(style, [".casebook-lesson", "break-inside"]) == "avoid"
    assert page.evaluate(style, ["#figures ~ .md-typeset__scrollwrap", "break-inside"]) == "avoid"
    kinds = ("lesson", "benefits", "challenges", "takeaways")
    borders = [page.evaluate(style, [f".casebook-{kind}", "border-top-style"]) for kind in kinds]
    assert borders == ["solid", "solid", "dashed", "double"]
    widths = [page.evaluate(style, [f".casebook-{kind}", "border-left-width"]) for kind in kinds[:2]]
    assert widths[0] != widths[1]  # lessons heavier than benefits
    colours = {page.evaluate(style, [f".casebook-{kind}", "border-top-color"]) for kind in kinds}
    assert colours == {"rgb(0, 0, 0)"}
    page.emulate_media(media="screen")
    assert page.locator(".md-header").is_visible() and not top.is_visible()


def test_print_writes_where_external_links_go_and_not_internal_ones(real_site, open_page):
    page = open_page(real_site, "blog/2015/01/7-tips-for-civic-tech-organizing-no-matter-where-you-live/")
    page.emulate_media(media="print")
    after = "a => getComputedStyle(a, '::after').content"
    external = page.locator(".md-content a[href^='http://codeforall.org'], .md-content a[href*='slashroots']").first
    assert external.get_attribute("href") in external.evaluate(after)
    # Served here on loopback, Material's instant navigation makes internal links absolute on
    # this server; on the published site they start with its address, which print-links.css
    # exempts: as here, once pointed at it.
    internal = page.locator(".casebook-post-terms a").first
    internal.evaluate(f"a => a.setAttribute('href', '{SITE_URL}lessons/keep-it-simple/')")
    assert internal.evaluate(after) == "none"
