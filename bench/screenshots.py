"""Take the README's screenshots of the HTML report: the draft fixture at desktop and phone width.

    python bench/screenshots.py [OUT_DIR]      (default docs/screenshots)

Needs Playwright (pip install playwright) and Chromium from the system packages (/usr/bin/chromium);
no browser is downloaded. Writes report-desktop.png (1280x800) and report-phone.png (375x812), each
with the first highlighted draft claim opened.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.report import render  # noqa: E402
from tests.browser.draft import fixture_draft_report  # noqa: E402

CHROMIUM = os.environ.get("CLAIMCHECK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"desktop": (1280, 800), "phone": (375, 812)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "report.html"
        page_path.write_text(render(fixture_draft_report(), "html"), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for name, (width, height) in SIZES.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(page_path.as_uri())
                    page.locator("mark.hl").first.click()
                    page.wait_for_selector(".panel.open .card.open")
                    target = out / f"report-{name}.png"
                    page.screenshot(path=str(target))
                    print(target)
                    page.close()
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
