"""A table file (JSON, JSON Lines, CSV, Parquet) -> one article a row, its ambiguous dates read alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from compare.ingest.articles import ArticleDraft, build_article
from compare.ingest.corpus import Corpus
from compare.ingest.dates import DateReading
from compare.ingest.fields import (
    as_name,
    as_text,
    extra_fields,
    markup_text,
    metadata_from,
    missing_text,
    pick_fields,
    repaired_text,
    unkept_fields,
)
from compare.ingest.outlets import OutletRegistry
from compare.ingest.rows import RowNumber, Rows, csv_layout, csv_rows, json_rows, jsonl_rows
from compare.model.documents import Article, Problem

DatedRow = tuple[int, str, DateReading]  # (article position in the corpus, "row 3", its date reading)


@dataclass(frozen=True)
class TableFile:
    """Where rows come from: the file's name (each row's source is ``name:number``) and its stem (ids)."""

    source: str
    stem: str

    def row_source(self, number: RowNumber) -> str:
        return self.source if number == 0 else f"{self.source}:{number}"

    def row_id(self, number: RowNumber) -> str:
        return self.stem if number == 0 else f"{self.stem}-{number}"


def text_table_corpus(text: str, table: TableFile, suffix: str, registry: OutletRegistry) -> Corpus:
    """The articles of a JSON, JSON Lines, CSV or TSV file's text (``suffix`` says which)."""
    if suffix in {".jsonl", ".ndjson"}:
        return rows_corpus(jsonl_rows(text), table, registry)
    if suffix == ".json":
        return rows_corpus(json_rows(text), table, registry)
    return _csv_corpus(text, table, registry, delimiter="\t" if suffix == ".tsv" else ",")


def _csv_corpus(text: str, table: TableFile, registry: OutletRegistry, delimiter: str) -> Corpus:
    text, found, note = csv_layout(text, delimiter)
    corpus = rows_corpus(csv_rows(text, found), table, registry)
    if note:
        corpus.problems.insert(0, Problem(table.source, note))
    return corpus


def rows_corpus(rows: Rows, table: TableFile, registry: OutletRegistry) -> Corpus:
    """One article a readable row; a problem for each row that is not, or that is read with a doubt."""
    corpus = Corpus()
    seen = 0
    dates: list[DatedRow] = []  # for the file's day/month order
    fields = _UnkeptFields()
    for number, row, error in rows:
        seen += 1
        article, reading, problems = _row_article(number, row, error, table, registry)
        if article and row is not None:
            dates.extend((len(corpus.articles), f"row {number}", found) for found in reading)
            corpus.articles.append(article)
            fields.add(number, row, article)
        corpus.problems.extend(problems)
    if seen == 0:
        corpus.problems.append(Problem(table.source, "file holds no rows, so no article"))
    _settle_day_month_order(corpus, table.source, dates)
    corpus.problems.extend(fields.problems(table.source))
    return corpus


class _UnkeptFields:
    """Fields a file gives as one value in some rows but as a list or an object in others (a gold label
    written ``["a", "b"]``): those rows' articles lose the field, so each such field gets one problem."""

    def __init__(self) -> None:
        self.plain: set[str] = set()
        self.unkept: dict[str, list[tuple[RowNumber, str]]] = {}

    def add(self, number: RowNumber, row: Mapping[str, Any], article: Article) -> None:
        self.plain.update(article.extra)
        for name, kind in unkept_fields(row).items():
            self.unkept.setdefault(name, []).append((number, kind))

    def problems(self, source: str) -> list[Problem]:
        problems = []
        for name, found in self.unkept.items():
            if name not in self.plain:
                continue  # never one value in this file (BASIL's main-entities): a list by design
            shown = "; ".join(f"row {number}: {kind}" for number, kind in found[:3])
            more = f"; {len(found) - 3} more rows" if len(found) > 3 else ""
            count = "1 row" if len(found) == 1 else f"{len(found)} rows"
            problems.append(
                Problem(
                    source,
                    f"field {name!r} is a list or an object, not a string or number, in {count} ({shown}{more}); "
                    f"the file's other rows give it as one value; these rows' articles are kept without {name!r}",
                )
            )
        return problems


def _row_article(
    number: RowNumber, row: Mapping[str, Any] | None, error: str | None, table: TableFile, registry: OutletRegistry
) -> tuple[Article | None, tuple[DateReading, ...], list[Problem]]:
    """(the row's article or None, the reading of its published date, the problems it gives)."""
    row_source = table.row_source(number)
    if error or row is None:
        return None, (), [Problem(row_source, error or "unreadable row")]
    values = pick_fields(row)
    if "text" not in values:
        return None, (), [Problem(row_source, missing_text(row))]
    text, text_problem = as_text(values["text"])
    if text is None:
        return None, (), [Problem(row_source, text_problem or "text is empty")]
    notes: list[str] = []
    unmarked = markup_text(text)
    if unmarked is not None:
        text = unmarked
        notes.append("text holds HTML markup (<p>, <div>, …), as a scraper or WordPress stores it; read as its text")
    else:
        text, repairs = repaired_text(text)
        notes.extend(repairs)
    given = metadata_from(values, notes)
    article_id = as_name("id", values.get("id"), notes) or table.row_id(number)
    draft = ArticleDraft(article_id, text, row_source, given, extra_fields(row), defer_ambiguous_dates=True)
    problems: list[Problem] = []
    article = build_article(draft, registry, problems)
    if article is None:
        return None, (), problems
    return article, given.dates[:1], [*problems, *(Problem(row_source, note) for note in notes)]


def _settle_day_month_order(corpus: Corpus, source: str, dates: list[DatedRow]) -> None:
    """Reads a file's ambiguous dates (03/05/2024) the way its unambiguous ones are written, day-first otherwise.

    One note per file says how they were read, instead of one per row.
    """
    ambiguous = [(position, row, reading) for position, row, reading in dates if reading.month_first]
    if not ambiguous:
        return
    orders = Counter(reading.order for _, _, reading in dates if reading.order)
    example = {order: next(r.value for _, _, r in dates if r.order == order) for order in orders}
    _, first_row, first = ambiguous[0]
    count = f"{len(ambiguous)} dates such as '{first.value}' ({first_row})"
    if len(ambiguous) == 1:
        count = f"date '{first.value}' ({first_row})"
    if orders["month-first"] and not orders["day-first"]:
        for position, _, reading in ambiguous:
            if corpus.articles[position].published == reading.iso:
                corpus.articles[position] = replace(corpus.articles[position], published=reading.month_first)
        how = f"read month-first ({first.month_first}), as this file's other dates are written (e.g. '{example['month-first']}')"
    elif orders["day-first"] and not orders["month-first"]:
        how = f"read day-first ({first.iso}), as this file's other dates are written (e.g. '{example['day-first']}')"
    else:
        why = "this file's other dates are written both ways" if orders else "nothing in the file tells"
        how = f"read day-first ({first.iso}): {why}; write dates as YYYY-MM-DD to be sure"
    corpus.problems.append(Problem(source, f"{count} could be day or month first; {how}"))
