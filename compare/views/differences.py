"""A story's key differences between outlets, read from the framing tables: each with its counts and statements."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from compare.model.framing import MIN_TONE_STATEMENTS, TONE_NEUTRAL_BAND
from compare.model.names import by_name, name_key
from compare.views.story import cut_at_word

# Where a statement stands in its article, most prominent first (framing.prominence's positions).
POSITIONS = ("headline", "lede", "body", "end")
_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class StoryScope:
    """The rows of an analysis that belong to one story: its statements and the claims they are in."""

    story: dict[str, Any]
    statements: dict[str, dict[str, Any]]  # id -> statement, this story's only
    claims: dict[str, list[str]]  # claim id -> its statement ids in this story

    def claim_outlets(self, claim_id: str) -> list[str]:
        """The outlets that report a claim in this story, sorted."""
        return by_name(self.statements[sid]["outlet"] for sid in self.claims.get(claim_id, []))


def story_scope(analysis: dict[str, Any], story_id: str) -> StoryScope:
    """The statements and claims of one story (a ``KeyError`` names an id the analysis does not have)."""
    story = next((story for story in analysis["stories"] if story["id"] == story_id), None)
    if story is None:
        raise KeyError(story_id)
    story = {**story, "outlets": by_name(story["outlets"])}  # every part of the page lists them in this order
    members = set(story["article_ids"])
    statements = {s["id"]: s for s in analysis["statements"] if s["article_id"] in members}
    claims = {}
    for claim in analysis["clusters"]:
        inside = [sid for sid in claim["statement_ids"] if sid in statements]
        if inside:
            claims[claim["id"]] = inside
    return StoryScope(story, statements, claims)


def narrowed(scope: StoryScope, outlets: list[str] | None) -> StoryScope:
    """``scope`` with only the statements of ``outlets`` (the story page's "Outlets to compare"); all when none.

    So that the key differences between two chosen outlets neither count nor name a third one.
    """
    if not outlets:
        return scope
    chosen = set(outlets)
    statements = {sid: statement for sid, statement in scope.statements.items() if statement["outlet"] in chosen}
    claims = {
        claim_id: inside
        for claim_id, ids in scope.claims.items()
        if (inside := [sid for sid in ids if sid in statements])
    }
    story = {**scope.story, "outlets": [outlet for outlet in scope.story["outlets"] if outlet in chosen]}
    return StoryScope(story, statements, claims)


@dataclass(frozen=True)
class KeyDifferences:
    """What tells a story's outlets apart; every list holds plain rows ready to show, with statement ids."""

    omissions: list[dict[str, Any]] = field(default_factory=list)
    wording: list[dict[str, Any]] = field(default_factory=list)
    phrasings: list[dict[str, Any]] = field(default_factory=list)
    voices: list[dict[str, Any]] = field(default_factory=list)
    speakers: list[dict[str, Any]] = field(default_factory=list)
    prominence: list[dict[str, Any]] = field(default_factory=list)
    quote_edits: list[dict[str, Any]] = field(default_factory=list)
    loaded_words: list[dict[str, Any]] = field(default_factory=list)
    tone: list[dict[str, Any]] = field(default_factory=list)
    actor_tone: list[dict[str, Any]] = field(default_factory=list)


def key_differences(analysis: dict[str, Any], scope: StoryScope) -> KeyDifferences:
    """The story's omissions, wordings, voices, placements, quote edits, loaded words and tones."""
    return KeyDifferences(
        omissions=omission_rows(analysis, scope),
        wording=wording_rows(analysis, scope),
        phrasings=phrasing_rows(analysis, scope),
        voices=[
            {"outlet": row["outlet"], "side": row["side"], "count": row["count"], "share": row["share"]}
            for row in analysis.get("voice_share_by_story", [])
            if row["story_id"] == scope.story["id"] and row["outlet"] in scope.story["outlets"]
        ],
        speakers=speaker_rows(analysis, scope),
        prominence=prominence_rows(analysis, scope),
        quote_edits=quote_edit_rows(analysis, scope),
        loaded_words=loaded_word_rows(analysis, scope),
        tone=tone_rows(analysis, scope),
        actor_tone=actor_tone_rows(analysis, scope),
    )


def quote_edit_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Quotes of one speaker that two outlets word differently, each statement paired once with each other outlet.

    The framing table pairs every statement of a claim with every other outlet's: where each of two outlets quotes
    Trump twice, that is four pairs, two of them different quotes, and BASIL's story page listed "Trump: Fox News vs
    HuffPost" five times, one of them two word-for-word identical quotes. Here each statement keeps its closest
    counterpart (most words in common), and a pair with no word of difference is no edit.

    Returns:
        The edits, with the outlet of each quote (the diff's "-" words are the first's, "+" the second's) and
        ``quote``, the first quote's opening words, which tell apart two edits of one speaker.
    """
    edits = [
        {**edit, "outlets": [scope.statements[sid]["outlet"] for sid in edit["statement_ids"]]}
        for edit in analysis.get("quote_edits", [])
        if edit["cluster_id"] in scope.claims
        and all(sid in scope.statements for sid in edit["statement_ids"])
        and any(mark != "=" and _WORD.search(words) for mark, words in edit["diff"])
    ]
    paired: set[tuple[str, str]] = set()  # (statement, the other outlet) already in a kept edit
    kept = set()
    for number in sorted(range(len(edits)), key=lambda number: -_shared_share(edits[number]["diff"])):
        (first, second), (first_outlet, second_outlet) = edits[number]["statement_ids"], edits[number]["outlets"]
        if (first, second_outlet) not in paired and (second, first_outlet) not in paired:
            paired |= {(first, second_outlet), (second, first_outlet)}
            kept.add(number)
    return [  # in the table's order
        {**edit, "quote": quote_opening(scope.statements[edit["statement_ids"][0]]["text"])}
        for number, edit in enumerate(edits)
        if number in kept
    ]


def _shared_share(diff: list[list[str]]) -> float:
    """The share of a quote edit's characters that both quotes have."""
    total = sum(len(words) for _, words in diff) or 1
    return sum(len(words) for mark, words in diff if mark == "=") / total


_QUOTED = re.compile(r"[\"“]([^\"“”]{12,})[\"”]")


def quote_opening(text: str, length: int = 48) -> str:
    """The opening words of the quote in a statement (of the statement when it quotes nothing), cut at a word."""
    quoted = _QUOTED.search(text)
    words = (quoted.group(1) if quoted else text).strip(" ,.;:")
    return cut_at_word(words, length + 1)  # the words' first ``length`` characters, then "…"


def omission_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Facts only some outlets report: per claim, who reports it, who leaves it out, and its first statement."""
    missing: dict[str, list[str]] = {}
    outlets = set(scope.story["outlets"])  # an outlet left out of a narrowed scope is not named
    for row in analysis.get("omissions", []):
        if row["story_id"] == scope.story["id"] and row["cluster_id"] in scope.claims and row["outlet"] in outlets:
            missing.setdefault(row["cluster_id"], []).append(row["outlet"])
    rows = []
    for claim_id, absent in missing.items():
        first = min((scope.statements[sid] for sid in scope.claims[claim_id]), key=lambda s: s["index"])
        rows.append(
            {
                "claim_id": claim_id,
                "reported_by": scope.claim_outlets(claim_id),
                "missing_from": by_name(absent),
                "statements": len(scope.claims[claim_id]),
                "text": first["text"],
                "statement_id": first["id"],
                "index": first["index"],
            }
        )
    return sorted(rows, key=lambda row: (-len(row["reported_by"]), row["index"]))


def wording_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Competing words for one thing used in this story: per word, its outlets and statement counts.

    From ``referent_wordings`` (per story; analyses that have it) and from ``word_swaps`` (corpus-wide,
    narrowed to this story's statements); a thing named in both is listed once.
    """
    rows = _referent_rows(analysis, scope)
    named = {row["label"].lower() for row in rows}
    for swap in analysis.get("word_swaps", []):
        used = {term: [sid for sid in ids if sid in scope.statements] for term, ids in swap["statement_ids"].items()}
        used = {term: ids for term, ids in used.items() if ids}
        if len(used) < 2 or swap["label"].lower() in named:
            continue
        rows.append(
            {
                "label": swap["label"],
                "terms": [
                    {
                        "term": term,
                        "outlets": dict(Counter(scope.statements[sid]["outlet"] for sid in ids)),
                        "statement_ids": ids,
                    }
                    for term, ids in sorted(used.items(), key=lambda item: -len(item[1]))
                ],
            }
        )
    return rows


def _referent_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """This story's ``referent_wordings`` (one row per referent, wording, outlet) as wording rows."""
    wordings: dict[str, dict[str, dict[str, Any]]] = {}
    for row in analysis.get("referent_wordings", []):
        if row["story_id"] != scope.story["id"] or row["outlet"] not in scope.story["outlets"]:
            continue
        term = wordings.setdefault(row["referent"], {}).setdefault(
            row["wording"], {"term": row["wording"], "outlets": {}, "statement_ids": []}
        )
        term["outlets"][row["outlet"]] = term["outlets"].get(row["outlet"], 0) + row["count"]
        term["statement_ids"] += [sid for sid in row["statement_ids"] if sid in scope.statements]
    return [
        {"label": referent, "terms": sorted(terms.values(), key=lambda term: -sum(term["outlets"].values()))}
        for referent, terms in wordings.items()
        if len(terms) >= 2 and all(term["statement_ids"] for term in terms.values())
    ]


def phrasing_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Shared facts worded differently: per pair of statements of two outlets, the words each uses that the other does not.

    Each pair once (the word-differences table holds both directions), the closest pairs first.
    """
    rows = []
    seen: set[tuple[str, str]] = set()
    claim_of = {sid: claim_id for claim_id, ids in scope.claims.items() for sid in ids}
    for row in analysis.get("word_differences", []):
        one, other = row["statement_id"], row["other_statement_id"]
        if one not in scope.statements or other not in scope.statements or (other, one) in seen:
            continue
        if not (_says(row["added"]) and _says(row["removed"])):
            continue  # one side only punctuation or nothing: not two wordings of one thing
        if scope.statements[one]["outlet"] == scope.statements[other]["outlet"]:
            continue
        seen.add((one, other))
        rows.append(
            {
                "statement_id": one,
                "outlet": scope.statements[one]["outlet"],
                "words": list(row["added"]),
                "other_statement_id": other,
                "other_outlet": scope.statements[other]["outlet"],
                "other_words": list(row["removed"]),
                "similarity": row["similarity"],
                "claim_id": claim_of.get(one),  # the shared fact both state (a fact may have several pairs)
            }
        )
    return sorted(rows, key=lambda row: -row["similarity"])


def _says(phrases: list[str]) -> bool:
    """Whether phrases hold a word (three letters or more), not just quotes, dots and initials."""
    return any(_WORD.search(phrase) for phrase in phrases)


def speaker_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Who each outlet quotes or cites in this story, and how often (most quoted first), one row per person.

    A surname alone counts as the one full name of the story that ends with it: a later mention of a person
    names them by surname, and the page read "Trump 5, Donald Trump 2", "Mulvaney 2, Mick Mulvaney 1" as if four
    people spoke. A surname that several full names end with ("Cheney": Mary, Liz) stays. A person's side is
    the one most of their statements give (the speaker table may give one person two).
    """
    voices = [v for v in analysis.get("voices", []) if v["statement_id"] in scope.statements and v.get("speaker")]
    full_names = _full_names({voice["speaker"] for voice in voices})
    sides: dict[tuple[str, str], Counter[str]] = {}
    for voice in voices:
        speaker = full_names.get(voice["speaker"], voice["speaker"])
        sides.setdefault((voice["outlet"], speaker), Counter())[voice["side"]] += 1
    rows = [
        {"outlet": outlet, "speaker": speaker, "side": said.most_common(1)[0][0], "statements": sum(said.values())}
        for (outlet, speaker), said in sides.items()
    ]
    return sorted(rows, key=lambda row: (name_key(row["outlet"]), -row["statements"]))


def _full_names(speakers: set[str]) -> dict[str, str]:
    """Surname -> the one full name among ``speakers`` ending with it: "Trump" -> "Donald Trump"."""
    full = [name for name in speakers if " " in name and _is_name(name)]
    found = {}
    for surname in speakers:
        ending = [name for name in full if name.endswith(" " + surname)]
        if " " not in surname and _is_name(surname) and len(ending) == 1:
            found[surname] = ending[0]
    return found


def _is_name(text: str) -> bool:
    """A person's name as a parser gives it: capitalised words only ("Donald Trump", not "spokeswoman for Mr. X")."""
    return all(word[:1].isupper() for word in text.split())


def prominence_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Shared facts (two or more outlets) and where each outlet places them; placed differently first."""
    placed: dict[str, dict[str, str]] = {}
    for row in analysis.get("prominence", []):
        if row["statement_id"] in scope.statements and row["cluster_id"] in scope.claims:
            positions = placed.setdefault(row["cluster_id"], {})
            best = positions.get(row["outlet"])
            if best is None or POSITIONS.index(row["position"]) < POSITIONS.index(best):
                positions[row["outlet"]] = row["position"]
    rows = [
        {"claim_id": claim_id, "positions": positions, "differs": len(set(positions.values())) > 1}
        for claim_id, positions in placed.items()
        if len(positions) >= 2
    ]
    return sorted(rows, key=lambda row: (not row["differs"], claim_rank(row["positions"])))


def claim_rank(positions: dict[str, str]) -> int:
    """How prominent a claim is: its most prominent placement (0 headline … 3 end)."""
    return min((POSITIONS.index(position) for position in positions.values()), default=len(POSITIONS))


def loaded_word_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Evaluative words per outlet in this story, with how often each is used."""
    counts: Counter[tuple[str, str]] = Counter()
    valence: dict[str, float] = {}
    for row in analysis.get("loaded_words", []):
        if row["statement_id"] in scope.statements:
            word = row["word"].lower()
            counts[(row["outlet"], word)] += 1
            valence[word] = row["valence"]
    return [
        {"outlet": outlet, "word": word, "count": count, "valence": valence[word]}
        for (outlet, word), count in sorted(
            counts.items(), key=lambda item: (name_key(item[0][0]), -item[1], item[0][1])
        )
    ]


def actor_tone_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Tone toward the actors (sides) this story quotes, per outlet across its articles, with n.

    The tone table is corpus-wide; sides this story never quotes would say nothing about it.
    """
    sides = {row["side"] for row in analysis.get("voices", []) if row["statement_id"] in scope.statements}
    return [
        {**row, "n": row["statements"], "sparse": row.get("sparse", row["statements"] < MIN_TONE_STATEMENTS)}
        for row in analysis.get("tone_toward_actors", [])
        if row["outlet"] in scope.story["outlets"] and row["actor"] in sides
    ]


def tone_rows(analysis: dict[str, Any], scope: StoryScope) -> list[dict[str, Any]]:
    """Each outlet's mean statement tone in this story, with n (its statements) and how many have a tone."""
    tones: dict[str, list[float]] = {}
    by_statement = {row["statement_id"]: row["tone"] for row in analysis.get("tone", [])}
    for sid, statement in scope.statements.items():
        if sid in by_statement:
            tones.setdefault(statement["outlet"], []).append(by_statement[sid])
    return [
        {
            "outlet": outlet,
            "tone": sum(found) / len(found),
            "n": len(found),
            "sparse": len(found) < MIN_TONE_STATEMENTS,
            "toned": sum(1 for value in found if abs(value) >= TONE_NEUTRAL_BAND),
        }
        for outlet, found in sorted(tones.items(), key=lambda item: name_key(item[0]))
    ]


def tone_figure(value: float, n: int, toned: int | None = None) -> str:
    """A mean tone as a reader should take it, always with n: ``-0.39 (n=5, 3 with tone words)``.

    Statements none of which has a tone outside VADER's neutral band read "neutral", not a measured
    balance of +0.00: "no tone words" when every score is 0, "faint tone words only" otherwise.
    ``toned`` is None for analyses made before it was counted: then the mean and n only.
    """
    if toned == 0:
        return f"neutral, {'no tone words' if value == 0 else 'faint tone words only'} (n={n})"
    value = 0.0 if abs(value) < 0.005 else value  # no "-0.00"
    return f"{value:+.2f} (n={n}{'' if toned is None else f', {toned} with tone words'})"
