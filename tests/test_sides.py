"""Sides from what articles say of their speakers (real BASIL sentences), the registry, and titles."""

from __future__ import annotations

from compare.framing.sides import OUTLET_ITSELF, article_roles, side_of
from compare.framing.voices import voices
from compare.model.documents import Statement


def _statement(index: int, text: str, speaker: str | None = None, people: tuple[str, ...] = (), **kw) -> Statement:
    return Statement(
        id=f"a:{index}",
        article_id=kw.get("article", "a"),
        outlet=kw.get("outlet", "Fox News"),
        index=index,
        text=text,
        start=0,
        end=len(text),
        kind=kw.get("kind", "quote"),
        speaker=speaker,
        entities=tuple((name, "PERSON") for name in people),
    )


def test_parties_the_article_states_in_each_house_style():
    fox = "The questions come as the committee begins its hearing for Sen. John Kerry, D-Mass., who was tapped to replace Clinton."
    nyt = "“I think it’s simply more fake promises raising false hopes,” Senator Richard Blumenthal, Democrat of Connecticut, said."
    huffpost = "Maine Gov. Paul LePage (R) said Wednesday that he has no plans to resign."
    indicted = (
        "Mr. Hunter, Republican of California, and his wife, Margaret, are charged with converting campaign funds."
    )
    roles = article_roles([_statement(i, text) for i, text in enumerate((fox, nyt, huffpost, indicted))])
    assert roles["kerry"] == "Democrats" and roles["blumenthal"] == "Democrats"
    assert roles["lepage"] == "Republicans" and roles["hunter"] == "Republicans"
    assert "clinton" not in roles  # named, but with no party stated here


def test_a_title_in_the_article_gives_the_side_of_a_bare_last_name():
    mattis = _statement(
        0,
        "Defense Secretary Jim Mattis, whose experience and stability were widely seen as a balance, resigned Thursday.",
        people=("Jim Mattis",),
    )
    quote = _statement(1, "“I believe it is right for me to step down from my position,” Mattis wrote.", "Mattis")
    (row,) = voices([mattis, quote])
    assert row.speaker == "Mattis" and row.side == "officials"


def test_democrats_and_republicans_are_apart_and_diplomacy_still_works():
    assert side_of("Nancy Pelosi") == "Democrats" and side_of("Senate Majority Leader Mitch McConnell") == "Republicans"
    assert side_of("DNC spokesman Brad Woodhouse") == "Democrats"
    assert side_of("Russian Deputy Foreign Minister Alexander Grushko") == "Russian officials"
    assert side_of("Ukraine's foreign ministry") == "Ukrainian officials"
    assert side_of("a spokesman for the Kremlin") == "Russian officials"
    assert side_of("Historian Alan Brinkley") == "experts" and side_of("one White House aide") == "US/NATO"
    assert side_of("the indictment") == "documents" and side_of("protesters") == "citizens"
    assert side_of("Jonathan Smith") == "other"  # a name and nothing else known of him


def test_the_outlet_quoting_itself_is_its_own_voice():
    assert side_of("Fox News", outlet="Fox News") == OUTLET_ITSELF
    assert side_of("The Times", outlet="The New York Times") == OUTLET_ITSELF
    assert side_of("Vicente Fox", outlet="Fox News") != OUTLET_ITSELF
    assert side_of("Fox News", outlet="HuffPost") == "media"


def test_a_party_stated_in_one_article_does_not_leak_into_another():
    stated = _statement(0, "Rep. Bob Etheridge (D-N.C.) apologized on Monday.", article="first")
    quoted = _statement(1, "“I regret my reaction,” Etheridge said.", "Etheridge", article="first")
    elsewhere = _statement(2, "“I regret my reaction,” Etheridge said.", "Etheridge", article="second")
    sides = {row.statement_id: row.side for row in voices([stated, quoted, elsewhere])}
    assert sides == {"a:1": "Democrats", "a:2": "other"}
