"""What makes a saved run unfit to add to although its store opens: damaged entries, another version's columns."""

from __future__ import annotations

from compare.io.columns import columns_of
from compare.io.tables import AnalysisStore
from compare.model.errors import InputError


def damaged_entry(store: AnalysisStore) -> str:
    """Why the entries an addition reads first (the manifest of inputs, the analysis's settings) cannot be read,
    or "": a damaged one was a traceback, or "keeps no index" and the store replaced by a full run."""
    try:
        store.get("manifest")
        store.get("analysis")
    except InputError as error:
        return str(error).removeprefix(f"{store.path}: ")
    return ""


def unknown_columns(store: AnalysisStore) -> str:
    """Why a store whose tables have columns this version does not write (a newer version's) cannot be added to,
    or "": an addition appends rows without them, which failed as "error: cannot write OUT/analysis.duckdb:
    Binder Error: table "statements" has 12 columns but 11 values were supplied" after the whole addition."""
    import numpy as np

    from compare.engines.analysis import Analysis
    from compare.engines.saved import analysis_tables
    from compare.model.framing import Framing

    empty = Analysis([], [], [], [], [], np.zeros((0, 1)), framing=Framing())
    for name, row_type, _ in analysis_tables(empty):
        known = {"_pos"} | {column for column, _ in columns_of(row_type)}  # _pos: the row order the store keeps
        unknown = sorted(set(store.table_columns(name)) - known)
        if unknown:
            return (
                f"its table {name} has columns this version of Parallax does not write ({', '.join(unknown[:5])}):"
                " another version made it"
            )
    return ""
