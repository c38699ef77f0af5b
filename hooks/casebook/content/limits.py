"""Limits on what a source may hold: structures so deep or dense that rendering them would
be slow or exhaust Python's stack. Real content stays far below every one."""

from __future__ import annotations

import itertools
import re

MAX_HTML_DEPTH = 100
MAX_INDENT = 200
MAX_EMPHASIS_RUN = 500
MAX_MARKS = 50_000
MAX_RESCAN = 2_000_000
"""Limits of `check_body` and `dense_markup`: Python-Markdown exhausts Python's stack at about
330 nested `markdown` blocks or admonitions, 500 nested list levels or 2,000 emphasis marks in
a row; nh3 slows down with the square of the HTML depth (16 s at 100,000 levels).
Python-Markdown's inline processing copies the paragraph once for each mark it handles: 50,000
marks in one paragraph take 1 to 4 s (escapes are the slowest), a paragraph of 5,000 links
holds about 35,000. Worse, it reads the text after a `[` (or the `(` of a link) to its match,
and html.parser the text after a `<tag` to the next `>`: an opener left open is read to the
end of the paragraph or post, once per opener (20,000 `[` took a minute). `rescanned` counts
those characters. Real content stays far below: 8 levels, 16 columns, 6 marks in a row, 371
marks in a paragraph, 120,000 characters read again (a 950 kB post)."""
_MARKS = re.compile(r"[\\`*_{}\[\]()#+!|~<>&-]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKET = re.compile(r"(?<!\\)[\[\]()]")
_TAG_START = re.compile(r"<(?:[a-zA-Z]|/[a-zA-Z])")
_START_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*+)[^<>]*?(/?)>")
"""A tag; the name is possessive (`*+`), as giving it back a character at a time to find a
word boundary made `<a-a-a-…` quadratic."""
_NOT_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr "  # void
    "p li dt dd tr td th thead tbody tfoot option".split()  # closed by their next sibling
)
_EMPHASIS_RUN = re.compile(rf"[*_]{{{MAX_EMPHASIS_RUN + 1},}}")
_DEEP_INDENT = re.compile(rf"\n[ \t]{{{MAX_INDENT // 4 + 1}}}")
"""A line that `check_body` measures, indented by more than a quarter of `MAX_INDENT` spaces or
tabs; searched in `"\\n" + body`, as a leading `\\n` is far faster for the regex engine than `^`."""


def check_body(body: str) -> list[tuple[int, str, str]]:
    """(line in `body`, message, hint) for structures nested so deep that rendering would be
    slow or exhaust Python's stack: HTML elements, indentation (nested lists, blocks) and runs
    of emphasis marks. Real posts stay far below the limits (8 levels, 16 columns, 6 marks).
    Each check first asks a quick question (enough `<`? a deep indent anywhere?), so that
    most posts skip the slow part."""
    problems = []
    stack = []
    for match in _HTML_TAG.finditer(body) if body.count("<") > MAX_HTML_DEPTH else ():
        closing, name = match.group(1), match.group(2).lower()
        if name in _NOT_NESTING or match.group(3):
            continue
        if not closing:
            stack.append(name)
            if len(stack) > MAX_HTML_DEPTH:
                line = body.count("\n", 0, match.start()) + 1
                message = f"the HTML is nested more than {MAX_HTML_DEPTH} elements deep"
                problems.append((line, message, "close the elements you open, or flatten the markup"))
                break
        elif name in stack:
            while stack.pop() != name:
                pass
    for number, line in enumerate(body.split("\n"), start=1) if _DEEP_INDENT.search("\n" + body) else ():
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > MAX_INDENT // 4 and len(line[:indent].expandtabs(4)) > MAX_INDENT:
            problems.append((number, f"the line is indented more than {MAX_INDENT} columns", "indent it less"))
            break
    run = _EMPHASIS_RUN.search(body) if body.count("*") + body.count("_") > MAX_EMPHASIS_RUN else None
    if run:
        line = body.count("\n", 0, run.start()) + 1
        problems.append((line, f"a run of more than {MAX_EMPHASIS_RUN} * or _ marks", "shorten it"))
    bad = NOT_TEXT.search(body)
    if bad:
        line = body.count("\n", 0, bad.start()) + 1
        problems.append(
            (line, f"the text holds the character {not_text(bad.group())}, which is not text", NOT_TEXT_HINT)
        )
    dense = _dense_paragraph(body)
    if dense:
        problems.append((dense, f"a paragraph with more than {MAX_MARKS} Markdown or HTML marks", DENSE_HINT))
    rescan = rescanned(body)
    if rescan:
        message = f"brackets or tags left open make Markdown read more than {MAX_RESCAN:,} characters again"
        problems.append((rescan, message, "close them, or escape an opening one with a backslash (\\[, \\<)"))
    tags = _START_TAG.finditer(body) if "markdown" in body.lower() else ()
    attribute = next((tag for tag in tags if _has_markdown_attribute(tag.group())), None)
    if attribute:
        # Python-Markdown's md_in_html takes minutes over some unbalanced HTML inside such blocks.
        problems.append(
            (
                body.count("\n", 0, attribute.start()) + 1,
                "HTML with a `markdown` attribute is not supported in posts",
                "remove the attribute, and write the Markdown outside the HTML element",
            )
        )
    return problems


def _has_markdown_attribute(tag: str) -> bool:
    return re.search(r"\smarkdown\b", _QUOTED.sub('""', tag), re.I) is not None


NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 does not allow (control characters, lone surrogates, U+FFFE, U+FFFF):
no page, feed or search record can carry them, so a source holding one is refused."""
NOT_TEXT_HINT = "delete it: it is not text, often a leftover of a copy and paste"


def not_text(text: str) -> str:
    """How the first character of `text` that is not text is written (`U+0000`), or ""."""
    found = NOT_TEXT.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


DENSE_HINT = "split it into paragraphs, or remove repeated marks: Markdown slows down on such text"


def dense_markup(text: str) -> int | None:
    """The line of the first paragraph of `text` with more than `MAX_MARKS` Markdown or HTML
    marks (`\\ * _ [ ] ( ) < > & -`...), or of the opener that `rescanned` finds, or None."""
    return _dense_paragraph(text) or rescanned(text)


def _dense_paragraph(text: str) -> int | None:
    if len(text) <= MAX_MARKS:
        return None
    start = 0
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if len(paragraph) > MAX_MARKS and len(_MARKS.findall(paragraph)) > MAX_MARKS:
            return text.count("\n", 0, text.find(paragraph, start)) + 1
        start += len(paragraph)
    return None


def rescanned(text: str) -> int | None:
    """The line of the opener in `text` past which Markdown would have read more than
    `MAX_RESCAN` characters again (see `MAX_RESCAN`), or None. Each `[`, and each `(` right
    after a `]`, counts the characters to the end of its paragraph if it is left open, to its
    match if brackets are nested inside; each `<tag` or `</tag` left open (another starts
    before the next `>`) those to the next `>` of the post."""
    read = 0
    start = 0
    for paragraph in _PARAGRAPH_BREAK.split(text) if "[" in text else ():
        stack = []  # (bracket, where, whether it counts)
        previous = -1  # where the last bracket was
        for match in _BRACKET.finditer(paragraph):
            mark, where = match.group(), match.start()
            if mark in "[(":
                stack.append((mark, where, mark == "[" or paragraph[where - 1 : where] == "]"))
                continue
            opening = "[" if mark == "]" else "("
            while stack and stack[-1][0] != opening:  # a bracket of the other kind left open inside
                read += _read_to(stack.pop(), len(paragraph))
            if stack and stack[-1][1] < previous:  # read to its match over other brackets
                read += _read_to(stack.pop(), where)
            elif stack:
                stack.pop()
            previous = where
            if read > MAX_RESCAN:
                return text.count("\n", 0, text.find(paragraph, start)) + paragraph.count("\n", 0, where) + 1
        read += sum(_read_to(opener, len(paragraph)) for opener in stack)
        if read > MAX_RESCAN:
            return text.count("\n", 0, text.find(paragraph, start)) + 1
        start += len(paragraph)
    starts = [match.start() for match in _TAG_START.finditer(text)] if "<" in text else []
    close = -1
    for start, after in itertools.pairwise([*starts, len(text)]):
        if close < start:
            close = text.find(">", start)
            close = len(text) if close < 0 else close
        if close > after:  # left open: read again from the next one
            read += close - start
        if read > MAX_RESCAN:
            return text.count("\n", 0, start) + 1
    return None


def _read_to(opener: tuple[str, int, bool], end: int) -> int:
    return end - opener[1] if opener[2] else 0
