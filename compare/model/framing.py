"""The framing tables of an analysis: a frozen row type per table, and ``Framing``, one field per analysis.json key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Self, get_args, get_origin, get_type_hints


@dataclass(frozen=True)
class Row:
    """A row of a framing table; its JSON form has one key per field, in field order, lists for tuples."""

    def to_dict(self) -> dict[str, Any]:
        """The row as it stands in analysis.json."""
        row = dict(self.__dict__)  # the fields, in order: rows are frozen and hold nothing else
        for name, (to_json, _) in _nested_fields(type(self)).items():
            row[name] = to_json(row[name])
        return row

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """The row of its analysis.json form (``to_dict``)."""
        return cls.rows_from_dicts([data])[0]

    @classmethod
    def rows_from_dicts(cls, table: Iterable[Mapping[str, Any]]) -> list[Self]:
        """The rows of a table of analysis.json, at a fraction of the cost of ``from_dict`` row by row.

        A row holding every field is filled in directly, without ``__init__`` (rows are frozen
        records with nothing to check); one lacking a field (an older run) goes through the
        constructor, which supplies the default or names what is missing.
        """
        nested = tuple(_nested_fields(cls).items())
        names = tuple(item.name for item in fields(cls))
        new, set_attribute = object.__new__, object.__setattr__
        rows: list[Self] = []
        for data in table:
            values = dict(data)
            for name, (_, from_json) in nested:
                if name in values:
                    values[name] = from_json(values[name])
            if tuple(values) == names:  # every field, in field order: what __init__ would have made
                row = new(cls)
                set_attribute(row, "__dict__", values)
                rows.append(row)
            else:
                rows.append(cls(**values))
        return rows

    @classmethod
    def writes_itself(cls) -> bool:
        """Whether the JSON form differs from the fields as they are (``to_dict`` overridden)."""
        return cls.to_dict is not Row.to_dict


Convert = Callable[[Any], Any]
_NESTED_FIELDS: dict[type, dict[str, tuple[Convert, Convert]]] = {}


def _nested_fields(row_type: type) -> dict[str, tuple[Convert, Convert]]:
    """The fields of a row type holding tuples or dicts, with their conversions to JSON values and back.

    Made once per type from its annotations (a few rows convert millions of times at scale).
    """
    if row_type not in _NESTED_FIELDS:
        hints = get_type_hints(row_type)
        found = {item.name: _conversions(hints[item.name]) for item in fields(row_type)}
        _NESTED_FIELDS[row_type] = {name: pair for name, pair in found.items() if pair is not None}
    return _NESTED_FIELDS[row_type]


def _conversions(hint: Any) -> tuple[Convert, Convert] | None:
    """(to JSON, from JSON) for a tuple or dict annotation, None for a plain JSON value."""
    origin, arguments = get_origin(hint), get_args(hint)
    if origin is tuple:
        inner = _conversions(arguments[0])
        if inner is None:  # tuples of plain values
            return list, tuple
        to_json, from_json = inner
        return (lambda value: [to_json(item) for item in value]), (lambda value: tuple(map(from_json, value)))
    if origin is dict:
        inner = _conversions(arguments[1])
        if inner is None:
            return dict, dict
        to_json, from_json = inner
        return (
            (lambda value: {key: to_json(item) for key, item in value.items()}),
            (lambda value: {key: from_json(item) for key, item in value.items()}),
        )
    return None


@dataclass(frozen=True)
class CoverageCell(Row):
    """Whether an outlet of a story reports a claim, and how close its wording is."""

    story_id: str
    cluster_id: str
    outlet: str
    status: str  # near-verbatim | paraphrase | absent
    similarity: float | None
    statement_ids: tuple[str, ...]


@dataclass(frozen=True)
class Omission(Row):
    """A claim of a story that an outlet of the story leaves out while another reports it."""

    outlet: str
    story_id: str
    cluster_id: str


@dataclass(frozen=True)
class Voice(Row):
    """An attributed statement: who speaks, and for which side."""

    statement_id: str
    outlet: str
    speaker: str | None
    side: str
    kind: str


@dataclass(frozen=True)
class VoiceShare(Row):
    """The share of an outlet's attributed statements that one side has."""

    outlet: str
    side: str
    count: int
    share: float


@dataclass(frozen=True)
class StoryVoiceShare(Row):
    """``VoiceShare`` within one story."""

    story_id: str
    outlet: str
    side: str
    count: int
    share: float


@dataclass(frozen=True)
class QuoteEdit(Row):
    """Two outlets quoting one speaker in one claim, and how the quoted words differ."""

    cluster_id: str
    speaker: str | None
    statement_ids: tuple[str, ...]
    diff: tuple[tuple[str, str], ...]  # ("=" | "-" | "+", words)


@dataclass(frozen=True)
class WordSwap(Row):
    """Competing wordings of one thing, and which outlets use which."""

    label: str
    terms: tuple[str, ...]
    outlets: dict[str, tuple[str, ...]]  # term -> outlets using it
    statement_ids: dict[str, tuple[str, ...]]  # term -> statements using it
    occurrences: int | None = None  # claims a swap recurs in: only in analyses before `referent_wordings` replaced them

    def to_dict(self) -> dict[str, Any]:
        """The row as it stands in analysis.json (``occurrences`` only on swaps found in the data)."""
        row = super().to_dict()
        if self.occurrences is None:
            del row["occurrences"]
        return row


@dataclass(frozen=True)
class ReferentWording(Row):
    """How an outlet names one actor or concept of a story with one wording: how often, and in which statements.

    One row per (story, referent, wording, outlet). ``source`` says where the referent comes from:
    "found" (noun phrases that aligned statements of different outlets put in the same place;
    ``referent`` is then its most used wording) or "listed" (a set of ``word_swaps.csv``, whose
    label ``referent`` is).
    """

    story_id: str
    referent: str
    wording: str
    outlet: str
    count: int  # mentions of the wording in the outlet's statements of the story
    statement_ids: tuple[str, ...]  # those statements, in corpus order
    source: str  # found | listed


@dataclass(frozen=True)
class WordDifference(Row):
    """A statement's word differences from the closest other outlet's statement of its claim, when the two word one
    fact differently (``compare.framing.rewording``)."""

    statement_id: str
    other_statement_id: str
    similarity: float
    removed: tuple[str, ...]  # pieces of the other statement with a content word this one uses in no form
    added: tuple[str, ...]  # its own pieces with a content word the other uses in no form


@dataclass(frozen=True)
class LoadedWord(Row):
    """An evaluative word of a statement (a strong VADER valence), with its character span."""

    statement_id: str
    outlet: str
    word: str
    valence: float
    start: int
    end: int


@dataclass(frozen=True)
class ExclusiveStatement(Row):
    """A statement of a multi-outlet story that no other outlet of the story reports."""

    statement_id: str
    outlet: str
    story_id: str


@dataclass(frozen=True)
class DistinctiveTerm(Row):
    """A term an outlet uses more than the others, corpus-wide (``story_id`` None) or in one story."""

    outlet: str
    story_id: str | None
    term: str
    z: float
    significant: bool


TONE_NEUTRAL_BAND = 0.05  # |tone| below this is neutral: VADER found no tone words, or they cancel (VADER's own band)
MIN_TONE_STATEMENTS = 3  # a mean tone over fewer statements is too few to read: one sentence is not a tone


@dataclass(frozen=True)
class StatementTone(Row):
    """The tone of one statement (VADER compound, -1 to 1)."""

    statement_id: str
    tone: float


@dataclass(frozen=True)
class ActorTone(Row):
    """The mean tone of what an outlet's statements say of one side's actors, over ``statements`` statements."""

    outlet: str
    actor: str
    tone: float
    statements: int
    sparse: bool = False  # fewer than 3 statements: shown, but too few to read a tone from
    toned: int | None = None  # statements with a tone outside the neutral band; 0: no tone words (None: older runs)


@dataclass(frozen=True)
class StatementFrame(Row):
    """The frame of one statement."""

    statement_id: str
    frame: str


@dataclass(frozen=True)
class FrameShare(Row):
    """The share of an outlet's statements that take one frame."""

    outlet: str
    frame: str
    count: int
    share: float


@dataclass(frozen=True)
class EntityMentions(Row):
    """Where an outlet names an entity: headlines, ledes, later statements."""

    outlet: str
    entity: str
    label: str
    headline: int
    lede: int
    later: int
    mentions: int


@dataclass(frozen=True)
class Placement(Row):
    """Where an outlet places its statement of a claim: headline, lede, body or end."""

    cluster_id: str
    outlet: str
    article_id: str
    statement_id: str
    position: str


@dataclass(frozen=True)
class SyndicatedPair(Row):
    """Two articles where one copies or lightly rewrites the other."""

    article_ids: tuple[str, str]
    outlets: tuple[str, str]
    jaccard: float
    containment: float


def _table(row_type: type[Row], *, exported: bool = False) -> Any:
    """A ``Framing`` field holding rows of ``row_type``; ``exported`` tables are written as CSV by ``analyze --export``."""
    return field(default_factory=list, metadata={"row": row_type, "exported": exported})


@dataclass(frozen=True)
class Framing:
    """Every framing table of an analysis; the fields, in order, are the framing keys of analysis.json."""

    coverage: list[CoverageCell] = _table(CoverageCell, exported=True)
    omissions: list[Omission] = _table(Omission, exported=True)
    voices: list[Voice] = _table(Voice, exported=True)
    voice_share: list[VoiceShare] = _table(VoiceShare, exported=True)
    voice_share_by_story: list[StoryVoiceShare] = _table(StoryVoiceShare)
    quote_edits: list[QuoteEdit] = _table(QuoteEdit)
    word_swaps: list[WordSwap] = _table(WordSwap, exported=True)
    referent_wordings: list[ReferentWording] = _table(ReferentWording, exported=True)
    word_differences: list[WordDifference] = _table(WordDifference)
    loaded_words: list[LoadedWord] = _table(LoadedWord, exported=True)
    exclusive_statements: list[ExclusiveStatement] = _table(ExclusiveStatement)
    distinctive_terms: list[DistinctiveTerm] = _table(DistinctiveTerm, exported=True)
    tone: list[StatementTone] = _table(StatementTone, exported=True)
    tone_toward_actors: list[ActorTone] = _table(ActorTone, exported=True)
    frames: list[StatementFrame] = _table(StatementFrame, exported=True)
    frame_share: list[FrameShare] = _table(FrameShare, exported=True)
    entities: list[EntityMentions] = _table(EntityMentions, exported=True)
    prominence: list[Placement] = _table(Placement, exported=True)
    syndication: list[SyndicatedPair] = _table(SyndicatedPair)
    independent_origins: dict[str, int] = field(default_factory=dict)  # story id -> articles, copies counted once

    @staticmethod
    def keys() -> tuple[str, ...]:
        """The framing keys of analysis.json, in order."""
        return tuple(item.name for item in fields(Framing))

    @staticmethod
    def exported_tables() -> tuple[str, ...]:
        """The tables written as CSV files by ``analyze --export``, in order."""
        return tuple(item.name for item in fields(Framing) if item.metadata.get("exported"))

    @staticmethod
    def columns(key: str) -> tuple[str, ...]:
        """The columns of the framing table ``key``, in order: an exported CSV's header, also when it has no rows."""
        row_type = next(item.metadata["row"] for item in fields(Framing) if item.name == key)
        return tuple(item.name for item in fields(row_type))

    def to_dict(self) -> dict[str, Any]:
        """The framing keys of analysis.json."""
        found: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            found[item.name] = [row.to_dict() for row in value] if "row" in item.metadata else dict(value)
        return found

    def to_json_ready(self) -> dict[str, Any]:
        """``to_dict`` for orjson, which writes dataclass rows itself: the rows stay rows (no copy).

        orjson writes a dataclass as its fields in order and tuples as arrays, which is ``to_dict``;
        tables whose row type writes itself otherwise (``Row.writes_itself``) are converted.
        """
        found: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            row_type = item.metadata.get("row")
            if row_type is None:
                found[item.name] = dict(value)
            else:
                # a table read only when used (``compare.io.deferred``) is a sequence orjson does not write
                rows = value if isinstance(value, list) else list(value)
                found[item.name] = [row.to_dict() for row in rows] if row_type.writes_itself() else rows
        return found

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Framing:
        """The framing of an analysis.json (``to_dict``); keys an older run lacks are left empty."""
        found: dict[str, Any] = {}
        for item in fields(cls):
            if item.name not in data:
                continue
            value = data[item.name]
            found[item.name] = item.metadata["row"].rows_from_dicts(value) if "row" in item.metadata else dict(value)
        return cls(**found)
