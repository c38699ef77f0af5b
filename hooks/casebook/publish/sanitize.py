"""Allowlist sanitising of the HTML rendered from contributed content (posts, case studies,
and the listings that quote them), with `nh3` (the Rust `ammonia` sanitiser).

What is kept: the markup of prose, tables, images, figures and captions, lists and
definition lists, headings with their ids and permalinks, and what our templates and
Material's Markdown extensions produce (admonitions, grids, `time`, `nav`, `aside`...).
What is removed: scripts and styles with their content, event handlers and any attribute not
listed, `javascript:`/`vbscript:`/`data:` URLs (`data:` raster images excepted), `object`,
`embed`, `form` and its fields, and iframes except from the hosts in `iframe_hosts`. Inline
`style` keeps only declarations of layout and typography properties whose values are plain
words, numbers, colours and lengths: no `url(...)`, `expression(...)`, escapes or quotes, and
no `position` (content must not be able to overlay the site's own interface).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache, partial
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from ..urls import WEB_URL

TAGS = frozenset(nh3.ALLOWED_TAGS) | {"iframe", "section", "main", "tfoot", "figure", "figcaption", "caption"}
GENERIC_ATTRIBUTES = frozenset(
    {"id", "class", "title", "dir", "lang", "role", "style", "aria-label", "aria-hidden", "aria-describedby"}
)
ATTRIBUTES = {
    "a": {"href", "hreflang", "name", "rel", "target"},
    "img": {"src", "alt", "width", "height", "align", "border", "hspace", "vspace", "loading"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "frameborder", "loading", "referrerpolicy"},
    "table": {"align", "border", "cellpadding", "cellspacing", "summary", "width"},
    "td": {"align", "colspan", "headers", "rowspan", "valign", "width", "height"},
    "th": {"align", "colspan", "headers", "rowspan", "scope", "valign", "width", "height"},
    "tr": {"align", "valign"},
    "thead": {"align", "valign"},
    "tbody": {"align", "valign"},
    "tfoot": {"align", "valign"},
    "col": {"align", "span", "width"},
    "colgroup": {"align", "span", "width"},
    "ol": {"start", "reversed", "type"},
    "ul": {"type"},
    "li": {"value"},
    "time": {"datetime"},
    "ins": {"cite", "datetime"},
    "del": {"cite", "datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "data": {"value"},
    "details": {"open"},
    "hr": {"align", "size", "width"},
    "div": {"align"},
    "p": {"align"},
    "h1": {"align"},
    "h2": {"align"},
    "h3": {"align"},
    "h4": {"align"},
    "h5": {"align"},
    "h6": {"align"},
}
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "object", "embed", "applet", "noembed", "noframes"})
"""Removed with everything inside them; other tags not in `TAGS` are removed but keep their text."""
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel", "data"})
"""`data:` passes here so that the attribute filter can keep raster images and drop the rest."""
STYLE_PROPERTIES = frozenset(
    {
        "background-color",
        "border",
        "border-bottom",
        "border-collapse",
        "border-color",
        "border-left",
        "border-right",
        "border-spacing",
        "border-style",
        "border-top",
        "border-width",
        "clear",
        "color",
        "direction",
        "display",
        "float",
        "font-size",
        "font-style",
        "font-weight",
        "height",
        "letter-spacing",
        "line-height",
        "list-style-type",
        "margin",
        "margin-bottom",
        "margin-left",
        "margin-right",
        "margin-top",
        "max-height",
        "max-width",
        "min-height",
        "min-width",
        "opacity",
        "overflow",
        "overflow-x",
        "overflow-y",
        "padding",
        "padding-bottom",
        "padding-left",
        "padding-right",
        "padding-top",
        "text-align",
        "text-decoration",
        "text-indent",
        "text-transform",
        "vertical-align",
        "white-space",
        "width",
    }
)
_STYLE_VALUE = re.compile(r"^(?:[#\w.%+!-]|(?:rgba?|hsla?)\([\d\s.,%]+\)|[\s,])+$", re.ASCII)
"""A plain CSS value, a character or a colour function at a time: a `+` inside the repeated group
let 30 letters before a stray mark try every way of splitting them (minutes for one style)."""
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpe?g|webp|avif);base64,[A-Za-z0-9+/=\s]+$", re.I)
_IFRAME = re.compile(r"<iframe\b([^<>]*)>.*?</iframe>", re.S)
"""An iframe in nh3's output, where every `<iframe>` is closed and no tag holds a `<`."""
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_NOSCRIPT = re.compile(r"</?noscript\b[^>]*>", re.IGNORECASE)
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_TRIMMED = "".join(map(chr, range(0x21)))
TRUSTED_PAGES = frozenset({"index.md"})
"""Generated pages left as they are: the home page (`render.HOME`) is made from our own
template and escaped values only, and carries the timeline's inline SVG, which the allowlist
does not cover. (Not imported from render, which imports the loaders, which import this.)"""
PROTECTED_ID_PREFIX = "__"
"""Material's own elements have ids such as `__config`, `__search`, `__drawer`: content must not
reuse them, or the theme's scripts would find the content's element instead of their own."""


def sanitize_page(html: str, src_uri: str, iframe_hosts: Iterable[str] = ()) -> str:
    """The HTML of a generated page, sanitised unless it is one of `TRUSTED_PAGES`."""
    return html if src_uri in TRUSTED_PAGES else sanitize_html(html, iframe_hosts)


def sanitize_html(html: str, iframe_hosts: Iterable[str] = ()) -> str:
    """`html` with everything outside the allowlist removed; iframes are kept only when their
    `src` is on one of `iframe_hosts` (e.g. `www.youtube-nocookie.com`)."""
    # Scripts never run in the content, so what it shows readers without them is what it shows:
    # `<noscript>` is unwrapped (browsers would read its content as text, not markup).
    end = html.rfind(">") + 1  # a `<noscript` after the last `>` never closes: don't try each
    unwrapped = _NOSCRIPT.sub("", html[:end]) + html[end:]
    cleaned = _cleaner(frozenset(host.lower() for host in iframe_hosts)).clean(unwrapped)
    # An iframe whose `src` was refused is an empty box: drop it. The content of a kept one
    # is fallback text that browsers never parse as markup: drop that too.
    cleaned = _IFRAME.sub(lambda m: f"<iframe{m.group(1)}></iframe>" if ' src="' in m.group(1) else "", cleaned)
    return _keep_references(html, cleaned)


@lru_cache(maxsize=8)
def _cleaner(iframe_hosts: frozenset[str]) -> nh3.Cleaner:
    """The allowlist as an nh3 cleaner, made once for each set of iframe hosts, not per page."""
    return nh3.Cleaner(
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={"*": set(GENERIC_ATTRIBUTES), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
        attribute_filter=partial(filter_attribute, iframe_hosts=iframe_hosts),
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def _keep_references(html: str, cleaned: str) -> str:
    """`cleaned` with the non-ASCII characters that `html` wrote as references (`&#8211;`,
    `&para;`) written that way again: nh3 decodes them, and re-encoding keeps a page that lost
    nothing identical to what it was, so that a diff shows only what was removed. Safe: a
    reference means the same character in text and in attribute values, the only places
    where non-ASCII characters can be in nh3's output."""
    references = {}
    for reference in dict.fromkeys(_REFERENCE.findall(html)):  # the first of `&ndash;`, `&#8211;` wins
        character = unescape(reference)
        if len(character) == 1 and ord(character) > 127 and character != "\xa0":
            references.setdefault(character, reference)
    # One `replace` per character: `str.translate` with a dict looks up every character of
    # the page, 60 times slower. Same result, as no reference contains a non-ASCII character.
    for character, reference in references.items():
        cleaned = cleaned.replace(character, reference)
    return cleaned


def filter_attribute(tag: str, name: str, value: str, iframe_hosts: frozenset[str]) -> str | None:
    """The value to keep for an allowed attribute, or None to drop it (nh3 has already
    checked URL schemes)."""
    if name == "style":
        return filter_style(value)
    if name in ("id", "name"):
        return value if value.strip() and not value.startswith(PROTECTED_ID_PREFIX) else None
    if name == "target":
        return "_blank" if value.strip().lower() == "_blank" else None
    if name == "src" and tag == "iframe":
        return iframe_src(value, iframe_hosts)
    if name in ("href", "src") and url_text(value).lower().startswith("data:"):
        return value if tag == "img" and name == "src" and _DATA_IMAGE.match(url_text(value)) else None
    if name == "cite":  # nh3 checks the schemes of href and src only
        scheme = _SCHEME.match(url_text(value))
        return None if scheme and scheme.group(1).lower() not in URL_SCHEMES - {"data"} else value
    return value


def url_text(value: str) -> str:
    """A URL attribute as browsers read it: tabs and newlines removed anywhere, control
    characters and spaces trimmed from both ends (https://url.spec.whatwg.org/)."""
    return _URL_IGNORED.sub("", value).strip(_URL_TRIMMED)


def filter_style(style: str) -> str | None:
    """The declarations of `style` on `STYLE_PROPERTIES` with plain values, or None if none is left."""
    kept = []
    for declaration in style.split(";"):
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if colon and prop in STYLE_PROPERTIES and value and _STYLE_VALUE.match(value):
            kept.append(f"{prop}: {value}")
    return "; ".join(kept) or None


def iframe_src(value: str, iframe_hosts: frozenset[str]) -> str | None:
    """An iframe's `src` as an https URL when its host is allowed, else None."""
    url = value.strip()
    if url.startswith("//"):
        url = "https:" + url
    if not WEB_URL.match(url):  # a backslash, say, which browsers read as a slash and urlsplit does not
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or (parts.hostname or "") not in iframe_hosts:
        return None
    return "https:" + url.split(":", 1)[1]


def count_removals(html: str, cleaned: str) -> Counter[str]:
    """What sanitising took out of `html` to give `cleaned`, counted by kind: `<script>` for
    elements, `img@onerror` for attributes, `url:javascript` for URLs (their attribute
    dropped), `style:position` for declarations of inline styles."""
    before, after = _Inventory(), _Inventory()
    for inventory, text in ((before, html), (after, cleaned)):
        inventory.feed(text)
        inventory.close()
    return before.items - after.items


class _Inventory(HTMLParser):
    """Counts the elements, attributes, URL schemes and style declarations of an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        self.items[f"<{tag}>"] += 1
        for name, value in dict(reversed(attrs)).items():  # a repeated attribute: the first counts, as in browsers
            self.items[f"{tag}@{name}"] += 1
            value = (value or "").strip()
            if name in ("href", "src") and re.match(r"^[a-zA-Z][\w+.-]*:", value):
                self.items[f"url:{value.split(':', 1)[0].lower()}"] += 1
            if name == "style":
                for declaration in value.split(";"):
                    if ":" in declaration:
                        self.items[f"style:{declaration.split(':', 1)[0].strip().lower()}"] += 1


__all__ = ["count_removals", "filter_style", "sanitize_html", "sanitize_page"]
