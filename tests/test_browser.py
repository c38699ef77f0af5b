"""The built site in Debian's Chromium, served under a sub-path as GitHub Pages serves it:
home, search, tabs, legacy URLs, phone width, dark mode, and axe-core accessibility checks."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import CHROMIUM, serve
from conftest import build_strict, search_records

playwright = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright: make setup")

if not Path(CHROMIUM).is_file():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium", allow_module_level=True
    )

SUB_PATH = "casebook"
STUDY = "case-studies/cfa-first-international-partnerships/"
POST_URL = "blog/2018/11/repost-civic-tech/"
PAGES = {
    "home": "",
    "post": "blog/2018/11/repost-civic-tech/",
    "case study": "case-studies/cfa-first-international-partnerships/",
    "term page": "partners/code-for-mexico-city/",
    "matrix": "matrix/",
}


@contextmanager
def served_under_sub_path(site: Path, folder: Path):
    """`site` served on loopback at /casebook/ (`folder` holds the link to it): its URL."""
    (folder / SUB_PATH).symlink_to(site, target_is_directory=True)
    server = serve(folder)
    try:
        yield f"http://127.0.0.1:{server.server_port}/{SUB_PATH}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def base_url(real_site, tmp_path_factory):
    """The real site served on loopback at /casebook/."""
    with served_under_sub_path(real_site, tmp_path_factory.mktemp("served")) as url:
        yield url


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


SLOW = 120_000
"""Milliseconds a search may take to answer: loading Pagefind's WebAssembly and several bundles
on a busy two-core machine takes seconds; a search that never answers still fails."""


def search(page, base_url, query, url=""):
    """Open the search with `/` on a page and type `query`; wait for the answer. A search that
    does not answer fails with what the page said and what went wrong on the way."""
    trouble = []
    page.on("console", lambda message: message.type == "error" and trouble.append(message.text))
    page.on("pageerror", lambda error: trouble.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and trouble.append(f"{response.status} {response.url}"))
    page.on("requestfailed", lambda request: trouble.append(f"{request.failure} {request.url}"))
    page.goto(base_url + url)
    page.keyboard.press("/")
    page.keyboard.type(query)
    try:
        page.wait_for_function(
            "q => document.querySelector('#casebook-search-status').textContent.includes(q)", arg=query, timeout=SLOW
        )
    except playwright.TimeoutError:
        status = page.locator("#casebook-search-status").text_content()
        pytest.fail(f"no answer to {query!r} in {SLOW / 1000:.0f} s; status {status!r}; on the way: {trouble}")


def result_links(page) -> list[str]:
    return page.locator(".casebook-search__result > a").evaluate_all("links => links.map(a => a.href)")


def test_praedial_larceny_finds_the_case_study_first_fetching_under_half_the_index(page, base_url, real_site):
    fetched = responses(page)
    search(page, base_url, "praedial larceny")
    assert result_links(page)[0] == base_url + STUDY
    assert page.locator(".casebook-search__result mark").first.inner_text().lower() in ("praedial", "larceny")
    assert_under_half_of_the_index(fetched, real_site)


def responses(page) -> dict[str, int]:
    """The bytes of each response the page gets from now on, by URL, filled as they come."""
    fetched = {}
    page.on("response", lambda response: fetched.update({response.url: len(response.body())}))
    return fetched


def assert_under_half_of_the_index(fetched: dict[str, int], site: Path) -> None:
    searched = sum(size for url, size in fetched.items() if "/pagefind/" in url)
    whole = sum(path.stat().st_size for path in (site / "pagefind").rglob("*") if path.is_file())
    assert 0 < searched < whole / 2, (searched, whole)


def test_a_partner_filter_narrows_the_results(page, base_url, real_site):
    search(page, base_url, "fellowship")
    everything = result_count(page)
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Partner", exact=True).select_option("Code for the Caribbean")
    page.wait_for_function(
        f"!document.querySelector('#casebook-search-status').textContent.startsWith('{everything} ')"
    )
    narrowed = result_count(page)
    records = search_records(real_site)
    tagged = {
        url for url, record in records.items() if "Code for the Caribbean" in record["filters"].get("partner", [])
    }
    assert 0 < narrowed < everything
    assert {"/" + link.removeprefix(base_url) for link in result_links(page)} <= tagged


def result_count(page) -> int:
    return int(page.locator("#casebook-search-status").inner_text().split()[0])


def test_a_section_result_leads_to_its_anchor(page, base_url):
    search(page, base_url, "praedial larceny")
    section = page.locator(".casebook-search__result").first.locator(".casebook-search__sections a").first
    href = section.get_attribute("href")
    assert "#" in href
    section.click()
    page.wait_for_url(f"**{STUDY}#*")
    anchor = page.url.split("#", 1)[1]
    assert not page.locator("dialog[open]").count()
    page.wait_for_function(
        "id => { const top = document.getElementById(id).getBoundingClientRect().top;"
        " return top >= 0 && top < innerHeight; }",
        arg=anchor,
    )


def test_search_works_from_the_keyboard(page, base_url):
    search(page, base_url, "praedial larceny", url=POST_URL)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.href") == result_links(page)[0]
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "casebook-search-query"
    page.keyboard.press("Escape")
    assert not page.locator("dialog[open]").count()
    page.locator("main").click()
    page.keyboard.press("s")
    assert page.locator("dialog[open]").count() == 1


def test_excerpts_show_the_text_as_the_page_shows_it(page, base_url):
    """The source writes `Stadt, Land&lt;Code&gt;`: the page and the excerpt both read Land<Code>."""
    search(page, base_url, "Stadt")
    excerpts = page.locator(".casebook-search__excerpt").all_inner_texts()
    assert any("Land<Code>" in text for text in excerpts), excerpts
    assert not any("&lt;" in text for text in excerpts), excerpts
    assert page.locator(".casebook-search__excerpt mark").count() >= 1


def test_a_search_that_finds_nothing_says_so(page, base_url):
    search(page, base_url, "zyzzyvaquux")
    assert page.locator("#casebook-search-status").inner_text().startswith("Nothing found for “zyzzyvaquux”")
    assert not page.locator(".casebook-search__result").count()


def test_search_without_its_index_says_so_and_works_once_it_is_there(page, base_url):
    """As under `make serve` in the moment before the preview's index is written."""
    page.route("**/pagefind/**", lambda route: route.abort())
    page.goto(base_url)
    page.keyboard.press("/")
    page.keyboard.type("larceny")
    status = page.locator("#casebook-search-status")
    status.filter(has_text="Search is not available right now").wait_for()
    page.unroute("**/pagefind/**")
    page.keyboard.type(" praedial")
    status.filter(has_text="for “larceny praedial”").wait_for()
    assert result_links(page)


def test_the_404_form_opens_the_search_with_its_words(page, base_url):
    page.goto(base_url + "?q=praedial+larceny")
    page.locator(".casebook-search__result").first.wait_for()
    assert page.locator("#casebook-search-query").input_value() == "praedial larceny"


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


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_open_search_fits_a_phone_and_passes_axe(browser, base_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    palette = json.dumps({"index": int(scheme == "slate"), "color": {"scheme": scheme}})
    page.add_init_script(f"localStorage.setItem('/{SUB_PATH}/.__palette', '{palette}')")
    page.goto(base_url)
    page.get_by_role("button", name="Search").click()
    page.keyboard.type("fellowship")
    page.locator(".casebook-search__result").first.wait_for()
    box = page.locator("dialog[open]").bounding_box()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    results = Axe().run(page)
    context.close()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and overflow <= 0
    serious = [
        f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.fixture(scope="module")
def archive_url(tmp_path_factory):
    """The repository's content, the whole archive, built and served under /casebook/, its
    search index in bundles of at most 500 pages (`search_bundle_pages`), which search.js
    merges."""
    from scripts.bench import write_casebook_project

    root = tmp_path_factory.mktemp("sample") / "project"
    write_casebook_project(root, [])
    config_file = root / "mkdocs.yml"
    config_file.write_text(
        config_file.read_text().replace("  casebook:\n", "  casebook:\n    search_bundle_pages: 500\n", 1)
    )
    site = build_strict(config_file)
    with served_under_sub_path(site, tmp_path_factory.mktemp("served")) as url:
        yield url, site


def test_with_the_whole_archive_the_case_study_still_comes_first(page, archive_url):
    """With the whole archive, "praedial larceny" in Chromium finds the case study first,
    after fetching under half of the site's search files."""
    base_url, site = archive_url
    fetched = responses(page)
    search(page, base_url, "praedial larceny")
    assert result_links(page)[0] == base_url + STUDY
    assert result_count(page) >= 5  # the posts that speak of it are found too
    assert_under_half_of_the_index(fetched, site)


def test_the_archive_s_bundles_hold_every_indexed_page_once(archive_url):
    _, site = archive_url
    bundles = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))["bundles"]
    assert len(bundles) >= 2 and all(
        (site / "pagefind" / folder / "pagefind-entry.json").is_file() for folder in bundles
    )
    fragments = list((site / "pagefind").glob("**/fragment/*.pf_fragment"))
    records = search_records(site)
    indexed = {
        "/" + path.parent.relative_to(site).as_posix() + "/"
        for path in site.rglob("index.html")
        if "data-pagefind-body" in path.read_text(encoding="utf-8")
    }
    assert len(fragments) == len(records) and set(records) == indexed


def test_the_filters_of_every_bundle_are_offered(page, archive_url):
    base_url, site = archive_url
    search(page, base_url, "civic")
    page.get_by_text("Filters", exact=True).click()
    years = page.get_by_label("Year", exact=True)
    years.locator("option").nth(1).wait_for(state="attached")
    offered = set(years.locator("option").all_inner_texts()) - {"Any"}
    recorded = {year for record in search_records(site).values() for year in record["filters"].get("year", [])}
    assert offered == recorded


def test_a_page_of_the_last_bundle_is_found_by_its_title(page, archive_url):
    """Without merging, search.js would only see the first bundle."""
    base_url, site = archive_url
    last = json.loads((site / "pagefind" / "bundles.json").read_text(encoding="utf-8"))["bundles"][-1]
    in_last = search_records(site, f"pagefind/{last}")
    url, record = next((url, r) for url, r in sorted(in_last.items()) if r["meta"]["title"].isascii())
    search(page, base_url, record["meta"]["title"])
    assert base_url + url.lstrip("/") in result_links(page)
