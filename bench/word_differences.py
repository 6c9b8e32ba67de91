"""What the story page's "shared facts worded differently" lists, counted over saved analyses, and a sample to label.

Usage:
    python bench/word_differences.py count basil=OUT1 ecb=OUT2
    python bench/word_differences.py sample basil=OUT1 ecb=OUT2 --per-corpus 30 --context /tmp/diff_context.txt
    python bench/word_differences.py score basil=OUT1 ecb=OUT2
    python bench/word_differences.py kinds basil=OUT1 ecb=OUT2
    python bench/word_differences.py cost basil=OUT1            # CPU of the rule per pair (run under each tree)

Each OUT is a folder written by ``python -m compare analyze CORPUS --out OUT`` (the defaults). ``count`` gives, per
corpus, the rows of the ``word_differences`` table and the pairs the story pages list (``phrasing_rows`` over
every story: each pair once, two outlets). ``sample`` draws a random sample (``--seed``, 0) of the listed pairs into
``--labels`` (``bench/word_differences.csv``) with an empty ``label`` column, and writes both statements of each pair to a
context file outside the repository (the news texts are not ours to ship). Label each row by reading them:

    meaningful   the two outlets word one thing differently ("rioters" / "protesters", "said" / "claimed")
    function     only function words differ ("The" / "Also, the")
    inflection   only inflections of one word ("test" / "tests", "big" / "bigger")
    form         only punctuation, case or figures
    pronoun      a pronoun for a name ("He" / "Trump")
    content      a clause of other content, not other words for one thing

diff18's sample (``bench/word_differences_diff18.csv``, ``--per-corpus 80 40 --seed 18``) has an event and a half per
pair and its own classes: rewording (one fact, other words for one thing), content, quote (one quote at other
lengths, paraphrased or attributed otherwise), spelling, other; ``score`` then gives the share of rewordings among
the pairs still listed, per half (rules chosen on "choose", reported on "test"), and the pairs listed per story.

``kinds`` sorts the listed pairs by what this tree's ``compare.framing.rewording`` makes of them (run on an analysis
made before it, it says what the rule drops and why). ``score`` reads the labels (kept by statement pair, whatever analysis listed them) and counts, per class, the
labelled pairs that the given analyses still list.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
from collections import Counter
from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).with_name("word_differences.csv")
FIELDS = ["corpus", "statement_id", "other_statement_id", "event", "half", "label"]
CLASSES = ("meaningful", "function", "inflection", "form", "pronoun", "content")
# diff18's classes (bench/word_differences_diff18.csv): a real rewording of one fact, other content, a name spelled
# otherwise, one outlet quoting more (or less) of one quote, anything else
CLASSES_18 = ("rewording", "content", "spelling", "quote", "other")


def listed_pairs(folder: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A saved analysis and the pairs its story pages list under "worded differently", story by story."""
    from compare.engines.saved import read_saved_analysis
    from compare.views.differences import phrasing_rows, story_scope

    analysis, _ = read_saved_analysis(folder)
    rows = []
    for story in analysis["stories"]:
        rows += [
            {**row, "story_id": story["id"]} for row in phrasing_rows(analysis, story_scope(analysis, story["id"]))
        ]
    return analysis, rows


def _key(corpus: str, one: str, other: str) -> tuple[str, str, str]:
    return (corpus, *sorted((one, other)))  # type: ignore[return-value]


def event_of(analysis: dict[str, Any], statement_id: str) -> str:
    """The corpus's own event of a statement's article (BASIL's triplet, ECB+'s gold story), else its article."""
    article_id = statement_id.rsplit(":", 1)[0]
    extra = next((a.get("extra") or {} for a in analysis["articles"] if a["id"] == article_id), {})
    return str(extra.get("triplet-uuid") or extra.get("story") or article_id)


def half_of(event: str) -> str:
    """Which half an event is in: rules are chosen on "choose", precision reported on "test" (a fixed hash)."""
    return "choose" if int(hashlib.sha1(event.encode()).hexdigest(), 16) % 2 == 0 else "test"


def count(corpora: list[tuple[str, str]]) -> None:
    print("| corpus | word_differences rows | pairs listed on the story pages | stories with a pair |")
    print("|---|---|---|---|")
    for name, folder in corpora:
        analysis, rows = listed_pairs(folder)
        stories = len({row["story_id"] for row in rows})
        print(f"| {name} | {len(analysis.get('word_differences', [])):,} | {len(rows):,} | {stories} |")


def sample(corpora: list[tuple[str, str]], per_corpus: list[int], context_file: Path, labels: Path, seed: int) -> None:
    generator = random.Random(seed)
    chosen: list[tuple[str, dict[str, Any], dict[str, str]]] = []
    sizes = per_corpus + per_corpus[-1:] * len(corpora)  # the last size for any corpus not given one
    for (name, folder), size in zip(corpora, sizes):
        analysis, rows = listed_pairs(folder)
        texts = {s["id"]: s["text"] for s in analysis["statements"]}
        picked = generator.sample(rows, min(size, len(rows)))
        chosen += [(name, {**row, "event": event_of(analysis, row["statement_id"])}, texts) for row in picked]
    known = _labels(labels)
    with labels.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        for name, row, _ in chosen:
            key = _key(name, row["statement_id"], row["other_statement_id"])
            writer.writerow(
                {
                    "corpus": name,
                    "statement_id": key[1],
                    "other_statement_id": key[2],
                    "event": row["event"],
                    "half": half_of(row["event"]),
                    "label": known.get(key, ""),
                }
            )
    with context_file.open("w", encoding="utf-8") as handle:
        for number, (name, row, texts) in enumerate(chosen):
            handle.write(f"\n#{number} {name} {row['outlet']} vs {row['other_outlet']} ({row['similarity']:.2f})\n")
            handle.write(f"   + {row['words']!r}\n   - {row['other_words']!r}\n")
            handle.write(f"   [{row['outlet']}] {texts[row['statement_id']]}\n")
            handle.write(f"   [{row['other_outlet']}] {texts[row['other_statement_id']]}\n")
    print(f"{len(chosen)} pairs to label in {labels}; their statements in {context_file}")


def _labels(labels: Path) -> dict[tuple[str, str, str], str]:
    if not labels.exists():
        return {}
    with labels.open(encoding="utf-8") as handle:
        return {
            (row["corpus"], row["statement_id"], row["other_statement_id"]): row["label"]
            for row in csv.DictReader(handle)
            if row["label"]
        }


def score(corpora: list[tuple[str, str]], path: Path) -> None:
    """Per class, the labelled pairs and those the analyses still list; for a sample with halves (diff18's), the
    share of real rewordings among the listed pairs of each half, and the pairs listed per story."""
    with path.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["label"]]
    listed: set[tuple[str, str, str]] = set()
    per_story: list[int] = []
    for name, folder in corpora:
        pairs = listed_pairs(folder)[1]
        listed.update(_key(name, row["statement_id"], row["other_statement_id"]) for row in pairs)
        per_story += list(Counter(row["story_id"] for row in pairs).values())
    keep = [_key(row["corpus"], row["statement_id"], row["other_statement_id"]) in listed for row in rows]
    classes = CLASSES_18 if any(row["label"] in CLASSES_18 for row in rows) else CLASSES
    halves = sorted({row.get("half") or "all" for row in rows})
    print("| half | corpus | class | labelled pairs | still listed |")
    print("|---|---|---|---|---|")
    for half in halves:
        for corpus in sorted({row["corpus"] for row in rows}):
            chosen = [
                (row["label"], kept)
                for row, kept in zip(rows, keep)
                if (row.get("half") or "all") == half and row["corpus"] == corpus
            ]
            for label in classes:
                print(
                    f"| {half} | {corpus} | {label} | {sum(1 for got, _ in chosen if got == label)} | "
                    f"{sum(1 for got, k in chosen if got == label and k)} |"
                )
    for half in halves:
        chosen = [(row["label"], kept) for row, kept in zip(rows, keep) if (row.get("half") or "all") == half]
        good = classes[0]
        before = sum(1 for label, _ in chosen if label == good) / max(len(chosen), 1)
        kept = [label for label, k in chosen if k]
        after = sum(1 for label in kept if label == good) / max(len(kept), 1)
        print(f"{half}: {good} {before:.0%} of {len(chosen)} labelled pairs, {after:.0%} of the {len(kept)} listed")
    per_story.sort()
    if per_story:
        print(
            f"pairs per story with a pair: median {per_story[len(per_story) // 2]}, max {per_story[-1]}, "
            f"stories with more than 5: {sum(1 for n in per_story if n > 5)} of {len(per_story)}"
        )


def kinds(corpora: list[tuple[str, str]]) -> None:
    from compare.framing.rewording import fact_words, rewording
    from compare.framing.wording import competing_wordings

    found: dict[str, Counter[str]] = {}
    for name, folder in corpora:
        analysis, rows = listed_pairs(folder)
        by_id = {s["id"]: s for s in analysis["statements"]}
        found[name] = Counter()
        for row in rows:
            one, other = by_id[row["other_statement_id"]], by_id[row["statement_id"]]
            figures = fact_words(map(tuple, one["entities"])) | fact_words(map(tuple, other["entities"]))
            found[name][rewording(one["text"], other["text"], figures, competing_wordings).kind] += 1
    names = [name for name, _ in corpora]
    print("| kind | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for kind in sorted({kind for counts in found.values() for kind in counts}, key=lambda k: -found[names[0]][k]):
        print(f"| {kind} | " + " | ".join(f"{found[name][kind]:,}" for name in names) + " |")


def cost(corpora: list[tuple[str, str]], rounds: int = 3) -> None:
    """CPU time of ``rewording`` per pair, over the pairs ``aligned_differences`` weighs (each statement of a claim of
    two outlets or more and, standing in for the closest, its claim's first statement of another outlet): the first
    round warms the per-token caches, the best of the others is given."""
    import time

    from compare.framing import rewording as module

    competing = getattr(__import__("compare.framing.wording", fromlist=["x"]), "competing_wordings", None)
    for name, folder in corpora:
        analysis, _ = listed_pairs(folder)
        by_id = {s["id"]: s for s in analysis["statements"]}
        pairs = []
        for claim in analysis["clusters"]:
            members = [by_id[sid] for sid in claim["statement_ids"] if sid in by_id]
            for statement in members:
                other = next((m for m in members if m["outlet"] != statement["outlet"]), None)
                if other is not None:
                    figures = module.fact_words(map(tuple, statement["entities"])) | module.fact_words(
                        map(tuple, other["entities"])
                    )
                    pairs.append((other["text"], statement["text"], figures))
        spent = []
        for _ in range(rounds):
            start = time.process_time()
            for first, second, figures in pairs:
                if competing is None:
                    module.rewording(first, second, figures)
                else:
                    module.rewording(first, second, figures, competing)
            spent.append(time.process_time() - start)
        print(
            f"{name}: {len(pairs):,} pairs, CPU per round {', '.join(f'{s:.2f}' for s in spent)} s; "
            f"{1000 * min(spent[1:] or spent) / max(len(pairs), 1):.2f} ms a pair (best warm round)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["count", "sample", "score", "kinds", "cost"])
    parser.add_argument("corpora", nargs="+", help="NAME=FOLDER of a saved analysis")
    parser.add_argument("--per-corpus", type=int, nargs="+", default=[30], help="pairs per corpus, in their order")
    parser.add_argument("--context", type=Path, default=Path("/tmp/word_differences_context.txt"))
    parser.add_argument("--labels", type=Path, default=SAMPLE, help="the labelled sample (sample, score)")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    corpora = [tuple(item.split("=", 1)) for item in arguments.corpora]
    if arguments.command == "count":
        count(corpora)  # type: ignore[arg-type]
    elif arguments.command == "sample":
        sample(corpora, arguments.per_corpus, arguments.context, arguments.labels, arguments.seed)  # type: ignore[arg-type]
    elif arguments.command == "cost":
        cost(corpora)  # type: ignore[arg-type]
    elif arguments.command == "kinds":
        kinds(corpora)  # type: ignore[arg-type]
    else:
        score(corpora, arguments.labels)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
