"""Dashboard: how long the first load of a corpus takes (empty cache), what the progress bar says meanwhile,
and the server's peak memory.

Usage: python bench/first_load.py [--corpus seeds] [--corpus ../shared/corpora/basil/articles] [--saved OUT]

A real `streamlit run dashboard.py` with a fresh PARALLAX_STORE serves the corpus; Chromium opens the Overview
and waits for its first chart. Every 2 s the progress bar's text is sampled (a saved analysis, which draws no
progress bar: the page is looked at every 0.1 s). For a saved analysis a second tab then opens the Overview as a
later visitor of the same server (a new session: the opened analysis is kept for every session). VmHWM of the
server at the end.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import dashboard_server

ROOT = Path(__file__).resolve().parent.parent


def first_load(corpus: str, port: int = 8766, saved: bool = False) -> tuple[float, list[str], float]:
    """(seconds to the first chart, progress texts seen, server peak GB); ``saved``: corpus is an --out folder
    (then a second visitor's seconds to the first chart are the last text seen)."""
    from playwright.sync_api import sync_playwright

    store = Path(tempfile.mkdtemp()) / "store.sqlite3"
    source = {"PARALLAX_ANALYSIS": corpus} if saved else {"PARALLAX_CORPUS": corpus}
    server = dashboard_server.start(port, {**source, "PARALLAX_STORE": str(store)})
    seen: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=dashboard_server.CHROMIUM_ARGS
            )
            took = _first_chart(browser, port, seen, 100 if saved else 2000)
            if saved:
                seen.append(f"a second visitor's first chart after {_first_chart(browser, port, [], 100):.1f} s")
            browser.close()
        return took, seen, dashboard_server.peak_memory_gb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)  # a loaded machine takes a while to stop
        except subprocess.TimeoutExpired:
            server.kill()


def _first_chart(browser, port: int, seen: list[str], poll_ms: int) -> float:
    """Seconds from opening the Overview in a new tab to its first chart; the progress texts seen go to ``seen``."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    start = time.monotonic()
    page.goto(f"http://127.0.0.1:{port}/?page=Overview")
    while not page.locator(".js-plotly-plot").count():
        texts = [text.strip() for text in page.locator("[data-testid='stProgress']").all_inner_texts()]
        if texts and texts[-1] and (not seen or not seen[-1].endswith(texts[-1])):
            seen.append(f"{time.monotonic() - start:5.0f} s  {texts[-1]}")
        if time.monotonic() - start > 1800:
            raise SystemExit("no chart after 30 minutes")
        page.wait_for_timeout(poll_ms)
    took = time.monotonic() - start
    page.close()  # its session ends: a second visitor's page is not drawn beside it
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", action="append", default=None, help="files or folders (default: the seeds)")
    parser.add_argument("--saved", action="append", default=[], help="a folder written by analyze --out")
    arguments = parser.parse_args()
    runs = [(corpus, False) for corpus in arguments.corpus or ([] if arguments.saved else [str(ROOT / "seeds")])]
    for corpus, saved in runs + [(folder, True) for folder in arguments.saved]:
        took, seen, peak = first_load(corpus, saved=saved)
        what = "saved analysis " if saved else ""
        print(f"{what}{corpus}: first chart after {took:.1f} s, server peak memory {peak:.2f} GB", flush=True)
        for line in seen:
            print("   ", line, flush=True)


if __name__ == "__main__":
    main()
