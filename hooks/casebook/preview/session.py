"""The session of one MkDocs process: what `mkdocs serve` keeps between its builds, and the
preparation of a dirty build, which rebuilds only what an edit changed, with a site byte for
byte the same as a clean build's (tests/test_edit_loop.py proves it)."""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Problem
from ..pipeline import Sources
from ..publish.search import PreviewIndexer, SearchFailed, SearchIndex, SearchIndexer, index_site
from ..settings import Settings
from ..site.outputs import SEARCH_OUTPUT, Output
from ..site.reuse import Reuse, make_anew
from .forked import ForkedWork
from .memo import OutputMemo, SourceMemo, TemplateMemo, digest
from .pagecache import BuildCache, save_index, saved_index
from .plan import CODE_STAMP, Outputs, apply_plan, file_signature, plan_rebuild, theme_stamp
from .store import GeneratedStore, mark_store, prune_stores, store_folder


@dataclass
class Build:
    """One build, made afresh for each (`on_config`): where the project is, its settings and
    their problems, and during a full `mkdocs build` the cache of earlier builds and the search
    indexing, fed each page as it is written."""

    root: Path
    site_dir: Path
    settings: Settings
    problems: list[Problem] = field(default_factory=list)
    cache: BuildCache | None = None
    indexer: SearchIndexer | None = None
    saved_index: Path | None = None
    """The search index of an earlier build of the same pages, copied instead of indexing."""
    shown_problems: tuple[Problem, ...] = ()
    """Under `mkdocs serve`, the content problems that the preview's home page shows."""
    site_reused: bool = False
    """The generated site came from the cache: its pages most likely will too."""
    forked: ForkedWork | None = None
    """The pages converted on another core by a forked copy of the build."""
    written_files: list = field(default_factory=list)
    """Files generated in memory that are not pages, which MkDocs writes before the first
    page is rendered: their content is freed then."""
    problem_pages: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    """Under `mkdocs serve`, each page made from a source with problems, by `src_uri`, with them."""

    def problems_on(self, src_uri: str, is_home: bool) -> tuple[Problem, ...]:
        """The problems a page of the preview shows: all of them on the home page, and on a
        page made from a faulty source, that source's."""
        return self.shown_problems if is_home else self.problem_pages.get(src_uri, ())

    def start_index(self, pages: int) -> None:
        """Index each of `pages` for search as it is written, on another core while the rest
        render (a full build; a preview indexes the finished site, `ServeSession.index_preview`),
        unless the cache holds the index of the same pages."""
        if not self.settings.search:
            return
        if self.cache is not None:
            self.saved_index = saved_index(self.cache.store, self._fingerprint())
            if self.saved_index is not None:
                return
        self.indexer = SearchIndexer(self.site_dir, pages, self.settings.search_bundle_pages)

    def index_page(self, dest_uri: str, html: str) -> None:
        if self.indexer is not None:
            self.indexer.add(dest_uri, html)

    def finish_index(self) -> SearchIndex | None:
        """The finished search index, None without search; raises SearchFailed."""
        if not self.settings.search:
            return None
        if self.saved_index is not None:
            start = time.perf_counter()
            shutil.copytree(self.saved_index, self.site_dir / SEARCH_OUTPUT)
            return SearchIndex(0, time.perf_counter() - start, reused=True)
        if self.indexer is None:
            return index_site(self.site_dir, self.settings.search_bundle_pages)
        index = self.indexer.finish()
        if self.cache is not None and self.cache.warnings.count == 0:
            save_index(self.cache.store, self._fingerprint(), self.site_dir / SEARCH_OUTPUT)
        return index

    def _fingerprint(self) -> str:
        return self.cache.fingerprint(self.settings.search_bundle_pages)

    def abandon_index(self) -> None:
        """A failed build writes no search index."""
        if self.indexer is not None:
            self.indexer.abandon()


class ServeSession:
    """Made when MkDocs starts (`on_startup`). Under `mkdocs serve`, content problems are
    shown but do not stop the preview, drafts are shown, and the sources, the compiled
    templates and the generated files are kept between builds; with `--dirty`, each build
    rebuilds only the pages an edit changed."""

    def __init__(self, command: str = "build", dirty: bool = False) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        self.sources = SourceMemo() if self.serving else Sources()
        self.templates = TemplateMemo() if self.serving else None
        self.outputs = OutputMemo() if self.serving else None
        self.store: GeneratedStore | None = None
        self.preview_index: PreviewIndexer | None = None
        """Under `mkdocs serve`, the search indexing beside the preview, made by the first build."""

    def explain_dirty_builds(self, log: logging.Logger) -> None:
        """MkDocs warns at every dirty build that it "will likely lead to inaccurate navigation";
        with this session's plan it does not (tests/test_edit_loop.py): the warning gives way to
        a note on `log` that says so."""
        if self.dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNote(log))

    def show_problems(self, build: Build, problems: list[Problem], outputs: Mapping[str, Output]) -> None:
        """Under `mkdocs serve`, keep the content problems on `build` for the preview to show
        where a contributor looks (`Build.problems_on`): a `mkdocs build` with any fails instead."""
        if not self.serving:
            return
        build.shown_problems = tuple(problems)
        by_source = {}
        for problem in problems:
            by_source.setdefault(problem.path, []).append(problem)
        build.problem_pages = {
            uri: tuple(by_source[output.source])
            for uri, output in outputs.items()
            if output.source in by_source and uri.endswith(".md")
        }

    def reuse(self, settings: Settings, theme_dirs: list[str], custom_dir: str | None) -> Reuse:
        """How a build of this session reuses the pages and checks of the one before
        (`site/reuse.py`): under `mkdocs serve`, while the settings and the theme's files
        (`theme_stamp`) are the same; otherwise never."""
        if self.outputs is None:
            return make_anew
        return self.outputs.start([settings, theme_stamp(theme_dirs, custom_dir)])

    def forget_outputs(self, build: Build) -> None:
        """After a clean build: the next dirty build into its folder cannot trust what it remembers."""
        GeneratedStore(store_folder(build.root, build.site_dir)).write_state(None, build.site_dir)

    def store_generated(self, build: Build, contents: Mapping[str, str]) -> dict[str, tuple[Path, str]]:
        """Write the generated pages and files into the store of the build's site folder
        (`GeneratedStore.write`): a dirty build compares them by time with their outputs."""
        folder = store_folder(build.root, build.site_dir)
        if self.store is None or self.store.folder != folder:
            self.store = GeneratedStore(folder)
        return self.store.write(contents)

    def prepare_dirty_build(
        self,
        build: Build,
        layout: list,
        files: Mapping[str, tuple[str, str | None]],
        written: Mapping[str, tuple[Path, str]],
        pages: Mapping[str, str],
        nav: Mapping[str, dict],
    ) -> None:
        """Prepare the site folder for a dirty build after `store_generated`: MkDocs rebuilds a
        page only when its source is newer than its output, so remove the outputs whose source
        is gone and date back those out of date for other reasons (`plan_rebuild`). `layout`
        is what every page shows besides its own source (configuration, theme); `files` maps
        each file's `src_uri` to its `dest_uri` and path on disk; `pages` each page's
        Markdown; `nav` each page of the navigation to its front matter, which with its title
        every page's navigation shows (a title not in the front matter comes from the text)."""
        shown = [
            (uri, repr(meta), None if "title" in meta else digest(pages.get(uri, "").encode()))
            for uri, meta in sorted(nav.items())
        ]
        signatures = {
            src_uri: (dest_uri, written[src_uri][1] if src_uri in written else file_signature(path))
            for src_uri, (dest_uri, path) in files.items()
        }
        current = Outputs(digest(json.dumps([*layout, shown, CODE_STAMP, self.serving]).encode()), signatures)
        # A page of the navigation with a title in its front matter need not be built again
        # for the others to show it: the hook reads that front matter (`on_env`).
        untitled = [uri for uri, meta in nav.items() if "title" not in meta]
        apply_plan(plan_rebuild(self.store.read_state(), current, pages, untitled), build.site_dir)
        self.store.write_state(current, build.site_dir)
        prune_stores(build.root, self.store.folder)

    def keep_cache(self, build: Build) -> None:
        """After a build that used the cache: drop the pages it did not use, and the stores of
        site folders that are gone (a test's, a preview's)."""
        build.cache.pages.prune()
        mark_store(build.cache.store, build.site_dir)
        prune_stores(build.root, build.cache.store)

    def index_preview(self, build: Build, log: logging.Logger) -> None:
        """Under `mkdocs serve`: index the site for search beside the preview, which reloads as
        soon as the pages are written; search catches up a moment later. The outcome goes to
        `log`: a failure is shown, and the preview goes on."""
        if not build.settings.search:
            return

        def report(outcome) -> None:
            if isinstance(outcome, SearchFailed):
                log.warning(str(outcome))
            else:
                log.info(f"search: {outcome}")

        self.preview_index = self.preview_index or PreviewIndexer(report)
        self.preview_index.request(build.site_dir, build.settings.search_bundle_pages)

    def close(self) -> None:
        """Let the search indexing under way finish."""
        if self.preview_index is not None:
            self.preview_index.wait()


DIRTY_WARNING = "A 'dirty' build is being performed"
DIRTY_NOTE = (
    "dirty build: only the pages an edit changed are built again, and the hook marks the others"
    " it changed as out of date, so the site is the same as a clean build's"
)


class _DirtyNote(logging.Filter):
    """Drops MkDocs' dirty-build warning and notes `DIRTY_NOTE` instead; one per logger, however
    many sessions a process starts (filters that compare equal are added once)."""

    def __init__(self, log: logging.Logger) -> None:
        super().__init__()
        self.log = log

    def filter(self, record: logging.LogRecord) -> bool:
        if record.getMessage().startswith(DIRTY_WARNING):
            self.log.info(DIRTY_NOTE)
            return False
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _DirtyNote)

    def __hash__(self) -> int:
        return hash(_DirtyNote)
