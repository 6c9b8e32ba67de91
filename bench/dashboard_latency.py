"""Dashboard: time from a view change to the page being drawn (warm), and the server's peak memory.

Usage: python bench/dashboard_latency.py [--basil ../shared/corpora/basil/articles]

Latency: Streamlit's AppTest runs dashboard.py as the server does; after a first run (caches warm),
each view change (another story, other outlets, another page) is timed from the widget change to
the end of the script run, which is when the server sends the last element. Memory: a real
`streamlit run` serving the corpus, driven through the views by Chromium; VmHWM of the server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import dashboard_server
from shared_corpora import BASIL_ARTICLES

ROOT = Path(__file__).resolve().parent.parent


def latency(corpus: str, changes: int = 12) -> list[float]:
    from streamlit.testing.v1 import AppTest

    os.environ["PARALLAX_CORPUS"] = corpus
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)
    app.query_params["page"] = "Compare a story"
    app.run()  # the first run analyses the corpus (cold or from the store); not timed
    # The options are shown by headline; the widget's value is the id, chosen here by position.
    stories = len(app.selectbox(key="px_story").options)
    timings = []
    for change in range(changes):
        app.selectbox(key="px_story").select_index((change + 1) % stories)
        start = time.perf_counter()
        app.run()
        timings.append(time.perf_counter() - start)
        if app.exception:
            raise SystemExit(str(app.exception))
    for page in ("Overview", "Outlets", "Map", "Overview"):
        app.sidebar.radio(key="px_page").set_value(page)
        start = time.perf_counter()
        app.run()
        timings.append(time.perf_counter() - start)
    return timings


def server_memory(corpus: str) -> float:
    from playwright.sync_api import sync_playwright

    port = 8765
    server = dashboard_server.start(port, {"PARALLAX_CORPUS": corpus})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=dashboard_server.CHROMIUM_ARGS
            )
            page = browser.new_page()
            for view, ready in (("Overview", ".js-plotly-plot"), ("Compare+a+story", "text=Aligned statements"),
                                ("Outlets", "text=Over time"), ("Map", ".js-plotly-plot")):  # fmt: skip
                page.goto(f"http://127.0.0.1:{port}/?page={view}")
                page.wait_for_selector(ready, timeout=900_000)
                page.wait_for_timeout(2000)
            browser.close()
        return dashboard_server.peak_memory_gb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--basil", default=str(BASIL_ARTICLES))
    arguments = parser.parse_args()
    for name, corpus in (("seeds", str(ROOT / "seeds")), ("BASIL", arguments.basil)):
        timings = sorted(latency(corpus))
        p95 = timings[int(0.95 * (len(timings) - 1))]
        print(
            f"{name}: view change median {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms ({len(timings)} changes)",
            flush=True,
        )
    print(f"BASIL: dashboard server peak memory {server_memory(arguments.basil):.2f} GB", flush=True)


if __name__ == "__main__":
    main()
