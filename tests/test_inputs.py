"""Awkward inputs are read or named with the right reason, never lost silently and never fatal to the run."""

from __future__ import annotations

import pytest

from compare.clean import clean_page
from compare.ingest import load_bytes
from compare.outlets import load_registry

# Real sentences (seed 003, The Guardian, January 2022).
BODY = (
    "Representatives of Ukraine and Russia, along with France and Germany, are set to meet in Paris on Wednesday "
    "for the latest diplomatic efforts to de-escalate the crisis in Ukraine. The Kremlin's top Ukraine official, "
    "Dmitry Kozak, will hold talks with Andriy Yermak, the chief of staff of Ukrainian President Volodymyr "
    "Zelenskyy, along with French and German officials."
)
OTHER_BODY = (
    "Before the meeting, Russia's Foreign Minister Sergei Lavrov said Moscow was ready to take unspecified "
    "reasonable measures if its security demands were not met. The United States is expected to provide a "
    "written response later this week."
)


# One-line articles and bylines (compare/clean.py)


@pytest.mark.parametrize(
    ("line", "outlet", "byline"),
    [
        (f"By Jane Doe | Reuters | 2022-01-26 | {BODY}", "Reuters", "Jane Doe"),
        (f"PARIS | January 26, 2022 | {BODY}", None, None),
        (f"By Jane Doe • The Guardian • Wed 26 Jan 2022 08.12 GMT • {BODY}", "The Guardian", "Jane Doe"),
    ],
)
def test_a_one_line_article_after_a_byline_header_is_read(line, outlet, byline):
    corpus = load_bytes(line.encode(), "talks.txt")
    assert [article.text for article in corpus.articles] == [BODY]
    article = corpus.articles[0]
    assert article.published == "2022-01-26" and article.byline == byline
    assert outlet is None or article.outlet == outlet
    assert not any("English" in problem.message or "words" in problem.message for problem in corpus.problems)


def test_paragraphs_opening_with_by_are_text_not_bylines():
    page = clean_page(
        f"By The Associated Press\n\n{BODY}\n\nBy noon, the Kremlin had answered: talks would resume in Berlin "
        "within two weeks, the Russian foreign ministry said.\n\nBy contrast, Kyiv said the meeting in Paris was "
        "only a first step and more work was needed.",
        load_registry(),
    )
    assert page.byline == "The Associated Press"
    assert "By noon, the Kremlin had answered" in page.text and "By contrast, Kyiv said" in page.text


def test_a_one_line_article_mentioning_a_photo_or_copyright_is_kept():
    line = (
        f"{BODY} (Photo: Reuters) {OTHER_BODY} The talks, in the Normandy format, are covered by copyright 2022 rules."
    )
    corpus = load_bytes(line.encode(), "one-line.txt")
    assert len(corpus.articles) == 1 and "Kozak" in corpus.articles[0].text
