"""Where things are on the site: the URL of each generated or hand-written page, the file it
becomes, and relative links between pages."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""The file names MkDocs treats as pages."""
WEB_URL = re.compile(r"^https?://[^\s\"'<>\\`\x00-\x1f\x7f]+$", re.I)


def src_uri_to_url(src_uri: str) -> str:
    """`blog/2015/01/x.md` -> `blog/2015/01/x/`, `blog/index.md` -> `blog/`, as MkDocs does."""
    stem = src_uri.removesuffix(".md")
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def docs_url(name: str) -> str:
    """The URL MkDocs gives a file of docs/ (its path in docs/): a page's folder URL, where
    `README` stands for `index` (`about/README.md` -> `about/`); any other file's own path."""
    stem, suffix = posixpath.splitext(name)
    if suffix not in MARKDOWN_SUFFIXES:
        return name
    folder, base = posixpath.split(stem)
    return src_uri_to_url(posixpath.join(folder, "index" if base == "README" else base) + ".md")


def output_path(src_uri: str) -> str:
    """The file that a generated `src_uri` becomes in the site folder (directory URLs)."""
    return src_uri_to_url(src_uri) + "index.html" if src_uri.endswith(".md") else src_uri


def file_url(src_uri: str) -> str:
    """The URL of a generated file, relative to the site root: `blog/2015/01/x/`, `api/terms.json`."""
    if src_uri.endswith(".md"):
        return src_uri_to_url(src_uri)
    return src_uri.removesuffix("index.html") if src_uri.endswith("/index.html") else src_uri


def redirect_uri(alias: str) -> str:
    """Where the redirect page of a legacy path goes: `/2015/01/20/x/` -> `2015/01/20/x/index.html`."""
    return alias.lstrip("/") + ("index.html" if alias.endswith("/") else "")


def is_web_url(value: str) -> bool:
    """Whether `value` is an absolute http(s) URL that is safe to place in an `href`: no spaces,
    quotes, angle brackets, backslashes or control characters."""
    return bool(WEB_URL.match(value)) and bool(urlsplit(value).netloc)


def link(from_src_uri: str, to_src_uri: str) -> str:
    """A Markdown link target from one page's source to another's (MkDocs checks and
    rewrites these, and so does any engine that reads Markdown sources)."""
    start = posixpath.dirname(from_src_uri)
    relative = _relative(to_src_uri, start) if to_src_uri else ""  # relpath refuses an empty path
    return relative or posixpath.relpath(to_src_uri, start or ".")


def href(from_src_uri: str, to_src_uri: str) -> str:
    """A relative URL for raw HTML, from the page built from `from_src_uri` (a page or a
    static file) to the page built from `to_src_uri`; relative so that the site also works
    under a sub-path such as GitHub Pages' /REPO/."""
    if from_src_uri.endswith(".md"):
        from_dir = src_uri_to_url(from_src_uri)
    else:
        from_dir = posixpath.dirname(from_src_uri) + "/"
    target = src_uri_to_url(to_src_uri) if to_src_uri.endswith(".md") else to_src_uri
    relative = _relative(target, from_dir) or posixpath.relpath("/" + target, "/" + from_dir)
    return "./" if relative == "." else relative + ("/" if target.endswith("/") else "")


def _relative(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for plain paths inside the site, ten times faster (the
    pages of a build ask for some 30,000 links); "" when either path is not plain."""
    parts, start_parts = _segments(path), _segments(start)
    if parts is None or start_parts is None:
        return ""
    common = 0
    for part, start_part in zip(parts, start_parts, strict=False):
        if part != start_part:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + parts[common:]) or "."


def _segments(path: str) -> list[str] | None:
    """The segments of `a/b.md` or `a/b/` (`""` is the site's root), or None unless the path
    is plain: relative, with no empty, `.` or `..` segment, which relpath would normalise."""
    if path.startswith("/"):
        return None
    path = path.removesuffix("/")
    parts = path.split("/") if path else []
    return None if "" in parts or "." in parts or ".." in parts else parts
