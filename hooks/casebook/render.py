"""Turn the archive into Markdown pages and static files, through the Jinja templates in
`overrides/fragments/casebook/`. The caller supplies the Jinja environment (MkDocs' theme
environment in the hook, a plain one elsewhere)."""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from itertools import groupby

from .citation import (
    CITE_FILES,
    PDF_CSS,
    STYLES,
    citation_files,
    citation_record,
    citation_tags,
    format_citation,
    load_styles,
)
from .feeds import feed_paths, render_feeds
from .index import Archive, Evidence
from .model import KINDS, CaseStudy, Figure, Post, Settings, Site, Term, source_name, src_uri_to_url
from .posts import plain_text
from .search import search_record

TEMPLATES = "fragments/casebook/"
HOME = "index.md"
HOME_TEMPLATE = "overrides/fragments/casebook/home.md"
BLOG_INDEX = "blog/index.md"
CASE_STUDIES_INDEX = "case-studies/index.md"
MATRIX = "matrix.md"
PRINT_LINKS_CSS = "stylesheets/print-links.css"
"""Generated beside docs/stylesheets/print.css, which writes the address after external links:
the exemption of the site's own (mkdocs.yml lists it in extra_css)."""
EXCERPT_LENGTH = 240
"""Characters of a post's text that listings show, when it has no summary."""
_MARKDOWN_ESCAPES = str.maketrans({mark: "\\" + mark for mark in "\\`*_{}[]()#+!|-"})
"""What Python-Markdown (with `tables`, for `|`) reads as syntax and lets a backslash escape;
before any other character, `~` for one, the backslash would show."""
ENTRY_KINDS = {"post": "Post", "page": "Page"}
"""What search results call each kind of post."""
KIND_TITLES = {"lessons": "Lessons", "partners": "Partners", "models": "Models of collaboration"}


def render_site(archive: Archive, env, settings: Settings) -> Site:
    """Every generated page and file of one build."""
    site = Site()
    render = _renderer(env, settings)
    pagers = _pagers(archive.posts)
    organizations = frozenset(t.title for t in archive.terms if t.kind == "partners")
    for post in archive.posts + archive.pages + archive.drafts:
        target = site.draft_pages if post.draft else site.unlisted_pages if post.kind == "post" else site.pages
        # Posts are cited more briefly than case studies: downloads and tags, no CSL
        # formatting, which costs milliseconds per entry (README: "Citing, printing and PDFs").
        record = citation_record(post, settings, organizations) if post.kind == "post" else None
        cite = _cite(post, record, site.draft_pages if post.draft else site.static_files) if record else None
        terms = _terms_of(archive, post.src_uri)
        target[post.src_uri] = render(
            "post.md",
            post.src_uri,
            post=post,
            meta=_entry_meta(post, organizations, settings, cite)
            | {"search": search_record(ENTRY_KINDS[post.kind], post.date, terms)},
            cite=cite,
            pager=pagers.get(post.source),
            terms=terms,
            related=_related(archive, post.src_uri),
        )
    chunks = list(_chunks(archive.posts, settings.posts_per_page)) or [()]
    for number, page_posts in enumerate(chunks, start=1):
        src_uri = blog_page_uri(number)
        (site.pages if number == 1 else site.unlisted_pages)[src_uri] = render(
            "blog.md",
            src_uri,
            posts=page_posts,
            number=number,
            pages=pager_window(number, len(chunks)),
            years=archive.years,
        )
    for year, year_posts in archive.years:
        src_uri = f"blog/{year}/index.md"
        site.unlisted_pages[src_uri] = render("year.md", src_uri, year=year, posts=year_posts, years=archive.years)
    styles = load_styles() if archive.case_studies else {}  # parsed once per build, never per entry
    for study in archive.case_studies:
        record = citation_record(study, settings, organizations)
        cite = _cite(study, record, site.static_files, styles, with_pdf=True)
        site.unlisted_pages[study.src_uri] = render_case_study(study, archive, render, settings, organizations, cite)
    site.pages[CASE_STUDIES_INDEX] = render("case-studies.md", CASE_STUDIES_INDEX, studies=archive.case_studies)
    site.pages[HOME] = render(
        "home.md",
        HOME,
        meta={"edit": _edit_url(settings, HOME_TEMPLATE)},
        featured=next(
            (s for s in archive.case_studies if s.featured), archive.case_studies[0] if archive.case_studies else None
        ),
        newest=archive.posts[:5],
        counts={kind: sum(t.kind == kind for t in archive.terms) for kind in KINDS},
        timeline=_timeline(archive),
    )
    render_terms(archive, render, site, settings)
    for post in archive.posts + archive.pages:
        for alias in post.aliases:
            src_uri = redirect_uri(alias)
            site.static_files[src_uri] = render("redirect.html", src_uri, post=post)
    site.static_files.update(render_feeds(archive, settings.site_url, settings.site_name))
    site.static_files[PRINT_LINKS_CSS] = render_print_links(settings.site_url)
    return site


def render_print_links(site_url: str) -> str:
    """CSS: in print, no address after links into the site. The HTML's internal links are
    relative, but Material's instant navigation makes them absolute, on the site's address,
    and `make pdf` points them at it; only a stylesheet that knows the address tells them
    from external links."""
    prefix = json.dumps(site_url, ensure_ascii=False)
    return f"@media print {{\n  .md-typeset a[href^={prefix}]::after {{\n    content: none;\n  }}\n}}\n"


def render_case_study(
    study: CaseStudy,
    archive: Archive,
    render,
    settings: Settings,
    organizations: frozenset[str],
    cite: dict | None = None,
) -> str:
    """The case study's page: partners, lessons, chapters of sections, figures, source and
    citation; every lesson, partner and model linked to its term page."""
    terms = archive.term_by_key

    def term(kind: str, term_id: str, label: str = "") -> str:
        found = terms.get((kind, term_id))
        text = markdown_text(label or (found.title if found else term_id))
        return f"[{text}]({link(study.src_uri, found.src_uri)})" if found else text

    posts = {post.slug: post for post in archive.posts + archive.pages}
    related = [posts[slug] for slug in study.related_posts if slug in posts]
    related += [entry for entry in _related(archive, study.src_uri) if entry not in related]
    return render(
        "case-study.md",
        study.src_uri,
        study=study,
        meta=_entry_meta(study, organizations, settings, cite)
        | {"search": search_record("Case study", study.date, _terms_of(archive, study.src_uri))},
        cite=cite,
        term=term,
        format_figure=format_figure,
        chapters=[(group, list(sections)) for group, sections in groupby(study.sections, key=lambda s: s.group)],
        related=related,
    )


def render_terms(archive: Archive, render, site: Site, settings: Settings) -> None:
    """A page per term, an overview per kind, the matrix, and the open-data JSON files."""
    terms = archive.term_by_key
    vocabulary = _edit_url(settings, source_name(settings.taxonomy_file, settings.root))
    for term in archive.terms:
        evidence = archive.evidence.get(term.key, ())
        together = archive.together.get(term.key, {})
        site.unlisted_pages[term.src_uri] = render(
            "term.md",
            term.src_uri,
            term=term,
            meta={
                "edit": vocabulary,
                "feeds": [[term.title, *feed_paths(src_uri_to_url(term.src_uri))]],
                "search": search_record("Topic", None, {term.kind: [term]}),
            },
            studies=_by_source(e for e in evidence if e.kind != "post"),
            posts=[e for e in evidence if e.kind == "post"],
            neighbours={
                kind: [
                    terms[k]
                    for k in sorted(
                        (k for k in together if k[0] == kind and k in terms),
                        key=lambda k: (-together[k], terms[k].title),
                    )
                ]
                for kind in KINDS
            },
        )
    for kind in KINDS:
        src_uri = f"{kind}/index.md"
        listed = [t for t in archive.terms if t.kind == kind]
        site.pages[src_uri] = render(
            "terms.md",
            src_uri,
            kind=kind,
            title=KIND_TITLES[kind],
            terms=listed,
            counts={t.key: _counts(archive.evidence.get(t.key, ())) for t in listed},
        )
    site.pages[MATRIX] = render(
        "matrix.md",
        MATRIX,
        tables=[
            _matrix(archive, "partners", "models", "Partners by models of collaboration"),
            _matrix(archive, "lessons", "partners", "Lessons by partners"),
        ],
    )
    export = {kind: [_term_record(t, archive) for t in archive.terms if t.kind == kind] for kind in KINDS}
    site.static_files["api/terms.json"] = _json(export)
    for kind in KINDS:
        site.static_files[f"api/{kind}.json"] = _json(export[kind])


def _matrix(archive: Archive, rows: str, columns: str, title: str) -> dict:
    """Counts of items carrying both a row term and a column term; empty rows and columns left out."""
    row_terms = [t for t in archive.terms if t.kind == rows]
    column_terms = [t for t in archive.terms if t.kind == columns]
    cells = {(r.key, c.key): archive.together.get(r.key, {}).get(c.key, 0) for r in row_terms for c in column_terms}
    row_terms = [r for r in row_terms if any(cells[r.key, c.key] for c in column_terms)]
    column_terms = [c for c in column_terms if any(cells[r.key, c.key] for r in row_terms)]
    return {"title": title, "rows": row_terms, "columns": column_terms, "cells": cells}


def _term_record(term: Term, archive: Archive) -> dict:
    record = {
        "id": term.id,
        "title": term.title,
        "description": term.description,
        "aliases": list(term.aliases),
        "url": term.url,
    }
    if term.kind == "partners":
        record |= {"kind": term.org_kind, "country": term.country, "region": term.region, "website": term.website}
    record["entries"] = [
        {
            "type": e.kind,
            "title": e.title,
            "source": e.source_title,
            "date": e.date.isoformat(),
            "url": src_uri_to_url(e.src_uri) + (f"#{e.anchor}" if e.anchor else ""),
            "passage": e.passage,
        }
        for e in archive.evidence.get(term.key, ())
    ]
    return record


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _counts(evidence: tuple[Evidence, ...]) -> dict[str, int]:
    studies = {e.src_uri for e in evidence if e.kind != "post"}
    return {
        "case studies": len(studies),
        "passages": sum(e.kind != "post" for e in evidence),
        "posts": sum(e.kind == "post" for e in evidence),
    }


def _by_source(evidence) -> list[tuple[str, str, list[Evidence]]]:
    """Case-study evidence grouped by case study, in order: (title, src_uri, evidence)."""
    groups: dict[str, list[Evidence]] = {}
    for item in evidence:
        groups.setdefault(item.src_uri, []).append(item)
    return [(items[0].source_title, src_uri, items) for src_uri, items in groups.items()]


def _terms_of(archive: Archive, src_uri: str) -> dict[str, list[Term]]:
    terms = archive.term_by_key
    keys = archive.entry_terms.get(src_uri, ())
    return {kind: [terms[k] for k in keys if k[0] == kind] for kind in KINDS}


def _related(archive: Archive, src_uri: str) -> list:
    entries = archive.entries
    return [entries[uri] for uri in archive.related.get(src_uri, ()) if uri in entries]


def format_figure(figure: Figure) -> str:
    """`more than US$5,000,000 per year`, `about 40%`, `over 10,000 hours`."""
    number = f"{figure.value:,g}" if figure.value < 1e6 else f"{figure.value:,.0f}"
    if figure.unit == "%":
        text = f"{number}%"
    elif figure.unit.startswith("US$"):
        text = f"US${number}{figure.unit[3:]}"
    else:
        text = f"{number} {figure.unit}".strip()
    return f"{figure.qualifier} {text}".strip()


def redirect_uri(alias: str) -> str:
    """Where the redirect page of a legacy path goes: `/2015/01/20/x/` -> `2015/01/20/x/index.html`."""
    return alias.lstrip("/") + ("index.html" if alias.endswith("/") else "")


def pager_window(number: int, last: int, around: int = 2) -> list[tuple[int, str] | None]:
    """(page number, src_uri) of the first, the last and the `around` nearest pages of the blog
    index, with None for each gap: every page links to a handful, not to all of them."""
    shown = sorted({1, last, *range(max(1, number - around), min(last, number + around) + 1)})
    window: list[tuple[int, str] | None] = []
    for page in shown:
        if window and window[-1] and page > window[-1][0] + 1:
            window.append(None)
        window.append((page, blog_page_uri(page)))
    return window


def blog_page_uri(number: int) -> str:
    """`blog/index.md` for the first page of the blog index, `blog/page/N.md` after it."""
    return BLOG_INDEX if number == 1 else f"blog/page/{number}.md"


def _renderer(env, settings: Settings):
    excerpts: dict[tuple[str, int], str] = {}

    def excerpt_once(post: Post, limit: int = EXCERPT_LENGTH) -> str:
        """`excerpt`, made once per build for each post and length: the blog's pages and the
        years' pages list the same posts."""
        key = (post.source, limit)
        if key not in excerpts:
            excerpts[key] = excerpt(post, limit)
        return excerpts[key]

    def render(template: str, src_uri: str, **context) -> str:
        helpers = {
            "here": src_uri,
            "link": lambda target: link(src_uri, target),
            "href": lambda target: href(src_uri, target),
            "md": markdown_text,
            "format_date": format_date,
            "excerpt": excerpt_once,
            "excerpt_text": lambda text: plain_text(text, 300),
            "site_name": settings.site_name,
            "meta": {},
        }
        return env.get_template(TEMPLATES + template).render(**(helpers | context))

    return render


def link(from_src_uri: str, to_src_uri: str) -> str:
    """A Markdown link target from one page's source to another's (MkDocs checks and
    rewrites these, and so does any engine that reads Markdown sources)."""
    start = posixpath.dirname(from_src_uri)
    relative = _relative(to_src_uri, start) if to_src_uri else ""  # relpath refuses an empty path
    return relative or posixpath.relpath(to_src_uri, start or ".")


def href(from_src_uri: str, to_src_uri: str) -> str:
    """A relative URL for raw HTML, from the page built from `from_src_uri` (a page or a
    static file) to the page built from `to_src_uri`; relative so that the site also works
    under a sub-path such as GitHub Pages' /REPO/."""
    if from_src_uri.endswith(".md"):
        from_dir = src_uri_to_url(from_src_uri)
    else:
        from_dir = posixpath.dirname(from_src_uri) + "/"
    target = src_uri_to_url(to_src_uri) if to_src_uri.endswith(".md") else to_src_uri
    relative = _relative(target, from_dir) or posixpath.relpath("/" + target, "/" + from_dir)
    return "./" if relative == "." else relative + ("/" if target.endswith("/") else "")


def _relative(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` for plain paths inside the site, ten times faster (the
    pages of a build ask for some 30,000 links); "" when either path is not plain."""
    parts, start_parts = _segments(path), _segments(start)
    if parts is None or start_parts is None:
        return ""
    common = 0
    for part, start_part in zip(parts, start_parts, strict=False):
        if part != start_part:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + parts[common:]) or "."


def _segments(path: str) -> list[str] | None:
    """The segments of `a/b.md` or `a/b/` (`""` is the site's root), or None unless the path
    is plain: relative, with no empty, `.` or `..` segment, which relpath would normalise."""
    if path.startswith("/"):
        return None
    path = path.removesuffix("/")
    parts = path.split("/") if path else []
    return None if "" in parts or "." in parts or ".." in parts else parts


def markdown_text(text: str) -> str:
    """Text made safe to place inside Markdown: HTML escaped, Markdown syntax neutralised."""
    return html.escape(text, quote=False).translate(_MARKDOWN_ESCAPES)


def format_date(value: dt.date | dt.datetime) -> str:
    """`20 January 2015`."""
    return f"{value.day} {value:%B %Y}"


def excerpt(post: Post, limit: int = EXCERPT_LENGTH) -> str:
    """The post's summary, or the start of its text."""
    return post.summary or plain_text(post.body, limit)


def _pagers(posts: tuple[Post, ...]) -> dict[str, tuple[Post | None, Post | None]]:
    """The (newer, older) neighbours of each published post, by source path."""
    last = len(posts) - 1
    return {
        post.source: (posts[n - 1] if n else None, posts[n + 1] if n < last else None) for n, post in enumerate(posts)
    }


def _chunks(items: tuple, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _edit_url(settings: Settings, source: str) -> str:
    return settings.edit_base + source if settings.edit_base and source else ""


def _entry_meta(
    entry: Post | CaseStudy, organizations: frozenset[str], settings: Settings, cite: dict | None = None
) -> dict:
    """What the theme's head needs about a post or case study: the edit link, the image, the
    canonical original of a repost, the schema.org record (JSON-LD) and, from the citation
    record, the Highwire Press `citation_*` tags. Authors named in `organizations` (the
    partners' titles) are organisations in JSON-LD, the others people."""
    if isinstance(entry, Post):
        names, image, kind = entry.authors, entry.image, "BlogPosting" if entry.kind == "post" else "WebPage"
        published, description = entry.published.isoformat(), excerpt(entry, 300)
    else:
        names, image, kind = tuple(name for name, _ in entry.authors), "", "Article"
        published, description = entry.published.isoformat(), entry.subtitle or plain_text(entry.summary, 300)
    record = {
        "@context": "https://schema.org",
        "@type": kind,
        "url": settings.site_url + entry.url,
        "headline": entry.title,
        "description": description,
        "datePublished": published,
        "author": [{"@type": "Organization" if n in organizations else "Person", "name": n} for n in names],
        "publisher": {"@type": "Organization", "name": getattr(entry, "organization", "") or settings.site_name},
    }
    if image:
        record["image"] = image
    return {
        "edit": _edit_url(settings, entry.source),
        "image": image,
        "canonical": getattr(entry, "canonical_url", ""),
        "published": published,
        "ld": record,
        "citation": cite["tags"] if cite else [],
        "pdf_css": cite["pdf_css"] if cite else "",
    }


def _cite(entry: Post | CaseStudy, record: dict, files: dict[str, str], styles=None, with_pdf: bool = False) -> dict:
    """What the templates and the head need to cite an entry: the citation in each parsed CSL
    style, the downloads (added to `files`, beside the page), the PDF that `make pdf` writes
    beside the page when `with_pdf`, and the `citation_*` tags."""
    folder = entry.src_uri.removesuffix(".md") + "/"
    files.update({folder + name: text for name, text in citation_files(record).items()})
    pdf = f"{entry.slug}.pdf" if with_pdf else ""
    return {
        "url": record["URL"],
        "styles": [
            (key, STYLES[key][0], *_both(format_citation(record, style))) for key, style in (styles or {}).items()
        ],
        "files": {name.rsplit(".", 1)[1]: folder + name for name in CITE_FILES},
        "pdf": folder + pdf if pdf else "",
        "pdf_css": folder + PDF_CSS if pdf else "",
        "tags": citation_tags(record, record["URL"] + pdf if pdf else ""),
    }


def _both(formatted: str) -> tuple[str, str]:
    """A citation as HTML and as the plain text that readers copy."""
    return formatted, html.unescape(re.sub(r"<[^>]+>", "", formatted))


def _timeline(archive: Archive) -> list[tuple[int, int]]:
    """(year, posts that year) for every year from the first post to the last, gaps included."""
    counts = {year: len(posts) for year, posts in archive.years}
    return [(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)] if counts else []
