"""The built seed site in a real Chromium, over http (with netlify.toml's headers, CSP included) and from file://."""

from __future__ import annotations

import re

import pytest
from sitetools import CHROMIUM, CHROMIUM_ARGS, PROJECT, PageWatch, serve

playwright = pytest.importorskip("playwright.sync_api")

PAGES = ["index.html", "svar/2016-17-1527/index.html", "svar/stockholm-2016-28/index.html", "minister/index.html",
         "minister/anders-ygeman/index.html", "parti/m/index.html", "ar/2017/index.html", "riksmote/2016-17/index.html",
         "fragestallare/johanna-sjo/index.html", "sok/index.html", "404.html"]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module", params=["http", "file"])
def base(request, seed_site):
    if request.param == "file":
        yield seed_site.as_uri() + "/"
    else:
        with serve(seed_site) as url:
            yield url


def open_page(browser, url):
    page = browser.new_page()
    watch = PageWatch(page)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, watch


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_without_errors(browser, base, path):
    if path == "404.html" and base.startswith("file:"):
        pytest.skip("404.html is served by Netlify at any depth, so it links from the site's top (/), not from disk")
    page, watch = open_page(browser, base + path)
    assert page.locator("h1").count() == 1
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("system-ui")  # the stylesheet applied
    assert not watch.errors and not watch.dialogs
    page.close()


def search(browser, base, query):
    page, watch = open_page(browser, base + "sok/index.html?q=" + query)
    page.locator("#search-status").filter(has_text=re.compile(r"\S")).wait_for()
    hits = page.locator("[data-search-results] li a.answer-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    status = page.locator("#search-status").inner_text()
    page.close()
    assert not watch.errors and not watch.dialogs, watch.errors
    return [h.split("/")[-2] for h in hits], status


@pytest.mark.parametrize("query, expected", [
    ("skjutning", ["2021-22-46"]),
    ("%2Bskjutning", ["2021-22-46"]),
    ("norrkoping", ["2021-22-46"]),
    ("Norrköping", ["2021-22-46"]),
    ("2016/17:1527", ["2016-17-1527"]),
    ("%22sluta%20skjut%22", ["2021-22-46"]),
    ("Wanngard", ["stockholm-2016-28"]),
    ("militär polis", ["2017-18-112"]),
])
def test_search_finds_answers(browser, base, query, expected):
    hits, _ = search(browser, base, query)
    assert hits[: len(expected)] == expected and len(hits) == len(expected)


@pytest.mark.parametrize("query", ["title:", "*", "~", "^", "%2B", "-", "%22", "a" * 5000, "%3Cimg%20src=x%20onerror=alert(1)%3E"])
def test_malformed_queries_are_harmless(browser, base, query):
    hits, status = search(browser, base, query)
    assert status


def test_search_url_follows_typing_and_filters(browser, base):
    page, watch = open_page(browser, base + "sok/index.html")
    page.fill("#q", "utsatta")
    page.wait_for_url(re.compile(r"q=utsatta"))
    page.wait_for_selector("#search-filters fieldset")
    page.locator("[data-search-results] li").nth(3).wait_for()  # hits come in after the filters
    page.locator("#search-filters label", has_text="Morgan Johansson").click()
    page.wait_for_url(re.compile(r"minister="))
    playwright.expect(page.locator("[data-search-results] li")).to_have_count(1)
    assert not watch.errors
    page.close()


def test_csp_header_is_sent(seed_site):
    import urllib.request

    with serve(seed_site) as url:
        response = urllib.request.urlopen(url + "index.html")
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_axe_finds_no_violations(browser, seed_site):
    axe = (PROJECT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    pages = sorted(p.relative_to(seed_site).as_posix() for p in seed_site.rglob("*.html"))
    problems = []
    for path in pages:
        page = browser.new_page()
        page.goto((seed_site / path).as_uri())
        page.add_script_tag(content=axe)
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))")
        if result:
            problems.append(f"{path}: {result}")
        page.close()
    assert not problems, problems


@pytest.mark.parametrize("width, height, name", [(390, 844, "phone"), (1280, 900, "desktop")])
def test_pages_fit_the_window(browser, seed_site, width, height, name, tmp_path):
    for path in ("index.html", "svar/2016-17-1729/index.html", "minister/index.html", "sok/index.html"):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto((seed_site / path).as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {name} screen"
        page.close()


def test_a_hit_opens_its_answer_with_the_words_marked(browser, base):
    page, watch = open_page(browser, base + "sok/index.html?q=skjutningar")
    page.locator("[data-search-results] li a.answer-title").first.click()
    page.wait_for_url(re.compile(r"svar/2021-22-46/index\.html\?q=skjutningar$"))
    marks = page.locator(".answer .body mark")
    marks.first.wait_for()
    assert marks.count() >= 3 and all(t.lower().startswith("skjutning") for t in marks.all_inner_texts())
    assert "markerade" in page.locator(".answer .notice").last.inner_text()
    assert not watch.errors and not watch.dialogs
    page.close()
