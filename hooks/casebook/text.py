"""Text helpers every layer uses: readable text from markup, slugs, Markdown-safe text."""

from __future__ import annotations

import bisect
import html
import re
from urllib.parse import unquote

from slugify import slugify as python_slugify

_ANY_TAG = re.compile(r"<[^>]*>")
_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)")
"""An innermost link or image, its text in group 1; the target may hold one pair of brackets
(`Foo_(bar)`). Each try stops at the next bracket, so a flood of `[` or `](` costs one pass."""
_LINK_DEPTH = 4
"""Passes of `_LINK` in `plain_text`: an image in a link (`[![image](src)](href)`) takes two,
the deepest real posts have; deeper nesting keeps its inner marks in a summary."""
_EMPHASIS_MARKS = re.compile(r"[*_>`]+|(?<!&)#+")
"""Marks that `plain_text` drops; not the # of entities (&#8217;)."""
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*")
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
    text = without_tags(markup, " ")
    for _ in range(_LINK_DEPTH):
        if "](" not in text:  # most paragraphs have no link: skip the pattern (and a Python call per link)
            break
        text, count = _LINK.subn(lambda link: link.group(1), text)  # again for `[![image](src)](href)`
        if not count:
            break
    text = html.unescape(_EMPHASIS_MARKS.sub("", text))
    return " ".join(text.split())


def without_tags(markup: str, replacement: str) -> str:
    """`markup` with each `<...>` replaced by `replacement`. The pattern runs only up to the
    last `>`: a `<` after it never closes, and trying each of many such `<` would scan to the
    end from every one (200 kB of `<` took 90 s)."""
    end = markup.rfind(">") + 1
    return _ANY_TAG.sub(replacement, markup[:end]) + markup[end:]


def slugify(text: str, max_length: int = 0) -> str:
    """A URL slug from a file name or title, transliterated by python-slugify: `cio-%e2%89%a0-chief_x`
    -> `cio-chief-x`, `東京` -> `dong-jing`; at most `max_length` characters, cut between words."""
    return python_slugify(unquote(text), max_length=max_length, word_boundary=True) or "post"


def markdown_text(text: str) -> str:
    """Text made safe to place inside Markdown: HTML escaped, Markdown syntax neutralised."""
    return html.escape(text, quote=False).translate(_MARKDOWN_ESCAPES)


def blank(text: str, pattern: re.Pattern) -> str:
    """`text` with every match of `pattern` replaced by spaces, keeping lines and columns."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)


def blank_code(text: str) -> str:
    """`text` with its fenced code blocks and code spans, where Markdown's links and images are
    only text, blanked as `blank` does: what is left is read as Markdown."""
    return blank(_blank_fenced_code(text), _INLINE_CODE)


def _blank_fenced_code(text: str) -> str:
    """`text` with each fenced code block (from a line opening with ``` or ~~~ to the next line
    holding just the same fence) blanked; a fence never closed is not code. Line by line, with
    the lines where each fence closes found once, rather than a pattern that looked for the
    closing line from every opening one (quadratic on unclosed fences)."""
    lines = text.split("\n")
    closing = {}  # fence -> the numbers of the lines holding just it, in order
    for number, line in enumerate(lines):
        if line[:3] in ("```", "~~~") and _FENCE.fullmatch(line):
            closing.setdefault(line.rstrip(" \t"), []).append(number)
    number = 0
    while number < len(lines):
        line = lines[number]
        fence = _FENCE.match(line) if line[:3] in ("```", "~~~") else None
        closers = closing.get(fence.group(1), []) if fence else []
        after = bisect.bisect_right(closers, number)
        if after < len(closers):
            end = closers[after]
            lines[number : end + 1] = [" " * len(blanked) for blanked in lines[number : end + 1]]
            number = end
        number += 1
    return "\n".join(lines)
