"""Which rows of a stored table an update changes: rows kept in order move, the others go or come."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from compare.io.deferred import Order, ReplacedRows, dropped_condition

if TYPE_CHECKING:
    from compare.io.tables import AnalysisStore


_NONE = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class RowChanges:
    """How a table goes from ``old`` to ``new`` (positions in each): delete ``dropped``, move the kept rows
    from ``moved_from`` to ``moved_to``, insert ``new``'s rows at ``added``."""

    dropped: np.ndarray
    moved_from: np.ndarray
    moved_to: np.ndarray
    added: list[int]


def row_changes(old: Sequence[Any], new: Sequence[Any]) -> RowChanges | None:
    """The rows of ``new`` that ``old`` holds in the same order, matched as the same objects (a row carried
    over by an addition) or else as equal rows, and what else changes; None when most rows change (then
    writing the table whole is cheaper).

    Adding an article inserts claims and stories in the middle of their lists (largest first), which
    shifts the rows after them: matched by position, nearly every row would differ. Matched this way,
    only the rows of changed claims and stories are written, and the others get their new positions.
    """
    if len(new) >= len(old) and all(map(operator.is_, old, new)):  # rows appended to a list of the same rows
        return RowChanges(_NONE, _NONE, _NONE, list(range(len(old), len(new))))
    matched = _matched(old, new, {id(row): position for position, row in enumerate(old)})
    if len(matched) <= len(new) // 2 and len(new) > 1:
        try:
            by_value = {row: position for position, row in enumerate(old)}
            matched = _matched(old, new, by_value, by_value=True)
        except TypeError:  # a row with a dict field (either side's; the old side may have had none): not hashable
            return None
        if len(matched) <= len(new) // 2:
            return None
    kept_old = np.fromiter(matched.values(), dtype=np.int64, count=len(matched))
    kept_new = np.fromiter(matched.keys(), dtype=np.int64, count=len(matched))
    gone = np.ones(len(old), dtype=bool)
    gone[kept_old] = False
    moved = kept_old != kept_new
    return RowChanges(
        dropped=np.flatnonzero(gone),
        moved_from=kept_old[moved],
        moved_to=kept_new[moved],
        added=[position for position in range(len(new)) if position not in matched],
    )


def _matched(
    old: Sequence[Any], new: Sequence[Any], position_of: dict[Any, int], by_value: bool = False
) -> dict[int, int]:
    """New position -> old position of the rows of ``new`` found in ``old`` after the previous one found
    (so that the kept rows keep their order); each old row matched once."""
    if not by_value and len(position_of) != len(old):  # one object at two positions: matched by value then
        return {}
    matched: dict[int, int] = {}
    last = -1
    for position, row in enumerate(new):
        earlier = position_of.get(row if by_value else id(row))
        if earlier is not None and earlier > last:
            matched[position] = earlier
            last = earlier
    return matched


def replace_rows(store: AnalysisStore, name: str, row_type: type, new: ReplacedRows) -> int:
    """The dropped rows deleted, the fresh ones inserted after the others, and every row's ``_pos`` made
    again in SQL from ``new.order`` (the rank of its claim, story or statement in the tables written
    before it); written whole when a row has no rank there (what the order names is not stored)."""
    condition, parameters = dropped_condition(new.dropped)
    store.connection.execute(f'DELETE FROM "{name}" WHERE {condition}', parameters)
    first = store.connection.execute(f'SELECT coalesce(max(_pos) + 1, 0) FROM "{name}"').fetchall()[0][0]
    store._insert(name, row_type, new.fresh, range(first, first + len(new.fresh)))
    ranked = _ranked(name, new.order)
    store.connection.execute(f"CREATE OR REPLACE TEMP TABLE _renumbered AS {ranked}")
    (numbered,) = store.connection.execute("SELECT count(*) FROM _renumbered").fetchall()[0]
    if numbered != store.row_count(name):
        store.connection.execute("DROP TABLE _renumbered")
        store.write_table(name, row_type, new.rows())
        return len(new)
    store.connection.execute(
        f'UPDATE "{name}" SET _pos = r.new FROM _renumbered r WHERE "{name}"._pos = r.old AND r.old <> r.new'
    )
    store.connection.execute("DROP TABLE _renumbered")
    return len(new.fresh)


def _ranked(name: str, order: Order | None) -> str:
    """SQL of (old, new) ``_pos`` of every row of table ``name`` in ``order`` (see ``compare.io.deferred.Order``)."""
    if order is None:
        return f'SELECT _pos AS old, row_number() OVER (ORDER BY _pos) - 1 AS new FROM "{name}"'
    columns = (order.column,) if isinstance(order.column, str) else order.column
    if order.table is None:  # by the values themselves; VARCHAR sorts by code point, as Python's str
        listed = ", ".join(f'"{column}"' for column in columns)
        return f'SELECT _pos AS old, row_number() OVER (ORDER BY {listed}, _pos) - 1 AS new FROM "{name}"'
    ranks = (
        f'(SELECT unnest("{order.members}") AS id, _pos FROM "{order.table}")'
        if order.members
        else f'(SELECT id, _pos FROM "{order.table}")'
    )
    return (
        f'SELECT t._pos AS old, row_number() OVER (ORDER BY o._pos, t._pos) - 1 AS new FROM "{name}" t'
        f' JOIN {ranks} o ON o.id = t."{columns[0]}"'
    )
