"""The edit loop: `mkdocs serve --dirty` rebuilds only what an edit changed, and the site it
gives is byte for byte the site a clean build of the same sources gives.

Each test runs a serve session in this process, as `mkdocs serve --dirty` does (one
`on_startup`, then a fresh config and a dirty build after each change), and after each change
builds the same project clean into another folder and compares the two folders file by file.

- `SOURCE_DATE_EPOCH` is fixed, so that nothing depends on the build's time: without it
  `sitemap.xml.gz` carries the day of the build in its gzip header, and the two builds would
  differ only if they ran on each side of midnight.
- The project has no search plugin: Material's `search` under `--dirty` keeps the previous
  build's index and replaces the entries of one page only (its own "Hack:" comment in
  `generate_search_index`), so its `search_index.json` is not a clean build's. The site's
  search is Pagefind, which under `serve` indexes the whole built folder beside the preview;
  its files are named and ordered as its threads finish, so the two indexes are compared by
  their records, not their bytes.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, ROOT, minimal_case_study, page_text, search_records
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config

from casebook import build_site, read_settings
from casebook.content.posts import parse_post
from casebook.content.vocabulary import load_vocabulary
from casebook.index import build_archive
from casebook.model import KINDS
from casebook.preview.memo import OutputMemo, SourceMemo, TagMemo
from casebook.preview.session import DIRTY_NOTE
from casebook.site.reuse import make_anew
from casebook.site.terms import _exports, _term_record

SERVE_URL = "http://127.0.0.1:8000/"
NAV = """\
nav:
  - Home: index.md
  - Blog: blog/index.md
  - Lessons: lessons/index.md
  - Partners:
      - partners/index.md
      - Matrix: matrix.md
  - About: about.md
"""


def post(title: str, date: str, body: str = "Some text.", **fields) -> str:
    lines = [f"title: {title}", f"date: {date}", *(f"{key}: {value}" for key, value in fields.items())]
    return "---\n" + "\n".join(lines) + f"\n---\n{body}\n"


class Session:
    """A project, a dirty serve session on it in this process, and clean builds to compare."""

    def __init__(self, project, tmp_path: Path, nav: bool) -> None:
        self.project = project
        self.live = tmp_path / "live-site"
        self.clean = tmp_path / "clean-site"
        # Without Material's search plugin (see the module's docstring); with or without a `nav:`.
        project.write("mkdocs.yml", MKDOCS_YML + (NAV if nav else ""))
        project.write("posts/2014-02-01-first.md", post("First", "2014-02-01", lessons="[keep-it-simple]"))
        project.write(
            "posts/2015-01-10-second.md",
            post("Second", "2015-01-10", "Follows [the first](../../2014/02/first.md).", partners="[code-for-germany]"),
        )
        project.write("posts/2015-03-05-third.md", post("Third", "2015-03-05", models="[fellowship]"))
        project.write(
            "posts/2015-04-01-unrelated.md",
            post("Unrelated", "2015-04-01", "Shares no term with [the first](../../2014/02/first.md)."),
        )
        project.write("posts/2012-04-19-history.md", post("History", "2012-04-19", layout="page"))
        project.write("case_studies/a-study.yml", minimal_case_study())
        (project.root / "case_studies" / "case-study.schema.json").write_bytes(
            (ROOT / "case_studies" / "case-study.schema.json").read_bytes()
        )
        self.config().plugins.on_startup(command="serve", dirty=True)
        self.build_live()

    def config(self, site: Path | None = None):
        config = load_config(str(self.project.root / "mkdocs.yml"), site_dir=str(site or self.live))
        config.site_url = SERVE_URL
        return config

    def build_live(self) -> None:
        """A rebuild of the serve session: a fresh config, a dirty build into the same folder
        (and the search indexing it starts, finished)."""
        config = self.config()
        mkdocs_build.build(config, serve_url=SERVE_URL, dirty=True)
        config.plugins.on_shutdown()

    def assert_same_as_clean(self) -> None:
        """A clean build of the sources as they are gives the same files, byte for byte; the
        session then goes on, as `mkdocs serve` would (its memo starts afresh)."""
        config = self.config(self.clean)
        config.plugins.on_startup(command="serve", dirty=False)
        mkdocs_build.build(config, serve_url=SERVE_URL)
        config.plugins.on_shutdown()
        assert search_records(self.live) == search_records(self.clean)
        live, clean = files_of(self.live), files_of(self.clean)
        assert sorted(live) == sorted(clean)
        assert [name for name in sorted(clean) if live[name] != clean[name]] == []
        self.config().plugins.on_startup(command="serve", dirty=True)
        self.build_live()  # nothing changed: fills the session's memo again

    def edit(self, relative: str, text: str) -> None:
        self.project.write(relative, text)


def files_of(site: Path) -> dict[str, bytes]:
    """Every file of the site but the search index, by path."""
    files = (path for path in site.rglob("*") if path.is_file())
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in files
        if path.parts[len(site.parts)] != "pagefind"
    }


def mtimes(site: Path) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("*") if path.is_file()}


@pytest.fixture(autouse=True)
def fixed_build_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # MkDocs warns that dirty builds may be inaccurate
    yield
    logging.getLogger("mkdocs").setLevel(logging.NOTSET)


@pytest.mark.parametrize("nav", [False, True], ids=["nav-from-files", "nav-in-mkdocs-yml"])
def test_edited_post_rebuilt_dirty_is_the_clean_build(project, tmp_path, nav):
    session = Session(project, tmp_path, nav)
    session.assert_same_as_clean()
    before = mtimes(session.live)

    session.edit("posts/2015-03-05-third.md", post("Third", "2015-03-05", "Other text.", models="[fellowship]"))
    session.build_live()
    after = mtimes(session.live)
    # The fast path: the edited post is written again, a post it shares nothing with is not.
    assert after["blog/2015/03/third/index.html"] != before["blog/2015/03/third/index.html"]
    assert after["blog/2015/04/unrelated/index.html"] == before["blog/2015/04/unrelated/index.html"]
    assert after["blog/2014/02/first/cite.bib"] == before["blog/2014/02/first/cite.bib"]
    # Nor is a page of the navigation that does not show it: its title is in its front matter.
    assert after["lessons/index.html"] == before["lessons/index.html"]
    assert after["about/index.html"] != before["about/index.html"]  # docs/about.md: its title is its text's
    session.assert_same_as_clean()

    for text in (
        post("A new title", "2015-03-05", "Other text.", models="[fellowship]"),  # title
        post("A new title", "2015-03-05", "Other text.", lessons="[keep-it-simple]"),  # terms
        post("A new title", "2016-07-01", "Other text.", lessons="[keep-it-simple]"),  # date: a new URL
    ):
        session.edit("posts/2015-03-05-third.md", text)
        session.build_live()
        session.assert_same_as_clean()
    assert not (session.live / "blog/2015/03/third/index.html").exists()


@pytest.mark.parametrize("nav", [False, True], ids=["nav-from-files", "nav-in-mkdocs-yml"])
def test_added_and_deleted_posts_rebuilt_dirty_are_the_clean_build(project, tmp_path, nav):
    session = Session(project, tmp_path, nav)
    before = mtimes(session.live)
    session.edit("posts/2017-05-01-added.md", post("Added", "2017-05-01", partners="[code-for-germany]"))
    session.build_live()
    assert (session.live / "blog/2017/05/added/index.html").is_file()
    # The fast path: a post that is neither a neighbour of the new one nor shares a term with
    # it is not written again (every post links to its own cite.bib: not to the new one's).
    assert mtimes(session.live)["blog/2015/03/third/index.html"] == before["blog/2015/03/third/index.html"]
    session.assert_same_as_clean()

    # Two posts link to the first: once it is gone, MkDocs leaves their links as written. The
    # unrelated post's Markdown does not change: only its link tells that it must be rebuilt.
    (project.root / "posts" / "2014-02-01-first.md").unlink()
    session.build_live()
    assert not (session.live / "blog/2014/02/first").exists()
    assert not (session.live / "blog/2014").exists()
    assert [name for name in files_of(session.live) if "/first/" in name] == []
    session.assert_same_as_clean()

    session.edit("posts/2014-02-01-first.md", post("First", "2014-02-01", lessons="[keep-it-simple]"))
    session.build_live()
    session.assert_same_as_clean()


def test_changes_shown_on_every_page_rebuild_every_page(project, tmp_path):
    session = Session(project, tmp_path, nav=False)
    # A legacy page is in the navigation, which every page shows: its title is on every page.
    session.edit("posts/2012-04-19-history.md", post("Our history", "2012-04-19", layout="page"))
    session.build_live()
    session.assert_same_as_clean()

    session.edit("docs/about.md", "# About us\n")
    session.build_live()
    session.assert_same_as_clean()

    config_text = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    session.edit("mkdocs.yml", config_text.replace("site_name: Test casebook", "site_name: Renamed casebook"))
    session.build_live()
    session.assert_same_as_clean()

    session.edit("case_studies/a-study.yml", minimal_case_study().replace("Short.", "Shorter."))
    session.edit("taxonomy.yml", (project.root / "taxonomy.yml").read_text(encoding="utf-8") + "\n")
    session.build_live()
    session.assert_same_as_clean()


def test_a_clean_build_makes_the_next_dirty_build_start_afresh(project, tmp_path):
    session = Session(project, tmp_path, nav=False)
    config_text = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    session.edit("mkdocs.yml", config_text.replace("site_name: Test casebook", "site_name: Renamed casebook"))
    config = session.config()
    config.plugins.on_startup(command="serve", dirty=False)
    mkdocs_build.build(config, serve_url=SERVE_URL)  # clean, into the session's folder
    # Back to the configuration of the session's last dirty build: every page must change again.
    session.edit("mkdocs.yml", config_text)
    session.config().plugins.on_startup(command="serve", dirty=True)
    session.build_live()
    session.assert_same_as_clean()


def test_the_tag_memo_gives_what_a_fresh_index_gives():
    """Tags are reused only for a post equal in every field, under the same vocabulary."""
    terms, _ = load_vocabulary(ROOT / "taxonomy.yml", ROOT / "taxonomy.schema.json", ROOT)
    text = "---\ntitle: {title}\ndate: 2015-01-01\nlessons: [keep-it-simple]\n---\n{body}\n"
    first = parse_post(text.format(title="A", body="Keep it simple, they said."), "posts/2015-01-01-a.md")[0]
    edited = parse_post(text.format(title="A", body="Nothing here."), "posts/2015-01-01-a.md")[0]
    memo = TagMemo()
    for posts in ([first], [edited], [edited]):
        remembered = build_archive(posts, terms=terms, find_tags=memo.finder(terms))
        fresh = build_archive(posts, terms=terms)
        assert remembered.evidence == fresh.evidence
    assert len(memo.found) == 1
    other = tuple(list(terms))  # an equal vocabulary, read again: nothing is reused from before
    before = next(iter(memo.found.values()))
    build_archive([edited], terms=other, find_tags=memo.finder(other))
    assert memo.terms is other and next(iter(memo.found.values())) is not before


def test_a_dirty_build_explains_itself_instead_of_warning(project, tmp_path, caplog):
    """MkDocs warns that a dirty build "will likely lead to inaccurate navigation"; with the
    session's plan it does not, and the log says so instead."""
    session = Session(project, tmp_path, nav=False)
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        session.build_live()
    messages = [record.getMessage() for record in caplog.records]
    assert not [m for m in messages if "'dirty' build" in m]
    assert any(m.endswith(DIRTY_NOTE) for m in messages)


def banner(page: Path) -> str:
    """The text of the preview's banner of content problems on a built page, or ""."""
    found = re.search(r'<div class="casebook-problems" role="alert">.*?</div>', page.read_text(encoding="utf-8"), re.S)
    return page_text(found.group()) if found else ""


def test_the_preview_shows_problems_on_the_home_page_and_the_faulty_page_until_fixed(project, tmp_path):
    session = Session(project, tmp_path, nav=False)
    session.edit("posts/2015-03-05-third.md", post("Third", "2015-03-05", models="[fellowship, no-such-model]"))
    session.build_live()
    home, third = banner(session.live / "index.html"), banner(session.live / "blog/2015/03/third/index.html")
    assert "posts/2015-03-05-third.md:4" in home and "no-such-model" in home
    assert "posts/2015-03-05-third.md:4" in third
    assert banner(session.live / "blog/2015/04/unrelated/index.html") == ""
    session.assert_same_as_clean()

    session.edit("posts/2015-03-05-third.md", post("Third", "2015-03-05", models="[fellowship]"))
    session.build_live()
    assert [uri for uri in files_of(session.live) if uri.endswith(".html") and banner(session.live / uri)] == []
    session.assert_same_as_clean()


THIRD = "posts/2015-03-05-third.md"


def test_edits_of_what_listings_and_problems_show_rebuilt_dirty_are_the_clean_build(project, tmp_path):
    """The session reuses each page made from the same inputs: a summary reaches the listings
    and the feeds but not the post's text; a line added above a broken link moves its
    problem, the post otherwise equal."""
    session = Session(project, tmp_path, nav=False)
    session.edit(THIRD, post("Third", "2015-03-05", models="[fellowship]", summary="A summary of the third."))
    session.build_live()
    assert "A summary of the third." in (session.live / "blog/index.html").read_text(encoding="utf-8")
    session.assert_same_as_clean()

    broken = post("Third", "2015-03-05", "See [the map](map.png).", models="[fellowship]")
    session.edit(THIRD, broken)
    session.build_live()
    assert f"{THIRD}:6" in banner(session.live / "blog/2015/03/third/index.html")
    session.assert_same_as_clean()

    session.edit(THIRD, broken.replace("title: Third\n", "title: Third\n\n"))  # one line more, the same post
    session.build_live()
    assert f"{THIRD}:7" in banner(session.live / "blog/2015/03/third/index.html")
    session.assert_same_as_clean()


def test_an_edited_template_rebuilt_dirty_is_the_clean_build(project, tmp_path):
    """Pages are reused only while the theme's files are unchanged: an edited fragment
    renders every page it makes again."""
    shutil.copytree(ROOT / "overrides", project.root / "overrides")
    session = Session(project, tmp_path, nav=False)
    config_text = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    session.edit("mkdocs.yml", config_text.replace(str(ROOT / "overrides"), str(project.root / "overrides")))
    session.build_live()
    listing = project.root / "overrides/fragments/casebook/_listing.md"
    session.edit(
        listing.relative_to(project.root).as_posix(),
        listing.read_text().replace('"casebook-byline"', '"casebook-byline edited"'),
    )
    session.build_live()
    assert "casebook-byline edited" in (session.live / "blog/index.html").read_text(encoding="utf-8")
    session.assert_same_as_clean()


def test_an_edit_renders_again_only_the_outputs_that_show_the_post(project):
    """Under `mkdocs serve`, a build makes again only the outputs whose inputs changed (the
    edited post's page and checks, its neighbours', the listings, feeds and term pages
    that show it), and gives what a build that reuses nothing gives."""
    for day in range(1, 10):
        project.write(f"posts/2014-01-{day:02}-post-{day}.md", post(f"Post {day}", f"2014-01-{day:02}"))
    project.write("posts/2015-01-01-tagged.md", post("Tagged", "2015-01-01", lessons="[keep-it-simple]"))
    project.write("posts/2015-02-01-edited.md", post("Edited", "2015-02-01", models="[fellowship]"))
    config = load_config(str(project.root / "mkdocs.yml"))
    settings, _ = read_settings(config.extra.get("casebook"), project.root)
    env, sources, memo, made = config.theme.get_env(), SourceMemo(), OutputMemo(), []

    def build(stamp="same"):
        reuse = memo.start(stamp)

        def counted(key, make):
            return reuse(key, lambda: made.append(key) or make())

        made.clear()
        return build_site(settings, env, sources=sources, reuse=counted)

    build()
    project.write("posts/2015-02-01-edited.md", post("Edited", "2015-02-01", "Other text.", models="[fellowship]"))
    site = build()
    assert site == build_site(settings, env)
    posts = {key[1].slug for key in made if key[0] in ("post", "links")}
    assert posts == {"edited", "tagged"}  # the post, and its neighbour, which links to it
    rendered = {key[1] for key in made if isinstance(key[0], str) and key[0].endswith(".md")}
    assert "blog/index.md" in rendered and "models/fellowship.md" in rendered
    assert "lessons/keep-it-simple.md" not in rendered and "blog/2014/index.md" not in rendered
    assert ("feed", "lessons/keep-it-simple/") not in {key[:2] for key in made}
    build()
    assert made == []  # nothing changed
    build(stamp="other templates")
    assert len(made) > len(site.outputs) / 2


def test_the_exports_joined_from_each_terms_record_are_what_json_writes_of_the_whole():
    """The open-data files are joined from each term's record, so that an edit writes again
    only the records of the terms it reaches: byte for byte what `json.dumps` writes of the
    whole, a kind with no terms too."""
    terms, _ = load_vocabulary(ROOT / "taxonomy.yml", ROOT / "taxonomy.schema.json", ROOT)
    text = '---\ntitle: A "quoted" title\ndate: 2015-01-01\nlessons: [keep-it-simple]\n---\nKeep it simple.\n'
    posts = [parse_post(text, "posts/2015-01-01-a.md")[0]]
    for kept in (terms, tuple(term for term in terms if term.kind != "models")):
        archive = build_archive(posts, terms=kept)
        export = {kind: [_term_record(t, archive) for t in archive.terms if t.kind == kind] for kind in KINDS}
        expected = {"api/terms.json": export} | {f"api/{kind}.json": export[kind] for kind in KINDS}
        written = {uri: output.content for uri, output in _exports(archive, make_anew)}
        assert written == {uri: json.dumps(data, ensure_ascii=False, indent=1) + "\n" for uri, data in expected.items()}
