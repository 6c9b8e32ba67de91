"""The sample corpus shipped in compare/data/sample: six real events, each told by two of three stand-in outlets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# One JSONL file, not the folder: the folder's README.md would be read as one more article.
SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "data" / "sample" / "articles.jsonl"


@dataclass(frozen=True)
class SampleCorpus:
    """Where the sample corpus is and what it holds (its rows' ``outlet`` and gold ``event``)."""

    path: Path
    outlets: int
    events: int

    @property
    def label(self) -> str:
        """``3 outlets, 6 events``: how the dashboard offers it."""
        return f"{self.outlets} outlets, {self.events} events"


@lru_cache(maxsize=4)  # dashboard.py calls it on every script run
def sample_corpus(path: Path = SAMPLE_CORPUS) -> SampleCorpus:
    """The sample corpus and its counts of outlets and events, read once."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return SampleCorpus(path, len({row["outlet"] for row in rows}), len({row["event"] for row in rows}))
