"""What readers and machines get from the built site: home, feeds, metadata, sitemap, 404,
and no third-party hosts (what search indexes: test_search.py)."""

import json
import re
from pathlib import Path

import feedparser
from conftest import SITE_URL, page_text

POST = "blog/2018/11/repost-civic-tech/"
STUDY = "case-studies/cfa-first-international-partnerships/"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_home_has_every_section(real_site):
    home = html(real_site, "")
    text = page_text(home)
    for heading in ("Featured case study", "Three ways in", "Newest posts", "Posts per year"):
        assert heading in text
    assert 'href="case-studies/cfa-first-international-partnerships/"' in home
    assert re.search(r'href="lessons/">Lessons</a></strong> · \d+', home)
    assert (
        '<svg width="' in home and 'aria-labelledby="casebook-timeline-title"' in home and 'href="blog/2015/"' in home
    )
    assert 'href="blog/2023/09/a-vision-for-community-civic-technology/"' in home


def test_feeds_are_valid_and_announced(real_site):
    for path in ("feed.xml", "atom.xml", "lessons/keep-it-simple/feed.xml", "models/fellowship/atom.xml"):
        parsed = feedparser.parse((real_site / path).read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
    everything = feedparser.parse((real_site / "feed.xml").read_bytes())
    assert [e.title for e in everything.entries][0] == "A Vision for Community Civic Technology"
    fellowship = feedparser.parse((real_site / "models/fellowship/feed.xml").read_bytes())
    assert POST in {e.link.removeprefix(SITE_URL) for e in fellowship.entries}  # the newest 50 of hundreds
    simple = feedparser.parse((real_site / "lessons/keep-it-simple/feed.xml").read_bytes())
    assert STUDY in {e.link.removeprefix(SITE_URL) for e in simple.entries}
    for url in ("", POST, STUDY, "lessons/keep-it-simple/", "blog/"):
        head = html(real_site, url).split("</head>")[0]
        assert 'type="application/rss+xml"' in head and 'type="application/atom+xml"' in head
    assert 'href="feed.xml"' in html(real_site, "lessons/keep-it-simple/")


def test_post_and_case_study_metadata(real_site):
    post = html(real_site, POST)
    assert '<link rel="canonical" href="https://medium.com/code-for-all/repost-civic-tech-and-governments' in post
    assert '<meta property="og:type" content="article">' in post
    assert '<meta property="og:image" content="https://cdn-images-1.medium.com/' in post
    assert '<meta name="twitter:card" content="summary_large_image">' in post
    assert re.search(r'<meta name="description" content="This story is a repost', post)
    record = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', post, re.S).group(1))
    assert record["@type"] == "BlogPosting" and record["datePublished"].startswith("2018-11-20")
    assert record["author"] == [{"@type": "Organization", "name": "Code for All"}]
    study = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html(real_site, STUDY), re.S).group(1))
    assert study["@type"] == "Article" and study["author"] == [{"@type": "Person", "name": "Lynn Fine"}]
    assert study["url"].endswith(STUDY)


def test_sitemap_covers_every_page(real_site):
    sitemap = (real_site / "sitemap.xml").read_text()
    listed = {loc.removeprefix(SITE_URL) for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)}
    pages = {
        path.parent.relative_to(real_site).as_posix().removeprefix(".") + "/"
        for path in real_site.rglob("index.html")
        if 'http-equiv="refresh"' not in path.read_text(encoding="utf-8")
    }
    assert {page.removeprefix("/") for page in pages} == listed


def test_404_helps_the_reader(real_site):
    page = (real_site / "404.html").read_text()
    assert 'name="q"' in page and 'type="search"' in page
    for index in ("lessons/", "partners/", "models/"):
        assert index in page


def test_no_third_party_fonts_scripts_or_styles(real_site):
    """Scripts, styles and fonts come from the site itself; only canonical and alternate links
    (which load nothing) may name another host."""
    external = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"[^>]*>', re.I)
    for path in real_site.rglob("*.html"):
        for element in external.findall(path.read_text(encoding="utf-8", errors="replace")):
            allowed = ('rel="canonical"', 'rel="alternate"')
            assert any(a in element for a in allowed) and SITE_URL in element or 'rel="canonical"' in element, (
                path,
                element,
            )
    css = "\n".join(p.read_text(errors="replace") for p in real_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


def test_edit_links_open_the_source_file(tmp_path):
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    root = Path(__file__).resolve().parents[1]
    config = load_config(
        str(root / "mkdocs.yml"),
        site_dir=str(tmp_path / "site"),
        repo_url="https://github.com/org/casebook",
        edit_uri="edit/main/docs/",
    )
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build.build(config)
    site = tmp_path / "site"
    edit = "https://github.com/org/casebook/edit/main/"
    assert f'href="{edit}posts/2018-11-20-repost-civic-tech.md"' in html(site, POST)
    assert f'href="{edit}case_studies/cfa-first-international-partnerships.yml"' in html(site, STUDY)
    assert f'href="{edit}taxonomy.yml"' in html(site, "partners/code-for-germany/")
    assert f'href="{edit}docs/about/index.md"' in html(site, "about/")
    assert 'title="Edit this page"' not in html(site, "blog/")
