"""Repairs of an imported post's body, made on the reader's behalf and each noted: Liquid
tags resolved or removed, WordPress caption shortcodes expanded, indented HTML that Markdown
would show as code unindented, links into the old sites pointed at the posts' new pages, and
images moved from http to https where their host is known to serve both."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import ftfy

from ..content.dialects import file_date, legacy_paths
from ..urls import href, link

# Kinds of notes of the repairs; the importer adds its own.
MOJIBAKE = "mojibake repaired"
HOTLINKED = "hotlinked image"
LINK_LEFT = "link left as is"
LIQUID_REMOVED = "liquid removed"
LINK_TO_POST = "link to imported post"
LINK_REPAIRED = "link repaired"
LIQUID_RESOLVED = "liquid resolved"
CAPTION = "caption shortcode"
UNINDENTED = "indented html"
IMAGE_UPGRADED = "image upgraded to https"
HTTP_IMAGE = "image over http (mixed content on an https site)"

HTTPS_IMAGE_HOSTS = frozenset(
    {
        "farm3.staticflickr.com",
        "farm4.staticflickr.com",
        "farm8.staticflickr.com",
        "farm9.staticflickr.com",
        "www.codeforamerica.org",
    }
)
"""Hosts whose `http://` images may be asked for over `https://` instead: those the archive
itself shows serving images over both, i.e. every host that images in posts/ name with both
`http://` and `https://`. Other hosts are left on http and reported: a guess breaks images."""

HTML_TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>\s[^<>]*)>")
# A value may be quoted twice over (`href=""https://x""`), a quirk of some exports, or not
# quoted at all (`href=&#8221;https://x&#8221;`, quotes WordPress turned into entities).
HTML_LINK = re.compile(
    r"(?P<lead>\s(?P<attr>href|src)\s*=\s*)"
    r"(?:(?P<q>[\"'])(?P<value>\"[^\"<>]*\"|.*?)(?P=q)|(?P<bare>[^\s\"'=<>`]+))",
    re.IGNORECASE | re.DOTALL,
)
SRCSET = re.compile(r"(?P<lead>\ssrcset\s*=\s*)(?P<q>[\"'])(?P<value>.*?)(?P=q)", re.IGNORECASE | re.DOTALL)
SRCSET_URL = re.compile(r"(?<![^\s,])[a-zA-Z][\w+.-]*://\S*[^\s,]")
"""An address in a `srcset` list (`a.jpg 1x, b.jpg 2x`): it ends at a space or a final comma."""
MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\((?P<lead>[ \t]*+)(?P<target>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?P<rest>(?:[ \t]++(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*+)\)"
)
"""A Markdown link; the runs of spaces are possessive (`*+`), since sharing a long run between
`lead` and `rest` in every way was quadratic."""
LIQUID_ENDS = {"{{": "}}", "{%": "%}"}
"""Liquid's outputs (`{{ site.baseurl }}`) and tags (`{% post_url x %}`)."""
INDENTED_TAG = re.compile(r"^(?: {4}|\t)[ \t]*</?[a-zA-Z]")
LIST_ITEM = re.compile(r"^[ \t]*(?:[*+-]|\d+\.)[ \t]")
FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)

QUOTES = (
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "″",
    "&quot;",
    "&#34;",
    "&#39;",
    "&#8216;",
    "&#8217;",
    "&#8220;",
    "&#8221;",
    "&#8243;",
)
STRAY_OPENING = re.compile(r"^[(\[<]+(?=https?:)", re.IGNORECASE)
"""A bracket before a web address (`href="(http://x"`), left over from Markdown turned into HTML."""
MANGLED_SCHEME = re.compile(r"^(?:https?[:/]+)*(https?)[:/]+", re.IGNORECASE)
OTHER_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}$")
BARE_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+(?P<tld>[a-z]{2,})(?::\d+)?(?:[/?#]|$)", re.IGNORECASE)
RELATIVE_PATH = re.compile(r"^[\w.~%!$&'*+,;=:@/-]+(?:[?#].*)?$")
# Names that end like a host but are files: `index.html` is a relative link, not a web site.
FILE_SUFFIXES = frozenset(
    "html htm php asp aspx jsp cgi md markdown txt pdf doc docx xls xlsx ppt pptx csv json xml rss"
    " png jpg jpeg gif svg webp bmp ico tif tiff mp3 mp4 m4a mov avi wav zip gz tar js css".split()
)


@dataclass(frozen=True, slots=True)
class Note:
    """Something the importer repaired or wants a person to look at, in one source file."""

    kind: str
    source: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.source}: {self.detail}" if self.detail else self.source


@dataclass(frozen=True, slots=True)
class OldSite:
    """What is known of the sites the posts come from, to repair links into them."""

    hosts: frozenset[str]
    """Host names of the old sites, without `www.`."""
    prefixes: tuple[str, ...]
    """Paths the old blogs lived under, e.g. `/blog`."""
    pages: dict[str, str] = field(default_factory=dict)
    """Legacy path (`/2015/01/20/x/`) -> `src_uri` of the published post that now has it."""


@dataclass(frozen=True, slots=True)
class Here:
    """The post whose body is being repaired: where it was and where it will be."""

    source: str
    src_uri: str
    home: str
    """Where its old site lived, e.g. `http://www.codeforamerica.org/blog`; empty if unknown."""
    address: str
    """Its old URL, for links relative to it; empty if unknown."""


def jekyll_paths(file_name: str) -> tuple[str, ...]:
    """The URLs Jekyll gives a post file `YYYY-MM-DD-slug.md`: `/YYYY/MM/DD/slug/` (pretty) and
    `/YYYY/MM/DD/slug.html` (the default); none for a file name without a date."""
    dated = file_date(file_name.rsplit(".", 1)[0])
    if not dated:
        return ()
    day, slug = dated[0].replace("-", "/"), dated[1]
    try:
        return legacy_paths([f"/{day}/{slug}/", f"/{day}/{slug}.html"])
    except ValueError:
        return ()


def host_key(netloc: str) -> str:
    """`www.CodeForAmerica.org:80` -> `codeforamerica.org`, to compare hosts."""
    return netloc.lower().split("@")[-1].split(":")[0].removeprefix("www.")


# Bodies.


def fix_mojibake(text: str, source: str) -> tuple[str, list[Note]]:
    """`text` with its mojibake decoded back ("‚Äú" and "â€™": UTF-8 once read as Mac Roman or
    Windows-1252 and saved again), by ftfy, which knows the encodings that make it and leaves
    everything else alone."""
    fixed = ftfy.fix_encoding(text)
    if fixed == text:
        return text, []
    lines = sum(before != after for before, after in zip(text.splitlines(), fixed.splitlines(), strict=False))
    return fixed, [Note(MOJIBAKE, source, f"{lines} line{'s' if lines > 1 else ''}")]


def repair_body(body: str, here: Here, site: OldSite) -> tuple[str, list[Note]]:
    """The body with Liquid resolved, caption shortcodes expanded, indented HTML freed from
    code blocks and links repaired; a note for each change and each thing left to a person."""
    notes: list[Note] = []
    body = resolve_liquid(body, here, notes)
    body = expand_captions(body, here, notes)
    body = unindent_html(body, here, notes)
    body = repair_links(body, here, site, notes)
    body = repair_images(body, here.source, site, notes)
    return body, notes


def resolve_liquid(body: str, here: Here, notes: list[Note]) -> str:
    """Jekyll's Liquid tags resolved against the old site (`{{ site.baseurl }}`, `{{ site.url }}`,
    `relative_url`, `post_url`), or removed: a page must never show them raw."""
    parts = urlsplit(here.home)
    base = parts.path
    host = f"{parts.scheme}://{parts.netloc}" if here.home else ""

    def resolve(whole: str) -> str:
        inner = whole[2:-2].removeprefix("-").removesuffix("-").strip()
        if whole.startswith("{{"):
            name, *filters = [part.strip() for part in inner.split("|")]
            literal = name[1:-1] if len(name) > 1 and name[0] == name[-1] and name[0] in "'\"" else None
            value = {"site.baseurl": base, "site.url": host}.get(name)
            if literal is not None and filters in (["relative_url"], ["absolute_url"]):
                value = (host if filters == ["absolute_url"] else "") + base + "/" + literal.lstrip("/")
        else:
            words = inner.split()
            value = "" if words[:1] in (["raw"], ["endraw"]) else None
            if words[:1] == ["post_url"] and len(words) == 2 and jekyll_paths(words[1] + ".md"):
                value = jekyll_paths(words[1] + ".md")[0]
        if value is None:
            notes.append(Note(LIQUID_REMOVED, here.source, f"removed {' '.join(whole.split())}"))
            return ""
        notes.append(Note(LIQUID_RESOLVED, here.source, f"{' '.join(whole.split())} -> {value!r}"))
        return value

    return _replace_spans(body, _liquid_spans(body), resolve)


def _liquid_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each Liquid output and tag in `body`, left to right. By `str.find`: a
    pattern with a lazy `.*?` looked for the end from each of many unclosed `{{` (73 s for a
    90 kB post)."""
    spans = []
    starts = {opener: body.find(opener) for opener in LIQUID_ENDS}
    while any(start >= 0 for start in starts.values()):
        opener = min((opener for opener in starts if starts[opener] >= 0), key=starts.get)
        end = body.find(LIQUID_ENDS[opener], starts[opener] + 2)
        if end < 0:  # nor does any later one close
            starts[opener] = -1
            continue
        spans.append((starts[opener], end + 2))
        starts = {
            other: body.find(other, end + 2) if 0 <= start < end + 2 else start for other, start in starts.items()
        }
    return spans


def _caption_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each `[caption ...]...[/caption]` in `body`, by `str.find` as in `_liquid_spans`."""
    spans, start = [], body.find("[caption")
    while start >= 0:
        close = body.find("]", start)
        end = body.find("[/caption]", close)
        if close < 0 or end < 0:  # nor does any later one close
            break
        spans.append((start, end + len("[/caption]")))
        start = body.find("[caption", end)
    return spans


def _replace_spans(text: str, spans: list[tuple[int, int]], replace) -> str:
    """`text` with each of its `spans` (in order, apart) replaced by `replace(the span's text)`."""
    parts, done = [], 0
    for start, end in spans:
        parts += [text[done:start], replace(text[start:end])]
        done = end
    return "".join(parts) + text[done:]


def strip_quotes(text: str) -> str:
    """`text` without the `QUOTES` around it, however many. By position, not by a pattern:
    `(?:quote)+$` was tried from each quote of a long run inside the text."""
    start, end = 0, len(text)
    while quote := next((q for q in QUOTES if text.startswith(q, start, end)), ""):
        start += len(quote)
    while quote := next((q for q in QUOTES if text.endswith(q, start, end)), ""):
        end -= len(quote)
    return text[start:end]


def expand_captions(body: str, here: Here, notes: list[Note]) -> str:
    """WordPress `[caption ...]<img .../> Text[/caption]` shortcodes as the image followed by its
    caption in italics."""

    def expand(shortcode: str) -> str:
        attrs, _, content = shortcode[len("[caption") : -len("[/caption]")].partition("]")
        content = content.strip()
        attribute = re.search(r"""\bcaption=(["'])(.*?)\1""", attrs)
        split = content.rfind(">") + 1
        media, text = (content, attribute[2]) if attribute else (content[:split], content[split:])
        text = " ".join(text.split()).replace("*", r"\*")
        notes.append(Note(CAPTION, here.source, text))
        return f"\n\n{media.strip()}\n\n*{text}*\n\n" if text else f"\n\n{media.strip()}\n\n"

    return _replace_spans(body, _caption_spans(body), expand)


def unindent_html(body: str, here: Here, notes: list[Note]) -> str:
    """Paragraphs of HTML indented by four spaces or a tab, which Markdown would show as code,
    moved back to the margin (the exports indent nested HTML; WordPress has no indented code)."""
    blocks = re.split(r"(\n(?:[ \t]*\n)+)", body)
    in_fence, previous = False, ""
    for index in range(0, len(blocks), 2):
        block = blocks[index]
        if not in_fence and INDENTED_TAG.match(block) and not LIST_ITEM.match(previous):
            indent = len(block) - len(block.lstrip(" \t"))
            lines = [line[min(indent, len(line) - len(line.lstrip(" \t"))) :] for line in block.split("\n")]
            blocks[index] = "\n".join(lines)
            notes.append(Note(UNINDENTED, here.source, lines[0].strip()[:60]))
        in_fence ^= len(FENCE.findall(block)) % 2 == 1
        previous = block if block.strip() else previous
    return "".join(blocks)


def link_value(match: re.Match) -> tuple[str, str]:
    """The quote and the value of an `HTML_LINK` match; an unquoted value gets double quotes."""
    return (match["q"], match["value"]) if match["q"] else ('"', match["bare"])


def repair_links(body: str, here: Here, site: OldSite, notes: list[Note]) -> str:
    """Every link and image of the body, in Markdown and in HTML, repaired (see `repair_url`);
    Markdown links that stay broken become HTML links, which MkDocs does not check."""

    def note(kind: str, old: str, new: str) -> None:
        if kind:
            notes.append(Note(kind, here.source, f"{old} -> {new}" if kind != LINK_LEFT else old))

    def in_html(tag: re.Match) -> str:
        def attribute(match: re.Match) -> str:
            quote, value = link_value(match)
            new, kind = repair_url(value, here, site, markdown=False)
            note(kind, value, new)
            if not match["q"]:  # now quoted: a quote inside would end it
                new = new.replace('"', "%22")
            return f"{match['lead']}{quote}{new}{quote}"

        return f"<{tag['name']}{HTML_LINK.sub(attribute, tag['attrs'])}>"

    def in_markdown(match: re.Match) -> str:
        text = MD_LINK.sub(in_markdown, match["text"])
        new, kind = repair_url(match["target"], here, site, markdown=True)
        note(kind, match["target"], new)
        if kind == LINK_LEFT and checked_by_mkdocs(new):
            if match["bang"]:
                return f'<img src="{html.escape(new)}" alt="{html.escape(text)}">'
            return f'<a href="{html.escape(new)}">{text}</a>'
        return f"{match['bang']}[{text}]({match['lead']}{new}{match['rest']})"

    return MD_LINK.sub(in_markdown, HTML_TAG.sub(in_html, body))


def repair_images(body: str, source: str, site: OldSite, notes: list[Note]) -> str:
    """The body with each image (Markdown, `<img src>`, `srcset`) passed through `repair_image`.
    After `repair_links`, so that the addresses it made absolute are seen too."""

    def in_html(tag: re.Match) -> str:
        name = tag["name"].lower()
        if name not in ("img", "source"):
            return tag[0]

        def src(match: re.Match) -> str:
            if name != "img" or match["attr"].lower() != "src":
                return match[0]
            value = match["value"] if match["q"] else match["bare"]
            return match[0].replace(value, repair_image(value, source, site, notes), 1)

        def srcset(match: re.Match) -> str:
            urls = SRCSET_URL.sub(lambda url: repair_image(url[0], source, site, notes), match["value"])
            return f"{match['lead']}{match['q']}{urls}{match['q']}"

        return f"<{tag['name']}{SRCSET.sub(srcset, HTML_LINK.sub(src, tag['attrs']))}>"

    def in_markdown(match: re.Match) -> str:
        text = MD_LINK.sub(in_markdown, match["text"])
        target = repair_image(match["target"], source, site, notes) if match["bang"] else match["target"]
        return f"{match['bang']}[{text}]({match['lead']}{target}{match['rest']})"

    return MD_LINK.sub(in_markdown, HTML_TAG.sub(in_html, body))


def repair_image(url: str, source: str, site: OldSite, notes: list[Note]) -> str:
    """An image's address, on https if it was on http at one of `HTTPS_IMAGE_HOSTS`; noted
    when it changed, when it stays on http (browsers block or flag it on an https page), and
    when it is on the old site (hotlinked: it goes when that site does)."""
    host = web_host(url)
    if url[:7].lower() == "http://" and host in HTTPS_IMAGE_HOSTS:
        notes.append(Note(IMAGE_UPGRADED, source, url))
        url = "https://" + url[7:]
    elif url[:7].lower() == "http://":
        notes.append(Note(HTTP_IMAGE, source, url))
    if host and host_key(host) in site.hosts:
        notes.append(Note(HOTLINKED, source, url))
    return url


def web_host(url: str) -> str:
    """The lower-case host of an address (`www.codeforamerica.org`), or "" for a path."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # e.g. an unclosed `[` of an IPv6 address
        return ""


def repair_url(target: str, here: Here, site: OldSite, markdown: bool) -> tuple[str, str]:
    """A link target repaired, and the kind of repair ("" when nothing changed). Quotes around
    it and mangled schemes (`http//`) are removed; a host without a scheme gets `https://`; a
    legacy path of an imported post becomes a link to its new page (a `.md` link in Markdown,
    which MkDocs checks); other paths of the old site become absolute URLs on it. What cannot
    be repaired is left as it was."""
    url = STRAY_OPENING.sub("", strip_quotes(target.strip()))
    if not url or url.startswith("#"):
        return target, ""
    url = MANGLED_SCHEME.sub(lambda m: m[1].lower() + "://", url)
    if EMAIL.match(url):
        return "mailto:" + url, LINK_REPAIRED
    bare = BARE_HOST.match(url)
    if bare and bare["tld"].lower() not in FILE_SUFFIXES:
        url = "https://" + url
    if OTHER_SCHEME.match(url) and not url.startswith(("http://", "https://")):
        return target, ""  # mailto:, tel:, ftp:...
    if not url.startswith(("http://", "https://", "/")):  # relative to the post's old page
        if not (here.address and RELATIVE_PATH.match(url)):
            return target, LINK_LEFT
        url = urljoin(here.address, url)
    parts = urlsplit(url)
    if not parts.netloc or host_key(parts.netloc) in site.hosts:
        page = new_page(parts.path, site)
        if page:
            new = (link if markdown else href)(here.src_uri, page) + (f"#{parts.fragment}" if parts.fragment else "")
            return new, LINK_TO_POST
    if not parts.netloc:
        if not here.home:
            return target, LINK_LEFT
        home = urlsplit(here.home)
        url = f"{home.scheme}://{home.netloc}{url}"
    return url, LINK_REPAIRED if url != target else ""


def new_page(path: str, site: OldSite) -> str:
    """The `src_uri` of the imported post that had this legacy path, tried with and without
    the old blog's prefix (`/blog/2015/01/20/x` and `/2015/01/20/x`); empty if none."""
    try:
        key = legacy_paths(path)[0]
    except ValueError:
        return ""
    candidates = [key] + [key[len(prefix) :] for prefix in site.prefixes if key.startswith(prefix + "/")]
    for candidate in candidates:
        for variant in (candidate, candidate.rstrip("/"), candidate.rstrip("/") + "/"):
            if variant in site.pages:
                return site.pages[variant]
    return ""


def checked_by_mkdocs(url: str) -> bool:
    """Whether MkDocs would look for this link among the site's files (a relative path that
    names a file) and fail a strict build when it is not there."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith("/")) and bool(posixpath.splitext(parts.path)[1])


# Writing.
