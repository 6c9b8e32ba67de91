"""Screenshots of the story page at 1440 px and 390 px wide (full page), for docs/screenshots/.

Usage: python bench/story_screenshots.py ANALYSIS_FOLDER [--story ID] [--search NAME] [--out docs/screenshots]

ANALYSIS_FOLDER is a saved analysis (`python -m compare analyze ... --out FOLDER`); the dashboard is
served on loopback with PARALLAX_ANALYSIS=FOLDER and driven by Debian's Chromium.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlencode

import dashboard_server

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("analysis")
    parser.add_argument("--story", default="")
    parser.add_argument("--search", default="")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--port", type=int, default=8766)
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    query = {"page": "Compare a story", **({"story": arguments.story} if arguments.story else {})}
    if arguments.search:
        query["q"] = arguments.search
    server = dashboard_server.start(arguments.port, {"PARALLAX_ANALYSIS": arguments.analysis})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=dashboard_server.CHROMIUM_ARGS
            )
            for width, height in ((1440, 1000), (390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"http://127.0.0.1:{arguments.port}/?{urlencode(query)}")
                page.wait_for_selector("text=Aligned statements", timeout=600_000)
                page.wait_for_timeout(2500)
                # Streamlit scrolls its main block, not the page: grow the window to the block's height.
                tall = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
                page.set_viewport_size({"width": width, "height": max(height, int(tall) + 40)})
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / f"story-{width}.png"), full_page=True)
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"wrote {out / 'story-1440.png'} and {out / 'story-390.png'}")


if __name__ == "__main__":
    main()
