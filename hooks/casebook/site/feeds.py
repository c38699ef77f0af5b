"""RSS 2.0 and Atom feeds, made with feedgen: all posts, and one pair per term."""

from __future__ import annotations

import datetime as dt
import html

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from ..index import Archive
from ..model import CaseStudy, Post
from ..urls import src_uri_to_url
from .reuse import Reuse, make_anew

FEED_SIZE = 50
RSS, ATOM = "feed.xml", "atom.xml"


def feed_paths(folder: str = "") -> tuple[str, str]:
    """The RSS and Atom paths of the feed for `folder` (`""` for the whole site, `lessons/x/`)."""
    return folder + RSS, folder + ATOM


def render_feeds(archive: Archive, site_url: str, site_name: str, reuse: Reuse = make_anew) -> dict[str, str]:
    """Every feed file by its path in the site; a feed is made again only when `reuse` has
    none for the same entries (`site/reuse.py`)."""
    made: dict[str, FeedEntry] = {}  # by source: one entry per post or case study, shared by its feeds
    files = {}
    entries = archive.posts
    all_posts = f"{site_name}: all posts", f"The newest posts of {site_name}."
    files |= _feed_pair("", *all_posts, entries, site_url, made, reuse)
    candidates = {entry.src_uri: entry for entry in archive.case_studies + archive.posts}
    for term in archive.terms:
        carried = {e.src_uri for e in archive.evidence.get(term.key, ())}
        items = [candidates[src_uri] for src_uri in carried if src_uri in candidates]  # `_feed_pair` sorts them
        folder = src_uri_to_url(term.src_uri)
        title = f"{site_name}: {term.title}"
        files |= _feed_pair(folder, title, f"Posts and case studies about {term.title}.", items, site_url, made, reuse)
    return files


def _feed_pair(
    folder: str, title: str, description: str, entries, site_url: str, made: dict[str, FeedEntry], reuse: Reuse
) -> dict[str, str]:
    """The RSS and Atom files of one feed, each naming itself as `rel="self"`."""
    newest = tuple(sorted(entries, key=lambda e: (-e.date.toordinal(), e.src_uri))[:FEED_SIZE])
    return reuse(
        ("feed", folder, title, description, newest, site_url),
        lambda: _feed_files(folder, title, description, newest, site_url, made),
    )


def _feed_files(
    folder: str, title: str, description: str, newest, site_url: str, made: dict[str, FeedEntry]
) -> dict[str, str]:
    for entry in newest:
        if entry.source not in made:
            made[entry.source] = _entry(entry, site_url)
    items = [made[entry.source] for entry in newest]
    rss_path, atom_path = feed_paths(folder)
    return {
        rss_path: _feed(folder, title, description, newest, items, site_url, rss_path).rss_str(pretty=True).decode(),
        atom_path: _feed(folder, title, description, newest, items, site_url, atom_path).atom_str(pretty=True).decode(),
    }


def _feed(folder: str, title: str, description: str, newest, items, site_url: str, self_path: str) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(site_url + folder)
    generator.title(title)
    generator.description(description)
    generator.link(href=site_url + folder, rel="alternate")
    generator.link(href=site_url + self_path, rel="self")
    generator.language("en")
    generator.updated(newest[0].published_at if newest else dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    for item in reversed(items):  # feedgen lists the last added first
        generator.add_entry(item)
    return generator


def _entry(entry: Post | CaseStudy, site_url: str) -> FeedEntry:
    url = site_url + entry.url
    item = FeedEntry()
    item.id(url)
    item.guid(url, permalink=True)
    item.title(entry.title)
    item.link(href=url)
    item.published(entry.published_at)
    item.updated(entry.published_at)
    names, summary = entry.author_names, entry.abstract(400)
    for name in names:
        item.author({"name": name})
    item.description(html.escape(summary or entry.title))  # readers treat it as HTML
    return item
