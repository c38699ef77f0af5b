"""load -> validate -> index -> render: one function per build, shared by the MkDocs hook,
the scripts and the tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .content.case_studies import load_case_studies, unloaded_study_references
from .content.checks import validate_case_studies, validate_urls
from .content.posts import load_posts, unloaded_references, unloaded_slugs
from .content.vocabulary import check_references, load_vocabulary, unused_terms
from .index import Archive, FindTags, build_archive
from .model import Problem, Term, source_name
from .settings import Settings
from .site.manifest import not_read_notes, render_manifest
from .site.outputs import MANIFEST, PLACES, Output, Site, check_outputs
from .site.pages import render_site
from .site.reuse import Reuse, fingerprint, make_anew
from .site.sources import check_links, check_study_links, link_targets
from .tagging import Tagger

TAXONOMY_SCHEMA = "taxonomy.schema.json"
"""The vocabulary's schema sits beside it."""


class Sources:
    """How a build reads its sources: afresh, each time. `mkdocs serve` reads through a
    `preview.SourceMemo`, which keeps what is unchanged since its previous build."""

    def load_posts(self, posts_dir: Path, root: Path) -> tuple[list, list[Problem]]:
        return load_posts(posts_dir, root)

    def load_case_studies(self, folder: Path, root: Path) -> tuple[list, list[Problem]]:
        return load_case_studies(folder, root)

    def load_vocabulary(self, path: Path, schema_path: Path, root: Path) -> tuple[tuple[Term, ...], list[Problem]]:
        return load_vocabulary(path, schema_path, root)

    def tag_finder(self, terms: tuple[Term, ...]) -> FindTags:
        return Tagger(terms).tag


@dataclass(frozen=True, slots=True)
class Checked:
    """The content, loaded, validated and indexed, with its problems and notes."""

    archive: Archive
    problems: tuple[Problem, ...]
    """Content mistakes: a build with any of them fails."""
    notes: tuple[Problem, ...]
    """Worth a look, but no reason to fail a build (a term that nothing uses yet)."""


def check_content(
    settings: Settings, taken_urls: frozenset[str] = frozenset(), sources: Sources | None = None
) -> Checked:
    """load -> validate -> index, without rendering: what `scripts/validate.py` runs.
    `taken_urls` are the URLs of hand-written pages, which generated pages must not take;
    `sources` reads the files (afresh unless given)."""
    loader = sources or Sources()
    posts, problems = loader.load_posts(settings.posts_dir, settings.root)
    studies, study_problems = loader.load_case_studies(settings.case_studies_dir, settings.root)
    terms, term_problems = loader.load_vocabulary(
        settings.taxonomy_file, settings.taxonomy_file.with_name(TAXONOMY_SCHEMA), settings.root
    )
    problems += study_problems + term_problems
    problems += validate_urls(posts, taken_urls)
    problems += validate_case_studies(studies, posts, unloaded_slugs(settings.posts_dir, settings.root, posts))
    # Files with problems of their own: their term ids are checked too, and count as used.
    unloaded = unloaded_references(settings.posts_dir, settings.root, posts)
    unloaded += unloaded_study_references(settings.case_studies_dir, settings.root, studies)
    problems += check_references(posts, studies, terms, unloaded) if terms else []
    archive = build_archive(posts, studies, terms, loader.tag_finder(terms))
    used = set(archive.evidence) | {(kind, term_id) for _, kind, term_id, _ in unloaded}  # tagged or mentioned
    notes = unused_terms(terms, used, source_name(settings.taxonomy_file, settings.root))
    return Checked(archive, tuple(problems), tuple(notes))


def build_site(
    settings: Settings,
    env,
    taken_urls: frozenset[str] = frozenset(),
    *,
    docs_files: Mapping[str, str | None] | None = None,
    existing_files: frozenset[str] = frozenset(),
    sources: Sources | None = None,
    reuse: Reuse = make_anew,
) -> Site:
    """Every generated page and file, with the content's problems and notes, and the
    manifest of the build. `docs_files` maps each file of docs/ (absolute path) to its URL, or
    None when excluded; `existing_files` are the output paths of docs/ and the theme, which
    no generated file may replace; `sources` is as for `check_content`; `reuse` gives back
    the pages and checks of an earlier build with the same inputs (`site/reuse.py`)."""
    checked = check_content(settings, taken_urls, sources)
    outputs, output_problems = check_outputs(render_site(checked.archive, env, settings, reuse), existing_files)
    site = Site(dict(sorted(outputs.items(), key=lambda item: PLACES.index(item[1].place))))  # MkDocs' order
    link_problems, link_notes = check_source_links(checked.archive, site, existing_files, taken_urls, reuse)
    problems = checked.problems + tuple(output_problems) + tuple(link_problems)
    manifest = render_manifest(checked.archive, site, settings, problems, docs_files or {}, reuse)
    notes = checked.notes + tuple(link_notes) + tuple(not_read_notes(settings))
    outputs = site.outputs | {MANIFEST: Output(manifest)}
    return Site(outputs, problems, notes)


def check_source_links(
    archive: Archive,
    site: Site,
    existing_files: frozenset[str],
    taken_urls: frozenset[str],
    reuse: Reuse = make_anew,
) -> tuple[list[Problem], list[Problem]]:
    """(problems, notes) of the links of the posts and of the case studies' Markdown: to a file
    that neither the site (`site`'s outputs, `existing_files` of docs/ and the theme) nor the
    sources have; to an old address. A post's are found again only when `reuse` has none for
    the post, its lines, the link targets and the files."""
    targets, files = link_targets(archive, reuse), site.outputs.keys() | existing_files
    shared = fingerprint(targets, sorted(files), sorted(taken_urls))
    problems, notes = [], []
    for post in archive.posts + archive.pages + archive.drafts:
        key = ("links", post, tuple(sorted(post.lines.items())), shared)
        found, noted = reuse(key, lambda post=post: check_links(post, targets, files, taken_urls))
        problems += found
        notes += noted
    for study in archive.case_studies:
        found, noted = check_study_links(study, targets, files, taken_urls)
        problems += found
        notes += noted
    return problems, notes
