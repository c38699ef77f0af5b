"""The link checker: every internal link and anchor of a built site resolves, and every
redirect lands on a page. Small hand-made sites, then the real one."""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import SITE_URL

from casebook.tools.links import check_links, published_url

ROOT = Path(__file__).resolve().parents[1]


def write_site(root: Path, pages: dict[str, str]) -> Path:
    for name, html in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return root


def redirect(target: str) -> str:
    return f'<meta http-equiv="refresh" content="0; url={target}"><a href="{target}">moved</a>'


def test_links_anchors_and_redirects_that_resolve_pass(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="blog/">b</a> <a href="blog/x/#intro">x</a> <a href="#top" id="top">t</a>'
            '<link rel="stylesheet" href="assets/main.css"><img src="img/a%20b.png"> <a href="https://x.org/#nope">e</a>'
            '<a href="mailto:a@b.org">m</a> <a href="?q=1">q</a> <a href="">self</a>',
            "assets/main.css": "",
            "img/a b.png": "",
            "blog/index.html": '<a href="../">home</a> <a href="x/">x</a> <a href="../2015/01/20/x/">old</a>',
            "blog/x/index.html": '<h2 id="intro">Intro</h2><a name="legacy"></a><a href="#legacy">l</a>',
            "2015/01/20/x/index.html": redirect("../../../../blog/x/"),
        },
    )
    assert check_links(site) == []


def test_broken_links_anchors_and_redirects_are_reported(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="blog/missing/">m</a> <a href="blog/#nowhere">n</a> <img src="a.png">'
            '<a href="../../outside/">o</a>',
            "blog/index.html": "<h1>Blog</h1>",
            "old/index.html": redirect("../gone/"),
            "loop/index.html": redirect("../loop2/"),
            "loop2/index.html": redirect("../loop/"),
        },
    )
    assert [str(link) for link in check_links(site)] == [
        "index.html: ../../outside/ -> leads out of the site folder",
        "index.html: a.png -> no such file: a.png",
        "index.html: blog/#nowhere -> no element with id 'nowhere' in blog/index.html",
        "index.html: blog/missing/ -> no such file: blog/missing/index.html",
        "loop/index.html: ../loop2/ -> redirect: more than 5 redirects in a row",
        "loop2/index.html: ../loop/ -> redirect: more than 5 redirects in a row",
        "old/index.html: ../gone/ -> no such file: gone/index.html",
        "old/index.html: ../gone/ -> redirect: no such file: gone/index.html",
    ]


def test_links_to_the_published_address_are_internal(tmp_path):
    site = write_site(
        tmp_path,
        {
            "index.html": '<a href="https://example.org/casebook/blog/">b</a> <a href="/casebook/about/">a</a>'
            '<a href="/elsewhere/">e</a> <a href="https://example.org/casebook/gone/">g</a>',
            "blog/index.html": "",
            "about/index.html": "",
            "sitemap.xml": "<urlset><url><loc>https://example.org/casebook/about/</loc></url>"
            "<url><loc>https://example.org/casebook/</loc></url></urlset>",
        },
    )
    assert published_url(site) == "https://example.org/casebook/"
    assert [str(link) for link in check_links(site)] == [
        "index.html: /elsewhere/ -> outside the site, which is published under /casebook/",
        "index.html: https://example.org/casebook/gone/ -> no such file: gone/index.html",
    ]


WRITTEN_BY_MAKE_PDF = (r"\.pdf$",)
"""Links to what `make pdf` writes into site/ after the build, a case study's PDF: `make test`
does not run it. (The build writes the style sheet that hides the link until then.)"""


def test_every_link_of_the_real_site_resolves(real_site):
    assert published_url(real_site) == SITE_URL
    assert [str(link) for link in check_links(real_site, ignore=WRITTEN_BY_MAKE_PDF)] == []


GENERATED_LINKS = frozenset(
    {
        "casebook-post-terms",
        "casebook-terms",
        "casebook-related",
        "casebook-pager",
        "casebook-cite-files",
        "casebook-entry",
        "casebook-evidence",
        "casebook-pagination",
    }
)
"""Classes of the elements holding the links that the templates write as raw HTML
(render.href), which MkDocs does not check as it checks Markdown links. The Markdown links
among them (the listings' headings, a case study's terms) name their pages the same way."""
LISTING = re.compile(r"blog/(\d{4}/|page/\d+/)?index\.html")
"""The blog's pages and the years' pages: every link of their content is one of ours."""
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Links(HTMLParser):
    """The first `<h1>` of a page's content and the links of its content (target, text, classes
    of the elements around them), permalinks left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1 = ""
        self.links: list[tuple[str, str, frozenset[str]]] = []
        self._open: list[tuple[str, frozenset[str]]] = []
        self._link: list[str] | None = None
        self._h1 = "before"  # then "in", then "after"

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = frozenset((attributes.get("class") or "").split())
        self._open.append((tag, classes))
        if tag == "a" and attributes.get("href") is not None and "headerlink" not in classes:
            self._link = [attributes["href"], ""]
        if tag == "h1" and self._h1 == "before" and self._inside("md-typeset"):
            self._h1 = "in"

    def handle_endtag(self, tag):
        if tag in VOID or tag not in (name for name, _ in self._open):
            return
        if tag == "h1" and self._h1 == "in":
            self._h1 = "after"
        if tag == "a" and self._link:
            around = frozenset().union(*(classes for _, classes in self._open))
            if "md-typeset" in around:
                self.links.append((self._link[0], self._link[1].strip(), around))
            self._link = None
        while self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self._link is not None:
            self._link[1] += data
        if self._h1 == "in" and not self._inside("headerlink"):
            self.h1 += data

    def _inside(self, class_name: str) -> bool:
        return any(class_name in classes for _, classes in self._open)


def _read(site: Path, name: str) -> _Links:
    parser = _Links()
    parser.feed((site / name).read_text(encoding="utf-8"))
    return parser


def _title_named(text: str, around: frozenset[str], target: str) -> str:
    """The title of the page that a generated link to `target` names with `text`."""
    if "casebook-pagination" in around:
        return "Blog" if text == "1" else f"Blog, page {text}"
    if target == f"blog/{text}/index.html":  # a year's posts; a post may be called "2013" too
        return f"Posts of {text}"
    return "Blog" if text == "All posts" else text.removeprefix("Newer ").removeprefix("Older ")


def test_generated_links_lead_to_the_pages_they_name(real_site):
    """Terms, related posts, the pager, listings, evidence and downloads are raw HTML: a link
    that resolves, but to the wrong page (`check_links` would pass it), fails here."""
    checked, pages = 0, {}
    for path in sorted(real_site.rglob("*.html")):
        name = path.relative_to(real_site).as_posix()
        for href, text, around in _read(real_site, name).links:
            url = urlsplit(href)
            if url.scheme or url.netloc or not (around & GENERATED_LINKS or LISTING.fullmatch(name)):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(url.path)))
            if "casebook-cite-files" in around:  # the downloads, beside the page
                assert posixpath.dirname(target) == posixpath.dirname(name), (name, href)
            elif not url.fragment:  # a passage's section: check_links finds its anchor
                target += "/index.html" if (real_site / target).is_dir() else ""
                if target not in pages:
                    pages[target] = _read(real_site, target).h1.strip()
                assert pages[target] == _title_named(text, around, target), (name, href)
            checked += 1
    assert checked > 1000  # the terms, related posts, evidence... of every post and term


def test_the_command_line_lists_broken_links_and_fails(tmp_path, real_site):
    script = [sys.executable, str(ROOT / "scripts" / "check_links.py")]
    ok = subprocess.run([*script, str(real_site)], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout == "" and ok.stderr.startswith("0 broken link(s) in ")
    with_pdf = subprocess.run([*script, str(real_site), "--pdf"], capture_output=True, text=True, timeout=60)
    assert with_pdf.returncode == 1 and with_pdf.stdout.count("\n") == 1  # the PDF, which `make pdf` prints
    assert "cfa-first-international-partnerships.pdf -> no such file" in with_pdf.stdout
    site = write_site(tmp_path, {"index.html": '<a href="gone/">g</a>'})
    broken = subprocess.run([*script, str(site)], capture_output=True, text=True, timeout=60)
    assert (broken.returncode, broken.stdout) == (1, "index.html: gone/ -> no such file: gone/index.html\n")
