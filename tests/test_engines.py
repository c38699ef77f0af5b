"""The same content built by three engines: MkDocs (the `real_site` fixture), ProperDocs from
the same mkdocs.yml and hooks, and Zensical from the tree that scripts/export_site.py writes."""

from __future__ import annotations

import html
import importlib.util
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT, SITE_URL, search_records

from casebook.tools.export import adapt_html_links
from casebook.tools.project import documentation_urls
from scripts import export_site

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
LINK = re.compile(r"<(?:a|img|link|script|source)\b[^>]*?\s(?:href|src)=\"([^\"]*)\"", re.I)
NOT_COMPARED = {"sitemap.xml", "sitemap.xml.gz"}
"""Dated (lastmod) or compressed with a timestamp: the same list, but not the same bytes."""


def searchless(names: set[str]) -> set[str]:
    """The files of a site but the search index, which Pagefind writes in whatever order its
    threads finish (file names and bytes change from run to run; its records do not)."""
    return {name for name in names if not name.startswith("pagefind/")}


def engine_env() -> dict[str, str]:
    """The environment of a command-line build that matches `real_site` (published under SITE_URL)."""
    return os.environ | {"SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1"}


def zensical_command() -> str | None:
    """The `zensical` command beside this Python (requirements.txt installs it), or on PATH."""
    beside = Path(sys.executable).with_name("zensical")
    return str(beside) if beside.is_file() else shutil.which("zensical")


def files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def page_urls(site: Path) -> set[str]:
    """The URL of every page the theme rendered (redirect pages and 404.html aside)."""
    return {
        path.relative_to(site).as_posix().removesuffix("index.html")
        for path in site.rglob("*.html")
        if path.name != "404.html" and b"data-md-component" in path.read_bytes()
    }


def broken_links(site: Path) -> set[tuple[str, str]]:
    """(page, target) for every relative link or image of every HTML file whose target, a path
    from the site's root, is no file of the site."""
    broken = set()
    for path in site.rglob("*.html"):
        page = path.relative_to(site).as_posix()
        for value in LINK.findall(path.read_text(encoding="utf-8")):
            parts = urlsplit(html.unescape(value))
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if target.startswith("..") or not ((site / target).is_file() or (site / target / "index.html").is_file()):
                broken.add((page, target))
    return broken


@pytest.fixture(scope="session")
def exported(tmp_path_factory) -> Path:
    """The repository exported by scripts/export_site.py, as for the published site."""
    out = tmp_path_factory.mktemp("export")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", SITE_URL)
        assert export_site.main([str(out)]) == 0
    return out


@pytest.mark.skipif(importlib.util.find_spec("properdocs") is None, reason="properdocs is not installed")
def test_properdocs_builds_the_same_site_as_mkdocs(real_site, tmp_path):
    site = tmp_path / "site"
    command = [sys.executable, "-m", "properdocs", "build", "--strict", "--site-dir", str(site)]
    result = subprocess.run(command, cwd=ROOT, env=engine_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert search_records(site) == search_records(real_site)
    assert searchless(files(site)) == searchless(files(real_site))
    for name in sorted(searchless(files(site)) - NOT_COMPARED):
        ours, theirs = (site / name).read_bytes(), (real_site / name).read_bytes()
        if name.endswith(".html"):  # each page names the engine that made it
            ours, theirs = GENERATOR.sub(b"", ours), GENERATOR.sub(b"", theirs)
        assert ours == theirs, name


def test_the_export_has_every_page_and_file_of_the_mkdocs_build(real_site, exported):
    docs = exported / "docs"
    assert documentation_urls(docs) == page_urls(real_site)
    static = {name for name in files(docs) if not name.endswith(".md")}
    assert {"manifest.json", "feed.xml", "api/terms.json"} <= static
    for name in sorted(static):  # redirect pages, feeds, JSON exports, manifest, stylesheets
        assert (docs / name).read_bytes() == (real_site / name).read_bytes(), name
    config = (exported / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks:" not in config and "casebook:" not in config


@pytest.mark.skipif(zensical_command() is None, reason="zensical is not installed")
def test_zensical_builds_the_export_at_the_same_urls(real_site, exported):
    result = subprocess.run(
        [zensical_command(), "build", "--strict", "--clean"],
        cwd=exported,
        env=engine_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = exported / "site"
    pages = page_urls(real_site)
    assert {"blog/2018/11/repost-civic-tech/", "case-studies/cfa-first-international-partnerships/"} <= pages
    assert {url for url in pages if url.startswith(("lessons/", "partners/", "models/"))}
    assert page_urls(site) == pages
    for name in sorted(files(exported / "docs")):
        if not name.endswith(".md"):  # legacy URLs still redirect; feeds and exports unchanged
            assert (site / name).read_bytes() == (real_site / name).read_bytes(), name
    assert broken_links(site) <= broken_links(real_site)


def test_raw_html_links_are_made_relative_to_the_markdown_file():
    page = (
        '<a href="../../../2018/11/x/#top">Newer</a> <img src="../../../i.png" alt="">\n'
        '<a href="https://example.org/a/">out</a> <a href="#here">here</a> [md](../x.md)\n'
    )
    assert adapt_html_links(page, "blog/2015/01/y.md") == (
        '<a href="../../2018/11/x/#top">Newer</a> <img src="../../i.png" alt="">\n'
        '<a href="https://example.org/a/">out</a> <a href="#here">here</a> [md](../x.md)\n'
    )
    assert adapt_html_links(page, "blog/index.md") == page


def test_the_export_writes_nothing_when_the_content_has_problems(project, tmp_path, capsys):
    project.write("posts/2015-01-02-x.md", "---\ntitle: X\ndate: 2016-02-30\n---\nText.\n")
    out = tmp_path / "out"
    assert export_site.main(["-f", str(project.root / "mkdocs.yml"), str(out)]) == 1
    assert "posts/2015-01-02-x.md:3: 'date' '2016-02-30' is not a real date" in capsys.readouterr().out
    assert not out.exists()


def test_a_docs_file_has_the_url_mkdocs_gives_it(tmp_path):
    """One function gives a docs/ file's URL, for the export and the scripts alike, and it is
    MkDocs' own: `README.md` stands for `index.md`, other files keep their path."""
    from mkdocs.structure.files import File

    from casebook.tools.project import docs_files

    names = ["index.md", "about/README.md", "about/team.md", "guide/index.markdown", "img/logo.png", "a.b/c.md"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n")
    mkdocs_urls = {name: File(name, str(tmp_path), "/unused", use_directory_urls=True).url for name in names}
    mkdocs_urls["index.md"] = mkdocs_urls["index.md"].removeprefix("./")  # MkDocs writes the root as ./
    assert docs_files(tmp_path) == mkdocs_urls
    assert documentation_urls(tmp_path) == {"", "about/", "about/team/", "guide/", "a.b/c/"}
