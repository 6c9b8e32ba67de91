"""A hosted dashboard (and the CLI) attacked through links, the URL box and URL inputs: each attack refused.

Network rule of these tests: only loopback is ever contacted. Targets that would leave the machine
(private, link-local, metadata addresses) are tried only in-process, with every connection and name
lookup beyond loopback made to fail loudly (`no_outside_connections`), or against code that refuses
them before connecting. Against the running dashboard and the CLI in a subprocess, the targets are
file:, data: and loopback addresses (a RecordingServer that proves no request reached it).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from compare.embed import default_backend, default_model
from compare.views.html import escape_markdown

from .conftest import ARTICLE_PAGE, CHROMIUM, ROOT, RecordingServer, serve_dashboard

DASHBOARD = str(ROOT / "dashboard.py")
URL_BOX = "…or paste an article URL"
PUBLIC_IP = "93.184.216.34"


def _expected_caption() -> str:
    return f"Embedding model: {default_model()} ({default_backend()}), set by whoever runs this dashboard."


# --- the dashboard script (AppTest): fast checks of what a visitor can set --------------------------------------


@pytest.fixture
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    monkeypatch.delenv("PARALLAX_URL_FETCH", raising=False)
    return AppTest.from_file(DASHBOARD, default_timeout=240)


def test_a_link_cannot_choose_the_model_or_the_backend(app, tmp_path):
    folder = tmp_path / "some-folder"
    folder.mkdir()
    app.query_params["model"] = str(folder)
    app.query_params["backend"] = "torch"
    app.run()
    assert not app.exception and not app.error
    caption = next(caption.value for caption in app.caption if caption.value.startswith("Embedding model"))
    assert f"{escape_markdown(default_model())} ({escape_markdown(default_backend())})" in caption
    assert "model" not in app.query_params and "backend" not in app.query_params  # old links open, without effect
    assert not [widget for widget in app.text_input if "model" in widget.label.lower()]
    assert not [widget for widget in app.radio if widget.label == "Backend"]


def test_the_url_box_is_off_unless_whoever_runs_the_dashboard_turns_it_on(app, monkeypatch):
    app.run()
    assert not app.exception
    assert URL_BOX not in [widget.label for widget in app.text_input]
    monkeypatch.setenv("PARALLAX_URL_FETCH", "on")
    app.run()
    assert URL_BOX in [widget.label for widget in app.text_input]


def test_the_hosted_configuration_fetches_no_url():
    assert "ENV PARALLAX_URL_FETCH=off" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
    from compare.ingest.fetch import dashboard_url_fetch_enabled

    for value, enabled in (("", False), ("off", False), ("0", False), ("maybe", False), ("on", True), ("1", True)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PARALLAX_URL_FETCH", value)
            assert dashboard_url_fetch_enabled() is enabled, value


def test_a_broken_server_model_is_reported_without_its_path(tmp_path, monkeypatch, caplog):
    from streamlit.testing.v1 import AppTest

    model = tmp_path / "private-models" / "not-a-model"
    model.mkdir(parents=True)
    monkeypatch.setenv("PARALLAX_MODEL", str(model))
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    monkeypatch.setenv("PARALLAX_MODEL_CACHE", str(tmp_path / "cache"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    assert not app.exception
    shown = " ".join(element.value for element in [*app.error, *app.caption, *app.markdown])
    assert "cannot be loaded" in shown and "server log" in shown
    assert "private-models" not in shown and str(tmp_path) not in shown
    assert escape_markdown("not-a-model") in shown  # named by its folder name only
    assert str(model) in caplog.text  # whoever runs the dashboard finds the detail in its log


def test_problem_sources_are_shown_without_server_paths(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    corpus = tmp_path / "server-only-folder"
    corpus.mkdir()
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        (corpus / seed.name).write_bytes(seed.read_bytes())
    (corpus / "sources.csv").write_bytes((ROOT / "seeds" / "sources.csv").read_bytes())
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    monkeypatch.setenv("PARALLAX_CORPUS", str(corpus))
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    assert not app.exception
    sources = list(app.dataframe[-1].value["source"])  # the input problems, last on the Overview page
    assert "empty.txt" in sources
    assert not [source for source in sources if "/" in source or "server-only-folder" in source], sources


def test_the_dashboard_report_names_no_server_path(seeds_analysis):
    """The report a visitor downloads from the dashboard names the model and problem files, not their paths."""
    from compare.ingest import load_registry
    from compare.views.report import render_report
    from compare.views.visitor import public_analysis

    analysis = {
        **seeds_analysis.to_dict(),
        "model": "/srv/private-models/minilm+onnx-int8",
        "problems": [{"source": "/srv/private-corpus/empty.txt", "message": "no text"}],
    }
    page = render_report(public_analysis(analysis), None, load_registry())
    assert "/srv/" not in page and "private-models" not in page and "private-corpus" not in page
    assert "minilm+onnx-int8" in page and "empty.txt" in page  # named, by their last part
    assert "/srv/private-corpus/empty.txt" in render_report(analysis, None, load_registry())  # the CLI's report


# --- the running dashboard in Chromium ---------------------------------------------------------------------------

browser_only = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """The dashboard as hosted: nothing set but its store (URL fetching off, the model the server's)."""
    env = {"PARALLAX_STORE": str(tmp_path_factory.mktemp("store") / "store.sqlite3"), "PARALLAX_URL_FETCH": ""}
    with serve_dashboard(env) as base:
        yield base


@pytest.fixture(scope="module")
def fetching(tmp_path_factory):
    """A dashboard whose runner turned the URL box on (PARALLAX_URL_FETCH=on): what may it be made to fetch?"""
    env = {"PARALLAX_STORE": str(tmp_path_factory.mktemp("store") / "store.sqlite3"), "PARALLAX_URL_FETCH": "on"}
    with serve_dashboard(env) as base:
        yield base


def _open(browser, url: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    # The charts once analysed, or an error (an unfixed dashboard shows one for a link that names a file as model).
    page.wait_for_selector(".js-plotly-plot, [data-testid='stAlert']", timeout=180_000)
    return page


@browser_only
@pytest.mark.parametrize("model", ["/etc/passwd", "{folder}", "/etc/passwd&backend=torch"])
def test_a_link_cannot_probe_the_servers_files_through_the_model(hosted, browser, tmp_path, model):
    folder = tmp_path / "server-folder"
    folder.mkdir()
    link = f"{hosted}/?page=Overview&model={model.format(folder=folder)}"
    page = _open(browser, link)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    body = page.inner_text("body")
    for leak in ("/etc/passwd", "passwd", str(folder), "server-folder", "Unrecognized model", "is a file"):
        assert leak not in body, leak
    # No error or warning (role "alert"); the Overview's note offering the sample corpus is information ("status").
    assert page.locator("[data-testid='stAlert'] [role='status']").count() == 1
    assert not page.locator("[data-testid='stAlert'] [role='alert']").count()
    page.get_by_text("Data and model", exact=True).click()
    page.get_by_text("Embedding model:").wait_for(timeout=30_000)
    assert _expected_caption() in page.inner_text("[data-testid='stSidebar']")
    shared = page.locator("[data-testid='stSidebar'] [data-testid='stCode'] code").inner_text()  # the link box
    assert "model=" not in shared and "backend=" not in shared and "model=" not in page.url
    page.close()


@browser_only
def test_the_hosted_dashboard_shows_no_url_box(hosted, browser):
    page = _open(browser, f"{hosted}/?page=Overview")
    page.get_by_text("Data and model", exact=True).click()
    page.get_by_text("Embedding model:").wait_for(timeout=30_000)
    assert page.get_by_label(URL_BOX).count() == 0
    page.close()


ARTICLE_DATA_URL = "data:text/html,<article><p>" + "Officials said the talks would go on for a second week. " * 6


@browser_only
@pytest.mark.parametrize(
    ("pasted", "reason"),
    [
        ("file://{file}", "file: addresses are not fetched"),
        (ARTICLE_DATA_URL, "data: addresses are not fetched"),
        ("http://127.0.0.1:{port}/article.html", "refused: 127.0.0.1 is a loopback address"),
        ("http://2130706433:{port}/article.html", "2130706433 resolves to 127.0.0.1, which is a loopback address"),
        ("http://[::ffff:127.0.0.1]:{port}/article.html", "carries the IPv4 address 127.0.0.1"),
        ("http://127.0.0.1:{port}/to-other", "refused: 127.0.0.1 is a loopback address"),
        ("http://127.0.0.1:{port}/to-file", "refused: 127.0.0.1 is a loopback address"),
        ("http://127.0.0.1:{port}/to-data", "refused: 127.0.0.1 is a loopback address"),
    ],
    ids=["file", "data", "loopback", "decimal-loopback", "mapped-loopback", "redirect-to-loopback",
         "redirect-to-file", "redirect-to-data"],
)  # fmt: skip
def test_the_url_box_refuses_and_requests_nothing(fetching, browser, tmp_path, pasted, reason):
    article = tmp_path / "server-article.html"
    article.write_bytes(ARTICLE_PAGE)
    with RecordingServer() as recorder, RecordingServer() as other:
        recorder.redirect("/to-other", other.url("/article.html"))
        recorder.redirect("/to-file", f"file://{article}")
        recorder.redirect("/to-data", ARTICLE_DATA_URL)
        url = pasted.format(file=article, port=recorder.port)
        page = _open(browser, f"{fetching}/?page=Overview")
        page.get_by_text("Data and model", exact=True).click()
        box = page.get_by_label(URL_BOX)
        box.fill(url)
        box.press("Enter")
        # A refusal (or, unfixed, an error or the fetched page analysed as a sixth article).
        page.wait_for_function(
            "() => document.querySelector(\"[data-testid='stSidebar'] [data-testid='stAlert']\")"
            " || document.body.innerText.includes('6 articles analysed')",
            timeout=120_000,
        )
        sidebar = page.inner_text("[data-testid='stSidebar']")
        assert reason in sidebar and "Parallax only fetches public http(s) pages" in sidebar, sidebar
        assert recorder.requests == [] and other.requests == []
        assert "6 articles analysed" not in page.inner_text("body")
        page.close()


# --- the CLI ------------------------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compare", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PARALLAX_ALLOW_PRIVATE_URLS": ""},
    )  # fmt: skip


def test_cli_refuses_loopback_urls_and_redirects_without_requesting_them(recorder, tmp_path):
    with RecordingServer() as other:
        chain = recorder.redirect("/chain", other.url("/article.html"))
        loopback = recorder.url("/article.html")
        done = _cli("analyze", loopback, chain, "--out", str(tmp_path / "out"), "--no-store", "--quiet")
        assert other.requests == []
    assert recorder.requests == []
    assert done.returncode == 2
    assert f"warning: {loopback}: refused: 127.0.0.1 is a loopback address" in done.stderr
    assert f"warning: {chain}: refused: 127.0.0.1 is a loopback address" in done.stderr
    assert "--allow-private-urls" in done.stderr
    assert not (tmp_path / "out" / "analysis.duckdb").exists()


@pytest.mark.usefixtures("no_outside_connections")
def test_cli_refuses_private_metadata_and_redirects_to_them(recorder, tmp_path, monkeypatch, capsys):
    """In process, with connections beyond loopback failing loudly: news.example is the recorder, on a public address."""
    import compare.ingest.fetch
    from compare.cli import main

    def resolve(host: str, port: int) -> list[str]:
        return {"news.example": [PUBLIC_IP], "intranet.example": ["10.0.0.5"]}[host]

    def connect(address: str, port: int, timeout_s: float) -> socket.socket:
        assert (address, port) == (PUBLIC_IP, 80), f"connected to {address}:{port}"
        return socket.create_connection(("127.0.0.1", recorder.port), timeout=timeout_s)

    monkeypatch.setattr(compare.ingest.fetch, "resolve_host", resolve)
    monkeypatch.setattr(compare.ingest.fetch, "open_connection", connect)
    monkeypatch.delenv("PARALLAX_ALLOW_PRIVATE_URLS", raising=False)
    recorder.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    recorder.redirect("/to-intranet", "http://intranet.example/wiki")
    recorder.redirect("/to-file", "file:///etc/passwd")
    inputs = [
        "http://10.0.0.5/news.html",
        "http://[fd00::1]/news.html",
        "http://169.254.169.254/latest/meta-data/",
        "http://news.example/to-metadata",
        "http://news.example/to-intranet",
        "http://news.example/to-file",
    ]
    status = main(["analyze", *inputs, "--out", str(tmp_path / "out"), "--no-store", "--quiet"])
    errors = capsys.readouterr().err
    assert status == 2
    assert "10.0.0.5 is a private-network address" in errors and "fd00::1 is a private-network address" in errors
    assert "169.254.169.254 is the link-local address of cloud metadata services" in errors
    assert "redirected to http://169.254.169.254/latest/meta-data/: refused" in errors
    assert "redirected to http://intranet.example/wiki: refused: intranet.example resolves to 10.0.0.5" in errors
    assert "redirected to file:///etc/passwd: refused: file: addresses are not fetched" in errors
    assert recorder.requests == ["/to-metadata", "/to-intranet", "/to-file"]  # the public hops only


@pytest.mark.usefixtures("no_outside_connections")
def test_cli_reads_an_intranet_page_when_allowed_but_never_metadata(recorder, tmp_path, monkeypatch, capsys):
    from compare.cli import main

    monkeypatch.delenv("PARALLAX_ALLOW_PRIVATE_URLS", raising=False)  # main sets it; restored after the test
    inputs = [recorder.url("/article.html"), "http://169.254.169.254/latest/meta-data/"]
    status = main(["analyze", *inputs, "--allow-private-urls", "--out", str(tmp_path / "out"), "--no-store", "--quiet"])
    errors = capsys.readouterr().err
    assert status == 0, errors
    assert recorder.requests == ["/article.html"]
    assert "169.254.169.254 is the link-local address of cloud metadata services" in errors
