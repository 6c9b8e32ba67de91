"""Tables of a saved analysis read only when their rows are used, and rows appended to or replaced in them
without reading the others."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

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


@dataclass(frozen=True)
class Dropped:
    """The rows whose ``column`` holds one of ``values`` (and, with ``when_null``, whose ``when_null`` is None)."""

    column: str
    values: frozenset[str]
    when_null: str | None = None

    def matches(self, row: Any) -> bool:
        return getattr(row, self.column) in self.values and (
            self.when_null is None or getattr(row, self.when_null) is None
        )


@dataclass(frozen=True)
class Order:
    """Where rows go: by ``rank`` (a row's place, e.g. the position of its claim now), then in their order before,
    fresh rows after carried ones; the store gets the same order from SQL: the ``_pos`` of the row of ``table``
    whose ``id`` is the row's ``column`` (or, with ``members``, whose list column ``members`` holds it), or,
    without a ``table``, the value of ``column`` itself (``rank`` gives that value then).

    None instead of an ``Order``: carried rows in their order, then the fresh ones.
    """

    table: str | None
    column: str | tuple[str, ...]  # several only without a table
    rank: Callable[[Any], Any]
    members: str | None = None


class ReplacedRows(Sequence[Any]):
    """The rows of a stored table (``base``) without the ``dropped`` ones, with ``fresh`` rows, in ``order``:
    what a framing signal's ``extend`` makes when it carries the rows of kept claims and stories over. Read
    only when used; the writer deletes the dropped rows and inserts the fresh ones by SQL
    (``AnalysisStore.update_table``), so that an addition neither reads nor writes the carried rows."""

    def __init__(self, base: StoredRows, dropped: Sequence[Dropped], fresh: list[Any], order: Order | None) -> None:
        self.base, self.dropped, self.fresh, self.order = base, tuple(dropped), fresh, order
        self._rows: list[Any] | None = None

    def rows(self) -> list[Any]:
        if self._rows is None:
            self._rows = _replaced(self.base.rows(), self.dropped, self.fresh, self.order)
        return self._rows

    def __len__(self) -> int:
        if self._rows is not None:
            return len(self._rows)
        return self.base.store.row_count(self.base.name, *dropped_condition(self.dropped, keep=True)) + len(self.fresh)

    def __getitem__(self, item: Any) -> Any:
        return self.rows()[item]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (list, StoredRows, GrownRows, ReplacedRows)):
            return NotImplemented
        return _same_rows(self, other)

    __hash__ = None  # type: ignore[assignment]


def replaced_rows(old: Sequence[Any], dropped: Sequence[Dropped], fresh: list[Any], order: Order | None) -> list[Any]:
    """``old`` without the ``dropped`` rows, with ``fresh`` rows, in ``order`` (see ``Order``): a list, or, when
    ``old`` is a stored table not read yet, a ``ReplacedRows`` that leaves the carried rows in the store (and
    stands for the list in ``Framing``, as ``StoredRows`` does)."""
    if isinstance(old, StoredRows) and old._rows is None:
        return cast(list[Any], ReplacedRows(old, dropped, fresh, order))
    return _replaced(old, dropped, fresh, order)


def rows_with(rows: Sequence[Any], column: str, values: Collection[str]) -> list[Any]:
    """The rows whose ``column`` holds one of ``values``, in order: asked of the store when ``rows`` is a stored
    table not read yet (the rows of a few stories, without reading the table)."""
    if isinstance(rows, StoredRows) and rows._rows is None:
        where = f'_pos < ? AND "{column}" IN (SELECT unnest(?::VARCHAR[]))'
        return rows.store.read_table(rows.name, rows.row_type, where, [rows.length, sorted(values)])
    wanted = set(values)
    if isinstance(rows, ReplacedRows) and rows._rows is None and rows.base._rows is None:  # carried rows: asked too
        return _replaced(
            rows_with(rows.base, column, values), rows.dropped, rows_with(rows.fresh, column, values), rows.order
        )
    return [row for row in rows if getattr(row, column) in wanted]


def _replaced(old: Sequence[Any], dropped: Sequence[Dropped], fresh: list[Any], order: Order | None) -> list[Any]:
    rows = [row for row in old if not any(drop.matches(row) for drop in dropped)] + fresh
    if order is not None:
        rows.sort(key=order.rank)  # stable: carried rows keep their order, fresh ones come after them
    return rows


def dropped_condition(dropped: Collection[Dropped], keep: bool = False) -> tuple[str, list[Any]]:
    """An SQL condition (with its parameters) true for the ``dropped`` rows (``keep``: for the others)."""
    parts, parameters = [], []
    for drop in dropped:
        part = f'coalesce("{drop.column}" IN (SELECT unnest(?::VARCHAR[])), false)'  # a hash join, not a scan per row
        if drop.when_null is not None:
            part += f' AND "{drop.when_null}" IS NULL'
        parts.append(f"({part})")
        parameters.append(sorted(drop.values))
    condition = " OR ".join(parts) or "false"
    return (f"NOT ({condition})" if keep else condition), parameters


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
