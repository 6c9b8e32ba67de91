"""Dashboard: how long the first load of a corpus takes (empty cache), what the progress bar says meanwhile,
and the server's peak memory.

Usage: python bench/first_load.py [--corpus seeds] [--corpus ../shared/corpora/basil/articles] [--saved OUT]

A real `streamlit run dashboard.py` with a fresh PARALLAX_STORE serves the corpus; Chromium opens the Overview
and waits for its first chart. Every 2 s the progress bar's text is sampled. VmHWM of the server at the end.
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
    """(seconds to the first chart, progress texts seen, server peak GB); ``saved``: corpus is an --out folder."""
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
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            start = time.monotonic()
            page.goto(f"http://127.0.0.1:{port}/?page=Overview")
            while not page.locator(".js-plotly-plot").count():
                texts = [text.strip() for text in page.locator("[data-testid='stProgress']").all_inner_texts()]
                if texts and texts[-1] and (not seen or not seen[-1].endswith(texts[-1])):
                    seen.append(f"{time.monotonic() - start:5.0f} s  {texts[-1]}")
                if time.monotonic() - start > 1800:
                    raise SystemExit("no chart after 30 minutes")
                page.wait_for_timeout(2000)
            took = time.monotonic() - start
            browser.close()
        return took, seen, dashboard_server.peak_memory_gb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)  # a loaded machine takes a while to stop
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", action="append", default=None, help="files or folders (default: the seeds)")
    parser.add_argument("--saved", action="append", default=[], help="a folder written by analyze --out")
    arguments = parser.parse_args()
    runs = [(corpus, False) for corpus in arguments.corpus or ([] if arguments.saved else [str(ROOT / "seeds")])]
    for corpus, saved in runs + [(folder, True) for folder in arguments.saved]:
        took, seen, peak = first_load(corpus, saved=saved)
        what = "saved analysis " if saved else ""
        print(f"{what}{corpus}: first chart after {took:.0f} s, server peak memory {peak:.2f} GB", flush=True)
        for line in seen:
            print("   ", line, flush=True)


if __name__ == "__main__":
    main()
