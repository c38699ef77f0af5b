"""Write the site as a plain source tree for an engine that runs no hooks: `python scripts/export_site.py OUT_DIR`

Runs the build's own pipeline (load, validate, index, render: what the MkDocs hook calls) and
writes into OUT_DIR the hand-written pages, every generated page as Markdown, the static files
(redirect pages, feeds, JSON exports, manifest), the page templates and a `mkdocs.yml` without
hooks. `cd OUT_DIR && zensical build` then builds the site at the same URLs; the README lists
what that build lacks. Exits 1, writing nothing, if the content has problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook.tools.export import CONFIG, DIFFERENCES, HEADER, export_site

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="a new folder, or an earlier export to replace")
    parser.add_argument("-f", "--config-file", type=Path, default=ROOT / "mkdocs.yml", help="default: %(default)s")
    args = parser.parse_args(argv)
    config_file, out = args.config_file.resolve(), args.out.resolve()
    earlier = out / CONFIG
    if config_file.parent.is_relative_to(out) or out.is_relative_to(config_file.parent / "docs"):
        print(f"{args.out}: choose a folder that neither holds the project nor is in its docs/", file=sys.stderr)
        return 2
    if out.is_dir() and any(out.iterdir()) and not (earlier.is_file() and earlier.read_text().startswith(HEADER)):
        print(f"{args.out}: not empty and not an earlier export; choose a new folder", file=sys.stderr)
        return 2
    try:
        export = export_site(config_file, out)
    except (OSError, ValueError) as error:
        print(f"{args.config_file}: cannot read it: {error}", file=sys.stderr)
        return 2
    for note in export.notes:
        print(f"note: {note}")
    for problem in export.problems:
        print(problem)
    if export.problems:
        print(f"{len(export.problems)} problem(s) in the content: nothing written.", file=sys.stderr)
        return 1
    print(f"Wrote {export.pages} pages and {export.files} other files to {args.out}. Built there, the site lacks:")
    for difference in DIFFERENCES:
        print(f"  - {difference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
