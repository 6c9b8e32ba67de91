"""What a new process loads before it adds an article: spaCy without its command line, pyarrow without pandas."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT, SEEDS

_SEGMENT_SEEDS = (
    "import json, sys\n"
    "from compare.ingest import load_corpus\n"
    "from compare.segment import load_spacy, parse_articles\n"
    f"articles = load_corpus([{str(SEEDS)!r}]).articles\n"
    "nlp = load_spacy()\n"
    "rows = parse_articles(articles, nlp, processes=1)\n"
)


def _run(code: str) -> str:
    finished = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr[-2000:]
    return finished.stdout


def test_a_new_process_loads_spacy_without_its_command_line_and_segments_as_spacy_load_does():
    """``import spacy`` imports its whole command line (typer, weasel, httpx, requests: about 0.2 s of CPU); a new
    process's pipeline is loaded without it, segments the seeds (quotes, speakers, entities) row for row as a
    pipeline loaded by ``spacy.load`` here, and ``spacy.info`` and ``import spacy.cli`` still work after."""
    import spacy

    from compare.ingest import load_corpus
    from compare.segment import SPACY_MODEL, parse_articles

    code = _SEGMENT_SEEDS + (
        "loaded = sorted(name for name in ('spacy.cli', 'weasel', 'typer', 'httpx', 'torch') if name in sys.modules)\n"
        "import spacy\n"
        "version = spacy.info(silent=True)['spacy_version']\n"
        "import spacy.cli\n"
        "print(json.dumps({'loaded': loaded, 'version': version, 'cli': callable(spacy.cli.info), 'rows': rows}))\n"
    )
    found = json.loads(_run(code))
    assert found["loaded"] == []
    assert found["version"] == spacy.__version__ and found["cli"]
    articles = load_corpus([SEEDS]).articles
    plain = spacy.load(SPACY_MODEL, disable=["textcat"])
    expected = json.loads(json.dumps(parse_articles(articles, plain, processes=1)))
    assert found["rows"] == expected
    speakers = {row[3] for rows in expected for row in rows if row[2] == "quote"}
    assert {"Macron", "Jens Stoltenberg", "Defense Minister Oleksii Reznikov"} <= speakers  # the parser ran


def test_a_pipeline_is_loaded_once_however_it_is_named_and_leaves_catalogue_as_it_was():
    """``load_spacy()`` and ``load_spacy(SPACY_MODEL)`` are one pipeline (before: two cache keys, two loads), whose
    tokenizer (made without the language's default rules, then read from the pipeline's file) is the one
    ``spacy.load`` makes; the entry points catalogue reads by group while it loads are the same ones, put back after."""
    import catalogue
    import spacy

    from compare.segment import SPACY_MODEL, load_spacy
    from compare.segment.spacy_load import _entry_points_by_group

    before = catalogue.AVAILABLE_ENTRY_POINTS
    with _entry_points_by_group():
        grouped = catalogue.AVAILABLE_ENTRY_POINTS
        assert isinstance(grouped, dict) and not hasattr(grouped, "select")
        assert set(grouped) == set(before.groups)
        for group in before.groups:
            assert [entry.name for entry in grouped[group]] == [entry.name for entry in before.select(group=group)]
    assert catalogue.AVAILABLE_ENTRY_POINTS is before
    nlp = load_spacy()
    assert nlp is load_spacy(SPACY_MODEL)
    plain = spacy.load(SPACY_MODEL, disable=["textcat"])
    # the vocab left out: the cached pipeline has read other tests' texts, whose strings its vocab now holds
    assert nlp.tokenizer.to_bytes(exclude=["vocab"]) == plain.tokenizer.to_bytes(exclude=["vocab"])
    text = "Don't say the U.S. Sen. O'Neill's bill (H.R. 5) passed at 5pm :) - see https://example.org/a?b=1 e.g. now."
    assert [token.text for token in nlp.make_doc(text)] == [token.text for token in plain.make_doc(text)]
    assert "n't" in [token.text for token in nlp.make_doc(text)]  # a special case of the file's rules


# A new process adding an article to a saved run, with the spaCy pipeline it loads named by argv[1] (a missing one
# fails as a user's missing pipeline does) and the loads beside the read turned off when argv[2] says so.
_ADD_IN_A_NEW_PROCESS = """
import contextlib, functools, json, sys, threading
import compare.cli.run as run
import compare.segment.spacy_load as spacy_load
from compare.cli import main

tried, imported_in = [], []
load = spacy_load._loaded.__wrapped__


class NoteWhereSpacyIsImported:
    def find_spec(self, name, path=None, target=None):
        if name == "spacy":
            imported_in.append(threading.current_thread().name)


sys.meta_path.insert(0, NoteWhereSpacyIsImported())

@functools.lru_cache(maxsize=2)
def loaded(name):
    tried.append(threading.current_thread().name)
    return load(sys.argv[1])

spacy_load._loaded = loaded
if sys.argv[2] == "unthreaded":
    run.loading_beside = lambda embedder: contextlib.nullcontext()
status = main(sys.argv[3:])
found = {"status": status, "imported in": imported_in, "tried": tried, "threads": threading.active_count()}
print(json.dumps({**found, "torch": "torch" in sys.modules}))
"""


def test_an_addition_imports_spacy_beside_the_read_and_a_failed_pipeline_says_what_it_said_without_the_thread(
    tmp_path,
):
    """A new process adding an article imports spaCy in a thread while it reads the saved run (without torch,
    which is hidden from that thread only) and leaves no thread running; its pipeline is loaded where the article
    is segmented, and a pipeline that cannot be loaded fails there with the message and status of a process
    without the thread."""
    from compare.cli import main
    from compare.segment import SPACY_MODEL

    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name, outlet, text in (("a0", "Daily Planet", texts[0]), ("a1", "Metro Herald", texts[1])):
        row = {"id": name, "outlet": outlet, "published": "2024-04-03", "text": text}
        (folder / f"{name}.json").write_text(json.dumps(row), encoding="utf-8")
    command = ["analyze", str(folder), "--out", str(out), "--quiet"]
    assert main([*command, "--store", str(tmp_path / "first.sqlite3")]) == 0
    row = {"id": "a2", "outlet": "Daily Planet", "published": "2024-04-03", "text": texts[2]}
    (folder / "a2.json").write_text(json.dumps(row), encoding="utf-8")

    def add(model: str, threads: str) -> tuple[dict, str]:
        store = ["--store", str(tmp_path / f"{model}-{threads}.sqlite3")]  # the article segmented anew
        argv = [sys.executable, "-c", _ADD_IN_A_NEW_PROCESS, model, threads, *command, *store]
        finished = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)
        return json.loads(finished.stdout), finished.stderr

    missing, said = add("en_core_web_missing", "threaded")
    unthreaded, said_unthreaded = add("en_core_web_missing", "unthreaded")
    beside = {"imported in": ["parallax-load-beside"], "tried": ["MainThread"], "threads": 1, "torch": False}
    assert missing == {"status": 2, **beside}
    assert unthreaded == {**missing, "imported in": ["MainThread"]}
    assert said == said_unthreaded and "error: [E050] Can't find model 'en_core_web_missing'" in said

    loaded, said = add(SPACY_MODEL, "threaded")
    assert loaded == {"status": 0, **beside}
    assert "added 1 articles to the saved run" in said


def test_a_load_that_fails_beside_the_read_leaves_the_others_loaded_and_no_thread_running(monkeypatch):
    """The loads beside a saved run's read go on past one that fails (it is made again where it is used, and
    raises there), and the thread has ended when the read has."""
    import threading

    from compare.cli import preload
    from compare.embed import OnnxEmbedder, default_model
    from compare.segment import times

    def fails() -> None:
        raise OSError("cannot read a locale file")

    monkeypatch.setattr(preload, "load_date_parser", fails)
    times._parser.cache_clear()
    embedder = OnnxEmbedder(default_model())
    with preload.loading_beside(embedder):
        pass
    assert [thread.name for thread in threading.enumerate() if thread.name == "parallax-load-beside"] == []
    assert embedder._session is not None and times._parser.cache_info().currsize == 0
    assert "faiss" in sys.modules


def test_the_command_line_imports_each_command_s_own_modules_only_when_that_command_runs(tmp_path):
    """``import compare.cli`` (every command's start, an addition's included) imported the report's plotly and
    charts, the story view's queries and texts and evaluate's scores: 107 modules none of an addition uses. They
    are imported when their command runs: ``--help`` still lists every command, and ``show`` still shows."""
    code = (
        "import json, sys\n"
        "import compare.cli\n"
        "names = ('plotly', 'compare.views.report', 'compare.views.charts', 'compare.cli.exports', 'compare.cli.show',"
        " 'compare.engines.queries', 'compare.views.comparison', 'compare.evaluate')\n"
        "print(json.dumps(sorted(name for name in names if name in sys.modules)))\n"
    )
    assert json.loads(_run(code)) == []
    helped = subprocess.run(
        [sys.executable, "-m", "compare", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert helped.returncode == 0
    for command in ("analyze", "evaluate", "report", "export", "export-json", "show"):
        assert command in helped.stdout
    shown = subprocess.run(
        [sys.executable, "-m", "compare", "show", str(tmp_path), "--search", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert shown.returncode == 2 and "no saved analysis here" in shown.stderr  # show's own message: it ran


# The modules of the analysis that ``show`` and ``--help`` never use: the pipeline, its clustering code (with
# scipy.sparse and its graphs), the input readers and the addition's running.
_NOT_FOR_SHOW = (
    "scipy",
    "compare.cluster",
    "compare.pipeline",
    "compare.ingest",
    "compare.cli.run",
    "compare.engines.incremental",
)


def test_show_and_help_import_neither_the_pipeline_nor_its_clustering_code(tmp_path, capsys):
    """``show OUT --story ID`` imported the whole pipeline (``compare.cli`` for ``analyze``, the parser's default
    thresholds from ``compare.cluster``, ``show`` for the reader of an older version's folder): 731 modules, 0.5 s
    of CPU more than the 355 it uses. It still shows the story, ``--search`` still finds it, ``--help`` still lists
    every command and an analysis still runs."""
    from compare.cli import main

    out = tmp_path / "out"
    assert main(["analyze", str(SEEDS), "--out", str(out), "--store", str(tmp_path / "s.sqlite3"), "--quiet"]) == 0
    assert main(["show", str(out), "--search", "Macron", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    story = next(row for row in found if row["title"] == "Putin, Macron discuss Ukraine conflict in phone call")
    code = (
        "import contextlib, io, json, sys\n"
        "from compare.cli import main\n"
        "shown = io.StringIO()\n"
        "with contextlib.redirect_stdout(shown):\n"
        f"    status = main(['show', {str(out)!r}, '--story', {story['id']!r}])\n"
        "helped = io.StringIO()\n"
        "with contextlib.redirect_stdout(helped), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        f"loaded = sorted(name for name in {_NOT_FOR_SHOW!r} if name in sys.modules)\n"
        "print(json.dumps({'status': status, 'shown': shown.getvalue(), 'help': helped.getvalue(), 'loaded': loaded}))\n"
    )
    ran = json.loads(_run(code))
    assert ran["loaded"] == []
    assert ran["status"] == 0
    assert ran["shown"].startswith(f"{story['id']}: 1 outlet (China Daily)\n\nHeadlines\n  [China Daily] Putin, Macron")
    for command in ("analyze", "evaluate", "report", "export", "export-json", "show"):
        assert command in ran["help"]
