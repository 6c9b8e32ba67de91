"""``show``'s terminal text: counts read as English ("1 article", not "1 articles")."""

from __future__ import annotations

from compare.views.comparison import comparison_text, search_text


def test_search_lines_say_one_article_and_two_articles() -> None:
    found = [
        {
            "id": "story-39c14a60e969",
            "title": "Defense chiefs discuss Ukraine",
            "articles": 1,
            "outlets": ["China Daily"],
        },
        {"id": "story-ec48a7555689", "title": "Talks in Paris", "articles": 2, "outlets": ["The Guardian", "Reuters"]},
    ]
    lines = search_text(found).splitlines()
    assert lines[0].endswith("(1 article; China Daily)")
    assert lines[1].endswith("(2 articles; The Guardian, Reuters)")


def test_story_heading_says_one_outlet_and_two_outlets() -> None:
    empty = {"headlines": [], "shared": [], "partial": [], "wording": []}
    one = comparison_text({"story": "story-39c14a60e969", "outlets": ["China Daily"], **empty})
    two = comparison_text({"story": "story-ec48a7555689", "outlets": ["The Guardian", "Reuters"], **empty})
    assert one.splitlines()[0] == "story-39c14a60e969: 1 outlet (China Daily)"
    assert two.splitlines()[0] == "story-ec48a7555689: 2 outlets (The Guardian, Reuters)"
