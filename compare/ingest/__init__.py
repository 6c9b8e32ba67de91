"""Files, folders, URLs, object stores; text, HTML, JSON(L), CSV and Parquet -> Articles (cleaned, with outlet and date), plus problems.

The flow, module by module: ``inputs`` (what to read) -> ``load`` (read each unit: ``files``,
``fetch``) -> ``pages`` or ``rows`` and ``tables`` (one article a page or a row) -> ``fields`` and
``articles`` (metadata, cleaning by ``clean``, outlet from ``outlets``, dates by ``dates``) ->
``corpus`` (duplicates dropped).
"""

from __future__ import annotations

from compare.ingest.corpus import Corpus, article_fingerprint, deduplicate_ids
from compare.ingest.files import decode_bytes
from compare.ingest.formats import (
    HTML_SUFFIXES,
    MAX_ARTICLE_CHARS,
    MAX_PAGE_BYTES,
    MAX_TABLE_BYTES,
    MIN_ARTICLE_WORDS,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
)
from compare.ingest.inputs import InputUnit, expand_inputs
from compare.ingest.load import fetch_url, load_bytes, load_corpus, load_file, load_unit
from compare.ingest.outlets import Outlet, OutletRegistry, load_registry, registry_fingerprint

__all__ = [
    "HTML_SUFFIXES",
    "MAX_ARTICLE_CHARS",
    "MAX_PAGE_BYTES",
    "MAX_TABLE_BYTES",
    "MIN_ARTICLE_WORDS",
    "TABLE_SUFFIXES",
    "TEXT_SUFFIXES",
    "Corpus",
    "InputUnit",
    "Outlet",
    "OutletRegistry",
    "article_fingerprint",
    "decode_bytes",
    "deduplicate_ids",
    "expand_inputs",
    "fetch_url",
    "load_bytes",
    "load_corpus",
    "load_file",
    "load_registry",
    "load_unit",
    "registry_fingerprint",
]
