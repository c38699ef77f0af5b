"""What the checks report to contributors beside the build's problems: images without alt
text or over http, and problems as GitHub annotations on the lines of a pull request."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..model import Problem
from ..text import blank, blank_code

# Images without alt text or over http (legacy posts have many): worth fixing, but no reason to
# fail a build.

_FRONT_MATTER = re.compile(r"\A---[^\n]*\n.*?^-{3,}[ \t]*$", re.M | re.S)
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_ALT = re.compile(r"""\salt(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?(?=[\s/>])""", re.I)
_EMPTY_MARKDOWN_ALT = re.compile(r"!\[\s*\](?=[(\[])")
HTML_ALT_HINT = 'add alt="..." saying what the image shows'
MARKDOWN_ALT_HINT = "write what the image shows between the brackets: ![...](...)"
_HTTP_SRC = re.compile(r"""\ssrc\s*=\s*["']?http://|\ssrcset\s*=\s*(["'])[^"']*?(?<![^\s,"'])http://""", re.I)
_HTTP_MARKDOWN_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([ \t]*<?http://", re.I)
"""Alt text with no brackets in it: scanning stops at the next `![`, so the search stays linear."""
HTTP_MESSAGE = "an image over http (mixed content on an https site)"
HTTP_HINT = "link it with https:// if its host serves it there, or copy it into the site"


def missing_alt_text(text: str, source: str) -> list[Problem]:
    """Every `<img>` without alt text (no `alt`, or `alt=""`) and every Markdown `![](...)` in
    `text`, outside front matter and code, at its line and column."""
    masked = _without_code(text)
    found = []
    for match in _IMG_TAG.finditer(masked, 0, masked.rfind(">") + 1):  # no `<img` after the last `>` closes
        alt = _ALT.search(match.group())
        if alt is None:
            found.append((match.start(), "an image without alt text", HTML_ALT_HINT))
        elif not html.unescape(next((g for g in alt.groups() if g is not None), "")).strip():
            found.append((match.start(), "an image with empty alt text", HTML_ALT_HINT))
    for match in _EMPTY_MARKDOWN_ALT.finditer(masked):
        found.append((match.start(), "an image without alt text", MARKDOWN_ALT_HINT))
    return _at_lines(masked, source, found)


def images_over_http(text: str, source: str) -> list[Problem]:
    """Every image of `text` loaded over `http://` (`<img src>`, `srcset`, Markdown), outside
    front matter and code, at its line and column: browsers block or flag it on an https page."""
    masked = _without_code(text)
    starts = [match.start() for match in _HTTP_MARKDOWN_IMAGE.finditer(masked)]
    starts += [
        match.start()
        for match in _IMG_TAG.finditer(masked, 0, masked.rfind(">") + 1)
        if _HTTP_SRC.search(match.group())
    ]
    return _at_lines(masked, source, [(start, HTTP_MESSAGE, HTTP_HINT) for start in starts])


def _without_code(text: str) -> str:
    """`text` with its front matter, fenced code and inline code blanked (`text.blank_code`)."""
    return blank_code(blank(text, _FRONT_MATTER))


def _at_lines(text: str, source: str, found: list[tuple[int, str, str]]) -> list[Problem]:
    """A problem for each (offset in `text`, message, hint), at its line and column, in order."""
    return [
        Problem(source, text.count("\n", 0, start) + 1, message, hint, start - text.rfind("\n", 0, start))
        for start, message, hint in sorted(found)
    ]


# GitHub workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions


def annotation(level: str, problem: Problem) -> str:
    """`::error file=posts/x.md,line=3::message (hint)`: a workflow command that GitHub shows
    on that line of a pull request. `level` is error, warning or notice."""
    properties = {"file": problem.path}
    if problem.line is not None:
        properties["line"] = str(problem.line)
        if problem.column is not None:
            properties["col"] = str(problem.column)
    message = f"{problem.message} ({problem.hint})" if problem.hint else problem.message
    fields = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    return f"::{level} {fields}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (`escapeData`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub's toolkit does (`escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def in_paths(problem: Problem, paths: Iterable[str]) -> bool:
    """Whether `problem` is in one of `paths`, files or folders relative to the project root
    (`.` is the whole project); every problem is when there are no paths."""
    paths = [path.rstrip("/") for path in paths]
    return not paths or any(
        path in ("", ".") or problem.path == path or problem.path.startswith(path + "/") for path in paths
    )
