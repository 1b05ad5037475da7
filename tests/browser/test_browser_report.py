"""The HTML report in a real browser: headless Chromium (the Debian package) driven by Playwright.

Skips only when no browser can be had: Playwright not importable or no Chromium at /usr/bin/chromium
(CLAIMCHECK_CHROMIUM names another). No browser is ever downloaded.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.api import check
from checker.report import render
from tests.browser.draft import draft_claims_in_findings, fixture_draft_report
from tests.conftest import ROOT

CHROMIUM = os.environ.get("CLAIMCHECK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def draft_report():
    return fixture_draft_report()


@pytest.fixture(scope="module")
def draft_page_path(draft_report, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render(draft_report, "html"), encoding="utf-8")
    return path


class Page:
    """A page with every console error and uncaught exception collected."""

    def __init__(self, browser, path: Path, viewport: dict):
        self.errors: list[str] = []
        self.page = browser.new_page(viewport=viewport)
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                     else self.errors.append(f"network request: {r.url}"))
        self.page.goto(path.as_uri())

    def close(self):
        self.page.close()


@pytest.fixture
def desktop(browser, draft_page_path):
    p = Page(browser, draft_page_path, DESKTOP)
    yield p
    p.close()


def test_fixture_plants_a_date_a_count_and_a_name(draft_report):
    kinds = {f.kind for f in draft_report.findings if any(c.role == "draft" for c in f.claims)}
    assert {"date", "count", "name"} <= kinds
    quotes = " ".join(c.sentence for f in draft_report.findings for c in f.claims)
    assert "<script>window.__pwned=1</script>" in quotes and 'onerror="window.__pwned=1"' in quotes


def test_one_highlight_per_draft_claim(desktop, draft_report):
    page = desktop.page
    marks = page.locator("pre.draft-text mark.hl")
    spans = draft_claims_in_findings(draft_report)
    assert marks.count() == len(spans) >= 3
    texts = sorted(marks.all_text_contents())
    assert texts == sorted({c.text for f in draft_report.findings for c in f.claims if c.role == "draft"})
    for i in range(marks.count()):
        m = marks.nth(i)
        assert m.get_attribute("role") == "button"
        assert m.get_attribute("tabindex") == "0"
        assert m.get_attribute("aria-expanded") == "false"
        assert m.get_attribute("aria-controls") == "panel"
    assert not page.locator(".panel .card").first.is_visible()
    assert desktop.errors == []


def test_click_opens_the_card_with_the_sources_quotes(desktop, draft_report):
    page = desktop.page
    for i, f in enumerate(draft_report.findings):
        draft = next(c for c in f.claims if c.role == "draft")
        mark = page.locator("pre.draft-text mark.hl", has_text=draft.text)
        mark.click()
        card = page.locator(f"#card-{i + 1}")
        assert card.is_visible()
        assert mark.get_attribute("aria-expanded") == "true"
        text = card.inner_text()
        assert (draft.text if f.kind == "name" else draft.value) in text and f.reason.split(":")[0] in text
        for c in (c for c in f.claims if c.role == "source"):
            assert c.sentence in " ".join(text.split()) or c.sentence in text
            assert f"{c.path}:{c.line}" in text
            assert card.locator("blockquote mark.q", has_text=c.text).count() >= 1
        # only this finding's card is open
        assert page.locator(".panel .card:visible").count() == 1
    assert desktop.errors == []


def test_keyboard_focus_and_enter_or_space_opens_a_card(desktop):
    page = desktop.page
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.hl')"):
            break
    else:
        pytest.fail("Tab never reached a highlight")
    first = page.evaluate("document.activeElement.id")
    cards = page.evaluate(f"JSON.parse(document.getElementById('claimcheck-data').textContent)"
                          f".highlights.find(h => h.id === '{first}').cards")
    page.keyboard.press("Enter")
    assert all(page.locator(f"#{cid}").is_visible() for cid in cards)
    assert page.locator(f"#{first}").get_attribute("aria-expanded") == "true"

    page.keyboard.press("Escape")
    assert not page.locator(".panel .card:visible").count()
    assert page.evaluate("document.activeElement.id") == first

    page.keyboard.press("Tab")
    second = page.evaluate("document.activeElement.id")
    assert second.startswith("hl-") and second != first
    scrolled = page.evaluate("window.scrollY")
    page.keyboard.press(" ")
    assert page.locator(".panel .card:visible").count() >= 1
    assert page.locator(f"#{second}").get_attribute("aria-expanded") == "true"
    assert page.evaluate("window.scrollY") == scrolled  # Space opens the card, it does not scroll the page
    assert desktop.errors == []


def test_injection_is_shown_as_text_and_never_runs(desktop):
    page = desktop.page
    for i in range(page.locator("mark.hl").count()):
        page.locator("mark.hl").nth(i).click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2  # the page's data block and its own script
    # the draft holds one injection, a source quote the other: both read as text on screen
    assert "<script>window.__pwned=1</script>" in page.locator("pre.draft-text").inner_text()
    quote = page.locator(".panel .card blockquote", has_text="onerror")
    card = quote.locator("xpath=ancestor::article").get_attribute("id")
    page.keyboard.press("Escape")
    page.locator("mark.hl").nth(_highlight_opening(page, card)).click()
    assert quote.is_visible()
    seen = quote.inner_text()
    assert '"><img src=x onerror="window.__pwned=1">' in seen and "<script>window.__pwned=1</script>" in seen
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert desktop.errors == []


def _highlight_opening(page, card: str) -> int:
    """Index of the highlight whose click opens `card`."""
    return page.evaluate("card => JSON.parse(document.getElementById('claimcheck-data').textContent)"
                         ".highlights.findIndex(h => h.cards.includes(card))", card)


def test_no_horizontal_scroll_and_screenshots(browser, draft_page_path, tmp_path):
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        p = Page(browser, draft_page_path, viewport)
        page = p.page
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        page.locator("mark.hl").first.click()
        page.wait_for_selector(".panel.open .card.open")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], name
        # the opened card is on screen, not below the fold
        box = page.locator(".panel .card.open").first.bounding_box()
        assert box is not None and box["y"] < viewport["height"] and box["x"] >= 0
        assert box["x"] + box["width"] <= viewport["width"] + 1
        shot = tmp_path / f"report-{name}.png"
        page.screenshot(path=str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert p.errors == []
        p.close()


def test_print_expands_every_card_and_hides_the_chrome(desktop, draft_report):
    page = desktop.page
    page.locator("mark.hl").first.click()
    page.emulate_media(media="print")
    cards = page.locator("article.card")
    assert cards.count() == len(draft_report.findings)
    assert all(cards.nth(i).is_visible() for i in range(cards.count()))
    assert not page.locator("#panel-close").is_visible()
    assert not page.locator(".hint").is_visible()
    assert desktop.errors == []


def test_report_without_a_draft(browser, tmp_path):
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        report = check(["seeds"])
    finally:
        os.chdir(here)
    path = tmp_path / "seeds.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    for viewport in (DESKTOP, PHONE):
        p = Page(browser, path, viewport)
        cards = p.page.locator("article.card")
        assert cards.count() == len(report.findings) > 0
        assert all(cards.nth(i).is_visible() for i in range(cards.count()))
        for f in report.findings:
            for c in f.claims:
                assert p.page.get_by_text(f"{c.path}:{c.line}:{c.column}").count() >= 1
        assert p.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert p.errors == []
        p.close()
