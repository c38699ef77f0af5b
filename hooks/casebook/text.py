"""Text helpers every layer uses: readable text from markup, slugs, Markdown-safe text."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

from slugify import slugify as python_slugify

_ANY_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS_MARKS = re.compile(r"[*_>`]+|(?<!&)#+")
"""Marks that `plain_text` drops; not the # of entities (&#8217;)."""
_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$|`[^`\n]+`", re.M | re.S)
"""Fenced code blocks and code spans, where Markdown's links and images are only text."""
_MARKDOWN_ESCAPES = str.maketrans({mark: "\\" + mark for mark in "\\`*_{}[]()#+!|-"})
"""What Python-Markdown (with `tables`, for `|`) reads as syntax and lets a backslash escape;
before any other character, `~` for one, the backslash would show."""


def plain_text(markup: str, limit: int = 300) -> str:
    """Readable text from Markdown or HTML, cut at a word boundary, for summaries. Long markup
    is read up to a paragraph break well past `limit` first: the same result, far cheaper."""
    head = markup[: limit * 10]
    if len(head) < len(markup) and (cut := head.rfind("\n\n")) > 0:
        text = _readable(head[:cut])
        if len(text) > limit:
            return text[:limit].rsplit(" ", 1)[0] + "…"
    text = _readable(markup)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _readable(markup: str) -> str:
    text = _ANY_TAG.sub(" ", markup)
    while "](" in text:  # most paragraphs have no link: skip the pattern (and a Python call per link)
        text, count = _LINK.subn(lambda link: link.group(1), text)  # again for `[![image](src)](href)`
        if not count:
            break
    text = html.unescape(_EMPHASIS_MARKS.sub("", text))
    return " ".join(text.split())


def slugify(text: str, max_length: int = 0) -> str:
    """A URL slug from a file name or title, transliterated by python-slugify: `cio-%e2%89%a0-chief_x`
    -> `cio-chief-x`, `東京` -> `dong-jing`; at most `max_length` characters, cut between words."""
    return python_slugify(unquote(text), max_length=max_length, word_boundary=True) or "post"


def markdown_text(text: str) -> str:
    """Text made safe to place inside Markdown: HTML escaped, Markdown syntax neutralised."""
    return html.escape(text, quote=False).translate(_MARKDOWN_ESCAPES)


def blank(text: str, pattern: re.Pattern = _CODE) -> str:
    """`text` with every match of `pattern` (by default code, fenced or inline) replaced by
    spaces, keeping lines and columns: what is left is read as Markdown."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)
