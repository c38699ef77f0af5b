"""`make check`: the build's own content checks without building, so that it fails whatever
`make build` fails, with the file and line; and the scripts' one-line advice when run
outside the project's .venv."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import minimal_case_study

from scripts import validate

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(path.name for path in (ROOT / "scripts").glob("*.py") if "import venv_guard" in path.read_text())


def check(project, capsys, *paths: str) -> tuple[int, list[str]]:
    """validate.py's exit status and its lines, notes aside (every term is unused in a test project)."""
    status = validate.main(["--config-file", str(project.root / "mkdocs.yml"), *paths])
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("note: ")]
    return status, lines


def test_check_fails_on_the_links_and_images_the_build_fails_on(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root)
    project.write("posts/2015-01-20-tips.md", "---\ntitle: Tips\n---\nText.\n")
    project.write(
        "posts/2026-01-04-a.md",
        """\
        ---
        title: A
        ---
        See [the tips](2015-01-20-tip.md), [the about page](../docs/about.md) and
        ![A map](map.png). In code, `[x](nothing.md)` is only text.
        """,
    )
    expected = [
        "posts/2026-01-04-a.md:4: the link '2015-01-20-tip.md' leads to no file (did you mean '2015-01-20-tips.md'?)",
        "posts/2026-01-04-a.md:4: the link '../docs/about.md' leads to no file"
        " (link to a post or case study by its file's path from this post, e.g. 2015-01-20-slug.md)",
        "posts/2026-01-04-a.md:5: the link 'map.png' leads to no file (give the file's path from this post, or its"
        " web address (https://...); to keep an image beside its post, make the post a folder:"
        " posts/YYYY-MM-DD-slug/index.md with the image in it)",
    ]
    assert check(project, capsys) == (1, expected)
    built = project.build()
    assert [message.removeprefix("casebook: ") for message in built.messages[:-1]] == expected
    assert built.error and built.messages[-1] == "3 problem(s) in the content, listed above. Fix them and build again."

    project.write("posts/2026-01-04-a.md", "---\ntitle: A\n---\nSee [the tips](2015-01-20-tips.md).\n")
    assert check(project, capsys) == (0, [])
    assert project.build().messages == []


def test_make_check_runs_the_validator_on_one_file():
    if shutil.which("make") is None:
        pytest.skip("needs make")
    command = ["make", "--no-print-directory", "-n", "check", "FILE=posts/2015-01-20-x.md"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)  # also under `make test`
    assert result.stdout.splitlines()[-1] == ".venv/bin/python scripts/validate.py posts/2015-01-20-x.md"


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_script_run_outside_the_venv_says_how_to_run_it(script):
    python = next((p for p in ("/usr/bin/python3", "/usr/local/bin/python3") if Path(p).is_file()), None)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    if (
        python is None
        or subprocess.run([python, "-c", "import casebook"], env=env, capture_output=True).returncode == 0
    ):
        pytest.skip("needs a Python outside the venv that cannot import casebook")
    result = subprocess.run([python, f"scripts/{script}"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(
        rf"scripts/{script} needs the project's \.venv \(this Python cannot import \w+\): run `make setup` once, "
        rf"then (`make \w+`, or )?`\.venv/bin/python scripts/{script}`",
        line,
    )
    assert ("`make check`" in line) == (script == "validate.py")


def test_a_case_study_with_schema_errors_still_has_its_unknown_terms_reported(project, capsys):
    study = minimal_case_study().replace("title: A study\norganization", "organization")
    project.write("case_studies/a-study.yml", study.replace("models: [fellowship]", "models: [felowship]"))
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", project.root / "case_studies")
    assert check(project, capsys) == (
        1,
        [
            "case_studies/a-study.yml:1:1: the case study is missing 'title' (add `title: ...`)",
            "case_studies/a-study.yml:10: unknown model 'felowship' (did you mean 'fellowship'?)",
        ],
    )


def test_a_duplicate_url_is_blamed_on_the_newer_post_and_checked_one_file_at_a_time(project, capsys):
    project.write("posts/zz-first.md", "---\ntitle: First\ndate: 2015-01-02\nslug: same\n---\nText.\n")
    project.write("posts/aa-second.md", "---\ntitle: Second\ndate: 2015-01-21\nslug: same\n---\nText.\n")
    blamed = (
        "posts/aa-second.md:4: posts/zz-first.md already has the URL /blog/2015/01/same/"
        " (give one of the two posts another `slug:`)"
    )
    assert check(project, capsys) == (1, [blamed])
    assert check(project, capsys, str(project.root / "posts/aa-second.md")) == (1, [blamed])
    assert check(project, capsys, str(project.root / "posts/zz-first.md")) == (0, [])


def test_a_typo_in_a_post_is_reported_on_the_post_only(project, capsys):
    """The post is left out of the archive, but the case study that names it and the term
    only it uses are not blamed for that."""
    project.write("posts/2015-01-20-kingston.md", "---\ntitle: Kingston\ntitel: x\nmodels: [brigade]\n---\nText.\n")
    project.write("case_studies/a-study.yml", minimal_case_study() + "related_posts: [kingston]\n")
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", project.root / "case_studies")
    status = validate.main(["--config-file", str(project.root / "mkdocs.yml")])
    lines = capsys.readouterr().out.splitlines()
    assert status == 1 and lines[0] == "posts/2015-01-20-kingston.md:3: unknown field 'titel' (did you mean 'title'?)"
    assert not [line for line in lines[1:] if not line.startswith("note: ")]
    assert not [line for line in lines if "brigade" in line]


def test_a_link_to_an_old_address_of_a_post_leads_to_its_page_with_a_note(project, capsys):
    project.write(
        "posts/2015-01-20-old.md",
        """\
        ---
        title: Old
        original_url: http://www.codeforamerica.org/news/2015/01/20/old-post/
        aliases: [/2015/01/20/old-post/]
        ---
        Text.
        """,
    )
    project.write(
        "posts/2026-01-04-a.md",
        """\
        ---
        title: A
        ---
        See [the post](/2015/01/20/old-post/#part), [again](https://codeforamerica.org/news/2015/01/20/old-post/)
        and [elsewhere](https://example.org/news/2015/01/20/old-post/).
        """,
    )
    status = validate.main(["--config-file", str(project.root / "mkdocs.yml")])
    notes = [line for line in capsys.readouterr().out.splitlines() if "old address" in line]
    assert status == 0 and notes == [
        f"note: posts/2026-01-04-a.md:4: the link '{url}' is an old address of posts/2015-01-20-old.md:"
        " it leads to that post's page (you may link to the file instead: 2015-01-20-old.md)"
        for url in ("/2015/01/20/old-post/", "https://codeforamerica.org/news/2015/01/20/old-post/")
    ]
    built = project.build()
    assert built.messages == []
    html = built.page("blog/2026/01/a/")
    assert 'href="../../../2015/01/old/#part"' in html and 'href="../../../2015/01/old/"' in html
    assert 'href="https://example.org/news/2015/01/20/old-post/"' in html


def test_a_post_in_a_folder_shows_the_image_beside_it(project, capsys):
    photo = b"\x89PNG\r\n\x1a\n not really a picture"
    project.write(
        "posts/2026-01-04-with-image/index.md",
        """\
        ---
        title: With an image
        image: photo.png
        ---
        ![A whiteboard](photo.png)
        """,
    )
    (project.root / "posts/2026-01-04-with-image/photo.png").write_bytes(photo)
    assert check(project, capsys) == (0, [])
    built = project.build()
    assert built.messages == []
    html = built.page("blog/2026/01/with-image/")
    assert re.search(r'<img alt="A whiteboard" src="photo.png"', html)
    assert '<meta property="og:image" content="http://127.0.0.1:8000/blog/2026/01/with-image/photo.png">' in html
    assert (built.site / "blog/2026/01/with-image/photo.png").read_bytes() == photo

    project.write(
        "posts/2026-01-04-with-image/index.md",
        "---\ntitle: With an image\nimage: map.png\n---\nText.\n\n![A map](map.png)\n",
    )
    assert check(project, capsys) == (
        1,
        [
            "posts/2026-01-04-with-image/index.md:3: the image 'map.png' is not beside the post"
            " (put the image in the post's folder and give its name, or give its web address (https://...))"
        ],
    )
    project.write(
        "posts/2026-01-04-with-image/index.md", "---\ntitle: With an image\n---\nText.\n\n![A map](map.png)\n"
    )
    assert check(project, capsys) == (
        1,
        ["posts/2026-01-04-with-image/index.md:6: the link 'map.png' leads to no file (did you mean 'photo.png'?)"],
    )


def test_check_fails_on_the_links_in_a_case_study_the_build_fails_on(project, capsys):
    """A case study's Markdown links as a post does: to a source file from its own folder
    (`../posts/x.md`, made a link to that page), else to a file of the site from its page."""
    project.write("posts/2015-01-20-tips.md", "---\ntitle: Tips\n---\nText.\n")
    body = "    body: |-\n      Text.\n\n      See [the tips](../posts/2015-01-20-tip.md).\n"
    lesson = "    body: Small things, ![a map](map.png).\n"
    study = minimal_case_study().replace("    body: Small things.\n", lesson)
    project.write("case_studies/a-study.yml", study.replace("    body: Text.\n", body))
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", project.root / "case_studies")
    expected = [
        "case_studies/a-study.yml:19: the link 'map.png' leads to no file (give the file's web address"
        " (https://...), or put it in docs/ and give its path from docs/case-studies/)",
        "case_studies/a-study.yml:28: the link '../posts/2015-01-20-tip.md' leads to no file"
        " (did you mean '../posts/2015-01-20-tips.md'?)",
    ]
    assert check(project, capsys) == (1, expected)
    built = project.build()
    assert [message.removeprefix("casebook: ") for message in built.messages[:-1]] == expected
    assert built.error and built.messages[-1] == "2 problem(s) in the content, listed above. Fix them and build again."

    study = minimal_case_study().replace("    body: Text.\n", body.replace("tip.md", "tips.md"))
    project.write("case_studies/a-study.yml", study)
    assert check(project, capsys) == (0, [])
    built = project.build()
    assert built.messages == []
    assert 'href="../../blog/2015/01/tips/"' in built.page("case-studies/a-study/")
