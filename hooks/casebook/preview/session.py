"""The session of one MkDocs process: what `mkdocs serve` keeps between its builds, and the
preparation of a dirty build, which rebuilds only what an edit changed, with a site byte for
byte the same as a clean build's (tests/test_edit_loop.py proves it)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ..pipeline import Sources
from ..publish.search import PreviewIndexer
from .memo import SourceMemo, TemplateMemo, digest
from .plan import CODE_STAMP, Outputs, apply_plan, file_signature, plan_rebuild
from .store import GeneratedStore, prune_stores, store_folder


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
        self.store: GeneratedStore | None = None
        self.preview_index: PreviewIndexer | None = None
        """Under `mkdocs serve`, the search indexing beside the preview, made by the first build."""

    def forget_outputs(self, root: Path, site_dir: Path) -> None:
        """After a clean build: the next dirty build into `site_dir` cannot trust what it remembers."""
        GeneratedStore(store_folder(root, site_dir)).write_state(None, site_dir)

    def store_generated(self, root: Path, site_dir: Path, contents: Mapping[str, str]) -> dict[str, tuple[Path, str]]:
        """Write the generated pages and files into the store of `site_dir` (see `GeneratedStore.write`)."""
        folder = store_folder(root, site_dir)
        if self.store is None or self.store.folder != folder:
            self.store = GeneratedStore(folder)
        return self.store.write(contents)

    def prepare_dirty_build(
        self,
        root: Path,
        site_dir: Path,
        layout: list,
        files: Mapping[str, tuple[str, str | None]],
        written: Mapping[str, tuple[Path, str]],
        pages: Mapping[str, str],
        nav: Iterable[str],
    ) -> None:
        """Prepare the site folder for a dirty build after `store_generated`: MkDocs rebuilds a
        page only when its source is newer than its output, so remove the outputs whose source
        is gone and date back those out of date for other reasons (`plan_rebuild`). `layout`
        is what every page shows besides its own source (configuration, theme, navigation);
        `files` maps each file's `src_uri` to its `dest_uri` and path on disk; `pages` each
        page's Markdown; `nav` the pages of the navigation."""
        signatures = {
            src_uri: (dest_uri, written[src_uri][1] if src_uri in written else file_signature(path))
            for src_uri, (dest_uri, path) in files.items()
        }
        current = Outputs(digest(json.dumps([*layout, CODE_STAMP, self.serving]).encode()), signatures)
        apply_plan(plan_rebuild(self.store.read_state(), current, pages, nav), site_dir)
        self.store.write_state(current, site_dir)
        prune_stores(root, self.store.folder)

    def index_preview(self, site_dir: Path, bundle_pages: int, report: Callable[[object], None]) -> None:
        """Under `mkdocs serve`: index the site for search beside the preview, which reloads as
        soon as the pages are written; search catches up a moment later."""
        self.preview_index = self.preview_index or PreviewIndexer(report)
        self.preview_index.request(site_dir, bundle_pages)

    def close(self) -> None:
        """Let the search indexing under way finish."""
        if self.preview_index is not None:
            self.preview_index.wait()
