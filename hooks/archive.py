"""MkDocs hooks for the casebook: translate MkDocs events into calls of the `casebook`
package beside this file, the only module that imports MkDocs. MkDocs loads it once per
process and calls its `on_*` functions: the methods of one `Hooks` object, which holds the
session (what `mkdocs serve` keeps between builds, made in `on_startup`) and the build (made
afresh in `on_config`)."""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path

import jinja2
import mkdocs
from mkdocs.commands.build import _populate_page
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

# MkDocs puts this folder on sys.path only while it executes this file: import the package now.
import casebook
from casebook.preview.forked import ForkedWork
from casebook.preview.pagecache import BuildCache, CacheChanged, CachedPage, code_stamp, read_site, save_site
from casebook.preview.plan import config_text, nav_paths, theme_stamp
from casebook.preview.session import Build
from casebook.preview.store import store_folder

log = get_plugin_logger("casebook")
INCLUSION = {
    casebook.NAV: InclusionLevel.UNDEFINED,
    casebook.UNLISTED: InclusionLevel.NOT_IN_NAV,
    casebook.DRAFT: InclusionLevel.DRAFT,
    casebook.FILE: InclusionLevel.UNDEFINED,
}
HOOKS = Path(__file__).parent
"""This module's folder, with the package: the code that makes the pages."""
FORK_PAGES = 200
"""Below this many pages to convert, a build converts them all itself: forking costs more."""
CACHED_TEMPLATE = "casebook/cached.html"
"""The template of a page the cache holds as the theme rendered it: the page as it is."""


class Hooks:
    def __init__(self) -> None:
        self.session = casebook.ServeSession()

    def on_startup(self, command: str, dirty: bool) -> None:
        self.session = casebook.ServeSession(command, dirty)
        self.session.explain_dirty_builds(log)

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        edit = casebook.edit_base(config.repo_url, config.edit_uri, Path(config.docs_dir).name)
        options, name, url = config.extra.get("casebook"), config.site_name, config.site_url
        settings, problems = casebook.read_settings(options, root, site_name=name, site_url=url, edit_base=edit)
        self.build = Build(root, Path(config.site_dir), settings, problems)
        if not self.session.serving and not self.session.dirty:
            custom = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
            self.build.cache = BuildCache(root, store_folder(root, Path(config.site_dir)), code_stamp([HOOKS, *custom]))
            logging.getLogger("mkdocs").addHandler(self.build.cache.warnings)

    @event_priority(50)  # before plugins, so that a plugin a project adds sees generated pages
    def on_files(self, files: Files, config) -> Files:
        site = self._build_site(files, config)
        problems = self.build.problems + list(site.problems)
        self._report(problems, site.notes)
        self.session.show_problems(self.build, problems, site.outputs)
        added = {uri: output for uri, output in site.outputs.items() if files.get_file_from_path(uri) is None}
        for uri, output in added.items():
            if output.copy:  # a file copied as it is (an image beside its post), compared by time in dirty builds
                files.append(File.generated(config, uri, abs_src_path=output.copy, inclusion=INCLUSION[output.place]))
        added = {uri: output for uri, output in added.items() if not output.copy}
        if self.session.dirty:
            self._add_stored(added, files, config)
        else:  # a clean build: the next dirty build into its folder cannot trust what it remembers
            self.session.forget_outputs(self.build)
            for uri, output in added.items():
                files.append(File.generated(config, uri, content=output.content, inclusion=INCLUSION[output.place]))
        return files

    def on_nav(self, nav, config, files: Files):
        """A `mkdocs build` reuses the pages of earlier builds made from the same sources: the
        stamp of what every page shows besides its own source (configuration, theme, code,
        packages, every file's address, the navigation)."""
        if self.build.cache is not None:
            addresses = sorted((f.src_uri, f.dest_uri, f.url, f.inclusion.name) for f in files)
            layout = [self.build.cache.code, config_text(config, config.plugins, mkdocs.__version__)]
            self.build.cache.stamp = casebook.digest(repr([layout, addresses, _nav_signature(nav.items)]).encode())
            self._fork(config, files)
        return nav

    def _fork(self, config, files: Files) -> None:
        """On a machine of more than one core, a fresh build (its generated site not from the
        cache) forks a copy of itself that converts the second half of the pages, by size."""
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        if self.build.site_reused or len(pages) < FORK_PAGES or (os.cpu_count() or 1) < 2:
            return
        sizes = [len(file.content_bytes) for file in pages]
        half, total = 0, sum(sizes) / 2
        while half < len(pages) and total > 0:
            total -= sizes[half]
            half += 1
        convert = partial(self._convert_forked, config=config, files=files)
        self.build.forked = ForkedWork(pages[half:], lambda file: file.src_uri, convert, "mkdocs")

    def _convert_forked(self, file: File, config, files: Files) -> dict:
        """In the forked copy: the page converted as MkDocs converts it (its own code), and what
        the conversion gave, for the build to take."""
        if file.page is None:
            Page(None, file, config)
        _populate_page(file.page, config, files)
        page, cache, uri = file.page, self.build.cache, file.src_uri
        links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
        converted = {
            "meta": page.meta,
            "content": page.content,
            "toc": page.toc,
            "title": page._title_from_render,
            "anchors": page.present_anchor_ids,
            "links": links,
            "key": cache.keys.get(uri),
            "hit": cache.hits.get(uri),
            "fresh": cache.fresh.get(uri),
        }
        # The copy renders nothing: once handed over, the page's HTML and Markdown are freed.
        page.content = page.markdown = None
        file.content_string = ""
        return converted

    @event_priority(-100)  # after every other handler: the Markdown as it will be converted
    def on_page_markdown(self, markdown, page, config, files):
        """A page the cache holds is not converted: it gets the template that shows it as it is."""
        cache, forked = self.build.cache, self.build.forked
        if cache is None:
            return markdown
        converted = forked.result(page.file.src_uri) if forked else None
        if converted is not None:
            return _take_converted(page, cache, converted)
        neighbours = [other.file.src_uri if other else None for other in (page.previous_page, page.next_page)]
        facts = [page.file.src_uri, page.file.dest_uri, page.url, page.canonical_url, page.meta, neighbours]
        if cache.look_up(page.file.src_uri, facts, markdown) is None:
            return markdown
        page.meta["template"] = CACHED_TEMPLATE
        return ""

    def _build_site(self, files: Files, config) -> casebook.Site:
        """The pipeline's site, given the pages and files MkDocs found."""
        env = config.theme.get_env()
        env.bytecode_cache = self.session.templates
        ours = [file for file in files if file.src_dir == config.docs_dir]
        docs = {file.abs_src_path: file.url if file.inclusion.is_included() else None for file in ours}
        taken = frozenset(file.url for file in files.documentation_pages())
        existing = frozenset(file.dest_uri for file in files)
        sources, settings, cache = self.session.sources, self.build.settings, self.build.cache
        reuse = self.session.reuse(settings, config.theme.dirs, config.theme.custom_dir)
        key = cache and cache.site_key(
            settings, self.build.site_dir, sorted(docs.items()), sorted(taken), sorted(existing)
        )
        site = key and read_site(cache.store, key)
        self.build.site_reused = bool(site)
        if not site:
            site = casebook.build_site(
                settings, env, taken, docs_files=docs, existing_files=existing, sources=sources, reuse=reuse
            )
            if key:
                save_site(cache.store, key, site)
        return site

    def _add_stored(self, added: dict[str, casebook.Output], files: Files, config) -> None:
        """A dirty build: add the generated files as files of the session's store, which MkDocs
        compares by time with their outputs (in-memory ones always count as changed), and
        prepare the site folder."""
        contents = {uri: output.content for uri, output in added.items()}
        written = self.session.store_generated(self.build, contents)
        for uri, output in added.items():
            path, inclusion = str(written[uri][0]), INCLUSION[output.place]
            files.append(File.generated(config, uri, abs_src_path=path, inclusion=inclusion))
        pages = {f.src_uri: contents.get(f.src_uri) or f.content_string for f in files.documentation_pages()}
        nav = {uri: get_data(pages.get(uri, ""))[1] for uri in _nav_sources(config, files)}
        settings_text = config_text(config, config.plugins, mkdocs.__version__)
        theme = theme_stamp(config.theme.dirs, config.theme.custom_dir)
        outputs = {file.src_uri: (file.dest_uri, file.abs_src_path) for file in files}
        shown = [str(problem) for problem in self.build.shown_problems]  # on the home page and others
        self.session.prepare_dirty_build(self.build, [settings_text, theme, shown], outputs, written, pages, nav)

    def _report(self, problems: list[casebook.Problem], notes) -> None:
        """Notes and problems in the log; outside `mkdocs serve`, problems fail the build."""
        for note in notes:
            log.info(f"note: {note}")
        for problem in problems:
            log.warning(str(problem))
        if problems and not self.session.serving:
            raise PluginError(f"{len(problems)} problem(s) in the content, listed above. Fix them and build again.")

    def on_page_content(self, html, page, config, files):
        """Sanitise the HTML of generated pages, which carry contributed content, and free their
        Markdown (MkDocs keeps each page's source twice to the end: half its memory at 10,000
        posts); hand-written docs/ pages are trusted as they are. A page from the cache or
        converted by the forked copy gets back what MkDocs learnt when converting it."""
        cache, uri, generated = self.build.cache, page.file.src_uri, page.file.generated_by is not None
        if generated:
            page.markdown = ""
            if page.file.abs_src_path is None:  # in memory, not a file of the dirty builds' store
                page.file.content_string = ""
        if cache is not None and uri in cache.hits:
            return _restore(page, files, cache.hits[uri])
        if cache is not None and uri in cache.converted_elsewhere:
            return _restore(page, files, *cache.converted_elsewhere.pop(uri))
        if generated:
            html = casebook.sanitize_page(html, uri, self.build.settings.iframe_hosts)
        if cache is not None:
            links = {file.src_uri: anchors for file, anchors in (page.links_to_anchors or {}).items()}
            cache.converted(uri, CachedPage("", page._title_from_render, sorted(page.present_anchor_ids or ()), links))
        return html

    def on_page_context(self, context, page, config, nav):
        """A generated page's "edit this page" link opens the source it was made from. Under
        `mkdocs serve`, the home page and the pages made from a faulty source show its problems
        (overrides/partials/casebook-problems.html). Before the first page is rendered, MkDocs
        has written every file that is not a page: the content of those generated in memory is
        freed (at 10,000 posts, 150 MB of citations, exports and feeds that the build would
        otherwise hold to its end, beside the search indexer). A page from the cache gets its
        HTML now, not when it was "converted" (`BuildCache.look_up`)."""
        for file in self.build.written_files:
            file.content_string = ""
        self.build.written_files = []
        cache = self.build.cache
        if cache is not None and page.file.src_uri in cache.hits:  # its HTML, read again only now
            try:
                page.content = cache.html(page.file.src_uri)
            except CacheChanged as error:
                raise PluginError(str(error)) from None
        if page.meta.get("casebook") is not None:
            page.edit_url = page.meta["casebook"].get("edit") or None
        context["casebook_problems"] = self.build.problems_on(page.file.src_uri, page.is_homepage)
        return context

    def on_env(self, env, config, files):
        self.build.written_files = [
            file
            for file in files
            if file.generated_by is not None and file.abs_src_path is None and not file.is_documentation_page()
        ]
        env.bytecode_cache = self.session.templates
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({CACHED_TEMPLATE: "{{ page.content }}"})])
        if not self.session.serving and not self.session.dirty:
            self.build.start_index(len(files.documentation_pages()))
        if self.session.dirty:
            _read_nav_pages(config, files)
        return env

    @event_priority(100)  # first: the page as the theme rendered it, which the cache keeps
    def on_post_page(self, output, page, config):
        """Keep the page as rendered in the cache, index it, and free its HTML: nothing after
        its own template reads it (the sitemap and the feeds are made from the pipeline)."""
        if self.build.cache is not None:
            self.build.cache.rendered(page.file.src_uri, output)
        self.build.index_page(page.file.dest_uri, output)
        page.content = None
        return output

    def on_post_build(self, config):
        if self.session.serving:
            return self.session.index_preview(self.build, log)
        try:
            index = self.build.finish_index()
        except casebook.SearchFailed as error:
            raise PluginError(str(error)) from None
        if index:
            log.info(f"search: {index}")
        if self.build.cache is not None:
            self.session.keep_cache(self.build)
            self._detach_cache()

    def on_build_error(self, error):
        self.build.abandon_index()
        if self.build.forked is not None:
            self.build.forked.abandon()
        self._detach_cache()

    def _detach_cache(self) -> None:
        if self.build.cache is not None:
            logging.getLogger("mkdocs").removeHandler(self.build.cache.warnings)

    def on_shutdown(self) -> None:
        self.session.close()


def _take_converted(page, cache: BuildCache, converted: dict) -> str:
    """A page the forked copy converted: its front matter as the conversion left it, and the
    cache's record of it; MkDocs converts nothing (`on_page_content` puts the HTML back)."""
    uri = page.file.src_uri
    page.meta = converted["meta"]
    cache.keys[uri] = converted["key"]
    if converted["hit"] is not None:
        cache.hits[uri] = converted["hit"]
        return ""
    if converted["fresh"] is not None:
        cache.fresh[uri] = converted["fresh"]
    learnt = CachedPage(converted["content"], converted["title"], converted["anchors"], converted["links"])
    cache.converted_elsewhere[uri] = (learnt, converted["toc"])
    return ""


def _restore(page, files: Files, cached: CachedPage, toc=None) -> str:
    """A page from the cache or converted elsewhere: its title, anchors, links to anchors and
    table of contents as MkDocs learnt them when it converted the page, and its HTML."""
    if toc is not None:
        page.toc = toc
    page._title_from_render = cached.title
    page.present_anchor_ids = set(cached.anchors)
    targets = {files.get_file_from_path(uri): anchors for uri, anchors in cached.links_to_anchors.items()}
    page.links_to_anchors = {file: anchors for file, anchors in targets.items() if file is not None} or None
    return cached.html


def _nav_signature(items) -> list:
    """What the navigation shows on every page: its sections and links by title, its pages by
    source and the digest of their text, which gives a title when the front matter does not."""
    shown = []
    for item in items:
        if isinstance(item, Section):
            shown.append(("section", item.title, _nav_signature(item.children)))
        elif isinstance(item, Link):
            shown.append(("link", item.title, item.url))
        else:
            shown.append(("page", item.file.src_uri, casebook.digest(item.file.content_bytes)))
    return shown


def _read_nav_pages(config, files: Files) -> None:
    """In a dirty build, after MkDocs has read the pages it builds again (the `on_env` event):
    read the front matter of the navigation's other pages, whose titles every page's
    navigation shows. Those it does not build again have their title in it (the session's
    plan builds the others every time), and it is unchanged since the last build, or the plan
    would build every page again."""
    for uri in _nav_sources(config, files):
        page = files.get_file_from_path(uri).page
        if page is not None and page.markdown is None:
            page.read_source(config)


def _nav_sources(config, files: Files) -> set[str]:
    """The `src_uri` of every page that may be in the navigation: those mkdocs.yml's `nav`
    names, or without one every page not kept out of it."""
    if config.nav is None:
        return {file.src_uri for file in files.documentation_pages() if file.inclusion.is_in_nav()}
    found = (files.get_file_from_path(path.lstrip("/")) for path in nav_paths(config.nav))
    return {file.src_uri for file in found if file is not None}


# MkDocs finds the handlers as this module's `on_*` functions: the methods of one object.
_hooks = Hooks()
globals().update({name: getattr(_hooks, name) for name in dir(Hooks) if name.startswith("on_")})
