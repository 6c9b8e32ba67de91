"""Per story and claim, per outlet: coverage and omissions, voices, word choice, tone, frames, entities, syndication."""

from __future__ import annotations

import csv
import difflib
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from compare.documents import Article, Cluster, Statement, Story

if TYPE_CHECKING:
    from compare.embed import Embedder
    from compare.pipeline import Analysis

DATA = Path(__file__).parent / "data"
NEAR_VERBATIM = 0.90  # cosine at or above which two outlets' statements are near-verbatim
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})
_WORD_DIFF_RE = re.compile(r"\w[\w'’-]*|[^\w\s]")


# ---------------------------------------------------------------- coverage and omissions


@dataclass(frozen=True)
class CoverageCell:
    """Whether an outlet of a story reports a claim, and how close its wording is."""

    story_id: str
    cluster_id: str
    outlet: str
    status: str  # near-verbatim | paraphrase | absent
    similarity: float | None
    statement_ids: tuple[str, ...]


def coverage_grid(
    stories: Sequence[Story], clusters: Sequence[Cluster], statements: Sequence[Statement], vectors: np.ndarray
) -> list[CoverageCell]:
    """Claims x outlets for every story with two or more outlets.

    A claim belongs to a story when one of the story's articles states it; each outlet of the
    story then reports it near-verbatim (cosine >= 0.90 to another outlet's statement of the
    claim), as a paraphrase, or not at all (an omission).
    """
    row_of = {statement.id: row for row, statement in enumerate(statements)}
    by_id = {statement.id: statement for statement in statements}
    story_by_id = {story.id: story for story in stories}
    cells = []
    for cluster in clusters:
        for story_id in cluster.story_ids:
            story = story_by_id.get(story_id)
            if story is None or len(story.outlets) < 2:
                continue
            in_story = set(story.article_ids)
            members = [by_id[sid] for sid in cluster.statement_ids if by_id[sid].article_id in in_story]
            for outlet in story.outlets:
                own = [member for member in members if member.outlet == outlet]
                others = [member for member in members if member.outlet != outlet]
                if not own:
                    cells.append(CoverageCell(story.id, cluster.id, outlet, "absent", None, ()))
                    continue
                best = None
                if others:
                    best = float(max(vectors[row_of[a.id]] @ vectors[row_of[b.id]] for a in own for b in others))
                status = "near-verbatim" if best is not None and best >= NEAR_VERBATIM else "paraphrase"
                cells.append(CoverageCell(story.id, cluster.id, outlet, status, best, tuple(m.id for m in own)))
    return cells


def omissions(cells: Iterable[CoverageCell | dict[str, Any]]) -> list[dict[str, str]]:
    """Claims of a story that an outlet of the story does not report, given another outlet does.

    Args:
        cells: the coverage grid, as cells or as their rows in analysis.json.
    """
    rows = [cell if isinstance(cell, dict) else cell.__dict__ for cell in cells]
    reported: dict[tuple[str, str], int] = Counter()
    for row in rows:
        if row["status"] != "absent":
            reported[(row["story_id"], row["cluster_id"])] += 1
    return [
        {"outlet": row["outlet"], "story_id": row["story_id"], "cluster_id": row["cluster_id"]}
        for row in rows
        if row["status"] == "absent" and reported[(row["story_id"], row["cluster_id"])] > 0
    ]


# ---------------------------------------------------------------- voices


@lru_cache(maxsize=4)
def load_sides(path: str | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Actor sides and their keywords, from ``compare/data/sides.csv`` or a user file."""
    with open(path or DATA / "sides.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("side")]
    return tuple(
        (row["side"], tuple(k.strip().lower() for k in row["keywords"].split(";") if k.strip())) for row in rows
    )


@lru_cache(maxsize=65536)
def side_of(speaker: str | None) -> str:
    """The side a speaker speaks for, by keywords (first match in the sides file wins)."""
    if not speaker:
        return "unattributed"
    lowered = speaker.lower()
    for side, keywords in load_sides():
        if any(re.search(rf"(?<![\w-]){re.escape(keyword)}(?![\w-])", lowered) for keyword in keywords):
            return side
    return "other"


def voices(statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """Who is quoted or cited: one row per attributed statement."""
    return [
        {
            "statement_id": statement.id,
            "outlet": statement.outlet,
            "speaker": statement.speaker,
            "side": side_of(statement.speaker),
            "kind": statement.kind,
        }
        for statement in statements
        if statement.speaker and statement.kind in {"quote", "reported"}
    ]


def voice_share(voice_rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per outlet, the share of its attributed statements that each side has."""
    totals = Counter(row["outlet"] for row in voice_rows)
    counts = Counter((row["outlet"], row["side"]) for row in voice_rows)
    return [
        {"outlet": outlet, "side": side, "count": count, "share": count / totals[outlet]}
        for (outlet, side), count in sorted(counts.items())
    ]


def voice_share_by_story(voice_rows: Sequence[dict[str, Any]], stories: Sequence[Story]) -> list[dict[str, Any]]:
    """Per story and outlet, the share of attributed statements that each side has."""
    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    rows: list[dict[str, Any]] = []
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in voice_rows:
        grouped[story_of.get(row["statement_id"].rsplit(":", 1)[0], "")].append(row)
    for story_id, members in sorted(grouped.items()):
        rows.extend({"story_id": story_id, **share} for share in voice_share(members))
    return rows


def quote_edits(clusters: Sequence[Cluster], statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """Where outlets quote the same speaker in one claim, how the quoted words differ."""
    by_id = {statement.id: statement for statement in statements}
    rows = []
    for cluster in clusters:
        quoted = [by_id[sid] for sid in cluster.statement_ids if by_id[sid].kind == "quote" and by_id[sid].speaker]
        for first_index, first in enumerate(quoted):
            for second in quoted[first_index + 1 :]:
                same_speaker = (
                    first.speaker and second.speaker and (first.speaker.split()[-1] == second.speaker.split()[-1])
                )
                if first.outlet != second.outlet and same_speaker:
                    rows.append(
                        {
                            "cluster_id": cluster.id,
                            "speaker": first.speaker,
                            "statement_ids": [first.id, second.id],
                            "diff": word_diff(first.text, second.text),
                        }
                    )
    return rows


# ---------------------------------------------------------------- word choice


def word_diff(first: str, second: str) -> list[tuple[str, str]]:
    """A readable word-level diff: ("=", text), ("-", only in first), ("+", only in second)."""
    a, b = _WORD_DIFF_RE.findall(first), _WORD_DIFF_RE.findall(second)
    pieces: list[tuple[str, str]] = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(("=", " ".join(a[a0:a1])))
        else:
            if a1 > a0:
                pieces.append(("-", " ".join(a[a0:a1])))
            if b1 > b0:
                pieces.append(("+", " ".join(b[b0:b1])))
    return pieces


@lru_cache(maxsize=4)
def load_swap_sets(path: str | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Sets of competing wordings, from ``compare/data/word_swaps.csv`` or a user file."""
    with open(path or DATA / "word_swaps.csv", encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = csv.DictReader(lines)
    return tuple(
        (row["label"], tuple(v.strip() for v in row["variants"].split(";") if v.strip()))
        for row in rows
        if row.get("label")
    )


SwapMatches = dict[str, dict[str, list[tuple[str, str]]]]  # label -> variant -> (statement id, outlet)


def swap_matches(statements: Sequence[Statement], matches: SwapMatches | None = None) -> SwapMatches:
    """Where each variant of each set of competing wordings occurs; added to ``matches`` when given."""
    matches = matches if matches is not None else {}
    for label, variants in load_swap_sets():
        ordered = sorted(
            variants, key=len, reverse=True
        )  # longest first: "special military operation" before "military operation"
        pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(v) for v in ordered) + r")(?![\w-])", re.IGNORECASE)
        canonical = {variant.lower(): variant for variant in variants}
        found = matches.setdefault(label, {})
        for statement in statements:
            for match in pattern.finditer(statement.text):
                found.setdefault(canonical[match.group(1).lower()], []).append((statement.id, statement.outlet))
    return matches


def swap_rows(matches: SwapMatches) -> list[dict[str, Any]]:
    """The rows of ``word_swaps`` from ``swap_matches``."""
    rows = []
    for label, variants in load_swap_sets():
        where = matches.get(label, {})
        used = [variant for variant in variants if where.get(variant)]
        if len(used) >= 2:
            rows.append(
                {
                    "label": label,
                    "terms": used,
                    "outlets": {variant: sorted({outlet for _, outlet in where[variant]}) for variant in used},
                    "statement_ids": {variant: [sid for sid, _ in where[variant]] for variant in used},
                }
            )
    return rows


def word_swaps(statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """Competing wordings used by the outlets: one row per set where two or more variants occur.

    Returns:
        Rows with ``label``, ``terms`` (the variants used), ``outlets`` (variant -> outlets using it)
        and ``statement_ids`` (variant -> statements), for sets used in two or more ways.
    """
    return swap_rows(swap_matches(statements))


def aligned_differences(
    clusters: Sequence[Cluster], statements: Sequence[Statement], vectors: np.ndarray
) -> list[dict[str, Any]]:
    """For each statement of a cross-outlet claim, its word differences from the closest other outlet's statement.

    Returns:
        Rows of ``statement_id, other_statement_id, similarity, removed`` (words of the other
        statement it does not use) and ``added`` (its own words the other does not use).
    """
    row_of = {statement.id: row for row, statement in enumerate(statements)}
    by_id = {statement.id: statement for statement in statements}
    rows = []
    for cluster in clusters:
        if len(cluster.outlets) < 2:
            continue
        members = [by_id[sid] for sid in cluster.statement_ids]
        for statement in members:
            others = [other for other in members if other.outlet != statement.outlet]
            if not others:
                continue
            similarities = [float(vectors[row_of[statement.id]] @ vectors[row_of[other.id]]) for other in others]
            best = int(np.argmax(similarities))
            diff = word_diff(others[best].text, statement.text)
            rows.append(
                {
                    "statement_id": statement.id,
                    "other_statement_id": others[best].id,
                    "similarity": round(similarities[best], 4),
                    "removed": [words for tag, words in diff if tag == "-"],
                    "added": [words for tag, words in diff if tag == "+"],
                }
            )
    return rows


def pair_substitutions(other_text: str, own_text: str) -> list[tuple[str, str]]:
    """Short substitutions between two close paraphrases: (their words, our words), one to three words each."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    a, b = _WORD_DIFF_RE.findall(other_text), _WORD_DIFF_RE.findall(own_text)
    found = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "replace" or not (1 <= a1 - a0 <= 3 and 1 <= b1 - b0 <= 3):
            continue
        theirs, ours = " ".join(a[a0:a1]), " ".join(b[b0:b1])
        if theirs.lower() == ours.lower() or all(
            w.lower() in ENGLISH_STOP_WORDS or not w.isalpha() for w in a[a0:a1] + b[b0:b1]
        ):
            continue
        found.append((theirs, ours))
    return found


def mined_swaps(
    differences: Sequence[dict[str, Any]],
    statements: Sequence[Statement],
    min_similarity: float = 0.75,
    min_occurrences: int = 2,
    substitutions: dict[tuple[str, str], list[tuple[str, str]]] | None = None,
) -> list[dict[str, Any]]:
    """Recurring wordings found in the data: short substitutions between close paraphrases of different outlets.

    A substitution counts when two outlets' statements of one claim (cosine >= ``min_similarity``)
    differ by one to three words on each side at the same place; it is reported when it recurs in
    ``min_occurrences`` or more claims. ``substitutions`` caches ``pair_substitutions`` per
    (statement id, other statement id) across runs.
    """
    cache = substitutions if substitutions is not None else {}
    by_id = {statement.id: statement for statement in statements}
    found: dict[frozenset[str], dict[str, Any]] = {}
    for row in differences:
        if row["similarity"] < min_similarity or row["statement_id"] > row["other_statement_id"]:
            continue  # each pair once
        pair = (row["statement_id"], row["other_statement_id"])
        mine, other = by_id[pair[0]], by_id[pair[1]]
        if pair not in cache:
            cache[pair] = pair_substitutions(other.text, mine.text)
        for theirs, ours in cache[pair]:
            key = frozenset({theirs.lower(), ours.lower()})
            entry = found.setdefault(
                key, {"outlets": defaultdict(set), "statement_ids": defaultdict(list), "claims": set()}
            )
            entry["outlets"][theirs].add(other.outlet)
            entry["outlets"][ours].add(mine.outlet)
            entry["statement_ids"][theirs].append(other.id)
            entry["statement_ids"][ours].append(mine.id)
            entry["claims"].add(pair)
    rows = []
    for entry in found.values():
        if len(entry["claims"]) < min_occurrences:
            continue
        terms = sorted(entry["outlets"])
        rows.append(
            {
                "label": "found in the data: " + " / ".join(terms),
                "terms": terms,
                "outlets": {term: sorted(outlets) for term, outlets in entry["outlets"].items()},
                "statement_ids": {term: ids for term, ids in entry["statement_ids"].items()},
                "occurrences": len(entry["claims"]),
            }
        )
    return sorted(rows, key=lambda row: -row["occurrences"])


def exclusive_statements(
    stories: Sequence[Story], clusters: Sequence[Cluster], statements: Sequence[Statement]
) -> list[dict[str, Any]]:
    """Statements of a multi-outlet story that no other outlet of the story reports (what one outlet adds)."""
    story_of = {article_id: story for story in stories for article_id in story.article_ids}
    by_id = {statement.id: statement for statement in statements}
    # (story, outlet) pairs that state each claim, shared by all statements of the claim.
    reporters_of: dict[str, set[tuple[str, str]]] = {}
    for cluster in clusters:
        reporters = {
            (story_of[by_id[sid].article_id].id, by_id[sid].outlet)
            for sid in cluster.statement_ids
            if by_id[sid].article_id in story_of
        }
        for sid in cluster.statement_ids:
            reporters_of[sid] = reporters
    rows = []
    for statement in statements:
        story = story_of.get(statement.article_id)
        if story is None or len(story.outlets) < 2:
            continue
        outlets = {outlet for story_id, outlet in reporters_of.get(statement.id, set()) if story_id == story.id}
        if not outlets - {statement.outlet}:
            rows.append({"statement_id": statement.id, "outlet": statement.outlet, "story_id": story.id})
    return rows


def tokens(text: str) -> list[str]:
    """Lower-case word unigrams and bigrams without English stop words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = [word.lower().replace("’", "'") for word in _TOKEN_RE.findall(text)]
    unigrams = [word for word in words if word not in ENGLISH_STOP_WORDS and len(word) > 1]
    bigrams = [
        f"{first} {second}"
        for first, second in zip(words, words[1:])
        if first not in ENGLISH_STOP_WORDS and second not in ENGLISH_STOP_WORDS
    ]
    return unigrams + bigrams


def log_odds_z(
    counts_by_group: dict[str, Counter[str]],
    prior: Counter[str],
    prior_scale: float | None = None,
    min_count: int = 2,
    groups: Iterable[str] | None = None,
    all_counts: Counter[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Weighted log-odds ratios with an informative Dirichlet prior, as z-scores (Monroe et al. 2008).

    Each group is compared with all other groups together. The prior is the corpus counts scaled to
    ``prior_scale`` pseudo-counts in all (default: a tenth of the corpus size).

    Args:
        groups: the groups to score (default: all).
        all_counts: the counts of all groups together, when already known (saves summing them).

    Returns:
        group -> term -> z, for terms the group used at least ``min_count`` times.
    """
    total_prior = sum(prior.values())
    scale = (prior_scale or 0.1 * total_prior) / max(total_prior, 1)
    alpha_0 = scale * total_prior
    if all_counts is None:
        all_counts = Counter()
        for counts in counts_by_group.values():
            all_counts.update(counts)
    n_all = all_counts.total()
    scores: dict[str, dict[str, float]] = {}
    for group in counts_by_group if groups is None else groups:
        counts = counts_by_group[group]
        n_group = counts.total()
        n_rest = n_all - n_group
        group_scores = {}
        for term, y_group in counts.items():
            if y_group < min_count:
                continue
            a = prior[term] * scale if term in prior else 0.01
            y_rest = all_counts[term] - y_group
            delta = math.log((y_group + a) / (n_group + alpha_0 - y_group - a)) - math.log(
                (y_rest + a) / (n_rest + alpha_0 - y_rest - a)
            )
            variance = 1 / (y_group + a) + 1 / (y_rest + a)
            group_scores[term] = delta / math.sqrt(variance)
        scores[group] = group_scores
    return scores


def outlet_term_counts(statements: Sequence[Statement], terms_of: dict[str, list[str]]) -> dict[str, Counter[str]]:
    """Per outlet, how often it uses each term (``tokens``) in these statements."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for statement in statements:
        counts[statement.outlet].update(terms_of[statement.id])
    return counts


def distinctive_rows(
    story_id: str | None,
    counts: dict[str, Counter[str]],
    prior: Counter[str],
    top: int = 25,
    outlets: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """The ``distinctive_terms`` rows of one scope (the corpus when ``story_id`` is None, else a story).

    For the corpus, ``prior`` is the sum of ``counts``; ``outlets`` limits the rows to those outlets.
    """
    if len(counts) < 2:
        return []
    rows: list[dict[str, Any]] = []
    all_counts = prior if story_id is None else None
    for outlet, scores in log_odds_z(counts, prior, groups=outlets, all_counts=all_counts).items():
        best = sorted(((z, term) for term, z in scores.items() if z > 0), reverse=True)[:top]
        rows.extend(
            {"outlet": outlet, "story_id": story_id, "term": term, "z": round(z, 3), "significant": z > 1.96}
            for z, term in best
        )
    return rows


def distinctive_terms(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    stories: Sequence[Story],
    top: int = 25,
    terms_of: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """Each outlet's most distinctive terms by log-odds z, corpus-wide (story_id None) and per story.

    Rows carry ``significant`` (z > 1.96); small corpora rarely reach it, so the top terms are kept.
    ``terms_of`` (statement id -> ``tokens``) saves tokenising again when given.
    """
    terms_of = terms_of if terms_of is not None else {s.id: tokens(s.text) for s in statements}
    prior: Counter[str] = Counter()
    for found in terms_of.values():
        prior.update(found)
    story_of = {article_id: story.id for story in stories for article_id in story.article_ids}
    rows = distinctive_rows(None, outlet_term_counts(statements, terms_of), prior, top)
    by_story: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        if statement.article_id in story_of:
            by_story[story_of[statement.article_id]].append(statement)
    for story in stories:
        if len(story.outlets) >= 2:
            rows.extend(distinctive_rows(story.id, outlet_term_counts(by_story[story.id], terms_of), prior, top))
    return rows


# ---------------------------------------------------------------- tone


@lru_cache(maxsize=1)
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(text: str) -> float:
    """VADER compound score in [-1, 1] (a general-purpose lexicon; see docs/framing.md for its limits)."""
    return float(_vader().polarity_scores(text)["compound"])


LOADED_VALENCE = 1.5  # |VADER valence| from which a word counts as loaded (the lexicon spans -4 to 4)


def loaded_words(statements: Sequence[Statement], min_valence: float = LOADED_VALENCE) -> list[dict[str, Any]]:
    """Evaluative words each statement uses (VADER lexicon entries with |valence| >= ``min_valence``).

    On BASIL, words inside annotated lexical-bias spans are about four times as often loaded in this
    sense as words overall (EVALUATION.md), so these are the word choices worth a reader's look.
    """
    lexicon = _vader().lexicon
    rows = []
    for statement in statements:
        for match in _TOKEN_RE.finditer(statement.text):
            valence = lexicon.get(match.group(0).lower())
            if valence is not None and abs(valence) >= min_valence:
                rows.append(
                    {
                        "statement_id": statement.id,
                        "outlet": statement.outlet,
                        "word": match.group(0),
                        "valence": valence,
                        "start": match.start(),
                        "end": match.end(),
                    }
                )
    return rows


ActorTones = dict[tuple[str, str], list[float]]  # (outlet, side) -> tones of the statements naming it


def actor_tones(
    statements: Sequence[Statement], tones: dict[str, float], found: ActorTones | None = None
) -> ActorTones:
    """The tones of the statements naming each side's actors, per outlet; added to ``found`` when given."""
    found = found if found is not None else defaultdict(list)
    for statement in statements:
        sides = {side_of(text) for text, label in statement.entities if label in {"PERSON", "ORG", "GPE", "NORP"}}
        for side in sides - {"other", "unattributed", "unnamed sources", "experts"}:
            found.setdefault((statement.outlet, side), []).append(tones[statement.id])
    return found


def actor_tone_rows(found: ActorTones) -> list[dict[str, Any]]:
    """The rows of ``tone_toward_actors`` from ``actor_tones``."""
    return [
        {"outlet": outlet, "actor": side, "tone": round(float(np.mean(values)), 4), "statements": len(values)}
        for (outlet, side), values in sorted(found.items())
    ]


def tone_toward_actors(statements: Sequence[Statement], tones: dict[str, float]) -> list[dict[str, Any]]:
    """Mean tone, per outlet, of the statements that name each side's actors."""
    return actor_tone_rows(actor_tones(statements, tones))


# ---------------------------------------------------------------- frames

# Cue words for the 15 frames of the Media Frames Corpus (Boydstun et al. 2014).
FRAME_CUES: dict[str, tuple[str, ...]] = {
    "economic": (
        "economy",
        "economic",
        "cost",
        "costs",
        "price",
        "prices",
        "budget",
        "tax",
        "taxes",
        "trade",
        "market",
        "jobs",
        "billion",
        "million",
        "dollar",
        "spending",
        "sanctions",
        "gas",
        "energy",
        "inflation",
        "savings",
    ),
    "capacity and resources": (
        "resources",
        "capacity",
        "shortage",
        "supplies",
        "supply",
        "equipment",
        "ammunition",
        "weapons",
        "troops",
        "staff",
        "funding",
        "deliveries",
        "munitions",
    ),
    "morality": (
        "moral",
        "immoral",
        "ethical",
        "evil",
        "shame",
        "religious",
        "god",
        "values",
        "conscience",
        "righteous",
        "sin",
    ),
    "fairness and equality": (
        "fair",
        "unfair",
        "equal",
        "equality",
        "inequality",
        "discrimination",
        "rights",
        "justice",
        "unjust",
        "bias",
    ),
    "legality": (
        "law",
        "legal",
        "illegal",
        "court",
        "constitution",
        "constitutional",
        "treaty",
        "agreement",
        "agreements",
        "ruling",
        "judge",
        "lawsuit",
        "legally",
        "guarantees",
        "integrity",
        "sovereignty",
    ),
    "policy prescription": (
        "policy",
        "plan",
        "proposal",
        "proposed",
        "should",
        "must",
        "measures",
        "strategy",
        "reform",
        "bill",
        "legislation",
        "solution",
        "solutions",
    ),
    "crime and punishment": (
        "crime",
        "criminal",
        "police",
        "arrest",
        "prison",
        "punish",
        "punishment",
        "terrorist",
        "terrorism",
        "attack",
        "killed",
        "murder",
        "sentenced",
    ),
    "security and defense": (
        "security",
        "military",
        "troops",
        "defense",
        "defence",
        "army",
        "war",
        "invasion",
        "invade",
        "nato",
        "forces",
        "drills",
        "exercises",
        "missile",
        "drones",
        "border",
        "threat",
        "attack",
        "airstrikes",
        "soldiers",
        "offensive",
    ),
    "health and safety": (
        "health",
        "safety",
        "disease",
        "hospital",
        "injured",
        "dead",
        "deaths",
        "killed",
        "medical",
        "virus",
        "casualties",
        "rescue",
    ),
    "quality of life": (
        "life",
        "lives",
        "families",
        "family",
        "living",
        "homes",
        "residents",
        "refugees",
        "panic",
        "worry",
        "daily",
    ),
    "cultural identity": (
        "culture",
        "cultural",
        "identity",
        "tradition",
        "heritage",
        "language",
        "nation",
        "national",
        "history",
        "historic",
    ),
    "public opinion": (
        "poll",
        "polls",
        "public",
        "voters",
        "protest",
        "protests",
        "opinion",
        "support",
        "popular",
        "outrage",
        "criticism",
    ),
    "political": (
        "political",
        "politics",
        "president",
        "minister",
        "election",
        "party",
        "parliament",
        "government",
        "diplomatic",
        "diplomacy",
        "talks",
        "negotiations",
        "summit",
        "dialogue",
        "lawmakers",
        "senate",
        "congress",
        "republicans",
        "democrats",
    ),
    "external regulation and reputation": (
        "international",
        "foreign",
        "allies",
        "alliance",
        "relations",
        "reputation",
        "global",
        "world",
        "western",
        "west",
        "eu",
        "un",
        "countries",
        "bilateral",
    ),
}


# The 15 frames of the Media Frames Corpus described after its codebook (Boydstun et al. 2014), with
# a few generic example sentences; a statement takes the frame whose description it is closest to.
FRAME_PROTOTYPES: dict[str, tuple[str, ...]] = {
    "economic": (
        "The costs, benefits, or monetary and financial implications of the issue, for individuals, businesses or the economy.",
        "The plan will cost taxpayers billions of dollars and hurt jobs and growth.",
        "Prices, trade, markets, taxes and budgets are affected.",
    ),
    "capacity and resources": (
        "The availability or lack of physical, geographical, human or financial resources, or the capacity of existing systems.",
        "There are not enough staff, supplies or funding to meet the demand.",
        "Shortages of equipment and resources strain the system.",
    ),
    "morality": (
        "Religious or ethical implications, moral duty, right and wrong.",
        "It is our moral obligation to do what is right; this is a matter of conscience and faith.",
    ),
    "fairness and equality": (
        "Equality or inequality in how laws, punishment, rewards and resources are distributed among individuals or groups; discrimination and rights.",
        "The rule discriminates against women and minorities and treats people unequally.",
    ),
    "legality": (
        "The legal, constitutional or jurisdictional aspects of an issue: court cases, laws, treaties, legal rights and liabilities.",
        "The court ruled that the law is unconstitutional; lawyers filed a lawsuit.",
        "The agreement is legally binding under international law.",
    ),
    "policy prescription": (
        "Particular policies proposed for addressing an identified problem, and whether they will work.",
        "The proposal would require agencies to adopt new rules; officials should change the policy.",
    ),
    "crime and punishment": (
        "Violation of laws, crime, law enforcement, sentencing and punishment.",
        "Police arrested the suspect, who faces charges and a prison sentence.",
        "Investigators said the defendant lied and committed fraud.",
    ),
    "security and defense": (
        "Threats to the security or welfare of a nation or people: military action, armed forces, war, terrorism, defense and border security.",
        "Troops, tanks and warplanes were deployed near the border for military exercises.",
        "Airstrikes and drone attacks hit the city; the army launched an offensive.",
    ),
    "health and safety": (
        "Health care, public health, disease, injury, sanitation, safety and casualties.",
        "The virus spread quickly and hospitals treated the injured.",
    ),
    "quality of life": (
        "The effects of a policy on individuals' wealth, mobility, daily routines, community life and happiness.",
        "Families worry about their homes, daily lives and their children's future.",
    ),
    "cultural identity": (
        "The social norms, traditions, customs, history and values of a social group or nation.",
        "The nation's history, language and traditions define who its people are.",
    ),
    "public opinion": (
        "The public's attitudes and opinions, polls, protests and the reaction of the general public.",
        "A poll found most voters oppose the plan; protesters marched and the public was outraged.",
    ),
    "political": (
        "Political considerations: partisan politics, elections, parties, lobbying, legislative maneuvering and deal making.",
        "Republicans and Democrats in Congress fought over the bill ahead of the election.",
        "The senator's party leaders rallied votes for the measure.",
    ),
    "external regulation and reputation": (
        "Relations between nations: diplomacy, international agreements, foreign policy, sanctions, summits and a country's international reputation.",
        "The two presidents held talks by phone about the crisis; foreign ministers met to seek a diplomatic solution.",
        "The allies imposed sanctions and the country was expelled from the international group.",
    ),
}
FRAME_FLOOR = 0.15  # below this cosine to every description a statement is "other"


_prototypes_by_model: dict[str, tuple[tuple[str, ...], np.ndarray]] = {}


def _frame_prototypes(embedder: Embedder) -> tuple[tuple[str, ...], np.ndarray]:
    """Frame description embeddings, computed once per model."""
    if embedder.name in _prototypes_by_model:
        return _prototypes_by_model[embedder.name]
    names = tuple(FRAME_PROTOTYPES)
    rows = []
    for name in names:
        vector = embedder.embed(list(FRAME_PROTOTYPES[name])).mean(axis=0)
        rows.append(vector / np.linalg.norm(vector))
    _prototypes_by_model[embedder.name] = (names, np.vstack(rows))
    return _prototypes_by_model[embedder.name]


def frames_by_prototype(vectors: np.ndarray, embedder: Embedder) -> list[str]:
    """The closest frame description for each statement embedding (same model), "other" below the floor."""
    if len(vectors) == 0:
        return []
    names, prototypes = _frame_prototypes(embedder)
    scores = vectors @ prototypes.T
    best = scores.argmax(axis=1)
    return [names[index] if scores[row, index] >= FRAME_FLOOR else "other" for row, index in enumerate(best)]


def frame_of(text: str) -> str:
    """The frame whose cue words occur most in the text; "other" when none does (the fallback without a model)."""
    words = Counter(word.lower() for word in _TOKEN_RE.findall(text))
    scores = {frame: sum(words[cue] for cue in cues) for frame, cues in FRAME_CUES.items()}
    best = max(scores.items(), key=lambda item: item[1])
    return best[0] if best[1] > 0 else "other"


def share_by_outlet(values: dict[str, str], statements: Sequence[Statement], key: str) -> list[dict[str, Any]]:
    """Per outlet, the share of statements with each value (a frame, say)."""
    return share_rows(Counter((statement.outlet, values[statement.id]) for statement in statements), key)


def share_rows(counts: Counter[tuple[str, str]], key: str) -> list[dict[str, Any]]:
    """The ``share_by_outlet`` rows from counts per (outlet, value)."""
    totals: Counter[str] = Counter()
    for (outlet, _), count in counts.items():
        totals[outlet] += count
    return [
        {"outlet": outlet, key: value, "count": count, "share": round(count / totals[outlet], 4)}
        for (outlet, value), count in sorted(counts.items())
    ]


# ---------------------------------------------------------------- entities and prominence


def position_of(statement: Statement, article_length: int) -> str:
    """lede (first two statements), end (last fifth), or body."""
    if statement.index < 2:
        return "lede"
    if article_length and statement.index >= article_length * 0.8:
        return "end"
    return "body"


EntityCounts = dict[tuple[str, str, str], Counter[str]]  # (outlet, entity, label) -> headline/lede/later


def entity_counts(
    articles: Sequence[Article],
    statements: Sequence[Statement],
    counts: EntityCounts | None = None,
    all_articles: Sequence[Article] | None = None,
    changed: set[tuple[str, str, str]] | None = None,
) -> EntityCounts:
    """Mentions per outlet and entity in headlines, ledes and later statements.

    With ``counts`` (those of earlier articles) given, the added ``articles`` and their
    ``statements`` are counted into it; a name new to an outlet is then looked for in the
    headlines of ``all_articles`` of that outlet, as a full count would. The keys counted into are
    added to ``changed`` when given.
    """
    changed = changed if changed is not None else set()
    counts = counts if counts is not None else defaultdict(Counter)
    known = set(counts)
    for statement in statements:
        where = "lede" if statement.index < 2 else "later"
        for text, label in statement.entities:
            if label in _ACTOR_LABELS:
                counts.setdefault((statement.outlet, text, label), Counter())[where] += 1
                changed.add((statement.outlet, text, label))
    names_by_outlet: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    new_by_outlet: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for key in counts:
        names_by_outlet[key[0]].append(key)
        if key not in known:
            new_by_outlet[key[0]].append(key)
    added_ids = {article.id for article in articles}
    for article in all_articles if all_articles is not None else articles:
        # An added headline is searched for every name; an older one only for names new to its outlet.
        keys = names_by_outlet if article.id in added_ids else new_by_outlet
        for key in keys.get(article.outlet, ()):
            if key[1] in article.title:
                counts[key]["headline"] += 1
                changed.add(key)
    return counts


def entity_rows(counts: EntityCounts) -> list[dict[str, Any]]:
    """The rows of ``entity_mentions`` from ``entity_counts``, by outlet, entity and label."""
    return [entity_row(key, found) for key, found in sorted(counts.items())]


def entity_row(key: tuple[str, str, str], found: Counter[str]) -> dict[str, Any]:
    """One row of ``entity_mentions``."""
    outlet, entity, label = key
    return {
        "outlet": outlet,
        "entity": entity,
        "label": label,
        "headline": found["headline"],
        "lede": found["lede"],
        "later": found["later"],
        "mentions": found["lede"] + found["later"],
    }


def entity_mentions(articles: Sequence[Article], statements: Sequence[Statement]) -> list[dict[str, Any]]:
    """Per outlet and entity: mentions in headlines, ledes and later statements."""
    return entity_rows(entity_counts(articles, statements))


def prominence(
    clusters: Sequence[Cluster],
    statements: Sequence[Statement],
    articles: Sequence[Article],
    lengths: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Where each outlet places each claim: headline, lede, body or end.

    A claim is in the headline when at least half of the title's content words occur in the
    statement; otherwise the statement's position decides (see ``position_of``). ``lengths``
    (statements per article) is needed when ``statements`` are not all of the articles' statements.
    """
    by_id = {statement.id: statement for statement in statements}
    title_words = {article.id: _content_words(article.title) for article in articles}
    length = lengths if lengths is not None else Counter(statement.article_id for statement in statements)
    rows = []
    for cluster in clusters:
        for statement_id in cluster.statement_ids:
            statement = by_id[statement_id]
            title = title_words.get(statement.article_id, set())
            in_headline = bool(title) and len(title & _content_words(statement.text)) >= 0.5 * len(title)
            rows.append(
                {
                    "cluster_id": cluster.id,
                    "outlet": statement.outlet,
                    "article_id": statement.article_id,
                    "statement_id": statement_id,
                    "position": "headline" if in_headline else position_of(statement, length[statement.article_id]),
                }
            )
    return rows


def _content_words(text: str) -> set[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return {word.lower() for word in _TOKEN_RE.findall(text) if word.lower() not in ENGLISH_STOP_WORDS}


# ---------------------------------------------------------------- syndication


MAX_SHINGLE_HOLDERS = 50  # a word 5-gram in more articles than this is boilerplate, not copying


@dataclass
class ShingleIndex:
    """The word 5-gram shingles of every article, hashed: (hash, article row) sorted by hash."""

    hashes: np.ndarray  # uint64, sorted
    owners: np.ndarray  # int64 article row of each hash
    sizes: np.ndarray  # int64 number of distinct shingles of each article


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct word 5-gram shingles of a text (lower-cased words), as 64-bit hashes (stable across runs)."""
    words = [word.lower() for word in _TOKEN_RE.findall(text)]
    if len(words) < 5:
        return np.zeros(0, dtype=np.uint64)
    ids = np.fromiter((zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words))
    hashes = np.zeros(len(words) - 4, dtype=np.uint64)
    for offset in range(5):
        hashes = (hashes * np.uint64(1099511628211)) ^ ids[offset : len(words) - 4 + offset]
    return np.unique(hashes)


def shingle_index(articles: Sequence[Article]) -> ShingleIndex:
    """The shingle index of articles (see ``syndication``)."""
    found = [shingle_hashes(article.text) for article in articles]
    hashes = np.concatenate(found) if found else np.zeros(0, dtype=np.uint64)
    owners = np.repeat(np.arange(len(found), dtype=np.int64), [len(item) for item in found])
    order = np.argsort(hashes, kind="stable")
    return ShingleIndex(hashes[order], owners[order], np.array([len(item) for item in found], dtype=np.int64))


def _pairs_in_runs(hashes: np.ndarray, owners: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """(first, second) article pairs sharing a hash held by 2 .. MAX_SHINGLE_HOLDERS articles, once per shared hash."""
    if not len(hashes):
        return np.zeros((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], hashes[1:] != hashes[:-1]]))
    lengths = np.diff(np.concatenate([starts, [len(hashes)]]))
    blocks = []
    for length in range(2, MAX_SHINGLE_HOLDERS + 1):
        chosen = starts[lengths == length]
        if not len(chosen):
            continue
        members = owners[chosen[:, None] + np.arange(length)]
        first, second = np.triu_indices(length, k=1)
        pairs = np.stack([members[:, first].ravel(), members[:, second].ravel()], axis=1)
        blocks.append(pairs if keep is None else pairs[keep[pairs].any(axis=1)])
    return np.concatenate(blocks) if blocks else np.zeros((0, 2), dtype=np.int64)


def syndicated_rows(
    articles: Sequence[Article], pairs: np.ndarray, sizes: np.ndarray, threshold: float = 0.5
) -> list[dict[str, Any]]:
    """The ``syndication`` rows of article pairs, given each shared shingle once per pair."""
    if not len(pairs):
        return []
    keys, shared = np.unique(pairs[:, 0] * len(articles) + pairs[:, 1], return_counts=True)
    rows = []
    for key, count in zip(keys.tolist(), shared.tolist()):
        first, second = divmod(key, len(articles))
        union = int(sizes[first] + sizes[second]) - count
        overlap = count / union if union else 0.0
        containment = count / max(1, int(min(sizes[first], sizes[second])))
        if overlap >= threshold or containment >= 0.8:
            rows.append(
                {
                    "article_ids": [articles[first].id, articles[second].id],
                    "outlets": [articles[first].outlet, articles[second].outlet],
                    "jaccard": round(overlap, 3),
                    "containment": round(containment, 3),
                }
            )
    return rows


def syndication(
    articles: Sequence[Article], threshold: float = 0.5, index: ShingleIndex | None = None
) -> list[dict[str, Any]]:
    """Pairs of articles that copy or lightly rewrite one another (Jaccard of word 5-gram shingles).

    Shingles held by more than ``MAX_SHINGLE_HOLDERS`` articles are boilerplate and are left out.
    Candidate pairs come from the sorted shingle hashes, so the cost follows the shared shingles,
    not the square of the corpus.
    """
    index = index or shingle_index(articles)
    pairs = _pairs_in_runs(index.hashes, index.owners)
    return syndicated_rows(articles, np.sort(pairs, axis=1), index.sizes, threshold)


def extend_shingle_index(
    index: ShingleIndex, articles: Sequence[Article], threshold: float = 0.5
) -> tuple[ShingleIndex, list[dict[str, Any]]]:
    """The index with the added articles (``articles[len(index.sizes):]``) and their new syndication rows.

    Pairs of older articles are not looked at again (a shingle passing ``MAX_SHINGLE_HOLDERS``
    holders through an added article would lower their counts; a full run counts that).
    """
    n_old = len(index.sizes)
    added = [shingle_hashes(article.text) for article in articles[n_old:]]
    new_hashes = np.concatenate(added) if added else np.zeros(0, dtype=np.uint64)
    new_owners = np.repeat(np.arange(n_old, len(articles), dtype=np.int64), [len(item) for item in added])
    # Only hashes an added article holds matter; take the old holders of those.
    wanted = np.unique(new_hashes)
    low = np.searchsorted(index.hashes, wanted, side="left")
    high = np.searchsorted(index.hashes, wanted, side="right")
    old_rows = np.concatenate([np.arange(lo, hi) for lo, hi in zip(low, high) if hi > lo] or [np.zeros(0, np.int64)])
    hashes = np.concatenate([index.hashes[old_rows], new_hashes])
    owners = np.concatenate([index.owners[old_rows], new_owners])
    order = np.lexsort((owners, hashes))
    hashes, owners = hashes[order], owners[order]
    keep = np.zeros(len(articles), dtype=bool)
    keep[n_old:] = True
    sizes = np.concatenate([index.sizes, np.array([len(item) for item in added], dtype=np.int64)])
    rows = syndicated_rows(articles, np.sort(_pairs_in_runs(hashes, owners, keep), axis=1), sizes, threshold)
    insert_at = np.searchsorted(index.hashes, new_hashes, side="right")
    extended = ShingleIndex(
        hashes=np.insert(index.hashes, insert_at, new_hashes),
        owners=np.insert(index.owners, insert_at, new_owners),
        sizes=sizes,
    )
    return extended, rows


def independent_origins(stories: Sequence[Story], syndicated: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Per story, the number of articles once copies are counted with their originals."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        while parent.get(item, item) != item:
            item = parent[item]
        return item

    for row in syndicated:
        first, second = row["article_ids"]
        parent[find(second)] = find(first)
    return {story.id: len({find(article_id) for article_id in story.article_ids}) for story in stories}


# ---------------------------------------------------------------- all together


@dataclass
class FramingIndex:
    """What framing keeps of a corpus so that added articles are framed without going over it again.

    See ``compare.incremental.extend_framing``.
    """

    outlet_terms: dict[str, Counter[str]]  # per outlet, its term counts (``tokens``)
    prior: Counter[str]  # term counts of the whole corpus
    actor_tones: ActorTones
    swaps: SwapMatches
    substitutions: dict[tuple[str, str], list[tuple[str, str]]]  # ``pair_substitutions`` per aligned pair
    entities: EntityCounts
    frame_counts: Counter[tuple[str, str]]  # (outlet, frame) -> statements
    shingles: ShingleIndex


def frames_of(statements: Sequence[Statement], vectors: np.ndarray, embedder: Embedder | None) -> dict[str, str]:
    """Each statement's frame: by frame descriptions with an embedder, else by cue words."""
    if embedder is not None:
        return dict(zip((s.id for s in statements), frames_by_prototype(vectors, embedder)))
    return {statement.id: frame_of(statement.text) for statement in statements}


def analyze_framing(analysis: Analysis, embedder: Embedder | None = None) -> dict[str, Any]:
    """Every framing figure of an analysis, as the JSON-ready keys added to analysis.json.

    Args:
        analysis: the core analysis.
        embedder: the model that embedded the statements; frames then come from frame descriptions
            (see EVALUATION.md), otherwise from cue words.
    """
    return framing_and_index(analysis, embedder)[0]


def framing_and_index(analysis: Analysis, embedder: Embedder | None = None) -> tuple[dict[str, Any], FramingIndex]:
    """``analyze_framing``, with the index that lets ``compare.incremental`` add articles later."""
    statements, clusters, stories = analysis.statements, analysis.clusters, analysis.stories
    cells = coverage_grid(stories, clusters, statements, analysis.vectors)
    tones = {statement.id: round(tone(statement.text), 4) for statement in statements}
    frames = frames_of(statements, analysis.vectors, embedder)
    voice_rows = voices(statements)
    shingles = shingle_index(analysis.articles)
    syndicated = syndication(analysis.articles, index=shingles)
    differences = aligned_differences(clusters, statements, analysis.vectors)
    substitutions: dict[tuple[str, str], list[tuple[str, str]]] = {}
    swaps = swap_matches(statements)
    terms_of = {statement.id: tokens(statement.text) for statement in statements}
    prior: Counter[str] = Counter()
    for found in terms_of.values():
        prior.update(found)
    found_tones = actor_tones(statements, tones)
    entities = entity_counts(analysis.articles, statements)
    frame_counts = Counter((statement.outlet, frames[statement.id]) for statement in statements)
    framing = {
        "coverage": [cell.__dict__ for cell in cells],
        "omissions": omissions(cells),
        "voices": voice_rows,
        "voice_share": voice_share(voice_rows),
        "voice_share_by_story": voice_share_by_story(voice_rows, stories),
        "quote_edits": quote_edits(clusters, statements),
        "word_swaps": swap_rows(swaps) + mined_swaps(differences, statements, substitutions=substitutions),
        "word_differences": differences,
        "loaded_words": loaded_words(statements),
        "exclusive_statements": exclusive_statements(stories, clusters, statements),
        "distinctive_terms": distinctive_terms(analysis.articles, statements, stories, terms_of=terms_of),
        "tone": [{"statement_id": sid, "tone": value} for sid, value in tones.items()],
        "tone_toward_actors": actor_tone_rows(found_tones),
        "frames": [{"statement_id": sid, "frame": frame} for sid, frame in frames.items()],
        "frame_share": share_rows(frame_counts, "frame"),
        "entities": entity_rows(entities),
        "prominence": prominence(clusters, statements, analysis.articles),
        "syndication": syndicated,
        "independent_origins": independent_origins(stories, syndicated),
    }
    index = FramingIndex(
        outlet_terms=dict(outlet_term_counts(statements, terms_of)),
        prior=prior,
        actor_tones=found_tones,
        swaps=swaps,
        substitutions=substitutions,
        entities=entities,
        frame_counts=frame_counts,
        shingles=shingles,
    )
    return framing, index
