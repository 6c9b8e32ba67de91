"""Shared fixtures: the seeds analysed once per session with the real shipped model."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BASIL = Path(os.environ.get("PARALLAX_BASIL", ROOT.parent / "shared" / "corpora" / "basil"))

os.environ.setdefault("HF_HUB_OFFLINE", "1")

# One article more, in the shape the BASIL fixture gives (a JSON object with outlet, title, date and text),
# about the same event as the seeds so that it joins their story.
EXTRA_ARTICLE = {
    "id": "extra-reuters",
    "outlet": "Reuters",
    "title": "Macron and Putin speak again as Ukraine tension grows",
    "published": "2022-02-21",
    "text": (
        "French President Emmanuel Macron spoke with Russian President Vladimir Putin by telephone on Monday, "
        "the second call between the two leaders in less than a day, the Elysee said.\n\n"
        "Macron proposed a summit between Putin and U.S. President Joe Biden on security and strategic "
        "stability in Europe, and both leaders agreed to work towards a ceasefire in eastern Ukraine, "
        "according to the French presidency.\n\n"
        "The Kremlin said Putin told Macron that Kyiv's provocations were to blame for the escalation in "
        "Donbas, and that the two men agreed that their foreign ministers would meet later in the week."
    ),
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def embedder():
    from compare.embed import get_embedder

    return get_embedder()


@pytest.fixture(scope="session")
def seeds_analysis(embedder, tmp_path_factory):
    from compare.pipeline import analyze
    from compare.store import Store

    store = Store(tmp_path_factory.mktemp("store") / "store.sqlite3")
    return analyze([SEEDS], embedder=embedder, store=store)


@pytest.fixture(scope="session")
def statements_by_id(seeds_analysis):
    return {statement.id: statement for statement in seeds_analysis.statements}


@pytest.fixture(scope="session")
def basil_subset(tmp_path_factory) -> Path:
    """The first ten BASIL events (30 articles) as JSONL with the gold label in 'story'."""
    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL}")
    files = sorted((BASIL / "articles").rglob("*.json"))
    events: dict[str, list[dict]] = {}
    for path in files:
        article = json.loads(path.read_text(encoding="utf-8"))
        events.setdefault(article["triplet-uuid"], []).append({**article, "id": path.stem})
    chosen = [article for event in sorted(events)[:10] for article in events[event]]
    target = tmp_path_factory.mktemp("basil") / "basil10.jsonl"
    with target.open("w", encoding="utf-8") as handle:
        for article in chosen:
            handle.write(
                json.dumps(
                    {
                        "id": article["id"],
                        "outlet": article["source"],
                        "title": article["title"],
                        "published": article["date"],
                        "url": article["url"],
                        "text": "\n\n".join(" ".join(paragraph) for paragraph in article["body-paragraphs"]),
                        "story": article["triplet-uuid"],
                    }
                )
                + "\n"
            )
    return target
