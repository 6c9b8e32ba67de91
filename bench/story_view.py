"""Story page: server time of a view change on a saved analysis (another story, a search, other outlets, a page).

Usage: python bench/story_view.py ANALYSIS_FOLDER [--changes 20] [--dashboard PATH]

ANALYSIS_FOLDER is `python -m compare analyze CORPUS --out ANALYSIS_FOLDER` (for BASIL:
`python -m compare analyze ../shared/corpora/basil/articles --out /tmp/basil-out`). Streamlit's AppTest
runs dashboard.py as the server does; after a first run (the analysis read, caches warm) each change is
timed from the widget change to the end of the script run, when the server has sent the last element.

Also: the first draw of the Overview in this new process (imports, opening the saved analysis, its
queries; Streamlit's scan of installed components is done before, as a server does it when it starts, and
printed apart), the first draw of the story page after it, the Overview of a second session (a later visitor of
the same server: the opened analysis is kept for every session), and the process's peak RSS at the end (AppTest
runs the script in this process, as the server does). Each time is given as wall time and as the CPU time the
process spent meanwhile (every thread: DuckDB's too), which a loaded machine inflates less than the wall time. ``--dashboard`` names another dashboard.py (e.g. an older
version's, in its own tree, to compare in one run: its folder's ``compare`` is imported).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(app, label: str, timings: dict[str, list[float]], cpu: dict[str, list[float]] | None = None) -> None:
    start, started = time.perf_counter(), time.process_time()
    app.run()
    timings.setdefault(label, []).append(time.perf_counter() - start)
    if cpu is not None:
        cpu.setdefault(label, []).append(time.process_time() - started)
    if app.exception:
        raise SystemExit(f"{label}: {app.exception}")


def scan_components(app) -> float | None:
    """Scans the installed packages for Streamlit components as ``streamlit run`` does once at its start (its
    Runtime), and hands the result to ``app``, which otherwise scans in its first run (0.7-2 s here), so that the
    first draw is what a visitor of a started server waits for. None (and the scan left in the first run) when
    this Streamlit's AppTest has no such attribute."""
    if not hasattr(app, "_bidi_component_manager"):
        return None
    from streamlit.components.v2.component_manager import BidiComponentManager

    start = time.perf_counter()
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    app._bidi_component_manager = manager
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("analysis")
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--dashboard", default=str(ROOT / "dashboard.py"))
    arguments = parser.parse_args()
    from streamlit.testing.v1 import AppTest

    os.environ["PARALLAX_ANALYSIS"] = arguments.analysis
    app = AppTest.from_file(arguments.dashboard, default_timeout=1800)
    scan = scan_components(app)
    first: dict[str, list[float]] = {}
    first_cpu: dict[str, list[float]] = {}
    timed(app, "Overview, first draw", first, first_cpu)
    app.sidebar.radio(key="px_page").set_value("Compare a story")
    timed(app, "story page, first draw", first, first_cpu)
    later = AppTest.from_file(arguments.dashboard, default_timeout=1800)
    if scan is not None:  # the server scanned once, at its start
        later._bidi_component_manager = app._bidi_component_manager
    timed(later, "Overview, a second session", first, first_cpu)
    if scan is not None:
        print(
            f"Streamlit's component scan, before the first draw as a server does it at its start: {scan * 1000:.0f} ms"
        )
    for label, (value,) in first.items():
        print(f"{label}: {value * 1000:.0f} ms (CPU {first_cpu[label][0] * 1000:.0f} ms)")
    print(f"compare imported from {sys.modules['compare'].__file__}")
    stories = len(app.selectbox(key="px_story").options)
    timings: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for change in range(arguments.changes):
        app.selectbox(key="px_story").select_index((change * 7 + 1) % stories)
        timed(app, "another story", timings, cpu)
    for word in ("Obama", "Trump", "immigration", "Clinton", ""):
        app.text_input(key="px_search").set_value(word)
        timed(app, "search", timings, cpu)
    outlets = app.multiselect(key="px_story_outlets").options
    for chosen in (outlets[:2], outlets[1:], []):
        app.multiselect(key="px_story_outlets").set_value(chosen)
        timed(app, "outlets", timings, cpu)
    for page in ("Overview", "Compare a story", "Overview", "Compare a story"):
        app.sidebar.radio(key="px_page").set_value(page)
        timed(app, "page switch", timings, cpu)
    every = sorted(value for values in timings.values() for value in values)
    for label, values in timings.items():
        print(
            f"{label}: median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms ({len(values)});"
            f" CPU median {statistics.median(cpu[label]) * 1000:.0f} ms, max {max(cpu[label]) * 1000:.0f} ms"
        )
    p95 = every[int(0.95 * (len(every) - 1))]
    print(
        f"all {len(every)} changes: median {statistics.median(every) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {every[-1] * 1000:.0f} ms"
    )
    print(
        f"peak RSS of this process (the server's part): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB"
    )
    print(f"load average at the end: {' '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
