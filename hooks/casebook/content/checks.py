"""Checks across records: the problems no single file shows on its own."""

from __future__ import annotations

import difflib
from collections.abc import Collection

from ..model import CaseStudy, Post, Problem


def validate_urls(posts: list[Post], taken_urls: frozenset[str] = frozenset()) -> list[Problem]:
    """Two sources that would produce the same page, or claim the same legacy URL: the newer
    one is at fault (by date, then path), since the older was there first."""
    problems = []
    owners: dict[str, Post] = {}
    for post in sorted(posts, key=_oldest_first):
        if post.url in taken_urls:
            problems.append(
                Problem(
                    post.source,
                    post.lines.get("slug", 1),
                    f"the URL /{post.url} is already used by a page of the site",
                    "give the post another `slug:`",
                )
            )
        elif post.url in owners:
            problems.append(
                Problem(
                    post.source,
                    post.lines.get("slug", 1),
                    f"{owners[post.url].source} already has the URL /{post.url}",
                    "give one of the two posts another `slug:`",
                )
            )
        else:
            owners[post.url] = post
    claimed: dict[str, Post] = {}
    for post in sorted(posts, key=_oldest_first):
        for alias in post.aliases:
            target = alias.strip("/")
            line = post.lines.get("aliases", 1)
            if target + "/" in owners or target + "/" in taken_urls or alias == "/":
                problems.append(
                    Problem(
                        post.source,
                        line,
                        f"the legacy URL {alias} is a page of this site",
                        "remove it from `aliases:` or `permalink:`",
                    )
                )
            elif alias in claimed and claimed[alias] is not post:
                problems.append(
                    Problem(
                        post.source,
                        line,
                        f"{claimed[alias].source} already claims the legacy URL {alias}",
                        "keep it on one of the two posts",
                    )
                )
            else:
                claimed[alias] = post
    return problems


def validate_case_studies(
    studies: list[CaseStudy], posts: list[Post], unloaded_slugs: Collection[str] = ()
) -> list[Problem]:
    """Two case studies with one slug (the newer one is at fault), and related posts that do
    not exist. `unloaded_slugs` are those of posts with problems of their own, which are
    reported on the post, not on each case study that names it."""
    problems = []
    slugs = {post.slug for post in posts}
    owners: dict[str, CaseStudy] = {}
    for study in sorted(studies, key=_oldest_first):
        if study.slug in owners:
            problems.append(
                Problem(
                    study.source,
                    study.lines.get("slug", 1),
                    f"{owners[study.slug].source} already has the slug '{study.slug}'",
                    "give one of the two case studies another slug",
                )
            )
        owners.setdefault(study.slug, study)
        for index, slug in enumerate(study.related_posts):
            if slug not in slugs and slug not in unloaded_slugs:
                close = difflib.get_close_matches(slug, sorted(slugs), n=1)
                problems.append(
                    Problem(
                        study.source,
                        study.lines.get(f"related_posts.{index}", 1),
                        f"related post '{slug}' is not a post of the archive",
                        f"did you mean '{close[0]}'?" if close else "use the slug of a post in posts/",
                    )
                )
    return problems


def _oldest_first(entry: Post | CaseStudy) -> tuple:
    return (entry.published_at, entry.source)
