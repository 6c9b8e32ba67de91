"""Framing figures that fit the story, not the seeds' topic: listed sets attested by the story, a person is no body
(issue 15, the dashboard tour on BASIL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compare.framing import actor_kinds, listed, mentions
from compare.model.documents import Statement
from tests.conftest import BASIL

# Trump's national emergency declaration for the wall (BASIL 3ae35b16): the tour saw the Ukraine set "the war"
# ("invasion", "war", "crisis") and "president" / "Trump administration" offered as wordings of one thing.
EMERGENCY = "3ae35b16-7f7f-4a5e-9f24-5ce724106a73"
_HUFFPOST = (
    "The national emergency declaration will allow the Trump administration to use about $3.6 billion from Defense "
    "Department construction projects to build the wall, along with another $2.5 billion the department had "
    "allocated for counter-drug activities, acting White House chief of staff Mick Mulvaney told reporters."
)
_NYT = (
    "The emergency declaration, according to White House officials, enables the president to divert $3.6 billion "
    "from military construction projects to the wall."
)
_NAMED = "President Trump declared a national emergency on Friday to build the wall."


def _statements(sentences: list[tuple[str, str]]) -> list[Statement]:
    """Statements of the sentences, with the entities the shipped spaCy pipeline finds in them."""
    docs = mentions.parse(text for _, text in sentences)
    return [
        Statement(f"{outlet}:{n}", outlet, outlet, n, text, 0, len(text), "narration", entities=_entities(docs[text]))
        for n, (outlet, text) in enumerate(sentences)
    ]


def _entities(doc) -> tuple[tuple[str, str], ...]:  # noqa: ANN001 -- a spaCy Doc
    return tuple((entity.text, entity.label_) for entity in doc.ents)


def test_a_person_and_a_body_are_two_referents():
    """ "the president" (a title the story puts before Trump's name) is a person; "the Trump administration" is
    something of Trump's: the aligned pair's substitution is no wording of one thing. Two wordings of one kind stay."""
    story = _statements([("huffpost", _HUFFPOST), ("nyt", _NYT), ("fox", _NAMED)])
    actors = actor_kinds.StoryActors(story)
    assert actors.kind("president") == "person" and actors.kind("Trump") == "person"
    assert actors.kind("Trump administration") == "body" and actors.kind("White House") == "body"
    kept = actor_kinds.same_kind([("president", "Trump administration"), ("president", "Trump")], story)
    assert kept == [("president", "Trump")]


def test_a_listed_set_of_common_nouns_needs_the_story_to_use_it_for_one_thing():
    """A seed's sentence and another outlet's telling of it with "pro-Russian militias" attest the separatists set;
    two tellings that both say "war" (one also "crisis", of something else) attest nothing, nor do "war" and "crisis"
    used in no two tellings of one fact (the set's phrases, used by two outlets, still count). Names and phrases need no telling: "Kiev" is Kyiv anywhere, and "illegal
    immigrants" / "undocumented immigrants" (BASIL's DACA story, two outlets) name one group; "migrants" is left out."""
    sets = [
        ("the war", ("invasion", "war", "conflict", "crisis")),
        ("separatists", ("pro-Russian militias", "Russian-backed separatists", "separatists", "militias", "rebels")),
        ("Kyiv spelling", ("Kiev", "Kyiv")),
        ("immigrants", ("illegal immigrants", "undocumented immigrants", "migrants")),
    ]
    story = _statements(
        [
            ("guardian", "Russian-backed separatists seized control of Ukraine's eastern Donbass in that year."),
            ("tass", "Pro-Russian militias seized control of Ukraine's eastern Donbass in that year, TASS said."),
            ("nyt", "Mr. Trump said he was not starting a war with Congress over the wall in Kiev."),
            ("fox", "Trump said he was not starting a war with Congress over the border crisis in Kyiv."),
            ("fox", "The program shields some 800,000 illegal immigrants brought to the U.S. as children."),
            ("nyt", "The program protects undocumented immigrants brought to the country as children, and migrants."),
        ]
    )
    spelling, immigrants = (
        (sets[2][0], ("Kiev", "Kyiv")),
        (sets[3][0], ("illegal immigrants", "undocumented immigrants")),
    )
    assert listed.attested(sets, story, [(story[0], story[1])]) == [(sets[1][0], sets[1][1]), spelling, immigrants]
    separatists = (sets[1][0], ("pro-Russian militias", "Russian-backed separatists"))
    assert listed.attested(sets, story[:4], []) == [separatists, spelling]  # phrases of two outlets, not "war"
    assert listed.attested(sets, story, [(story[2], story[3])]) == [separatists, spelling, immigrants]
    assert listed.attested(sets, story[2:4], [], [["war", "conflict"]]) == [(sets[0][0], sets[0][1]), spelling]


@pytest.fixture(scope="module")
def emergency(embedder, tmp_path_factory):
    """The three articles of the national emergency event, analysed with the defaults."""
    files = sorted((BASIL / "articles").rglob(f"{EMERGENCY}_*.json"))
    if not files:
        pytest.skip(f"BASIL not found at {BASIL}")
    from compare.ingest import load_corpus
    from compare.io.store import Store
    from compare.pipeline import analyze

    folder = tmp_path_factory.mktemp("emergency")
    for path in files:
        (folder / Path(path).name).write_bytes(path.read_bytes())
    return analyze(load_corpus([folder]), embedder=embedder, store=Store(folder / "store.sqlite3"))


def test_the_ukraine_list_is_not_offered_on_us_politics(emergency):
    """The story uses "invasion", "war" and "crisis" for the border, a virtual invasion and wars abroad, never as
    two outlets' words for one thing: neither its wording rows nor the corpus's word swaps offer the set."""
    framing = emergency.framing
    assert not [row for row in framing.referent_wordings if row.referent == "the war"]
    assert not [row for row in framing.word_swaps if row.label == "the war"]


def test_president_and_the_trump_administration_are_not_one_referent(emergency):
    groups: dict[tuple[str, str], set[str]] = {}
    for row in emergency.framing.referent_wordings:
        groups.setdefault((row.story_id, row.referent), set()).add(row.wording.lower())
    assert groups  # the story has referents
    assert not [group for group in groups.values() if {"president", "trump administration"} <= group]


def test_a_party_a_court_and_a_preposition_are_no_loaded_words():
    """BASIL's Steele story: "the Republican party" is a body, not VADER's celebration; "the Supreme Court" a name;
    "like" a preposition. "affront" stays evaluative, and "honor" (the outlet's choice of word) stays loaded."""
    from compare.framing.tone import loaded_words

    story = _statements(
        [
            (
                "nyt",
                "It’s an affront, both to the honor of the Republican party and to the commitment of the soldiers "
                "fighting to accomplish the mission they’ve been asked to take on by our elected leaders.",
            ),
            (
                "nyt",
                "The Supreme Court appeared closely divided on Tuesday during arguments over the theory put forth by "
                "the plaintiffs in an enormous sex discrimination class-action case against Wal-Mart.",
            ),
            (
                "fox",
                "Florida Sen. Marco Rubio took a positive view of Trump's proposed deal, like his fellow Republicans.",
            ),
        ]
    )
    loaded = {row.word.lower() for row in loaded_words(story)}
    assert {"party", "supreme", "like"}.isdisjoint(loaded)
    assert {"honor", "positive"} <= loaded
