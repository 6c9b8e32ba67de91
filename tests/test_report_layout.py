"""Round 10: the HTML report keeps its layout with article text nobody wrote for it (files written by the test)."""

from __future__ import annotations

import json

from compare.cli import main
from tests.conftest import SEEDS


def test_a_very_long_word_in_an_article_does_not_widen_the_report(tmp_path, monkeypatch, browser):
    """Before: an article holding a 600-letter "word" (a pasted hash, a run of letters) made the report 5 times
    as wide as the window once its story was opened: the statement cards and table cells did not wrap it."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    text = (SEEDS / "004_ff0877bd891f5005.txt").read_text(encoding="utf-8")
    rows = [
        {
            "id": "long",
            "outlet": 'Evil "News" / <b>Co</b>',
            "published": "2022-02-21",
            "text": f"{text}\n\nThe file the officials shared was named {'A' * 600} in the records.",
        },
        {
            "id": "plain",
            "outlet": "Other Outlet",
            "published": "2022-02-21",
            "text": text.replace("Putin", "the Russian president"),
        },
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    assert main(["report", str(corpus), "--out", str(tmp_path / "report.html"), "--quiet"]) == 0
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto((tmp_path / "report.html").as_uri())
    page.evaluate("document.querySelectorAll('details').forEach(details => details.open = true)")
    assert page.evaluate("document.body.innerText").count("A" * 600) >= 1  # the word is shown, wrapped
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert 'Evil "News" / <b>Co</b>' in page.evaluate("document.body.innerText")  # the outlet's tag is text
    assert page.evaluate("[...document.querySelectorAll('b')].filter(b => b.textContent == 'Co').length") == 0
    page.close()
