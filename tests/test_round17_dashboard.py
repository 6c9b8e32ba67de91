"""Round 17: a hosted dashboard's uploads held to a total per session (a real browser, and the rule itself)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CHROMIUM, SEEDS, serve_dashboard

ARTICLES = 5  # the seeds


def _page_text(number: int, outlet: str) -> str:
    """A seed's paragraphs in reverse order under another outlet: an article the seeds do not already hold."""
    lines = sorted(SEEDS.glob("*.txt"))[number].read_text(encoding="utf-8").split("\n")
    paragraphs = [line for line in lines[4:] if len(line.split()) > 3][::-1]
    return f"{outlet}\n\n{lines[2]} (reordered)\n\n" + "\n\n".join(paragraphs)


def test_uploads_past_the_sessions_total_are_left_out_and_named():
    """Before: there was no total: every upload (50 MB each) was read, decompressed and analysed at once."""
    from compare.views.visitor import uploads_within  # new in round 17

    files = (("a.txt", b"a" * 600_000), ("b.txt", b"b" * 600_000), ("c.txt", b"c" * 300_000))
    kept, message = uploads_within(files, limit_mb=1)
    assert [name for name, _ in kept] == ["a.txt", "c.txt"]
    assert message is not None and message.startswith("Your uploads add up to 2 MB; this dashboard reads at most 1 MB")
    assert "1 file was left out: b.txt." in message
    assert uploads_within(files, limit_mb=2) == (files, None)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_a_browser_upload_past_the_total_analyses_the_rest_and_says_which_file_was_left_out(
    browser, tmp_path, tmp_path_factory
):
    store = tmp_path_factory.mktemp("store") / "store.sqlite3"
    first, second = tmp_path / "first.txt", tmp_path / "second page.txt"
    first.write_text(_page_text(0, "Reuters") + " " * 600_000, encoding="utf-8")  # 0.6 MB each: 1 MB holds one
    second.write_text(_page_text(1, "Reuters") + " " * 600_000, encoding="utf-8")
    env = {"PARALLAX_STORE": str(store), "PARALLAX_CORPUS": str(SEEDS), "PARALLAX_UPLOAD_TOTAL_MB": "1"}
    with serve_dashboard(env) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/?page=Overview")
        page.wait_for_selector(".js-plotly-plot", timeout=180_000)
        page.get_by_text("Data and model", exact=True).click()
        page.locator("input[type=file]").set_input_files([str(first), str(second)])
        page.wait_for_selector(f"text={ARTICLES + 1} articles analysed", timeout=180_000)
        body = page.inner_text("body")
        assert "this dashboard reads at most 1 MB of uploads at once, so 1 file was left out: second page.txt" in body
        page.close()
