"""The public Python API: analyse a corpus, add articles to an analysis, save and read analyses.

The stages are ``compare.ingest``, ``segment``, ``embed``, ``cluster`` and ``framing``; the
drivers that run them are in ``compare.engines`` (local, incremental, Ray).
"""

from __future__ import annotations

from compare.engines.analysis import Analysis, AnalysisIndex, Progress
from compare.engines.incremental import extend
from compare.engines.local import analyze
from compare.engines.saved import (
    analysis_from_dict,
    export_json,
    is_parallax_analysis_json,
    load_analysis,
    read_saved_analysis,
    read_stored_manifest,
    save_analysis,
)

__all__ = [
    "Analysis",
    "AnalysisIndex",
    "Progress",
    "analysis_from_dict",
    "analyze",
    "export_json",
    "extend",
    "is_parallax_analysis_json",
    "load_analysis",
    "read_saved_analysis",
    "read_stored_manifest",
    "save_analysis",
]
