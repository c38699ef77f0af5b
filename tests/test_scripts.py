"""The contributor scripts: validate.py (with GitHub annotations), new_post.py and
new_case_study.py, and what they share in `casebook.tools`."""

import re
import shutil
from pathlib import Path

import pytest

from casebook import check_content, read_settings
from casebook.content.posts import PLACEHOLDER, parse_post, read_term_ids
from casebook.model import Problem
from casebook.tools.annotations import annotation, images_over_http, in_paths, missing_alt_text
from casebook.tools.project import documentation_urls, read_config
from scripts import new_case_study, new_post, pr_summary, suggest_terms, validate

ROOT = Path(__file__).resolve().parents[1]

IMPOSSIBLE_DATE_AND_UNKNOWN_PARTNER = """\
---
title: Open data in Kingston
date: 2016-02-30
partners: [code-for-the-carribean]
---
Text.
"""


def run(main, project, *args: str) -> int:
    return main(["--config-file", str(project.root / "mkdocs.yml"), *args])


def reported(capsys) -> list[str]:
    """What validate.py printed, without the notes (every term is unused in a test project)."""
    return [line for line in capsys.readouterr().out.splitlines() if not line.startswith(("note: ", "::notice "))]


def test_validate_reports_both_problems_of_a_post_as_github_annotations(project, capsys):
    project.write("posts/kingston.md", IMPOSSIBLE_DATE_AND_UNKNOWN_PARTNER)
    assert run(validate.main, project, "--github") == 1
    assert reported(capsys) == [
        "::error file=posts/kingston.md,line=3::'date' '2016-02-30' is not a real date: day is out of range for month"
        " (write the date as YYYY-MM-DD, e.g. 2015-01-20)",
        "::error file=posts/kingston.md,line=4::unknown partner 'code-for-the-carribean'"
        " (did you mean 'code-for-the-caribbean'?)",
    ]


def test_validate_plain_lines_and_path_filter(project, capsys, monkeypatch):
    project.write("posts/2015-01-01-a.md", "---\ntitle: A\nmodels: [brigad]\n---\n")
    project.write("posts/2015-01-02-b.md", "---\nlayout: post\n---\n")
    monkeypatch.chdir(project.root)
    assert run(validate.main, project) == 1
    assert reported(capsys) == [
        "posts/2015-01-01-a.md:3: unknown model 'brigad' (did you mean 'brigade'?)",
        "posts/2015-01-02-b.md:1: the post has no title (add a line `title: ...` to the front matter)",
    ]
    assert run(validate.main, project, "posts/2015-01-02-b.md") == 1
    assert capsys.readouterr().out.splitlines() == [
        "posts/2015-01-02-b.md:1: the post has no title (add a line `title: ...` to the front matter)"
    ]
    project.write("posts/2015-01-02-b.md", "---\ntitle: B\n---\n")
    assert run(validate.main, project, "posts/2015-01-02-b.md") == 0
    assert capsys.readouterr().out == ""
    assert run(validate.main, project, "posts/missing.md") == 2


def test_validate_catches_a_url_of_a_hand_written_page(project, capsys):
    project.write("docs/about/history.md", "# History\n")
    project.write("posts/2015-01-01-history.md", "---\ntitle: History\nlayout: page\n---\n")
    assert run(validate.main, project) == 1
    assert reported(capsys) == [
        "posts/2015-01-01-history.md:1: the URL /about/history/ is already used by a page of the site"
        " (give the post another `slug:`)"
    ]


def test_warnings_and_notes_do_not_change_the_exit_status(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    project.write(
        "posts/2015-01-01-a.md",
        "---\ntitle: A\nmodels: [brigade]\n---\nA ![](https://example.org/x.png) picture.\n\n"
        "<img src='http://x.org/a.png' alt=A>\n",
    )
    assert run(validate.main, project, "--github") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "::warning file=posts/2015-01-01-a.md,line=5,col=3::an image without alt text"
        " (write what the image shows between the brackets: ![...](...))"
    )
    assert out[2].startswith("::notice file=taxonomy.yml,line=") and len(out) > 3
    assert run(validate.main, project, "posts") == 0
    assert capsys.readouterr().out.splitlines() == [
        "warning: posts/2015-01-01-a.md:5:3: an image without alt text"
        " (write what the image shows between the brackets: ![...](...))",
        "warning: posts/2015-01-01-a.md:7:1: an image over http (mixed content on an https site)"
        " (link it with https:// if its host serves it there, or copy it into the site)",
    ]


def test_validate_notes_what_a_named_post_is_tagged_with_by_itself(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    front = "title: Brigade news\nmodels: [fellowship]\nuntagged: [code-for-germany]"
    project.write("posts/2015-01-01-a.md", f"---\n{front}\n---\nCode for Germany.\n\nCode for Germany.\n")
    assert run(validate.main, project, "posts/2015-01-01-a.md") == 0
    assert capsys.readouterr().out.splitlines() == [
        "note: posts/2015-01-01-a.md:2: tagged with the model 'brigade' (title)"
        " (if it is wrong, add it to `untagged:`; if right, you may add it to `models:`)"
    ]
    assert suggest_terms.main(["posts/2015-01-01-a.md"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "posts/2015-01-01-a.md:",
        "  tagged   model    brigade: title",
        "  tagged   model    fellowship: front matter",
    ]


def test_the_repository_validates():
    assert validate.main([]) == 0


def test_annotations_escape_as_github_does():
    problem = Problem("posts/a,b:c.md", 3, "50% done\r\nnext", "hint", 5)
    assert annotation("error", problem) == "::error file=posts/a%2Cb%3Ac.md,line=3,col=5::50%25 done%0D%0Anext (hint)"
    assert annotation("notice", Problem("taxonomy.yml", None, "a: b, c")) == "::notice file=taxonomy.yml::a: b, c"


def test_in_paths():
    problem = Problem("posts/2015/a.md", 1, "x")
    assert in_paths(problem, [])
    assert in_paths(problem, ["posts/2015/a.md"]) and in_paths(problem, ["posts/"]) and in_paths(problem, ["."])
    assert not in_paths(problem, ["posts/2015/a.m"]) and not in_paths(problem, ["case_studies"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('<img src="a.png">', ["1:1: an image without alt text"]),
        ('x <IMG SRC=a.png ALT="" />', ["1:3: an image with empty alt text"]),
        ("<img alt src=a.png>", ["1:1: an image with empty alt text"]),
        ('<img data-alt="x" src=a.png>', ["1:1: an image without alt text"]),
        ("\n\n  ![ ](a.png) and ![][ref]", ["3:3: an image without alt text", "3:19: an image without alt text"]),
        ("<img\n  src=a.png\n  alt='A map'>", []),
        ("<img src=a.png alt=Map>![Map](a.png)", []),
        ("---\nimage: <img src=x>\n---\n```html\n<img src=a.png>\n```\n`![](x)`\n", []),
    ],
)
def test_missing_alt_text(text, expected):
    problems = missing_alt_text(text, "posts/a.md")
    assert [f"{p.line}:{p.column}: {p.message}" for p in problems] == expected


def test_images_over_http():
    text = (
        "---\nimage: http://x.org/banner.jpg\n---\n"
        '<img src="http://x.org/a.png" alt=A> <IMG SRC=HTTP://x.org/b.png> <img src="https://x.org/c.png">\n'
        '<img srcset="d.png 1x, http://x.org/d.png 2x" src=d.png> <a href="http://x.org/e.png">e</a>\n'
        "![f](http://x.org/f.png) ![g](https://x.org/g.png) [h](http://x.org/h.png) `![i](http://x.org/i.png)`\n"
    )
    assert [(p.line, p.column) for p in images_over_http(text, "posts/a.md")] == [(4, 1), (4, 38), (5, 1), (6, 1)]


def test_read_config_tolerates_tags(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [NAME, x]\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  casebook: {posts_per_page: 5}\n"
    )
    config = read_config(tmp_path / "mkdocs.yml")
    assert config["site_name"] == ["NAME", "x"] and config["extra"]["casebook"] == {"posts_per_page": 5}


def test_documentation_urls(tmp_path):
    for name in ("index.md", "about/index.md", "about/team.md", "notes/README.md", ".drafts/x.md", "x.css"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert documentation_urls(tmp_path) == {"", "about/", "about/team/", "notes/"}


def test_read_term_ids_of_a_post_with_other_problems():
    assert read_term_ids(IMPOSSIBLE_DATE_AND_UNKNOWN_PARTNER) == [("partners", "code-for-the-carribean", 4)]
    assert read_term_ids("---\nlessons: [Not An Id]\nmodels: brigade\n---\n") == [("models", "brigade", 3)]
    assert read_term_ids("---\ntitle: [\n---\n") == [] and read_term_ids("no front matter") == []


def test_new_post_writes_canonical_front_matter(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    args = ["Open data: a “first” look", "--partner", "code-for-the-caribbean", "--model", "fellowship", "brigade"]
    args += ["--date", "2015-03-04", "--author", 'Ada "A" Lovelace', "--author", "Grace Hopper"]
    assert run(new_post.main, project, *args) == 0
    path = "posts/2015-03-04-open-data-a-first-look.md"
    assert capsys.readouterr().out == path + "\n"
    text = (project.root / path).read_text()
    assert re.search(r"^# lessons|^lessons: \[\]$", text, re.M) and "# Term ids from taxonomy.yml" in text
    assert run(validate.main, project, path) == 1
    assert reported(capsys) == [
        f"{path}:6: the summary is empty"
        " (write one or two sentences for listings and search results, or delete the line)",
        f"{path}:19: the post still has the line new_post.py put in its place"
        " (write the post in its place, in Markdown)",
    ]
    text = text.replace('summary: ""', "summary: A first look.").replace(PLACEHOLDER, "The text.")
    (project.root / path).write_text(text)
    post, problems = parse_post(text, path)
    assert problems == []
    assert (post.title, post.authors, post.url) == (
        "Open data: a “first” look",
        ('Ada "A" Lovelace', "Grace Hopper"),
        "blog/2015/03/open-data-a-first-look/",
    )
    assert (post.lessons, post.partners, post.models) == ((), ("code-for-the-caribbean",), ("fellowship", "brigade"))
    assert run(validate.main, project, path) == 0

    assert run(new_post.main, project, "Open data: a “first” look", "--date", "2015-03-04") == 1
    assert "already exists" in capsys.readouterr().err


def test_new_post_makes_a_readable_short_slug_from_any_title(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    assert run(new_post.main, project, "東京の市民テック", "--date", "2015-03-04") == 0
    assert capsys.readouterr().out == "posts/2015-03-04-dong-jing-noshi-min-tetuku.md\n"
    assert run(new_post.main, project, "A title that goes on " * 30, "--date", "2015-03-04") == 0
    path = capsys.readouterr().out.strip()
    assert path.startswith("posts/2015-03-04-a-title-that-goes-on-") and len(Path(path).stem) <= 11 + 80


def test_new_post_refuses_unknown_ids(project, capsys):
    assert run(new_post.main, project, "X", "--partner", "code-for-the-carribean", "--lesson", "keep-it-simple") == 1
    assert capsys.readouterr().err.splitlines() == [
        "unknown partner 'code-for-the-carribean' (did you mean 'code-for-the-caribbean'?)"
    ]
    assert list((project.root / "posts").iterdir()) == []
    with pytest.raises(SystemExit):
        run(new_post.main, project, "X", "--date", "2016-02-30")
    assert "'2016-02-30' is not a real date" in capsys.readouterr().err


# Each empty value of the skeleton, by (top-level key, key or list): what the test fills in.
CASE_STUDY_VALUES = {
    ("title", "title"): "A test case study",
    ("organization", "organization"): "Code for America",
    ("authors", "name"): "Ada Lovelace",
    ("published", "published"): "2015-01-20",
    ("summary", "summary"): "What happened, in short.",
    ("source", "title"): "The report",
    ("source", "format"): "PDF",
    ("models", "models"): "fellowship",
    ("partners", "id"): "code-for-the-caribbean",
    ("partners", "name"): "Code for the Caribbean",
    ("partners", "role"): "Pilot partner",
    ("lessons", "id"): "keep-it-simple",
    ("lessons", "title"): "Keep it simple",
    ("lessons", "body"): "Small steps worked.",
    ("lessons", "partners"): "code-for-the-caribbean",
    ("sections", "id"): "background",
    ("sections", "title"): "Background",
    ("sections", "group"): "Introduction",
    ("sections", "body"): "How it began.",
}
EMPTY_VALUE = re.compile(r"^(?P<lead>\s*-?\s*(?:(?P<key>[a-z_]+):)?)\s*(?P<comment>#.*)?$")


def fill_skeleton(text: str) -> str:
    """Put a value in every empty `key:` and `-` of the skeleton, keeping its comments."""
    lines = text.splitlines()
    content = [n for n, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    indent = {n: len(lines[n]) - len(lines[n].lstrip(" -")) for n in content}
    top = key = ""
    for position, n in enumerate(content):
        line = lines[n]
        named = re.match(r"^\s*(?:- )?([a-z_]+):", line)
        top = named.group(1) if named and not line.startswith(" ") else top
        key = named.group(1) if named else key
        following = content[position + 1] if position + 1 < len(content) else None
        match = EMPTY_VALUE.match(line)
        if not match or (named and following is not None and indent[following] > indent[n]):
            continue  # a value, or a key whose value is the block below it
        value = CASE_STUDY_VALUES[(top, key)]
        comment = f"  {match['comment']}" if match["comment"] else ""
        lines[n] = f"{match['lead'].rstrip()} {value}{comment}"
    return "\n".join(lines) + "\n"


def test_new_case_study_skeleton_validates_once_filled(project, capsys):
    (project.root / "case_studies").mkdir()
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", project.root / "case_studies")
    assert run(new_case_study.main, project, "test-study") == 0
    path = project.root / "case_studies" / "test-study.yml"
    skeleton = path.read_text()
    assert skeleton.splitlines()[0] == "# yaml-language-server: $schema=case-study.schema.json"
    settings, _ = read_settings(None, project.root)
    empty = [p for p in check_content(settings).problems if p.path == "case_studies/test-study.yml"]
    assert len(empty) == len(CASE_STUDY_VALUES) and all(p.message.endswith("should be text, not empty") for p in empty)

    path.write_text(fill_skeleton(skeleton))
    checked = check_content(settings)
    assert checked.problems == ()
    assert [s.slug for s in checked.archive.case_studies] == ["test-study"]

    assert run(new_case_study.main, project, "test-study") == 1
    assert run(new_case_study.main, project, "Test_Study") == 2
    assert "already exists" in capsys.readouterr().err


def test_pr_summary_lists_pages_added_changed_removed_and_problems_as_links(project, tmp_path, capsys):
    project.write("posts/2015-01-01-kept.md", "---\ntitle: Kept\ndate: 2015-01-01\n---\nText.\n")
    project.write("posts/2015-02-01-edited.md", "---\ntitle: Edited\ndate: 2015-02-01\n---\nText.\n")
    project.write("posts/2015-03-01-gone.md", "---\ntitle: Gone\ndate: 2015-03-01\n---\nText.\n")
    base = tmp_path / "base"
    shutil.copytree(project.root, base, ignore=shutil.ignore_patterns("base"))
    project.write("posts/2015-02-01-edited.md", "---\ntitle: Edited\ndate: 2015-02-01\n---\nOther text.\n")
    (project.root / "posts" / "2015-03-01-gone.md").unlink()
    project.write("posts/2015-04-01-new.md", IMPOSSIBLE_DATE_AND_UNKNOWN_PARTNER.replace("2016-02-30", "2015-04-01"))
    blob = "https://github.com/o/r/blob/abc123"
    assert run(pr_summary.main, project, "--base", str(base), "--blob-url", blob) == 0
    pages, problems = capsys.readouterr().out.split("### Problems")
    assert pages.splitlines() == [
        "### Pages compared with the base branch",
        "",
        "**Added: 1**",
        "- `blog/2015/04/new/` from `posts/2015-04-01-new.md`",
        "",
        "**Changed: 1**",
        "- `blog/2015/02/edited/` from `posts/2015-02-01-edited.md`",
        "",
        "**Removed: 1**",
        "- `blog/2015/03/gone/` from `posts/2015-03-01-gone.md`",
        "",
        "Listings and overviews that change with them: 3.",
        "",
    ]
    assert problems.splitlines()[2:] == [
        "1 to fix before the build passes:",
        f"- [posts/2015-04-01-new.md:4]({blob}/posts/2015-04-01-new.md#L4): unknown partner"
        " 'code-for-the-carribean' (did you mean 'code-for-the-caribbean'?)",
    ]


def test_pr_summary_escapes_problems_for_markdown():
    problem = Problem("posts/a b.md", 3, "'models' has '<b>[x](y)</b>'")
    assert pr_summary.problem_link(problem, "https://h/blob/s") == (
        r"[posts/a b.md:3](https://h/blob/s/posts/a%20b.md#L3): 'models' has '\<b\>\[x\](y)\</b\>'"
    )
