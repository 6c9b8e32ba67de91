"""Shared fixtures: the seeds, and a shipped corpus with stories told by two outlets, each analysed once per
session with the real shipped model."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
# Real-text articles of separate events, each told by two outlets (Reuters and The Guardian or The Washington Post).
EVENTS = ROOT / "tests" / "data" / "events"
BASIL = Path(os.environ.get("PARALLAX_BASIL", ROOT.parent / "shared" / "corpora" / "basil"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Additions to small saved runs are made in full by default (compare.engines.incremental.runs_in_full); the tests
# exercise the addition path on small corpora, so they add in place (tests of the bounds unset it).
os.environ.setdefault("PARALLAX_ADD_IN_PLACE", "always")

# Debian's Chromium for the browser tests (never `playwright install`), kept off every network but loopback's.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# One article more, in the shape the BASIL fixture gives (a JSON object with outlet, title, date and text),
# about the same event as the seeds so that it joins their story.
EXTRA_ARTICLE = {
    "id": "extra-reuters",
    "outlet": "Reuters",
    "title": "Macron and Putin speak again as Ukraine tension grows",
    "published": "2022-02-21",
    "text": (
        "French President Emmanuel Macron spoke with Russian President Vladimir Putin by telephone on Monday, "
        "the second call between the two leaders in less than a day, the Elysee said.\n\n"
        "Macron proposed a summit between Putin and U.S. President Joe Biden on security and strategic "
        "stability in Europe, and both leaders agreed to work towards a ceasefire in eastern Ukraine, "
        "according to the French presidency.\n\n"
        "The Kremlin said Putin told Macron that Kyiv's provocations were to blame for the escalation in "
        "Donbas, and that the two men agreed that their foreign ministers would meet later in the week."
    ),
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def browser():
    """Chromium driven by Playwright, one per test module."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def embedder():
    from compare.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def seeds_analysis(embedder, tmp_path_factory):
    from compare.io.store import Store
    from compare.pipeline import analyze

    store = Store(tmp_path_factory.mktemp("store") / "store.sqlite3")
    return analyze([SEEDS], embedder=embedder, store=store)


def multi_outlet_corpus(folder: Path) -> list[Path]:
    """The shipped corpus whose stories are told by two outlets (EXTRA_ARTICLE written into ``folder``).

    Since issue 13 the five seeds are five separate events, none told by two outlets. Here: Nepal's two
    earthquakes (undated, so one story: two articles each of Reuters and The Guardian, with facts only
    one of them reports), two central Italy earthquakes and two weekly jobless-claims reports (one story
    each, two outlets), the seeds, and EXTRA_ARTICLE, which joins English News (India)'s seed story
    (Kiev and Donbass there, Kyiv and Donbas in Reuters').
    """
    extra = folder / "extra-reuters.json"
    extra.write_text(json.dumps(EXTRA_ARTICLE), encoding="utf-8")
    events = [EVENTS / name for name in ("quakes.jsonl", "italy_quakes.jsonl", "jobless_claims.jsonl")]
    return [*events, SEEDS, extra]


@pytest.fixture(scope="session")
def events_analysis(embedder, tmp_path_factory):
    """``multi_outlet_corpus`` analysed once: stories told by two outlets, for the story views and pages."""
    from compare.io.store import Store
    from compare.pipeline import analyze

    folder = tmp_path_factory.mktemp("events")
    return analyze(multi_outlet_corpus(folder), embedder=embedder, store=Store(folder / "store.sqlite3"))


@pytest.fixture(scope="session")
def statements_by_id(seeds_analysis):
    return {statement.id: statement for statement in seeds_analysis.statements}


@pytest.fixture(scope="session")
def basil_subset(tmp_path_factory) -> Path:
    """The first ten BASIL events (30 articles) as JSONL with the gold label in 'story'."""
    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL}")
    files = sorted((BASIL / "articles").rglob("*.json"))
    events: dict[str, list[dict]] = {}
    for path in files:
        article = json.loads(path.read_text(encoding="utf-8"))
        events.setdefault(article["triplet-uuid"], []).append({**article, "id": path.stem})
    chosen = [article for event in sorted(events)[:10] for article in events[event]]
    target = tmp_path_factory.mktemp("basil") / "basil10.jsonl"
    with target.open("w", encoding="utf-8") as handle:
        for article in chosen:
            handle.write(
                json.dumps(
                    {
                        "id": article["id"],
                        "outlet": article["source"],
                        "title": article["title"],
                        "published": article["date"],
                        "url": article["url"],
                        "text": "\n\n".join(" ".join(paragraph) for paragraph in article["body-paragraphs"]),
                        "story": article["triplet-uuid"],
                    }
                )
                + "\n"
            )
    return target


_PARAGRAPH = (
    "<p>Officials said on Monday that the talks in Geneva would continue for a second week, and the minister "
    "told reporters that progress had been made on the main points of the agreement.</p>"
)
ARTICLE_PAGE = (
    "<html><head><title>Loopback Daily: the page a refused fetch must never read</title></head><body><article>"
    + _PARAGRAPH * 4
    + "</article></body></html>"
).encode()


class RecordingServer:
    """An HTTP server on 127.0.0.1 that records every request it gets and answers from a table of routes.

    A route is a path with (status, headers, body); any other path gets a short English article page.
    Tests use it to prove that a refused URL was never requested, and to build redirect chains.
    """

    def __init__(self, routes: dict[str, tuple[int, dict[str, str], bytes]] | None = None) -> None:
        import http.server
        import threading

        self.routes = dict(routes or {})
        self.requests: list[str] = []
        self.host_headers: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                server.requests.append(self.path)
                server.host_headers.append(self.headers.get("Host", ""))
                status, headers, body = server.routes.get(
                    self.path.split("?")[0], (200, {"Content-Type": "text/html"}, ARTICLE_PAGE)
                )
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/article.html") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Makes ``path`` answer with a redirect to ``location``; returns its URL."""
        self.routes[path] = (status, {"Location": location}, b"")
        return self.url(path)

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def recorder():
    with RecordingServer() as server:
        yield server


@pytest.fixture
def no_outside_connections(monkeypatch):
    """Makes any connection or name lookup beyond loopback fail loudly instead of leaving the machine."""
    import ipaddress

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def loopback_only(address: object) -> None:
        if isinstance(address, tuple) and not ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback:
            raise AssertionError(f"a test tried to connect to {address[0]}")

    def connect(self: socket.socket, address: object) -> None:
        loopback_only(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: object) -> int:
        loopback_only(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:  # numeric forms only (127.0.0.1, 2130706433, 0177.0.0.1, ::1): no resolver is asked
            return real_getaddrinfo(host, args[0] if args else kwargs.get("port"), type=socket.SOCK_STREAM,
                                    flags=socket.AI_NUMERICHOST)  # fmt: skip
        except socket.gaierror as error:
            raise AssertionError(f"a test tried to look up the name {host!r}") from error

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@contextlib.contextmanager
def serve_dashboard(env: dict[str, str] | None = None, timeout_s: float = 90) -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free loopback port, with ``env`` on top of this process's; yields its base URL."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail(f"the dashboard did not start within {timeout_s:.0f} s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
