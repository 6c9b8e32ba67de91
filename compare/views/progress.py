"""What a running analysis says about itself: the stage, its counts and the time left (fed by ``progress``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# The stages in the order the local engine runs them (compare.engines.local.analyze's ``progress``), what each
# counts, and the share of a first run's time each took on BASIL (300 articles, 7,442 statements, empty cache:
# 6 s, 380 s, 474 s, 15 s and 20 s of 896 s on a busy 2-core machine; BENCHMARKS.md §10).
STAGES = {
    "read": ("Reading articles", "articles", 0.01),
    "segment": ("Splitting articles into statements", "articles", 0.42),
    "embed": ("Embedding statements", "statements", 0.53),
    "cluster": ("Grouping stories and claims", "", 0.02),
    "framing": ("Comparing the outlets", "", 0.02),
}
_SETTLE_S = 3.0  # no estimate of the time left before this much of the run has passed: it would jump about


@dataclass
class _Stage:
    started: float
    ended: float | None = None
    done: int = 0
    total: int = 0


@dataclass
class AnalysisProgress:
    """Follows a run through ``update(stage, done, total)`` calls and says where it is and how long is left."""

    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)  # when the run began: made before the run starts, it is then
    stages: dict[str, _Stage] = field(default_factory=dict)
    current: str = ""

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def update(self, stage: str, done: int, total: int) -> None:
        """Record one report of the pipeline's ``progress`` hook."""
        now = self.clock()
        if stage != self.current:
            # A stage reports first after some work (the first chunk embedded): it began when the last one ended.
            began = self.started
            if self.current in self.stages:
                previous = self.stages[self.current]
                previous.ended = previous.ended if previous.ended is not None else now
                began = previous.ended
            self.stages.setdefault(stage, _Stage(started=began))
            self.current = stage
        entry = self.stages[stage]
        entry.done, entry.total = done, total
        if total and done >= total:
            entry.ended = now

    def fraction(self) -> float:
        """The share of the whole run done, weighting each stage by its usual share of the time."""
        finished = 0.0
        for name, (_, _, weight) in STAGES.items():
            entry = self.stages.get(name)
            if entry is None:
                continue
            finished += weight * (1.0 if entry.ended is not None else entry.done / entry.total if entry.total else 0)
        return min(1.0, finished / sum(weight for _, _, weight in STAGES.values()))

    def seconds_left(self) -> float | None:
        """The time left from the pace so far, or None while too little has run to say."""
        elapsed = self.clock() - self.started
        done = self.fraction()
        if elapsed < _SETTLE_S or done <= 0.02:
            return None
        return elapsed * (1 - done) / done

    def line(self) -> str:
        """One line for a progress bar: the stage, its counts, its number, the time left."""
        if not self.current:
            return "Starting…"
        title, unit, _ = STAGES.get(self.current, (self.current, "", 0.0))
        entry = self.stages[self.current]
        counts = f": {entry.done:,} of {entry.total:,} {unit}" if unit and entry.total else ""
        number = list(STAGES).index(self.current) + 1 if self.current in STAGES else 0
        left = self.seconds_left()
        remaining = f" · about {duration(left)} left" if left is not None else ""
        return f"{title}{counts} (stage {number} of {len(STAGES)}){remaining}"

    def summary(self) -> list[str]:
        """A line per finished stage: what it counted and how long it took."""
        lines = []
        for name, entry in self.stages.items():
            title, unit, _ = STAGES.get(name, (name, "", 0.0))
            took = (entry.ended if entry.ended is not None else self.clock()) - entry.started
            counts = f" ({entry.total:,} {unit})" if unit and entry.total else ""
            lines.append(f"{title}{counts}: {duration(took)}")
        return lines


def duration(seconds: float) -> str:
    """``seconds`` as people say it: "40 s", "2 min 5 s"."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
