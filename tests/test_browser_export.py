"""Chart export in a real browser: after "Download PNG" the SVG button is still there, and the PNG is captioned."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import CHROMIUM, serve_dashboard

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve_dashboard({"PARALLAX_STORE": str(tmp_path_factory.mktemp("store") / "store.sqlite3")}) as base:
        yield base


def test_both_image_downloads_stay_after_downloading_the_png(server, browser, tmp_path):
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server}/?page=Overview")
    page.wait_for_selector(".js-plotly-plot", timeout=240_000)
    page.screenshot(path=str(tmp_path / "overview.png"))
    page.get_by_role("button", name="PNG / SVG").first.click()
    page.get_by_role("button", name="Download SVG").first.wait_for(timeout=120_000)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download PNG").first.click()
    png = tmp_path / "export.png"
    download.value.save_as(png)
    assert png.read_bytes().startswith(b"\x89PNG")
    page.wait_for_timeout(2000)  # a rerun, if the download caused one, has redrawn the page by now
    assert page.get_by_role("button", name="Download SVG").count() == 1
    assert page.get_by_role("button", name="Download PNG").count() == 1
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download SVG").first.click()
    svg = download.value.path().read_bytes()
    assert b"<svg" in svg[:500] and b"Parallax " in svg and b"China Daily" in svg  # the caption
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="CSV of").first.click()  # made on the click
    csv = download.value.path().read_text(encoding="utf-8")
    assert csv.startswith("id,outlet,title,published,url") and csv.count("\n") == 6  # the five articles
    assert not errors
    if os.environ.get("PARALLAX_SCREENSHOTS"):
        target = Path(os.environ["PARALLAX_SCREENSHOTS"])
        target.mkdir(parents=True, exist_ok=True)
        for name in ("overview.png", "export.png"):
            shutil.copy(tmp_path / name, target / name)
