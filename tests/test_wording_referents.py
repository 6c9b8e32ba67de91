"""Rules that keep a wording per referent a name of one thing, on real BASIL sentences (issue 15, branch words15d)."""

from __future__ import annotations

from compare.framing import descriptions, mentions
from compare.framing.variants import _TOKEN_RE, _classifying, variant_pairs
from compare.model.documents import Statement


def _story(sentences: list[tuple[str, str]]) -> list[Statement]:
    """Statements of the sentences, with the entities the shipped spaCy pipeline finds in them."""
    docs = mentions.parse(text for _, text in sentences)
    return [
        Statement(
            f"{outlet}:{number}",
            outlet,
            outlet,
            number,
            text,
            0,
            len(text),
            "narration",
            entities=tuple((entity.text, entity.label_) for entity in docs[text].ents),
        )
        for number, (outlet, text) in enumerate(sentences)
    ]


# Trump's offer on Dreamers for wall money (BASIL 70c75d68): Gillibrand calls the offer "a bad deal", twice.
_DEAL = [
    (
        "fox",
        "Another leading Dem, Sen. Kristen Gillibrand of New York, who announced her White House bid on Jan. 15 in an "
        'episode of "The Late Show with Stephen Colbert," said Trump\'s offer was a "bad deal."',
    ),
    ("fox", 'Gillibrand tweeted: "Then he shut down the government. This is a bad deal."'),
    ("fox", "Florida Sen. Marco Rubio took a positive view of Trump's proposed deal, like his fellow Republicans."),
    ("nyt", "And they said the deal was a nonstarter because it did not offer any permanent protections for Dreamers."),
    (
        "nyt",
        "But one reason Democrats are so leery of the deal is that they have been down this road with the president before.",
    ),
    ("nyt", "But that deal fell apart when hard-line White House advisers persuaded the president to back away."),
]


def _uses(text: str, phrase: str) -> bool:
    tokens = _TOKEN_RE.findall(text)
    words = phrase.split()
    at = next(i for i in range(len(tokens)) if tokens[i : i + len(words)] == words)
    return _classifying(tokens, at, at + len(words) - 1)


def test_a_phrase_that_says_what_kind_of_thing_something_is_names_nothing():
    """A predicate ("this is a bad deal") and a generic subject ("A secure border is vital", Perry's statement in the
    Arpaio story 0ffb34cd) classify; "A suspicious package was also found" (the pipe bomb story) names a package."""
    assert _uses('said Trump\'s offer was a "bad deal."', "bad deal")
    assert _uses(
        "A secure border is vital to protecting America's national security, public safety and jobs.", "secure border"
    )
    assert not _uses("A suspicious package was also found Friday in Burlingame, California.", "suspicious package")
    assert not _uses("called for the government to reopen without a border security deal.", "security deal")
    assert ("deal", "bad deal") not in variant_pairs(_story(_DEAL))
    # the same two uses naming the deal make a wording of it
    named = [
        (outlet, text.replace('was a "bad deal."', 'and the "bad deal."').replace("This is a bad deal", "The bad deal"))
        for outlet, text in _DEAL
    ]
    assert ("deal", "bad deal") in variant_pairs(_story(named))


# Trump on Flynn's guilty plea (BASIL 0c78e748): Fox's "the Flynn investigation", HuffPost's "Mueller's investigation".
_INVESTIGATION = [
    (
        "nyt",
        "Michael T. Flynn, Mr. Trump’s first national security adviser, pleaded guilty on Friday to lying to the F.B.I. "
        "when he was questioned early this year about his conversations with the Russian ambassador.",
    ),
    (
        "fox",
        "The president’s comments, made to reporters as he left Washington for a policy announcement in Utah, saw Trump "
        "wading deeper into the Flynn investigation even after a weekend tweet landed the White House in hot water.",
    ),
    (
        "fox",
        "That tweet immediately caused problems for the White House, as some legal experts said it potentially exposed "
        "the president to obstruction of justice allegations – since, according to the tweet, he would have known "
        "Flynn lied to agents when he allegedly asked Comey to lay off the Flynn investigation and later fired Comey.",
    ),
    (
        "nyt",
        "He was the fourth person charged in the investigation of Robert S. Mueller III, the special counsel appointed "
        "to lead an inquiry into Russia’s influence on the 2016 election and possible ties to Trump associates.",
    ),
    (
        "hpo",
        "Trump and his lawyer, John Dowd, now claim that the president already knew about Flynn lying to the FBI, "
        "renewing questions of whether Trump obstructed justice in the investigation.",
    ),
]
_MUELLER = (
    "hpo",
    "Flynn pleaded guilty on Friday for lying to the FBI in special counsel Robert Mueller’s investigation into possible "
    "collusion between Trump’s campaign and Russia, becoming the first former administration official to face charges "
    "in the probe.",
)


def test_a_noun_two_people_own_is_no_wording_of_one_of_them():
    """ "the Flynn investigation" is one of the story's investigations when another person's name is put on the noun,
    even once ("Robert Mueller's investigation"): the named form is then no wording of "investigation"."""
    assert ("investigation", "Flynn investigation") in variant_pairs(_story(_INVESTIGATION))
    assert ("investigation", "Flynn investigation") not in variant_pairs(_story([*_INVESTIGATION, _MUELLER]))


def test_a_name_read_as_an_apposition_in_a_relative_clause_is_not_described():
    """ "the president Blumenthal worked for" (HuffPost, 85475456) says nothing of what Blumenthal is; "Presumptive GOP
    presidential nominee Mitt Romney on Tuesday joined" (HuffPost, 08bb9bee) describes Romney."""
    texts = [
        "This is what comes of $16 million, a crack opposition research operation and an opponent who, in the words of "
        "the president Blumenthal worked for on a draft deferment, who gave them the sword.",
        "Presumptive GOP presidential nominee Mitt Romney on Tuesday joined a chorus of Republicans calling for Rep. "
        "Todd Akin (R-Mo.) to drop out of the U.S. Senate race in Missouri.",
    ]
    statements = _story([("hpo", text) for text in texts])
    found = descriptions.descriptions(statements, mentions.parse(texts), frozenset())
    described = {pair for pairs in found.values() for pair in pairs}
    assert not [pair for pair in described if pair[0] == "Blumenthal"]
    assert ("Mitt Romney", "Presumptive GOP presidential nominee") in described


def test_a_description_is_judged_the_same_whatever_else_the_corpus_holds(embedder):
    """ "presumptive Democratic challenger" (of Clinton, the Orlando story 76810849) was kept or dropped as an actor's
    description depending on which other phrases were embedded in the same batch (EVALUATION.md); each phrase is now
    embedded on its own."""
    alone = {("a", "a"): [("Clinton", "presumptive Democratic challenger")]}
    longer = "Republican National Committee new media aide who resigned after criticising the president's daughters"
    crowded = {**{key: list(pairs) for key, pairs in alone.items()}, ("b", "b"): [("Lauten", longer)]}
    descriptions.of_actors(alone, embedder)
    descriptions.of_actors(crowded, embedder)
    assert alone[("a", "a")] == crowded[("a", "a")]
