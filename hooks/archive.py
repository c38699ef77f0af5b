"""MkDocs hooks for the casebook: translate MkDocs events into calls of the `casebook`
package beside this file. This is the only module that imports MkDocs."""

from __future__ import annotations

import threading
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

# MkDocs puts this folder on sys.path only while it executes this file: import the package now.
import casebook

log = get_plugin_logger("casebook")
_serving = False
_dirty = False
_indexer: casebook.SearchIndexer | None = None
"""A full build's search indexing, fed each page as it is written."""
_indexing: threading.Thread | None = None
"""Under `mkdocs serve`, the search indexing of the last build (it runs beside the preview)."""
_settings: casebook.Settings | None = None
"""This build's settings, replaced by `on_files` at the start of every build."""


def on_startup(command: str, dirty: bool) -> None:
    """`startup`, once per process: remember whether this is `mkdocs serve`, where content
    problems are shown but do not stop the preview, and drafts are shown."""
    global _serving, _dirty
    _serving, _dirty = command == "serve", dirty


@event_priority(50)
def on_files(files, config):
    """`files`, every build: run the pipeline and add the generated pages and files.
    Runs before plugins (priority 50) so that search and the sitemap see generated pages."""
    global _settings
    root = Path(config.config_file_path).resolve().parent
    settings, problems = casebook.read_settings(
        config.extra.get("casebook"),
        root,
        site_name=config.site_name,
        site_url=config.site_url,
        edit_base=casebook.edit_base(config.repo_url, config.edit_uri, Path(config.docs_dir).name),
    )
    _settings = settings
    taken = frozenset(file.url for file in files.documentation_pages())
    docs = {f.abs_src_path: f.url if f.inclusion.is_included() else None for f in files if f.src_dir == config.docs_dir}
    existing = frozenset(file.dest_uri for file in files)
    site = casebook.build_site(settings, config.theme.get_env(), taken, docs_files=docs, existing_files=existing)
    problems += site.problems
    for note in site.notes:
        log.info(f"note: {note}")
    for problem in problems:
        log.warning(str(problem))
    if problems and not _serving:
        raise PluginError(f"{len(problems)} problem(s) in the content, listed above. Fix them and build again.")
    for pages, inclusion in (
        (site.pages, InclusionLevel.UNDEFINED),
        (site.unlisted_pages, InclusionLevel.NOT_IN_NAV),
        (site.draft_pages, InclusionLevel.DRAFT),
        (site.static_files, InclusionLevel.UNDEFINED),
    ):
        for src_uri, content in pages.items():
            if files.get_file_from_path(src_uri) is None:  # a hand-written page wins (e.g. docs/index.md)
                files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
    return files


def on_page_content(html, page, config, files):
    """`page_content`, every page: sanitise the HTML of the generated pages, which carry
    contributed content (posts' raw HTML, case studies, the vocabulary); hand-written docs/
    pages are trusted as they are."""
    if page.file.generated_by is None:
        return html
    return casebook.sanitize_page(html, page.file.src_uri, _settings.iframe_hosts if _settings else ())


def on_page_context(context, page, config, nav):
    """`page_context`, every page: a generated page's "edit this page" link opens the source
    it was made from (a post, a case study, the vocabulary), never the generated Markdown."""
    if page.meta.get("casebook") is not None:
        page.edit_url = page.meta["casebook"].get("edit") or None
    return context


def on_env(env, config, files):
    """`env`, every build, before the pages: a full `mkdocs build` indexes each page for
    search as it is written (`on_post_page`), on another core while the rest render; a
    preview indexes the finished site instead (`on_post_build`), since it may rebuild only
    some pages."""
    global _indexer
    if _settings is not None and _settings.search and not _serving and not _dirty:
        _indexer = casebook.SearchIndexer(Path(config.site_dir))
    return env


def on_post_page(output, page, config):
    """`post_page`, every page written: hand it to the search indexer."""
    if _indexer is not None:
        _indexer.add(page.file.dest_uri, output)
    return output


def on_post_build(config):
    """`post_build`, every build: finish the search index (Pagefind), which reads the written
    HTML. Under `mkdocs serve` it runs beside the preview, which reloads as soon as the pages
    are written; search catches up a moment later."""
    global _indexer, _indexing
    site_dir = Path(config.site_dir)
    if _settings is None or not _settings.search:
        return
    if not _serving:
        indexer, _indexer = _indexer, None
        try:
            index = indexer.finish() if indexer else casebook.index_site(site_dir)
        except casebook.SearchFailed as error:
            raise PluginError(str(error)) from None
        log.info(f"search: {index.pages} pages indexed in {index.seconds:.1f} s")
        return
    on_shutdown()  # one index at a time: the previous build's first, if it is still running
    _indexing = threading.Thread(target=index_beside_preview, args=(site_dir,), daemon=True)
    _indexing.start()


def on_build_error(error):
    """`build_error`: a failed build writes no search index."""
    global _indexer
    if _indexer is not None:
        _indexer.abandon()
        _indexer = None


def index_beside_preview(site_dir: Path) -> None:
    """Pagefind under `mkdocs serve`: a failure is shown, and the preview goes on."""
    try:
        index = casebook.index_site(site_dir)
    except casebook.SearchFailed as error:
        log.warning(str(error))
        return
    log.info(f"search: {index.pages} pages indexed in {index.seconds:.1f} s")


def on_shutdown() -> None:
    """`shutdown`, at the end of `mkdocs serve`: let the last search indexing finish."""
    if _indexing is not None:
        _indexing.join()
