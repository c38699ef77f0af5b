"""Turn the archive into the site's outputs: a page per post and case study, the blog's
pages, the home page, the redirects of legacy URLs, the feeds; the vocabulary's pages come
from terms.py. Each output is declared here once, with the source it is made from."""

from __future__ import annotations

import json
import posixpath
from itertools import groupby

from ..index import Archive
from ..model import KINDS, CaseStudy, Figure, Post, Term
from ..settings import Settings
from ..text import markdown_text
from ..urls import link, redirect_uri
from .citation import citation_record, load_styles
from .entries import citation, edit_url, entry_meta, search_record
from .feeds import render_feeds
from .outputs import DRAFT, FILE, NAV, UNLISTED, Output
from .reuse import Reuse, fingerprint, frozen, make_anew
from .sources import LinkTargets, link_sources, link_targets
from .templates import Render, renderer
from .terms import render_terms

HOME = "index.md"
HOME_TEMPLATE = "overrides/fragments/casebook/home.md"
BLOG_INDEX = "blog/index.md"
CASE_STUDIES_INDEX = "case-studies/index.md"
PRINT_LINKS_CSS = "stylesheets/print-links.css"
"""Generated beside docs/stylesheets/print.css, which writes the address after external links:
the exemption of the site's own (mkdocs.yml lists it in extra_css)."""
ENTRY_KINDS = {"post": "Post", "page": "Page"}
"""What search results call each kind of post."""


def render_site(archive: Archive, env, settings: Settings, reuse: Reuse = make_anew) -> list[tuple[str, Output]]:
    """Every generated page and file of one build, as (`src_uri`, output) in the order
    rendered; two may claim one path (`outputs.check_outputs` decides). `reuse` gives back
    what an earlier build made from the same inputs with the same `settings` and templates."""
    render = renderer(env, settings, reuse)
    organizations = frozenset(t.title for t in archive.terms if t.kind == "partners")
    targets = link_targets(archive, reuse)
    feeds = render_feeds(archive, settings.site_url, settings.site_name, reuse)
    print_links = render(
        "print-links.css.html", PRINT_LINKS_CSS, prefix=json.dumps(settings.site_url, ensure_ascii=False)
    )
    return [
        *render_posts(archive, render, settings, organizations, targets, reuse),
        *render_blog(archive, render, settings),
        *render_case_studies(archive, render, settings, organizations, targets, reuse),
        (HOME, render_home(archive, render, settings)),
        *render_terms(archive, render, settings, reuse),
        *render_redirects(archive, render),
        *((path, Output(text)) for path, text in feeds.items()),
        (PRINT_LINKS_CSS, Output(print_links)),
    ]


def render_posts(
    archive: Archive, render: Render, settings: Settings, organizations, targets: LinkTargets, reuse: Reuse = make_anew
) -> list[tuple[str, Output]]:
    """Each post's page (legacy pages in the navigation, drafts for `mkdocs serve` only), and
    its citation downloads. Posts are cited more briefly than case studies: downloads and
    tags, no CSL formatting, which costs milliseconds per entry (README: "Citing, printing
    and PDFs"). A post's outputs are made again only when the post, its line numbers, its
    neighbours, terms or related entries, the partners' names or the link targets changed."""
    outputs = []
    newer_older = _pagers(archive.posts)
    shared = fingerprint(sorted(organizations), targets)
    for post in archive.posts + archive.pages + archive.drafts:
        terms = _terms_of(archive, post.src_uri)
        pager, related = newer_older.get(post.source), _related(archive, post.src_uri)
        key = ("post", post, tuple(sorted(post.lines.items())), pager, frozen(terms), tuple(related), shared)

        def make(post=post, terms=terms, pager=pager, related=related) -> tuple[tuple[str, Output], ...]:
            return tuple(render_post(post, render, settings, organizations, targets, terms, pager, related))

        outputs += reuse(key, make)
    return outputs


def render_post(
    post: Post, render: Render, settings: Settings, organizations, targets: LinkTargets, terms, pager, related
) -> list[tuple[str, Output]]:
    """One post's page, its citation downloads and the files beside it."""
    outputs = []
    cite = None
    if post.kind == "post":
        cite, files = citation(post, citation_record(post, settings, organizations))
        outputs += files.items()
    text = render(
        "post.md",
        post.src_uri,
        post=post,
        body=link_sources(post.body, post.source, post.src_uri, targets),
        meta=entry_meta(post, organizations, settings, cite, _image_url(post, targets, settings))
        | {"search": search_record(ENTRY_KINDS[post.kind], post.date, terms)},
        cite=cite,
        pager=pager,
        terms=terms,
        related=related,
    )
    place = DRAFT if post.draft else UNLISTED if post.kind == "post" else NAV
    outputs.append((post.src_uri, Output(text, place, post.source, post.lines.get("slug"))))
    for file in post.files:
        copy = str(settings.root / file)
        outputs.append((targets.files[file], Output("", DRAFT if post.draft else FILE, file, copy=copy)))
    return outputs


def render_blog(archive: Archive, render: Render, settings: Settings) -> list[tuple[str, Output]]:
    """The blog's index, `posts_per_page` posts a page (the first in the navigation), and a
    page per year; each links to every year, with its number of posts."""
    outputs = []
    years = [(year, len(year_posts)) for year, year_posts in archive.years]
    size = settings.posts_per_page
    chunks = [archive.posts[start : start + size] for start in range(0, len(archive.posts), size)] or [()]
    for number, page_posts in enumerate(chunks, start=1):
        src_uri = blog_page_uri(number)
        text = render(
            "blog.md",
            src_uri,
            posts=page_posts,
            number=number,
            pages=pager_window(number, len(chunks)),
            years=years,
        )
        outputs.append((src_uri, Output(text, NAV if number == 1 else UNLISTED)))
    for year, year_posts in archive.years:
        src_uri = f"blog/{year}/index.md"
        text = render("year.md", src_uri, year=year, posts=year_posts, years=years)
        outputs.append((src_uri, Output(text, UNLISTED)))
    return outputs


def render_case_studies(
    archive: Archive, render: Render, settings: Settings, organizations, targets: LinkTargets, reuse: Reuse = make_anew
) -> list[tuple[str, Output]]:
    """Each case study's page with its citation downloads, and their index. A case study's
    outputs are made again only when it, its line numbers, the vocabulary, its related
    entries, the partners' names or the link targets changed."""
    outputs = []
    styles = {}  # parsed once per build, never per entry, and only when a case study is made
    shared = fingerprint(sorted(organizations), targets)
    for study in archive.case_studies:
        related = _study_related(archive, study)
        key = ("case study", study, tuple(sorted(study.lines.items())), archive.terms, tuple(related), shared)

        def make(study=study, related=related) -> tuple[tuple[str, Output], ...]:
            if not styles:
                styles.update(load_styles())
            cite, files = citation(study, citation_record(study, settings, organizations), styles, with_pdf=True)
            text = render_case_study(study, archive, render, settings, organizations, cite, targets, related)
            return (*files.items(), (study.src_uri, Output(text, UNLISTED, study.source, study.lines.get("slug"))))

        outputs += reuse(key, make)
    index = render("case-studies.md", CASE_STUDIES_INDEX, studies=archive.case_studies)
    return [*outputs, (CASE_STUDIES_INDEX, Output(index, NAV))]


def _study_related(archive: Archive, study: CaseStudy) -> list:
    """The posts a case study names as related, then the entries sharing most terms with it."""
    posts = {post.slug: post for post in archive.posts + archive.pages}
    related = [posts[slug] for slug in study.related_posts if slug in posts]
    return related + [entry for entry in _related(archive, study.src_uri) if entry not in related]


def render_case_study(
    study: CaseStudy,
    archive: Archive,
    render: Render,
    settings: Settings,
    organizations: frozenset[str],
    cite: dict | None = None,
    targets: LinkTargets | None = None,
    related: list | None = None,
) -> str:
    """The case study's page: partners, lessons, chapters of sections, figures, source and
    citation; every lesson, partner and model linked to its term page, and each link of its
    Markdown to a source file (`../posts/x.md`) or an old address to that page."""
    terms = archive.term_by_key
    targets = targets or link_targets(archive)

    def linked(text: str) -> str:
        return link_sources(text, study.source, study.src_uri, targets)

    def term(kind: str, term_id: str, label: str = "") -> str:
        found = terms.get((kind, term_id))
        text = markdown_text(label or (found.title if found else term_id))
        return f"[{text}]({link(study.src_uri, found.src_uri)})" if found else text

    related = _study_related(archive, study) if related is None else related
    return render(
        "case-study.md",
        study.src_uri,
        study=study,
        meta=entry_meta(study, organizations, settings, cite)
        | {"search": search_record("Case study", study.date, _terms_of(archive, study.src_uri))},
        cite=cite,
        term=term,
        linked=linked,
        format_figure=format_figure,
        chapters=[(group, list(sections)) for group, sections in groupby(study.sections, key=lambda s: s.group)],
        related=related,
    )


def render_home(archive: Archive, render: Render, settings: Settings) -> Output:
    """The home page: the featured case study, the newest posts, the vocabulary's counts and
    the timeline of posts."""
    studies = archive.case_studies
    text = render(
        "home.md",
        HOME,
        meta={"edit": edit_url(settings, HOME_TEMPLATE)},
        featured=next((s for s in studies if s.featured), studies[0] if studies else None),
        newest=archive.posts[:5],
        counts={kind: sum(t.kind == kind for t in archive.terms) for kind in KINDS},
        timeline=_timeline(archive),
    )
    return Output(text, NAV)


def render_redirects(archive: Archive, render: Render) -> list[tuple[str, Output]]:
    """A redirect page for every legacy URL of a post."""
    return [
        (uri, Output(render("redirect.html", uri, post=post), FILE, post.source, post.lines.get("aliases"), True))
        for post in archive.posts + archive.pages
        for alias in post.aliases
        for uri in (redirect_uri(alias),)
    ]


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


def _image_url(post: Post, targets: LinkTargets, settings: Settings) -> str:
    """The address of the post's `image:` when it names a file beside the post, else ""."""
    copied = targets.files.get(posixpath.normpath(posixpath.join(posixpath.dirname(post.source), post.image)))
    return settings.site_url + copied if post.image and copied else ""


def _terms_of(archive: Archive, src_uri: str) -> dict[str, list[Term]]:
    terms = archive.term_by_key
    keys = archive.entry_terms.get(src_uri, ())
    return {kind: [terms[k] for k in keys if k[0] == kind] for kind in KINDS}


def _related(archive: Archive, src_uri: str) -> list:
    entries = archive.entries
    return [entries[uri] for uri in archive.related.get(src_uri, ()) if uri in entries]


def _pagers(posts: tuple[Post, ...]) -> dict[str, tuple[Post | None, Post | None]]:
    """The (newer, older) neighbours of each published post, by source path."""
    last = len(posts) - 1
    return {
        post.source: (posts[n - 1] if n else None, posts[n + 1] if n < last else None) for n, post in enumerate(posts)
    }


def _timeline(archive: Archive) -> list[tuple[int, int]]:
    """(year, posts that year) for every year from the first post to the last, gaps included."""
    counts = {year: len(posts) for year, posts in archive.years}
    return [(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)] if counts else []
