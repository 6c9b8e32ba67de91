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
        head = page[start : page.index("Coverage:", start)]  # the headline cards, before the coverage and claims
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
    second["url"] = "https://example.com/a?x=1&y=2"
    page = render_report(analysis, None, load_registry())
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; Headline" in page
    assert "javascript:alert(2)" not in page
    assert 'href="https://example.com/a?x=1&amp;y=2" target="_blank" rel="noopener noreferrer nofollow"' in page


def test_each_story_of_the_report_says_what_the_story_page_says():
    """The report's story sections are made of the story page's pieces: the same key differences, aligned facts and
    "only here" statements (the report had headlines and a claim grid only, without the key differences)."""
    from compare.ingest import load_registry
    from compare.views.aligned import aligned_story
    from compare.views.differences import key_differences, story_scope
    from compare.views.report import render_report
    from compare.views.story_html import omissions_html, prominence_html, voices_html, wording_html

    analysis = _analysis()
    page = render_report(analysis, None, load_registry())
    compared = [story for story in analysis["stories"] if len(story["outlets"]) >= 2]
    for story in compared:
        start = page.index(f"<details class='story' id='{story['id']}'>")
        following = page.find("<details class='story'", start + 1)
        section = page[start : following if following > 0 else page.index("</section>", start)]
        scope = story_scope(analysis, story["id"])
        aligned = aligned_story(analysis, scope)
        differences = key_differences(analysis, scope)
        texts = {c.claim_id: next(s["text"] for cell in c.cells.values() for s in cell) for c in aligned.shared}
        only_here = {outlet: len(statements) for outlet, statements in aligned.only_here.items()}
        assert omissions_html(differences, set(texts), only_here) in section
        assert wording_html(differences) in section
        assert voices_html(differences, aligned.outlets) in section
        assert prominence_html(differences, texts) in section
        assert section.count("<tr id=") == len(aligned.shared)  # every shared fact, none cut
