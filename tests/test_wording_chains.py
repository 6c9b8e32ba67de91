"""A title or description given with a name, taken up later in the article as "the <noun>" (issue 15, branch words15f).

Real BASIL sentences; the entities are the shipped spaCy pipeline's, as the segmenter gives them.
"""

from __future__ import annotations

from compare.framing import chains, referents
from compare.framing.referents import story_wordings
from tests.test_wording_referents import _story

# Arpaio endorses Perry (BASIL 0ffb34cd): the NYT gives the title once and later says "the sheriff".
_ARPAIO = [
    (
        "fox",
        "Arizona Sheriff Joe Arpaio, known for his tough and controversial stances on illegal immigration, endorsed "
        "three term Texas Governor Rick Perry for the Republican presidential nomination on Tuesday morning during a "
        "campaign stop in New Hampshire.",
    ),
    (
        "fox",
        "The endorsement from Arpaio could prove helpful to Perry who has faced criticism about his stance on immigration.",
    ),
    (
        "nyt",
        "On Tuesday he won an endorsement from one of the nation’s most outspoken and controversial public officials "
        "on that issue: Sheriff Joe Arpaio of Maricopa County, Ariz., who unabashedly calls himself the “toughest "
        "sheriff” in the country.",
    ),
    (
        "nyt",
        "But it remains to be seen how much an endorsement from Sheriff Arpaio will help him in this state, where Mr. "
        "Perry is polling far behind the leader, Mitt Romney.",
    ),
    (
        "nyt",
        "The sheriff has called the Justice Department’s action an attempt to intimidate him and he has said he does "
        "not engage in racial profiling.",
    ),
]


def test_a_title_before_a_name_is_the_name_s_wording_where_the_article_takes_it_up():
    """ "Sheriff Joe Arpaio" … "The sheriff has called …": the NYT's "sheriff" is a wording of Arpaio, counted per
    outlet with links to the statements; without the later "the sheriff" the title alone is no chain."""
    statements = _story(_ARPAIO)
    found = chains.chained(statements)
    assert ("Joe Arpaio", "sheriff") in found
    rows = story_wordings("s", statements, [], [], found)
    group = {row.wording for row in rows if row.referent == next(r.referent for r in rows if r.wording == "sheriff")}
    assert {"Arpaio", "sheriff"} <= group
    sheriff = {row.outlet: row for row in rows if row.wording == "sheriff"}
    assert set(sheriff) == {"fox", "nyt"}
    assert "nyt:4" in sheriff["nyt"].statement_ids  # "The sheriff has called …"
    assert sheriff["nyt"].count > sheriff["fox"].count
    assert all(noun != "sheriff" for _, noun in chains.chained(statements[:4]))


# Braley's remarks about Grassley (BASIL 22b6e900): "Rep." abbreviated, "Representative" read into the name.
_BRALEY = [
    (
        "hpo",
        "Rep. Bruce Braley (D-Iowa), who is running to succeed retiring Sen. Tom Harkin (D-Iowa), faced tough local "
        "coverage Tuesday after critical comments he made about Sen. Chuck Grassley (R-Iowa) were made public.",
    ),
    (
        "hpo",
        "The representative also posted a statement Tuesday in which he apologized and emphasized that he has "
        "farmers in his family.",
    ),
    (
        "nyt",
        "The latest candidate to learn the hard way was Representative Bruce Braley, an Iowa Democrat running for "
        "Senate this year.",
    ),
]


def test_an_abbreviated_title_and_a_title_read_into_the_name():
    """ "Rep. Bruce Braley" … "The representative also posted …"; the NYT's entity "Representative Bruce Braley" is
    the same Braley, not a second person of that surname (which would keep his descriptions out)."""
    statements = _story(_BRALEY)
    assert ("Bruce Braley", "representative") in chains.chained(statements)
    assert referents._surnames(statements)["Braley"] == {"Bruce"}
    # Two senators in the story, and no "the senator": no senator chain either way
    assert all(noun != "senator" for _, noun in chains.chained(statements))


# The pipe bomb arrests (BASIL 1f99798f, HuffPost): one president and two former ones.
_PRESIDENTS = [
    (
        "hpo",
        "Police have arrested a suspect in connection with at least a dozen packages containing likely pipe bombs "
        "mailed in the past week to people critical of President Donald Trump.",
    ),
    (
        "hpo",
        "The president pledged to prosecute those responsible ― “them, him, her, whoever it may be,” he said ― to "
        "the fullest extent of the law.",
    ),
    (
        "hpo",
        "Throughout the week, more than 10 packages containing potential explosive devices have been mailed to "
        "lawmakers and other public figures critical of Trump, including former President Barack Obama, former "
        "President Bill Clinton, Trump’s 2016 presidential opponent Hillary Clinton, Rep. Maxine Waters (D-Calif.), "
        "actor Robert De Niro and former CIA Director John Brennan.",
    ),
]

# Sanders meets Obama (BASIL, the NYT): three senators by title, then "the senator".
_SENATORS = [
    (
        "nyt",
        "Senator Bernie Sanders met with President Obama on Thursday and said afterward that he would do everything "
        "within his power to stop Donald J. Trump from becoming president — and would work closely with Hillary "
        "Clinton to make that happen.",
    ),
    (
        "nyt",
        "The visit came a day after the senator huddled with his team at his headquarters in Vermont to discuss the "
        "fate of his candidacy.",
    ),
    (
        "nyt",
        "Briefly posing for photographers before his meeting in the Capitol with Senator Harry Reid, the minority "
        "leader, Mr. Sanders ignored three questions about Mr. Obama’s endorsement of Mrs. Clinton.",
    ),
    (
        "nyt",
        "After his meeting with Reid, Mr. Sanders made a quick exit through a back hall on his way to meet with "
        "Senator Chuck Schumer of New York.",
    ),
]


def test_a_title_of_another_holder_or_of_several_people_names_no_one():
    """ "former President Barack Obama" is not "the president" of the story (Trump is); "the senator" where three
    senators are named is none of them; "Secretary of State John Kerry" gives no title "state"."""
    assert chains.chained(_story(_PRESIDENTS)) == [("Donald Trump", "president")]
    assert all(noun != "senator" for _, noun in chains.chained(_story(_SENATORS)))
    kerry = [
        (
            "nyt",
            "Secretary of State John Kerry said Tuesday that he would be in Switzerland negotiating with the Iranians.",
        ),
        (
            "nyt",
            "Iowa Democratic Rep. Bruce Braley is under fire after a video surfaced Tuesday of him mocking Sen. Chuck "
            "Grassley, R-Iowa, as a “farmer from Iowa who never went to law school” — in the middle of Braley’s "
            "campaign for Senate in the state known for its agriculture industry.",
        ),
    ]
    assert not any(noun.endswith("state") for _, noun in chains.chained(_story(kerry)))


def test_a_description_s_head_carries_along_the_article():
    """Kathy Griffin's photo (BASIL d16050b3, the NYT): the apposition "Kathy Griffin, the celebrity comic and
    author" gives "celebrity comic"; its head is the article's "the … comic" of her. A head given to two people of
    the story names neither."""
    statements = _story(
        [
            (
                "nyt",
                "The president castigated Kathy Griffin, the celebrity comic and author, for posing for a video "
                "showing her holding what looks like the severed and bloodied head of Mr. Trump.",
            )
        ]
    )
    assert chains.chained(statements, [("Kathy Griffin", "celebrity comic")]) == [("Kathy Griffin", "comic")]
    assert chains.chained(statements, [("Kathy Griffin", "celebrity comic"), ("Trump", "comic")]) == []
