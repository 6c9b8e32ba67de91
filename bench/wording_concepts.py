"""Concept recall and precision of ``referent_wordings`` against hand-annotated concepts (``bench/labels/``).

Usage:
    python bench/wording_concepts.py ../shared/corpora/basil/articles --store S.sqlite3 [--split dev|held-out|held-out-2|held-out-3|held-out-4|held-out-5|held-out-6|held-out-7|held-out-8|held-out-9|all]
        [--show] [--cache /tmp/basil_context.pickle]

Analyses the corpus with the defaults (all 300 BASIL articles: the annotated events are scored
inside a corpus of 100 events, as a user would run it), takes every pair of wordings of each
referent of each story (as ``bench/wording_pairs.py`` does) and scores the stories of the
annotated events (``bench/labels/basil_concepts.csv``, event = the BASIL ``triplet-uuid`` most of
the story's articles carry).

- A surfaced wording is matched to an annotated wording of the event by its normal form (lower
  case, accents, dots, "'s", hyphens and honorifics dropped, leading determiners and possessives
  dropped), else by head: same last word, and the surfaced wording an annotated one cut short
  ("destructive devices" of "potentially destructive devices") or a name written in full ("Bob
  Etheridge" of "Etheridge"), not an annotated wording with a modifier of its own ("Newtown attack"
  is not "attack"). A wording matching two concepts of the event equally well, or none, is
  unmatched (so the pair is wrong).
- A pair is **right** when both wordings match one concept (the issue's rule: annotators coded
  both as the same concept of that event); **precision** = right pairs / surfaced pairs.
- **Concept recall**: of the annotated concepts that two or more outlets mention and that are
  worded in two or more ways, the share with a right pair whose wordings match two different
  annotated wordings (a pair of two spellings of one annotated wording does not count).

``--show`` prints each pair and each missed concept (use it on the dev split only).
"""

from __future__ import annotations

import argparse
import csv
import pickle
import re
import unicodedata
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

LABELS = Path(__file__).with_name("labels") / "basil_concepts.csv"
_LEADING = frozenset("the a an his her their its this that these those our my your".split())
_HONORIFICS = frozenset(
    "adm capt col dr gen gov hon jr lt messrs miss mr mrs ms mx prof rep reps rev sen sens sgt sr".split()
)


def normal(wording: str) -> tuple[str, ...]:
    """The words of a wording as compared with the annotations."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", wording) if not unicodedata.combining(c))
    plain = re.sub(r"['’]s?\b", "", plain.lower().replace(".", ""))
    words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in _HONORIFICS]
    while words and words[0] in _LEADING:
        words = words[1:]
    return tuple(words)


def read_labels(split: str) -> dict[str, dict[str, dict[str, set[tuple[str, ...]]]]]:
    """Event -> concept -> outlet -> the normal forms of its wordings."""
    events: dict[str, dict[str, dict[str, set[tuple[str, ...]]]]] = defaultdict(lambda: defaultdict(dict))
    with LABELS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if split in {"all", row["split"]}:
                events[row["event"]][row["concept"]].setdefault(row["outlet"], set()).add(normal(row["wording"]))
    return events


def match(wording: str, concepts: dict[str, dict[str, set[tuple[str, ...]]]]) -> tuple[str, tuple[str, ...]] | None:
    """The concept and annotated wording a surfaced wording stands for, None when unmatched or ambiguous."""
    words = normal(wording)
    if not words:
        return None
    exact = {(c, w) for c, outlets in concepts.items() for forms in outlets.values() for w in forms if w == words}
    if len({c for c, _ in exact}) == 1:
        return next(iter(exact))
    if exact:
        return None
    headed = {
        (c, w)
        for c, outlets in concepts.items()
        for forms in outlets.values()
        for w in forms
        if w and w[-1] == words[-1] and _covers(w, words, wording)
    }
    if not headed:
        return None
    best = max(len(set(w) & set(words)) for _, w in headed)
    top = {(c, w) for c, w in headed if len(set(w) & set(words)) == best}
    return min(top) if len({c for c, _ in top}) == 1 else None


def _covers(annotated: tuple[str, ...], words: tuple[str, ...], wording: str) -> bool:
    """Whether a surfaced wording is an annotated one cut short ("destructive devices" of "potentially destructive
    devices") or a name written in full ("Bob Etheridge" of "Etheridge"); not one with a modifier of its own
    ("Newtown attack" is not "attack")."""
    if set(words) <= set(annotated):
        return True
    extra = [w for w in wording.split() if normal(w) and normal(w)[0] not in annotated]
    return set(annotated) <= set(words) and all(w[:1].isupper() for w in extra) and wording.split()[-1][:1].isupper()


def context_of(path: str, store: str | None, cache: Path | None):  # noqa: ANN201 -- a FramingContext, imported lazily
    """The framing context of the corpus analysed with the defaults (from ``cache`` when it exists)."""
    from dataclasses import replace

    from compare.embed import get_embedder

    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            return replace(pickle.load(handle), embedder=get_embedder())  # noqa: S301 -- our own file
    from compare.ingest import load_corpus
    from compare.io.store import Store
    from compare.pipeline import analyze

    embedder = get_embedder()
    analysis = analyze(
        load_corpus([path]), embedder=embedder, store=Store(Path(store)) if store else None, with_framing=False
    )
    context = analysis.framing_context(embedder)
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(replace(context, embedder=None), handle)
    return context


def surfaced_pairs(context) -> dict[str, list[tuple[str, str, str]]]:  # noqa: ANN001 -- a FramingContext
    """Event -> the (source, wording, wording) pairs of the referents of its stories."""
    from compare.framing import wording
    from compare.framing.state import FramingIndex
    from compare.model.framing import Framing

    event_of = {article.id: article.extra.get("triplet-uuid", "")[:8] for article in context.articles}
    story_event = {
        story.id: Counter(event_of[a] for a in story.article_ids).most_common(1)[0][0] for story in context.stories
    }
    framing = wording.compute(context, Framing(), FramingIndex())
    groups: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in framing.referent_wordings:
        groups[(row.story_id, row.source, row.referent)].add(row.wording)
    pairs: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for (story_id, source, _), group in sorted(groups.items()):
        pairs[story_event[story_id]].extend((source, a, b) for a, b in combinations(sorted(group), 2))
    return pairs


def score(pairs: dict[str, list[tuple[str, str, str]]], split: str, *, show: bool) -> None:
    events = read_labels(split)
    right = {"found": 0, "listed": 0}
    total = {"found": 0, "listed": 0}
    wanted, found = set(), set()
    for event, concepts in sorted(events.items()):
        for concept, outlets in concepts.items():
            if len(outlets) >= 2 and len(set().union(*outlets.values())) >= 2:
                wanted.add((event, concept))
        for source, a, b in pairs.get(event, []):
            first, second = match(a, concepts), match(b, concepts)
            good = first is not None and second is not None and first[0] == second[0]
            total[source] += 1
            right[source] += good
            if good and first[1] != second[1]:
                found.add((event, first[0]))
            if show:
                print(f"  {'RIGHT' if good else 'wrong'} {event} {source}: {a!r} / {b!r} -> {first} / {second}")
    if show:
        for event, concept in sorted(wanted - found):
            print(f"  missed {event} {concept}")
    both = sum(right.values()), sum(total.values())
    print(f"split {split}: {len(events)} events, {len(wanted)} concepts worded two or more ways")
    for source in ("found", "listed"):
        if total[source]:
            print(f"  {source}: {right[source]}/{total[source]} pairs right = {right[source] / total[source]:.2f}")
    print(f"  precision (all surfaced pairs): {both[0]}/{both[1]} = {both[0] / max(both[1], 1):.2f}")
    print(f"  concept recall: {len(found & wanted)}/{len(wanted)} = {len(found & wanted) / max(len(wanted), 1):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--store", default=None)
    parser.add_argument(
        "--split",
        default="all",
        choices=[
            "dev",
            "held-out",
            "held-out-2",
            "held-out-3",
            "held-out-4",
            "held-out-5",
            "held-out-6",
            "held-out-7",
            "held-out-8",
            "held-out-9",
            "all",
        ],
    )
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--cache", type=Path, default=None, help="keep the analysed corpus here (without framing)")
    arguments = parser.parse_args()
    if not Path(arguments.corpus).is_dir():  # a missing folder read as an empty corpus scored 0/0 without a word
        parser.error(
            f"{arguments.corpus}: no such folder (the BASIL articles folder, e.g. ../shared/corpora/basil/articles)"
        )
    pairs = surfaced_pairs(context_of(arguments.corpus, arguments.store, arguments.cache))
    score(pairs, arguments.split, show=arguments.show)


if __name__ == "__main__":
    main()
