"""Search: what Pagefind indexes in the built site (read back from its index), the facets it
carries, and a rebuild that makes a new post findable. The browser side is in test_browser.py."""

from __future__ import annotations

from conftest import search_records

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
    project.write("posts/2015-01-01-first.md", "---\ntitle: First\ndate: 2015-01-01\n---\nAbout wombats.\n")
    built = project.build("serve")
    assert "wombats" in search_records(built.site)["/blog/2015/01/first/"]["content"]
