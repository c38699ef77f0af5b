"""Check the links of a built site: `python scripts/check_links.py site/`

Every internal link and `#anchor` of every HTML page must resolve, and every redirect page
must land on a page that exists; one line per broken link, `page: link -> problem`, and exit
status 1 if there is any. External links are not checked. Links to the address the site is
published at (read from its sitemap, or given with --site-url) count as internal. Links to the
case studies' PDFs, which `make pdf` prints after the build, are checked with --pdf only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from casebook.tools.links import check_links

PDF = r"\.pdf$"
"""Links to the case studies' PDFs, which `make pdf` writes into the site after the build."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"), help="the built site (default: site)")
    parser.add_argument("--site-url", help="the address the site is published at, e.g. https://org.github.io/repo/")
    parser.add_argument("--ignore", action="append", default=[], metavar="REGEX", help="skip links matching REGEX")
    parser.add_argument("--pdf", action="store_true", help="check the links to the PDFs too (after make pdf)")
    args = parser.parse_args(argv)
    ignored = tuple(args.ignore) + (() if args.pdf else (PDF,))
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no index.html here; build the site first (make build)", file=sys.stderr)
        return 2
    broken = check_links(args.site, args.site_url, ignored)
    for link in broken:
        print(link)
    pages = sum(1 for _ in args.site.rglob("*.html"))
    print(f"{len(broken)} broken link(s) in {pages} pages", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
