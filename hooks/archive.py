"""MkDocs hooks for the casebook: translate MkDocs events into calls of the `casebook`
package beside this file. This is the only module that imports MkDocs."""

from __future__ import annotations

import json
from pathlib import Path

import mkdocs
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.meta import get_data

# MkDocs puts this folder on sys.path only while it executes this file: import the package now.
import casebook

log = get_plugin_logger("casebook")
_serving = False
_dirty = False
_indexer: casebook.SearchIndexer | None = None
"""A full build's search indexing, fed each page as it is written."""
_preview_index: casebook.PreviewIndexer | None = None
"""Under `mkdocs serve`, the search indexing beside the preview, made by the first build."""
_memo: casebook.SourceMemo | None = None
"""The sources parsed by the previous build, kept while `mkdocs serve` runs: MkDocs keeps this
module loaded between its builds. Every lookup compares file contents (casebook/cache.py)."""
_store: casebook.GeneratedStore | None = None
"""Where dirty builds write the generated files, kept between the builds of a session."""
_templates: casebook.TemplateMemo | None = None
"""Under `mkdocs serve`, the templates compiled by earlier builds (MkDocs makes new Jinja
environments for every build)."""
_settings: casebook.Settings | None = None
"""This build's settings, replaced by `on_files` at the start of every build."""


def on_startup(command: str, dirty: bool) -> None:
    """`startup`, once per process: remember whether this is `mkdocs serve`, where content
    problems are shown but do not stop the preview, and drafts are shown; and whether builds
    are dirty (`--dirty`), which then rebuild only the pages an edit changed."""
    global _serving, _dirty, _memo, _store, _templates
    _serving = command == "serve"
    _dirty = dirty
    _memo = casebook.SourceMemo() if _serving else None
    _templates = casebook.TemplateMemo() if _serving else None
    _store = None


@event_priority(50)
def on_files(files, config):
    """`files`, every build: run the pipeline and add the generated pages and files.
    Runs before plugins (priority 50) so that a plugin a project adds sees generated pages."""
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
    env = config.theme.get_env()
    env.bytecode_cache = _templates
    site = casebook.build_site(settings, env, taken, docs_files=docs, existing_files=existing, memo=_memo)
    problems += site.problems
    for note in site.notes:
        log.info(f"note: {note}")
    for problem in problems:
        log.warning(str(problem))
    if problems and not _serving:
        raise PluginError(f"{len(problems)} problem(s) in the content, listed above. Fix them and build again.")
    added = {}
    for pages, inclusion in (
        (site.pages, InclusionLevel.UNDEFINED),
        (site.unlisted_pages, InclusionLevel.NOT_IN_NAV),
        (site.draft_pages, InclusionLevel.DRAFT),
        (site.static_files, InclusionLevel.UNDEFINED),
    ):
        for src_uri, content in pages.items():
            if src_uri not in added and files.get_file_from_path(src_uri) is None:  # a hand-written page wins
                added[src_uri] = (content, inclusion)
    if _dirty:
        _add_stored_files(files, config, root, added)
        return files
    # A clean build: the next dirty build into this folder cannot trust what it remembers.
    site_dir = Path(config.site_dir)
    casebook.GeneratedStore(casebook.store_folder(root, site_dir)).write_state(None, site_dir)
    for src_uri, (content, inclusion) in added.items():
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
    return files


def _add_stored_files(files: Files, config, root: Path, added: dict) -> None:
    """Add the generated pages and files as files of the store, which a dirty build compares
    by time with their outputs, as it does docs/ files (in-memory files always count as
    changed), and prepare the site folder for the dirty build."""
    global _store
    folder = casebook.store_folder(root, Path(config.site_dir))
    if _store is None or _store.folder != folder:
        _store = casebook.GeneratedStore(folder)
    contents = {src_uri: content for src_uri, (content, _) in added.items()}
    written = _store.write(contents)
    for src_uri, (_, inclusion) in added.items():
        files.append(File.generated(config, src_uri, abs_src_path=str(written[src_uri][0]), inclusion=inclusion))
    _plan_dirty_build(files, config, root, contents, written)


def _plan_dirty_build(files: Files, config, root: Path, contents: dict, written: dict) -> None:
    """Prepare the site folder for a dirty build: MkDocs rebuilds a page only when its source
    is newer than its output, so remove the outputs whose source is gone and date back those
    that are out of date for other reasons (casebook.plan_rebuild says which)."""
    site_dir = Path(config.site_dir)
    markdown = {
        file.src_uri: contents[file.src_uri] if file.src_uri in contents else file.content_string
        for file in files.documentation_pages()
    }
    # Every page shows the navigation: the title and the front matter (Material reads `icon`,
    # `subtitle`, `status`) of each page in it; a title that is not in the front matter comes
    # from the page's text.
    nav = _nav_sources(config, files)
    shown = []
    for src_uri in sorted(nav):
        text = markdown.get(src_uri, "")
        meta = get_data(text)[1]
        shown.append((src_uri, repr(meta), None if "title" in meta else casebook.digest(text.encode())))
    theme = casebook.theme_stamp(config.theme.dirs, config.theme.custom_dir)
    layout = [_config_text(config), theme, casebook.CODE_STAMP, _serving, shown]
    signatures = {
        file.src_uri: (
            file.dest_uri,
            written[file.src_uri][1] if file.src_uri in written else casebook.file_signature(file.abs_src_path),
        )
        for file in files
    }
    current = casebook.Outputs(casebook.digest(json.dumps(layout).encode()), signatures)
    casebook.apply_plan(casebook.plan_rebuild(_store.read_state(), current, markdown, nav), site_dir)
    _store.write_state(current, site_dir)
    casebook.prune_stores(root, _store.folder)


def _nav_sources(config, files: Files) -> set[str]:
    """The `src_uri` of every page that may be in the navigation: those mkdocs.yml's `nav`
    names, or without one every page not kept out of it."""
    if config.nav is None:
        return {file.src_uri for file in files.documentation_pages() if file.inclusion.is_in_nav()}
    found = (files.get_file_from_path(path.lstrip("/")) for path in casebook.nav_paths(config.nav))
    return {file.src_uri for file in found if file is not None}


def _config_text(config) -> str:
    """The configuration as text, to tell whether it changed between builds; plugins and hooks
    by name and settings, as their objects print with their addresses."""
    parts = {key: repr(value) for key, value in config.items() if key not in ("plugins", "hooks")}
    parts["plugins"] = repr([(name, getattr(plugin, "config", None)) for name, plugin in config.plugins.items()])
    parts["mkdocs"] = mkdocs.__version__
    return json.dumps(parts, sort_keys=True)


def on_page_content(html, page, config, files):
    """`page_content`, every page: sanitise the HTML of the generated pages, which carry
    contributed content (posts' raw HTML, case studies, the vocabulary), and free their
    Markdown; hand-written docs/ pages are trusted as they are."""
    if page.file.generated_by is None:
        return html
    _release_markdown(page)
    return casebook.sanitize_page(html, page.file.src_uri, _settings.iframe_hosts if _settings else ())


def _release_markdown(page) -> None:
    """Free a generated page's Markdown once it is converted: MkDocs keeps every page's source
    (twice, the file's and the page's) until the build ends, half its memory at 10,000 posts.
    The title stays, read from the front matter already parsed."""
    page.markdown = ""
    if page.file.abs_src_path is None:  # held in memory, not a file of the dirty builds' store
        page.file.content_string = ""


def on_page_context(context, page, config, nav):
    """`page_context`, every page: a generated page's "edit this page" link opens the source
    it was made from (a post, a case study, the vocabulary), never the generated Markdown."""
    if page.meta.get("casebook") is not None:
        page.edit_url = page.meta["casebook"].get("edit") or None
    return context


def on_env(env, config, files):
    """`env`, every build, before the pages: under `mkdocs serve`, the theme's templates are
    compiled once per session, not once per build (`_templates`). A full `mkdocs build`
    indexes each page for search as it is written (`on_post_page`), on another core while
    the rest render; a preview indexes the finished site instead (`on_post_build`), since
    it may rebuild only some pages."""
    global _indexer
    env.bytecode_cache = _templates
    if _settings is not None and _settings.search and not _serving and not _dirty:
        pages = len(files.documentation_pages())
        _indexer = casebook.SearchIndexer(Path(config.site_dir), pages, _settings.search_bundle_pages)
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
    global _indexer, _preview_index
    site_dir = Path(config.site_dir)
    if _settings is None or not _settings.search:
        return
    if not _serving:
        indexer, _indexer = _indexer, None
        try:
            index = indexer.finish() if indexer else casebook.index_site(site_dir)
        except casebook.SearchFailed as error:
            raise PluginError(str(error)) from None
        log.info(f"search: {index}")
        return
    _preview_index = _preview_index or casebook.PreviewIndexer(report_preview_index)
    _preview_index.request(site_dir, _settings.search_bundle_pages)


def on_build_error(error):
    """`build_error`: a failed build writes no search index."""
    global _indexer
    if _indexer is not None:
        _indexer.abandon()
        _indexer = None


def report_preview_index(outcome) -> None:
    """Under `mkdocs serve`: a failure to index is shown, and the preview goes on."""
    if isinstance(outcome, casebook.SearchFailed):
        log.warning(str(outcome))
    else:
        log.info(f"search: {outcome}")


def on_shutdown() -> None:
    """`shutdown`, at the end of `mkdocs serve`: let the search indexing under way finish."""
    if _preview_index is not None:
        _preview_index.wait()
