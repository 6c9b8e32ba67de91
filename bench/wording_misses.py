"""Why each annotated concept that ``referent_wordings`` misses is missed (seen splits only: never held-out-3, held-out-5, held-out-6 or held-out-7).

Usage:
    python bench/wording_misses.py ../shared/corpora/basil/articles --store S.sqlite3 --cache C.pickle \
        [--pairs P.pickle] [--split dev|held-out|held-out-2|held-out-4|seen] [--show]

For each concept that two or more outlets word two or more ways (``wording_concepts.py``'s rule) and that no
right pair surfaces, the reasons a pair of two of its annotated wordings is not found, by the concept's kind:

- **story**: the event's articles are not in one story of two or more outlets;
- **not in the statements**: fewer than two different annotated wordings occur (whole words, any case) in the
  story's statements, or only one outlet's statements hold them (a headline, a wording the segmenter cut);
- **name variant**: the wordings that occur are all capitalised names ("Safari Club" / "Safari Club International");
- **description in the same sentence**: a name and a lower-case description occur in one statement (an
  apposition or title the description rules do not read);
- **description in another sentence**: a name occurs, and lower-case descriptions occur only in other statements
  (of its article: a chain "Etheridge … the congressman");
- **aligned**: two different common-noun wordings occur, one in each statement of an aligned pair (closest of
  another outlet in a claim, cosine >= 0.65; anywhere in the two statements, not necessarily in one slot), yet
  no substitution was kept;
- **not aligned**: two different common-noun wordings occur, only in statements that do not align.

A concept can have several reasons; ``primary`` is the first in the order above that applies.
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wording_concepts as concepts_bench  # noqa: E402 -- bench script beside this one

SEEN = ("dev", "held-out", "held-out-2", "held-out-4")
ORDER = (
    "story",
    "not in the statements",
    "name variant",
    "description in the same sentence",
    "description in another sentence",
    "aligned",
    "not aligned",
)


def _wordings(split: str) -> dict[tuple[str, str], tuple[str, dict[str, set[str]]]]:
    """(event, concept) -> (kind, outlet -> wordings as written)."""
    import csv

    found: dict[tuple[str, str], tuple[str, dict[str, set[str]]]] = {}
    with concepts_bench.LABELS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["split"] in {"held-out-3", "held-out-5", "held-out-6", "held-out-7"} or (
                split != "seen" and row["split"] != split
            ):
                continue
            if split == "seen" and row["split"] not in SEEN:
                continue
            kind, outlets = found.setdefault((row["event"], row["concept"]), (row["kind"], defaultdict(set)))
            outlets[row["outlet"]].add(row["wording"])
    return found


def _is_name(wording: str) -> bool:
    return all(word[:1].isupper() or not word[:1].isalpha() for word in wording.split())


def reasons(context, pairs, split: str) -> list[tuple[str, str, str, list[str], str]]:  # noqa: ANN001, C901, PLR0912, PLR0915
    """(event, concept, kind, reasons, detail) of each missed concept."""
    from compare.framing.wording import aligned_pairs

    labels = _wordings(split)
    scored_found: set[tuple[str, str]] = set()
    for event in {event for event, _ in labels}:
        concepts = concepts_bench.read_labels("all")[event]
        for _, a, b in pairs.get(event, []):
            first, second = concepts_bench.match(a, concepts), concepts_bench.match(b, concepts)
            if first and second and first[0] == second[0] and first[1] != second[1]:
                scored_found.add((event, first[0]))
    event_of = {a.id: a.extra.get("triplet-uuid", "")[:8] for a in context.articles}
    story_of = {aid: story.id for story in context.stories for aid in story.article_ids}
    story_event = {s.id: Counter(event_of[a] for a in s.article_ids).most_common(1)[0][0] for s in context.stories}
    statement_story = {s.id: story_of.get(s.article_id) for s in context.statements}
    aligned = aligned_pairs(context.claims, context.statements, context.vectors, statement_story)
    partner: dict[str, set[str]] = defaultdict(set)
    for first, second in aligned:
        partner[first].add(second)
        partner[second].add(first)
    by_id = {s.id: s for s in context.statements}
    out = []
    for (event, concept), (kind, outlets) in sorted(labels.items()):
        every = set().union(*outlets.values())
        if len(outlets) < 2 or len({concepts_bench.normal(w) for w in every}) < 2 or (event, concept) in scored_found:
            continue
        stories = [s for s in context.stories if story_event[s.id] == event and len(s.outlets) >= 2]
        if not stories:
            out.append((event, concept, kind, ["story"], ""))
            continue
        members = [s for s in context.statements if statement_story[s.id] in {st.id for st in stories}]
        pattern = {w: re.compile(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", re.IGNORECASE) for w in every}
        uses: dict[str, list] = defaultdict(list)  # wording -> statements holding it
        for statement in members:
            for wording, regex in pattern.items():
                if regex.search(statement.text):
                    uses[wording].append(statement)
        occurring = {w for w in uses if uses[w]}
        forms = {concepts_bench.normal(w) for w in occurring}
        outlet_set = {s.outlet for w in occurring for s in uses[w]}
        why: list[str] = []
        if len(forms) < 2 or len(outlet_set) < 2:
            out.append((event, concept, kind, ["not in the statements"], ", ".join(sorted(occurring))))
            continue
        names = {w for w in occurring if _is_name(w)}
        common = occurring - names
        if len({concepts_bench.normal(w) for w in names}) >= 2:
            why.append("name variant")
        if names and common:
            same = any(any(pattern[c].search(s.text) for c in common) for n in names for s in uses[n])
            named_articles = {s.article_id for n in names for s in uses[n]}
            other = any(
                s.article_id in named_articles and not any(pattern[n].search(s.text) for n in names)
                for c in common
                for s in uses[c]
            )
            if same:
                why.append("description in the same sentence")
            if other:
                why.append("description in another sentence")
        if len({concepts_bench.normal(w) for w in common}) >= 2:
            in_aligned = any(
                b_id in partner[s.id] and any(pattern[c2].search(by_id[b_id].text) for c2 in common - {c1})
                for c1 in common
                for s in uses[c1]
                for b_id in partner[s.id]
            )
            why.append("aligned" if in_aligned else "not aligned")
        out.append((event, concept, kind, sorted(why, key=ORDER.index) or ["other"], ", ".join(sorted(occurring))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--store", default=None)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--pairs", type=Path, default=None, help="keep the surfaced pairs here between runs")
    parser.add_argument("--split", default="seen", choices=[*SEEN, "seen"])
    parser.add_argument("--show", action="store_true")
    arguments = parser.parse_args()
    context = concepts_bench.context_of(arguments.corpus, arguments.store, arguments.cache)
    if arguments.pairs is not None and arguments.pairs.exists():
        pairs = pickle.loads(arguments.pairs.read_bytes())  # noqa: S301 -- our own file
    else:
        pairs = concepts_bench.surfaced_pairs(context)
        if arguments.pairs is not None:
            arguments.pairs.write_bytes(pickle.dumps(dict(pairs)))
    missed = reasons(context, pairs, arguments.split)
    primary = Counter((kind, why[0]) for _, _, kind, why, _ in missed)
    anywhere = Counter((kind, reason) for _, _, kind, why, _ in missed for reason in why)
    kinds = sorted({kind for _, _, kind, _, _ in missed})
    print(f"missed concepts ({arguments.split}): {len(missed)}")
    print("| reason | " + " | ".join(kinds) + " | all (primary) | all (any) |")
    for reason in (*ORDER, "other"):
        cells = [f"{primary[(k, reason)]}/{anywhere[(k, reason)]}" for k in kinds]
        print(
            f"| {reason} | "
            + " | ".join(cells)
            + f" | {sum(primary[(k, reason)] for k in kinds)} | {sum(anywhere[(k, reason)] for k in kinds)} |"
        )
    if arguments.show:
        for event, concept, kind, why, detail in missed:
            print(f"  {event} {kind:12} {concept!r}: {'; '.join(why)}  [{detail}]")


if __name__ == "__main__":
    main()
