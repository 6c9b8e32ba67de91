"""A stored table kept as its columns, its rows made only where they are asked for.

Adding one article to 10,200 reads 251,000 statements, and making each a dataclass cost a second of
CPU, although the addition looks at the rows of a few hundred (the added articles, the re-clustered
components, the re-framed stories) and at one or two columns of the others (ids, articles, outlets).
``ColumnRows`` is a sequence of the same rows as ``read_table`` gives: a row is made the first time it
is asked for and kept, so that it is one object however often it is read; ``column_of`` gives a
column without making rows. Fields no caller reads whole (a statement's text, an article's) can be left
unread: they are read for the rows made, a block of neighbouring rows at a time (``LaterColumns``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

# Rows of the unread fields read at once around a row made, unless the table says (``LaterColumns.block_rows``).
# An addition to BASIL x 34 makes 370 of 251,000 statements in 5 such blocks (an article's statements, and the
# articles of a story, lie together); a block is one query of 2-4 ms of CPU.
LATER_BLOCK_ROWS = 2048
# Blocks read before the unread fields are read whole (one query, as though all had been read at first): rows
# made all over the table cost at most this many queries more.
LATER_BLOCKS = 12


@dataclass(frozen=True)
class LaterColumns:
    """Fields of a table left unread, and ``read(fields, start, stop)``: their values (undecoded) in rows ``start``
    to ``stop`` (from the same version of the store), field -> list; ``order``: every field of a row, in order."""

    fields: tuple[str, ...]
    read: Callable[[tuple[str, ...], int, int], dict[str, list[Any]]]
    order: tuple[str, ...]
    block_rows: int = 0  # 0: LATER_BLOCK_ROWS


class ColumnRows(Sequence[Any]):
    """Rows of ``row_type`` held as ``columns`` (field name -> values, one field each, in field order: a list, or
    an Arrow array made a list when the column is asked for, so that a column no caller reads whole stays in
    Arrow); the values of ``decoders``' fields are decoded when a row or that column is asked for. ``later``:
    fields not in ``columns``, read where used (``LaterColumns``); ``fields``: every field, in order."""

    def __init__(
        self,
        row_type: type,
        columns: dict[str, Any],
        decoders: dict[str, Callable[[Any], Any]] | None = None,
        later: LaterColumns | None = None,
    ) -> None:
        self.row_type, self.columns, self.decoders = row_type, columns, dict(decoders or {})
        self.length = len(next(iter(columns.values()))) if columns else 0
        self.made: list[Any] = [None] * self.length
        self.unmade = self.length
        self.later = later if later is not None and later.fields else None
        self.fields = tuple(columns) if self.later is None else self.later.order
        self.blocks: dict[int, dict[str, list[Any]]] = {}  # block number -> the later fields' values there
        self.block_rows = (self.later.block_rows if self.later is not None else 0) or LATER_BLOCK_ROWS

    def row(self, position: int) -> Any:
        found = self.made[position]
        if found is None:
            block = self._block(position) if self.later is not None else None  # first: it may read them whole
            values = {
                name: values[position] if isinstance(values, list) else values[position].as_py()
                for name, values in self.columns.items()
            }
            if block is not None:  # the fields still unread (a field read whole since is a column, decoded)
                offset = position % self.block_rows
                values.update((name, block[name][offset]) for name in block if name not in values)
                values = {name: values[name] for name in self.fields}  # in field order, as ``columns.rows_of``
            for name, decode in self.decoders.items():
                values[name] = decode(values[name])
            found = object.__new__(self.row_type)  # as ``columns.rows_of`` fills them: every field, in order
            object.__setattr__(found, "__dict__", values)
            self.made[position] = found
            self.unmade -= 1
        return found

    def column(self, name: str) -> list[Any]:
        """The values of field ``name`` of every row, in order (decoded), without making the rows."""
        values = self._listed(name)
        decode = self.decoders.pop(name, None)
        if decode is not None:
            values = self.columns[name] = [decode(value) for value in values]
        return values

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, slice):
            return [self.row(position) for position in range(*item.indices(self.length))]
        position = item.__index__()
        if position < 0:
            position += self.length
        if not 0 <= position < self.length:
            raise IndexError("row index out of range")
        return self.row(position)

    def __iter__(self) -> Iterator[Any]:
        if self.unmade:  # every row is made: from lists, not value by value from Arrow
            for name in self.fields:
                self._listed(name)
        return iter(self.made) if self.unmade == 0 else map(self.row, range(self.length))

    def _listed(self, name: str) -> list[Any]:
        if name not in self.columns:
            assert self.later is not None, name
            self.columns.update(self.later.read((name,), 0, self.length))
        values = self.columns[name]
        if not isinstance(values, list):
            values = self.columns[name] = values.to_pylist()
        return values

    def _block(self, position: int) -> dict[str, list[Any]]:
        """The later fields' values in the block of rows holding ``position`` (none once they are read whole)."""
        assert self.later is not None
        number = position // self.block_rows
        block = self.blocks.get(number)
        if block is None:
            unread = tuple(name for name in self.later.fields if name not in self.columns)
            if not unread:
                return {}
            if len(self.blocks) >= LATER_BLOCKS:
                self._read_later_whole()
                return {}
            start = number * self.block_rows
            block = self.blocks[number] = self.later.read(unread, start, min(start + self.block_rows, self.length))
        return block

    def _read_later_whole(self) -> None:
        assert self.later is not None
        unread = tuple(name for name in self.later.fields if name not in self.columns)
        self.columns.update(self.later.read(unread, 0, self.length))
        self.blocks.clear()

    def __add__(self, other: Sequence[Any]) -> GrownColumnRows:
        return GrownColumnRows(self, list(other))

    def __eq__(self, other: object) -> bool:
        return _equal(self, other)

    __hash__ = None  # type: ignore[assignment]  # a sequence of rows, compared by value like a list


class GrownColumnRows(ColumnRows):
    """The rows of ``base`` (the same objects), then ``added``: what adding articles makes of stored rows."""

    def __init__(self, base: ColumnRows, added: list[Any]) -> None:
        self.base, self.added = base, added
        self.row_type, self.length = base.row_type, len(base) + len(added)
        self.grown_columns: dict[str, list[Any]] = {}

    def row(self, position: int) -> Any:
        return self.base.row(position) if position < self.base.length else self.added[position - self.base.length]

    def column(self, name: str) -> list[Any]:
        if name not in self.grown_columns:
            self.grown_columns[name] = self.base.column(name) + [getattr(row, name) for row in self.added]
        return self.grown_columns[name]

    def __iter__(self) -> Iterator[Any]:
        return itertools.chain(self.base, self.added)

    def __add__(self, other: Sequence[Any]) -> GrownColumnRows:
        return GrownColumnRows(self.base, self.added + list(other))


def _equal(rows: Sequence[Any], other: object) -> bool:
    if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
        return NotImplemented
    return len(rows) == len(other) and all(a == b for a, b in zip(rows, other))


def column_of(rows: Sequence[Any], name: str) -> list[Any]:
    """Field ``name`` of every row of ``rows`` (a list, or ``ColumnRows`` without making its rows)."""
    if isinstance(rows, ColumnRows):
        return rows.column(name)
    return [getattr(row, name) for row in rows]


def extends(rows: Sequence[Any], earlier: Sequence[Any]) -> bool:
    """Whether ``rows`` are ``earlier``'s rows with others after them (``ColumnRows + rows``)."""
    return isinstance(rows, GrownColumnRows) and rows.base is earlier
