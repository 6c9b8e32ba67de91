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
    two tellings that both say "war" (one also "crisis", of something else) attest nothing, nor does a set used in
    no two tellings of one fact. A set of names (spellings of one place) needs no telling: "Kiev" is Kyiv anywhere."""
    sets = [
        ("the war", ("invasion", "war", "conflict", "crisis")),
        ("separatists", ("pro-Russian militias", "Russian-backed separatists", "separatists", "militias", "rebels")),
        ("Kyiv spelling", ("Kiev", "Kyiv")),
    ]
    story = _statements(
        [
            ("guardian", "Russian-backed separatists seized control of Ukraine's eastern Donbass in that year."),
            ("tass", "Pro-Russian militias seized control of Ukraine's eastern Donbass in that year."),
            ("nyt", "Mr. Trump said he was not starting a war with Congress over the wall."),
            ("fox", "Trump said he was not starting a war with Congress over the border crisis."),
        ]
    )
    assert listed.attested(sets, [(story[0], story[1])]) == [sets[1], sets[2]]
    assert listed.attested(sets, [(story[2], story[3])]) == [sets[2]]
    assert listed.attested(sets, []) == [sets[2]]
    assert listed.attested(sets, [], [["war", "conflict"]]) == [sets[0], sets[2]]  # a referent found holding two


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
