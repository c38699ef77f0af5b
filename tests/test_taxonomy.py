"""The vocabulary, tagging, the term index, term pages, the matrix and the JSON export."""

import datetime as dt
import html
import json
import re
from pathlib import Path

import yaml

from casebook.content.vocabulary import load_vocabulary
from casebook.index import build_archive
from casebook.model import Post, Term

ROOT = Path(__file__).resolve().parents[1]
STUDY = "case-studies/cfa-first-international-partnerships/"
SECTION_LINK = re.compile(r'href="\.\./\.\./case-studies/cfa-first-international-partnerships/#([a-z0-9-]+)"')

TERMS = (
    Term("models", "brigade", "Brigade / volunteer labs", aliases=("Brigade",)),
    Term("models", "fellowship", "Fellowship"),
    Term("partners", "code-for-boston", "Code for Boston"),
)


def make_post(slug: str, day: int, **fields) -> Post:
    return Post(
        source=f"posts/{slug}.md",
        kind="post",
        slug=slug,
        title=slug.title(),
        body=f"{slug} text\n",
        published=dt.datetime(2015, 1, day, tzinfo=dt.UTC),
        **fields,
    )


def test_legacy_categories_map_to_terms_through_aliases():
    archive = build_archive([make_post("a", 1, categories=("Brigade", "News"))], (), TERMS)
    assert archive.entry_terms["blog/2015/01/a.md"] == (("models", "brigade"),)
    assert [e.title for e in archive.evidence[("models", "brigade")]] == ["A"]


def test_related_entries_share_the_most_terms():
    posts = [
        make_post("a", 1, models=("brigade", "fellowship"), partners=("code-for-boston",)),
        make_post("b", 2, models=("brigade", "fellowship")),
        make_post("c", 3, models=("brigade",)),
        make_post("d", 4),
    ]
    archive = build_archive(posts, (), TERMS)
    assert archive.related["blog/2015/01/a.md"] == ("blog/2015/01/b.md", "blog/2015/01/c.md")
    assert archive.related["blog/2015/01/d.md"] == ()
    assert archive.together[("models", "brigade")][("models", "fellowship")] == 2


def test_post_evidence_quotes_the_paragraph_that_names_the_term():
    post = make_post("a", 1, models=("fellowship",))
    post = Post(**{**{f: getattr(post, f) for f in post.__slots__}, "body": "Intro.\n\nOur Fellowship ran a year.\n"})
    archive = build_archive([post], (), TERMS)
    assert archive.evidence[("models", "fellowship")][0].passage == "Our Fellowship ran a year."


def vocabulary_problems(tmp_path, data) -> list[str]:
    (tmp_path / "taxonomy.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    _, problems = load_vocabulary(tmp_path / "taxonomy.yml", ROOT / "taxonomy.schema.json", tmp_path)
    return [str(p) for p in problems]


def test_vocabulary_problems_word_for_word(tmp_path):
    lesson = {"id": "keep-it-simple", "title": "Keep it simple", "description": "D.", "aliases": ["Simple"]}
    model = {"id": "brigade", "title": "Brigade", "description": "D.", "aliases": ["simple"]}
    assert vocabulary_problems(
        tmp_path, {"lessons": [lesson, {**lesson, "aliases": []}], "partners": [], "models": [model]}
    ) == [
        "taxonomy.yml:7:7: lessons has the id 'keep-it-simple' twice (give each term its own id)",
        "taxonomy.yml:17:5: the alias 'simple' also belongs to lessons 'keep-it-simple' (an alias names one term only)",
    ]
    partner = {"id": "x", "title": "X", "description": "D.", "kind": "funder", "country": "Y", "regoin": "Europe"}
    assert vocabulary_problems(tmp_path, {"lessons": [], "partners": [partner], "models": []}) == [
        "taxonomy.yml:3:3: partners[1] is missing 'region' (add `region: ...`)",
        "taxonomy.yml:8:3: unknown key 'regoin' in partners[1] (did you mean 'region'?)",
    ]


def test_unknown_partner_fails_the_build_with_a_suggestion(project):
    project.write("posts/2015-01-01-x.md", "---\ntitle: X\npartners: [code-for-the-carribean]\n---\nText\n")
    built = project.build()
    assert built.messages[0] == (
        "casebook: posts/2015-01-01-x.md:3: unknown partner 'code-for-the-carribean'"
        " (did you mean 'code-for-the-caribbean'?)"
    )
    assert built.error


def test_unused_terms_are_notes_not_failures(project, caplog):
    project.write("posts/2015-01-01-x.md", "---\ntitle: X\n---\nText\n")
    built = project.build()
    assert built.error == ""
    assert "no post or case study uses the model 'fellowship'" in caplog.text


def test_term_pages_link_to_the_exact_sections_of_the_case_study(real_site):
    study = yaml.safe_load((ROOT / "case_studies/cfa-first-international-partnerships.yml").read_text())
    section_ids = {s["id"] for s in study["sections"]}
    pages = [f"lessons/{lesson['id']}/" for lesson in study["lessons"]]
    pages += [
        "partners/code-for-the-caribbean/",
        "partners/code-for-mexico-city/",
        "partners/code-for-germany/",
        "models/fellowship/",
        "models/brigade/",
    ]
    for url in pages:
        html = (real_site / url / "index.html").read_text()
        anchors = set(SECTION_LINK.findall(html))
        assert anchors, url
        assert anchors <= section_ids | {a for a in anchors if a.startswith(("lesson-", "partner-"))} | {
            a for a in anchors if any(a.startswith(s + "-") for s in section_ids)
        }, url


def test_the_medium_repost_is_on_six_model_pages(real_site):
    for model in (
        "fellowship",
        "training",
        "service-delivery",
        "events-and-hackathons",
        "consulting",
        "policy-development",
    ):
        html = (real_site / "models" / model / "index.html").read_text()
        assert "../../blog/2018/11/repost-civic-tech/" in html, model


def test_partner_page_shows_its_facts_models_and_partners(real_site):
    html = (real_site / "partners/code-for-germany/index.html").read_text()
    assert "Germany, Europe" in html and "http://codefor.de/" in html
    assert 'href="../../models/brigade/"' in html and 'href="../code-for-america/"' in html


def test_overviews_matrix_and_post_terms(real_site):
    overview = (real_site / "lessons/index.html").read_text()
    assert overview.count('href="keep-it-simple/"') == 1
    matrix = (real_site / "matrix/index.html").read_text()
    assert 'href="../partners/code-for-germany/"' in matrix and 'href="../models/brigade/"' in matrix
    post = (real_site / "blog/2023/09/a-vision-for-community-civic-technology/index.html").read_text()
    assert 'href="../../../../partners/code-for-boston/"' in post


def test_the_partners_overview_lists_every_partner_by_kind_and_region_compactly(real_site):
    partners = yaml.safe_load((ROOT / "taxonomy.yml").read_text())["partners"]
    page = (real_site / "partners/index.html").read_text()
    assert all(page.count(f'href="{p["id"]}/"') == 1 for p in partners)
    assert len(page.encode()) < 300_000
    governments = page[page.index('id="governments-and-public-agencies"') : page.index('id="civic-tech-organizations"')]
    america = governments[governments.index('id="north-america"') : governments.index('id="oceania"')]
    titles = [html.unescape(t) for t in re.findall(r"<li><a href=\"[^\"]+\">([^<]+)</a>, ", america)]
    assert "City of Oakland" in titles and titles == sorted(titles, key=str.casefold)
    assert "Rural Agricultural Development Authority" not in america  # Caribbean


def test_open_data_export(real_site):
    data = json.loads((real_site / "api/terms.json").read_text())
    assert set(data) == {"lessons", "partners", "models"}
    fellowship = next(t for t in data["models"] if t["id"] == "fellowship")
    assert fellowship["url"] == "models/fellowship/"
    assert any(e["url"].startswith(STUDY + "#") for e in fellowship["entries"])
    assert any(e["url"] == "blog/2018/11/repost-civic-tech/" for e in fellowship["entries"])
    assert json.loads((real_site / "api/partners.json").read_text()) == data["partners"]
