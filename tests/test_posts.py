"""Reading posts in their legacy dialects, and the problems bad front matter gives."""

import base64
import datetime as dt
from pathlib import Path

import pytest

from casebook.content.posts import load_posts, parse_post, read_post
from casebook.text import plain_text

ROOT = Path(__file__).resolve().parents[1]
POSTS = ROOT / "posts"


def seed(name: str):
    post, problems = read_post(POSTS / name, ROOT)
    assert problems == []
    return post


def test_wordpress_export_post():
    post = seed("2015-01-20-7-tips-for-civic-tech-organizing-no-matter-where-you-live.md")
    assert post.kind == "post"
    assert post.title == "7 Tips for Civic Tech Organizing, No Matter Where You Live"
    assert post.published == dt.datetime(2015, 1, 20, 20, 16, 19, tzinfo=dt.timezone.utc)
    assert post.authors == ("Lynn Fine",)
    assert post.categories == ("Civic Hacking", "Code for All", "International")
    assert post.aliases == ("/2015/01/20/7-tips-for-civic-tech-organizing-no-matter-where-you-live/",)
    assert post.original_url == (
        "http://www.codeforamerica.org/blog/2015/01/20/7-tips-for-civic-tech-organizing-no-matter-where-you-live/"
    )
    assert post.url == "blog/2015/01/7-tips-for-civic-tech-organizing-no-matter-where-you-live/"
    assert 'class="wp-caption aligncenter"' in post.body
    assert "&#8211;" in post.body  # entities stay for the browser to render


def test_wordpress_page_becomes_a_page_without_private_fields():
    post = seed("2012-04-19-international-partnerships.md")
    assert post.kind == "page"
    assert post.url == "about/international-partnerships/"
    assert post.authors == ("Abhi Nemani",)
    assert post.published == dt.datetime(2012, 4, 19, 11, 55, 16, tzinfo=dt.timezone.utc)
    assert post.original_url == "http://codeforamerica.org/?page_id=12554"
    assert "abhi@codeforamerica.org" not in repr(post)


def test_medium_repost_takes_date_from_file_name_and_medium_as_canonical():
    post = seed("2018-11-20-repost-civic-tech.md")
    assert post.published.date() == dt.date(2018, 11, 20)
    assert post.authors == ("Code for All",)
    assert post.canonical_url == post.original_url
    assert post.original_url.startswith("https://medium.com/code-for-all/repost-civic-tech-and-governments")
    assert post.image == "https://cdn-images-1.medium.com/max/1024/1*skVXWOAmQr0AYibXCvoncA.jpeg"


def test_bare_jekyll_post_takes_slug_from_file_name():
    bare = ROOT / "tests" / "fixtures" / "import" / "codeforall" / "_posts"
    post, problems = read_post(bare / "2023-09-01-a-vision-for-community-civic-technology.md", ROOT)
    assert problems == []
    assert post.title == "A Vision for Community Civic Technology"
    assert post.slug == "a-vision-for-community-civic-technology"
    assert post.published.date() == dt.date(2023, 9, 1)
    assert post.authors == ()


def test_bare_jekyll_date_from_file_name_only():
    post, problems = parse_post("---\ntitle: Hello\nlayout: post\n---\nText\n", "posts/2016-03-04-hello-there.md")
    assert problems == []
    assert post.published.date() == dt.date(2016, 3, 4)
    assert post.url == "blog/2016/03/hello-there/"


def test_file_name_slug_is_made_url_safe():
    post, _ = parse_post("---\ntitle: x\n---\n", "posts/2012-01-31-cio-%e2%89%a0-chief_infrastructure.md")
    assert post.slug == "cio-chief-infrastructure"


def test_canonical_front_matter():
    text = """---
title: A canonical post
date: 2020-05-06
authors: [Ana, Bo]
summary: Short.
slug: canonical
image: https://example.org/a.png
original_url: https://example.org/post
aliases: [/old/path/, /older.html]
draft: true
lessons: [keep-it-simple]
partners: [code-for-america]
models: [fellowship]
---
Body
"""
    post, problems = parse_post(text, "posts/whatever.md")
    assert problems == []
    assert post.authors == ("Ana", "Bo")
    assert post.aliases == ("/old/path/", "/older.html")
    assert post.draft is True
    assert (post.lessons, post.partners, post.models) == (("keep-it-simple",), ("code-for-america",), ("fellowship",))
    assert post.lines["partners"] == 12


def test_unpublished_or_password_protected_wordpress_posts_are_drafts():
    for field in ("published: false", "status: draft", "password: secret"):
        post, problems = parse_post(f"---\ntitle: x\n{field}\n---\n", "posts/2015-01-01-x.md")
        assert problems == [] and post.draft, field


def test_more_separator_gives_the_summary():
    post, _ = parse_post("---\ntitle: x\n---\nThe <em>start</em>.\n<!--more-->\nThe rest.\n", "posts/2015-01-01-x.md")
    assert post.summary == "The start ."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\ntitle: Broken\nauthor: [unclosed\n---\n",
            "posts/2015-01-01-x.md:4: the front matter is not valid YAML: expected ',' or ']', but got '<stream end>'"
            " (check the indentation, and put quotes around values that contain ': ')",
        ),
        (
            "---\nlayout: post\n---\n",
            "posts/2015-01-01-x.md:1: the post has no title (add a line `title: ...` to the front matter)",
        ),
        (
            "---\ntitle: x\ndate: 2015-13-45\n---\n",
            "posts/2015-01-01-x.md:3: 'date' '2015-13-45' is not a real date: month must be in 1..12"
            " (write the date as YYYY-MM-DD, e.g. 2015-01-20)",
        ),
        (
            "---\ntitle: x\ndate: 2016-02-30\n---\n",
            "posts/2015-01-01-x.md:3: 'date' '2016-02-30' is not a real date: day is out of range for month"
            " (write the date as YYYY-MM-DD, e.g. 2015-01-20)",
        ),
        (
            "---\ntitle: x\nparnters: [a]\n---\n",
            "posts/2015-01-01-x.md:3: unknown field 'parnters' (did you mean 'partners'?)",
        ),
        (
            "---\ntitle: x\nslug: ../../../../tmp/escaped\n---\n",
            "posts/2015-01-01-x.md:3: 'slug' is '../../../../tmp/escaped': a slug is lowercase letters, digits"
            " and hyphens only (for example: slug: seven-tips-for-organizing)",
        ),
        (
            "---\ntitle: x\n",
            "posts/2015-01-01-x.md:1: the front matter is never closed (end it with a line of three dashes: ---)",
        ),
    ],
)
def test_problems_word_for_word(text, expected):
    post, problems = parse_post(text, "posts/2015-01-01-x.md")
    assert post is None
    assert [str(p) for p in problems] == [expected]


def test_no_date_anywhere():
    _, problems = parse_post("---\ntitle: x\n---\n", "posts/undated.md")
    assert [str(p) for p in problems] == [
        "posts/undated.md:1: the post has no date (add `date: YYYY-MM-DD` to the front matter,"
        " or name the file YYYY-MM-DD-slug.md)"
    ]


def test_impossible_date_in_file_name():
    _, problems = parse_post("---\ntitle: x\n---\n", "posts/2016-02-30-x.md")
    assert [str(p) for p in problems] == [
        "posts/2016-02-30-x.md:1: the file name '2016-02-30' is not a real date: day is out of range for month"
        " (write the date as YYYY-MM-DD, e.g. 2015-01-20)"
    ]


def test_not_utf8_and_bom(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "2015-01-01-latin.md").write_bytes("---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    (tmp_path / "posts" / "2015-01-02-bom.md").write_bytes("\ufeff---\r\ntitle: BOM\r\n---\r\nText\r\n".encode())
    posts, problems = load_posts(tmp_path / "posts", tmp_path)
    assert [p.title for p in posts] == ["BOM"]
    assert [str(p) for p in problems] == [
        "posts/2015-01-01-latin.md:2: the file is not UTF-8 text: this line has a character in another encoding"
        " (save the file with UTF-8 encoding)"
    ]


def test_every_problem_of_every_file_in_one_run(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("---\ntitle: [\n---\n")
    (tmp_path / "posts" / "b.md").write_text("---\nlayout: post\n---\n")
    _, problems = load_posts(tmp_path / "posts", tmp_path)
    assert [p.path for p in problems] == ["posts/a.md", "posts/b.md", "posts/b.md"]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ('A [![photo](http://x.org/a.jpg)](http://x.org/ "A photo, on Flickr") B', "A photo B"),
        ("See [the *report*](http://x.org/r.pdf).", "See the report."),
        ("<p>An <em>HTML</em> &amp; Markdown mix</p>", "An HTML & Markdown mix"),
    ],
)
def test_summaries_and_passages_read_as_plain_text(markup, text):
    assert plain_text(markup) == text


# Jekyll's own rules, which legacy exports rely on.


def test_a_jekyll_file_name_may_have_one_digit_months_and_days():
    post, problems = parse_post("---\ntitle: Hello\n---\nText\n", "posts/2013-2-1-hello-there.md")
    assert problems == [] and post.published.date() == dt.date(2013, 2, 1) and post.slug == "hello-there"


def test_jekyll_reads_singular_category_and_tag_and_splits_a_plural_string():
    post, problems = parse_post("---\ntitle: A\ndate: 2013-01-01\ncategory: Civic Hacking\ntag: boston\n---\n", "x.md")
    assert problems == [] and post.categories == ("Civic Hacking",) and post.tags == ("boston",)
    post, problems = parse_post("---\ntitle: A\ndate: 2013-01-01\ntags: open data\n---\n", "x.md")
    assert problems == [] and post.tags == ("open", "data")


def test_a_title_written_by_ruby_as_binary_is_read_as_its_text():
    encoded = base64.b64encode("Código para la Ciudad — “abierto”".encode()).decode()
    post, problems = parse_post(f"---\ntitle: !binary |-\n  {encoded}\ndate: 2013-01-01\n---\nText\n", "x.md")
    assert problems == [] and post.title == "Código para la Ciudad — “abierto”"
    post, problems = parse_post("---\ntitle: !binary |-\n  ////\ndate: 2013-01-01\n---\nText\n", "x.md")
    assert post is None and [str(p) for p in problems] == [
        "x.md:2: the front matter is not valid YAML: the !binary value is not base64 of UTF-8 text"
        " (write the value as plain text instead)"
    ]


def test_characters_that_are_not_text_are_refused_where_they_are():
    """No page, feed or search record can carry them (feedgen refused them with a traceback)."""
    cases = {
        '---\ntitle: "a\\x01b"\ndate: 2013-01-01\n---\nText\n': "x.md:2: 'title' holds the character U+0001",
        '---\ntitle: "a\\ud800b"\ndate: 2013-01-01\n---\nText\n': "x.md:2: 'title' holds the character U+D800",
        '---\ntitle: A\ndate: 2013-01-01\nauthors: ["\\uFFFE"]\n---\n': "x.md:4: 'authors' holds the character U+FFFE",
        "---\ntitle: A\ndate: 2013-01-01\n---\nText\n\nx\x00y\n": "x.md:7: the text holds the character U+0000",
    }
    for text, expected in cases.items():
        post, problems = parse_post(text, "x.md")
        assert post is None and [str(p) for p in problems] == [
            f"{expected}, which is not text (delete it: it is not text, often a leftover of a copy and paste)"
        ]


def test_the_tags_ruby_writes_on_plain_values_are_read_as_the_values():
    text = "---\ntitle: !ruby/string 'Hello'\ndate: 2013-01-01\ncategories: !ruby/array:Array\n- News\n---\nText\n"
    post, problems = parse_post(text, "x.md")
    assert problems == [] and post.title == "Hello" and post.categories == ("News",)
    post, problems = parse_post("---\ntitle: !ruby/object:Foo\n  a: 1\n---\n", "x.md")
    assert post is None and "the YAML tag !ruby/object:Foo is not allowed here" in str(problems[0])
