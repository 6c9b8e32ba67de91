"""Wording per referent and distinctive terms on real BASIL articles and the seeds, with the shipped model."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from compare.framing import cues, mentions
from compare.framing.names import HONORIFICS, outlet_names
from compare.framing.terms import tokens
from compare.model.documents import Statement
from tests.conftest import BASIL, EXTRA_ARTICLE, ROOT, SEEDS

# Three BASIL events (Fox, NYT, HuffPost each): Bloomberg on Trump's record, Rice on Netanyahu's
# speech to Congress, Trump on Obama's Libya policy.
EVENTS = (
    "472158a1-4e39-4214-8397-904e66f2b4c5",
    "2b9468af-4ab0-4f25-85f4-c3ef93d72006",
    "005a2961-0c2e-4575-8eec-770ba52a08e0",
)
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "we", "i", "you"}


def _basil_files(uuid: str) -> list[Path]:
    return sorted((BASIL / "articles").rglob(f"{uuid}_*.json"))


@pytest.fixture(scope="module")
def basil_three(embedder, tmp_path_factory):
    """The three events analysed with the defaults (framing included)."""
    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL}")
    from compare.ingest import load_corpus
    from compare.io.store import Store
    from compare.pipeline import analyze

    folder = tmp_path_factory.mktemp("basil3")
    for uuid in EVENTS:
        for path in _basil_files(uuid):
            (folder / path.name).write_bytes(path.read_bytes())
    store = Store(tmp_path_factory.mktemp("store") / "store.sqlite3")
    return analyze(load_corpus([folder]), embedder=embedder, store=store)


def _mentions(statements, wording: str) -> int:
    pattern = re.compile(r"(?<![\w-])" + re.escape(wording) + r"(?![\w-])", re.IGNORECASE)
    return sum(len(pattern.findall(statement.text)) for statement in statements)


def _found(analysis) -> dict[tuple[str, str], list]:
    groups: dict[tuple[str, str], list] = {}
    for row in analysis.framing.referent_wordings:
        if row.source == "found":
            groups.setdefault((row.story_id, row.referent), []).append(row)
    return groups


def test_a_referent_with_its_wordings_counted_per_outlet(basil_three):
    by_id = {statement.id: statement for statement in basil_three.statements}
    groups = _found(basil_three)
    holders = next(rows for rows in groups.values() if {row.wording for row in rows} >= {"angry shareholders"})
    assert {(row.wording, row.outlet) for row in holders} == {
        ("angry shareholders", "Fox News"),
        ("angry stockholders", "HuffPost"),
    }
    congress = next(rows for rows in groups.values() if {row.wording for row in rows} >= {"joint session"})
    assert {row.wording for row in congress} == {"joint session", "joint meeting"}
    story = next(s for s in basil_three.stories if s.id == congress[0].story_id)
    for row in holders + congress:
        said = [s for s in basil_three.statements if s.outlet == row.outlet and s.article_id in story.article_ids]
        if row in congress:
            assert row.count == _mentions(said, row.wording) >= 1  # every mention in the story, not just the pair's
        for statement_id in row.statement_ids:
            assert row.wording.lower() in by_id[statement_id].text.lower()
    session = {row.outlet: row.count for row in congress if row.wording == "joint session"}
    assert session == {"HuffPost": 2}


def test_no_inflections_pronouns_or_outlet_names_among_the_wordings(basil_three):
    names = outlet_names(s.outlet for s in basil_three.statements)
    groups = _found(basil_three)
    assert len(groups) >= 3
    for rows in groups.values():
        wordings = {row.wording for row in rows}
        assert len(wordings) >= 2
        assert len({re.sub(r"s\b", "", wording.lower()) for wording in wordings}) == len(wordings), wordings
        assert not {wording.lower() for wording in wordings} & (PRONOUNS | names), wordings


def _statement(analysis, outlet: str, text: str) -> Statement:
    return next(s for s in analysis.statements if s.outlet == outlet and text in s.text)


def test_pronoun_for_name_inflection_and_determiner_are_no_wordings(basil_three):
    fox = _statement(basil_three, "Fox News", "accused Obama of conducting a confusing policy")
    huffpost = _statement(basil_three, "HuffPost", "accused Obama of carrying out a confusing policy")
    assert fox.text.startswith("Trump accused") and huffpost.text.startswith("He accused")
    holders = _statement(basil_three, "HuffPost", "angry stockholders")
    edits = [  # the same sentence with only an inflection, a determiner or an honorific changed
        holders.text.replace("angry stockholders", "angry stockholder"),
        holders.text.replace("thousands of lawsuits", "the thousands of lawsuits"),
        holders.text.replace("Trump has", "Mr. Trump has"),
    ]
    shareholders = _statement(basil_three, "Fox News", "angry shareholders")
    pairs = [(fox, huffpost)] + [(holders, Statement("edit", "edit", "X", 0, text, 0, 1, "quote")) for text in edits]
    pairs.append((holders, shareholders))
    docs = mentions.parse(statement.text for pair in pairs for statement in pair)
    found = mentions.substitutions(pairs, docs, outlet_names())
    assert not [pair for pair in found[(fox.id, huffpost.id)] if {"Trump", "He"} & set(pair)]
    assert [found[(first.id, second.id)] for first, second in pairs[1:-1]] == [[], [], []]
    assert ("angry stockholders", "angry shareholders") in found[(holders.id, shareholders.id)]


def test_shared_facts_worded_differently_show_content_words_of_one_fact(basil_three):
    """Issue 15: "shared facts worded differently" listed a pronoun for a name ("He" / "Trump" beside "carrying
    out" / "conducting"), pieces of quote marks and function words, and pairs of two statements that say other
    things. Each listed piece now holds a content word the other statement uses in no form, and two statements
    that tell other facts are no pair."""
    by_id = {statement.id: statement for statement in basil_three.statements}
    rows = basil_three.framing.word_differences
    policy = next(row for row in rows if "conducting" in row.added + row.removed)
    assert {"carrying out", "conducting"} <= set(policy.added + policy.removed)
    assert not {"He", "Trump"} & set(policy.added + policy.removed)  # a pronoun for a name
    assert set(policy.added + policy.removed) == {"carrying out", "conducting"}  # no "Muammar" / "Moammar" (diff18)
    for row in rows:
        own, other = by_id[row.statement_id], by_id[row.other_statement_id]
        assert row.added and row.removed
        for pieces, elsewhere in ((row.added, other.text), (row.removed, own.text)):
            for piece in pieces:  # a word of three letters or more that the other statement does not have
                words = re.findall(r"[A-Za-z]{3,}", piece)
                assert any(not re.search(rf"\b{word}", elsewhere, re.IGNORECASE) for word in words), (piece, row)
    peacemaker = _statement(basil_three, "The New York Times", "playing peacemaker and showing deference")
    disagree = _statement(basil_three, "Fox News", "There are times when I disagree with Hillary")
    paired = {frozenset((row.statement_id, row.other_statement_id)) for row in rows}
    assert frozenset((peacemaker.id, disagree.id)) not in paired  # two facts, not one in other words


def test_a_pair_differing_by_function_words_inflections_or_a_pronoun_is_no_rewording():
    """Real BASIL sentence pairs the story pages listed, and what the rule makes of each."""
    from compare.framing.rewording import REWORDED, fact_words, rewording

    pelosi = "“We know how to win elections,” Ms. Pelosi said."
    she = "“We know how to win elections,” she said Wednesday."
    assert rewording(pelosi, she, fact_words([("Wednesday", "DATE")])).kind == "pronoun for name"
    duty = "“Your actions both past and present are incompatible with your duty as Chairman of this Committee,”"
    duties = "“Your actions both past and present are incompatible with your duties as chairman of this committee.”"
    assert rewording(duty, duties).kind == "inflection, case or order"
    assert rewording("Also, the senator said he would vote no.", "The senator said he would vote no.").kind == (
        "function words"
    )
    attorney = "“This decision should be deeply troubling to all Americans,” the attorney said."
    goelman = "“This decision should be deeply troubling to all Americans,” Mr. Goelman added."
    found = rewording(attorney, goelman)
    assert found.kind == REWORDED and found.removed == ("the attorney said",) and found.added == ("Mr. Goelman added.",)


def test_a_quote_quoted_at_other_lengths_a_clause_or_a_name_spelled_otherwise_is_no_rewording():
    """Issue 15 (diff18): real BASIL pairs the story pages listed as "worded differently" that a hand sample labelled
    one quote quoted at other lengths, a paraphrase of a quote, or other content; and one they list with the name
    it spells otherwise. A rewording swaps a few words outside quote marks: that is kept."""
    from compare.framing.rewording import REWORDED, rewording
    from compare.framing.wording import competing_wordings

    fox = (
        "“The principles aren’t written yet, but in my personal belief, I think it’ll go with legal status that will "
        "allow you to work and pay taxes,” he said."
    )
    huffpost = (
        "\"The principles aren't combined, written out yet, but in my personal belief I think it'll go with legal "
        'status that will allow you to work and pay your taxes," McCarthy told KBFX Eyewitnesses News.'
    )
    assert rewording(fox, huffpost).kind == "quote length"
    tweeted = (
        "McCain tweeted that if Trump “is not prepared to hold Putin accountable,” the talks in Helsinki on Monday "
        "“should not move forward.”"
    )
    quoted = "“If President Trump is not prepared to hold Putin accountable, the summit in Helsinki should not move forward.”"
    assert rewording(tweeted, quoted).kind == "quote length"
    added = (
        "He added that Mrs. Clinton’s disclosure last week that all of the emails from the personal account had been "
        "deleted “only exacerbates our need to better understand what the secretary did, when she did it and why she "
        "did it.”"
    )
    went_on = (
        "Gowdy went on to call Clinton’s email situation “highly unusual, if not unprecedented,” and said it "
        "“exacerbates” lawmakers’ needs to “understand what the Secretary did.”"
    )
    assert rewording(added, went_on).kind == "other content"  # two clauses, no word swapped for another
    qaddafi = (
        "Trump accused Obama of conducting a confusing policy on the civil war in Libya, saying \"nobody knows what's "
        'happening, and now it looks like (Libyan strongman Muammar) al-Qaddafi is going to beat the United States."'
    )
    gadhafi = (  # HuffPost's sentence of the same fact
        "He accused Obama of carrying out a confusing policy on the civil war in Libya, saying \"nobody knows what's "
        'happening, and now it looks like (Libyan strongman Moammar) Gadhafi is going to beat the United States."'
    )
    found = rewording(qaddafi, gadhafi, spellings=competing_wordings)
    assert (found.kind, found.removed, found.added) == (REWORDED, ("conducting",), ("carrying out",))
    jailed = (
        "In his Twitter post, Mr. Trump also referred to the case of a Navy sailor who was jailed for taking pictures "
        "inside a military submarine."
    )
    prison = (
        "Trump was referring to U.S. Navy Sailor Kristian Saucier, who was put in prison for taking unauthorized "
        "photos inside a nuclear submarine."
    )
    found = rewording(jailed, prison)
    assert found.kind == REWORDED and {"jailed", "pictures"} <= set(found.removed) and "put in prison" in found.added


def test_a_capital_spelled_otherwise_is_a_wording_when_the_competing_wordings_list_it():
    """ "Gadhafi" / "Qaddafi" is one name spelled two ways; "Kiev" / "Kyiv" is a choice the curated list names (a
    seed's sentence, the capital spelled as Reuters spells it)."""
    from compare.framing.rewording import REWORDED, rewording
    from compare.framing.wording import competing_wordings

    kiev = (
        "On Monday, Ukrainian President Volodymyr Zelensky said Russia has gathered nearly 100,000 troops near its "
        "border and that Western countries had shared information about active Russian troop movement with Kiev."
    )
    kyiv = kiev.replace("Kiev", "Kyiv")
    assert rewording(kiev, kyiv).kind == "spelling"
    found = rewording(kiev, kyiv, spellings=competing_wordings)
    assert (found.kind, found.removed, found.added) == (REWORDED, ("Kiev",), ("Kyiv",))


@pytest.fixture(scope="module")
def seeds_and_extra(embedder, tmp_path_factory):
    """The seeds and Reuters on the second Macron-Putin call (``EXTRA_ARTICLE``), which joins English News's story.

    Since issue 13 the seeds are five events, each told by one outlet; the extra article makes one of them a story
    of two outlets that spell the capital differently (English News (India) "Kiev", Reuters "Kyiv").
    """
    from compare.io.store import Store
    from compare.pipeline import analyze

    folder = tmp_path_factory.mktemp("seeds_and_extra")
    (folder / "extra.json").write_text(json.dumps(EXTRA_ARTICLE), encoding="utf-8")
    return analyze([SEEDS, folder / "extra.json"], embedder=embedder, store=Store(folder / "store.sqlite3"))


def test_listed_wordings_are_counted_per_outlet_in_each_story(seeds_and_extra):
    analysis = seeds_and_extra
    rows = [row for row in analysis.framing.referent_wordings if row.referent == "Kyiv spelling"]
    assert {row.wording for row in rows} == {"Kiev", "Kyiv"} and all(row.source == "listed" for row in rows)
    by_story = {story.id: set(story.article_ids) for story in analysis.stories}
    for row in rows:
        said = [s for s in analysis.statements if s.outlet == row.outlet and s.article_id in by_story[row.story_id]]
        assert row.count == _mentions(said, row.wording) >= 1
    assert {row.outlet for row in rows if row.wording == "Kiev"} >= {"English News (India)"}
    assert {row.outlet for row in rows if row.wording == "Kyiv"} >= {"Reuters"}
    assert len({row.story_id for row in rows}) == 1  # both wordings of one story: the one two outlets tell


def test_users_add_and_replace_listed_sets(tmp_path, monkeypatch):
    own = tmp_path / "swaps.csv"
    own.write_text("label,variants\nraid,raid;operation\nestate tax,\n", encoding="utf-8")
    monkeypatch.setenv("PARALLAX_WORD_SWAPS", str(own))
    sets = dict(cues.swap_sets())
    assert sets["raid"] == ("raid", "operation") and "estate tax" not in sets and "Kyiv spelling" in sets
    monkeypatch.setenv("PARALLAX_WORD_SWAPS", str(tmp_path / "missing.csv"))
    from compare.model.errors import InputError

    with pytest.raises(InputError, match="missing.csv"):
        cues.swap_sets()


def _basil_sentence(*needles: str) -> str:
    for path in sorted((BASIL / "articles").rglob("*.json")):
        for paragraph in json.loads(path.read_text(encoding="utf-8"))["body-paragraphs"]:
            for sentence in paragraph:
                if all(needle in sentence for needle in needles):
                    return sentence
    pytest.skip(f"no BASIL sentence with {needles}")


def test_term_tokens_keep_abbreviations_and_drop_outlets_and_honorifics():
    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL}")
    nyt = tokens(_basil_sentence("F.B.I.", "Mr."), "The New York Times")
    assert "fbi" in nyt and not {"f", "b", "i", "f b", "b i", "mr"} & set(nyt)
    fox = tokens(_basil_sentence("told Fox News"), "Fox News")
    assert not [term for term in fox if "fox" in term.split() or term == "news"]
    us = tokens(_basil_sentence("U.S."))
    assert "u.s." in us and not {"u", "s", "u s"} & set(us)


def test_outlet_names_and_honorifics_are_never_distinctive(basil_three):
    terms = Counter(row.term for row in basil_three.framing.distinctive_terms)
    assert terms  # there are terms, just not these
    outlets = {"fox", "fox news", "huffpost", "huffington", "huffington post", "nyt", "new york times", "york times"}
    for term in terms:
        words = term.split()
        assert term not in outlets and "fox" not in words and "huffpost" not in words, term
        assert not set(words) & HONORIFICS, term
        assert all(len(word) > 1 for word in words), term


def _sentence(text: str, start: str, end: str) -> str:
    at = text.index(start)
    return text[at : text.index(end, at) + len(end)]


def _body(article: dict) -> str:
    return " ".join(" ".join(paragraph) for paragraph in article["body-paragraphs"])


def test_words_for_the_same_thing_keep_initials_and_decimals_whole():
    """The words each outlet uses differently are shown as written: "U.S." and "7.8" were shown "U … S." and "7. 8".

    Real statements: the shipped sample's two tellings of the Nepal earthquake, and BASIL's Fox and HuffPost on the
    2019 shutdown. Each pair tells other content besides (``aligned_differences`` lists neither since issue 15's
    content-word rule): their pieces are shown here as a listed pair's would be.
    """
    from compare.framing.rewording import rewording
    from compare.model.documents import Claim
    from compare.model.framing import WordDifference
    from compare.views.differences import KeyDifferences, phrasing_rows, story_scope
    from compare.views.story_html import wording_html

    sample = [json.loads(line) for line in (ROOT / "compare/data/sample/articles.jsonl").read_text().splitlines()]
    wire = next(a["text"] for a in sample if a["outlet"] == "Sample Wire" and "magnitude 7.8" in a["text"])
    daily = next(a["text"] for a in sample if a["outlet"] == "Sample Daily" and "7.8-magnitude" in a["text"])
    fox = json.loads(next(BASIL.rglob("3ae35b16-7f7f-4a5e-9f24-5ce724106a73_2.json")).read_text())
    hpo = json.loads(next(BASIL.rglob("1e41e98b-9ac1-441d-b2c2-19d8f730c74a_3.json")).read_text())
    texts = [
        ("w", "Wire", _sentence(wire, "A magnitude 7.8", "Kathmandu.")),
        ("d", "Daily", _sentence(daily, "Rescuers dug", "Nepal.")),
        ("f", "Fox", _sentence(_body(fox), "The funding battle", "history.")),
        ("h", "HuffPost", _sentence(_body(hpo), "The announcement comes", "history")),
    ]
    statements = [Statement(f"{sid}:0", sid, outlet, 0, text, 0, len(text), "narration") for sid, outlet, text in texts]
    claims = [
        Claim("quake", ("w:0", "d:0"), ("Daily", "Wire"), ()),
        Claim("shutdown", ("f:0", "h:0"), ("Fox", "HuffPost"), ()),
    ]
    rows = []
    for first, second in [(statements[0], statements[1]), (statements[2], statements[3])]:
        pieces = rewording(first.text, second.text)
        rows.append(WordDifference(second.id, first.id, 1.0, removed=pieces.removed, added=pieces.added))
    changed = {words for row in rows for words in row.added + row.removed}
    assert "U.S." in changed and "United States" in changed
    assert any(words.startswith("A magnitude 7.8") for words in changed) and any("7.8-magnitude" in w for w in changed)
    for row in rows:  # every piece is the text's own characters
        text = next(s.text for s in statements if s.id == row.statement_id)
        assert all(words in text for words in row.added)
    analysis = {
        "stories": [{"id": "s", "article_ids": ["w", "d", "f", "h"], "outlets": []}],
        "statements": [{"id": s.id, "article_id": s.article_id, "outlet": s.outlet} for s in statements],
        "clusters": [{"id": c.id, "statement_ids": list(c.statement_ids)} for c in claims],
        "word_differences": [{**asdict(row), "added": list(row.added), "removed": list(row.removed)} for row in rows],
    }
    shown = wording_html(KeyDifferences(phrasings=phrasing_rows(analysis, story_scope(analysis, "s"))))
    assert "U.S." in shown and "7.8" in shown
    assert not re.search(r"U\s*…\s*S|\bU \. S|7\.\s+8|7 \. 8", shown)


def _story(sentences: list[tuple[str, str]]) -> list[Statement]:
    return [
        Statement(f"{outlet}:{number}", outlet, outlet, number, text, 0, len(text), "narration")
        for number, (outlet, text) in enumerate(sentences)
    ]


# Real sentences (BASIL): the birthright citizenship story (f688c56d) and the pipe bomb story (1f99798f).
_IMMIGRATION = [
    ("fox", "Sen. Lindsey Graham, R-S.C., said it was a “magnet for illegal immigration in modern times.”"),
    (
        "hpo",
        "“This policy is a magnet for illegal immigration, out of the mainstream of the developed world, and needs "
        "to come to an end,” Graham said in a statement on Tuesday.",
    ),
    (
        "nyt",
        "But immigration advocates argue that scrapping the concept of birthright citizenship would be "
        "counterproductive to the stated goals of those who, like Mr. Trump, rail routinely against illegal immigration.",
    ),
    (
        "fox",
        "\"This is just more of the same of what he's been saying,\" she said, referring to Trump's remarks on "
        "immigration.",
    ),
]
_PACKAGES = [
    (
        "fox",
        "A male suspect was arrested in Florida on Friday morning in connection with the rash of suspicious packages "
        "sent to prominent Democrats nationwide, law enforcement sources confirmed to Fox News.",
    ),
    ("nyt", "Clapper as similar to other suspicious packages discovered this week and “froze it in the system.”"),
    ("fox", "The packages were sent about two weeks ahead of the midterm elections."),
    (
        "nyt",
        "Clapper also said that on Wednesday night he had taken precautions after the first packages were discovered.",
    ),
]


@pytest.mark.parametrize(
    "contrast",
    [
        ("nyt", "Trump has repeatedly sought to curb both legal and illegal immigration."),  # coordinated
        (
            "hpo",
            "He paired the address with his first naturalization ceremony at the White House, a move intended to "
            "underscore the idea that he supports legal immigration.",
        ),  # the opposite kind, elsewhere in the story
    ],
)
def test_a_kind_of_a_thing_set_against_another_is_no_wording_of_it(contrast):
    """ "illegal immigration" beside "legal immigration" names one kind of immigration, not immigration in other
    words; "suspicious packages" of the packages is a wording of them."""
    from compare.framing.variants import variant_pairs

    assert ("immigration", "illegal immigration") in variant_pairs(_story(_IMMIGRATION))  # without the other kind
    assert ("immigration", "illegal immigration") not in variant_pairs(_story([*_IMMIGRATION, contrast]))
    assert ("packages", "suspicious packages") in variant_pairs(_story([*_PACKAGES, contrast]))


def test_a_word_modifying_another_head_is_no_other_name_for_it():
    """ "border" / "border security" (a border is not its security) is dropped; "immigrants" / "illegal immigrants"
    (one head, a modifier added) is kept."""
    assert not mentions.is_other_name("border", "border security", (("border",), ("border", "security")))
    assert mentions.is_other_name("immigrants", "illegal immigrants", (("immigrant",), ("illegal", "immigrant")))
    assert not mentions.is_other_name("president", "vice president", (("president",), ("vice", "president")))


def test_another_role_is_no_wording_of_the_title():
    """ "vice president" names another person than "president", and is not counted as a use of it (real BASIL
    sentences: the Flynn story 0c78e748, the debt deal and the vice-presidential debate)."""
    from compare.framing.referents import wording_rows
    from compare.framing.variants import variant_pairs

    story = _story(
        [
            (
                "nyt",
                "As he left for Utah on Monday, the president said he felt “very badly” for Mr. Flynn, whom he "
                "fired in February for lying to the vice president about the content of these conversations.",
            ),
            ("fox", "“All the president knew was that the department was not accusing him of lying,” Dowd said."),
            (
                "nyt",
                "Senate aides told The Times afterward that about 30 Democratic senators remained “firmly opposed” "
                "to the president’s negotiated deal after hearing from the vice president.",
            ),
            (
                "hpo",
                "But it was the vice president who set the aggressive tone, blatantly striving to hit the reset "
                "after President Obama was panned for his lackluster performance at last week's opening debate.",
            ),
        ]
    )
    assert not [pair for pair in variant_pairs(story) if pair[0] == "president"]
    rows = wording_rows("s", None, ["president", "Dowd"], story, "found")
    assert {(row.outlet, row.count) for row in rows if row.wording == "president"} == {
        ("nyt", 2),
        ("fox", 1),
        ("hpo", 1),
    }
