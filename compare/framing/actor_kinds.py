"""What kind of actor a wording names in a story: a person, or a body (an organisation, a person's administration)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from compare.framing.mentions import Pair
from compare.framing.names import HONORIFICS
from compare.model.documents import Statement

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’.-]*")
_PERSON, _BODY = "person", "body"
# Head nouns of a body that a person leads or belongs to. Not every common noun behind a name: "the elder Cheney
# daughter" is a person, "Clinton's lawyer" another person.
BODY_HEADS = frozenset(
    "administration government ministry department agency committee commission council campaign party court "
    "office cabinet caucus house senate congress".split()
)


class StoryActors:
    """The story's people (the words of their names), the titles it puts before them and the bodies it names.

    All read from the story's own text and entities: "President Trump" makes "president" a title of a
    person, "the White House" (an ORG entity) a body.
    """

    def __init__(self, statements: Sequence[Statement]) -> None:
        self.name_words: set[str] = set()
        self.titles: set[str] = set()
        self.bodies: set[str] = set()
        lower_words = {word for s in statements for word in _WORD_RE.findall(s.text) if word.islower()}
        for statement in statements:
            for text, label in statement.entities:
                words = [_bare(word) for word in _WORD_RE.findall(text)]
                if label == "ORG":
                    self.bodies.add(_normal(text))
                if label != "PERSON" or not words:
                    continue
                # A title NER took into the name ("President Trump"): a capitalised word the story also writes
                # in lower case ("the president"), which no first name is.
                if len(words) >= 2 and words[0].lower() in lower_words:
                    self.titles.add(words[0].lower())
                    words = words[1:]
                self.name_words.update(words)
                at = statement.text.find(text)
                before = _WORD_RE.findall(statement.text[:at])[-1:] if at > 0 else []
                if before and before[0][:1].isupper() and _bare(before[0]) not in self.name_words:
                    self.titles.add(before[0].lower().rstrip("."))  # "President" of "President Trump", "Sen."

    def kind(self, wording: str) -> str | None:
        """``person`` for a person's name or title ("Trump", "the president"), ``body`` for an organisation
        the story names or a wording headed by a body's noun ("the White House", "the Trump administration"),
        else None."""
        words = [_bare(word) for word in _WORD_RE.findall(wording)]
        words = [word for word in words if word.lower().rstrip(".") not in HONORIFICS or len(words) == 1]
        if not words:
            return None
        head = words[-1]
        if head in self.name_words or head.lower().rstrip(".") in self.titles:
            return _PERSON  # before the bodies: NER reads a surname alone as an ORG now and then
        if _normal(wording) in self.bodies:
            return _BODY
        if head.lower() in BODY_HEADS:
            return _BODY  # "the Trump administration", "the Obama campaign": a body, not the person who leads it
        return None


def same_kind(pairs: Iterable[Pair], statements: Sequence[Statement]) -> list[Pair]:
    """The pairs whose two wordings are not a person against a body ("president" / "Trump administration")."""
    actors = StoryActors(statements)
    kept = []
    for pair in pairs:
        kinds = {actors.kind(wording) for wording in pair}
        if kinds != {_PERSON, _BODY}:
            kept.append(pair)
    return kept


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s").rstrip(".")


def _normal(text: str) -> str:
    words = _WORD_RE.findall(text.lower())
    return " ".join(_bare(word) for word in (words[1:] if words[:1] == ["the"] else words))
