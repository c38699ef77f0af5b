"""Turn the archive into Markdown pages and static files, through the Jinja templates in
`overrides/fragments/casebook/`. The caller supplies the Jinja environment (MkDocs' theme
environment in the hook, a plain one elsewhere)."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re

from itertools import groupby

from .index import Archive
from .model import CaseStudy, Figure, Post, Site, src_uri_to_url
from .posts import plain_text

TEMPLATES = "fragments/casebook/"
BLOG_INDEX = "blog/index.md"
CASE_STUDIES_INDEX = "case-studies/index.md"


def render_site(archive: Archive, env, posts_per_page: int = 20) -> Site:
    """Every generated page and file of one build."""
    site = Site()
    render = _renderer(env)
    pagers = _pagers(archive.posts)
    for post in archive.posts + archive.pages + archive.drafts:
        target = site.draft_pages if post.draft else site.unlisted_pages if post.kind == "post" else site.pages
        target[post.src_uri] = render("post.md", post.src_uri, post=post, pager=pagers.get(post.source))
    chunks = list(_chunks(archive.posts, posts_per_page)) or [()]
    pages = [blog_page_uri(number) for number in range(1, len(chunks) + 1)]
    for number, page_posts in enumerate(chunks, start=1):
        src_uri = blog_page_uri(number)
        (site.pages if number == 1 else site.unlisted_pages)[src_uri] = render(
            "blog.md", src_uri, posts=page_posts, number=number, pages=pages, years=archive.years
        )
    for year, year_posts in archive.years:
        src_uri = f"blog/{year}/index.md"
        site.unlisted_pages[src_uri] = render("year.md", src_uri, year=year, posts=year_posts, years=archive.years)
    for study in archive.case_studies:
        site.unlisted_pages[study.src_uri] = render_case_study(study, archive, render)
    site.pages[CASE_STUDIES_INDEX] = render("case-studies.md", CASE_STUDIES_INDEX, studies=archive.case_studies)
    for post in archive.posts + archive.pages:
        for alias in post.aliases:
            src_uri = alias.lstrip("/") + ("index.html" if alias.endswith("/") else "")
            site.static_files[src_uri] = render("redirect.html", src_uri, post=post)
    return site


def render_case_study(study: CaseStudy, archive: Archive, render) -> str:
    """The case study's page: partners, lessons, chapters of sections, figures, source."""
    anchors = {("partners", p.id): (p.name, p.anchor) for p in study.partners}
    anchors |= {("lessons", lesson.id): (lesson.title, lesson.anchor) for lesson in study.lessons}

    def term(kind: str, term_id: str, label: str = "") -> str:
        title, anchor = anchors.get((kind, term_id), (label or term_id, ""))
        return f"[{markdown_text(label or title)}](#{anchor})" if anchor else markdown_text(label or title)

    posts = {post.slug: post for post in archive.posts + archive.pages}
    return render(
        "case-study.md", study.src_uri, study=study, term=term, format_figure=format_figure,
        chapters=[(group, list(sections)) for group, sections in groupby(study.sections, key=lambda s: s.group)],
        related=[posts[slug] for slug in study.related_posts if slug in posts],
    )


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


def blog_page_uri(number: int) -> str:
    """`blog/index.md` for the first page of the blog index, `blog/page/N.md` after it."""
    return BLOG_INDEX if number == 1 else f"blog/page/{number}.md"


def _renderer(env):
    def render(template: str, src_uri: str, **context) -> str:
        helpers = {
            "here": src_uri,
            "link": lambda target: link(src_uri, target),
            "href": lambda target: href(src_uri, target),
            "md": markdown_text,
            "format_date": format_date,
            "excerpt": excerpt,
        }
        return env.get_template(TEMPLATES + template).render(**helpers, **context)

    return render


def link(from_src_uri: str, to_src_uri: str) -> str:
    """A Markdown link target from one page's source to another's (MkDocs checks and
    rewrites these, and so does any engine that reads Markdown sources)."""
    return posixpath.relpath(to_src_uri, posixpath.dirname(from_src_uri) or ".")


def href(from_src_uri: str, to_src_uri: str) -> str:
    """A relative URL for raw HTML, from the page built from `from_src_uri` (a page or a
    static file) to the page built from `to_src_uri`; relative so that the site also works
    under a sub-path such as GitHub Pages' /REPO/."""
    if from_src_uri.endswith(".md"):
        from_dir = src_uri_to_url(from_src_uri)
    else:
        from_dir = posixpath.dirname(from_src_uri) + "/"
    target = src_uri_to_url(to_src_uri) if to_src_uri.endswith(".md") else to_src_uri
    relative = posixpath.relpath("/" + target, "/" + from_dir)
    return "./" if relative == "." else relative + ("/" if target.endswith("/") else "")


def markdown_text(text: str) -> str:
    """Text made safe to place inside Markdown: HTML escaped, Markdown syntax neutralised."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~-])", r"\\\1", html.escape(text, quote=False))


def format_date(value: dt.date | dt.datetime) -> str:
    """`20 January 2015`."""
    return f"{value.day} {value:%B %Y}"


def excerpt(post: Post, limit: int = 240) -> str:
    """The post's summary, or the start of its text."""
    return post.summary or plain_text(post.body, limit)


def _pagers(posts: tuple[Post, ...]) -> dict[str, tuple[Post | None, Post | None]]:
    """The (newer, older) neighbours of each published post, by source path."""
    newer = (None,) + posts[:-1]
    older = posts[1:] + (None,)
    return {post.source: pair for post, pair in zip(posts, zip(newer, older))}


def _chunks(items: tuple, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
