"""Import legacy Jekyll `_posts/` folders (WordPress export, WordPress.com, Medium repost, bare
Jekyll) into canonical post files that the build reads.

Front matter goes through the build's own `read_post`, so that importer and build normalise it
in one place. The importer then does what the build cannot: it repairs bodies (Liquid tags,
caption shortcodes, indented HTML, links, images on http), keeps every legacy URL as an alias, merges
duplicates, never overwrites a post, and writes canonical front matter only, so that author
e-mails and passwords stay out of the repository. Nothing here prints or knows MkDocs.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import yaml

from ..content.dialects import legacy_paths
from ..content.posts import MAX_POST_BYTES, POST_SUFFIXES, parse_post, read_post
from ..content.yamltext import SourceError, parse_yaml, read_source
from ..model import Post, Problem, source_name
from ..text import plain_text, slugify
from .repair import (
    CAPTION,
    IMAGE_UPGRADED,
    LINK_REPAIRED,
    LINK_TO_POST,
    LIQUID_RESOLVED,
    MOJIBAKE,
    UNINDENTED,
    Here,
    Note,
    OldSite,
    fix_mojibake,
    host_key,
    jekyll_paths,
    repair_body,
    repair_image,
)

SOURCE_SUFFIXES = (*POST_SUFFIXES, ".markdown")

# Kinds of notes. Repairs are changes made on the reader's behalf; the rest are warnings.
DUPLICATE = "duplicate"
SLUG_CHANGED = "slug changed"
NOT_A_POST = "not a post"
UNREADABLE_EXISTING = "existing post unreadable"
TITLE_MARKUP = "title markup removed"
REPAIRS = frozenset(
    {LINK_TO_POST, LINK_REPAIRED, LIQUID_RESOLVED, CAPTION, UNINDENTED, TITLE_MARKUP, MOJIBAKE, IMAGE_UPGRADED}
)

TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
SAME_POST_DAYS = 7
SAME_TEXT = 0.9
"""How close two posts' texts must be, as a difflib ratio, to be one post published twice."""
NOT_CONTENT = frozenset(
    "attachment revision nav_menu_item custom_css customize_changeset oembed_cache user_request wp_block"
    " wp_template wp_template_part wp_global_styles wp_navigation wp_font_family wp_font_face".split()
)
"""WordPress's own post types that are not content (media, revisions, menu items, theme
settings), which a whole-site export writes as `layout:` or `type:`: skipped, and reported."""


def wordpress_type(text: str) -> str:
    """The WordPress post type a file's front matter gives (`type:`, else `layout:`), or ""."""
    if not text.startswith("---"):
        return ""
    try:
        meta = parse_yaml(frontmatter.YAMLHandler().split(text.replace("\r\n", "\n"))[0])[0]
    except ValueError:
        return ""  # parse_post reports it
    if not isinstance(meta, dict):
        return ""
    return str(meta.get("type") or meta.get("layout") or "")


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
    skipped: tuple[str, ...] = ()
    """Source files that are not posts (WordPress menu items, attachments, revisions...)."""
    notes: tuple[Note, ...] = ()
    failures: tuple[Problem, ...] = ()
    """Every file that could not be converted, with the reason."""

    def counts(self, repairs: bool) -> dict[str, int]:
        """Number of notes of each kind, repairs or warnings, most frequent first."""
        kinds = Counter(note.kind for note in self.notes if (note.kind in REPAIRS) == repairs)
        return dict(sorted(kinds.items(), key=lambda item: (-item[1], item[0])))


def import_posts(sources: list[Path], out: Path, origin: str = "") -> ImportReport:
    """Import every post of one or more `sources` folders into `out`. `origin` (e.g.
    `http://www.codeforamerica.org/blog`) says where the old site lived, for posts whose
    WordPress `guid` does not. Running it again over the same sources changes nothing."""
    root = Path(os.path.commonpath([source.resolve().parent for source in sources]))
    existing, notes = read_existing(out)
    files, skipped, refused = list_sources(sources, root)
    incoming, failures, read_notes = read_incoming(files, root, origin)
    failures = refused + failures
    kept, merged, unchanged, plan_notes = plan_import(incoming, existing, {p.name for p in out.glob("*")})
    site = describe_old_site(kept + [merged.get(post.source, post) for _, post in existing], origin)
    written, drafts = [], []
    for post in kept:
        here = Here(post.source, post.src_uri, old_home(post, origin), old_address(post, origin))
        body, body_notes = repair_body(post.body, here, site)
        notes += body_notes
        image = repair_image(post.image, post.source, site, notes)
        path = out / post_file_name(post)
        problems = write_post(replace(post, body=body, image=image), path, out.parent)
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
        read=tuple(source_name(path, root) for path in files) + tuple(problem.path for problem in refused),
        written=tuple(written),
        updated=tuple(updated),
        drafts=tuple(drafts),
        unchanged=tuple(unchanged),
        skipped=tuple(n.source for n in read_notes if n.kind == NOT_A_POST),
        notes=tuple(
            skipped + [n for n in read_notes if n.source in sources_kept or n.kind == NOT_A_POST] + plan_notes + notes
        ),
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


def list_sources(sources: list[Path], root: Path) -> tuple[list[Path], list[Note], list[Problem]]:
    """The post files of each source folder, in order, a note for every other file, and a
    problem for each link to a file outside its folder, which is never read."""
    files, notes, refused = [], [], []
    for folder in sources:
        for path in sorted(p for p in folder.resolve().rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in path.relative_to(folder.resolve()).parts):
                continue
            if not path.resolve().is_relative_to(folder.resolve()):
                refused.append(Problem(source_name(path, root), None, "a link to a file outside the folder: not read"))
            elif path.suffix in SOURCE_SUFFIXES:
                files.append(path)
            else:
                notes.append(Note(NOT_A_POST, source_name(path, root), "skipped: not a post file"))
    return files, notes, refused


def read_incoming(files: list[Path], root: Path, origin: str = "") -> tuple[list[Post], list[Problem], list[Note]]:
    """Each file read by the build's own reader, its title freed of markup, its Jekyll URLs
    added as aliases when it has no permalink, and its original URL taken from `origin` when
    its export does not tell (WordPress.com); mojibake repaired first; problems for every file
    that cannot be read."""
    posts, failures, notes = [], [], []
    for path in files:
        source = source_name(path, root)
        try:
            text, fixed = fix_mojibake(read_source(path, MAX_POST_BYTES), source)
        except SourceError as error:
            failures.append(Problem(source, error.line, str(error), error.hint))
            continue
        kind = wordpress_type(text)
        if kind in NOT_CONTENT:
            notes.append(Note(NOT_A_POST, source, f"skipped: a WordPress {kind}, not a post or a page"))
            continue
        post, problems = parse_post(text, source)
        notes += fixed
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
    """Whether two records are one post: a shared legacy URL, the same title on the same day, or
    the same title within `SAME_POST_DAYS` days with nearly the same text (a post republished
    elsewhere: a blog's post reposted on another site two days later)."""
    if set(post.aliases) & set(other.aliases):
        return True
    if slugify(post.title) != slugify(other.title) or abs((post.date - other.date).days) > SAME_POST_DAYS:
        return False
    return post.date == other.date or _similar(post.body, other.body)


def _similar(text: str, other: str) -> bool:
    """Whether two bodies read nearly the same, as plain text (`SAME_TEXT` of it in common)."""
    first, second = (" ".join(plain_text(t, len(t) + 1).lower().split()) for t in (text, other))
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    return (
        matcher.real_quick_ratio() >= SAME_TEXT and matcher.quick_ratio() >= SAME_TEXT and matcher.ratio() >= SAME_TEXT
    )


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
