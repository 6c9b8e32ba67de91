"""The HTML report: a table of contents, each story folded, every outlet's headline on top, text escaped."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"


def _analysis() -> dict:
    return json.loads(gzip.decompress(GOLDEN.read_bytes()))


def test_the_report_lists_every_story_in_its_contents_and_folds_each_with_its_headlines():
    from compare.ingest import load_registry
    from compare.views.report import render_report

    analysis = _analysis()
    page = render_report(analysis, None, load_registry())
    compared = [story for story in analysis["stories"] if len(story["outlets"]) >= 2]
    contents = page[page.index("<nav>") : page.index("</nav>")]
    assert len(re.findall(r"<li><a href='#story-[0-9a-f]{12}'>", contents)) == len(compared)
    articles = {article["id"]: article for article in analysis["articles"]}
    for story in compared:
        start = page.index(f"<details class='story' id='{story['id']}'>")
        head = page[start : page.index("</div></div>", start)]  # the headline cards, before the claims
        for article_id in story["article_ids"]:  # every outlet's headline, before the claims
            assert articles[article_id]["title"].replace("&", "&amp;").replace("'", "&#x27;")[:40] in head
    assert "<details class='only'><summary>Only in " in page


def test_the_report_escapes_headlines_and_links_only_http_addresses():
    from compare.ingest import load_registry
    from compare.views.report import render_report

    analysis = _analysis()
    story = next(story for story in analysis["stories"] if len(story["outlets"]) >= 2)
    first, second = (next(a for a in analysis["articles"] if a["id"] == aid) for aid in story["article_ids"][:2])
    first["title"] = "<script>alert(1)</script> Headline"
    first["url"] = "javascript:alert(2)"
    second["url"] = "https://example.com/a?x=1&y='2'"
    page = render_report(analysis, None, load_registry())
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Headline" in page
    assert "javascript:alert(2)" not in page
    assert "href='https://example.com/a?x=1&amp;y=&#x27;2&#x27;' rel='noopener noreferrer nofollow'" in page
