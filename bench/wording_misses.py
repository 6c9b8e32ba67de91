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

``--stages`` counts the same missed concepts by where the pipeline lost them, read from its output (the surfaced
pairs) rather than from the text: *headline only* (a second wording only in an article's title, which is no
statement), *one outlet only* (the statements of only one outlet hold the wordings), *never surfaced* (no surfaced
wording matches any of the concept's wordings), *one wording surfaced* (surfaced wordings match one annotated
wording only: the referent exists, the other wordings were never joined to it), *two wordings, not joined* (two of
its annotated wordings surface, in different referents).
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


STAGES = (
    "story",
    "headline only",
    "one outlet only",
    "never surfaced",
    "one wording surfaced",
    "two wordings, not joined",
)


def stages(context, pairs, missed) -> list[tuple[str, str, str, str]]:  # noqa: ANN001
    """(event, concept, kind, stage) of each missed concept: where the pipeline lost it (``STAGES``)."""
    forms_of: dict[str, dict[str, set[tuple[str, ...]]]] = defaultdict(lambda: defaultdict(set))
    joined: dict[str, set[tuple[str, tuple[str, ...], tuple[str, ...]]]] = defaultdict(set)
    for event in {event for event, *_ in missed}:
        concepts = concepts_bench.read_labels("all")[event]
        for _, a, b in pairs.get(event, []):
            first, second = concepts_bench.match(a, concepts), concepts_bench.match(b, concepts)
            for found in (first, second):
                if found is not None:
                    forms_of[event][found[0]].add(found[1])
            if first and second:
                joined[event].add((first[0], first[1], second[1]))
    titles: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for article in context.articles:
        titles[article.extra.get("triplet-uuid", "")[:8]].append((article.outlet, article.title))
    labels = _wordings("seen")
    statements = _story_statements(context)
    out = []
    for event, concept, kind, why, _ in missed:
        if why == ["story"]:
            out.append((event, concept, kind, "story"))
            continue
        if why == ["not in the statements"]:
            # with the titles read too, would two outlets use two different wordings?
            every = set().union(*labels[(event, concept)][1].values())
            texts = [(s.outlet, s.text) for s in statements[event]] + titles[event]
            held = {
                (concepts_bench.normal(w), outlet)
                for w in every
                for outlet, text in texts
                if re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text, re.IGNORECASE)
            }
            headline = len({f for f, _ in held}) >= 2 and len({o for _, o in held}) >= 2  # noqa: PLR2004
            out.append((event, concept, kind, "headline only" if headline else "one outlet only"))
            continue
        forms = forms_of[event].get(concept, set())
        stage = (
            "never surfaced" if not forms else "one wording surfaced" if len(forms) < 2 else "two wordings, not joined"
        )
        out.append((event, concept, kind, stage))
    return out


MODIFIER_CASES = ("main noun, a form used twice", "main noun, forms used once", "noun in few statements or one outlet")


def modifier_cases(context, missed, share: float = 0.1) -> dict[tuple[str, str], str]:  # noqa: ANN001
    """(event, concept) -> why step 5 made no pair of it, for the missed concepts with an annotated pair "noun" /
    "modifier noun" both in the story's statements (``MODIFIER_CASES``, best case first; ``share``: the main-noun
    bar the case is read against)."""
    statements = _story_statements(context)
    labels = _wordings("seen")
    cases = {}
    for event, concept, _, _, _ in missed:
        story = statements[event]
        every = sorted(set().union(*labels[(event, concept)][1].values()))

        def uses(wording: str, story: list = story) -> tuple[int, int]:
            regex = re.compile(r"(?<![\w-])" + re.escape(wording) + r"(?![\w-])", re.IGNORECASE)
            hits = [s for s in story if regex.search(s.text)]
            return len(hits), len({s.outlet for s in hits})

        found = set()
        for noun in every:
            for modified in every:
                if noun.islower() and modified.lower().endswith(" " + noun.lower()):
                    (n_noun, o_noun), (n_modified, _) = uses(noun), uses(modified)
                    if n_noun and n_modified:
                        main = n_noun >= share * len(story) and o_noun >= 2  # noqa: PLR2004
                        found.add(MODIFIER_CASES[0 if main and n_modified >= 2 else 1 if main else 2])  # noqa: PLR2004
        if found:
            cases[(event, concept)] = min(found, key=MODIFIER_CASES.index)
    return cases


def _story_statements(context) -> dict[str, list]:  # noqa: ANN001
    """Event -> the statements of the stories (two outlets or more) whose articles are mostly of that event."""
    story_of = {aid: story.id for story in context.stories if len(story.outlets) >= 2 for aid in story.article_ids}
    event_of_story: dict[str, Counter[str]] = defaultdict(Counter)
    for article in context.articles:
        if article.id in story_of:
            event_of_story[story_of[article.id]][article.extra.get("triplet-uuid", "")[:8]] += 1
    main_event = {story: counts.most_common(1)[0][0] for story, counts in event_of_story.items()}
    statements: dict[str, list] = defaultdict(list)
    for statement in context.statements:
        story = story_of.get(statement.article_id)
        if story is not None:
            statements[main_event[story]].append(statement)
    return statements


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--store", default=None)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--pairs", type=Path, default=None, help="keep the surfaced pairs here between runs")
    parser.add_argument("--split", default="seen", choices=[*SEEN, "seen"])
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--stages", action="store_true", help="also count the misses by where the pipeline lost them")
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
    if arguments.stages:
        lost = stages(context, pairs, missed)
        by_stage = Counter((kind, stage) for _, _, kind, stage in lost)
        print("| stage | " + " | ".join(kinds) + " | all |")
        for stage in STAGES:
            cells = [str(by_stage[(k, stage)]) for k in kinds]
            print(f"| {stage} | " + " | ".join(cells) + f" | {sum(by_stage[(k, stage)] for k in kinds)} |")
        stage_of = {(event, concept): stage for event, concept, _, stage in lost}
        cases = Counter(modifier_cases(context, missed).values())
        print(f"with an annotated 'noun' / 'modifier noun' pair in the statements: {sum(cases.values())}")
        for case in MODIFIER_CASES:
            print(f"  {case} (a tenth): {cases[case]}")
    if arguments.show:
        for event, concept, kind, why, detail in missed:
            stage = f" <{stage_of[(event, concept)]}>" if arguments.stages else ""
            print(f"  {event} {kind:12} {concept!r}: {'; '.join(why)}{stage}  [{detail}]")


if __name__ == "__main__":
    main()
