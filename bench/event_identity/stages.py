"""CPU seconds of the story and claim stages on BASIL, in whichever tree is the working directory.

Usage (alternate the trees in one session; the bundle comes from the events store):
    cd /work/main && HF_HUB_OFFLINE=1 python /work/wt-ev13b/bench/event_identity/stages.py
    cd /work/wt-ev13b && HF_HUB_OFFLINE=1 python bench/event_identity/stages.py
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.getcwd())  # the tree run from, not the one this file lies in


def main() -> None:
    import compare
    from bench.event_identity.corpora import load_basil
    from compare.cluster import ClaimOptions, StoryOptions, claim_evidence, claim_index, story_index

    bundle = load_basil()
    started = time.process_time()
    stories = story_index(bundle.articles, bundle.statements, bundle.vectors, StoryOptions())
    middle = time.process_time()
    evidence = claim_evidence(bundle.articles, bundle.statements, stories.labels)
    claim_index(bundle.statements, bundle.vectors, ClaimOptions(), evidence)
    ended = time.process_time()
    print(f"{compare.__file__}: stories {middle - started:.2f} s CPU, claims {ended - middle:.2f} s CPU")


if __name__ == "__main__":
    main()
