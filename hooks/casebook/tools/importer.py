"""Import legacy Jekyll `_posts/` folders (WordPress export, WordPress.com, Medium repost, bare
Jekyll) into canonical post files that the build reads.

Front matter goes through the build's own `read_post`, so that importer and build normalise it
in one place. The importer then does what the build cannot: it repairs bodies (Liquid tags,
caption shortcodes, indented HTML, links), keeps every legacy URL as an alias, merges
duplicates, never overwrites a post, and writes canonical front matter only, so that author
e-mails and passwords stay out of the repository. Nothing here prints or knows MkDocs.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from ..content.dialects import FILE_DATE, legacy_paths
from ..content.posts import POST_SUFFIXES, parse_post, read_post
from ..model import Post, Problem, source_name
from ..text import slugify
from ..urls import href, link

SOURCE_SUFFIXES = (*POST_SUFFIXES, ".markdown")

# Kinds of notes. Repairs are changes made on the reader's behalf; the rest are warnings.
DUPLICATE = "duplicate"
SLUG_CHANGED = "slug changed"
NOT_A_POST = "not a post"
UNREADABLE_EXISTING = "existing post unreadable"
HOTLINKED = "hotlinked image"
LINK_LEFT = "link left as is"
LIQUID_REMOVED = "liquid removed"
LINK_TO_POST = "link to imported post"
LINK_REPAIRED = "link repaired"
LIQUID_RESOLVED = "liquid resolved"
CAPTION = "caption shortcode"
UNINDENTED = "indented html"
TITLE_MARKUP = "title markup removed"
REPAIRS = frozenset({LINK_TO_POST, LINK_REPAIRED, LIQUID_RESOLVED, CAPTION, UNINDENTED, TITLE_MARKUP})

TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
HTML_TAG = re.compile(r"<(?P<name>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>\s[^<>]*)>")
# A value may be quoted twice over (`href=""https://x""`), a quirk of some exports.
HTML_LINK = re.compile(
    r"(?P<lead>\s(?P<attr>href|src)\s*=\s*)(?P<q>[\"'])(?P<value>\"[^\"<>]*\"|.*?)(?P=q)", re.IGNORECASE | re.DOTALL
)
MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\((?P<lead>[ \t]*)(?P<target>[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?P<rest>(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*)\)"
)
LIQUID = re.compile(r"\{\{-?\s*(?P<output>.*?)\s*-?\}\}|\{%-?\s*(?P<tag>.*?)\s*-?%\}", re.DOTALL)
CAPTION_SHORTCODE = re.compile(r"\[caption(?P<attrs>[^\]]*)\](?P<content>.*?)\[/caption\]", re.DOTALL)
INDENTED_TAG = re.compile(r"^(?: {4}|\t)[ \t]*</?[a-zA-Z]")
LIST_ITEM = re.compile(r"^[ \t]*(?:[*+-]|\d+\.)[ \t]")
FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)

QUOTES = r"(?:[\"'“”‘’″]|&(?:quot|#34|#39|#8216|#8217|#8220|#8221|#8243);)"
WRAPPING_QUOTES = re.compile(rf"^{QUOTES}+|{QUOTES}+$")
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
class ImportReport:
    """What one import read, wrote and could not convert."""

    read: tuple[str, ...] = ()
    """Every post file read, as named in notes and problems."""
    written: tuple[str, ...] = ()
    """New post files written."""
    updated: tuple[str, ...] = ()
    """Post files already there that gained legacy URLs from a duplicate."""
    drafts: tuple[str, ...] = ()
    """The written files that are drafts (unpublished or password-protected at the source)."""
    unchanged: tuple[str, ...] = ()
    """Source files whose post is already in the output folder with all its legacy URLs."""
    notes: tuple[Note, ...] = ()
    failures: tuple[Problem, ...] = ()
    """Every file that could not be converted, with the reason."""

    def counts(self, repairs: bool) -> dict[str, int]:
        """Number of notes of each kind, repairs or warnings, most frequent first."""
        kinds = Counter(note.kind for note in self.notes if (note.kind in REPAIRS) == repairs)
        return dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0])))


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


def import_posts(sources: list[Path], out: Path, origin: str = "") -> ImportReport:
    """Import every post of one or more `sources` folders into `out`. `origin` (e.g.
    `http://www.codeforamerica.org/blog`) says where the old site lived, for posts whose
    WordPress `guid` does not. Running it again over the same sources changes nothing."""
    root = Path(os.path.commonpath([source.resolve().parent for source in sources]))
    existing, notes = read_existing(out)
    files, skipped = list_sources(sources, root)
    incoming, failures, read_notes = read_incoming(files, root, origin)
    kept, merged, unchanged, plan_notes = plan_import(incoming, existing, {p.name for p in out.glob("*")})
    site = describe_old_site(kept + [merged.get(post.source, post) for _, post in existing], origin)
    written, drafts = [], []
    for post in kept:
        here = Here(post.source, post.src_uri, old_home(post, origin), old_address(post, origin))
        body, body_notes = repair_body(post.body, here, site)
        notes += body_notes
        path = out / post_file_name(post)
        problems = write_post(replace(post, body=body), path, out.parent)
        failures += problems
        if not problems:
            written.append(source_name(path, out.parent))
            if post.draft:
                drafts.append(written[-1])
    updated = []
    for path, post in existing:
        if post.source in merged:
            failures += add_aliases(post, merged[post.source], path, out.parent)
            updated.append(source_name(path, out.parent))
    sources_kept = {post.source for post in kept}
    return ImportReport(
        read=tuple(source_name(path, root) for path in files),
        written=tuple(written),
        updated=tuple(updated),
        drafts=tuple(drafts),
        unchanged=tuple(unchanged),
        notes=tuple(skipped + [n for n in read_notes if n.source in sources_kept] + plan_notes + notes),
        failures=tuple(failures),
    )


def read_existing(out: Path) -> tuple[list[tuple[Path, Post]], list[Note]]:
    """The posts already in `out`, which imported posts must neither duplicate nor overwrite."""
    found, notes = [], []
    if not out.is_dir():
        return found, notes
    for path in sorted(p for p in out.rglob("*") if p.suffix in POST_SUFFIXES and p.is_file()):
        post, problems = read_post(path, out.parent)
        if post is None:
            notes.append(Note(UNREADABLE_EXISTING, source_name(path, out.parent), str(problems[0])))
        else:
            found.append((path, post))
    return found, notes


def list_sources(sources: list[Path], root: Path) -> tuple[list[Path], list[Note]]:
    """The post files of each source folder, in order, and a note for every other file."""
    files, notes = [], []
    for folder in sources:
        for path in sorted(p for p in folder.resolve().rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in path.relative_to(folder.resolve()).parts):
                continue
            if path.suffix in SOURCE_SUFFIXES:
                files.append(path)
            else:
                notes.append(Note(NOT_A_POST, source_name(path, root), "skipped: not a post file"))
    return files, notes


def read_incoming(files: list[Path], root: Path, origin: str = "") -> tuple[list[Post], list[Problem], list[Note]]:
    """Each file read by the build's own reader, its title freed of markup, its Jekyll URLs
    added as aliases when it has no permalink, and its original URL taken from `origin` when
    its export does not tell (WordPress.com); problems for every file that cannot be read."""
    posts, failures, notes = [], [], []
    for path in files:
        post, problems = read_post(path, root)
        failures += problems
        if post is None:
            continue
        title = " ".join(TAG.sub(" ", post.title).split())
        if title != post.title:
            notes.append(Note(TITLE_MARKUP, post.source, f"{post.title!r} -> {title!r}"))
        original_url = post.original_url
        if not original_url and origin and post.aliases:
            original_url = origin.rstrip("/") + post.aliases[0]
        aliases = post.aliases or (jekyll_paths(Path(post.source).name) if post.kind == "post" else ())
        posts.append(replace(post, title=title, aliases=aliases, original_url=original_url))
    return posts, failures, notes


def jekyll_paths(file_name: str) -> tuple[str, ...]:
    """The URLs Jekyll gives a post file `YYYY-MM-DD-slug.md`: `/YYYY/MM/DD/slug/` (pretty) and
    `/YYYY/MM/DD/slug.html` (the default); none for a file name without a date."""
    match = FILE_DATE.match(file_name.rsplit(".", 1)[0])
    if not match:
        return ()
    day, slug = match.group(1).replace("-", "/"), match.group(2)
    try:
        return legacy_paths([f"/{day}/{slug}/", f"/{day}/{slug}.html"])
    except ValueError:
        return ()


def plan_import(
    incoming: list[Post], existing: list[tuple[Path, Post]], taken_names: set[str]
) -> tuple[list[Post], dict[str, Post], list[str], list[Note]]:
    """The incoming posts to write (slugs made unique), the existing posts (by source) that gain
    legacy URLs, the sources whose post is already there with all its legacy URLs (imported
    before), and a note for every other duplicate and every changed slug. A post is the same
    as another when they share a legacy URL, or their title and date."""
    present = [post for _, post in existing]
    on_disk = len(present)
    taken_urls = {post.url for post in present}
    taken_names = set(taken_names)
    merged, unchanged, notes = {}, [], []
    for post in incoming:
        index = next((i for i, other in enumerate(present) if same_post(post, other)), None)
        if index is None:
            unique = unique_slug(post, taken_urls, taken_names)
            if unique.slug != post.slug:
                detail = f"/{post.url} is taken by another post: written with slug '{unique.slug}'"
                notes.append(Note(SLUG_CHANGED, post.source, detail))
            taken_urls.add(unique.url)
            taken_names.add(post_file_name(unique))
            present.append(unique)
            continue
        match = present[index]
        added = tuple(alias for alias in post.aliases if alias not in match.aliases)
        if index < on_disk and not added:
            unchanged.append(post.source)
            continue
        present[index] = replace(match, aliases=match.aliases + added)
        if index < on_disk:
            merged[match.source] = present[index]
        urls = f"; its legacy URLs {', '.join(added)} added there" if added else ""
        notes.append(Note(DUPLICATE, post.source, f"the same post as {match.source}: not written again{urls}"))
    return present[on_disk:], merged, unchanged, notes


def same_post(post: Post, other: Post) -> bool:
    """Whether two records are one post: a shared legacy URL, or the same title on the same day."""
    if set(post.aliases) & set(other.aliases):
        return True
    return post.date == other.date and slugify(post.title) == slugify(other.title)


def unique_slug(post: Post, taken_urls: set[str], taken_names: set[str]) -> Post:
    """The post, its slug numbered (`x-2`, `x-3`...) if its URL or file name is taken."""
    candidate, number = post, 1
    while candidate.url in taken_urls or post_file_name(candidate) in taken_names:
        number += 1
        candidate = replace(post, slug=f"{post.slug}-{number}")
    return candidate


def post_file_name(post: Post) -> str:
    """`YYYY-MM-DD-slug.md`, the date as written in the source."""
    return f"{post.published:%Y-%m-%d}-{post.slug}.md"


# The old sites: where each post lived, and which legacy paths now have a new page.


def old_home(post: Post, origin: str = "") -> str:
    """Where the post's old site lived (`http://www.codeforamerica.org/blog`), as its WordPress
    `guid` or `wordpress_url` tells, else `origin`; empty when unknown. A repost first published
    elsewhere (Medium) lived on the `origin` site too."""
    if not post.original_url or post.canonical_url:
        return origin.rstrip("/")
    parts = urlsplit(post.original_url)
    try:
        path = legacy_paths(parts.path)[0].rstrip("/") if parts.path.strip("/") else ""
    except ValueError:
        path = ""
    for alias in post.aliases:
        if path.endswith(alias.rstrip("/")):
            return f"{parts.scheme}://{parts.netloc}{path[: len(path) - len(alias.rstrip('/'))]}"
    return f"{parts.scheme}://{parts.netloc}"


def old_address(post: Post, origin: str = "") -> str:
    """The post's old URL, against which its relative links are resolved; empty if unknown."""
    home = old_home(post, origin)
    if home and post.aliases:
        return home + post.aliases[0]
    return "" if post.canonical_url else post.original_url


def describe_old_site(posts: list[Post], origin: str = "") -> OldSite:
    """The old sites' hosts and blog paths, and the new page of every published post's legacy
    paths (a link to a draft would break the build, so it goes to the old site instead)."""
    homes = [urlsplit(home) for home in (old_home(post, origin) for post in posts) if home]
    return OldSite(
        hosts=frozenset(host_key(home.netloc) for home in homes),
        prefixes=tuple(sorted({home.path for home in homes if home.path}, key=lambda p: (-len(p), p))),
        pages={alias: post.src_uri for post in posts if not post.draft for alias in post.aliases},
    )


def host_key(netloc: str) -> str:
    """`www.CodeForAmerica.org:80` -> `codeforamerica.org`, to compare hosts."""
    return netloc.lower().split("@")[-1].split(":")[0].removeprefix("www.")


# Bodies.


def repair_body(body: str, here: Here, site: OldSite) -> tuple[str, list[Note]]:
    """The body with Liquid resolved, caption shortcodes expanded, indented HTML freed from
    code blocks and links repaired; a note for each change and each thing left to a person."""
    notes: list[Note] = []
    body = resolve_liquid(body, here, notes)
    body = expand_captions(body, here, notes)
    body = unindent_html(body, here, notes)
    body = repair_links(body, here, site, notes)
    return body, notes


def resolve_liquid(body: str, here: Here, notes: list[Note]) -> str:
    """Jekyll's Liquid tags resolved against the old site (`{{ site.baseurl }}`, `{{ site.url }}`,
    `relative_url`, `post_url`), or removed: a page must never show them raw."""
    parts = urlsplit(here.home)
    base = parts.path
    host = f"{parts.scheme}://{parts.netloc}" if here.home else ""

    def resolve(match: re.Match) -> str:
        if match["output"] is not None:
            name, *filters = [part.strip() for part in match["output"].split("|")]
            literal = name[1:-1] if len(name) > 1 and name[0] == name[-1] and name[0] in "'\"" else None
            value = {"site.baseurl": base, "site.url": host}.get(name)
            if literal is not None and filters in (["relative_url"], ["absolute_url"]):
                value = (host if filters == ["absolute_url"] else "") + base + "/" + literal.lstrip("/")
        else:
            words = match["tag"].split()
            value = "" if words[:1] in (["raw"], ["endraw"]) else None
            if words[:1] == ["post_url"] and len(words) == 2 and jekyll_paths(words[1] + ".md"):
                value = jekyll_paths(words[1] + ".md")[0]
        if value is None:
            notes.append(Note(LIQUID_REMOVED, here.source, f"removed {' '.join(match[0].split())}"))
            return ""
        notes.append(Note(LIQUID_RESOLVED, here.source, f"{' '.join(match[0].split())} -> {value!r}"))
        return value

    return LIQUID.sub(resolve, body)


def expand_captions(body: str, here: Here, notes: list[Note]) -> str:
    """WordPress `[caption ...]<img .../> Text[/caption]` shortcodes as the image followed by its
    caption in italics."""

    def expand(match: re.Match) -> str:
        content = match["content"].strip()
        attribute = re.search(r"""\bcaption=(["'])(.*?)\1""", match["attrs"])
        split = content.rfind(">") + 1
        media, text = (content, attribute[2]) if attribute else (content[:split], content[split:])
        text = " ".join(text.split()).replace("*", r"\*")
        notes.append(Note(CAPTION, here.source, text))
        return f"\n\n{media.strip()}\n\n*{text}*\n\n" if text else f"\n\n{media.strip()}\n\n"

    return CAPTION_SHORTCODE.sub(expand, body)


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


def repair_links(body: str, here: Here, site: OldSite, notes: list[Note]) -> str:
    """Every link and image of the body, in Markdown and in HTML, repaired (see `repair_url`);
    Markdown links that stay broken become HTML links, which MkDocs does not check."""

    def note(kind: str, old: str, new: str, image: bool) -> None:
        if kind:
            notes.append(Note(kind, here.source, f"{old} -> {new}" if kind != LINK_LEFT else old))
        if image and host_key(urlsplit(new).netloc) in site.hosts:
            notes.append(Note(HOTLINKED, here.source, new))

    def in_html(tag: re.Match) -> str:
        def attribute(match: re.Match) -> str:
            new, kind = repair_url(match["value"], here, site, markdown=False)
            note(kind, match["value"], new, tag["name"].lower() == "img" and match["attr"].lower() == "src")
            return f"{match['lead']}{match['q']}{new}{match['q']}"

        return f"<{tag['name']}{HTML_LINK.sub(attribute, tag['attrs'])}>"

    def in_markdown(match: re.Match) -> str:
        text = MD_LINK.sub(in_markdown, match["text"])
        new, kind = repair_url(match["target"], here, site, markdown=True)
        note(kind, match["target"], new, bool(match["bang"]))
        if kind == LINK_LEFT and checked_by_mkdocs(new):
            if match["bang"]:
                return f'<img src="{html.escape(new)}" alt="{html.escape(text)}">'
            return f'<a href="{html.escape(new)}">{text}</a>'
        return f"{match['bang']}[{text}]({match['lead']}{new}{match['rest']})"

    return MD_LINK.sub(in_markdown, HTML_TAG.sub(in_html, body))


def repair_url(target: str, here: Here, site: OldSite, markdown: bool) -> tuple[str, str]:
    """A link target repaired, and the kind of repair ("" when nothing changed). Quotes around
    it and mangled schemes (`http//`) are removed; a host without a scheme gets `https://`; a
    legacy path of an imported post becomes a link to its new page (a `.md` link in Markdown,
    which MkDocs checks); other paths of the old site become absolute URLs on it. What cannot
    be repaired is left as it was."""
    url = WRAPPING_QUOTES.sub("", target.strip())
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


def write_post(post: Post, path: Path, root: Path, text: str = "") -> list[Problem]:
    """Write the post (as a canonical file, unless `text` is given) if the file differs; the
    problems if the text would not read back as the same post (then nothing is written)."""
    text = text or render_post(post)
    source = source_name(path, root)
    parsed, problems = parse_post(text, source)
    expected = replace(post, source=source, body=post.body.strip("\n") + "\n")
    if not problems and (
        replace(parsed, aliases=()) != replace(expected, aliases=()) or set(parsed.aliases) != set(expected.aliases)
    ):
        problems = [
            Problem(
                source,
                None,
                f"imported from {post.source}, it does not read back as the same post",
                "report this to the importer's maintainers",
            )
        ]
    if not problems and (not path.exists() or path.read_text(encoding="utf-8") != text):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return problems


def add_aliases(post: Post, merged: Post, path: Path, root: Path) -> list[Problem]:
    """Give a post already in the output folder the legacy URLs of its duplicates. A file
    without `aliases` (a hand-written one, in any dialect) keeps every byte and gains the field
    at the end of its front matter; a file with `aliases` is written again in canonical form."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = next((i for i, line in enumerate(lines) if i and line.rstrip() == "---"), None)
    if end is None or any(re.match(r"aliases\s*:", line) for line in lines[1:end]):
        return write_post(merged, path, root)
    added = yaml.safe_dump({"aliases": list(merged.aliases[len(post.aliases) :])}, allow_unicode=True)
    return write_post(merged, path, root, "\n".join(lines[:end] + added.splitlines() + lines[end:]))


def render_post(post: Post) -> str:
    """The text of a canonical post file: front matter, a blank line, the body."""
    front = yaml.safe_dump(front_matter(post), sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n\n{post.body.strip(chr(10))}\n"


def front_matter(post: Post) -> dict:
    """The post's canonical front matter, in the documented order, without empty fields."""
    midnight = post.published.time() == post.published.min.time() and not post.published.utcoffset()
    fields = {
        "title": post.title,
        "date": post.date if midnight else post.published,
        "authors": list(post.authors),
        "summary": post.summary,
        "slug": post.slug,
        "image": post.image,
        "original_url": post.original_url,
        "canonical_url": post.canonical_url,
        "aliases": list(post.aliases),
        "draft": post.draft,
        "categories": list(post.categories),
        "tags": list(post.tags),
        "lessons": list(post.lessons),
        "partners": list(post.partners),
        "models": list(post.models),
        "layout": "page" if post.kind == "page" else "",
    }
    return {name: value for name, value in fields.items() if value}
