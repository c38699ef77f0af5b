"""The build's fast paths give what the slower code they stand in for gives: libyaml beside
PyYAML's own parser, plain-path links beside `posixpath.relpath`, the quick tests before slow
patterns. Each test pits one against the other on the awkward cases."""

import datetime as dt
import itertools
import posixpath

import pytest
import yaml

from casebook.content.limits import check_body
from casebook.content.yamltext import YamlError, parse_yaml
from casebook.index import build_archive
from casebook.model import Post, Term
from casebook.publish.sanitize import sanitize_html
from casebook.urls import href, link, src_uri_to_url

YAML_TEXTS = (
    "title: A\ntags: [a, b]\nmeta: {x: 1}\n",
    "a:\n  - b\n  - {c: d, e: [f]}\n",
    "k: |\n  text\n  more\n",
    "k: >-\n  folded\n",
    "a:\nb:\n",  # empty values, which libyaml marks elsewhere
    "{a: }",
    "[a: ]",
    "? a",
    "a: [b, {c?: d}]\n",  # PyYAML reads `?` in flow collections as a key
    "k: >-#\n  folded\n",  # PyYAML wants a space before the comment
    "title: A\n\tx: 1\n",  # tabs
    "title: Tab\tinside\n",
    "a: b\ufeffc\n",
    "a: 1\r\nb: 2\n",
    "a: b\x85c: d\n",
    "a: &x 1\nb: *x\n",
    "a: !!timestamp 2015-01-01\n",
    "a: 1\na: 2\n",
    "[" * 60 + "]" * 60,
    "a: \x07\n",
    "- a\n- b: c\n  d: e\n",
    "%YAML 1.1\n---\na: b\n...\n",
    "a: b\n---\nc: d\n",
    "date: 2015-01-20 10:00:00\n",
    "",
)


def _read(text: str):
    try:
        data, node = parse_yaml(text)
    except YamlError as error:
        return ("error", str(error), error.line, error.column, error.hint)
    return ("data", repr(data), _marks(node))


def _marks(node) -> list:
    if node is None:
        return []
    found = [(node.tag, node.start_mark.line, node.start_mark.column)]
    for child in node.value if isinstance(node.value, list) else ():
        for item in child if isinstance(child, tuple) else (child,):
            found += _marks(item)
    return found


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", YAML_TEXTS)
def test_libyaml_reads_like_pyyaml(text, monkeypatch):
    fast = _read(text)
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert fast == _read(text)


def _relpath_link(from_src_uri: str, to_src_uri: str) -> str:
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


def _relpath_href(from_src_uri: str, to_src_uri: str) -> str:
    from_dir = src_uri_to_url(from_src_uri) if from_src_uri.endswith(".md") else posixpath.dirname(from_src_uri) + "/"
    target = src_uri_to_url(to_src_uri) if to_src_uri.endswith(".md") else to_src_uri
    relative = posixpath.relpath("/" + target, "/" + from_dir)
    return "./" if relative == "." else relative + ("/" if target.endswith("/") else "")


PATHS = sorted(
    {
        "/".join(parts)
        for n in range(1, 4)
        for parts in itertools.product(("a", "b", "index.md", "x.md", "", ".", ".."), repeat=n)
    }
)


def test_links_are_what_relpath_makes():
    for start, target in itertools.product(PATHS, PATHS):
        if target:  # relpath refuses an empty path, and so does link
            assert link(start, target) == _relpath_link(start, target), (start, target)
        assert href(start, target) == _relpath_href(start, target), (start, target)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<div>" * 101, "the HTML is nested more than 100 elements deep"),
        ("<br>" * 200 + "<div>" * 100, None),
        ("x\n" + " " * 201 + "y", "the line is indented more than 200 columns"),
        ("x\n" + "\t" * 51 + "y", "the line is indented more than 200 columns"),
        (" " * 201 + "y", "the line is indented more than 200 columns"),
        ("*_" * 250 + "*", "a run of more than 500 * or _ marks"),
        ("*_" * 250 + " *", None),
        ('<div class="x" marKdown="1">', "HTML with a `markdown` attribute is not supported in posts"),  # Kelvin sign
        ('<div title="markdown">', None),
    ],
)
def test_quick_tests_of_check_body_miss_nothing(body, message):
    assert [m for _, m, _ in check_body(body)] == ([message] if message else [])


def _post(body: str) -> Post:
    day = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    return Post("posts/a.md", "post", "a", "A", day, body, summary="Summary.", models=("fellowship",))


@pytest.mark.parametrize(
    ("body", "passage"),
    [
        (
            "Intro.\n\nOur FELLOWſHIP ran a year.\n",
            "Our FELLOWſHIP ran a year.",
        ),  # ſ matches s, but does not lower to it
        ("Intro.\n\nOur fellowshİp ran a year.\n", "Our fellowshİp ran a year."),
        ("Intro.\n\nOur fellow*ship* ran a year.\n", "Our fellowship ran a year."),
        ("Intro.\n\nOur fellows ran a year.\n", "Summary."),
    ],
)
def test_post_evidence_finds_names_that_lowering_hides(body, passage):
    archive = build_archive([_post(body)], (), (Term("models", "fellowship", "Fellowship"),))
    assert archive.evidence[("models", "fellowship")][0].passage == passage


def test_references_keep_the_first_spelling_of_a_character():
    assert sanitize_html("<p>a &ndash; b &#8211; c</p>") == "<p>a &ndash; b &ndash; c</p>"
    assert sanitize_html("<p>a &#8211; b &ndash; c</p>") == "<p>a &#8211; b &#8211; c</p>"
