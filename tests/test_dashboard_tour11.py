"""What the second journalist's tour of the dashboard tripped over (docs/dashboard.md, "A second tour").

Each test failed before its fix. Most read the golden analysis of ten BASIL events (real articles, the real
model's output, pinned by tests/test_golden.py), as the story page draws it.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from compare.views.differences import key_differences, story_scope
from compare.views.story_html import quote_edits_html

GOLDEN = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


@pytest.fixture(scope="module")
def basil10() -> dict[str, Any]:
    return json.loads(gzip.decompress(GOLDEN.read_bytes()))


def test_each_quote_edit_of_a_story_has_its_own_title(basil10):
    """ "Trump: Fox News vs HuffPost" five times in one story (and "Liz Cheney: …" twice per pair of outlets): the
    titles told the quotes apart by nothing, one pair was two word-for-word identical quotes, and two were a
    statement set against a different quote of the same claim. Each title now names its quote's opening words."""
    shown = 0
    for story in basil10["stories"]:
        scope = story_scope(basil10, story["id"])
        edits = key_differences(basil10, scope).quote_edits
        page = quote_edits_html(key_differences(basil10, scope))
        titles = [html.unescape(title) for title in re.findall(r'<a href="#[^"]+">(.*?)</a>', page)]
        assert len(titles) == len(edits)
        repeated = {title: count for title, count in Counter(titles).items() if count > 1}
        assert not repeated, (story["id"], repeated)
        for edit, title in zip(edits, titles):
            first = scope.statements[edit["statement_ids"][0]]["text"]
            opening = re.search(r"“(.*?)…?”: ", title)
            assert opening and opening.group(1).rstrip("…") in first, title  # the first outlet's quote
            assert any(mark != "=" and re.search(r"[^\W\d_]", words) for mark, words in edit["diff"]), title
        paired = Counter(
            (sid, other) for edit in edits for sid, other in zip(edit["statement_ids"], edit["outlets"][::-1])
        )
        assert max(paired.values(), default=1) == 1  # a quote set against one quote of each other outlet
        shown += len(edits)
    assert shown >= 10  # the check saw edits
