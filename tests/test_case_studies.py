"""Case studies: the schema, the messages a contributor gets, and the rendered page."""

import re
import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import SOURCE_FIGURES, minimal_case_study, page_text

from casebook.content.case_studies import load_case_studies

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "case_studies" / "cfa-first-international-partnerships.yml"


def problems_for(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "case_studies"
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "case_studies" / "case-study.schema.json", folder)
    (folder / "study.yml").write_text(text, encoding="utf-8")
    studies, problems = load_case_studies(folder, tmp_path)
    assert (studies == []) == bool(problems)
    return [str(p) for p in problems]


MINIMAL = minimal_case_study()


def test_the_real_case_study_is_valid():
    studies, problems = load_case_studies(ROOT / "case_studies", ROOT)
    assert problems == []
    study = studies[0]
    assert len(study.lessons) == 7
    assert [p.id for p in study.partners][:3] == ["code-for-the-caribbean", "code-for-mexico-city", "code-for-germany"]


def test_minimal_case_study_is_valid(tmp_path):
    assert problems_for(tmp_path, MINIMAL) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("title: A study\n", ""),
            ["case_studies/study.yml:1:1: the case study is missing 'title' (add `title: ...`)"],
        ),
        (
            ("title: A study\n", "titel: A study\n"),
            [
                "case_studies/study.yml:1:1: the case study is missing 'title' (add `title: ...`)",
                "case_studies/study.yml:2:1: unknown key 'titel' (did you mean 'title'?)",
            ],
        ),
        (
            ("  - name: Ana\n", "  - name: Ana\n    rol: Author\n"),
            ["case_studies/study.yml:6:5: unknown key 'rol' in authors[1] (did you mean 'role'?)"],
        ),
        (
            ("models: [fellowship]", "models: fellowship"),
            ["case_studies/study.yml:11:9: models should be a list, not text ('fellowship')"],
        ),
        (
            ("published: 2015-01-20", "published: 2016-02-30"),
            [
                "case_studies/study.yml:6:12: published '2016-02-30' is not a real date"
                " (write it as YYYY-MM-DD, e.g. 2015-01-20)"
            ],
        ),
        (
            (
                "  - id: intro\n",
                "  - id: intro\n    title: Again\n    group: Introduction\n    body: x\n  - id: intro\n",
            ),
            ["case_studies/study.yml:26:9: sections has the id 'intro' twice (give each item its own id)"],
        ),
        (
            (
                "    partners: [code-for-germany]\n",
                "    partners: [code-for-germany]\n  - id: keep-it-simple\n"
                "    title: Again\n    body: x\n    partners: [code-for-germany]\n",
            ),
            ["case_studies/study.yml:21:9: lessons has the id 'keep-it-simple' twice (give each item its own id)"],
        ),
        (
            (MINIMAL[MINIMAL.index("lessons:") : MINIMAL.index("sections:")], "lessons: []\n"),
            ["case_studies/study.yml:16:10: lessons needs at least 1 item"],
        ),
        (
            ("slug: a-study", "slug: ../../escaped"),
            [
                "case_studies/study.yml:1:7: slug '../../escaped' is not in the expected form"
                " (use lowercase letters, digits and hyphens, e.g. code-for-germany)"
            ],
        ),
        (
            ("title: A study\n", "title: [A study\n"),
            [
                "case_studies/study.yml:3:13: not valid YAML: expected ',' or ']', but got ':'"
                " (check the indentation, and put quotes around values that contain ': ')"
            ],
        ),
    ],
)
def test_broken_case_studies_word_for_word(tmp_path, change, expected):
    old, new = change
    assert old in MINIMAL
    assert problems_for(tmp_path, MINIMAL.replace(old, new, 1)) == expected


def _markdown_text(source: str) -> str:
    return page_text(markdown.markdown(source))


def test_the_page_shows_everything_in_the_yaml(real_site):
    data = yaml.safe_load(REAL.read_text(encoding="utf-8"))
    page = page_text((real_site / "case-studies" / data["slug"] / "index.html").read_text(encoding="utf-8"))
    expected = [lesson["title"] for lesson in data["lessons"]] + [lesson["body"] for lesson in data["lessons"]]
    for section in data["sections"]:
        expected += [section["title"], section.get("body", "")]
        expected += section.get("benefits", []) + section.get("challenges", []) + section.get("takeaways", [])
        for finding in section.get("findings", []):
            expected += [finding] if isinstance(finding, str) else [finding["text"], *finding["items"]]
    expected += [figure["label"] for figure in data["figures"]]
    missing = [text for text in expected if text and _markdown_text(text) not in page]
    assert missing == []


def test_the_page_shows_the_figures_of_the_source(real_site):
    page = page_text((real_site / "case-studies/cfa-first-international-partnerships/index.html").read_text())
    for figure in (*SOURCE_FIGURES, "HarvestAPI", "CLIP", "Eventario"):
        assert figure in page, figure
    assert (
        len(
            re.findall(
                r'id="lesson-[a-z-]+"',
                (real_site / "case-studies/cfa-first-international-partnerships" / "index.html").read_text(),
            )
        )
        == 7
    )


def test_a_broken_case_study_fails_the_build_with_line_and_column(project):
    project.write("case_studies/case-study.schema.json", (ROOT / "case_studies/case-study.schema.json").read_text())
    text = REAL.read_text().replace("featured: true", 'featured: "yes"').replace("\ntitle:", "\ntitel:", 1)
    project.write("case_studies/study.yml", text)
    result = project.run("build", "--strict")
    assert result.returncode != 0
    assert re.search(r"case_studies/study\.yml:\d+:1: unknown key 'titel' \(did you mean 'title'\?\)", result.stderr)
    assert re.search(r"case_studies/study\.yml:\d+:11: featured should be true or false, not text", result.stderr)
    assert "Traceback" not in result.stderr
