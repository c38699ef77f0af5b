"""The hostile site (every OWASP XSS filter-evasion vector in every field that reaches a page,
see test_hardening.py) in Debian's Chromium: no page opens a dialog or logs the marker, even
when every element is hovered, focused and clicked, and searching for the vectors shows them
as text. Every request that does not go to the local server is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import CHROMIUM, launch_chromium, serve

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the XSS browser test needs Playwright: .venv/bin/pip install playwright"
)
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"the XSS browser test needs Debian's Chromium at {CHROMIUM}: apt-get install chromium",
        allow_module_level=True,
    )

from test_hardening import hostile_site  # noqa: E402, F401 (the fixture)

MARKER = re.compile(r"xss|alert|casebook-ran", re.I)
TABS = 8
"""Pages loaded at once: the browser fetches and runs them in parallel."""
NO_PRINT = "window.print = () => console.log('casebook-ran: print()');"
"""Playwright reports alert, confirm and prompt as dialogs; print() only through this."""
POKE = """() => {
    // Inline handlers run when their event reaches the element; links must not navigate away.
    document.addEventListener("click", event => event.preventDefault(), true);
    const events = ["mouseover", "mouseenter", "mousemove", "focus", "click", "dblclick", "keydown",
                    "animationstart", "toggle", "pointerover", "error", "load"];
    for (const element of document.querySelectorAll("body *")) {
        for (const type of events) element.dispatchEvent(new Event(type, {bubbles: false}));
    }
    const found = [];
    for (const element of document.querySelectorAll("*")) {
        for (const name of element.getAttributeNames()) {
            const value = element.getAttribute(name).replace(/[\\t\\n\\r]/g, "").trim();
            const url = ["href", "src", "action", "formaction", "data", "xlink:href", "background"].includes(name);
            if (name.startsWith("on") || (url && /^(javascript:|vbscript:|data:text)/i.test(value))) {
                found.push(`<${element.localName} ${name}="${value.slice(0, 60)}">`);
            }
        }
    }
    return found;
}"""


@pytest.fixture(scope="module")
def base_url(hostile_site):  # noqa: F811 (the fixture imported above)
    server = serve(hostile_site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def context(base_url):
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context()
        context.add_init_script(NO_PRINT)
        context.route(
            "**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort()
        )
        yield context
        browser.close()


def watch(page, ran: list[str]) -> None:
    """Record on `ran` every dialog and every console message that carries the marker."""

    def dialog(d):
        ran.append(f"{page.url}: {d.type}({d.message!r})")
        d.dismiss()

    page.on("dialog", dialog)
    page.on("console", lambda m: ran.append(f"{page.url}: console {m.text!r}") if MARKER.search(m.text) else None)


def pages_to_visit(site: Path) -> list[str]:
    """The pages that hold every vector in each context: the post, the terms and the case
    study with all of them in every field, the legacy page with all of them in its body, the
    listings; and one in twelve of the posts of a single vector (their every context is on
    the page of all vectors). Repeats of a listing's template (later pages, years) are left out."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        name = path.relative_to(site).as_posix()
        single = re.search(r"/hostile-(\d+)/index.html$", name)
        repeat = re.match(r"^blog/(page/([3-9]|\d\d)|20(1[1-9]|20))/index.html$", name)
        if not repeat and (not single or int(single.group(1)) % 12 == 0):
            pages.append(name)
    return pages


def test_no_vector_runs_on_any_page(context, base_url, hostile_site):  # noqa: F811
    urls = [base_url + name for name in pages_to_visit(hostile_site)]
    assert len(urls) > 30 and any("/every-vector/" in url for url in urls)
    ran, active = [], []
    tabs = [context.new_page() for _ in range(TABS)]
    for tab in tabs:
        watch(tab, ran)
    for start in range(0, len(urls), TABS):
        batch = list(zip(tabs, urls[start : start + TABS], strict=False))
        for tab, url in batch:
            tab.goto(url, wait_until="commit")
        for tab, url in batch:
            tab.wait_for_load_state("load")
            active += [f"{url}: {element}" for element in tab.evaluate(POKE)]
    tabs[0].wait_for_timeout(300)  # handlers scheduled with a delay
    assert (ran, active) == ([], [])


def test_searching_shows_the_vectors_as_text(context, base_url):
    """Every hostile post says "This paragraph names the lesson": the results list their titles
    (vectors all) and the passages around the match, which the theme renders as HTML."""
    page = context.new_page()
    ran = []
    watch(page, ran)
    page.goto(base_url + "blog/")
    page.keyboard.press("/")
    page.keyboard.type("paragraph names")
    page.locator(".casebook-search__result").first.wait_for()
    more = page.locator("[data-casebook-search-more]")
    for _ in range(5):
        if more.is_visible():
            more.click()
            page.wait_for_timeout(100)
    results = page.locator(".casebook-search__results")
    assert results.locator("img, script, iframe, svg").count() == 0
    assert "<IMG SRC" in results.inner_text()
    assert (ran, page.evaluate(POKE)) == ([], [])
