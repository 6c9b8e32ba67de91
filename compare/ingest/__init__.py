"""The ingest stage: files, folders, URLs and object stores -> Articles (cleaned, with outlet and date), plus problems.

The flow, module by module: ``inputs`` (what to read; ``sidecars`` beside page files) -> ``load``
(each unit read: ``files``, ``fetch``) -> ``pages``, or ``rows`` and ``tables`` (one article a page
or a row; a news database's text export split by ``news_databases``) -> ``fields`` (the metadata given) and ``articles`` (cleaned by ``clean``, line by line
with ``lines``; outlet from ``outlets``, dates by ``dates``) -> ``corpus`` (duplicates dropped).
``formats`` holds the file types read and the size limits; ``datafiles`` reads the CSV files users
edit (an outlet registry, word lists), naming each problem by file and line.
"""

from __future__ import annotations

from compare.ingest.corpus import (
    Corpus,
    article_fingerprint,
    deduplicate_ids,
    one_spelling_per_outlet,
    outlet_spellings,
)
from compare.ingest.files import decode_bytes
from compare.ingest.formats import MAX_ARTICLE_CHARS, MAX_PAGE_BYTES, MAX_TABLE_BYTES, MIN_ARTICLE_WORDS
from compare.ingest.inputs import InputUnit, expand_inputs
from compare.ingest.load import fetch_url, load_bytes, load_corpus, load_file, load_unit
from compare.ingest.outlets import Outlet, OutletRegistry, load_registry, registry_fingerprint

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_PAGE_BYTES",
    "MAX_TABLE_BYTES",
    "MIN_ARTICLE_WORDS",
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
    "one_spelling_per_outlet",
    "outlet_spellings",
    "registry_fingerprint",
]
