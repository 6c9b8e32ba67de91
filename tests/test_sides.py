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


def test_what_a_name_is_decides_before_whose_it_is():
    # Speakers of BASIL and the sample corpus: bodies are not a country's or a party's politics.
    assert side_of("U.S. Geological Survey") == "agencies and science"
    assert side_of("U.S. Fish and Wildlife Service") == "agencies and science"
    assert side_of("Washington Post") == "media" and side_of("Washington Post’s editorial board") == "media"
    assert side_of("U.S. Capitol Police") == "law enforcement" and side_of("FBI officials") == "law enforcement"
    assert (
        side_of("U.S. District Judge Emmet Sullivan") == "courts" and side_of("Justice Ruth Bader Ginsburg") == "courts"
    )
    assert side_of("spokeswoman for George Washington University Hospital") == "universities and research"
    assert side_of("executive from Apple Inc.") == "business"
    assert (
        side_of("Aid agencies") == "civil society" and side_of("U.S. Conference of Catholic Bishops") == "civil society"
    )
    assert side_of("the chief executive of the National Rifle Association") == "civil society"
    # ... but a party's name makes a body partisan, and a country's own offices stay the country's.
    assert side_of("Republican Governors Association") == "Republicans"
    assert side_of("State Department") == "US/NATO" and side_of("Russian Defense Ministry") == "Russian officials"
    assert side_of("a survey") == "documents"  # "Survey" with a capital is an agency's name, not a poll


def _segmented(outlet: str, text: str) -> list[Statement]:
    from compare.model.documents import Article
    from compare.segment import segment_articles

    return segment_articles([Article(id="cd", outlet=outlet, text=text, title="China urges US to stop arms sales")])


# China Daily's house style: a ministry with no country named is China's.
CHINA_DAILY = (
    "China on Monday urged the United States to immediately stop arms sales to Taiwan. "
    "“The US side should abide by the one-China principle and stop selling arms to Taiwan,” "
    "Foreign Ministry spokesperson Wang Wenbin said at a daily news briefing in Beijing. "
    "Wang said China will take resolute and forceful measures to safeguard its sovereignty and security interests. "
    "The US State Department approved the possible sale of military equipment on Friday, the Pentagon said."
)


def test_a_non_us_outlet_gets_its_own_governments_side():
    rows = voices(_segmented("China Daily", CHINA_DAILY))
    sides = {row.speaker: row.side for row in rows}
    assert {side for speaker, side in sides.items() if "Wang" in speaker} == {"Chinese officials"}
    assert sides.get("Pentagon") == "US/NATO"
    # The same words in an outlet of no listed country: a ministry's official, of no country known.
    elsewhere = {row.speaker: row.side for row in voices(_segmented("Stock Groups", CHINA_DAILY))}
    assert {side for speaker, side in elsewhere.items() if "Wang" in speaker} == {"officials"}


def test_the_seeds_ministry_is_the_country_its_article_names():
    from .conftest import SEEDS

    text = (SEEDS / "003_ea7004de55ab861a.txt").read_text(encoding="utf-8")
    rows = voices(_segmented("The Guardian", text))
    ministry = [row for row in rows if row.speaker == "Defense Ministry"]
    assert ministry and {row.side for row in ministry} == {"Russian officials"}  # "the Russian Defense Ministry" before
    assert not [row for row in rows if row.side in {"other", "officials"}]


def test_the_sample_corpus_voices_get_their_kind_whatever_ner_made_of_the_name():
    import json

    from compare.framing.cues import DATA

    with open(DATA / "sample" / "articles.jsonl", encoding="utf-8") as handle:
        article = next(row for row in map(json.loads, handle) if row["id"] == "quake-a-paper")
    rows = {row.speaker: row.side for row in voices(_segmented(article["outlet"], article["text"]))}
    # "Gautam, the home minister, said": spaCy tags "Gautam" a place; the article says what he is.
    assert rows == {"Gautam": "officials", "Aid agencies": "civil society"}
