"""Take screenshots of the built site for review: `python scripts/screenshots.py [SITE_DIR] [--out screenshots/]`

Home, a post, the case study, a term page and the matrix, at 1280 and 390 pixels wide, in the
light and the dark palette, in Debian's Chromium (/usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from browser import launch_chromium, serve
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "home": "",
    "post": "blog/2018/11/repost-civic-tech/",
    "case-study": "case-studies/cfa-first-international-partnerships/",
    "term": "partners/code-for-mexico-city/",
    "partner": "partners/city-of-oakland/",
    "largest-term": "models/fellowship/",
    "mentions": "models/fellowship/#mentioned",
    "partners": "partners/",
    "matrix": "matrix/",
}
WIDTHS = {"desktop": 1280, "phone": 390}
SCHEMES = ("light", "dark")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no built site here; run `make build` first", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for scheme in SCHEMES:
            for device, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
                for name, url in PAGES.items():
                    page.goto(base + url)
                    path = args.out / f"{name}-{device}-{scheme}.png"
                    page.screenshot(path=path, full_page=False)
                    print(path)
                page.close()
        browser.close()
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
