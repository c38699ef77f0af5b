"""The built site in Debian's Chromium, served under a sub-path as GitHub Pages serves it:
home, search, tabs, legacy URLs, phone width, dark mode, and axe-core accessibility checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from casebook.browser import CHROMIUM, serve

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright: make setup")
if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium", allow_module_level=True
    )

SUB_PATH = "casebook"
PAGES = {
    "home": "",
    "post": "blog/2018/11/repost-civic-tech/",
    "case study": "case-studies/cfa-first-international-partnerships/",
    "term page": "partners/code-for-mexico-city/",
    "matrix": "matrix/",
}


@pytest.fixture(scope="module")
def base_url(real_site, tmp_path_factory):
    """The real site served on loopback at /casebook/."""
    folder = tmp_path_factory.mktemp("served")
    (folder / SUB_PATH).symlink_to(real_site, target_is_directory=True)
    server = serve(folder)
    yield f"http://127.0.0.1:{server.server_port}/{SUB_PATH}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_home_renders_every_section(page, base_url):
    page.goto(base_url)
    for heading in ("Featured case study", "Three ways in", "Newest posts", "Posts per year"):
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".casebook-timeline svg").is_visible()


def test_searching_praedial_larceny_finds_the_case_study(page, base_url):
    page.goto(base_url)
    page.keyboard.press("/")
    page.keyboard.type("praedial larceny")
    page.locator(".md-search-result__item").first.wait_for()
    links = page.locator(".md-search-result__item > a").evaluate_all("links => links.map(a => a.href)")
    assert any("/case-studies/cfa-first-international-partnerships/" in link for link in links), links


@pytest.mark.parametrize(
    ("tab", "url", "heading"),
    [
        ("Case studies", "case-studies/", "Case studies"),
        ("Blog", "blog/", "Blog"),
        ("Lessons", "lessons/", "Lessons"),
        ("Partners", "partners/", "Partners"),
        ("Models", "models/", "Models of collaboration"),
        ("About", "about/", "About the archive"),
        ("Home", "", "Civic Tech Casebook"),
    ],
)
def test_every_tab_reaches_its_section(page, base_url, tab, url, heading):
    page.goto(base_url + "blog/")
    page.locator(".md-tabs__link", has_text=tab).first.click()
    page.wait_for_url(base_url + url)
    assert page.locator("h1").first.inner_text().rstrip("¶") == heading


def test_a_legacy_url_lands_on_its_new_page(page, base_url):
    page.goto(base_url + "2015/01/20/7-tips-for-civic-tech-organizing-no-matter-where-you-live/")
    page.wait_for_url(base_url + "blog/2015/01/7-tips-for-civic-tech-organizing-no-matter-where-you-live/")
    assert "7 Tips for Civic Tech Organizing" in page.locator("h1").first.inner_text()


@pytest.mark.parametrize("url", [*PAGES.values(), "blog/", "lessons/", "about/international-partnerships/"])
def test_no_page_scrolls_sideways_on_a_phone(browser, base_url, url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + url)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0, f"{url} is {overflow}px wider than the screen"


def test_dark_mode_toggles(page, base_url):
    page.goto(base_url)
    scheme = page.locator("body").get_attribute("data-md-color-scheme")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    assert {scheme, page.locator("body").get_attribute("data-md-color-scheme")} == {"default", "slate"}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(page, base_url, name):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(base_url + PAGES[name])
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
