"""Which modified forms of a story's main noun are wordings of it, on real BASIL sentences (issue 15, branch words15h)."""

from __future__ import annotations

import re

import pytest

from compare.framing.variants import bare_nouns, variant_pairs
from tests.conftest import BASIL
from tests.test_wording_referents import _story

# The NRA's school-safety report (BASIL 68748e7f): both outlets say "task force", never "force" alone.
_TASK_FORCE = [
    ("hpo", "The report was prepared by a 12-person task force, called the School Shield Program, led by Hutchinson."),
    (
        "hpo",
        "The task force recommended that schools designate willing staff to be armed and trained, and it proposed a "
        "model training program, 40-60 hours per person, at what Hutchinson said would be a cost of about $800 to "
        "$1,000 per trained employee.",
    ),
    (
        "hpo",
        "The task force also suggested that states loosen current legal restrictions on who can carry a firearm on "
        "school property.",
    ),
    (
        "nyt",
        "Asa Hutchinson, a former Republican congressman from Arkansas who led the task force, unveiled the report at "
        "a packed news conference with unusually heavy security, including a bomb-sniffing yellow Labrador retriever.",
    ),
    (
        "nyt",
        "said Representative Mike Thompson, a California Democrat who is chairman of a House task force on gun violence.",
    ),
    ("nyt", "But how and whether the task force recommendations will be put into effect — and the cost — was unclear."),
    (
        "nyt",
        "It recommended that officers or employees who are armed take a 40- to 60-hour training course to be developed "
        "by the rifle association based on a model the task force has designed.",
    ),
]

# Perry on immigration (BASIL 0ffb34cd): Fox and HuffPost say "undocumented immigrants", the Times "illegal
# immigrants"; none says "immigrants" alone.
_IMMIGRANTS = [
    (
        "fox",
        "Romney has said that Perry provided a magnet for undocumented immigrants to settle in Texas by supporting a "
        "law that allows people who are in the country unlawfully to attend public colleges at in-state tuition rates.",
    ),
    (
        "fox",
        "Perry has also said the federal government should extend work visas permitting undocumented immigrants to "
        "move freely between the U.S. and Mexico.",
    ),
    (
        "hpo",
        "His endorsement of Perry comes after the candidate was criticized for his immigration platform, which rests "
        "on the idea that deportation of all 11 million undocumented immigrants in the country is impractical and "
        "unlikely.",
    ),
    (
        "nyt",
        "Perry, in his most expansive comments about illegal immigration since last week’s Republican presidential "
        "debate, was not suggesting any rounding up of illegal immigrants, an aide later made clear, but calling for "
        "all people arrested or detained — and later found to be undocumented — to be expelled from the country "
        "after an expedited hearing.",
    ),
    (
        "nyt",
        "Backers of the policy say it allows officials to focus resources on deporting illegal immigrants who have "
        "been convicted of serious crimes or who are a threat to the public safety or the national interest.",
    ),
    (
        "nyt",
        "Perry was widely criticized within his own party for backing a state plan that gives some children of illegal "
        "immigrants the same lower-cost in-state college tuition that is enjoyed by American citizens who attend the "
        "state’s public universities and who have been Texas residents at least three years.",
    ),
]

# The House's ethics and voting bill (BASIL 2f3e86b6): Fox and the Times say "big money in politics", HuffPost
# "money in politics".
_MONEY = [
    (
        "hpo",
        "It would dramatically expand voting access, create publicly funded House elections, enhance the transparency "
        "of money in politics, restore voting rights to millions of ex-felons, strengthen executive branch ethics law "
        "and end partisan gerrymandering.",
    ),
    (
        "hpo",
        "Many cited the endemic corruption of money in politics as a top complaint they heard on the campaign trail "
        "from constituents.",
    ),
    (
        "fox",
        "The measure embraced by House Democrats aims to curb big money in politics, make it easier to vote and "
        "bolster election security.",
    ),
    (
        "fox",
        "One concern of civil libertarians is the bill’s inclusion of the DISCLOSE ACT, which would require all "
        "organizations that spend money on elections to disclose donors.",
    ),
    (
        "nyt",
        "WASHINGTON — The House passed the Democrats’ showcase anti-corruption and voting rights legislation on "
        "Friday, an expansive measure that aims to dismantle barriers to the ballot box, end big money in politics "
        "and impose stricter ethics rules on federal officials.",
    ),
    (
        "nyt",
        "The Disclose Act, part of the bill, would require super PACs and nonprofit organizations that spend money in "
        "elections to disclose the names of donors who contribute more than $10,000.",
    ),
]


def test_a_noun_the_story_never_uses_alone_is_part_of_a_fixed_expression():
    """The NRA's "task force" is no wording of "force": no outlet writes "the force" of the panel."""
    story = _story(_TASK_FORCE)
    assert "force" not in bare_nouns(story, {"force"})
    assert ("force", "task force") not in variant_pairs(story)


def test_outlets_choosing_apart_between_two_forms_keep_them_as_wordings():
    """No outlet says "immigrants" alone, but Fox and HuffPost choose "undocumented immigrants" where the Times
    chooses "illegal immigrants": the framing choice the feature is for."""
    story = _story(_IMMIGRANTS)
    assert "immigrants" not in bare_nouns(story, {"immigrants"})
    pairs = variant_pairs(story)
    assert ("immigrants", "undocumented immigrants") in pairs
    assert ("immigrants", "illegal immigrants") in pairs


def test_a_size_in_front_of_a_noun_is_no_wording_of_it():
    """A "big" in front ("big money") says how much, not what the money is called: it counts as "money" alone."""
    story = _story(_MONEY)
    assert "money" in bare_nouns(story, {"money"})
    assert not [pair for pair in variant_pairs(story) if pair[0] == "money"]


# Etheridge's confrontation (BASIL 6b541575): Fox introduces "an amateur video" and says "The video" two sentences
# on; HuffPost's "The YouTube video" is its last use of the noun with a modifier, and no later sentence of its
# article says "the video" (the one before does not take it up).
_VIDEO = [
    (
        "fox",
        "Etheridge, a Democrat, is seen in an amateur video grabbing the wrist and neck of an unidentified young man "
        'after the man approached the congressman and asked if he supported the "Obama agenda."',
    ),
    (
        "fox",
        "The video, posted to YouTube last Friday, shows the man, who appears to be in his early 20s and who "
        "identifies himself as a student, approaching Etheridge on the sidewalk.",
    ),
    (
        "nyt",
        "Mr. Etheridge, a seven-term House member, can be seen on the video repeatedly asking the young man to "
        "identify himself.",
    ),
    ("nyt", "The young man is not identified in the video, which was made last week."),
    (
        "hpo",
        "In the video, the North Carolina lawmaker is seen approaching the camera, while the reporter asks, “Hi, "
        "Congressman. How are you? Do you fully support the Obama agenda?”",
    ),
    (
        "hpo",
        "The YouTube video is published under an account titled TonyManization, and even more damning is that the "
        "faces of the individuals asking the Congressman questions are blurred out.",
    ),
]


def test_a_modified_form_used_once_counts_when_its_article_takes_it_up_as_the_noun():
    """Fox's one "amateur video" is the video its next sentences call "The video": a wording of it. HuffPost's one
    "YouTube video" is the video its sentence before calls "the video" ("In the video, ..."): one too. Without that
    sentence HuffPost's article never says "the video", and its "YouTube video" stays a passing use."""
    pairs = variant_pairs(_story(_VIDEO))
    assert {("video", "amateur video"), ("video", "YouTube video")} <= set(pairs)
    without = variant_pairs(_story([sentence for sentence in _VIDEO if not sentence[1].startswith("In the video")]))
    assert ("video", "amateur video") in without
    assert ("video", "YouTube video") not in without


def test_a_noun_in_fewer_than_a_tenth_of_the_statements_is_a_main_noun_of_the_story():
    """Akin's remarks (BASIL 08bb9bee, the three articles as the segmenter cuts them: 71 statements): "comments" is
    in 7 of them, by all three outlets, one short of a tenth; Fox and the Times both write "controversial comments".
    A thing is named by its one noun where an actor has a name and titles, so its noun's bar is lower (7.5%)."""
    from compare.ingest import load_corpus
    from compare.segment.statements import segment_articles

    files = sorted((BASIL / "articles" / "2012").glob("08bb9bee-*.json"))
    if len(files) != 3:
        pytest.skip(f"BASIL not found at {BASIL}")
    story = segment_articles(load_corpus(files).articles)
    assert len(story) == 71 and sum("comments" in statement.text for statement in story) == 7
    assert ("comments", "controversial comments") in variant_pairs(story)


def _basil_story(year: str, event: str) -> list:
    """The three BASIL articles of an event as the segmenter cuts them."""
    from compare.ingest import load_corpus
    from compare.segment.statements import segment_articles

    files = sorted((BASIL / "articles" / year).glob(f"{event}-*.json"))
    if len(files) != 3:
        pytest.skip(f"BASIL not found at {BASIL}")
    return segment_articles(load_corpus(files).articles)


def test_a_rare_noun_gives_the_modified_forms_that_aligned_statements_of_two_outlets_put_on_it():
    """Newsweek's Bachmann cover (BASIL 550b80db, 42 statements): "background" is in two, under the main nouns'
    7.5%. Fox's "with a dark blue background" and HuffPost's "against a stark blue background" are aligned (two
    tellings of what the cover shows): the two outlets name one background, each in its own words. Without that
    alignment the forms, each used once and never taken up, are no wordings."""
    story = _basil_story("2011", "550b80db")
    assert sum(bool(re.search(r"\bbackground\b", s.text)) for s in story) < 0.075 * len(story)
    fox = next(s for s in story if "dark blue background" in s.text)
    huffpost = next(s for s in story if "stark blue background" in s.text)
    assert fox.outlet != huffpost.outlet
    pairs = variant_pairs(story, [(fox.id, huffpost.id)])
    assert {("background", "dark blue background"), ("background", "stark blue background")} <= set(pairs)
    assert not [pair for pair in variant_pairs(story) if pair[0] == "background"]


def test_a_rare_noun_gives_the_modified_form_its_article_takes_up_when_two_outlets_use_the_noun_alone():
    """The pipe bombs (BASIL 1f99798f, 109 statements): "van" is in fewer than 7.5% of them. The Times's "a white van with pro-Trump
    stickers" is "the van" of its next sentences, and HuffPost writes "a van covered in stickers": two outlets use
    the noun alone and one article ties its modified form to it. A rarer noun needs that evidence, its share none."""
    story = _basil_story("2018", "1f99798f")
    assert sum(bool(re.search(r"\bvan\b", s.text)) for s in story) < 0.075 * len(story)
    pairs = variant_pairs(story)
    assert ("van", "white van") in pairs
    assert not [pair for pair in pairs if pair[0] == "van" and pair[1] != "white van"]


def test_a_name_in_front_of_a_noun_is_read_whole_however_long():
    """Blumenthal's Vietnam remarks (BASIL 85475456): HuffPost's "called a New York Times report" and Fox's
    "disputed a report in the New York Times" are aligned. "New York Times" is one name in front of "report", not
    "York Times" (two modifiers at most cut the name, and "New" is no ordering word there)."""
    story = _basil_story("2010", "85475456")
    huffpost = next(s for s in story if "a New York Times report" in s.text)
    fox = next(s for s in story if "disputed a report" in s.text)
    pairs = variant_pairs(story, [(fox.id, huffpost.id)])
    assert ("report", "New York Times report") in pairs
    assert not [pair for pair in pairs if pair[1].startswith("York")]


def test_a_modified_form_taken_up_by_the_noun_earlier_in_its_article_is_a_wording():
    """Farenthold's resignation (BASIL 06ffda2d): HuffPost's "he said in the statement" comes before its "In his
    resignation statement, Farenthold reflected ...": the article's own chain ties the two, the earlier "the
    statement" as much as a later one would (Fox and the Times say "a statement" only)."""
    assert ("statement", "resignation statement") in variant_pairs(_basil_story("2018", "06ffda2d"))


def test_two_aligned_statements_putting_two_kinds_in_front_of_a_rare_noun_tie_no_form_to_it():
    """The pipe bombs (BASIL 1f99798f): the Times's "police officials in New York City said" and HuffPost's
    "postal officials intercepted the package" tell one fact, but "police" and "postal" are two kinds of officials,
    each in the place right in front of the noun, not one group described two ways ("dark blue" / "stark blue
    background" share that place's word): the alignment is no evidence for either form."""
    story = _basil_story("2018", "1f99798f")
    police = next(s for s in story if "police officials" in s.text)
    postal = next(s for s in story if "postal officials" in s.text)
    assert police.outlet != postal.outlet
    assert not [pair for pair in variant_pairs(story, [(police.id, postal.id)]) if pair[0] == "officials"]
