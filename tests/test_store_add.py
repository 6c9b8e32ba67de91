"""Adding an article by the CLI: the store it updates in place holds, table by table, what a whole write
of the same analysis holds, and the analysis equals the one ``extend`` makes in process."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

import compare.engines.saved
from compare.cli import main
from compare.embed import get_embedder
from compare.engines.browse import SavedQueries
from compare.engines.index_arrays import read_arrays
from compare.engines.keys import store_indexes
from compare.engines.summaries import write_story_summaries
from compare.framing import APPENDED_TABLES, CARRIED_TABLES, terms, wording
from compare.ingest import load_corpus, load_registry
from compare.io.deferred import ReplacedRows, StoredRows
from compare.io.keyed import MapTable, StoredMap
from compare.io.tables import reading
from compare.pipeline import analyze, extend, load_analysis, read_stored_manifest, save_analysis
from compare.views.story import StorySummary, story_summaries

from .conftest import SEEDS, multi_outlet_corpus


def _store_content(folder: Path) -> dict[str, Any]:
    """Every table of the store as its rows in order, the vectors, every other blob by key (by content,
    whatever file holds it)."""
    content: dict[str, Any] = {}
    with reading(folder) as store:
        tables = [name for (name,) in store.connection.execute("SHOW TABLES").fetchall()]
        for name in tables:
            if name == "blobs":
                keys = [key for (key,) in store.connection.execute("SELECT key FROM blobs ORDER BY key").fetchall()]
                # vectors/FIRST: the blocks differ (an update adds one from its first new row); compared as rows below
                # index/NAME[+RUN]: an array in runs (an update adds one of the rows it appended); compared as arrays
                content["blobs"] = {
                    key: store.get_blob(key) for key in keys if not key.startswith(("vectors/", "index/", "manifest"))
                }
                manifest = store.get("manifest")
                if manifest is not None:
                    content["manifest"] = {key: value for key, value in manifest.items() if key != "runs"}
                    arrays = read_arrays(store, manifest["arrays"], manifest.get("runs") or {}).arrays
                    content["index arrays"] = {name: (array.dtype, array.tolist()) for name, array in arrays.items()}
            elif name == "vectors":
                content["vectors"] = store.read_vectors()  # every row, whichever blocks hold it
            elif "_pos" in store.table_columns(name):
                content[name] = store.connection.execute(f'SELECT * FROM "{name}" ORDER BY _pos').fetchall()
            else:  # the index's maps (``compare.engines.stored_index``): a set of rows, changed by key
                content[name] = sorted(store.connection.execute(f'SELECT * FROM "{name}"').fetchall())
        content["indexes"] = store_indexes(store)  # kept by the update or made again (compare.engines.keys)
    return content


def test_the_store_updated_by_adding_one_article_equals_a_whole_write_of_the_same_analysis(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in [*seeds[:-1], SEEDS / "sources.csv"]:
        shutil.copy(path, folder)
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    shutil.copytree(out, tmp_path / "before")
    shutil.copy(seeds[-1], folder)
    remade: list[Any] = []  # the stories whose summary rows the addition made again (None: every story)

    def summaries_written(store: Any, stories: Any = None) -> int:
        remade.append(stories)
        return write_story_summaries(store, stories)

    with monkeypatch.context() as patched:
        patched.setattr(compare.engines.saved, "write_story_summaries", summaries_written)
        assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0

    # The same addition in process, as the Python API makes it, and written whole to a new folder.
    previous = load_analysis(tmp_path / "before", with_index=True)
    expected = extend(previous, load_corpus([folder / seeds[-1].name]), get_embedder())
    manifest = read_stored_manifest(out)
    assert manifest is not None
    kept = {key: value for key, value in manifest.items() if key not in ("version", "arrays")}
    save_analysis(expected, tmp_path / "whole", index_manifest=kept)

    updated, whole = _store_content(out), _store_content(tmp_path / "whole")
    assert updated.keys() == whole.keys()
    with reading(out) as store:  # the rows the article added to the index's arrays, stored after the others
        runs = store.get("manifest")["runs"]
    assert runs["story_vectors"] == runs["claim_article_of"] == runs["shingle_hashes"] == 2
    assert len(updated["statements"]) > len(previous.statements) and len(updated["claims"]) > 1
    for name in updated:
        if name == "vectors":
            assert np.array_equal(updated[name], whole[name])
        else:
            assert updated[name] == whole[name], name
    # The story list's rows: made again for the stories the article joined or made only, and what the
    # dashboard lists is the story list of the analysis in memory.
    assert len(remade) == 1 and remade[0] is not None and 0 < len(remade[0]) < len(expected.stories)
    assert updated["story_summaries"] != _store_content(tmp_path / "before")["story_summaries"]
    listed = [StorySummary(**row, search_text="") for row in SavedQueries(out).summary_rows()]
    assert listed == [replace(summary, search_text="") for summary in story_summaries(expected.to_dict())]


def test_adding_to_a_saved_analysis_reads_and_writes_none_of_the_earlier_rows_of_the_appended_tables(
    tmp_path, embedder
):
    """The tables adding only appends to (``APPENDED_TABLES``) are read when used, not before: extending a
    saved analysis and writing it back leaves their earlier rows unread, and gives what a whole read gives."""
    seeds = sorted(SEEDS.glob("*.txt"))
    registry = load_registry()  # the bundled one: a sources.csv sidecar is no registry (it has no name column)
    first = analyze(load_corpus(seeds[:-1], registry), embedder=embedder)
    save_analysis(first, tmp_path / "deferred", index_manifest={})
    shutil.copytree(tmp_path / "deferred", tmp_path / "whole")
    added = load_corpus(seeds[-1:], registry)

    previous = load_analysis(tmp_path / "deferred", with_index=True, deferred=APPENDED_TABLES)
    assert previous.framing is not None
    deferred = [getattr(previous.framing, name) for name in APPENDED_TABLES]
    assert all(isinstance(rows, StoredRows) for rows in deferred)
    assert previous.framing.tone == first.framing.tone  # read when compared, as a list would be
    previous.framing.tone._rows = None  # unread again, for what follows
    extended = extend(previous, added, embedder)
    save_analysis(extended, tmp_path / "deferred", index_manifest={}, previous=previous)
    assert all(rows._rows is None for rows in deferred)  # neither extend nor the write read them

    whole_previous = load_analysis(tmp_path / "whole", with_index=True)
    expected = extend(whole_previous, added, embedder)
    save_analysis(expected, tmp_path / "whole", index_manifest={}, previous=whole_previous)
    assert len(expected.framing.tone) > len(first.framing.tone)
    updated, whole = _store_content(tmp_path / "deferred"), _store_content(tmp_path / "whole")
    assert np.array_equal(updated.pop("vectors"), whole.pop("vectors"))
    assert updated == whole


def test_adding_to_a_saved_analysis_leaves_the_carried_rows_of_kept_claims_and_stories_in_the_store(
    tmp_path, embedder, monkeypatch
):
    """The tables ``extend`` carries over for kept claims and stories (``CARRIED_TABLES``) are neither read nor
    written whole: the writer deletes the rows of changed claims and stories, inserts their new ones and orders
    them by SQL; the store then holds what a whole write of the same analysis holds, row for row and in order."""
    monkeypatch.setattr(terms, "EXACT_TERMS_LIMIT", 0)  # distinctive terms carried too, as above 20,000 statements
    monkeypatch.setattr(terms, "EXACT_TERMS_SHARE", 0)
    *earlier, later, extra = multi_outlet_corpus(tmp_path)  # stories of two outlets; the extra joins one of them
    registry = load_registry()
    first = analyze(load_corpus(earlier, registry), embedder=embedder)
    save_analysis(first, tmp_path / "carried", index_manifest={})
    shutil.copytree(tmp_path / "carried", tmp_path / "whole")

    previous = load_analysis(tmp_path / "carried", with_index=True, deferred=APPENDED_TABLES + CARRIED_TABLES)
    assert previous.framing is not None
    stored = {name: getattr(previous.framing, name) for name in CARRIED_TABLES}
    assert all(isinstance(rows, StoredRows) for rows in stored.values())
    added = load_corpus([later, extra], registry)
    reframed: list[Any] = []  # the stories whose referents the addition made again
    referent_rows = wording.referent_rows
    with monkeypatch.context() as patched:
        patched.setattr(
            wording, "referent_rows", lambda *a, **k: (reframed.append(k["only"]), referent_rows(*a, **k))[1]
        )
        extended = extend(previous, added, embedder)
    assert extended.framing is not None and extended.index is not None and extended.index.framing is not None
    # The index's maps were read where the addition used them: the terms of the added articles' outlets, the
    # wordings of the statements of the stories it re-framed (compare.engines.stored_index).
    state = extended.index.framing
    assert isinstance(state.outlet_terms, StoredMap) and isinstance(state.substitutions, StoredMap)
    assert isinstance(state.entities, StoredMap) and not state.entities._whole  # the added outlets' names only
    assert 0 < len(state.entities._loaded) < state.entities.store.row_count(state.entities.table.name)
    assert state.outlet_terms._loaded == {(article.outlet,) for article in added.articles}
    assert len(state.outlet_terms) > len(state.outlet_terms._loaded)  # other outlets' counts left in the store
    assert len(reframed) == 1 and reframed[0]
    changed = _statements_of(extended, reframed[0])
    assert state.substitutions._loaded and {first for (first,) in state.substitutions._loaded} <= changed
    assert len(changed) < len(extended.statements)
    replaced = {name: getattr(extended.framing, name) for name in CARRIED_TABLES}
    assert all(isinstance(rows, ReplacedRows) and rows.base is stored[name] for name, rows in replaced.items())
    # Some rows of the claims the articles join are made again, and most rows are carried.
    assert replaced["coverage"].fresh and replaced["word_differences"].fresh and replaced["distinctive_terms"].fresh
    assert len(replaced["coverage"]) > len(replaced["coverage"].fresh) > 0
    whole_writes: list[str] = []
    write_whole = MapTable.write_whole
    monkeypatch.setattr(
        MapTable, "write_whole", lambda table, *a: (whole_writes.append(table.name), write_whole(table, *a))
    )
    save_analysis(extended, tmp_path / "carried", index_manifest={}, previous=previous)
    read = [name for name, rows in stored.items() if rows._rows is not None]
    assert read == []  # neither extend nor the write read them
    assert all(rows._rows is None for rows in replaced.values())
    assert whole_writes == [] and not state.outlet_terms._whole and not state.substitutions._whole  # by part
    assert not state.entities._whole

    whole_previous = load_analysis(tmp_path / "whole", with_index=True)
    expected = extend(whole_previous, load_corpus([later, extra], registry), embedder)
    assert expected.framing is not None
    for name, rows in replaced.items():  # counted by SQL, then read when used: the rows a list of them holds
        assert len(rows) == len(getattr(expected.framing, name)), name
        assert rows._rows is None
        assert rows == getattr(expected.framing, name), name
    save_analysis(expected, tmp_path / "whole-new", index_manifest={})
    updated, whole = _store_content(tmp_path / "carried"), _store_content(tmp_path / "whole-new")
    assert np.array_equal(updated.pop("vectors"), whole.pop("vectors"))
    for name in CARRIED_TABLES:
        assert updated[name] == whole[name], name
    assert updated == whole


def _statements_of(analysis: Any, story_ids: Any) -> set[str]:
    """The statements of these stories, and those of the claims that hold one of them."""
    articles = {article_id for story in analysis.stories if story.id in story_ids for article_id in story.article_ids}
    found = {statement.id for statement in analysis.statements if statement.article_id in articles}
    return found | {sid for claim in analysis.claims if found & set(claim.statement_ids) for sid in claim.statement_ids}


def test_a_new_process_loads_spacy_without_torch_and_can_still_import_torch_after():
    """thinc imports PyTorch whenever it is installed (about 1.5 s of CPU per new CLI process); the spaCy
    pipeline runs without it, and a later ``import torch`` (the torch embedding backend) still works."""
    import subprocess
    import sys

    from .conftest import ROOT

    code = (
        "import sys\n"
        "from compare.segment import load_spacy\n"
        "nlp = load_spacy()\n"
        "assert 'torch' not in sys.modules, 'spaCy imported torch'\n"
        "assert [e.label_ for e in nlp('Emmanuel Macron spoke in Paris on Monday.').ents] == ['PERSON', 'GPE', 'DATE']\n"
        "import torch\n"
        "print(torch.zeros(2).sum().item())\n"
    )
    finished = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert finished.stdout.strip() == "0.0"
