// The archive's search dialog (overrides/partials/search.html) over Pagefind's index in
// pagefind/. Pagefind's script, its WebAssembly and the index's metadata are fetched on the
// first open, then only the index chunks and result fragments each query needs, and the
// filters' values when the reader opens "Filters". Loaded once:
// Material's instant navigation keeps the header, and this dialog, across pages.
(() => {
  "use strict";

  const SHOWN_AT_ONCE = 5;
  const SECTIONS_PER_RESULT = 3;
  // Pagefind ranks pages with BM25, which by default (pageLength 0.75) favours short pages: a
  // term page's two-line description would outrank the case study that tells the whole story.
  // The archive's long pages are its richest, and the sub-results point into the section that
  // matched, so length is not held against a page (case studies also weigh more: SEARCH_WEIGHTS in hooks/casebook/site/entries.py).
  const RANKING = { pageLength: 0 };
  // The site's root, from this script's own address (javascripts/search.js): right under
  // any sub-path, and on every page that instant navigation brings in.
  const root = new URL("..", document.currentScript.src);
  const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  let pagefindLoading = null; // the promise of Pagefind's module, once asked for
  let shown = [];

  const dialog = document.querySelector("[data-casebook-search]");
  const opener = document.querySelector("[data-casebook-search-open]");
  if (!dialog || !opener) return;
  const input = dialog.querySelector("input[type=search]");
  const status = dialog.querySelector("[role=status]");
  const list = dialog.querySelector("ol");
  const more = dialog.querySelector("[data-casebook-search-more]");
  const filterBox = dialog.querySelector("[data-casebook-search-filters]");
  // The filters, by name, as overrides/partials/search.html lists them (hooks/casebook/site/entries.py writes their values).
  const selects = Object.fromEntries([...dialog.querySelectorAll("select[data-filter]")].map((select) => [select.dataset.filter, select]));

  // Loaded once, on the first open; every caller waits for the same promise, so that no
  // search starts before Pagefind knows the site's sub-path and ranking.
  function loadPagefind() {
    pagefindLoading ??= (async () => {
      const [module, listed] = await Promise.all([
        import(new URL("pagefind/pagefind.js", root).href),
        fetch(new URL("pagefind/bundles.json", root)).then((response) => response.json()),
      ]);
      const settings = { baseUrl: root.pathname, excerptLength: 24, ranking: RANKING };
      await module.options(settings);
      // A large site's index comes in bundles (hooks/casebook/publish/search.py): Pagefind merges their results into
      // one ranked list, and their filters; each bundle needs the settings of its own.
      for (const folder of listed.bundles) await module.mergeIndex(new URL(`pagefind/${folder}`, root).pathname, settings);
      await module.init();
      return module;
    })().catch((error) => {
      pagefindLoading = null; // asked again next time: a preview's index comes a moment after its pages
      throw error;
    });
    return pagefindLoading;
  }

  // Pagefind, or null once the reader has been told that search cannot answer yet (under
  // `make serve` the index is written just after the pages; a site may be built without one).
  async function pagefindOrSay() {
    try {
      return await loadPagefind();
    } catch {
      status.textContent = "Search is not available right now: its index is missing or still being made. Try again in a moment.";
      return null;
    }
  }

  // The filters' values and counts are fetched when the reader opens "Filters", not before:
  // at 10,000 posts they weigh about as much as everything the first results need.
  let filtersFilled = false;
  async function showFilters() {
    if (filtersFilled || !filterBox.open) return;
    filtersFilled = true;
    const pf = await pagefindOrSay();
    if (pf) fillFilters(await pf.filters());
    else filtersFilled = false;
  }

  function fillFilters(available) {
    for (const name of Object.keys(selects)) {
      const values = Object.keys(available[name] || {});
      values.sort(name === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b));
      for (const value of values) selects[name].append(new Option(value, value));
      selects[name].parentElement.hidden = values.length === 0;
    }
  }

  function chosenFilters() {
    const filters = {};
    for (const [name, select] of Object.entries(selects)) if (select.value) filters[name] = select.value;
    return filters;
  }

  async function open(text) {
    if (!dialog.open) dialog.showModal();
    if (text !== undefined) input.value = text;
    input.focus();
    if (!(await pagefindOrSay())) return;
    if (input.value || Object.keys(chosenFilters()).length) search();
  }

  async function search() {
    const filters = chosenFilters();
    const chosen = Object.keys(filters).length;
    filterBox.querySelector("summary").textContent = chosen ? `Filters (${chosen})` : "Filters";
    const query = input.value.trim();
    if (!query && !chosen) {
      status.textContent = "";
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    const pf = await pagefindOrSay();
    if (!pf) return;
    const found = await pf.debouncedSearch(query || null, { filters }, 150);
    if (found === null) return; // a newer query replaced this one
    const data = await Promise.all(found.results.slice(0, SHOWN_AT_ONCE).map((result) => result.data()));
    shown = found.results;
    list.replaceChildren(...data.map(resultItem));
    more.hidden = found.results.length <= SHOWN_AT_ONCE;
    show(found.results, query);
  }

  function show(results, text) {
    const what = text ? ` for “${text}”` : "";
    if (results.length === 0) {
      status.textContent = `Nothing found${what}. Try other or fewer words, or fewer filters.`;
    } else {
      status.textContent = `${results.length} ${results.length === 1 ? "result" : "results"}${what}`;
    }
  }

  async function showMore() {
    const next = shown.slice(list.children.length, list.children.length + SHOWN_AT_ONCE * 2);
    const data = await Promise.all(next.map((result) => result.data()));
    list.append(...data.map(resultItem));
    more.hidden = list.children.length >= shown.length;
  }

  function resultItem(data) {
    const item = element("li", "casebook-search__result");
    const link = element("a", "casebook-search__link");
    link.href = data.url;
    link.append(element("span", "casebook-search__title", data.meta.title || data.url));
    const facts = [data.meta.kind, data.meta.date && dateFormat.format(new Date(data.meta.date))].filter(Boolean);
    link.append(element("span", "casebook-search__facts", facts.join(" · ")));
    link.append(excerpt(data.excerpt));
    item.append(link);
    const sections = (data.sub_results || []).filter((section) => section.url !== data.url);
    if (sections.length) {
      const nested = element("ul", "casebook-search__sections");
      for (const section of sections.slice(0, SECTIONS_PER_RESULT)) {
        const sectionLink = element("a", "casebook-search__link");
        sectionLink.href = section.url;
        sectionLink.append(element("span", "casebook-search__section-title", section.title));
        sectionLink.append(excerpt(section.excerpt));
        const sectionItem = element("li");
        sectionItem.append(sectionLink);
        nested.append(sectionItem);
      }
      item.append(nested);
    }
    return item;
  }

  // Pagefind's excerpts are HTML: the page's text, escaped, with the matched words in <mark>.
  // Parsed in an inert document (nothing in it loads or runs) and rebuilt from its text and
  // its <mark>s only, so that no other markup ever reaches the page.
  function excerpt(html) {
    const paragraph = element("span", "casebook-search__excerpt");
    const parsed = new DOMParser().parseFromString(html || "", "text/html").body;
    for (const node of parsed.childNodes) {
      const marked = node.nodeName === "MARK";
      paragraph.append(marked ? element("mark", "", node.textContent) : document.createTextNode(node.textContent));
    }
    return paragraph;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Arrow keys move between the query and the results (and their sections); Enter follows.
  function move(event) {
    const links = [input, ...list.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (at === -1) return;
    const to = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
    links[to].focus();
    event.preventDefault();
  }

  function typing(target) {
    return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
  }

  opener.hidden = false;
  filterBox.hidden = false;
  filterBox.addEventListener("toggle", showFilters);
  opener.addEventListener("click", () => open());
  dialog.querySelector("[data-casebook-search-close]").addEventListener("click", () => dialog.close());
  dialog.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
  input.addEventListener("input", search);
  for (const select of Object.values(selects)) select.addEventListener("change", search);
  more.addEventListener("click", showMore);
  // Escape closes at once, even from the query box, where the browser would first clear it.
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") move(event);
    if (event.key === "Escape") {
      event.preventDefault();
      dialog.close();
    }
  });
  // A click on the backdrop (the dialog element itself, outside its content) closes it; a
  // result followed closes it too, since instant navigation keeps the header on screen.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog || event.target.closest("a")) dialog.close();
  });
  document.addEventListener("keydown", (event) => {
    if (dialog.open || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/" || event.key === "s") {
      event.preventDefault();
      open();
    }
  });
  // ?q=words, as the 404 page's search form sends, opens the search with those words.
  const asked = new URLSearchParams(location.search).get("q");
  if (asked) open(asked);
})();
