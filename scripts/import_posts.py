"""Import legacy Jekyll `_posts/` folders into posts/: `python scripts/import_posts.py SOURCE_DIR... [--out posts/]`

Reads WordPress exports, WordPress.com exports, Medium reposts and bare Jekyll posts, writes
each as a canonical post, and ends with a summary. Exits 1, naming every file it could not
convert, if there is any. Running it again over the same folders changes nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook.tools.importer import REPAIRS, ImportReport, import_posts
from casebook.tools.repair import HOTLINKED, HTTP_IMAGE

ROOT = Path(__file__).resolve().parents[1]
QUIET = frozenset({HOTLINKED, HTTP_IMAGE})
"""Warnings too many to list one by one unless asked (`--verbose`)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path, metavar="SOURCE_DIR", help="a Jekyll _posts/ folder")
    parser.add_argument("--out", type=Path, default=ROOT / "posts", help="where to write the posts (default: posts/)")
    parser.add_argument(
        "--origin",
        default="",
        metavar="URL",
        help="where the old site lived, e.g. https://www.codeforamerica.org/blog; by default each post's guid tells",
    )
    parser.add_argument("--verbose", action="store_true", help="list every repair and every warning")
    args = parser.parse_args(argv)
    missing = [str(source) for source in args.sources if not source.is_dir()]
    if missing:
        parser.error(f"not a folder: {', '.join(missing)}")
    report = import_posts(args.sources, args.out, args.origin)
    print_report(report, args.verbose)
    return 1 if report.failures else 0


def print_report(report: ImportReport, verbose: bool) -> None:
    """The summary, the warnings by kind, then the files that could not be converted."""
    print(
        f"Read {len(report.read)} files: {len(report.written)} posts written ({len(report.drafts)} drafts), "
        f"{len(report.updated)} updated with legacy URLs, {len(report.unchanged)} already in the output folder, "
        f"{len(report.skipped)} skipped (not posts), {len({p.path for p in report.failures})} could not be converted."
    )
    for title, repairs in (("Repairs", True), ("Warnings", False)):
        counts = report.counts(repairs)
        if counts:
            print(f"{title}:")
            for kind, count in counts.items():
                print(f"  {count:6}  {kind}")
    for note in report.notes:
        if verbose or (note.kind not in REPAIRS and note.kind not in QUIET):
            print(f"{note.kind}: {note}")
    if report.drafts and verbose:
        print("Drafts:", *report.drafts, sep="\n  ")
    for problem in report.failures:
        print(f"could not convert: {problem}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
