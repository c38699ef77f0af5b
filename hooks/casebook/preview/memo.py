"""What `mkdocs serve` keeps from one build to the next within its process, each reuse
checked against content so that a rebuild is as correct as a fresh build:

- `SourceMemo` keeps each source parsed by the previous build with the digest of the bytes it
  was parsed from; a file whose bytes are unchanged is not parsed again. It also keeps the
  posts' tags, reused for equal posts under the same vocabulary.
- `OutputMemo` keeps the pages, feeds and checks the previous build made, by their inputs
  (`site/reuse.py`), reused while the templates and settings are the same.
- `TemplateMemo` keeps the templates compiled by earlier builds."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from ..content.case_studies import SCHEMA_NAME, load_case_studies
from ..content.posts import beside_files, post_files, read_post
from ..content.vocabulary import load_vocabulary
from ..index import FindTags
from ..model import CaseStudy, Post, Problem, Term
from ..pipeline import Sources
from ..site.reuse import Reuse
from ..tagging import Tag, Tagger

DIGEST_SIZE = 16


def digest(data: bytes) -> str:
    """A short hex digest of `data`: equal digests mean equal bytes."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of a file's bytes; None when it cannot be read (the loader reports why)."""
    try:
        return digest(path.read_bytes())
    except OSError:
        return None


@dataclass
class TagMemo:
    """The posts' tags found by the previous build, reused for posts that are equal (every
    field) under the same vocabulary: the same `terms` object, which `SourceMemo` keeps while
    the vocabulary file is unchanged."""

    terms: tuple[Term, ...] | None = None
    found: dict[Post, list[Tag]] = field(default_factory=dict)
    tagger: Tagger | None = None

    def finder(self, terms: tuple[Term, ...]) -> FindTags:
        """`Tagger(terms).tag`, answering from the previous build where it can; what this
        build finds is kept for the next."""
        earlier = self.found if terms is self.terms else {}
        if self.tagger is None or terms is not self.terms:
            self.tagger = Tagger(terms)
        find, kept = self.tagger.tag, {}
        self.terms, self.found = terms, kept

        def remembered(post: Post) -> list[Tag]:
            found = earlier[post] if post in earlier else find(post)
            kept[post] = found
            return found

        return remembered


@dataclass
class SourceMemo(Sources):
    """The sources parsed by the previous build of this process. The hook keeps one while
    `mkdocs serve` runs, as MkDocs keeps the hook module loaded between its builds; every
    lookup compares the bytes of the files, so an edit is never missed."""

    posts: dict[Path, tuple[Path, str, Post | None, tuple[Problem, ...]]] = field(default_factory=dict)
    studies: tuple[tuple, list[CaseStudy], tuple[Problem, ...]] | None = None
    vocabulary: tuple[tuple, tuple[Term, ...], tuple[Problem, ...]] | None = None
    tags: TagMemo = field(default_factory=TagMemo)
    """The posts' tags, which the index reuses for unchanged posts."""

    def tag_finder(self, terms: tuple[Term, ...]) -> FindTags:
        return self.tags.finder(terms)

    def load_posts(self, posts_dir: Path, root: Path) -> tuple[list[Post], list[Problem]]:
        """What `posts.load_posts` returns, parsing only the files whose bytes changed."""
        posts, problems, kept = [], [], {}
        for path in post_files(posts_dir):
            before = file_digest(path)
            beside = beside_files(path, posts_dir)  # a file added beside a post changes it too
            known = self.posts.get(path)
            if known is not None and before is not None and known[:3] == (root, before, beside):
                post, found = known[3], list(known[4])
                kept[path] = known
            else:
                post, found = read_post(path, root, posts_dir)
                if before is not None and file_digest(path) == before:  # not edited while being read
                    kept[path] = (root, before, beside, post, tuple(found))
            problems += found
            if post is not None:
                posts.append(post)
        self.posts = kept
        return posts, problems

    def load_case_studies(self, folder: Path, root: Path) -> tuple[list[CaseStudy], list[Problem]]:
        """What `case_studies.load_case_studies` returns, read again only when a case study
        or the schema changed, or one was added or removed."""
        key = _files_key(root, [folder / SCHEMA_NAME, *sorted(folder.glob("*.yml"))])
        if key is not None and self.studies is not None and self.studies[0] == key:
            return list(self.studies[1]), list(self.studies[2])
        studies, problems = load_case_studies(folder, root)
        if key is not None and key == _files_key(root, [folder / SCHEMA_NAME, *sorted(folder.glob("*.yml"))]):
            self.studies = (key, list(studies), tuple(problems))
        return studies, problems

    def load_vocabulary(self, path: Path, schema_path: Path, root: Path) -> tuple[tuple[Term, ...], list[Problem]]:
        """What `taxonomy.load_vocabulary` returns, read again only when the vocabulary or its
        schema changed."""
        key = _files_key(root, [path, schema_path])
        if key is not None and self.vocabulary is not None and self.vocabulary[0] == key:
            return self.vocabulary[1], list(self.vocabulary[2])
        terms, problems = load_vocabulary(path, schema_path, root)
        if key is not None and key == _files_key(root, [path, schema_path]):
            self.vocabulary = (key, terms, tuple(problems))
        return terms, problems


def _files_key(root: Path, paths: list[Path]) -> tuple | None:
    """What a loader's result depends on: the root and each file's bytes (a missing file
    counts as such); None when a file exists but cannot be read, so that nothing is kept."""
    key: list = [root]
    for path in paths:
        if not path.exists():
            key.append((path, None))
            continue
        found = file_digest(path)
        if found is None:
            return None
        key.append((path, found))
    return tuple(key)


class OutputMemo:
    """What the previous build made through `reuse` (`site.reuse.Reuse`), by key. Each build
    keeps what it asked for, so that nothing outlives the build after its last use; a build
    with another stamp (the templates, the settings) starts afresh."""

    def __init__(self) -> None:
        self.stamp: Any = None
        self.previous: dict[Hashable, Any] = {}
        self.current: dict[Hashable, Any] = {}

    def start(self, stamp) -> Reuse:
        """The `reuse` of a new build made with what `stamp` stands for (equal stamps, equal
        templates and settings)."""
        self.previous = self.current if stamp == self.stamp else {}
        self.current, self.stamp = {}, stamp
        return self.reuse

    def reuse(self, key: Hashable, make: Callable[[], Any]) -> Any:
        if key in self.current:
            return self.current[key]
        made = self.previous[key] if key in self.previous else make()
        self.current[key] = made
        return made


class TemplateMemo(BytecodeCache):
    """Jinja's compiled templates, in memory. `mkdocs serve` makes a new Jinja environment
    for every rebuild, which compiles every template again (about half a second for the
    theme's and ours); an environment given this cache compiles only the templates whose
    source changed (Jinja checks each source's checksum)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()
