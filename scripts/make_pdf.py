"""Print every case study of a built site to PDF: `python scripts/make_pdf.py [SITE_DIR]`

Run after `make build` (`make pdf` does both). Serves SITE_DIR (default site/) on loopback,
opens each case study in Debian's Chromium (/usr/bin/chromium) driven by Playwright, and prints
it with the site's print stylesheet to `case-studies/<slug>/<slug>.pdf`. Then it sets the
PDF's title and author with pypdf, and only once the PDF is complete writes
`case-studies/<slug>/pdf.css` beside it: the stylesheet that shows the page's links to the
PDF, which stay hidden while it is missing. No page is rewritten, and `make build` needs no
browser."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import venv_guard  # noqa: F401  (first: says how to run the script outside .venv)

from browser import launch_chromium, serve
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter

from casebook.site.citation import PDF_CSS

ROOT = Path(__file__).resolve().parents[1]
SHOW_PDF_LINKS = "/* Written by scripts/make_pdf.py once the PDF beside it exists. */\n"
SHOW_PDF_LINKS += "@media screen {\n  .casebook-pdf {\n    display: inline;\n  }\n}\n"
FOOTER = """<div style="width: 100%; margin: 0 16mm; font-size: 7pt; display: flex;
justify-content: space-between"><span class="title"></span><span><span class="pageNumber"></span>
/ <span class="totalPages"></span></span></div>"""

# In the page, before printing: links within the site (which Material's instant navigation
# has made absolute on the loopback server) point at the published site instead, the address
# of the page's `citation_public_url`; links within the page become fragments again, so
# that they stay links within the PDF. The print stylesheet writes the address after
# external links only (main.html exempts the published site's).
PUBLISHED_LINKS = """() => {
  const page = document.querySelector('meta[name="citation_public_url"]').content;
  const root = page.slice(0, page.length - location.pathname.length + 1);
  for (const a of document.querySelectorAll(".md-content a[href]")) {
    const url = new URL(a.href);
    if (url.origin !== location.origin) continue;
    if (url.pathname === location.pathname && url.hash) a.setAttribute("href", url.hash);
    else a.setAttribute("href", root + url.pathname.slice(1) + url.search + url.hash);
  }
}"""
METADATA = """() => {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content || "";
  const ld = JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent);
  return {
    title: meta("citation_title"),
    authors: ld.author.map((author) => author.name),
    subject: meta("description"),
  };
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    args = parser.parse_args(argv)
    pages = sorted(path.parent for path in (args.site / "case-studies").glob("*/index.html"))
    if not (args.site / "index.html").is_file() or not pages:
        print(f"{args.site}: no built site with case studies here; run `make build` first", file=sys.stderr)
        return 1
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            for folder in pages:
                path = print_case_study(page, base + folder.relative_to(args.site).as_posix() + "/", folder)
                pages_count = len(PdfReader(path).pages)
                print(f"{path}: {pages_count} pages, {path.stat().st_size // 1024} KiB")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


def print_case_study(page, url: str, folder: Path) -> Path:
    """Print the case study at `url` to `<slug>.pdf` in its folder, with its metadata, then
    write the pdf.css that shows the page's links to it; returns the PDF's path."""
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    page.evaluate(PUBLISHED_LINKS)
    meta = page.evaluate(METADATA)
    printed = page.pdf(
        format="A4",
        prefer_css_page_size=True,
        print_background=False,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=FOOTER,
        outline=True,
        tagged=True,
    )
    path = folder / f"{folder.name}.pdf"
    partial = path.with_suffix(".pdf.part")
    with partial.open("wb") as out:
        write_metadata(printed, out, meta)
    os.replace(partial, path)
    (folder / PDF_CSS).write_text(SHOW_PDF_LINKS, encoding="utf-8")
    return path


def write_metadata(printed: bytes, out, meta: dict) -> None:
    """Chromium takes the PDF's title from <title> (with the site's name) and sets no author:
    write the citation's title, the authors and the description."""
    from io import BytesIO

    writer = PdfWriter(clone_from=PdfReader(BytesIO(printed)))
    writer.add_metadata({"/Title": meta["title"], "/Author": ", ".join(meta["authors"]), "/Subject": meta["subject"]})
    writer.write(out)


if __name__ == "__main__":
    sys.exit(main())
