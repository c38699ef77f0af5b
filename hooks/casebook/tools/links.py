"""Link integrity of a built site: every internal link and `#anchor` in its HTML resolves,
and every redirect page lands on a page that exists. External links are not checked."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = frozenset({"href", "src", "xlink:href", "action", "poster"})
"""Attributes holding one URL. `srcset` and CSS `url()` are not read (the site has neither in
its HTML)."""
MAX_REDIRECTS = 5
_REFRESH = re.compile(r"^\s*\d+\s*;\s*url\s*=(.*)", re.I | re.S)
"""A refresh's URL, stripped afterwards: a lazy group before `\\s*$` retried the spaces from
every position of a long run."""
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True, slots=True, order=True)
class BrokenLink:
    """A link of the page at `page` (a path in the site) that does not resolve."""

    page: str
    link: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} -> {self.problem}"


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    refresh: str | None = None


def check_links(site_dir: Path, site_url: str | None = None, ignore: tuple[str, ...] = ()) -> list[BrokenLink]:
    """Every internal link of every HTML page under `site_dir` that does not resolve, sorted.
    Links to `site_url` (the address the site is published at, e.g. `https://org.github.io/repo/`)
    and root-relative links under its path count as internal; when it is None, it is read from
    the site's sitemap. Links matching one of the `ignore` regular expressions are not checked."""
    skip = re.compile("|".join(f"(?:{pattern})" for pattern in ignore)) if ignore else None
    site_url = site_url if site_url is not None else published_url(site_dir)
    base = urlsplit(site_url).path if site_url else "/"
    base = base if base.endswith("/") else base + "/"
    pages = {path.relative_to(site_dir).as_posix(): _read(path) for path in sorted(site_dir.rglob("*.html"))}
    broken = []
    for name, page in pages.items():
        for link in page.links:
            if skip and skip.search(link):
                continue
            problem = _check(site_dir, pages, name, link, site_url, base)
            if problem:
                broken.append(BrokenLink(name, link, problem))
        if page.refresh is not None:
            problem = _check(site_dir, pages, name, page.refresh, site_url, base, redirect=True)
            if problem:
                broken.append(BrokenLink(name, page.refresh, f"redirect: {problem}"))
    return sorted(set(broken))


def published_url(site_dir: Path) -> str:
    """The address the site was built for (MkDocs' `site_url`): the shortest `<loc>` of its
    sitemap, the home page's, when every other one starts with it; "" when there is none."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return ""
    locs = re.findall(r"<loc>\s*(https?://[^<\s]+)\s*</loc>", sitemap.read_text(encoding="utf-8", errors="replace"))
    home = min(locs, key=len, default="")
    return home if home.endswith("/") and all(loc.startswith(home) for loc in locs) else ""


def _check(
    site_dir: Path, pages: dict[str, _Page], name: str, link: str, site_url: str, base: str, redirect: bool = False
) -> str:
    """Why `link`, found on page `name`, does not resolve, or "" (also for external links). A
    link to a redirect page is fine (that page's own redirect is checked); a redirect is
    followed through any further redirects to the page it lands on."""
    for _ in range(MAX_REDIRECTS):
        target, fragment = _resolve(name, link, site_url, base)
        if target is None:
            return fragment  # "" for an external link
        target = target + "index.html" if target.endswith("/") or not target else target
        if (site_dir / target).is_dir():
            target += "/index.html"
        if not (site_dir / target).is_file():
            return f"no such file: {target}"
        page = pages.get(target)
        if page is None:
            return ""
        if page.refresh is None or not redirect:
            return (
                f"no element with id '{fragment}' in {target}"
                if fragment and page.refresh is None and fragment not in page.ids
                else ""
            )
        name, link = target, page.refresh
    return f"more than {MAX_REDIRECTS} redirects in a row"


def _resolve(name: str, link: str, site_url: str, base: str) -> tuple[str | None, str]:
    """(path inside the site or None, fragment); None with a reason (or "" for external links)."""
    link = link.strip()
    if site_url and link.startswith(site_url):
        link = base + link[len(site_url) :]
    if link.startswith("//") or _SCHEME.match(link):
        return None, ""
    parts = urlsplit(link)
    fragment = unquote(parts.fragment)
    path = unquote(parts.path)
    if not path:
        return name, fragment
    if path.startswith("/"):
        if not path.startswith(base):
            return None, f"outside the site, which is published under {base}"
        path = path[len(base) :]
    else:
        path = posixpath.join(posixpath.dirname(name), path)
    normal = posixpath.normpath(path) if path else ""
    if normal == ".":
        normal = ""
    if normal.startswith(".."):
        return None, "leads out of the site folder"
    return normal + ("/" if path.endswith("/") and normal else ""), fragment


def _read(path: Path) -> _Page:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.page


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.page.ids.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.page.ids.add(attributes["name"])
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH.match(attributes.get("content") or "")
            if match and match.group(1).strip():
                self.page.refresh = match.group(1).strip().strip("'\"")
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value is not None:
                self.page.links.append(value)

    handle_startendtag = handle_starttag
