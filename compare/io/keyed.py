"""Maps kept as tables of a saved analysis (the index's counts and wordings), read where their keys are used
and written back only where they changed.

A map's rows are grouped in parts (the rows of one outlet, of one statement, of one key): a part is read
whole the first time one of its keys is used, and a part whose values were set (or handed out to be changed
in place) is written again whole, by a ``DELETE`` of its rows and an ``INSERT`` of its new ones. Adding
one article to ten thousand then reads and writes the counts of its outlet and the wordings of the
statements its stories hold, not the 60 MB of every outlet and statement.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from compare.io.columns import rows_source


@dataclass(frozen=True)
class MapTable:
    """How a map is a table: its columns (name, DuckDB type), the first ``parts`` of them naming a part,
    how a key gives its part, and how rows become items and back.

    ``decode(columns)`` turns the table's columns (lists, in column order) into {key: value};
    ``encode(items)`` the items into the columns; ``mutable``: values are changed in place by who gets
    them (counters), so a part handed out is written again.
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    parts: int
    part_of: Callable[[Any], tuple[Any, ...]]
    decode: Callable[[list[list[Any]]], dict[Any, Any]]
    encode: Callable[[list[tuple[Any, Any]]], list[list[Any]]]
    mutable: bool
    empty: Callable[[], Any] | None = None  # the value of a known key that has no rows (an empty count: none kept)

    @property
    def part_columns(self) -> list[str]:
        return [column for column, _ in self.columns[: self.parts]]

    def write_whole(self, store: Any, items: Iterable[tuple[Any, Any]]) -> None:
        """The table made anew in ``store`` (an ``AnalysisStore`` being written) to hold ``items``."""
        store.connection.execute(f'DROP TABLE IF EXISTS "{self.name}"')
        listed = ", ".join(f'"{column}" {kind}' for column, kind in self.columns)
        store.connection.execute(f'CREATE TABLE "{self.name}" ({listed})')
        store._schema = None  # the store's cached columns miss the new table
        self.insert(store, list(items))

    def insert(self, store: Any, items: list[tuple[Any, Any]]) -> None:
        if not items:
            return
        values = self.encode(items)
        columns = dict(zip((column for column, _ in self.columns), values))
        with rows_source(store.connection, columns, dict(self.columns)) as (found, parameters):
            store.connection.execute(f'INSERT INTO "{self.name}" SELECT * FROM {found}', parameters)

    def delete_parts(self, store: Any, parts: Collection[tuple[Any, ...]]) -> None:
        if not parts:
            return
        columns = self.part_columns
        listed = {column: [part[at] for part in parts] for at, column in enumerate(columns)}
        matched = " AND ".join(f'"{self.name}"."{column}" = p."{column}"' for column in columns)
        with rows_source(store.connection, listed, dict(self.columns[: self.parts])) as (found, parameters):
            store.connection.execute(f'DELETE FROM "{self.name}" USING {found} p WHERE {matched}', parameters)


class StoredMap(MutableMapping[Any, Any]):
    """The map of table ``table.name`` in ``store`` (an ``AnalysisStore`` reader kept open while the map is
    used, as for ``StoredRows``), read a part at a time where its keys are used.

    ``keys``: every key, when known without reading the rows (the outlets of the terms counted per
    outlet): then the map's length and its keys need no read. Otherwise they read the whole table.
    """

    def __init__(self, store: Any, table: MapTable, keys: Iterable[Any] | None = None) -> None:
        self.store, self.table = store, table
        self._keys: dict[Any, None] | None = None if keys is None else dict.fromkeys(keys)
        self._values: dict[Any, Any] = {}
        self._loaded: set[tuple[Any, ...]] = set()
        self._complete: dict[int, set[Any]] = {}  # key column -> values whose keys are all read (``with_values``)
        self._whole = False
        self.touched: set[tuple[Any, ...]] = set()  # the parts to write again

    # ------------------------------------------------------------------ reading

    def preload(self, parts: Iterable[tuple[Any, ...]]) -> None:
        """Reads the parts not read yet in one query (a caller that knows which keys it will use)."""
        if self._whole:
            return
        missing = list(dict.fromkeys(part for part in parts if part not in self._loaded))
        if not missing:
            return
        columns = self.table.part_columns
        wanted = {column: [part[at] for part in missing] for at, column in enumerate(columns)}
        kinds = dict(self.table.columns[: self.table.parts])
        with rows_source(self.store.connection, wanted, kinds) as (found, parameters):
            self._read(f"SEMI JOIN {found} p USING ({', '.join(_quoted(column) for column in columns)})", parameters)
        self._loaded.update(missing)

    def with_values(self, column: str, values: Collection[Any]) -> list[Any]:
        """The keys whose ``column`` (one of the key's columns) holds one of ``values``, their rows read in one
        query (for a table whose part is its whole key, so that the rows found are whole parts)."""
        at = [name for name, _ in self.table.columns].index(column)
        if self.table.parts < 2 or at >= self.table.parts:
            raise ValueError(f"{self.table.name}: keys are found by a column of their own part only, not {column}")
        complete = self._complete.setdefault(at, set())
        missing = [value for value in dict.fromkeys(values) if value not in complete]
        if not self._whole and missing:
            kinds = dict([self.table.columns[at]])
            with rows_source(self.store.connection, {column: missing}, kinds) as (source, parameters):
                found = self._read(f'SEMI JOIN {source} p USING ("{column}")', parameters)
            self._loaded.update(found)
            complete.update(missing)  # every stored key with these values is read: a key not found is none
        wanted = set(values)
        return [key for key in self._values if key[at] in wanted]

    def load_all(self) -> StoredMap:
        """Reads every part not read yet; returns the map."""
        if not self._whole:
            self._read("")
            self._whole = True
            if self._keys is None:
                self._keys = dict.fromkeys(self._values)
            for key in self._keys:
                self._filled(key)
        return self

    def _filled(self, key: Any) -> None:
        """A known key whose value has no rows (an outlet that counted no term) gets the table's empty value."""
        if key not in self._values and self.table.empty is not None and self._keys is not None and key in self._keys:
            self._values[key] = self.table.empty()

    def plain(self) -> dict[Any, Any]:
        """Every item, as a dict (the table read whole)."""
        return dict(self.load_all()._values)

    def _read(self, joined: str, parameters: list[Any] | None = None) -> set[tuple[Any, ...]]:
        """Reads the rows ``joined`` keeps (all without it; ``parameters``: its values) of the parts not read yet;
        returns the parts found."""
        listed = ", ".join(f'"{column}"' for column, _ in self.table.columns)
        query = f'SELECT {listed} FROM "{self.table.name}" {joined}'
        found = self.store.connection.sql(query, params=parameters or None).to_arrow_table()
        decoded = self.table.decode([found.column(column).to_pylist() for column, _ in self.table.columns])
        parts = set()
        for key, value in decoded.items():  # a part read before keeps its values (they may have changed since)
            part = self.table.part_of(key)
            if part not in self._loaded:
                self._values[key] = value
                parts.add(part)
        return parts

    def _part(self, key: Any) -> tuple[Any, ...]:
        part = self.table.part_of(key)
        if not (self._whole or part in self._loaded or any(key[at] in found for at, found in self._complete.items())):
            self.preload([part])
        return part

    # ------------------------------------------------------------------ the mapping

    def __getitem__(self, key: Any) -> Any:
        part = self._part(key)
        self._filled(key)
        value = self._values[key]
        if self.table.mutable:
            self.touched.add(part)
        return value

    def __contains__(self, key: object) -> bool:
        if self._keys is not None:
            return key in self._keys
        self._part(key)
        return key in self._values

    def __setitem__(self, key: Any, value: Any) -> None:
        self.touched.add(self._part(key))
        self._values[key] = value
        if self._keys is not None:
            self._keys[key] = None

    def __delitem__(self, key: Any) -> None:
        self.touched.add(self._part(key))
        del self._values[key]
        if self._keys is not None:
            del self._keys[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._keys if self._keys is not None else self.load_all()._values))

    def __len__(self) -> int:
        return len(self._keys if self._keys is not None else self.load_all()._values)

    # ------------------------------------------------------------------ writing

    def changed_items(self) -> list[tuple[Any, Any]]:
        """The items of the parts to write again."""
        part_of, touched = self.table.part_of, self.touched
        return [(key, value) for key, value in self._values.items() if part_of(key) in touched]

    def written_to(self, store: Any) -> bool:
        """Writes the changed parts into ``store`` when it is a copy of the store this map reads (the table in
        place: the file the writer copied); returns whether it did (else the caller writes the map whole)."""
        if store.path != self.store.path or not store.has_table(self.table.name):
            return False
        self.table.delete_parts(store, self.touched)
        self.table.insert(store, self.changed_items())
        return True


def _quoted(column: str) -> str:
    return f'"{column}"'


def store_map(store: Any, table: MapTable, mapping: Mapping[Any, Any], update: bool) -> None:
    """Writes ``mapping`` as ``table`` into ``store`` (an ``AnalysisStore`` being written): only its changed parts
    when it is a ``StoredMap`` of the store this one updates (``update``), else whole."""
    if update and isinstance(mapping, StoredMap) and mapping.written_to(store):
        return
    if isinstance(mapping, StoredMap):
        mapping.load_all()
    table.write_whole(store, mapping.items())


def keys_with(mapping: Mapping[Any, Any], at: int, column: str, values: Collection[Any]) -> list[Any]:
    """The keys of ``mapping`` whose ``at``-th part (the table's ``column``) holds one of ``values``: of a
    ``StoredMap``, their rows read in one query; of a dict, found by a scan."""
    if isinstance(mapping, StoredMap):
        return mapping.with_values(column, values)
    wanted = set(values)
    return [key for key in mapping if key[at] in wanted]


def preload(mapping: Mapping[Any, Any], parts: Iterable[tuple[Any, ...]]) -> None:
    """Reads the ``parts`` a caller will use in one query when ``mapping`` is a ``StoredMap`` (a dict holds them)."""
    if isinstance(mapping, StoredMap):
        mapping.preload(parts)
