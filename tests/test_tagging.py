"""Tags in two strengths: a post is tagged with what it is about and mentions what it only
names, each with the passage that shows it; measured against labels (make eval)."""

from __future__ import annotations

import datetime as dt
import json

from conftest import ROOT

from casebook.content.posts import load_posts, parse_post
from casebook.content.vocabulary import load_vocabulary
from casebook.model import Term
from casebook.tagging import MENTIONED, TAGGED, Tagger
from casebook.tools.candidates import propose_terms
from casebook.tools.evaluation import evaluate

TERMS = (
    Term("partners", "city-of-philadelphia", "City of Philadelphia", aliases=("Philadelphia", "Philly")),
    Term("partners", "code-for-philly", "Code for Philly"),
    Term(
        "partners", "code-for-america", "Code for America", aliases=("CfA",), website="https://www.codeforamerica.org/"
    ),
    Term("models", "fellowship", "Fellowship", aliases=("Fellows",)),
    Term("models", "brigade", "Brigade"),
    Term("lessons", "keep-it-simple", "Keep it simple"),
)


def post(front: str, body: str, name: str = "posts/2013-01-01-a.md"):
    found, problems = parse_post(f"---\n{front}\n---\n{body}\n", name)
    assert problems == []
    return found


def tags(front: str, body: str) -> dict:
    return {tag.key[1]: (tag.relation, tag.reason, tag.passage) for tag in Tagger(TERMS).tag(post(front, body))}


def test_what_the_post_is_about_is_tagged_and_what_it_names_once_is_mentioned():
    found = tags(
        "title: Fellows arrive in Philadelphia\ncategories: [Brigade]",
        "Code for Philly met the city.\n\nThe fellows worked with Philly's office of innovation.\n\n"
        "Code for Philly hacked on it again. Keep it simple, they said.",
    )
    assert found["fellowship"][:2] == (TAGGED, "title")
    assert found["city-of-philadelphia"][:2] == (TAGGED, "title")
    assert found["brigade"][:2] == (TAGGED, "category")
    assert found["code-for-philly"] == (TAGGED, "named in 2 paragraphs", "Code for Philly met the city.")
    assert found["keep-it-simple"][:2] == (MENTIONED, "named once")


def test_a_partner_category_tags_the_partner_only_when_the_text_bears_it_out():
    once = tags("title: A\ncategories: [Philadelphia, Brigade]", "Code for Philly met in Philadelphia.")
    assert once["city-of-philadelphia"][:2] == (MENTIONED, "named once")
    assert once["brigade"][:2] == (TAGGED, "category")  # a model's category is not a place
    filed = tags("title: A\ncategories: [Code for Philly]", "Volunteers met.\n\nCode for Philly hosted.")
    assert filed["code-for-philly"][:2] == (MENTIONED, "named once")  # a name of several words too
    twice = tags("title: A\ncategories: [Philadelphia]", "Philly's city hall.\n\nThe city of Philadelphia.")
    assert twice["city-of-philadelphia"][:2] == (TAGGED, "category")
    assert tags("title: A\ncategories: [Philadelphia]", "Text.")["city-of-philadelphia"][:2] == (MENTIONED, "category")


def test_a_short_post_is_tagged_with_a_model_one_paragraph_in_two_names():
    body = "Code for Philly met.\n\nThe fellows coded.\n\nThey ate.\n\nThey left."
    assert tags("title: A", body.replace("They ate.", "Fellows ate."))["fellowship"][:2] == (
        TAGGED,
        "named in 2 of 4 paragraphs",
    )
    assert tags("title: A", body)["fellowship"][:2] == (MENTIONED, "named once")  # one in four
    assert tags("title: A", body)["code-for-philly"][:2] == (MENTIONED, "named once")
    assert tags("title: A", "Code for Philly met.\n\nThey ate.")["code-for-philly"][:2] == (
        MENTIONED,
        "named once",
    )  # a partner needs two paragraphs however short the post


def test_the_vocabulary_knows_what_the_archive_calls_its_models_and_lessons():
    terms, problems = load_vocabulary(ROOT / "taxonomy.yml", ROOT / "taxonomy.schema.json", ROOT)
    tagger = Tagger(terms)
    for text, model in (
        ("The city announced the contest.", "challenge-prizes"),
        ("Making government data more accessible.", "open-data"),
        ("The city's new data portal.", "open-data"),
        ("Austin has launched an Innovation Office.", "government-innovation-lab"),
    ):
        assert ("models", model) in tagger.named(text), text
    assert problems == []
    for text, lesson in (
        ("Fellows did user research in City Hall.", "involve-users-and-multidisciplinary-people"),
        ("Cities are pushing for procurement reform.", "procurement-is-a-barrier"),
    ):
        assert ("lessons", lesson) in tagger.named(text), text


def test_a_lesson_is_found_by_its_cues_and_not_by_a_topic_word_alone():
    terms = (Term("lessons", "involve-users", "Involve users", aliases=("Users",), cues=("user research",)),)
    tagger = Tagger(terms)

    def found(front, body):
        return [(tag.relation, tag.reason) for tag in tagger.tag(post(front, body))]

    assert found("title: A", "We did user research.") == [(MENTIONED, "named once")]
    assert found("title: A", "User research first.\n\nThen more user research.") == [(TAGGED, "named in 2 paragraphs")]
    assert found("title: A", "Users came.") == []  # a one-word alias names a topic
    assert found("title: A\ncategories: [user research]", "Text.") == []  # a cue is not a category
    assert found("title: A\ncategories: [Users]", "Text.") == [(TAGGED, "category")]


def test_a_paragraph_repeated_word_for_word_counts_once():
    body = "Code for Philly met.\n\nCode for Philly met.\n\nThey ate."
    assert tags("title: A", body)["code-for-philly"][:2] == (MENTIONED, "named once")


def test_the_longest_name_wins_and_names_are_whole_words():
    found = tags("title: A", "Code for Philly met. Philadelphians came. Philly.")
    assert set(found) == {"code-for-philly", "city-of-philadelphia"}  # "Philly" alone; not "Philadelphians"
    assert found["city-of-philadelphia"][0] == MENTIONED


def test_a_partner_whose_name_holds_a_model_names_both():
    terms = (*TERMS, Term("partners", "pif", "Presidential Innovation Fellows"))
    found = Tagger(terms).tag(post("title: Presidential Innovation Fellows", "Text."))
    assert {tag.key[1]: tag.reason for tag in found} == {"pif": "title", "fellowship": "title"}


def test_front_matter_tags_and_untagged_takes_an_automatic_tag_back():
    found = tags("title: Fellowship news\nlessons: [keep-it-simple]\nuntagged: [fellowship]", "Nothing.")
    assert found == {"keep-it-simple": (TAGGED, "front matter", "Nothing.")}


def test_on_its_own_blog_the_publisher_is_mentioned_never_tagged():
    front = "title: Code for America news\noriginal_url: http://www.codeforamerica.org/blog/2013/01/01/a/"
    assert tags(front, "Code for America grew.\n\nCfA grew again.")["code-for-america"][:2] == (
        MENTIONED,
        "the publisher",
    )
    assert tags("title: Code for America news", "Text.")["code-for-america"][:2] == (TAGGED, "title")


def test_a_former_address_of_the_publishers_website_is_its_blog_too():
    terms = (
        Term(
            "partners",
            "code-for-america",
            "Code for America",
            website="https://www.codeforamerica.org/",
            former_websites=("http://50.16.221.90/cfa_wordpress/",),
        ),
    )
    front = "title: Why I code for America\noriginal_url: http://50.16.221.90/cfa_wordpress/2010/11/01/a/"
    found = Tagger(terms).tag(post(front, "Code for America grew.\n\nCode for America grew again."))
    assert [(tag.relation, tag.reason) for tag in found] == [(MENTIONED, "the publisher")]


def test_a_short_name_in_capitals_matches_only_as_written_and_only_mentions():
    terms = (Term("partners", "district-of-columbia", "Government of the District of Columbia", aliases=("DC",)),)
    tagger = Tagger(terms)
    assert tagger.named("Fellows went to Washington, DC.") == {("partners", "district-of-columbia"): 0}
    assert tagger.named("The dc current; a DCA flight; D.C.") == {}
    found = tagger.tag(post("title: Data Camp DC\ncategories: [dc]", "In DC.\n\nDC again.\n\nDC once more."))
    assert [(tag.relation, tag.reason) for tag in found] == [(MENTIONED, "named once")]


def test_a_longer_name_in_capitals_matches_only_as_written_and_tags_as_any_name():
    terms = (Term("partners", "good", "GOOD", aliases=("GOOD Magazine",)),)
    tagger = Tagger(terms)
    assert tagger.named("A good idea; Good news.") == {}
    found = tagger.tag(post("title: With GOOD", "GOOD asked readers.\n\nGOOD printed the winners."))
    assert [(tag.relation, tag.reason) for tag in found] == [(TAGGED, "title")]
    assert tagger.tag(post("title: A good label", "A good label.\n\nA good design.")) == []


def test_case_and_curly_apostrophes_do_not_hide_a_name():
    terms = (Term("partners", "mayors-office", "Mayor's Office"), Term("models", "fellowship", "Fellowship"))
    found = Tagger(terms).tag(post("title: A", "The MAYOR’S OFFICE.\n\nOur FELLOWſHIP ran."))
    assert {tag.key[1] for tag in found} == {"mayors-office", "fellowship"}


def test_the_evaluation_counts_right_wrong_and_missed_terms():
    posts = {
        "posts/a.md": post("title: Fellows in Philadelphia\ndate: 2013-01-01", "Text.", "posts/a.md"),
        "posts/b.md": post("title: B\ndate: 2013-01-01", "Code for Philly met.", "posts/b.md"),
    }
    labels = [
        {"post": "posts/a.md", "partners": ["Philly", "Unknown Org"], "models": ["brigade"], "lessons": []},
        {"post": "posts/b.md", "partners": ["Code for Philly"], "models": [], "lessons": []},
    ]
    result = evaluate(labels, posts, Tagger(TERMS))
    partners = result.scores["partners", "tagged"]
    assert (partners.right, partners.wrong, partners.missed) == (1, 0, 2)  # b's brigade is only mentioned
    assert result.scores["partners", "tagged or mentioned"].recall == 2 / 3
    models = result.scores["models", "tagged"]
    assert (models.right, models.wrong, models.missed) == (0, 1, 1)
    assert ("posts/a.md", "partners", "Unknown Org (not in the vocabulary)") in result.misses
    assert result.wrong == [("posts/a.md", "models", "fellowship", "title")]


def test_candidates_are_recurring_names_the_vocabulary_lacks():
    posts = [
        post("title: A", f"The City of Macon and the Knight Foundation met {n}.", f"posts/2013-01-0{n}-a.md")
        for n in range(1, 4)
    ]
    found = {c.name: c for c in propose_terms(posts, TERMS, min_posts=3)}
    assert found["City of Macon"].kind == "government" and found["City of Macon"].posts == 3
    assert found["Knight Foundation"].kind == "funder"
    assert "posts/2013-01-01-a.md: The City of Macon" in found["City of Macon"].example
    assert not propose_terms(posts[:2], TERMS, min_posts=3)


def test_the_real_archive_is_tagged_and_its_term_pages_say_how(real_site):
    terms = json.loads((real_site / "api" / "terms.json").read_text(encoding="utf-8"))
    relations = {entry.get("relation") for kind in terms.values() for term in kind for entry in term["entries"]}
    assert relations == {TAGGED, MENTIONED}
    fellowship = (real_site / "models" / "fellowship" / "index.html").read_text(encoding="utf-8")
    assert fellowship.index('id="in-posts"') < fellowship.index('id="mentioned"')
    assert len(fellowship.encode()) < 300_000


def test_every_post_of_the_archive_loads():
    posts, problems = load_posts(ROOT / "posts", ROOT)
    assert problems == [] and len(posts) >= 1_040
    assert min(p.published for p in posts).date() == dt.date(2009, 9, 8)
