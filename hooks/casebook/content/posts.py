"""Read post files as they are, in any of their legacy dialects (dialects.py), into
canonical `Post` records."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import frontmatter

from ..model import KINDS, Post, Problem, source_name
from .dialects import as_ids, from_file_name, normalise_front_matter
from .limits import check_body
from .yamltext import SourceError, YamlError, locate, parse_yaml, read_source

POST_SUFFIXES = (".md", ".html")
INDEX_NAMES = tuple(f"index{suffix}" for suffix in POST_SUFFIXES)
"""A post with files of its own (images) is a folder, `posts/2026-01-04-slug/index.md`."""
LINK_HINT = "copy the post into the repository instead of linking to it"
PLACEHOLDER = "<!-- Write the post here, in Markdown, and delete this line. -->"
"""The body `scripts/new_post.py` writes, which a finished post no longer has."""
MAX_POST_BYTES = 1_000_000
"""A post file's largest size: the biggest real post is 0.6 MB, and converting 10 MB of
Markdown takes Python-Markdown about 15 s."""
MAX_FRONT_MATTER = 256_000
"""The front matter's largest size, in characters: real ones stay under 2 kB, and PyYAML reads
about 1 MB a second."""


def load_posts(posts_dir: Path, root: Path) -> tuple[list[Post], list[Problem]]:
    """Every post under `posts_dir`, and every problem found in any of them."""
    posts, problems = [], []
    for path in post_files(posts_dir):
        post, found = read_post(path, root, posts_dir)
        problems += found
        if post is not None:
            posts.append(post)
    return posts, problems


def post_files(posts_dir: Path) -> list[Path]:
    """Every post file under `posts_dir`, sorted."""
    return sorted(p for p in posts_dir.rglob("*") if p.suffix in POST_SUFFIXES and p.is_file())


def unloaded_references(posts_dir: Path, root: Path, posts: list[Post]) -> list[tuple[str, str, str, int]]:
    """(source, kind, term id, line) of every term named by a post file that is not among
    `posts` (it has other problems), so that its unknown ids are reported in the same run."""
    loaded = {post.source for post in posts}
    references = []
    for path in post_files(posts_dir):
        source = source_name(path, root)
        if source not in loaded:
            try:
                text = read_source(path, MAX_POST_BYTES)
            except SourceError:
                continue  # reported by the loader
            references += [(source, kind, term_id, line) for kind, term_id, line in read_term_ids(text)]
    return references


def unloaded_slugs(posts_dir: Path, root: Path, posts: list[Post]) -> set[str]:
    """The slug of every post file that is not among `posts` (it has other problems): its
    `slug:`, else the one its file name gives, so that a case study naming it is not blamed."""
    loaded = {post.source for post in posts}
    slugs = set()
    for path in post_files(posts_dir):
        if source_name(path, root) not in loaded:
            try:
                meta = read_front_matter(read_source(path, MAX_POST_BYTES))[0]
            except SourceError:
                meta = {}
            slug = meta.get("slug")
            slugs.add(slug if isinstance(slug, str) else from_file_name({}, path.name)["slug"][1])
    return slugs


def read_front_matter(text: str) -> tuple[dict, object]:
    """A post's front matter as a mapping, and its YAML node, whatever else is wrong with the
    post; ({}, None) when it is unreadable."""
    text = text.replace("\r\n", "\n")
    if not text.startswith("---"):
        return {}, None
    try:
        meta, node = parse_yaml(frontmatter.YAMLHandler().split(text)[0])
    except ValueError:  # an unclosed front matter, or a YamlError
        return {}, None
    return (meta, node) if isinstance(meta, dict) else ({}, None)


def read_term_ids(text: str) -> list[tuple[str, str, int]]:
    """(kind, term id, line) of the `lessons`, `partners` and `models` a post's front matter
    names, whatever else is wrong with the post; nothing when the front matter is unreadable."""
    meta, node = read_front_matter(text)
    found = []
    for kind in KINDS:
        try:
            ids = as_ids(meta[kind]) if meta.get(kind) not in (None, "") else ()
        except ValueError:
            continue
        line = locate(node, (kind,), key=True)[0]
        found += [(kind, term_id, line) for term_id in ids]
    return found


def scaffold_leftovers(meta: dict, body: str, source: str, summary_line: int, offset: int) -> list[Problem]:
    """What `scripts/new_post.py` wrote for the contributor to fill in and is still there: an
    empty `summary:`, the placeholder line of the body."""
    problems = []
    if "summary" in meta and meta["summary"] in ("", None):
        hint = "write one or two sentences for listings and search results, or delete the line"
        problems.append(Problem(source, summary_line, "the summary is empty", hint))
    if PLACEHOLDER in body:
        line = offset + body[: body.index(PLACEHOLDER)].count("\n") + 1
        hint = "write the post in its place, in Markdown"
        problems.append(Problem(source, line, "the post still has the line new_post.py put in its place", hint))
    return problems


def read_post(path: Path, root: Path, folder: Path | None = None) -> tuple[Post | None, list[Problem]]:
    """One post file as a `Post` (None when it cannot be built) and its problems; a link to a
    file outside `folder` (the posts' folder, else the project) is refused unread."""
    source = source_name(path, root)
    if not path.resolve().is_relative_to((folder or root).resolve()):
        return None, [Problem(source, None, "the file is a link to a file outside its folder", LINK_HINT)]
    try:
        text = read_source(path, MAX_POST_BYTES)
    except SourceError as error:
        return None, [Problem(source, error.line, str(error), error.hint)]
    files = [source_name(file, root) for file in beside_files(path, folder or root)]
    return parse_post(text, source, files)


def beside_files(path: Path, folder: Path) -> list[Path]:
    """The files beside the post at `path` when it is its folder's `index.md`: every file of
    that folder but posts, and but links to files outside `folder` (never copied into the site)."""
    if path.name not in INDEX_NAMES or path.parent.resolve() == folder.resolve():
        return []
    return sorted(
        file
        for file in path.parent.iterdir()
        if file.is_file() and file.suffix not in POST_SUFFIXES and file.resolve().is_relative_to(folder.resolve())
    )


def has_own_folder(path: Path) -> bool:
    """Whether the file at `path` sits beside a post that is its folder's `index.md`."""
    return path.suffix not in POST_SUFFIXES and any((path.parent / name).is_file() for name in INDEX_NAMES)


def parse_post(text: str, source: str, files: list[str] | tuple[str, ...] = ()) -> tuple[Post | None, list[Problem]]:
    """Parse a post's text; `source` names it in problems and decides its file-name fallbacks
    (a folder's `index.md` is named by its folder); `files` are those beside it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, node, body = {}, None, text
    if text.startswith("---"):
        try:
            front, body = frontmatter.YAMLHandler().split(text)
        except ValueError:
            return None, [
                Problem(source, 1, "the front matter is never closed", "end it with a line of three dashes: ---")
            ]
        if len(front) > MAX_FRONT_MATTER:
            message = f"the front matter is {len(front) / 1e3:.0f} kB; the limit is {MAX_FRONT_MATTER / 1e3:g} kB"
            return None, [Problem(source, 1, message, "move long text into the body of the post")]
        try:
            meta, node = parse_yaml(front)
        except YamlError as error:
            return None, [Problem(source, error.line, f"the front matter is not valid YAML: {error}", error.hint)]
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            return None, [Problem(source, 2, "the front matter must be a list of `field: value` lines")]

    name = Path(source)
    fields, keys, problems = normalise_front_matter(
        meta, name.parent.name + name.suffix if name.name in INDEX_NAMES else name.name, body
    )

    def line_of(key: str | None) -> int:
        return locate(node, (key,), key=True)[0] if key else 1

    offset = text[: len(text) - len(body)].count("\n")
    found = [Problem(source, line_of(key), message, hint) for key, message, hint in problems]
    found += [Problem(source, offset + line, message, hint) for line, message, hint in check_body(body)]
    found += scaffold_leftovers(meta, body, source, line_of("summary"), offset)
    image = fields.get("image", "")
    if name.name in INDEX_NAMES and image and not re.match(r"^([a-zA-Z][\w+.-]*:|/)", image):
        if posixpath.normpath(posixpath.join(posixpath.dirname(source), image)) not in files:
            hint = "put the image in the post's folder and give its name, or give its web address (https://...)"
            found.append(
                Problem(source, line_of(keys.get("image")), f"the image '{image}' is not beside the post", hint)
            )
    if found:
        return None, found
    lines = {name: line_of(key) for name, key in keys.items()}
    lines["body"] = offset + 1 + len(body) - len(body.lstrip("\n"))  # where the stored body starts
    return Post(source=source, body=body.strip("\n") + "\n", lines=lines, files=tuple(files), **fields), []
