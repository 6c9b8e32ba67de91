"""The CLI with one of ``claim_rules``'s rules patched in (the conflict rules and the lead bonuses; not ``exact``
or ``lead-bonus-agree``).

Usage (from the worktree root):
    HF_HUB_OFFLINE=1 python -m bench.event_identity.claim_rules_cli RULE W evaluate \
        ../shared/corpora/ecbplus-dev/input.jsonl --gold story --gold-claims ../shared/corpora/ecbplus-dev/gold.json \
        --store STORE
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from bench.event_identity.claim_rules import Rule
from compare.cluster import claims as claims_module
from compare.engines import local


def main(arguments: Sequence[str]) -> int:
    rule = Rule(arguments[0], float(arguments[1]))
    if rule.name in ("exact", "lead-bonus-agree"):
        raise SystemExit(f"{rule.name} needs the corpus's vectors or leads inside the stage: use claim_rules")
    original = claims_module.claim_index

    def claim_index(statements: Sequence[Any], *rest: Any) -> Any:
        # The lead bonus and the group conflicts read each statement; the engine calls this once per run.
        rule.first = np.array([statement.index == 0 for statement in statements], dtype=bool)
        rule.groups = [
            frozenset(text.lower().rstrip("s") for text, label in statement.entities if label == "NORP")
            for statement in statements
        ]
        return original(statements, *rest)

    local.claim_index = claim_index  # type: ignore[assignment]
    rule.install()
    from compare.cli import main as cli

    return cli(list(arguments[2:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
