"""Real builds of small sites in a temporary folder, asserting on the HTML produced."""

import html
import re
import shutil
from pathlib import Path

import markdown
from conftest import minimal_case_study

from casebook.text import markdown_text

ROOT = Path(__file__).resolve().parents[1]

WORDPRESS_POST = """
---
id: 32613
title: 7 Tips for Civic Tech Organizing, No Matter Where You Live
date: 2015-01-20T20:16:19+00:00
author: Lynn Fine
layout: post
guid: http://www.codeforamerica.org/blog/?p=32613
permalink: /2015/01/20/7-tips/
categories:
  - Civic Hacking
---
Almost a year ago &#8211; a start.
"""


def post(number: int, year: int = 2014, **fields) -> str:
    lines = [f"title: Post number {number}", f"date: {year}-02-{number % 28 + 1:02d}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + f"\n---\nBody of post {number}.\n"


def test_post_page_index_year_archive_and_redirect(project):
    project.write("posts/2015-01-20-7-tips.md", WORDPRESS_POST)
    project.write("posts/2014-02-02-older.md", post(1))
    built = project.build()
    assert built.error == "" and built.messages == []

    page = built.page("blog/2015/01/7-tips/")
    assert "<h1>7 Tips for Civic Tech Organizing, No Matter Where You Live</h1>" in page
    assert '<time datetime="2015-01-20T20:16:19+00:00">20 January 2015</time> · by Lynn Fine' in page
    assert "Filed under Civic Hacking" in page
    assert 'href="http://www.codeforamerica.org/blog/2015/01/20/7-tips/"' in page
    assert "Almost a year ago &#8211; a start." in page
    assert 'href="../../../2014/02/older/" rel="next"' in page

    index = built.page("blog/")
    assert index.index("7 Tips for Civic Tech") < index.index("Post number 1")
    assert 'href="2015/01/7-tips/"' in index

    assert 'href="01/7-tips/"' in built.page("blog/2015/")
    assert "Post number 1" not in built.page("blog/2015/")
    assert "Post number 1" in built.page("blog/2014/")

    redirect = built.page("2015/01/20/7-tips/")
    assert '<meta http-equiv="refresh" content="0; url=../../../../blog/2015/01/7-tips/">' in redirect


def test_legacy_page_becomes_a_site_page(project):
    project.use_real_vocabulary()
    shutil.copy(ROOT / "posts" / "2012-04-19-international-partnerships.md", project.root / "posts")
    built = project.build()
    page = built.page("about/international-partnerships/")
    assert "<h1>International Partnerships</h1>" in page
    assert "Abhi Nemani" in page
    assert not built.exists("blog/2012/04/international-partnerships/")
    assert "abhi@codeforamerica.org" not in page and "author_login" not in page
    assert not any("abhi@" in p.read_text(errors="ignore") for p in built.site.rglob("*") if p.is_file())


def test_blog_index_is_paginated_past_20_posts(project):
    for number in range(1, 26):
        project.write(f"posts/p{number}.md", post(number))
    built = project.build()
    first, second = built.page("blog/"), built.page("blog/page/2/")
    assert len(re.findall('class="casebook-entry"', first)) == 20
    assert len(re.findall('class="casebook-entry"', second)) == 5
    assert 'href="page/2/"' in first and 'href="../../"' in second


def test_drafts_are_left_out_of_build_and_shown_by_serve(project):
    project.write("posts/2015-01-01-public.md", post(1, 2015))
    project.write("posts/2015-02-01-secret.md", post(2, 2015, draft="true"))
    built = project.build()
    assert not built.exists("blog/2015/02/secret/")
    assert "Post number 2" not in built.page("blog/")

    served = project.build(command="serve")
    assert "Draft" in served.page("blog/2015/02/secret/")
    assert "Post number 2" not in served.page("blog/")


def test_the_preview_shows_problems_escaped_and_a_build_fails_on_them(project):
    project.write("posts/2015-01-01-one.md", post(1, 2015, models='["<b>bold</b>"]'))
    served = project.build(command="serve")
    banner = re.search(r'<div class="casebook-problems" role="alert">.*?</div>', served.page(""), re.S).group()
    assert "posts/2015-01-01-one.md:4" in banner
    assert "&lt;b&gt;bold&lt;/b&gt;" in banner and "<b>" not in banner
    assert "casebook-problems" not in served.page("about/")

    built = project.build()
    assert built.error and any(m.startswith("1 problem(s) in the content") for m in built.messages)


def test_rebuild_in_the_same_process_shows_the_edit_and_leaks_nothing(project):
    project.write("posts/2015-01-01-one.md", post(1, 2015))
    project.write("posts/2015-01-02-two.md", post(2, 2015))
    assert "Post number 2" in project.build().page("blog/")

    project.write("posts/2015-01-02-two.md", post(2, 2015).replace("Post number 2", "Edited title"))
    (project.root / "posts" / "2015-01-01-one.md").unlink()
    rebuilt = project.build()
    index = rebuilt.page("blog/")
    assert "Edited title" in index
    assert "Post number 1" not in index and "Post number 2" not in index


def test_broken_posts_fail_the_build_with_every_problem(project):
    project.write("posts/2015-01-01-fine.md", post(1, 2015))
    project.write("posts/2015-01-02-broken.md", "---\ntitle: x\nauthor: [unclosed\n---\n")
    project.write("posts/2015-01-03-untitled.md", "---\nlayout: post\n---\nText\n")
    project.write("posts/2015-01-04-same.md", post(4, 2015, slug="fine"))
    built = project.build()
    assert built.messages == [
        "casebook: posts/2015-01-02-broken.md:4: the front matter is not valid YAML: expected ',' or ']', but got"
        " '<stream end>' (check the indentation, and put quotes around values that contain ': ')",
        "casebook: posts/2015-01-03-untitled.md:1: the post has no title (add a line `title: ...` to the front matter)",
        "casebook: posts/2015-01-04-same.md:4: posts/2015-01-01-fine.md already has the URL /blog/2015/02/fine/"
        " (give one of the two posts another `slug:`)",
        "3 problem(s) in the content, listed above. Fix them and build again.",
    ]
    assert built.error == "Aborted with a BuildError!"


def test_command_line_build_names_files_and_lines_without_traceback(project):
    project.write("posts/2015-01-02-broken.md", "---\ntitle: x\nauthor: [unclosed\n---\n")
    project.write("posts/2015-01-03-untitled.md", "---\nlayout: post\n---\nText\n")
    result = project.run("build", "--strict")
    assert result.returncode != 0
    assert "posts/2015-01-02-broken.md:4: the front matter is not valid YAML" in result.stderr
    assert "posts/2015-01-03-untitled.md:1: the post has no title" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_real_site_builds_strict(real_site):
    for url in (
        "blog/2015/01/7-tips-for-civic-tech-organizing-no-matter-where-you-live/",
        "blog/2018/11/repost-civic-tech/",
        "blog/2023/09/a-vision-for-community-civic-technology/",
        "about/international-partnerships/",
        "blog/",
        "blog/2015/",
        "blog/2018/",
        "blog/2023/",
        "2015/01/20/7-tips-for-civic-tech-organizing-no-matter-where-you-live/",
        "case-studies/",
        "case-studies/cfa-first-international-partnerships/",
    ):
        assert (real_site / url / "index.html").is_file(), url


def test_blog_pages_link_to_a_window_of_pages_not_to_all():
    from casebook.site.pages import pager_window

    assert [page and page[0] for page in pager_window(10, 20)] == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert [page and page[0] for page in pager_window(1, 3)] == [1, 2, 3]


def test_text_placed_in_markdown_reads_as_written():
    """`md()`: every printable ASCII character, as a link text, shows as itself."""
    text = "".join(chr(code) for code in range(33, 127)) + " ~ Thomas Paine"
    converted = markdown.markdown(f"[{markdown_text(text)}](x.md)", extensions=["tables", "attr_list", "md_in_html"])
    shown = re.fullmatch(r'<p><a href="x.md">(.*)</a></p>', converted, re.S)
    assert shown and html.unescape(shown.group(1)) == text


def test_a_post_links_to_another_post_or_a_case_study_by_its_file(project):
    """The natural way to link: the other file's name, as it sits in the repository."""
    project.write("posts/2014-02-02-older.md", "---\ntitle: Older\ndate: 2014-02-02\n---\n## Details\n\nText.\n")
    project.write("case_studies/a-study.yml", minimal_case_study())
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", project.root / "case_studies")
    project.write(
        "posts/2015-01-20-newer.md",
        "---\ntitle: Newer\ndate: 2015-01-20\n---\n"
        'See [the older post](2014-02-02-older.md#details), [again](../posts/2014-02-02-older.md "title")'
        " and [the study](../case_studies/a-study.yml#lesson-keep-it-simple).\n",
    )
    built = project.build()
    assert not built.error and built.messages == [], built.messages
    page = built.page("blog/2015/01/newer/")
    assert '<a href="../../../2014/02/older/#details">the older post</a>' in page
    assert '<a href="../../../2014/02/older/" title="title">again</a>' in page
    assert '<a href="../../../../case-studies/a-study/#lesson-keep-it-simple">the study</a>' in page
    assert built.exists("blog/2014/02/older/") and built.exists("case-studies/a-study/")


def test_links_to_generated_pages_and_to_unknown_files_are_left_as_they_are():
    """Links to posts' files and old addresses lead to their pages; a post's link to its own
    original address (a citation) and to other sites' are kept."""
    from casebook.site.sources import LinkTargets, link_sources

    pages = {"posts/2014-02-02-older.md": "blog/2014/02/older.md", "posts/2015-01-20-newer.md": "blog/2015/01/newer.md"}
    old = {"/2014/02/02/older": "posts/2014-02-02-older.md", "/news/newer": "posts/2015-01-20-newer.md"}
    targets = LinkTargets(pages, old, frozenset({"example.org"}))
    body = "[a](../../2011/08/x.md) [b](nope.md) [c](2014-02-02-older.md) [d](<2014-02-02-older.md>)"
    body += " [e](/2014/02/02/older/#x) [f](https://www.example.org/2014/02/02/older) [g](https://example.com/2014/02/02/older/)"
    body += " [h](https://example.org/news/newer/)"
    assert link_sources(body, "posts/2015-01-20-newer.md", "blog/2015/01/newer.md", targets) == (
        "[a](../../2011/08/x.md) [b](nope.md) [c](../../2014/02/older.md) [d](<2014-02-02-older.md>)"
        " [e](../../2014/02/older.md#x) [f](../../2014/02/older.md) [g](https://example.com/2014/02/02/older/)"
        " [h](https://example.org/news/newer/)"
    )


def test_a_post_that_links_to_a_file_outside_its_folder_is_refused(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("---\ntitle: Secret\ndate: 2015-01-01\n---\nNot for the site.\n")
    (project.root / "posts" / "2015-01-01-secret.md").symlink_to(outside)
    built = project.build()
    assert built.error and not built.exists("blog/2015/01/secret/")
    assert "casebook: posts/2015-01-01-secret.md: the file is a link to a file outside its folder" in built.messages[0]
