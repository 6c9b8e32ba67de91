"""The modified-form rules of ``compare/framing/variants.py`` switched off and on, scored on every seen split.

Usage:
    python bench/wording_modifiers.py ../shared/corpora/basil/articles --store S.sqlite3 --cache C.pickle
        [--rules none|degree|bare-strict|bare|both] [--show]

One process computes the pairs of all of BASIL once with the chosen rules and scores each split that has been
read (dev, held-out, held-out-2, held-out-3, held-out-4; never a blind one) as ``bench/wording_concepts.py``
does, with the pairs of a noun against itself with a modifier ("big money" / "money") counted apart.
``--rules``: ``none`` = neither rule (main before branch words15h), ``degree`` = size and degree words are no
modifiers, ``bare-strict`` = a noun never used alone gives no wordings, ``bare`` = the same unless outlets choose
apart between two of its forms, ``both`` = degree and bare (the defaults).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wording_concepts import context_of, match, normal, read_labels, surfaced_pairs

SEEN = ("dev", "held-out", "held-out-2", "held-out-3", "held-out-4")


def modified_pair(first: str, second: str) -> bool:
    """Whether two wordings are one noun, one of them with a modifier or both with different ones."""
    a, b = normal(first), normal(second)
    return bool(a) and bool(b) and a != b and a[-1] == b[-1]


def switch(rules: str) -> None:
    from compare.framing import variants

    if rules in {"none", "degree"}:
        variants.REQUIRE_BARE = False
    if rules in {"none", "bare", "bare-strict"}:
        variants._DEGREE = frozenset()
    if rules == "bare-strict":
        variants._chosen_apart = lambda wordings: False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--store", default=None)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--rules", default="both", choices=["none", "degree", "bare-strict", "bare", "both"])
    parser.add_argument("--show", action="store_true", help="print each modified-form pair with its verdict")
    arguments = parser.parse_args()
    switch(arguments.rules)
    pairs = surfaced_pairs(context_of(arguments.corpus, arguments.store, arguments.cache))
    for split in SEEN:
        events = read_labels(split)
        right = total = modified_right = modified_total = 0
        wanted, found = set(), set()
        for event, concepts in sorted(events.items()):
            wanted.update(
                (event, c)
                for c, outlets in concepts.items()
                if len(outlets) >= 2 and len(set().union(*outlets.values())) >= 2
            )
            for _, a, b in pairs.get(event, []):
                first, second = match(a, concepts), match(b, concepts)
                good = first is not None and second is not None and first[0] == second[0]
                right, total = right + good, total + 1
                if good and first[1] != second[1]:
                    found.add((event, first[0]))
                if modified_pair(a, b):
                    modified_right, modified_total = modified_right + good, modified_total + 1
                    if arguments.show:
                        print(f"  {split} {'RIGHT' if good else 'wrong'} {event}: {a!r} / {b!r}")
        print(
            f"{arguments.rules} {split}: {right}/{total} = {right / max(total, 1):.2f} at {len(found & wanted)}/"
            f"{len(wanted)}; modified-form pairs {modified_right}/{modified_total}",
            flush=True,
        )


if __name__ == "__main__":
    main()
