"""The HTML report of a saved analysis: its size, the time to make it, its height in Chromium at 1440 px, and the
time to open its first three stories (a click until the story's chart, if it has one, is drawn).

Usage: python bench/report_size.py OUT [--no-browser]   (OUT: a folder written by `python -m compare analyze ... --out OUT`)

Run it with the tree to measure on PYTHONPATH (e.g. PYTHONPATH=../main for the code before a change).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from compare.ingest import load_registry
from compare.views.report import render_report

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


# A story opened: its chart (drawn on opening) has its outlets' names, or the story has no chart. (Its legend, looked
# for before, is gone since the chart names each bar's outlet on its axis, so every wait ran to its timeout.)
_OPENED = """number => {
    const plot = document.querySelectorAll('details.story')[number].querySelector('div.lazy-plot');
    return !plot || plot.querySelector('.ytick text');
}"""


def height(page: Path) -> tuple[int, list[int]]:
    """The page's scroll height in px as Chromium lays it out 1440 px wide (closed sections closed), and the ms
    from a click on each of the first three stories until it is drawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1440, "height": 900})
        tab.goto(page.as_uri(), wait_until="load", timeout=600_000)
        tab.wait_for_timeout(3000)  # the charts draw after load
        pixels = int(tab.evaluate("document.documentElement.scrollHeight"))
        opening = []
        for number in range(min(3, tab.locator("details.story").count())):
            start = time.monotonic()
            tab.locator("details.story > summary").nth(number).click()
            tab.wait_for_function(_OPENED, arg=number, timeout=120_000)
            opening.append(round((time.monotonic() - start) * 1000))
        browser.close()
    return pixels, opening


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("saved", type=Path)
    parser.add_argument("--no-browser", action="store_true", help="the size and build time only")
    arguments = parser.parse_args()
    if (arguments.saved / "analysis.duckdb").exists():  # the store (since issue 16); older folders below
        from compare.pipeline import read_saved_analysis

        analysis, vectors = read_saved_analysis(arguments.saved)
    else:
        analysis = json.loads((arguments.saved / "analysis.json").read_text(encoding="utf-8"))
        vectors = np.load(arguments.saved / "vectors.npy")
    start, cpu = time.monotonic(), time.process_time()
    text = render_report(analysis, vectors, load_registry())
    took, cpu = time.monotonic() - start, time.process_time() - cpu  # CPU: the wall time swings with the load
    target = Path(tempfile.mkdtemp()) / "report.html"
    target.write_text(text, encoding="utf-8")
    size = target.stat().st_size / 2**20
    # said before Chromium opens the page, so that a browser that fails under load loses no build time
    print(f"{size:.1f} MiB, made in {took:.1f} s ({cpu:.2f} s CPU)", flush=True)
    if arguments.no_browser:
        return
    pixels, opening = height(target)
    print(f"{pixels:,} px tall at 1440 px; stories opened in {opening} ms", flush=True)


if __name__ == "__main__":
    main()
