"""Screenshots of the dashboard's pages at 1440 px and 390 px wide (full page), for docs/screenshots/.

Usage: python bench/story_screenshots.py [ANALYSIS_FOLDER] [--story ID] [--search NAME] [--corpus sample]
       [--pages overview,compare-a-story,outlets,map] [--name basil] [--out docs/screenshots]

With ANALYSIS_FOLDER (a saved analysis: `python -m compare analyze ... --out FOLDER`) the dashboard is
served on loopback with PARALLAX_ANALYSIS=FOLDER; without it, as `streamlit run dashboard.py` starts (the
seeds, or the built-in corpus a link names with --corpus). Driven by Debian's Chromium; each page is
written as NAME-PAGE-WIDTH.png (e.g. basil-compare-a-story-1440.png).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlencode

import dashboard_server

ROOT = Path(__file__).resolve().parent.parent
# What each page shows once it is drawn (the story page's last section; the Map's and Outlets' charts).
# In the main block: the sidebar, hidden on a phone, has the same words.
READY = {
    "overview": "[data-testid=stMain] >> text=Select a row to open the story",
    "compare-a-story": "[data-testid=stMain] >> text=Only here",
    "outlets": "[data-testid=stMain] >> text=Distinctive terms",
    "map": "[data-testid=stMain] >> .js-plotly-plot",
}
TITLES = {"overview": "Overview", "compare-a-story": "Compare a story", "outlets": "Outlets", "map": "Map"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("analysis", nargs="?", default="")
    parser.add_argument("--story", default="")
    parser.add_argument("--search", default="")
    parser.add_argument("--corpus", default="", help="a built-in corpus by name (sample), without ANALYSIS_FOLDER")
    parser.add_argument("--pages", default="compare-a-story", help="comma-separated: " + ",".join(READY))
    parser.add_argument("--name", default="story", help="the first part of the file names")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--port", type=int, default=8766)
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    query = {"story": arguments.story, "q": arguments.search, "corpus": arguments.corpus}
    env = {"PARALLAX_ANALYSIS": arguments.analysis} if arguments.analysis else {}
    # No file watcher: an edit to the tree during a run would put Streamlit's "File change. Rerun" bar on the pictures.
    server = dashboard_server.start(arguments.port, {**env, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"})
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=dashboard_server.CHROMIUM_ARGS
            )
            for path in arguments.pages.split(","):
                wanted = {"page": TITLES[path], **{key: value for key, value in query.items() if value}}
                for width, height in ((1440, 1000), (390, 844)):
                    written.append(out / f"{arguments.name}-{path}-{width}.png")
                    shoot(browser, f"http://127.0.0.1:{arguments.port}/?{urlencode(wanted)}", READY[path],
                          (width, height), written[-1])  # fmt: skip
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print("wrote", *written, sep="\n  ")


def shoot(browser: object, url: str, ready: str, size: tuple[int, int], target: Path) -> None:
    """One full-page screenshot of ``url`` once ``ready`` shows and the app has stopped running."""
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    page.goto(url)
    page.wait_for_selector(ready, timeout=900_000)
    # Charts and tables come after the text: wait until the app has stopped running and no placeholder is left
    # (at most a minute each: a screenshot of a page still drawing says so itself).
    for done in ("!document.querySelector('[data-testid=stStatusWidget]')",
                 "!document.querySelector('[data-testid=stSkeleton]')"):  # fmt: skip
        try:
            page.wait_for_function(done, timeout=60_000)
        except Exception as error:  # noqa: BLE001 -- playwright's TimeoutError; the screenshot is still taken
            print(f"{target.name}: {done} still false after a minute ({type(error).__name__})")
    page.wait_for_timeout(4000)
    # Streamlit scrolls its main block, not the page: grow the window to the block's height.
    tall = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, int(tall) + 40)})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(target), full_page=True)
    page.close()


if __name__ == "__main__":
    main()
