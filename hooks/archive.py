"""MkDocs hooks for the casebook: translate MkDocs events into calls of the `casebook`
package beside this file. This is the only module that imports MkDocs.

MkDocs loads this module once per process and calls its `on_*` functions: here, the methods
of one `Hooks` object, which holds the session (what `mkdocs serve` keeps between builds,
made in `on_startup`) and the build (made afresh in `on_config`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import mkdocs
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils.meta import get_data

# MkDocs puts this folder on sys.path only while it executes this file: import the package now.
import casebook
from casebook.preview.plan import nav_paths, theme_stamp

log = get_plugin_logger("casebook")
INCLUSION = {
    casebook.NAV: InclusionLevel.UNDEFINED,
    casebook.UNLISTED: InclusionLevel.NOT_IN_NAV,
    casebook.DRAFT: InclusionLevel.DRAFT,
    casebook.FILE: InclusionLevel.UNDEFINED,
}


@dataclass
class Build:
    """One build: where the project is, its settings and their problems, and during a full
    `mkdocs build` the search indexing, fed each page as it is written."""

    root: Path
    site_dir: Path
    settings: casebook.Settings
    problems: list[casebook.Problem] = field(default_factory=list)
    indexer: casebook.SearchIndexer | None = None


class Hooks:
    def __init__(self) -> None:
        self.session = casebook.ServeSession()

    def on_startup(self, command: str, dirty: bool) -> None:
        self.session = casebook.ServeSession(command, dirty)

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        edit = casebook.edit_base(config.repo_url, config.edit_uri, Path(config.docs_dir).name)
        options = config.extra.get("casebook")
        settings, problems = casebook.read_settings(
            options, root, site_name=config.site_name, site_url=config.site_url, edit_base=edit
        )
        self.build = Build(root, Path(config.site_dir), settings, problems)
        return config

    @event_priority(50)  # before plugins, so that a plugin a project adds sees generated pages
    def on_files(self, files: Files, config) -> Files:
        build, session = self.build, self.session
        docs = {
            f.abs_src_path: f.url if f.inclusion.is_included() else None for f in files if f.src_dir == config.docs_dir
        }
        config.theme.get_env().bytecode_cache = session.templates
        site = casebook.build_site(
            build.settings,
            config.theme.get_env(),
            frozenset(file.url for file in files.documentation_pages()),
            docs_files=docs,
            existing_files=frozenset(file.dest_uri for file in files),
            sources=session.sources,
        )
        self._report(build.problems + list(site.problems), site.notes)
        # A hand-written page wins; MkDocs lists pages of the navigation first.
        added = {uri: output for uri, output in site.outputs.items() if files.get_file_from_path(uri) is None}
        added = dict(sorted(added.items(), key=lambda item: casebook.PLACES.index(item[1].place)))
        if not session.dirty:
            session.forget_outputs(build.root, build.site_dir)
            for uri, output in added.items():
                files.append(File.generated(config, uri, content=output.content, inclusion=INCLUSION[output.place]))
            return files
        written = session.store_generated(build.root, build.site_dir, {uri: o.content for uri, o in added.items()})
        for uri, output in added.items():
            files.append(
                File.generated(config, uri, abs_src_path=str(written[uri][0]), inclusion=INCLUSION[output.place])
            )
        pages = {
            f.src_uri: added[f.src_uri].content if f.src_uri in added else f.content_string
            for f in files.documentation_pages()
        }
        nav = _nav_sources(config, files)
        shown = [
            (uri, repr(meta := get_data(pages.get(uri, ""))[1]), None if "title" in meta else pages.get(uri, ""))
            for uri in sorted(nav)
        ]
        layout = [_config_text(config), theme_stamp(config.theme.dirs, config.theme.custom_dir), shown]
        outputs = {f.src_uri: (f.dest_uri, f.abs_src_path) for f in files}
        session.prepare_dirty_build(build.root, build.site_dir, layout, outputs, written, pages, nav)
        return files

    def _report(self, problems, notes) -> None:
        """Notes and problems in the log; outside `mkdocs serve`, problems fail the build."""
        for note in notes:
            log.info(f"note: {note}")
        for problem in problems:
            log.warning(str(problem))
        if problems and not self.session.serving:
            raise PluginError(f"{len(problems)} problem(s) in the content, listed above. Fix them and build again.")

    def on_page_content(self, html, page, config, files):
        """Sanitise the HTML of the generated pages, which carry contributed content, and free
        their Markdown (MkDocs keeps every page's source twice until the build ends, half
        its memory at 10,000 posts); hand-written docs/ pages are trusted as they are."""
        if page.file.generated_by is None:
            return html
        page.markdown = ""
        if page.file.abs_src_path is None:  # in memory, not a file of the dirty builds' store
            page.file.content_string = ""
        return casebook.sanitize_page(html, page.file.src_uri, self.build.settings.iframe_hosts)

    def on_page_context(self, context, page, config, nav):
        """A generated page's "edit this page" link opens the source it was made from."""
        if page.meta.get("casebook") is not None:
            page.edit_url = page.meta["casebook"].get("edit") or None
        return context

    def on_env(self, env, config, files):
        """Templates compiled once per `mkdocs serve` session. A full `mkdocs build` indexes
        each page for search as it is written, on another core while the rest render; a
        preview indexes the finished site (`on_post_build`), as it may rebuild only some pages."""
        env.bytecode_cache = self.session.templates
        settings = self.build.settings
        if settings.search and not self.session.serving and not self.session.dirty:
            pages = len(files.documentation_pages())
            self.build.indexer = casebook.SearchIndexer(self.build.site_dir, pages, settings.search_bundle_pages)
        return env

    def on_post_page(self, output, page, config):
        if self.build.indexer is not None:
            self.build.indexer.add(page.file.dest_uri, output)
        return output

    def on_post_build(self, config):
        """Finish the search index (Pagefind), which reads the written HTML."""
        build = self.build
        if not build.settings.search:
            return
        if self.session.serving:
            self.session.index_preview(build.site_dir, build.settings.search_bundle_pages, _report_preview_index)
            return
        try:
            index = build.indexer.finish() if build.indexer else casebook.index_site(build.site_dir)
        except casebook.SearchFailed as error:
            raise PluginError(str(error)) from None
        log.info(f"search: {index}")

    def on_build_error(self, error):
        """A failed build writes no search index."""
        if self.build.indexer is not None:
            self.build.indexer.abandon()

    def on_shutdown(self) -> None:
        self.session.close()


def _nav_sources(config, files: Files) -> set[str]:
    """The `src_uri` of every page that may be in the navigation: those mkdocs.yml's `nav`
    names, or without one every page not kept out of it."""
    if config.nav is None:
        return {file.src_uri for file in files.documentation_pages() if file.inclusion.is_in_nav()}
    found = (files.get_file_from_path(path.lstrip("/")) for path in nav_paths(config.nav))
    return {file.src_uri for file in found if file is not None}


def _config_text(config) -> str:
    """The configuration as text, to tell whether it changed between builds; plugins and hooks
    by name and settings, as their objects print with their addresses."""
    parts = {key: repr(value) for key, value in config.items() if key not in ("plugins", "hooks")}
    parts["plugins"] = repr([(name, getattr(plugin, "config", None)) for name, plugin in config.plugins.items()])
    parts["mkdocs"] = mkdocs.__version__
    return json.dumps(parts, sort_keys=True)


def _report_preview_index(outcome) -> None:
    """Under `mkdocs serve`: a failure to index is shown, and the preview goes on."""
    if isinstance(outcome, casebook.SearchFailed):
        log.warning(str(outcome))
    else:
        log.info(f"search: {outcome}")


_hooks = Hooks()
on_startup, on_config, on_files = _hooks.on_startup, _hooks.on_config, _hooks.on_files
on_page_content, on_page_context, on_env = _hooks.on_page_content, _hooks.on_page_context, _hooks.on_env
on_post_page, on_post_build, on_build_error, on_shutdown = (
    _hooks.on_post_page,
    _hooks.on_post_build,
    _hooks.on_build_error,
    _hooks.on_shutdown,
)
