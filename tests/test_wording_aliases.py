"""Other names of one thing that is not a person, and descriptions the parse hangs elsewhere (issue 15, branch words15i).

Real BASIL sentences; the entities are the shipped spaCy pipeline's, as the segmenter gives them.
"""

from __future__ import annotations

from compare.framing import aliases, chains, descriptions, mentions
from compare.framing.referents import referents, story_wordings
from tests.test_wording_referents import _story

# The House passes H.R. 1 (BASIL 2f3e86b6): Fox writes the union's name in full once and its letters after; the
# Times the name only.
_ACLU = [
    (
        "fox",
        "The American Civil Liberties Union, in a recent letter to Congress, encouraged lawmakers to vote against the "
        "bill because of “provisions that unconstitutionally impinge on the free speech rights of American citizens "
        "and public interest organizations.”",
    ),
    (
        "fox",
        "“These standards are unclear and entirely subjective, which will lead to confusion and, ultimately, less "
        "speech,” the ACLU said.",
    ),
    ("nyt", "The American Civil Liberties Union urged members to vote against the bill."),
]

# Arizona's religious freedom bill (BASIL 58ed2376): HuffPost says what the bill is called, Fox spells it out.
_SB1062 = [
    ("hpo", "The state legislature passed the bill, known as SB 1062, last week."),
    (
        "hpo",
        "On Monday, the Arizona Super Bowl Host Committee came out against SB 1062, stating that adoption of this "
        "legislation would deal a significant blow to the state's economic growth potential.",
    ),
    (
        "fox",
        "Brewer will likely spend the next day or more pondering Senate Bill 1062 before deciding whether to sign or "
        "veto the legislation.",
    ),
]


def _group_of(rows, wording: str) -> set[str]:  # noqa: ANN001 -- ReferentWording rows
    referent = next(row.referent for row in rows if row.wording == wording)
    return {row.wording for row in rows if row.referent == referent}


def test_an_acronym_of_a_name_the_story_writes_in_full_is_another_name_of_it():
    """ "American Civil Liberties Union" (Fox, NYT) and "ACLU" (Fox) name one organisation: one referent with both
    wordings counted per outlet; neither is found by alignment (the statements say different things)."""
    statements = _story(_ACLU)
    assert ("American Civil Liberties Union", "ACLU") in aliases.alias_pairs(statements)
    rows = story_wordings("s", statements, aliases.alias_pairs(statements), [])
    assert _group_of(rows, "ACLU") == {"American Civil Liberties Union", "ACLU"}
    assert {row.outlet for row in rows if row.wording == "American Civil Liberties Union"} == {"fox", "nyt"}


def test_a_naming_phrase_and_a_number_s_letters_join_a_bill_s_names():
    """ "the bill, known as SB 1062" (HuffPost) and "Senate Bill 1062" (Fox): the naming phrase gives "bill" / "SB
    1062", the initials and the number give "Senate Bill 1062" / "SB 1062", so the three are one referent."""
    statements = _story(_SB1062)
    pairs = aliases.alias_pairs(statements)
    assert ("bill", "SB 1062") in pairs
    assert ("Senate Bill 1062", "SB 1062") in pairs
    assert {"bill", "SB 1062", "Senate Bill 1062"} in [set(group) for group in referents(pairs)]


def test_a_verb_of_calling_and_a_person_s_initials_give_no_names():
    """ "Trump called Cruz a liar" names nobody "Cruz"; "… the senator, called Trump a coward" neither (an object and
    its complement); a person's initials ("Hillary Rodham Clinton" / "HRC") are no other name: the annotation of word
    choice counts a person's name in every form as one wording."""
    sentences = [
        ("nyt", "An angry Trump called Cruz a liar on Twitter, and the senator, called Trump a coward in return."),
        ("fox", "Supporters of Hillary Rodham Clinton chanted “HRC” at the rally."),
        ("hpo", "Trump lashed out at Cruz and at Hillary Rodham Clinton, whom he called HRC."),
    ]
    assert aliases.alias_pairs(_story(sentences)) == []


def test_a_relative_clause_that_says_what_a_named_actor_is_describes_it():
    """ "Majority Whip Kevin McCarthy, who is the third-ranking Republican in the House" (Fox, ccf19ab6) describes
    McCarthy, with the whole hyphenated word: "ranking Republican", cut at the hyphen, was never counted as used."""
    text = (
        "Majority Whip Kevin McCarthy, who is the third-ranking Republican in the House, made his comments in an "
        "interview with KBFX-TV in Bakersfield, Calif."
    )
    statements = _story([("fox", text)])
    found = descriptions.descriptions(statements, mentions.parse([text]), frozenset())
    assert ("Kevin McCarthy", "third-ranking Republican") in found[("fox:0", "fox:0")]


def test_an_apposition_right_after_a_name_describes_it_wherever_the_parse_hangs_it():
    """ "America Rising, a conservative political action committee which conducts …" (HuffPost, 22b6e900): the parser
    hangs the apposition on "remarks"; the comma right after the name says whose it is."""
    text = (
        "Braley's remarks were released Tuesday by America Rising, a conservative political action committee which "
        "conducts opposition research on Democrats."
    )
    statements = _story([("hpo", text)])
    found = descriptions.descriptions(statements, mentions.parse([text]), frozenset())
    assert ("America Rising", "conservative political action committee") in found[("hpo:0", "hpo:0")]
    assert not [pair for pair in found[("hpo:0", "hpo:0")] if pair[0] == "Braley"]


# Boehner's one-in-three estimate (BASIL f11c2566): the NYT gives the title, Fox names him without it and later
# says "The House speaker".
_BOEHNER = [
    (
        "nyt",
        "Speaker John A. Boehner of Ohio said on Monday that Republicans had a one-in-three chance of losing control "
        "of the House in November.",
    ),
    (
        "fox",
        "John Boehner is setting expectations high -- but apparently not too high -- for this year's congressional "
        "elections, telling Fox News that the Democrats have a chance of retaking the House.",
    ),
    (
        "fox",
        "The House speaker, in an interview with Fox News to air Tuesday morning, gave his Republican Party a "
        '"two-in-three chance" of holding on to control of the House after taking power in the 2010 elections.',
    ),
]


def test_a_title_one_article_gives_counts_in_another_that_names_the_same_person():
    """ "Speaker John A. Boehner" (NYT) and "John Boehner … The House speaker" (Fox): Fox's "speaker" is a wording of
    Boehner; neither article alone gives the pair (the NYT never says "the speaker", Fox never "Speaker Boehner")."""
    statements = _story(_BOEHNER)
    assert {noun for name, noun in chains.chained(statements) if name.endswith("Boehner")} == {"speaker"}
    assert chains.chained(statements[:1]) == []
    assert chains.chained(statements[1:]) == []
