"""Check posts, case studies and the vocabulary as the build does, without building:
`make check`, or `.venv/bin/python scripts/validate.py [PATH...]`

Runs the build's own pipeline over the whole project (cross-file checks need every file):
its loaders and checks, and the rendering of its pages, whose links and paths it checks,
without converting or writing anything; it prints each problem as
`path:line:col: message (hint)`, with PATHs only those in these files or folders. Exits 1
if there are problems, 0 if not. Images without alt text or over http (warnings), terms
nothing uses yet and, for the posts named, the terms the build tags them with by itself
(notes) are printed too, but do not change the exit status. `--github` prints GitHub
annotations instead, which show on the pull request's lines."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook import Problem, Settings
from casebook.content.posts import post_files, read_post
from casebook.content.vocabulary import load_vocabulary
from casebook.model import source_name
from casebook.pipeline import TAXONOMY_SCHEMA
from casebook.tagging import TAGGED, Tagger
from casebook.tools.annotations import annotation, images_over_http, in_paths, missing_alt_text
from casebook.tools.project import build_project

ROOT = Path(__file__).resolve().parents[1]
LABELS = {"error": "", "warning": "warning: ", "notice": "note: "}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="report only problems in these")
    parser.add_argument("--github", action="store_true", help="print GitHub workflow annotations")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml", help="default: %(default)s")
    args = parser.parse_args(argv)
    config_file = args.config_file.resolve()
    try:
        settings, site = build_project(config_file)
    except (OSError, ValueError) as error:
        print(f"{args.config_file}: cannot read it: {error}", file=sys.stderr)
        return 2
    root = settings.root
    wanted = []
    for path in args.paths:
        resolved = path.resolve()
        if not resolved.exists() or not resolved.is_relative_to(root):
            print(f"{path}: {'not in the project' if resolved.exists() else 'no such file'} ({root})", file=sys.stderr)
            return 2
        wanted.append(resolved.relative_to(root).as_posix())

    reports = {
        "error": sorted(site.problems, key=location),
        "warning": image_warnings(settings),
        "notice": list(site.notes) + (automatic_tags(settings, wanted) if wanted else []),
    }
    counts = {}
    for level, items in reports.items():
        items = [problem for problem in items if in_paths(problem, wanted)]
        counts[level] = len(items)
        for problem in items:
            print(annotation(level, problem) if args.github else f"{LABELS[level]}{problem}")
    print(summary(counts), file=sys.stderr)
    return 1 if counts["error"] else 0


def automatic_tags(settings: Settings, wanted: list[str]) -> list[Problem]:
    """A note for each term a named post is tagged with although its front matter does not
    say so: for the contributor to keep, write down, or take back with `untagged:`."""
    terms, _ = load_vocabulary(settings.taxonomy_file, settings.taxonomy_file.with_name(TAXONOMY_SCHEMA), settings.root)
    tagger = Tagger(terms)
    named = [
        path
        for path in post_files(settings.posts_dir)
        if in_paths(Problem(source_name(path, settings.root), None, ""), wanted)
    ]
    posts = [read_post(path, settings.root, settings.posts_dir)[0] for path in named]  # problems: reported above
    notes = []
    for post in posts:
        if post is None or post.draft:
            continue
        for tag in tagger.tag(post):
            if tag.relation == TAGGED and tag.reason != "front matter":
                kind, term_id = tag.key
                notes.append(
                    Problem(
                        post.source,
                        post.lines.get("title", 1),
                        f"tagged with the {kind.removesuffix('s')} '{term_id}' ({tag.reason})",
                        f"if it is wrong, add it to `untagged:`; if right, you may add it to `{kind}:`",
                    )
                )
    return notes


def image_warnings(settings: Settings) -> list[Problem]:
    """Images without alt text or over http in every post and case study, by file and line."""
    paths = [*post_files(settings.posts_dir), *sorted(settings.case_studies_dir.glob("*.yml"))]
    warnings = []
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue  # the loaders report it
        text, source = text.replace("\r\n", "\n"), source_name(path, settings.root)
        warnings += sorted(missing_alt_text(text, source) + images_over_http(text, source), key=location)
    return warnings


def location(problem: Problem) -> tuple:
    """A sort key: by file, then line, then column."""
    return (problem.path, problem.line or 0, problem.column or 0)


def summary(counts: dict[str, int]) -> str:
    """`2 problems, 1 warning, no notes`."""
    names = {"error": "problem", "warning": "warning", "notice": "note"}
    return ", ".join(f"{n or 'no'} {names[level]}{'' if n == 1 else 's'}" for level, n in counts.items())


if __name__ == "__main__":
    sys.exit(main())
