"""Charts and their exports: downloads that stay, captions, CSVs, labels plotly reads as text, colours by name."""

from __future__ import annotations

from pathlib import Path

import pytest

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def _downloads(app) -> dict[str, str]:
    """The download buttons on the page: key -> label."""
    return {element.key: element.proto.label for element in app.get("download_button")}


def test_png_and_svg_downloads_both_stay_after_a_download_reruns_the_page(tmp_path, monkeypatch):
    """Clicking "Download PNG" reran the script with the "PNG / SVG" button false: the SVG button vanished."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    assert "px_dl_png_timeline" not in _downloads(app)  # images are rendered on request only
    app.button(key="px_img_timeline").click().run()
    assert not app.exception
    first = _downloads(app)
    assert {"px_dl_png_timeline", "px_dl_svg_timeline", "px_csv_timeline"} <= set(first)
    app.run()  # what a download button's default on_click="rerun" does after "Download PNG"
    assert not app.exception
    again = _downloads(app)
    assert {"px_dl_png_timeline", "px_dl_svg_timeline"} <= set(again)
    ignored = [element for element in app.get("download_button") if element.key.startswith("px_dl_")]
    assert ignored and all(element.proto.ignore_rerun for element in ignored)  # and a download no longer reruns


def test_every_chart_on_every_page_has_its_csv(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    seen = set()
    for page in ("Overview", "Outlets", "Map"):
        app.radio(key="px_page").set_value(page).run()
        assert not app.exception, page
        charts = [element.proto.id for element in app.get("plotly_chart")]
        seen.add(len(charts))
        csvs = [key for key in _downloads(app) if key.startswith("px_csv_")]
        assert charts and len(csvs) == len(charts), page
    assert len(seen) == 3  # three different pages were drawn


def test_an_exported_image_says_corpus_outlets_dates_and_version(seeds_analysis):
    import shutil

    from compare import __version__
    from compare.views import charts

    if not shutil.which("chromium"):
        pytest.skip("no chromium")
    analysis = seeds_analysis.to_dict()
    caption = charts.export_caption(analysis, ["China Daily", "The Guardian"], "seeds")
    shown = [article for article in analysis["articles"] if article["outlet"] in ("China Daily", "The Guardian")]
    dates = sorted(article["published"][:10] for article in shown)
    assert caption.startswith(f"seeds: {len(shown)} articles, {dates[0]} to {dates[-1]} · ")
    assert "outlets: China Daily, The Guardian" in caption and f"Parallax {__version__}" in caption
    figure = charts.timeline(analysis)
    svg, produced = charts.export_figure(figure, "svg", caption=caption)
    assert produced == "svg"
    assert b"China Daily, The Guardian" in svg and f"Parallax {__version__}".encode() in svg
    assert not figure.layout.title.subtitle.text  # the dashboard's own figure is left without it


def test_figure_rows_give_each_point_with_plain_labels():
    from compare.views import charts

    rows = [{"outlet": "Fox & Friends <US>", "side": "government", "share": 0.25}]
    figure = charts.share_bars(rows, "side", "title")
    assert charts.figure_rows(figure) == [{"series": "government", "x": 0.25, "y": "Fox & Friends <US>"}]


def test_cli_export_writes_a_csv_beside_every_chart(tmp_path, monkeypatch):
    from compare.cli import main

    from .conftest import SEEDS

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    out = tmp_path / "charts"
    assert main(["export", str(SEEDS), "--out", str(out), "--format", "svg", "--quiet"]) == 0
    names = {path.name for path in out.iterdir()}
    images = {name.rsplit(".", 1)[0] for name in names if not name.endswith(".csv") and not name.startswith(".")}
    assert images and {f"{image}.data.csv" for image in images} <= names


def test_quotes_in_labels_show_as_quotes_and_markup_stays_text(seeds_analysis):
    """Plotly decodes &amp; &lt; &gt; (and numeric entities) but not &quot;: labels showed a literal "&quot;"."""
    import copy
    import shutil

    from compare.views import charts
    from compare.views.tables import cross_outlet_claims

    analysis = copy.deepcopy(seeds_analysis.to_dict())
    first = cross_outlet_claims(analysis)[0]["statement_ids"][0]
    statement = next(statement for statement in analysis["statements"] if statement["id"] == first)
    statement["text"] = 'Putin\'s aide said "no" & <b>left</b>'
    figure = charts.coverage_heatmap(analysis)
    label = figure.layout.yaxis.ticktext[0].replace("<br>", " ")  # the claim's words on two lines
    assert label.endswith('Putin\'s aide said "no" &amp; &lt;b&gt;left&lt;/b&gt;')
    assert "&quot;" not in label and "&#x27;" not in label
    if not shutil.which("chromium"):
        return
    svg, produced = charts.export_figure(figure, "svg")
    assert produced == "svg"
    assert b"&amp;quot;" not in svg and b"&amp;#x27;" not in svg and b"<b>" not in svg


def _trace_colours(figure) -> dict[str, str]:
    return {trace.name: trace.marker.color for trace in figure.data}


def test_an_outlet_or_frame_keeps_its_colour_across_charts_and_filters(seeds_analysis):
    from compare.views import charts
    from compare.views.tables import drift_rows

    analysis = seeds_analysis.to_dict()
    one = "The Guardian"
    frames_all = _trace_colours(charts.share_bars(analysis["frame_share"], "frame", "Frames"))
    frames_one = _trace_colours(charts.share_bars(analysis["frame_share"], "frame", "Frames", [one]))
    assert set(frames_one) < set(frames_all)  # the filter drops some frames ...
    assert all(colour and frames_all[frame] == colour for frame, colour in frames_one.items())  # ... recolours none
    by_chart = [
        _trace_colours(charts.tone_toward_actors_chart(analysis["tone_toward_actors"])),
        _trace_colours(charts.tone_toward_actors_chart(analysis["tone_toward_actors"], [one])),
        _trace_colours(charts.drift_chart(drift_rows(analysis, "tone"), "Tone", [one])),
        _trace_colours(charts.timeline(analysis)),
        _trace_colours(charts.statement_map(analysis, seeds_analysis.vectors, [one])),
    ]
    colours_of_one = {chart[one] for chart in by_chart}
    assert len(colours_of_one) == 1 and None not in colours_of_one
    others = {colour for chart in by_chart for name, colour in chart.items() if name != one}
    assert colours_of_one.isdisjoint(others)


def _lab(hex_colours: list[str], simulation) -> np.ndarray:  # noqa: F821 -- numpy imported where used
    import numpy as np

    rgb = np.array([[int(colour[i : i + 2], 16) for i in (1, 3, 5)] for colour in hex_colours]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4) @ np.asarray(simulation).T
    xyz = (
        np.clip(linear, 0, 1)
        @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    )
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1)


def test_the_fifteen_frames_have_fifteen_colours_told_apart_with_colour_blindness():
    import numpy as np

    from compare.views.charts.style import colours

    frame_colours = colours([], "frame")
    frames = list(frame_colours)  # the 14 described frames of the Media Frames Corpus and "other"
    assert len(frames) == 15 and "other" in frames and len({frame_colours[frame] for frame in frames}) == 15
    # Machado, Oliveira & Fernandes (2009), full severity, on linear RGB.
    simulations = {
        "normal": np.eye(3),
        "protanopia": [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ],
        "deuteranopia": [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.01182, 0.04294, 0.968881],
        ],
        "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
    }
    for vision, simulation in simulations.items():
        lab = _lab([frame_colours[frame] for frame in frames], simulation)
        distances = np.linalg.norm(lab[:, None] - lab[None], axis=2) + np.eye(15) * 1e9
        assert distances.min() > 20, vision  # CIELAB units; plotly's default palette falls under 4


def test_a_legend_of_fifteen_frames_beside_one_outlet_is_not_clipped():
    import re
    import shutil

    from compare.views import charts

    if not shutil.which("chromium"):
        pytest.skip("no chromium")
    frames = list(charts.style.colours([], "frame"))
    rows = [{"outlet": "The Guardian", "frame": frame, "share": 1 / len(frames)} for frame in frames]
    svg, produced = charts.export_figure(charts.share_bars(rows, "frame", "Frames"), "svg")
    assert produced == "svg"
    text = svg.decode("utf-8")
    visible = float(re.search(r'<clipPath id="legend[^"]*"><rect [^>]*height="([\d.]+)"', text).group(1))
    entries = [float(y) for y in re.findall(r'class="traces" transform="translate\([\d.]+,([\d.]+)\)"', text)]
    assert len(entries) == 15 and max(entries) + 8 <= visible


def _basil10() -> dict:
    import gzip
    import json

    golden = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
    return json.loads(gzip.decompress(golden.read_bytes()))


def test_time_charts_are_on_a_date_axis():
    from compare.views import charts

    rows = [
        {"outlet": "Fox News", "period": "2016-01", "value": 0.1, "statements": 4},
        {"outlet": "Fox News", "period": "2016-11", "value": -0.2, "statements": 9},
    ]
    drift = charts.drift_chart(rows, "Tone by month")
    assert drift.layout.xaxis.type == "date"
    assert list(drift.data[0].x) == ["2016-01-01", None, "2016-11-01"]  # no line across nine empty months
    assert charts.drift_chart([{**row, "period": row["period"][:4]} for row in rows], "by year").data[0].x[0] == (
        "2016-01-01"
    )
    assert charts.timeline(_basil10()).layout.xaxis.type == "date"


def test_the_coverage_heatmap_says_how_many_claims_it_shows_and_sorts_by_omissions():
    from collections import Counter

    from compare.views import charts

    analysis = _basil10()
    cross = [claim for claim in analysis["clusters"] if len(claim["outlets"]) >= 2]
    figure = charts.coverage_heatmap(analysis, max_rows=40, order="omitted")
    assert figure.layout.title.text.startswith(f"40 of {len(cross):,} shared facts")
    assert figure.data[0].colorbar.title.text == "statements"
    omitted = Counter(row["cluster_id"] for row in analysis["omissions"])
    first = figure.data[0].y[0].split(":")[0]
    # the most omitted of the claims the heatmap draws (a claim of one outlet, left out by the other two, is not
    # drawn; since issue 13 a claim joins statements of one event, so no cross-outlet claim is left out twice)
    assert omitted[first] == max(omitted[claim["id"]] for claim in cross) > 0
    assert omitted[first] > omitted[charts.ordered_claims(analysis, "outlets")[0]["id"]]  # not just most outlets
    disputed = charts.ordered_claims(analysis, "disputed")
    assert disputed[0]["id"] != charts.ordered_claims(analysis, "outlets")[0]["id"]


def test_the_coverage_heatmap_never_draws_one_statement_as_none_and_its_labels_fit_a_phone():
    """On BASIL most cells hold 1 or 2 statements: the colour scale began at 1, so an outlet's one statement was
    white, as if it had left the claim out. The labels were one line of 60 characters after the claim id, cut
    off at the left on a 390 px phone."""
    from compare.views import charts
    from compare.views.charts.export import figure_rows
    from compare.views.charts.style import label

    analysis = _basil10()
    figure = charts.coverage_heatmap(analysis)
    heat = figure.data[0]
    drawn = {value for row in heat.z for value in row}
    assert 0 not in drawn and 1 in drawn  # these ten events' first claims: every outlet states them
    assert heat.zmin == 0 and heat.zmax == max(drawn)  # so white means "not reported" only (plotly needs both)
    statements = {statement["id"]: statement for statement in analysis["statements"]}
    claims = {claim["id"]: claim for claim in analysis["clusters"]}
    for claim_id, tick in zip(figure.layout.yaxis.tickvals, figure.layout.yaxis.ticktext):
        lines = tick.split("<br>")
        assert len(lines) <= 2 and all(len(line) <= 36 for line in lines), tick
        first_words = " ".join(statements[claims[claim_id]["statement_ids"][0]]["text"].split()[:2])
        assert tick.startswith(label(first_words)), tick  # the claim's words, not its id
    rows = figure_rows(figure)  # the CSV names each claim by id and by its words
    assert rows[0]["y"] == heat.y[0] and rows[0]["text"].startswith(
        statements[claims[heat.y[0]]["statement_ids"][0]]["text"][:30]
    )


def _first_titles(analysis: dict) -> list[str]:
    titles = {article["id"]: article["title"] for article in analysis["articles"]}
    return [titles[story["article_ids"][0]] for story in analysis["stories"]]


def test_the_map_can_colour_by_story_and_names_outlet_and_headline_on_hover(seeds_analysis):
    from compare.views import charts
    from compare.views.charts.style import label

    analysis = seeds_analysis.to_dict()
    by_story = charts.statement_map(analysis, seeds_analysis.vectors, colour_by="story")
    names = [trace.name for trace in by_story.data]
    # each story by its first article's headline, not by an id a reader cannot use
    headlines = {label(title)[:30] for title in _first_titles(analysis)}
    assert names[0][:30] in headlines and not any(name.startswith("story-") for name in names)
    drawn = sum(len(trace.x) for trace in by_story.data)
    assert drawn == len(analysis["statements"])
    titles = {article["title"][:30] for article in analysis["articles"]}
    hover = by_story.data[0].customdata[0]
    assert hover[0] in {article["outlet"] for article in analysis["articles"]}
    assert any(hover[1].startswith(title[:20]) for title in titles)


def test_overview_sorts_the_heatmap_and_the_map_explains_itself(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARALLAX_STORE", str(tmp_path / "store.sqlite3"))
    app = AppTest.from_file(DASHBOARD, default_timeout=240)
    app.run()
    app.radio(key="px_claim_order").set_value("omitted").run()
    assert not app.exception
    titles = [element.proto.spec for element in app.get("plotly_chart")]
    assert any("most omitted first" in spec for spec in titles)
    app.radio(key="px_page").set_value("Map").run()
    assert not app.exception
    assert any("Each dot is a statement" in caption.value for caption in app.caption)
    app.radio(key="px_map_colour").set_value("outlet").run()
    assert not app.exception and "coloured by outlet" in app.get("plotly_chart")[0].proto.spec


def test_a_long_title_breaks_into_a_line_a_phone_shows_and_its_qualifier():
    """Plotly never wraps a title: at 390 px "Who is quoted or cited (share of attributed statements)" ran off."""
    from compare.views.charts.style import _TITLE_LINE, two_line_title

    for title in (
        "Who is quoted or cited (share of attributed statements)",
        "15 of 15 claims reported by two or more outlets, most outlets first",
        "Tone of what is said of each side (-1 to 1; pale: fewer than 3 statements)",
    ):
        first, second = two_line_title(title).split("<br>")
        assert len(first) <= _TITLE_LINE
        assert first.split()[0] == title.split()[0] and title.split()[-1] in second
        assert "(" not in first or ")" in first  # a parenthesis is never split
    assert two_line_title("Frames (share of statements)") == "Frames (share of statements)"


def test_tone_toward_sides_gives_every_bar_a_row_and_terms_say_what_their_numbers_are():
    """On BASIL the upright tone bars were 50 slivers under overlapping "n=" labels; the distinctive terms' axis
    had numbers and no name, its 1.96 line's note hidden behind the shortest bar."""
    from compare.views import charts
    from compare.views.charts.style import label

    analysis = _basil10()
    tone = charts.tone_toward_actors_chart(analysis["tone_toward_actors"])
    actors = {row["actor"] for row in analysis["tone_toward_actors"]}
    assert all(trace.orientation == "h" for trace in tone.data)
    assert {name for trace in tone.data for name in trace.y} == {label(actor) for actor in actors}
    assert all(text.startswith("n=") for trace in tone.data for text in trace.text)
    assert tuple(tone.layout.xaxis.range) == (-1, 1)  # the whole scale: small differences look small
    assert tone.layout.height >= 16 * len(tone.data) * len(actors)
    terms = charts.distinctive_terms_chart(analysis["distinctive_terms"], "Fox News")
    assert "z-score" in terms.layout.xaxis.title.text
    note = terms.layout.annotations[0]
    assert note.y == 1 and note.yanchor == "bottom" and note.yref == "y domain"  # above the bars, not behind one


def test_the_map_names_a_story_by_the_headline_every_other_view_gives_it():
    """The Map's legend named a story by its first-listed article: 2 of golden BASIL's 10 stories got another
    name than the story list and the report give them ("Defense Secretary James Mattis to leave…" against
    "Jim Mattis, Defense Secretary, Resigns…")."""
    from compare.views.charts.projection import _groups
    from compare.views.story import story_headlines

    analysis = _basil10()
    _, _, _, legend = _groups(analysis, "story")
    headlines = story_headlines(analysis)
    assert legend and all(name == _clipped_like(headlines[story]) for story, name in legend.items())


def _clipped_like(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:49] + "…"


def test_an_outlet_missing_from_the_tone_and_drift_rows_moves_no_other_outlets_colour():
    """Both charts coloured outlets by their own rows: an outlet with no dated article (or no tone row) moved the
    colour of every outlet after it, unlike every other chart."""
    from compare.views.charts.drift import drift_chart
    from compare.views.charts.style import colours
    from compare.views.charts.voices import tone_toward_actors_chart

    every = ["Agence Alpha", "Bulletin", "Courier"]
    expected = colours(every)
    tone = [
        {"outlet": outlet, "actor": "the mayor", "tone": 0.2, "statements": 4, "side": "officials"}
        for outlet in every[1:]
    ]
    drift = [{"outlet": outlet, "period": "2020-01", "value": 0.1, "statements": 3} for outlet in every[1:]]
    for figure in (tone_toward_actors_chart(tone, every=every), drift_chart(drift, "Tone", every=every)):
        drawn = {trace.name: trace.marker.color for trace in figure.data}
        assert drawn == {outlet: expected[outlet] for outlet in every[1:]}, drawn
    assert colours(every[1:])["Bulletin"] != expected["Bulletin"]  # what the rows alone gave


def test_the_timeline_of_many_outlets_draws_each_article_on_its_row_in_its_colour_in_a_trace_per_colour():
    """One trace per outlet made 102 at 251k statements (each checked by plotly: a third of the Overview's
    drawing); past the palette's colours outlets share one anyway, so the traces are one per colour."""
    import gzip
    import json

    from compare.views import charts
    from compare.views.charts.style import PALETTE, colours, label

    golden = Path(__file__).resolve().parent / "golden" / "basil10.analysis.json.gz"
    analysis = json.loads(gzip.decompress(golden.read_bytes()))
    # every article its own outlet (as the copies of the 251k store are named apart): 30 outlets
    analysis["articles"] = [
        {**article, "outlet": f"{article['outlet']} & {number}"} for number, article in enumerate(analysis["articles"])
    ]
    outlets = sorted({article["outlet"] for article in analysis["articles"]})
    assert len(outlets) > len(PALETTE)
    figure = charts.timeline(analysis)
    assert len(figure.data) == len(PALETTE)
    colour_of = colours(outlets)
    drawn = sorted((str(y), str(x), trace.marker.color) for trace in figure.data for x, y in zip(trace.x, trace.y))
    expected = sorted(
        (label(article["outlet"]), article["published"], colour_of[article["outlet"]])
        for article in analysis["articles"]
        if article.get("published")
    )
    assert drawn == expected
    assert figure.layout.height == max(320, 18 * len(outlets) + 140)  # past 20 outlets, 18 px rows (tour15)
