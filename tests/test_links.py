"""The link checker: every internal link and anchor of a built site resolves, and every
redirect lands on a page. Small hand-made sites, then the real one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import SITE_URL

from casebook.links import check_links, published_url

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


WRITTEN_BY_MAKE_PDF = (r"\.pdf$", r"(^|/)pdf\.css$")
"""Links to what `make pdf` writes into site/ after the build (a case study's PDF and the style
sheet that shows its link): `make test` does not run it."""


def test_every_link_of_the_real_site_resolves(real_site):
    assert published_url(real_site) == SITE_URL
    assert [str(link) for link in check_links(real_site, ignore=WRITTEN_BY_MAKE_PDF)] == []


def test_the_command_line_lists_broken_links_and_fails(tmp_path, real_site):
    script = [sys.executable, str(ROOT / "scripts" / "check_links.py")]
    ignore = [option for pattern in WRITTEN_BY_MAKE_PDF for option in ("--ignore", pattern)]
    ok = subprocess.run([*script, str(real_site), *ignore], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout == "" and ok.stderr.startswith("0 broken link(s) in ")
    site = write_site(tmp_path, {"index.html": '<a href="gone/">g</a>'})
    broken = subprocess.run([*script, str(site)], capture_output=True, text=True, timeout=60)
    assert (broken.returncode, broken.stdout) == (1, "index.html: gone/ -> no such file: gone/index.html\n")
