"""The build cache (`.cache/casebook/`, preview/pagecache.py): a `mkdocs build` after a change
of any kind gives, byte for byte, the site a build without the cache gives (the search index
compared by its records, Pagefind naming its files as its threads finish); a build in which
nothing changed converts no Markdown; an entry that is truncated or altered is rebuilt."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import markdown
import pytest
from conftest import MKDOCS_YML, ROOT, minimal_case_study, search_records
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from test_edit_loop import files_of, post

from casebook.preview import pagecache

CACHE = ".cache/casebook"


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # sitemap.xml.gz carries the day


@pytest.fixture
def conversions(monkeypatch) -> list[str]:
    """The Markdown texts converted, but the empty ones (a page from the cache converts none)."""
    converted, convert = [], markdown.Markdown.convert

    def counting(self, source: str) -> str:
        if source.strip():
            converted.append(source)
        return convert(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", counting)
    return converted


@pytest.fixture
def cached(project):
    """A project with posts, a case study and the theme's overrides of its own, built once."""
    shutil.copytree(ROOT / "overrides", project.root / "overrides")
    project.write("mkdocs.yml", MKDOCS_YML.replace(str(ROOT / "overrides"), "overrides"))
    project.write(
        "posts/2014-02-01-first.md",
        post("First", "2014-02-01", "See [the second](2015-01-10-second.md#more).", lessons="[keep-it-simple]"),
    )
    project.write(
        "posts/2015-01-10-second.md", post("Second", "2015-01-10", "## More\n\nText.", partners="[code-for-germany]")
    )
    project.write("case_studies/a-study.yml", minimal_case_study())
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", project.root / "case_studies")
    assert not project.build().error
    return project


def assert_same_as_uncached(project, tmp_path: Path) -> None:
    """The site as built with the cache is the site built without it."""
    warm = tmp_path / "warm"
    shutil.copytree(project.root / "site", warm)
    shutil.rmtree(project.root / CACHE)
    built = project.build()
    assert not built.error, built.messages
    assert search_records(warm) == search_records(built.site)
    cached, fresh = files_of(warm), files_of(built.site)
    assert sorted(cached) == sorted(fresh)
    assert [name for name in sorted(fresh) if cached[name] != fresh[name]] == []


def test_nothing_changed_converts_nothing_and_builds_the_same_site(cached, conversions, tmp_path):
    cached.enable_search()
    cached.build()
    conversions.clear()
    built = cached.build()
    assert not built.error
    assert conversions == []
    assert any("its index reused" in record.getMessage() for record in cached.caplog.records)
    assert_same_as_uncached(cached, tmp_path)


def replace(relative: str, old: str, new: str):
    """A change: `old` replaced by `new` in the project's file `relative`."""

    def change(project) -> None:
        path = project.root / relative
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return change


CHANGES = {
    "a post edited": replace("posts/2015-01-10-second.md", "Text.", "Other text."),
    "a post added": lambda p: p.write("posts/2016-05-01-third.md", post("Third", "2016-05-01", models="[fellowship]")),
    "a post removed": lambda p: (p.root / "posts/2014-02-01-first.md").unlink(),
    "the link's anchor gone": replace("posts/2015-01-10-second.md", "## More", "## Less"),
    "a case study edited": replace("case_studies/a-study.yml", "Small things.", "Big things."),
    "the vocabulary edited": replace("taxonomy.yml", "Keep it simple", "Keep it small"),
    "a template edited": replace("overrides/main.html", "{% extends", "<!-- edited -->{% extends"),
    "a Markdown setting": replace("mkdocs.yml", "[toc,", "[{toc: {permalink: true}},"),
    "a page of docs/": lambda p: p.write("docs/about.md", "# About us\n\nMore."),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_each_kind_of_change_builds_what_a_build_without_the_cache_builds(cached, change, conversions, tmp_path):
    change(cached)
    built = cached.build()
    assert not built.error, built.messages
    assert 0 < len(conversions)
    assert_same_as_uncached(cached, tmp_path)


def test_the_links_anchors_are_checked_on_pages_from_the_cache(cached):
    """MkDocs checks links to anchors after the build, from what it learnt converting each
    page: a page from the cache brings that back."""
    cached.write("mkdocs.yml", (cached.root / "mkdocs.yml").read_text() + "validation:\n  anchors: warn\n")
    cached.build()
    cached.write("posts/2015-01-10-second.md", post("Second", "2015-01-10", "## Less"))
    built = cached.build()
    assert any("#more" in message for message in built.messages), built.messages


def test_new_code_or_packages_build_every_page_again(cached, conversions, monkeypatch, tmp_path):
    monkeypatch.setattr(pagecache, "packages_digest", lambda: "an upgraded theme")
    cached.build()
    assert len(conversions) > 0
    conversions.clear()
    monkeypatch.setattr(pagecache, "code_digest", lambda folders: "edited code")
    cached.build()
    assert len(conversions) > 0
    assert_same_as_uncached(cached, tmp_path)


def test_the_code_digest_follows_content_not_time(tmp_path):
    (tmp_path / "module.py").write_text("A = 1\n")
    before = pagecache.code_digest([tmp_path])
    (tmp_path / "module.py").touch()
    assert pagecache.code_digest([tmp_path]) == before
    (tmp_path / "module.py").write_text("A = 2\n")
    assert pagecache.code_digest([tmp_path]) != before


def test_damaged_entries_are_rebuilt_never_published(cached, conversions, tmp_path):
    cached.enable_search()
    cached.build()
    store = next((cached.root / CACHE).glob("*/"))
    pages = sorted((store / "pages").glob("*/*"))
    truncated, altered = pages[0], next(page for page in pages[1:] if b"Second" in page.read_bytes())
    truncated.write_bytes(truncated.read_bytes()[:100])
    altered.write_bytes(altered.read_bytes().replace(b"Second", b"Altered"))
    (store / "site.pickle").write_bytes((store / "site.pickle").read_bytes()[:-10])
    fragment = next((store / "search").rglob("*.pf_fragment"))
    fragment.write_bytes(fragment.read_bytes()[:-1])
    conversions.clear()
    built = cached.build()
    assert not built.error
    assert len(conversions) >= 2
    assert not any("its index reused" in record.getMessage() for record in cached.caplog.records)
    assert b"Altered" not in b"".join(files_of(built.site).values())
    assert_same_as_uncached(cached, tmp_path)


def test_a_build_with_a_warning_keeps_nothing_it_would_not_repeat(cached, caplog):
    """A page whose conversion warned is not kept: a build from the cache would not warn again."""
    cached.write("posts/2015-01-10-second.md", post("Second", "2015-01-10", "A [missing](nowhere.md) page."))
    built = cached.build()
    assert built.error
    built = cached.build()
    assert any("nowhere.md" in message for message in built.messages)


def test_a_serve_session_leaves_the_cache_alone(cached):
    before = sorted(path.relative_to(cached.root) for path in (cached.root / CACHE).rglob("*"))
    cached.build("serve")
    after = sorted(path.relative_to(cached.root) for path in (cached.root / CACHE).rglob("*"))
    assert after == before


def test_stores_of_site_folders_outside_the_project_are_removed_when_gone(cached, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere") / "site"
    config = load_config(str(cached.root / "mkdocs.yml"), site_dir=str(other))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build.build(config)
    assert len(list((cached.root / CACHE).glob("*/"))) == 2
    shutil.rmtree(other)
    cached.build()
    assert len(list((cached.root / CACHE).glob("*/"))) == 1
    shutil.rmtree(cached.root / "site")  # the project's own site folder: its store stays
    other.mkdir()
    config = load_config(str(cached.root / "mkdocs.yml"), site_dir=str(other))
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build.build(config)
    assert len(list((cached.root / CACHE).glob("*/"))) == 2


def build_with_fork(project, fork_pages: int, site: Path) -> list[str]:
    """A `mkdocs build --strict` of the project into `site`, the hook forking a copy of the build
    from `fork_pages` pages on (its FORK_PAGES); the warnings logged, in order."""
    config = load_config(str(project.root / "mkdocs.yml"), strict=True, site_dir=str(site))
    hook = next(plugin for name, plugin in config.plugins.items() if name.endswith("archive.py"))
    hook.FORK_PAGES = fork_pages
    config.plugins.on_startup(command="build", dirty=False)
    project.caplog.clear()
    with project.caplog.at_level(logging.INFO):
        try:
            mkdocs_build.build(config)
        except Abort:
            pass
    return [record.getMessage() for record in project.caplog.records if record.levelno >= logging.WARNING]


@pytest.fixture
def many_posts(cached):
    for number in range(30):
        body = f"## Part {number}\n\nSee [the first](2014-02-01-first.md) and [the second](2015-01-10-second.md#more)."
        cached.write(f"posts/2013-05-{number + 1:02d}-post-{number}.md", post(f"Post {number}", "2013-05-01", body))
    shutil.rmtree(cached.root / CACHE)
    return cached


def test_a_build_forked_across_two_cores_is_the_build_on_one(many_posts, tmp_path, conversions):
    assert build_with_fork(many_posts, 10**6, tmp_path / "one") == []
    shutil.rmtree(many_posts.root / CACHE)
    conversions.clear()
    assert build_with_fork(many_posts, 1, tmp_path / "two") == []
    assert len(conversions) < 40  # the forked copy converted the rest, in a process of its own
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert [name for name in sorted(one) if one[name] != two[name]] == []
    conversions.clear()
    assert build_with_fork(many_posts, 1, tmp_path / "two") == []
    assert conversions == []  # what the forked copy converted was kept in the cache too


def test_the_forked_copys_warnings_are_the_builds(many_posts, tmp_path):
    """Every post warns, those the forked copy converted too: logged by the build, where MkDocs
    counts them for --strict."""
    for number in range(30):
        body = "A [missing](nowhere.md) page."
        many_posts.write(f"posts/2013-05-{number + 1:02d}-post-{number}.md", post(f"Post {number}", "2013-05-01", body))
    warnings = build_with_fork(many_posts, 1, tmp_path / "two")
    assert len([warning for warning in warnings if "nowhere.md" in warning]) == 30, warnings
