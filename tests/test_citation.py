"""Citations: the CSL-JSON record, the formatted citations (citeproc-py with the committed CSL
styles), the BibTeX, RIS and CSL-JSON downloads read back by the parsers reference managers
use, and the Highwire Press tags in each page's head, checked against the YAML and the JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import CitationStylesStyle
from conftest import ROOT, SITE_URL, page_text

from casebook.model import Post
from casebook.settings import Settings
from casebook.site.citation import (
    CSL_DIR,
    STYLES,
    citation_record,
    citation_tags,
    csl_name,
    format_citation,
    load_styles,
    render_bibtex,
    render_csl_json,
    render_ris,
)

STUDY = yaml.safe_load((ROOT / "case_studies" / "cfa-first-international-partnerships.yml").read_text())
STUDY_URL = f"{SITE_URL}case-studies/{STUDY['slug']}/"
APA = "Fine, L. (2015). Code for America's First International Partnerships [Case study]. Code for America. "
CHICAGO = "Fine, Lynn. 2015. Code for America's First International Partnerships. Case study. Code for America. "
SETTINGS = Settings(
    root=Path("."),
    posts_dir=Path("posts"),
    case_studies_dir=Path("case_studies"),
    taxonomy_file=Path("taxonomy.yml"),
    site_name="Test casebook",
    site_url="https://example.org/",
)
TRICKY = "Cost & <b>benefit</b>: 50% of $5 for #1_a {x} ~ y^2 \\ z"


class _Head(HTMLParser):
    """The `<meta name=...>` tags, the canonical link and the JSON-LD of a page."""

    def __init__(self):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.canonical = ""
        self.ld: dict = {}
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta.append((a["name"], a.get("content", "")))
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
        self._in_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._in_ld:
            self.ld = json.loads(data)
            self._in_ld = False


def head(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def tags(page: _Head, name: str) -> list[str]:
    return [content for key, content in page.meta if key == name]


def post(**fields) -> Post:
    values = {
        "source": "posts/x.md",
        "kind": "post",
        "slug": "x",
        "title": "A post",
        "published": dt.datetime(2015, 1, 20, 10, 0, tzinfo=dt.timezone.utc),
        "body": "Text.",
    }
    return Post(**(values | fields))


def bibtex_entry(text: str):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and len(library.entries) == 1, library.failed_blocks
    return library.entries[0]


# -- the package's functions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Lynn Fine", {"family": "Fine", "given": "Lynn"}),
        ("Fine, Lynn", {"family": "Fine", "given": "Lynn"}),
        ("Mary Ann  Smith", {"family": "Smith", "given": "Mary Ann"}),
        ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
        ("Code for America", {"literal": "Code for America"}),
        ("Codeando Mexico", {"literal": "Codeando Mexico"}),  # a partner, so an organization
        ("Madonna", {"literal": "Madonna"}),
    ],
)
def test_names_become_csl_names(name, expected):
    assert csl_name(name, frozenset({"Codeando Mexico"})) == expected


def test_a_post_record_is_a_blog_entry_of_the_site():
    record = citation_record(post(authors=("Lynn Fine", "Code for All")), SETTINGS, frozenset({"Code for All"}))
    assert record["type"] == "post-weblog" and record["container-title"] == "Test casebook"
    assert record["author"] == [{"family": "Fine", "given": "Lynn"}, {"literal": "Code for All"}]
    assert record["issued"] == {"date-parts": [[2015, 1, 20]]}
    assert record["URL"] == "https://example.org/blog/2015/01/x/"


def test_the_committed_styles_are_valid_csl():
    for _, file in STYLES.values():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            CitationStylesStyle(str(CSL_DIR / file), validate=True)
        assert [str(w.message) for w in caught] == [], file


def test_formatted_citations_escape_the_record():
    record = citation_record(post(title=TRICKY, authors=("A & B <i>",)), SETTINGS)
    for style in load_styles().values():
        html = format_citation(record, style)
        assert "&lt;b&gt;benefit&lt;/b&gt;" in html and "Cost &amp; " in html, html
        assert "<b>" not in html and "<i>A" not in html


def test_a_parsed_style_serves_entry_after_entry_unchanged():
    styles = load_styles()
    first = citation_record(post(title="First", authors=("Lynn Fine",)), SETTINGS)
    second = citation_record(post(slug="y", title="Second", authors=("Abhi Nemani", "Code for All")), SETTINGS)
    alone = {key: format_citation(first, style) for key, style in styles.items()}
    for key, style in styles.items():
        format_citation(second, style)
        assert format_citation(first, style) == alone[key]
        assert format_citation(first, load_styles()[key]) == alone[key]


def test_bibtex_keeps_special_characters_through_a_parser():
    record = citation_record(post(title=TRICKY, authors=("Lynn Fine", "Code for America")), SETTINGS)
    text = render_bibtex(record)
    entry = bibtex_entry(text)
    assert entry.entry_type == "misc" and entry.key == "x"
    assert entry["author"] == "Fine, Lynn and {Code for America}"
    assert (entry["year"], entry["url"]) == ("2015", "https://example.org/blog/2015/01/x/")
    # Decoded from LaTeX as a reference manager would: the title as it was (pylatexenc reads
    # \textasciicircum as the modifier letter).
    (decoded,) = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()]).entries
    assert decoded["title"] == TRICKY.replace("^", "\u02c6")


def test_ris_keeps_every_field_through_a_parser():
    record = citation_record(post(title=TRICKY, authors=("Lynn Fine",), summary="Line one.\nLine two."), SETTINGS)
    (entry,) = rispy.loads(render_ris(record))
    assert entry["type_of_reference"] == "BLOG" and entry["title"] == TRICKY
    assert entry["authors"] == ["Fine, Lynn"] and entry["year"] == "2015" and entry["date"] == "2015/01/20/"
    assert entry["urls"] == ["https://example.org/blog/2015/01/x/"] and entry["abstract"] == "Line one. Line two."


def test_the_tags_come_from_the_record():
    record = citation_record(post(authors=("Lynn Fine", "Code for All")), SETTINGS, frozenset({"Code for All"}))
    assert citation_tags(record) == [
        ("citation_title", "A post"),
        ("citation_author", "Fine, Lynn"),
        ("citation_author", "Code for All"),
        ("citation_publication_date", "2015/01/20"),
        ("citation_publisher", "Test casebook"),
        ("citation_public_url", "https://example.org/blog/2015/01/x/"),
    ]


# -- the real site ---------------------------------------------------------------------


def test_the_case_study_downloads_parse_and_name_the_case_study(real_site):
    folder = real_site / "case-studies" / STUDY["slug"]
    entry = bibtex_entry((folder / "cite.bib").read_text(encoding="utf-8"))
    assert entry.entry_type == "techreport"
    assert entry["title"] == "{" + STUDY["title"] + "}"
    assert entry["author"] == "Fine, Lynn" and entry["institution"] == STUDY["organization"]
    assert (entry["year"], entry["url"]) == ("2015", STUDY_URL)

    (ris,) = rispy.loads((folder / "cite.ris").read_text(encoding="utf-8"))
    assert ris["type_of_reference"] == "RPRT" and ris["title"] == STUDY["title"]
    assert ris["authors"] == ["Fine, Lynn"] and ris["year"] == "2015" and ris["urls"] == [STUDY_URL]
    assert ris["publisher"] == STUDY["organization"]

    (item,) = json.loads((folder / "cite.json").read_text(encoding="utf-8"))
    assert item["type"] == "report" and item["title"] == STUDY["title"]
    assert item["author"] == [{"family": "Fine", "given": "Lynn"}]
    assert item["issued"] == {"date-parts": [[2015, 1, 20]]} and item["URL"] == STUDY_URL


def test_the_case_study_tags_agree_with_the_yaml_and_the_json_ld(real_site):
    page = head(real_site / "case-studies" / STUDY["slug"] / "index.html")
    assert tags(page, "citation_title") == [STUDY["title"]] == [page.ld["headline"]]
    written = [" ".join(reversed(name.split(", "))) for name in tags(page, "citation_author")]
    assert written == [author["name"] for author in STUDY["authors"]] == [a["name"] for a in page.ld["author"]]
    assert tags(page, "citation_publication_date") == [STUDY["published"].strftime("%Y/%m/%d")]
    assert page.ld["datePublished"] == STUDY["published"].isoformat()
    assert tags(page, "citation_publisher") == [STUDY["organization"]] == [page.ld["publisher"]["name"]]
    assert tags(page, "citation_public_url") == [STUDY_URL] == [page.ld["url"]] == [page.canonical]
    assert tags(page, "citation_pdf_url") == [f"{STUDY_URL}{STUDY['slug']}.pdf"]


def test_the_case_study_shows_apa_and_chicago_and_links_its_downloads(real_site):
    html = (real_site / "case-studies" / STUDY["slug"] / "index.html").read_text(encoding="utf-8")
    text = page_text(html)
    assert APA + STUDY_URL in text and CHICAGO + STUDY_URL + "." in text
    top = page_text(html.split('<header class="casebook-header">', 1)[1].split("</header>", 1)[0])
    assert f"{STUDY_URL} Cite as: {APA}{STUDY_URL}" in top  # for print, at the top
    for name in ("cite.bib", "cite.ris", "cite.json"):
        assert f'href="{name}"' in html and (real_site / "case-studies" / STUDY["slug"] / name).is_file()
    # The PDF link is in the page, hidden: the build's pdf.css leaves it so, and `make pdf`
    # replaces that file with the rule that shows it once the PDF exists.
    assert f'<span class="casebook-pdf"> · <a href="{STUDY["slug"]}.pdf">PDF</a></span>' in html
    assert '<link rel="stylesheet" href="pdf.css">' in html
    pdf_css = real_site / "case-studies" / STUDY["slug"] / "pdf.css"
    assert not list(real_site.rglob("*.pdf")) and "display" not in pdf_css.read_text(encoding="utf-8")


def test_every_post_has_tags_and_downloads_but_no_formatted_citation(real_site):
    posts = [path for path in (real_site / "blog").glob("[0-9]*/[0-9]*/*/index.html")]
    assert posts
    for path in posts:
        page = head(path)
        url = page.ld["url"]
        assert tags(page, "citation_title") == [page.ld["headline"]]
        assert tags(page, "citation_public_url") == [url] and tags(page, "citation_pdf_url") == []
        assert len(tags(page, "citation_author")) == len(page.ld["author"])
        assert tags(page, "citation_publication_date") == [page.ld["datePublished"][:10].replace("-", "/")]
        entry = bibtex_entry((path.parent / "cite.bib").read_text(encoding="utf-8"))
        assert entry["url"] == url and entry["year"] == page.ld["datePublished"][:4]
        (ris,) = rispy.loads((path.parent / "cite.ris").read_text(encoding="utf-8"))
        assert ris["urls"] == [url] and ris["type_of_reference"] == "BLOG"
        html = path.read_text(encoding="utf-8")
        assert "Cite this post" in page_text(html) and 'href="cite.bib"' in html
        assert "casebook-cite-text" not in html  # posts are cited more briefly (no citeproc)


def test_legacy_pages_are_not_cited(real_site):
    page = real_site / "about" / "international-partnerships" / "index.html"
    assert tags(head(page), "citation_title") == [] and not (page.parent / "cite.bib").exists()


def test_print_exempts_the_sites_own_links(real_site):
    css = (real_site / "stylesheets" / "print-links.css").read_text(encoding="utf-8")
    assert re.search(r'a\[href\^="' + re.escape(SITE_URL) + r'"\]::after \{\s*content: none;', css)


def test_render_csl_json_is_a_list_of_one():
    record = citation_record(post(), SETTINGS)
    assert json.loads(render_csl_json(record)) == [record]
