"""Statement cards (the story page's and the report's): escaped, with the badges that mean something."""

from __future__ import annotations

from compare.views.story_html import statement_html

STATEMENT = {
    "id": "a:0",
    "article_id": "a",
    "text": "France warned Russia <b>not</b> to harm Ukraine's territorial integrity.",
    "kind": "quote",
    "speaker": "Le Drian",
}


def test_cards_escape_the_text_and_show_no_sentence_tone():
    # Whole-sentence VADER scores this warning +0.82 and agreed with hand labels less often than
    # "neutral" for all (EVALUATION.md): a per-statement tone number would mislead, so none is shown.
    card = statement_html(STATEMENT, None, "Fox News")
    assert "&lt;b&gt;not&lt;/b&gt;" in card and "<b>not</b>" not in card
    assert "Le Drian" in card and "tone" not in card
