"""Importing legacy archives: fixtures in tests/fixtures/import/ (real posts of the Code for America
blog, the seeds, and hand-made WordPress.com and Jekyll files for quirks the sample lacks), and
the whole 208-post sample in ../shared when it is there."""

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml

from casebook.content.dialects import legacy_paths
from casebook.content.posts import parse_post
from casebook.tools.importer import DUPLICATE, SLUG_CHANGED, import_posts, plan_import, render_post
from casebook.tools.repair import (
    HOTLINKED,
    HTTP_IMAGE,
    IMAGE_UPGRADED,
    LINK_LEFT,
    LIQUID_REMOVED,
    Here,
    OldSite,
    repair_body,
)
from scripts.import_posts import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"
WORDPRESS = FIXTURES / "wordpress" / "_posts"
WORDPRESS_COM = FIXTURES / "wordpress-com" / "_posts"
CODE_FOR_ALL = FIXTURES / "codeforall" / "_posts"
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cfa-blog-sample" / "_posts"


def import_fixtures(posts: Path):
    """The Code for America archives (a WordPress export, and an older WordPress.com export of
    the same blog, which has no `guid`), then Code for All's Jekyll site in a second run."""
    first = import_posts([WORDPRESS, WORDPRESS_COM], posts, origin="http://codeforamerica.org")
    second = import_posts([CODE_FOR_ALL], posts)
    return first, second


def post(text: str, name: str):
    parsed, problems = parse_post(text, name)
    assert problems == []
    return parsed


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def redirect_target(site: Path, alias: str) -> Path:
    """The page a redirect page for a legacy path sends readers to."""
    page = site / alias.lstrip("/")
    page = page / "index.html" if alias.endswith("/") else page
    url = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page.read_text(encoding="utf-8"))[1]
    target = urljoin("http://x/" + page.relative_to(site).as_posix(), url).removeprefix("http://x/")
    return site / target / "index.html"


def test_fixture_archives_report_every_post_duplicate_and_draft(tmp_path):
    first, second = import_fixtures(tmp_path / "posts")

    assert len(first.read) == 37 and len(first.written) == 35 and first.failures == ()
    assert first.drafts == ("posts/2015-05-02-notes-for-the-summit.md", "posts/2015-05-20-board-minutes.md")
    assert [str(n) for n in first.notes if n.kind == DUPLICATE] == [
        "wordpress-com/_posts/2011-08-17-scaling-our-movement.html: the same post as"
        " wordpress/_posts/2011-08-17-scaling-our-movement.md: not written again",
        "wordpress-com/_posts/2013-03-09-submit-your-applications-now.html: the same post as"
        " wordpress/_posts/2013-03-09-submit-your-applications-now.md: not written again;"
        " its legacy URLs /blog/2013/03/09/submit-your-applications-now/ added there",
    ]
    assert [str(n) for n in first.notes if n.kind == LINK_LEFT] == [
        "wordpress-com/_posts/2015-04-17-civic-data-day.html: [Iconathon"
    ]
    assert first.counts(repairs=False) == {HOTLINKED: 23, HTTP_IMAGE: 16, DUPLICATE: 2, LINK_LEFT: 1}
    assert first.counts(repairs=True)[IMAGE_UPGRADED] == 7  # on www.codeforamerica.org; 7 + 16 over http

    assert len(second.read) == 5 and len(second.written) == 4
    assert second.updated == ("posts/2015-01-20-7-tips-for-civic-tech-organizing-no-matter-where-you-live.md",)
    assert [str(n) for n in second.notes if n.kind in (DUPLICATE, SLUG_CHANGED)] == [
        "_posts/2011-08-30-scaling-our-movement.md: /blog/2011/08/scaling-our-movement/ is taken by another post:"
        " written with slug 'scaling-our-movement-2'",
        "_posts/2015-01-20-7-tips-repost.md: the same post as"
        " posts/2015-01-20-7-tips-for-civic-tech-organizing-no-matter-where-you-live.md: not written again;"
        " its legacy URLs /2015/01/20/7-tips-repost/, /2015/01/20/7-tips-repost.html added there",
    ]
    assert [n.detail for n in second.notes if n.kind == LIQUID_REMOVED] == [
        "removed {% include newsletter.html %}",
        'removed {{ page.date | date: "%B %-d, %Y" }}',
    ]


def test_imported_files_are_canonical_and_keep_nothing_private(tmp_path):
    posts = tmp_path / "posts"
    import_fixtures(posts)
    every = "\n".join(p.read_text(encoding="utf-8") for p in posts.iterdir())
    for private in ("hunter2", "blog@", "dan@", "abhi@", "author_email", "password", "guid:", "dsq_thread_id", "meta:"):
        assert private not in every, private
    assert (
        (posts / "2015-04-17-civic-data-day.md")
        .read_text(encoding="utf-8")
        .startswith(
            "---\n"
            "title: Civic Data Day – what we learned\n"
            "date: 2015-04-17 16:49:37+02:00\n"
            "authors:\n- Code for America\n"
            "summary: On Civic Data Day we asked the One Economy team and our Brigades what they need from open data.\n"
            "slug: civic-data-day\n"
            "original_url: http://codeforamerica.org/2015/04/17/civic-data-day/\n"
            "aliases:\n- /2015/04/17/civic-data-day/\n"
            "categories:\n- Open Data\n- '2015'\n"
            "tags:\n- civic data\n"
            "---\n\n<p>On Civic Data Day"
        )
    )

    def read(name: str):
        return post((posts / name).read_text(encoding="utf-8"), f"posts/{name}")

    assert (
        read("2011-09-02-zachs-cfa-summer-made-with-epa-data.md").title == "Zach’s CfA Summer: “Made With [EPA] Data”"
    )
    assert read("2011-03-28-seattle-cio-bill-schrier-on-cfa-partnership-process.md").title.endswith(
        "Partnership & Process"
    )
    assert read("2011-05-30-honoring-memorial-day.md").summary.startswith(
        "Today, across the country, we observe Memorial"
    )
    assert "in next year’s class. For me," in read("2011-08-17-scaling-our-movement.md").summary
    assert read("2011-03-09-diving-into-cities-440-interviews.md").summary.startswith("During the month of February")
    assert "2013" in read("2013-08-14-smartprocure-2.md").categories
    assert read("2011-02-23-boston-citizens-connected.md").tags == ("311", "boston")
    assert read("2012-04-19-international-partnerships.md").kind == "page"
    assert read("2015-05-02-notes-for-the-summit.md").draft and read("2015-05-20-board-minutes.md").draft
    repost = read("2018-11-20-repost-civic-tech.md")
    assert repost.canonical_url == repost.original_url and repost.image.startswith("https://cdn-images-1.medium.com/")
    assert read("2023-09-01-a-vision-for-community-civic-technology.md").aliases == (
        "/2023/09/01/a-vision-for-community-civic-technology/",
        "/2023/09/01/a-vision-for-community-civic-technology.html",
    )
    assert read("2013-03-09-submit-your-applications-now.md").aliases == (
        "/2013/03/09/submit-your-applications-now/",
        "/blog/2013/03/09/submit-your-applications-now/",
    )
    assert read("2012-02-23-code-for-america-hosts-nationwide-day-of-civic-innovation-feb-25.md").aliases == (
        "/2012/02/23/code-for-america-hosts-nationwide-“day-of-civic-innovation”-–-feb-25/",
    )


def test_fixture_archives_build_strict_with_working_redirects_and_repaired_links(project):
    first, second = import_fixtures(project.root / "posts")
    built = project.build()
    assert built.error == "" and built.messages == []

    written = [parse_post(p.read_text(encoding="utf-8"), p.name)[0] for p in (project.root / "posts").iterdir()]
    published = [post for post in written if not post.draft]
    assert len(published) == 37
    for post in published:
        assert built.exists(post.url), post.url
        for alias in post.aliases:
            assert redirect_target(built.site, alias) == built.site / post.url / "index.html", alias
    assert not built.exists("blog/2015/05/board-minutes/") and not built.exists("2015/05/20/board-minutes/")
    for page in built.site.rglob("*.html"):
        assert not re.search(r"\{\{|\{%", page.read_text(encoding="utf-8")), page

    civic = built.page("blog/2015/04/civic-data-day/")
    for link in (
        '<a href="https://www.one-economy.com">',  # a host without a scheme
        '<a href="http://codeforamerica.org/brigade">',  # a path of the old site
        '<a href="http://www.codeforamerica.org/fellowship">',  # http//
        '<a href="https://github.com/codeforamerica">',  # quoted twice
        '<a href="https://vimeo.com/13377489">',
        '<a href="../../../2011/08/scaling-our-movement/">Scaling Our Movement</a>',  # an imported post
        '<a href="[Iconathon">Iconathon</a>',  # left as it was
        "<p><em>The crowd at City Hall</em></p>",  # the caption shortcode
        "<p>It started with",  # indented HTML, not a code block
    ):
        assert link in civic, link
    assert "<pre>" not in civic and "[caption" not in civic
    photos = built.page("blog/2019/03/summit-photos/")
    assert '<a href="../../../2018/11/repost-civic-tech/">repost on models of collaboration</a>' in photos
    assert '<a href="https://github.com/codeforall">our code</a>' in photos
    assert '<a href="../assets/images/team.jpg">team photo</a>' in photos
    assert 'href="../../../2009/09/citizens-give-us-your-hand/">very first post</a>' in built.page(
        "blog/2011/08/exit-or-voice-how-about-neither/"
    )
    assert 'src="https://www.codeforamerica.org/blog/wp-content/uploads/2015/06/cityvoice.png"' in built.page(
        "blog/2015/07/using-heroku-api-to-make-code-for-america-products-easier-to-adopt/"
    )
    assert "Scaling our movement, in numbers" in built.page("blog/2011/08/scaling-our-movement-2/")
    assert "<h1>Scaling Our Movement</h1>" in built.page("blog/2011/08/scaling-our-movement/")


def test_importing_again_changes_nothing(tmp_path):
    posts = tmp_path / "posts"
    import_fixtures(posts)
    before = snapshot(posts)
    first, second = import_fixtures(posts)
    assert snapshot(posts) == before
    assert (first.written, first.updated, second.written, second.updated) == ((), (), (), ())
    assert len(first.unchanged) == 37 and len(second.unchanged) == 5
    assert [n for n in first.notes + second.notes if n.kind in (DUPLICATE, SLUG_CHANGED)] == []


def test_command_line_summary_and_exit_status(tmp_path, capsys):
    source = tmp_path / "_posts"
    source.mkdir()
    (source / "2015-01-01-fine.md").write_text("---\ntitle: Fine\n---\nText with [a link](www.example.org).\n")
    (source / "2015-01-02-broken.md").write_text("---\ntitle: x\nauthor: [unclosed\n---\n")
    (source / "2015-01-03-untitled.md").write_text("---\nlayout: post\n---\nText\n")
    (source / "2015-01-04-latin.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    (source / "2015-01-05-donate.md").write_text("---\ntitle: Donate\nlayout: nav_menu_item\n---\n")
    (source / "notes.txt").write_text("not a post")
    assert main([str(source), "--out", str(tmp_path / "posts")]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "Read 5 files: 1 posts written (0 drafts), 0 updated with legacy URLs, 0 already in the output folder,"
        " 1 skipped (not posts), 3 could not be converted.",
        "Repairs:",
        "       1  link repaired",
        "Warnings:",
        "       2  not a post",
        "not a post: _posts/notes.txt: skipped: not a post file",
        "not a post: _posts/2015-01-05-donate.md: skipped: a WordPress nav_menu_item, not a post or a page",
    ]
    assert [line.split(":")[1].strip() for line in err.splitlines()] == [
        "_posts/2015-01-02-broken.md",
        "_posts/2015-01-03-untitled.md",
        "_posts/2015-01-04-latin.md",
    ]
    assert [p.name for p in (tmp_path / "posts").iterdir()] == ["2015-01-01-fine.md"]
    assert main([str(source), "--out", str(tmp_path / "posts")]) == 1
    assert "0 posts written" in capsys.readouterr().out


def test_a_hand_written_post_keeps_every_byte_and_gains_the_legacy_urls_of_its_duplicate(tmp_path):
    name = "2023-09-01-a-vision-for-community-civic-technology.md"
    original = (
        "---\ntitle: A Vision for Community Civic Technology\ndate: 2023-09-01\n"
        "# Written by hand: kept as it is.\nauthors: [Matt Zagaja]\n---\nWith September comes rhythms of Autumn.\n"
    )
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / name).write_text(original, encoding="utf-8")
    report = import_posts([CODE_FOR_ALL], tmp_path / "posts")
    assert report.updated == (f"posts/{name}",)
    end = original.index("\n---\n", 3) + 1
    assert (tmp_path / "posts" / name).read_text(encoding="utf-8") == (
        original[:end]
        + "aliases:\n- /2023/09/01/a-vision-for-community-civic-technology/\n"
        + "- /2023/09/01/a-vision-for-community-civic-technology.html\n"
        + original[end:]
    )


# The repairs, one by one.

SITE = OldSite(
    hosts=frozenset({"codeforamerica.org"}),
    prefixes=("/blog",),
    pages={"/2011/08/17/scaling-our-movement/": "blog/2011/08/scaling-our-movement.md"},
)
HERE = Here(
    source="_posts/x.md",
    src_uri="blog/2015/04/x.md",
    home="http://codeforamerica.org",
    address="http://codeforamerica.org/2015/04/17/x/",
)


def repaired(body: str, here: Here = HERE) -> str:
    return repair_body(body, here, SITE)[0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[a](www.one-economy.com)", "[a](https://www.one-economy.com)"),
        ("[a](vimeo.com/13377489)", "[a](https://vimeo.com/13377489)"),
        ('[a]("https://github.com/x)', "[a](https://github.com/x)"),
        ("[a](http//example.org/x)", "[a](http://example.org/x)"),
        ("[a](http://http://example.org)", "[a](http://example.org)"),
        ("[a](someone@example.org)", "[a](mailto:someone@example.org)"),
        ("[a](/brigade)", "[a](http://codeforamerica.org/brigade)"),
        ("[a](photo.jpg)", "[a](http://codeforamerica.org/2015/04/17/x/photo.jpg)"),
        (
            "[a](http://www.codeforamerica.org/blog/2011/08/17/scaling-our-movement/#more)",
            "[a](../../2011/08/scaling-our-movement.md#more)",
        ),
        ("[a](/2011/08/17/scaling-our-movement)", "[a](../../2011/08/scaling-our-movement.md)"),
        ('<a href="/2011/08/17/scaling-our-movement/">a</a>', '<a href="../../../2011/08/scaling-our-movement/">a</a>'),
        ('<a href="”http://example.org/apply”">a</a>', '<a href="http://example.org/apply">a</a>'),
        ("<a href='/apply' class=x>a</a>", "<a href='http://codeforamerica.org/apply' class=x>a</a>"),
        ("<a href=&#8221;http://example.org/a&#8243; title=x>a</a>", '<a href="http://example.org/a" title=x>a</a>'),
        ("<a href=/apply>a</a>", '<a href="http://codeforamerica.org/apply">a</a>'),
        ('<a href="(http://www.boston.com/x.html">a</a>', '<a href="http://www.boston.com/x.html">a</a>'),
        (
            "[![i](http://codeforamerica.org/i.png)](/big.png)",
            "[![i](http://codeforamerica.org/i.png)](http://codeforamerica.org/big.png)",
        ),
        ("[a](index.html)", "[a](http://codeforamerica.org/2015/04/17/x/index.html)"),
        (
            "[a](#top) [b](mailto:a@b.org) [c](ftp://x.org/f) [d](//cdn.org/x.js)",
            "[a](#top) [b](mailto:a@b.org) [c](ftp://x.org/f) [d](//cdn.org/x.js)",
        ),
        ('[a](http://example.org/wiki/A_(b) "title")', '[a](http://example.org/wiki/A_(b) "title")'),
    ],
)
def test_links_are_repaired(body, expected):
    assert repaired(body) == expected


def test_links_that_cannot_be_repaired_are_left_and_never_fail_the_build():
    unknown = Here(source="_posts/y.md", src_uri="blog/2019/03/y.md", home="", address="")
    body, notes = repair_body("[a](/members/) [b](../img/team.jpg) ![c](pic.png) [d]([broken)", unknown, SITE)
    assert body == '[a](/members/) <a href="../img/team.jpg">b</a> <img src="pic.png" alt="c"> [d]([broken)'
    assert [n.detail for n in notes] == ["/members/", "../img/team.jpg", "pic.png", "[broken"]


def test_hotlinked_images_are_kept_and_counted():
    body = (
        '<img src="https://codeforamerica.org/wp-content/a.jpg"> ![b](/wp-content/b.jpg) ![c](https://flickr.com/c.jpg)'
    )
    new, notes = repair_body(body, HERE, SITE)
    assert "https://codeforamerica.org/wp-content/a.jpg" in new
    assert [n.detail for n in notes if n.kind == HOTLINKED] == [
        "https://codeforamerica.org/wp-content/a.jpg",
        "http://codeforamerica.org/wp-content/b.jpg",
    ]


def test_images_over_http_move_to_https_on_the_listed_hosts_and_are_reported_elsewhere():
    body = (
        '<img src="http://www.codeforamerica.org/a.jpg" alt="a"> <img src=http://farm3.staticflickr.com/b.jpg>'
        ' <img srcset="http://farm4.staticflickr.com/c.jpg 1x, http://www.gravatar.com/c.jpg 2x">'
        " ![d](http://farm8.staticflickr.com/d.jpg) [![e](http://i.imgur.com/e.png)](http://farm9.staticflickr.com/e)"
        ' <a href="http://farm9.staticflickr.com/f.jpg">f</a> ![g](https://farm9.staticflickr.com/g.jpg)'
    )
    new, notes = repair_body(body, HERE, SITE)
    assert new == (
        '<img src="https://www.codeforamerica.org/a.jpg" alt="a"> <img src="https://farm3.staticflickr.com/b.jpg">'
        ' <img srcset="https://farm4.staticflickr.com/c.jpg 1x, http://www.gravatar.com/c.jpg 2x">'
        " ![d](https://farm8.staticflickr.com/d.jpg) [![e](http://i.imgur.com/e.png)](http://farm9.staticflickr.com/e)"
        ' <a href="http://farm9.staticflickr.com/f.jpg">f</a> ![g](https://farm9.staticflickr.com/g.jpg)'
    )
    assert [(n.kind, n.detail) for n in notes if n.kind in (IMAGE_UPGRADED, HTTP_IMAGE)] == [
        (IMAGE_UPGRADED, "http://www.codeforamerica.org/a.jpg"),
        (IMAGE_UPGRADED, "http://farm3.staticflickr.com/b.jpg"),
        (IMAGE_UPGRADED, "http://farm4.staticflickr.com/c.jpg"),
        (HTTP_IMAGE, "http://www.gravatar.com/c.jpg"),
        (IMAGE_UPGRADED, "http://farm8.staticflickr.com/d.jpg"),
        (HTTP_IMAGE, "http://i.imgur.com/e.png"),
    ]
    assert [n.detail for n in notes if n.kind == HOTLINKED] == ["https://www.codeforamerica.org/a.jpg"]


def test_the_importer_upgrades_images_it_can_and_reports_the_rest_with_counts_that_add_up(tmp_path, capsys):
    source = tmp_path / "_posts"
    source.mkdir()
    (source / "2014-03-01-photos.md").write_text(
        "---\ntitle: Photos\nimage: http://farm4.staticflickr.com/banner.jpg\n---\n"
        '![a](http://farm8.staticflickr.com/a.jpg) <img src="http://farm6.static.flickr.com/b.jpg">\n'
    )
    (source / "2014-03-02-faces.md").write_text(
        "---\ntitle: Faces\n---\n![c](http://www.gravatar.com/c.jpg) ![d](https://www.gravatar.com/d.jpg)\n"
    )
    assert main([str(source), "--out", str(tmp_path / "posts"), "--verbose"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:5] == ["Repairs:", "       2  image upgraded to https", "Warnings:", f"       2  {HTTP_IMAGE}"]
    assert sorted(line for line in out if line.startswith(HTTP_IMAGE)) == [
        f"{HTTP_IMAGE}: _posts/2014-03-01-photos.md: http://farm6.static.flickr.com/b.jpg",
        f"{HTTP_IMAGE}: _posts/2014-03-02-faces.md: http://www.gravatar.com/c.jpg",
    ]
    photos = post((tmp_path / "posts" / "2014-03-01-photos.md").read_text(), "posts/2014-03-01-photos.md")
    assert photos.image == "https://farm4.staticflickr.com/banner.jpg"
    assert photos.body.strip() == (
        '![a](https://farm8.staticflickr.com/a.jpg) <img src="http://farm6.static.flickr.com/b.jpg">'
    )


def test_liquid_is_resolved_against_the_old_site_or_removed():
    here = Here("_posts/y.md", "blog/2019/03/y.md", "https://codeforall.org/blog", "")
    body = (
        "![a]({{ site.baseurl }}/img/a.png) {{site.url}} {{ '/members/' | relative_url }}"
        ' {{ "/x/" | absolute_url }} [p]({% post_url 2011-08-17-scaling-our-movement %})'
        " {% raw %}{% endraw %} {% include footer.html %} {{ page.title }}"
    )
    new, notes = repair_body(body, here, SITE)
    assert new == (
        "![a](https://codeforall.org/blog/img/a.png) https://codeforall.org /blog/members/"
        " https://codeforall.org/blog/x/ [p](../../2011/08/scaling-our-movement.md)   "
    )
    assert [n.detail for n in notes if n.kind == LIQUID_REMOVED] == [
        "removed {% include footer.html %}",
        "removed {{ page.title }}",
    ]


def test_caption_shortcodes_and_indented_html():
    body = (
        '[caption id="a" align="alignleft" width="300"]<img src="https://x.org/a.jpg" /> A *bold* crowd[/caption]'
        '\n[caption caption="Old style"]<img src="https://x.org/b.jpg" />[/caption]'
        "\n\n    <p>\n      indented\n    </p>\n\n```\n\n    <p>code</p>\n```\n\n* item\n\n    <p>in the item</p>\n"
    )
    assert repaired(body) == (
        '\n\n<img src="https://x.org/a.jpg" />\n\n*A \\*bold\\* crowd*\n\n'
        '\n\n\n<img src="https://x.org/b.jpg" />\n\n*Old style*\n\n'
        "\n\n<p>\n  indented\n</p>\n\n```\n\n    <p>code</p>\n```\n\n* item\n\n    <p>in the item</p>\n"
    )


# Deciding what to write.


def test_duplicates_merge_their_legacy_urls_and_clashing_slugs_get_numbered():
    a = post("---\ntitle: A\ndate: 2015-01-02\npermalink: /a/\n---\n", "one/a.md")
    same_url = post("---\ntitle: Other title\ndate: 2016-01-01\npermalink: /a/\n---\n", "two/a.md")
    same_day = post("---\ntitle: 'A!'\ndate: 2015-01-02 23:00:00 -05:00\npermalink: /old/a/\n---\n", "two/b.md")
    clash = post("---\ntitle: B\ndate: 2015-01-20\nslug: a\n---\n", "two/c.md")
    clash_again = post("---\ntitle: C\ndate: 2015-01-21\nslug: a\n---\n", "two/d.md")
    kept, merged, unchanged, notes = plan_import([a, same_url, same_day, clash, clash_again], [], set())
    assert [(p.source, p.slug, p.aliases) for p in kept] == [
        ("one/a.md", "a", ("/a/", "/old/a/")),
        ("two/c.md", "a-2", ()),
        ("two/d.md", "a-3", ()),
    ]
    assert (merged, unchanged) == ({}, [])
    assert [(n.kind, n.source) for n in notes] == [
        (DUPLICATE, "two/a.md"),
        (DUPLICATE, "two/b.md"),
        (SLUG_CHANGED, "two/c.md"),
        (SLUG_CHANGED, "two/d.md"),
    ]


def test_a_post_already_in_posts_is_unchanged_or_gains_legacy_urls(tmp_path):
    on_disk = post("---\ntitle: A\ndate: 2015-01-02\nslug: a\naliases: [/a/]\n---\n", "posts/2015-01-02-a.md")
    again = post("---\ntitle: A\ndate: 2015-01-02\npermalink: /a/\n---\n", "one/2015-01-02-a.md")
    repost = post("---\ntitle: A\ndate: 2015-01-02\npermalink: /elsewhere/a/\n---\n", "two/2015-01-02-a.md")
    existing = [(tmp_path / "2015-01-02-a.md", on_disk)]
    kept, merged, unchanged, notes = plan_import([again, repost], existing, {"2015-01-02-a.md"})
    assert kept == [] and unchanged == ["one/2015-01-02-a.md"]
    assert merged["posts/2015-01-02-a.md"].aliases == ("/a/", "/elsewhere/a/")
    assert [(n.kind, n.source) for n in notes] == [(DUPLICATE, "two/2015-01-02-a.md")]


def test_rendered_post_reads_back_as_the_same_post():
    text = (
        "---\nlayout: page\ntitle: 'Caf&eacute; &amp; co'\ndate: 2012-04-19 11:55:16.000000000 -07:00\n"
        "author: {login: x, email: x@example.org, display_name: X Y}\nwordpress_url: http://example.org/?page_id=1\n"
        "status: publish\npublished: true\nmeta: {a: '1'}\n---\nBody <!--more--> rest\n"
    )
    original = post(text, "_posts/2012-04-19-cafe.md")
    rendered = render_post(original)
    assert rendered == (
        "---\ntitle: Café & co\ndate: 2012-04-19 11:55:16-07:00\nauthors:\n- X Y\nsummary: Body\nslug: cafe\n"
        "original_url: http://example.org/?page_id=1\nlayout: page\n---\n\nBody <!--more--> rest\n"
    )
    assert post(rendered, "_posts/2012-04-19-cafe.md") == original
    assert original.published.utcoffset() == dt.timedelta(hours=-7)


def test_wordpress_com_draft_has_no_alias_from_its_query_permalink():
    draft = post("---\ntitle: x\npermalink: /?p=7301\nstatus: draft\n---\n", "_posts/2015-05-02-x.html")
    assert draft.draft and draft.aliases == ()


# The whole sample.


@pytest.mark.skipif(not SAMPLE.is_dir(), reason="the corpus in ../shared is not here")
def test_the_208_post_sample_imports_and_builds_strict(project):
    report = import_posts([SAMPLE], project.root / "posts")
    assert (len(report.read), len(report.written), report.failures, report.drafts) == (208, 208, (), ())
    assert report.counts(repairs=False) == {HOTLINKED: 353, HTTP_IMAGE: 193}
    assert report.counts(repairs=True)[IMAGE_UPGRADED] == 184

    built = project.build()
    assert built.error == "" and built.messages == []
    assert len(list(built.site.glob("blog/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"))) == 208

    redirects = 0
    for source in sorted(SAMPLE.glob("*.md")):
        permalink = yaml.safe_load(source.read_text(encoding="utf-8").split("\n---", 1)[0])["permalink"]
        target = redirect_target(built.site, legacy_paths(permalink)[0])
        assert target.is_file() and re.match(
            r"blog/\d{4}/\d\d/[^/]+/index.html", target.relative_to(built.site).as_posix()
        )
        redirects += 1
    assert redirects == 208
    for page in built.site.rglob("*.html"):
        assert not re.search(r"\{\{|\{%", page.read_text(encoding="utf-8")), page

    again = import_posts([SAMPLE], project.root / "posts")
    assert (again.written, len(again.unchanged)) == ((), 208)


def test_a_post_republished_days_later_with_the_same_text_is_one_post(tmp_path):
    """Seed 004 and its original on its author's blog: the same title two days apart, the same text."""
    body = "With September comes rhythms of Autumn, falling leaves and a return to school. " * 5
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "2023-09-03-vision.md").write_text(f"---\ntitle: A Vision\ndate: 2023-09-03\n---\n{body}\n")
    source = tmp_path / "_posts"
    source.mkdir()
    (source / "2023-09-05-a-vision.md").write_text(f"---\ntitle: A Vision\n---\n{body} One more line.\n")
    (source / "2023-09-06-a-vision.md").write_text("---\ntitle: A Vision\n---\nAnother text altogether.\n")
    report = import_posts([source], tmp_path / "posts")
    assert report.updated == ("posts/2023-09-03-vision.md",)
    assert "/2023/09/05/a-vision/" in (tmp_path / "posts" / "2023-09-03-vision.md").read_text()
    assert report.written == ("posts/2023-09-06-a-vision.md",)  # same title, other text: another post
    assert [n.source for n in report.notes if n.kind == DUPLICATE] == ["_posts/2023-09-05-a-vision.md"]


def test_a_link_to_a_file_outside_the_folder_is_refused_not_read(tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\ndate: 2015-01-01\n---\nNot for the site.\n")
    source = tmp_path / "export" / "_posts"
    source.mkdir(parents=True)
    (source / "2015-01-01-secret.md").symlink_to(outside)
    report = import_posts([source], tmp_path / "posts")
    assert report.written == () and [str(p) for p in report.failures] == [
        "_posts/2015-01-01-secret.md: a link to a file outside the folder: not read"
    ]
    assert len(report.read) == 1
