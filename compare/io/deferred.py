"""Tables of a saved analysis read only when their rows are used, and rows appended to them without reading."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from compare.io.atomic import TEMPORARY_SUFFIX


class StoredRows(Sequence[Any]):
    """A table of a store read only when its rows are used: its length is known without reading, and
    ``+`` rows gives ``GrownRows`` without reading either.

    For a table that adding articles only appends to (a row per statement: tones, frames): the add path
    then neither reads the old rows nor writes them again (``AnalysisStore.update_table``). ``store`` is
    an ``AnalysisStore`` reader (``AnalysisStore.deferred_table``) kept open while
    they may be read, so that they are the ones of the store they came from even when a writer has
    since replaced it.
    """

    def __init__(self, store: Any, name: str, row_type: type, length: int) -> None:
        self.store, self.name, self.row_type, self.length = store, name, row_type, length
        self._rows: list[Any] | None = None

    def rows(self) -> list[Any]:
        if self._rows is None:
            self._rows = self.store.read_table(self.name, self.row_type, "_pos < ?", [self.length])
        return self._rows

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, item: Any) -> Any:
        return self.rows()[item]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows())

    def __add__(self, other: Sequence[Any]) -> GrownRows:
        return GrownRows(self, list(other))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (list, StoredRows, GrownRows)):
            return NotImplemented
        return _same_rows(self, other)

    __hash__ = None  # type: ignore[assignment]  # a sequence of rows, compared by value like a list


class GrownRows(Sequence[Any]):
    """The rows of a ``StoredRows`` table with ``added`` rows after them, read only when used."""

    def __init__(self, base: StoredRows, added: list[Any]) -> None:
        self.base, self.added = base, added

    def rows(self) -> list[Any]:
        return self.base.rows() + self.added

    def __len__(self) -> int:
        return len(self.base) + len(self.added)

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, int) and item >= len(self.base):
            return self.added[item - len(self.base)]
        return self.rows()[item]

    def __iter__(self) -> Iterator[Any]:
        yield from self.base
        yield from self.added

    def __add__(self, other: Sequence[Any]) -> GrownRows:
        return GrownRows(self.base, self.added + list(other))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (list, StoredRows, GrownRows)):
            return NotImplemented
        return _same_rows(self, other)

    __hash__ = None  # type: ignore[assignment]


def _same_rows(rows: Sequence[Any], other: Sequence[Any]) -> bool:
    return len(rows) == len(other) and all(a == b for a, b in zip(rows, other))


def own_link(path: Path) -> Path:
    """A new hard link to the store file ``path`` beside it, for a detached reader (``tables.open_for_reading``;
    named as a writer's leftover, so that a killed reader's is cleared too), or ``path`` itself where the
    file system has no hard links."""
    link = path.with_name(f".{path.name}.{secrets.token_hex(4)}.reader{TEMPORARY_SUFFIX}")
    try:
        os.link(path, link)
    except OSError:
        return path
    return link
