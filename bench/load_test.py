"""Load test: the dashboard on a loopback port, 20 concurrent browser sessions driven through the main views.

Usage: python bench/load_test.py [--sessions 20] [--seconds 120]

Each session is its own Chromium context (its own Streamlit session) and loops through Overview,
Compare a story, Outlets and Map until the time is up, timing each view until its content is drawn.
One session uploads an article of a made-up outlet; the others check they never see it. Reported:
errors, latency percentiles, the server's peak memory, and how many times the embedding model
was loaded (from the server's log).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import dashboard_server

ROOT = Path(__file__).resolve().parent.parent
VIEWS = [("Overview", ".js-plotly-plot"), ("Compare+a+story", "text=Aligned statements"), ("Outlets", "text=Over time"),
         ("Map", ".js-plotly-plot")]  # fmt: skip
SECRET_OUTLET = "Zzyzx Evening Courier"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--port", type=int, default=8777)
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    log_file = log.open("w")
    server = dashboard_server.start(arguments.port, {"PARALLAX_LOG_LEVEL": "INFO"}, log_file, wait_s=240)
    base = f"http://127.0.0.1:{arguments.port}"
    peak = [0.0]
    stop = threading.Event()

    def cpu_seconds() -> float:
        fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def watch_memory() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError, StopIteration):
                peak[0] = max(peak[0], dashboard_server.peak_memory_gb(server.pid))
            time.sleep(0.5)

    try:
        threading.Thread(target=watch_memory, daemon=True).start()
        secret = Path(tempfile.mkdtemp()) / "secret.txt"
        secret.write_text(
            f"---\noutlet: {SECRET_OUTLET}\n---\n"
            + (ROOT / "seeds" / "003_ea7004de55ab861a.txt").read_text(encoding="utf-8").replace("Paris", "Lyon"),
            encoding="utf-8",
        )
        latencies: list[float] = []
        errors: list[str] = []
        leaks: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=dashboard_server.CHROMIUM_ARGS
            )
            # Warm the caches once, as a deployed app would be.
            warm = browser.new_page()
            warm.goto(f"{base}/?page=Overview")
            warm.wait_for_selector(".js-plotly-plot", timeout=600_000)
            warm.close()
            pages = []
            for _ in range(arguments.sessions):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.on("pageerror", lambda error: errors.append(str(error)))
                pages.append(page)
            uploader = pages[0]
            uploader.goto(f"{base}/?page=Overview")
            uploader.wait_for_selector(".js-plotly-plot", timeout=120_000)
            uploader.get_by_text("Data and model").click()
            uploader.locator("input[type=file]").set_input_files(str(secret))
            uploader.wait_for_selector("text=6 articles analysed", timeout=300_000)
            cpu_before = cpu_seconds()
            deadline = time.monotonic() + arguments.seconds
            turn = 0
            # Playwright's sync API drives pages from one thread: start every session's navigation,
            # then wait for each, so the server sees the sessions at once.
            while time.monotonic() < deadline:
                view, ready = VIEWS[turn % len(VIEWS)]
                started = {}
                for number, page in enumerate(pages[1:], start=1):
                    started[number] = time.perf_counter()
                    page.evaluate(f"window.location.href = '{base}/?page={view}'")
                for number, page in enumerate(pages[1:], start=1):
                    try:
                        page.wait_for_selector(ready, timeout=120_000)
                        latencies.append(time.perf_counter() - started[number])
                        if SECRET_OUTLET in page.inner_text("body"):
                            leaks.append(f"session {number} saw the upload of session 0")
                    except Exception as error:  # a timeout or a dead page is an error of the run
                        errors.append(f"session {number} {view}: {type(error).__name__}")
                turn += 1
            server_cpu = cpu_seconds() - cpu_before
            browser.close()
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    log_file.close()
    loads = log.read_text(errors="replace").count("loading embedding model")
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    print(f"sessions {arguments.sessions} (+1 uploading), {arguments.seconds} s, views drawn {len(latencies)}")
    print(f"errors {len(errors)}; uploads seen by other sessions {len(leaks)}; model loads {loads}")
    print(
        f"latency ms: p50 {pct(0.5):.0f}, p90 {pct(0.9):.0f}, p99 {pct(0.99):.0f}, max {pct(1.0):.0f}"
        + (f", mean {statistics.mean(latencies) * 1000:.0f}" if latencies else "")
    )
    print(f"server peak memory {peak[0]:.2f} GB")
    print(
        f"server CPU {server_cpu:.1f} s for {len(latencies)} views = {server_cpu / max(1, len(latencies)) * 1000:.0f} ms "
        "per view (the rest of the wall time is the 20 browsers sharing the same 2 cores)"
    )
    for error in errors[:10]:
        print("  " + error)


if __name__ == "__main__":
    main()
