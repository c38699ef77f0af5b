"""Summarise a pull request for its check's summary page: the pages it adds, changes and
removes compared with the base branch, and its content problems, each a link to its line.
`python scripts/pr_summary.py --base BASE_CHECKOUT --blob-url URL >> "$GITHUB_STEP_SUMMARY"`

Both projects go through the build's own pipeline without MkDocs, as `scripts/validate.py`
does (a few seconds, and it works when the build fails): a page is added or removed when its
URL is, and changed when the Markdown the build makes of it differs. `--blob-url` is the
address of the pull request's files (`https://github.com/OWNER/REPO/blob/SHA`). Always exits
0: the summary informs, the other steps fail the check."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import quote

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook import DRAFT, Problem, Site
from casebook.tools.project import build_project
from casebook.urls import file_url

ROOT = Path(__file__).resolve().parents[1]
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|#])")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="a checkout of the base branch's commit")
    parser.add_argument("--blob-url", required=True, help="the pull request's files: https://github.com/O/R/blob/SHA")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml", help="default: %(default)s")
    args = parser.parse_args(argv)
    _, head = build_project(args.config_file.resolve())
    try:
        _, base = build_project((args.base / args.config_file.name).resolve())
    except (OSError, ValueError) as error:  # a base without the project (the pull request adds it)
        print(f"{args.base}: cannot read its project ({error}): every page counts as added", file=sys.stderr)
        base = Site()
    print(render_summary(pages_of(base), pages_of(head), head.problems, args.blob_url.rstrip("/")))
    return 0


def pages_of(site: Site) -> dict[str, tuple[str, str]]:
    """Each page a build publishes (drafts aside), by URL: the source it is made from ("" for
    a listing made from many) and its Markdown."""
    return {
        file_url(uri): (output.source, output.content)
        for uri, output in site.outputs.items()
        if uri.endswith(".md") and output.place != DRAFT
    }


def render_summary(base: dict[str, tuple[str, str]], head: dict[str, tuple[str, str]], problems, blob_url: str) -> str:
    """The summary in Markdown: the pages made from one source that the pull request adds,
    changes and removes, the number of listings that change with them, and the problems."""
    added = sorted(set(head) - set(base))
    removed = sorted(set(base) - set(head))
    changed = sorted(url for url in set(head) & set(base) if head[url] != base[url])
    lines = ["### Pages compared with the base branch", ""]
    for title, urls, pages in (("Added", added, head), ("Changed", changed, head), ("Removed", removed, base)):
        own = [url for url in urls if pages[url][0]]
        lines.append(f"**{title}: {len(own)}**")
        lines += [f"- `{url or '/'}` from `{pages[url][0]}`" for url in own]
        lines.append("")
    listings = len([url for url in added + changed + removed if not (head.get(url) or base[url])[0]])
    lines += [f"Listings and overviews that change with them: {listings}.", "", "### Problems", ""]
    if not problems:
        lines.append("None.")
    else:
        lines.append(f"{len(problems)} to fix before the build passes:")
        lines += [f"- {problem_link(problem, blob_url)}" for problem in sorted(problems, key=_location)]
    return "\n".join(lines)


def problem_link(problem: Problem, blob_url: str) -> str:
    """`[path:line](blob_url/path#Lline): message (hint)`, the text escaped for Markdown."""
    where = problem.path + (f":{problem.line}" if problem.line is not None else "")
    anchor = f"#L{problem.line}" if problem.line is not None else ""
    text = problem.message + (f" ({problem.hint})" if problem.hint else "")
    return f"[{_escape(where)}]({blob_url}/{quote(problem.path)}{anchor}): {_escape(text)}"


def _escape(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", text)


def _location(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.column or 0)


if __name__ == "__main__":
    sys.exit(main())
