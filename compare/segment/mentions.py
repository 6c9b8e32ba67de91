"""What a statement names, by kind: persons, places, typed numbers and years (from its spaCy entities).

Two reports of one event may word it differently but name the same people, places and figures;
two similar events (two earthquakes in one country) differ exactly there. ``compare.cluster``
counts such conflicts against the two being one event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})
_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD_NUMBERS = {
    word: value
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_ORDINALS = {
    word: value
    for value, word in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)
}
_UNIT_STOP = frozenset("of the a an and or to in on at for from by with as than more less about".split())
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


@dataclass(frozen=True)
class Mentions:
    """What a statement (or an article's lead) names, normalised, by kind."""

    persons: frozenset[str] = frozenset()  # surnames
    places: frozenset[str] = frozenset()  # GPE, LOC, FAC
    numbers: frozenset[tuple[str, float]] = frozenset()  # (kind, value); kind = label and unit, "CARDINAL:people"
    years: frozenset[int] = frozenset()  # four-digit years named in DATE entities
    names: frozenset[str] = frozenset()  # every name whatever its label, and person surnames (NER labels slip)

    def __bool__(self) -> bool:
        return bool(self.persons or self.places or self.numbers or self.years or self.names)


def normalise_name(text: str) -> str:
    """ "The White House's" -> "white house"."""
    text = re.sub(r"^(the|a|an)\s+", "", text.lower().strip())
    return text.replace("’s", "").replace("'s", "").strip(" .,\"'“”")


def parse_number(text: str) -> float | None:
    """ "nearly 100,000" -> 100000; "$1.5 billion" -> 1.5e9; "three" -> 3; "81st" -> 81; else None."""
    lowered = text.lower()
    found = re.search(r"\d[\d,]*(?:\.\d+)?", lowered)
    value: float | None = float(found.group().replace(",", "")) if found else None
    if value is None:
        for word in re.findall(r"[a-z]+", lowered):
            value = _WORD_NUMBERS.get(word, _ORDINALS.get(word))
            if value is not None:
                value = float(value)
                break
    if value is None:
        return None
    for word, factor in _MULTIPLIERS.items():
        if word in lowered:
            value *= factor
    return value


def number_kind(label: str, entity_text: str, sentence: str) -> str:
    """A number's label and unit: the noun after a bare count, or a quantity's last word.

    Numbers conflict only when of one kind ("12 people" vs "15 people"), never "12 people" vs "15 percent".
    """
    if label in {"MONEY", "PERCENT"}:
        return label
    if label == "QUANTITY":
        words = re.findall(r"[a-z]+", entity_text.lower())
        return f"{label}:{words[-1] if words else ''}"
    position = sentence.find(entity_text)
    after = sentence[position + len(entity_text) :] if position >= 0 else ""
    for word in re.findall(r"[A-Za-z]+", after)[:3]:
        lowered = word.lower()
        if lowered not in _UNIT_STOP:
            return f"{label}:{lowered.rstrip('s')}"
    return label


def mentions(entities: Iterable[tuple[str, str]], text: str) -> Mentions:
    """The persons, places, typed numbers and years of a statement's entities (``Statement.entities``)."""
    persons: set[str] = set()
    places: set[str] = set()
    years: set[int] = set()
    numbers: set[tuple[str, float]] = set()
    names: set[str] = set()
    for entity, label in entities:
        if label in NAME_LABELS:
            name = normalise_name(entity)
            names.update((name, name.split()[-1]) if name else ())
            if name and label == "PERSON":
                persons.add(name.split()[-1])
            elif name and label in PLACE_LABELS:
                places.add(name)
        elif label in NUMBER_LABELS:
            value = parse_number(entity)
            is_year = label == "CARDINAL" and value is not None and 1900 <= value <= 2099 and "," not in entity
            if value is not None and not is_year:
                numbers.add((number_kind(label, entity, text), value))
        elif label == "DATE":
            years.update(int(year) for year in _YEAR.findall(entity))
    return Mentions(frozenset(persons), frozenset(places), frozenset(numbers), frozenset(years), frozenset(names))


def merged(many: Sequence[Mentions]) -> Mentions:
    """The union of several statements' mentions (an article's lead)."""
    return Mentions(
        frozenset().union(*(found.persons for found in many)),
        frozenset().union(*(found.places for found in many)),
        frozenset().union(*(found.numbers for found in many)),
        frozenset().union(*(found.years for found in many)),
        frozenset().union(*(found.names for found in many)),
    )


def set_conflict(first: frozenset[str] | frozenset[int], second: frozenset[str] | frozenset[int]) -> bool:
    """Whether both sides name something of a kind and share none of it."""
    return bool(first) and bool(second) and not (first & second)


def number_conflict(
    first: frozenset[tuple[str, float]], second: frozenset[tuple[str, float]], tolerance: float = 0.01
) -> bool:
    """Whether both sides give a number of one kind (with a unit) and no value of that kind agrees within ``tolerance``."""
    if not first or not second:
        return False
    kinds_second: dict[str, list[float]] = {}
    for kind, value in second:
        kinds_second.setdefault(kind, []).append(value)
    kinds_first: dict[str, list[float]] = {}
    for kind, value in first:
        if kind in kinds_second and (":" in kind or kind in {"MONEY", "PERCENT"}):  # a bare count is too vague
            kinds_first.setdefault(kind, []).append(value)
    return any(
        not any(abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-9) for a in values for b in kinds_second[kind])
        for kind, values in kinds_first.items()
    )


def name_conflict(
    first: frozenset[str], second: frozenset[str], first_names: frozenset[str], second_names: frozenset[str]
) -> bool:
    """Whether both sides name persons (or places) and neither names, under any label, one the other names."""
    return bool(first) and bool(second) and not (first & second_names) and not (second & first_names)


def conflicts(first: Mentions, second: Mentions, across_labels: bool = False) -> int:
    """How many kinds (persons, places, numbers, years) two sides name without agreeing.

    With ``across_labels``, a person or place the other side names under another label agrees (spaCy
    tags "Minsk" a place in one sentence and an organisation in the next): for single sentences,
    where one slipped label decides; an article's lead names enough to do without.
    """
    first_names = first.names if across_labels else first.persons | first.places
    second_names = second.names if across_labels else second.persons | second.places
    return (
        name_conflict(first.persons, second.persons, first_names, second_names)
        + name_conflict(first.places, second.places, first_names, second_names)
        + number_conflict(first.numbers, second.numbers)
        + set_conflict(first.years, second.years)
    )
