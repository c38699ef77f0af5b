"""Search: what Pagefind indexes in the built site (read back from its index), the facets it
carries, and a rebuild that makes a new post findable. The browser side is in test_browser.py."""

from __future__ import annotations

import os
import signal

import pytest
from conftest import search_records

from casebook.publish.search import PreviewIndexer, SearchFailed, SearchIndexer, _Service, indexed_element

STUDY = "/case-studies/cfa-first-international-partnerships/"
POST = "/blog/2018/11/repost-civic-tech/"
TERM = "/partners/code-for-the-caribbean/"


def test_entries_and_pages_are_indexed_but_not_the_listings(real_site):
    records = search_records(real_site)
    for url in (STUDY, POST, TERM, "/about/", "/about/international-partnerships/"):
        assert url in records, url
    for listing in ("/", "/blog/", "/blog/2015/", "/lessons/", "/partners/", "/matrix/", "/case-studies/"):
        assert listing not in records, listing
    assert not any(url.startswith("/blog/page/") for url in records)
    assert len(records) == len({url for url in records if not url.endswith((".html", ".xml"))})


def test_only_the_content_is_indexed(real_site):
    """The header, navigation and footer are never indexed, nor the parts of a page that
    repeat other pages: related entries, citations, a term page's quoted passages."""
    records = search_records(real_site)
    post, term = records[POST]["content"], records[TERM]["content"]
    assert "Related" not in post and "Cite this post" not in post and "BibTeX" not in post
    assert "Skip to content" not in post and "Made with" not in post
    assert "Jamaica's Rural Agricultural Development Authority" in term  # its description
    assert "In case studies" not in term and "In posts" not in term


def test_results_carry_kind_date_and_the_pipeline_s_terms(real_site):
    records = search_records(real_site)
    study = records[STUDY]
    assert study["meta"]["kind"] == "Case study" and study["meta"]["date"] == "2015-01-20"
    assert study["filters"]["kind"] == ["Case study"] and study["filters"]["year"] == ["2015"]
    assert {"Code for the Caribbean", "Code for Germany"} <= set(study["filters"]["partner"])
    assert "Fellowship" in study["filters"]["model"]
    assert records[POST]["filters"]["kind"] == ["Post"]
    assert records["/about/"]["filters"] == {"kind": ["Page"]}
    assert records[TERM]["filters"] == {"kind": ["Topic"], "partner": ["Code for the Caribbean"]}


def test_sections_of_a_case_study_are_findable_at_their_anchors(real_site):
    anchors = {anchor["id"] for anchor in search_records(real_site)[STUDY]["anchors"]}
    assert {"pilot-code-for-the-caribbean", "funding-mexico-city", "lessons"} <= anchors


def test_a_new_post_is_findable_after_a_rebuild(project):
    project.enable_search()
    project.write("posts/2015-01-01-first.md", "---\ntitle: First\ndate: 2015-01-01\n---\nAbout fellowships.\n")
    built = project.build()
    assert not built.error
    assert "/blog/2015/01/first/" in search_records(built.site)
    project.write("posts/2016-02-02-second.md", "---\ntitle: Second\ndate: 2016-02-02\n---\nAbout quokkas.\n")
    records = search_records(project.build().site)
    assert "quokkas" in records["/blog/2016/02/second/"]["content"]
    assert records["/blog/2016/02/second/"]["filters"]["year"] == ["2016"]


def test_the_preview_indexes_beside_the_build(project):
    """`mkdocs serve` writes the pages first and indexes them beside the preview; the index is
    complete once the indexing it started has finished (at the latest when serve stops)."""
    project.enable_search()
    project.write("posts/2015-01-01-first.md", "---\ntitle: First\ndate: 2015-01-01\n---\nAbout wombats.\n")
    built = project.build("serve")
    assert "wombats" in search_records(built.site)["/blog/2015/01/first/"]["content"]


def test_an_abandoned_index_writes_nothing_and_stops_its_service(tmp_path):
    """A build that fails once pages are being written abandons its index (`on_build_error`)."""
    indexer = SearchIndexer(tmp_path)
    indexer.add("a/index.html", page("<h1>A</h1>"))
    indexer.abandon()
    assert all(bundle.process.poll() is not None for bundle in indexer._bundles)
    assert not (tmp_path / "pagefind").exists()


def test_the_indexer_skips_pages_without_content_to_index(tmp_path):
    indexer = SearchIndexer(tmp_path)
    indexer.add("a/index.html", page("<h1>Alpha</h1>"))
    indexer.add("b/index.html", '<html lang="en"><body><p>A listing</p></body></html>')
    assert indexer.finish().pages == 1
    assert set(search_records(tmp_path)) == {"/a/"}


def test_search_can_be_switched_off(project):
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text() + "    search: false\n")
    project.write("posts/2015-01-01-first.md", "---\ntitle: First\ndate: 2015-01-01\n---\nAbout fellowships.\n")
    built = project.build()
    assert not built.error and built.exists("blog/2015/01/first/") and not (built.site / "pagefind").exists()
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text().replace("search: false", "search: maybe"))
    assert "extra.casebook.search must be true or false" in " ".join(project.build().messages)
    config = (project.root / "mkdocs.yml").read_text()
    project.write("mkdocs.yml", config.replace("search: maybe", "search_bundle_pages: 0"))
    assert "extra.casebook.search_bundle_pages must be a whole number above 0" in " ".join(project.build().messages)


def page(content: str) -> str:
    """A page as main.html writes it: the theme around the indexed element."""
    return (
        '<html lang="en"><body><header>Site</header><div data-pagefind-body>'
        f"{content}</div><!--/data-pagefind-body--><footer>Made with</footer></body></html>"
    )


def test_only_the_indexed_element_is_sent():
    sent = indexed_element(page("<h1>Alpha</h1>"))
    assert (
        sent
        == '<html lang="en"><body><div data-pagefind-body><h1>Alpha</h1></div><!--/data-pagefind-body--></body></html>'
    )
    assert indexed_element(sent) == sent  # index_site hands `add` elements, not pages
    assert indexed_element("<html><body><p>A listing</p></body></html>") == ""


def test_the_preview_indexes_at_most_once_more_however_many_saves_come(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page("<h1>Alpha</h1>"))
    reports = []
    indexer = PreviewIndexer(reports.append)
    for _ in range(5):  # five saves while the first run is under way
        indexer.request(tmp_path)
    indexer.wait()
    assert 1 <= len(reports) <= 2 and all(report.pages == 1 for report in reports)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text(page("<h1>Beta</h1>"))
    indexer.request(tmp_path)
    indexer.wait()
    assert set(search_records(tmp_path)) == {"/a/", "/b/"}


FAILED = "the search index could not be made: Pagefind, which makes it, .*search: false"


@pytest.mark.parametrize("pages_before_the_crash", [0, 3])
def test_an_indexer_that_died_says_what_to_do(tmp_path, pages_before_the_crash):
    """Whether Pagefind dies before the first page or between pages, the build gets the
    message, never a BrokenPipeError; the process is gone before the build goes on."""
    indexer = SearchIndexer(tmp_path)
    for number in range(pages_before_the_crash):
        indexer.add(f"p{number}/index.html", page(f"<h1>Page {number}</h1>"))
    service = indexer._bundles[0]
    service.process.kill()
    service.process.wait()  # gone for certain: the test does not depend on timing
    with pytest.raises(SearchFailed, match=FAILED):
        for number in range(100):  # enough pages to fill the pipe's buffer and meet the break
            indexer.add(f"q{number}/index.html", page(f"<h1>Page {number}</h1>" + "words " * 200))
        indexer.finish()
    indexer.abandon()  # what index_site does after a failure: it must not raise either


def test_an_indexer_that_hangs_says_what_to_do(tmp_path):
    service = _Service(tmp_path, answer_seconds=1)
    service.add("a/index.html", page("<h1>Alpha</h1>"))
    os.kill(service.process.pid, signal.SIGSTOP)  # alive, but answers nothing
    with pytest.raises(SearchFailed, match=FAILED.replace(".*", "gave no answer in 1 s.*")):
        service.write(tmp_path / "pagefind")
    service.stop()
    assert service.process.returncode is not None


def test_a_hand_written_page_can_keep_itself_out_of_search(project):
    project.enable_search()
    project.write("docs/kept.md", "# Kept\n\nAbout wombats.\n")
    project.write("docs/left-out.md", "---\nsearch:\n  exclude: true\n---\n# Left out\n\nAbout wombats too.\n")
    built = project.build()
    assert not built.error
    records = search_records(built.site)
    assert "/kept/" in records and records["/kept/"]["filters"] == {"kind": ["Page"]}
    assert "/left-out/" not in records
