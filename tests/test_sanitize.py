"""The allowlist sanitiser: what it keeps, what it removes, and that the real content (the
seeds, and the 208 WordPress posts of the corpus sample when it is present) renders as before
except for what was removed."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from casebook import build_site, read_settings
from casebook.publish.sanitize import (
    ATTRIBUTES,
    CLEAN_CONTENT_TAGS,
    GENERIC_ATTRIBUTES,
    TAGS,
    TRUSTED_PAGES,
    count_removals,
    filter_style,
    sanitize_html,
    sanitize_page,
)
from casebook.site.outputs import NAV, UNLISTED
from casebook.site.pages import HOME
from casebook.urls import is_web_url

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("/work/shared/corpus/cfa-blog-sample/_posts")
HOSTS = ("www.youtube.com", "www.youtube-nocookie.com", "player.vimeo.com")

KEPT = [
    '<h2 id="lessons">Lessons<a class="headerlink" href="#lessons" title="Permanent link">&para;</a></h2>',
    '<div class="admonition info casebook-lesson" id="lesson-a"><p class="admonition-title">1. A</p><p>T</p></div>',
    '<div class="grid cards"><ul><li><p><strong><a href="../x/">X</a></strong></p></li></ul></div>',
    '<table><thead><tr><th style="text-align: right">A</th></tr></thead>'
    '<tbody><tr><td colspan="2" rowspan="1"><span id="partner-x"></span>1</td></tr></tbody></table>',
    '<figure><img src="https://x.org/a.png" alt="A" width="300" height="200"><figcaption>Caption</figcaption></figure>',
    '<div class="wp-caption aligncenter" id="attachment_1" style="width: 310px"><img class="size-medium" '
    'src="https://x.org/a.png" alt="a" title="t"><p class="wp-caption-text">Caption</p></div>',
    "<dl><dt>Term</dt><dd>Definition</dd></dl>",
    '<ol start="3"><li>x</li></ol><ul><li><a href="#x">x</a></li></ul>',
    '<header class="casebook-header"><h1>T</h1><p class="casebook-byline">'
    '<time datetime="2015-01-20T20:16:19+00:00">20 January 2015</time> · by A</p></header>',
    '<nav class="casebook-pager" aria-label="Blog posts"><a class="casebook-pager-newer" href="../x/" rel="prev">'
    "<span>Newer</span> X</a></nav>",
    '<aside class="casebook-related"><p><strong>Related</strong></p></aside>',
    '<article class="casebook-entry"><h3 id="x"><a href="../x/">X</a></h3></article>',
    '<details open=""><summary>More</summary><p>x</p></details>',
    '<p><q class="casebook-passage">q</q> <a href="mailto:a@b.org">m</a> <a href="https://x.org/" target="_blank" '
    'rel="nofollow">x</a></p>',
    '<blockquote cite="https://x.org/"><p>x</p></blockquote>',
    '<p dir="ltr" lang="es">Hola <abbr title="Code for America">CfA</abbr> <sup>1</sup> <del>a</del> <ins>b</ins> '
    '<a name="old-anchor"></a><em>e</em> <code>c</code></p><pre><code>x = 1\n</code></pre><hr>',
    '<iframe src="https://www.youtube-nocookie.com/embed/x" width="560" height="315" allowfullscreen=""></iframe>',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="pixel">',
    "<p>a &#8211; b &nbsp; caf&eacute; &amp; &lt;x&gt; “quoted”</p>",
]


@pytest.mark.parametrize("html", KEPT)
def test_what_prose_tables_and_our_templates_use_is_kept_as_it_is(html):
    assert sanitize_html(html, HOSTS) == html


REMOVED = [
    ("<p>a<script>alert(1)</script><style>p{}</style></p>", "<p>a</p>"),
    ('<p onclick="x()" onmouseover=y>a</p><img src="x.png" onerror="alert(1)">', '<p>a</p><img src="x.png">'),
    ('<a href="javascript:alert(1)">a</a><a href=" JaVa&#x09;script:alert(1)">b</a>', "<a>a</a><a>b</a>"),
    ('<a href="vbscript:x">a</a><a href="data:text/html,x">b</a>', "<a>a</a><a>b</a>"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
    ('<object data="x.swf"><param name="a" value="b">fallback</object><embed src="x.swf">', ""),
    ('<form action="https://x.org/"><input name="q"><button>Go</button></form>', "Go"),
    ('<iframe src="https://evil.example/x"></iframe><iframe src="javascript:alert(1)"></iframe>', ""),
    ('<iframe src="https://evil.example\\@www.youtube.com/x"></iframe>', ""),
    ('<iframe src="https://www.youtube.com@evil.example/x"></iframe>', ""),
    ('<a href="d&#10;ata:text/html,x">a</a><img src=" data:image/svg+xml;base64,PHN2Zz4=">', "<a>a</a><img>"),
    (
        '<iframe src="//player.vimeo.com/video/1">fallback</iframe>',
        '<iframe src="https://player.vimeo.com/video/1"></iframe>',
    ),
    (
        '<iframe src="http://www.youtube.com/embed/x"></iframe>',
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
    ),
    (
        '<div style="width: 310px; position: fixed; top: 0; background: url(x.png); color: expression(1)">x</div>',
        '<div style="width: 310px">x</div>',
    ),
    ('<div id="__config">{}</div><img name="getElementById" src="x.png">', '<div>{}</div><img src="x.png">'),
    ('<a href="https://x.org/" target="_top">x</a>', '<a href="https://x.org/">x</a>'),
    ("<svg><script>alert(1)</script></svg><math><mi>x</mi></math><template><p>t</p></template>", ""),
    ('<p><font color="red">red</font> <marquee>m</marquee> <x-y onclick="z">w</x-y></p>', "<p>red m w</p>"),
    ("<!-- a comment --><p>x</p>", "<p>x</p>"),
    ('<blockquote cite="javascript:alert(1)">q</blockquote>', "<blockquote>q</blockquote>"),
    ('<q cite="data:text/html,&lt;script&gt;x">q</q>', "<q>q</q>"),
    ('<ins cite=" JaVa&#x09;sCript:x">i</ins><del cite="vbscript:x">d</del>', "<ins>i</ins><del>d</del>"),
    (
        '<q cite="https://example.org/a">q</q><del cite="/old/">d</del>',
        '<q cite="https://example.org/a">q</q><del cite="/old/">d</del>',
    ),
]


@pytest.mark.parametrize(("html", "expected"), REMOVED)
def test_what_can_run_or_load_a_script_is_removed(html, expected):
    assert sanitize_html(html, HOSTS) == expected


def test_attribute_lists_in_markdown_cannot_add_handlers():
    html = markdown.markdown('*x*{: onmouseover="alert(1)" }\n\n[a](javascript:alert(1))', extensions=["attr_list"])
    assert sanitize_html(html) == "<p><em>x</em></p>\n<p><a>a</a></p>"


def test_iframes_need_a_listed_host():
    html = '<iframe src="https://www.youtube.com/embed/x"></iframe>'
    assert sanitize_html(html) == ""
    assert sanitize_html(html, ["www.youtube.com"]) == html


def test_style_keeps_plain_layout_and_typography_only():
    assert filter_style("WIDTH: 310px; float:left;color: rgb(1, 2, 3); text-align: center") == (
        "width: 310px; float: left; color: rgb(1, 2, 3); text-align: center"
    )
    for style in ("position: absolute", "background-image: url(x)", "width: expression(1)", "color: \\72 ed", ""):
        assert filter_style(style) is None, style


def test_web_addresses():
    assert is_web_url("https://medium.com/@codeforall/a-b?c=1#d") and is_web_url("http://x.org")
    for url in ("javascript:alert(1)", "https://x.org/a b", 'https://x.org/"><x', "//x.org", "https://", "ftp://x.org"):
        assert not is_web_url(url), url


def test_removals_are_counted_by_kind():
    html = '<p style="position: fixed; width: 1px" onclick="x"><script>a</script><a href="javascript:b">c</a></p>'
    assert count_removals(html, sanitize_html(html)) == Counter(
        {"<script>": 1, "p@onclick": 1, "a@href": 1, "url:javascript": 1, "style:position": 1}
    )


def test_the_home_page_is_trusted_and_other_generated_pages_are_not():
    assert TRUSTED_PAGES == {HOME}
    svg = '<figure class="casebook-timeline"><svg width="10"><a href="blog/2015/"><rect></rect></a></svg></figure>'
    assert sanitize_page(svg, HOME) == svg
    assert sanitize_page(svg, "blog/index.md") == '<figure class="casebook-timeline"></figure>'


# The real content renders as before, except for what was removed.


class _Text(HTMLParser):
    """The visible text of a fragment: what is not inside a tag removed with its content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in CLEAN_CONTENT_TAGS

    def handle_endtag(self, tag):
        self.hidden -= tag in CLEAN_CONTENT_TAGS and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


FILTERED = {"style", "id", "name", "target", "href", "src"}
"""Allowed attributes whose values the sanitiser may refuse."""


def unexplained(removed: Counter) -> list[str]:
    """Removals that the allowlist does not account for: markup that should have been kept."""
    wrong = []
    for key in removed:
        if key.startswith("<") and key.strip("<>") in TAGS - {"iframe"}:
            wrong.append(key)
        elif "@" in key:
            tag, name = key.split("@", 1)
            if tag in TAGS and name in (GENERIC_ATTRIBUTES | ATTRIBUTES.get(tag, set())) - FILTERED:
                wrong.append(key)
        elif key.startswith("url:") and key[4:] in ("http", "https", "mailto", "tel"):
            wrong.append(key)
    return wrong


def rendered_entries(root: Path, env, config) -> dict[str, str]:
    """The HTML that MkDocs makes of each generated post and case-study page of the project
    at `root`, before sanitising: what `on_page_content` receives."""
    settings, _ = read_settings(config.extra.get("casebook"), root)
    site = build_site(settings, env)
    entries = {}
    for src_uri, text in site.texts(NAV, UNLISTED).items():
        if '"ld": {' not in text.split("\n---", 1)[0]:  # only posts and case studies have structured data
            continue
        body = text.split("\n---\n", 1)[1]
        entries[src_uri] = markdown.markdown(
            body, extensions=config.markdown_extensions, extension_configs=config.mdx_configs
        )
    return entries


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


SEED_PAGES = frozenset(
    {
        "about/international-partnerships.md",
        "blog/2015/01/7-tips-for-civic-tech-organizing-no-matter-where-you-live.md",
        "blog/2018/11/repost-civic-tech.md",
        "blog/2023/09/a-vision-for-community-civic-technology.md",
        "case-studies/cfa-first-international-partnerships.md",
    }
)


@pytest.mark.parametrize("content", ["archive", "corpus"])
def test_real_content_renders_as_before_except_what_was_removed(tmp_path, config, content):
    root = ROOT
    if content == "corpus":
        if not CORPUS.is_dir():
            pytest.skip(f"the corpus sample is not at {CORPUS}")
        root = tmp_path
        shutil.copytree(ROOT / "posts", root / "posts")
        shutil.copytree(ROOT / "case_studies", root / "case_studies")
        for name in ("taxonomy.yml", "taxonomy.schema.json"):
            shutil.copy(ROOT / name, root)
        for path in CORPUS.glob("*.md"):
            shutil.copy(path, root / "posts")
    entries = rendered_entries(root, config.theme.get_env(), config)
    assert len(entries) >= (1000 if content == "archive" else 210) and SEED_PAGES <= set(entries)
    totals, seeds = Counter(), Counter()
    for src_uri, html in entries.items():
        cleaned = sanitize_page(html, src_uri, HOSTS)
        removed = count_removals(html, cleaned)
        assert unexplained(removed) == [], src_uri
        assert visible_text(cleaned) == visible_text(html), src_uri
        totals += removed
        seeds += removed if src_uri in SEED_PAGES else Counter()
    assert seeds == Counter(), "the seeds carry nothing to remove"
    if content == "corpus":
        assert not {key for key in totals if re.match(r"^(<(script|iframe|object|embed|form)>|\w+@on)", key)}


def test_what_an_embed_shows_without_scripts_is_kept():
    """A Storify or tweet embed's script is removed; its `<noscript>` fallback is what it shows."""
    html = (
        '<div class="storify"><script src="//storify.com/x.js"></script><noscript>'
        '[<a href="//storify.com/x" target="_blank">View the story</a>]</noscript></div>'
    )
    assert (
        sanitize_html(html)
        == '<div class="storify">[<a href="//storify.com/x" target="_blank">View the story</a>]</div>'
    )
