"""The Jinja side of rendering: the templates in `overrides/fragments/casebook/` and the
helpers every template may call. The caller supplies the Jinja environment (MkDocs' theme
environment in the hook, a plain one elsewhere)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..model import Post
from ..settings import Settings
from ..text import markdown_text, plain_text
from ..urls import href, link
from .reuse import Reuse, frozen, make_anew

TEMPLATES = "fragments/casebook/"
EXCERPT_LENGTH = 240
"""Characters of a post's text that listings show, when it has no summary."""

Render = Callable[..., str]
"""`render(template, src_uri, **context)`: the text of one output, made from `src_uri`'s
point of view (its links are relative to it)."""


def renderer(env, settings: Settings, reuse: Reuse = make_anew) -> Render:
    """A `Render` for one build, through `env`; each text made again only when `reuse` has
    none for the same template, page and context (the settings and templates the same)."""
    excerpts: dict[tuple[str, int], str] = {}

    def excerpt_once(post: Post, limit: int = EXCERPT_LENGTH) -> str:
        """`excerpt`, made once per build for each post and length: the blog's pages and the
        years' pages list the same posts."""
        key = (post.source, limit)
        if key not in excerpts:
            excerpts[key] = post.abstract(limit)
        return excerpts[key]

    def render(template: str, src_uri: str, **context) -> str:
        if reuse is make_anew:  # no key to make
            return render_anew(template, src_uri, context)
        return reuse((template, src_uri, frozen(context)), lambda: render_anew(template, src_uri, context))

    def render_anew(template: str, src_uri: str, context: dict) -> str:
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


def format_date(value: dt.date | dt.datetime) -> str:
    """`20 January 2015`."""
    return f"{value.day} {value:%B %Y}"
