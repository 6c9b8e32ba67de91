"""Same event or only a similar one: event time, conflicts, claims that keep to one event, boilerplate.

Fixtures in tests/data/events are short reports of real events written for these tests: two central
Italian earthquakes four days apart (26 and 30 October 2016: Visso, magnitude 6.1; Norcia, 6.5) and
two weekly US jobless-claims reports (7 and 14 October 2021: 326,000 and 293,000).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from compare.cluster import StoryOptions, boilerplate_flags, cluster_claims, cluster_stories
from compare.cluster.boilerplate import extended_flags, repeat_keys
from compare.cluster.claims import article_numbers
from compare.model.documents import Statement
from compare.pipeline import analyze
from compare.segment.times import resolve_time

EVENTS = Path(__file__).parent / "data" / "events"


def _day(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def test_time_expressions_resolve_against_the_article_date():
    wednesday = date(2022, 3, 16)
    on_wednesday = resolve_time("on Wednesday", wednesday)
    assert on_wednesday and (_day(on_wednesday.first), on_wednesday.period) == (wednesday, "day")
    assert resolve_time("Monday", wednesday).first == date(2022, 3, 14).toordinal()
    assert resolve_time("yesterday", wednesday).first == date(2022, 3, 15).toordinal()
    last_week = resolve_time("last week", wednesday)
    assert last_week and last_week.period == "week"
    assert date(2022, 3, 6) <= _day(last_week.first) and _day(last_week.last) < wednesday
    march = resolve_time("in March 2022", None)  # a year named: no article date needed
    assert march and (_day(march.first), _day(march.last), march.period) == (
        date(2022, 3, 1),
        date(2022, 3, 31),
        "month",
    )
    assert resolve_time("March 3", date(2022, 2, 10)).first == date(2021, 3, 3).toordinal()  # not a future day
    assert resolve_time("last week", None) is None  # relative, and no date to resolve it against
    assert resolve_time("three years", wednesday) is None  # a duration, not a time
    assert resolve_time("the 1990s", wednesday) is None


@pytest.fixture(scope="module")
def quakes(embedder):
    return analyze([EVENTS / "italy_quakes.jsonl"], embedder=embedder, with_framing=False)


@pytest.fixture(scope="module")
def undated_quakes(embedder):
    return analyze([EVENTS / "italy_quakes_undated.jsonl"], embedder=embedder, with_framing=False)


def _stories(analysis) -> set[frozenset[str]]:
    return {frozenset(story.article_ids) for story in analysis.stories}


QUAKE_STORIES = {frozenset({"visso-wire", "visso-paper"}), frozenset({"norcia-wire", "norcia-paper"})}


def test_two_similar_earthquakes_are_kept_apart(quakes, undated_quakes):
    assert _stories(quakes) == QUAKE_STORIES
    assert _stories(undated_quakes) == QUAKE_STORIES
    for analysis in (quakes, undated_quakes):
        story_of = {a: s.id for s in analysis.stories for a in s.article_ids}
        assert all(len(claim.story_ids) == 1 for claim in analysis.claims)
        assert any({"Reuters", "The Guardian"} <= set(claim.outlets) for claim in analysis.claims)
        assert len(story_of) == 4


def test_without_the_conflicts_the_undated_earthquakes_merge(undated_quakes):
    """The test above has teeth: wording alone puts the two earthquakes in one story."""
    analysis = undated_quakes
    merged = cluster_stories(analysis.articles, analysis.statements, analysis.vectors, StoryOptions(conflict_penalty=0))
    assert len(merged) == 1


def test_undated_articles_are_named_in_one_problem(undated_quakes, quakes):
    undated = [p for p in undated_quakes.problems if "no date" in p.message]
    assert len(undated) == 1
    assert "4 of 4 articles" in undated[0].message and "norcia-wire" in undated[0].message
    assert not any("no date" in p.message for p in quakes.problems)


@pytest.fixture(scope="module")
def jobless(embedder):
    return analyze([EVENTS / "jobless_claims.jsonl"], embedder=embedder, with_framing=False)


def _week(statement: Statement) -> str:
    return statement.article_id.split("-")[1]


def test_a_weekly_figure_from_two_weeks_is_never_one_claim(jobless):
    by_id = {statement.id: statement for statement in jobless.statements}
    weeks = [{_week(by_id[sid]) for sid in claim.statement_ids} for claim in jobless.claims]
    assert weeks and all(len(found) == 1 for found in weeks)
    texts = [" ".join(by_id[sid].text for sid in claim.statement_ids) for claim in jobless.claims]
    # Each week's figure is one claim across both outlets.
    assert any("326,000" in text and "38,000" in text for text in texts)
    assert any("293,000" in text and "36,000" in text for text in texts)
    # Without the evidence (story gate, conflicting figures and dates) the weeks mix.
    plain = cluster_claims(jobless.statements, jobless.vectors)
    assert any(len({_week(by_id[sid]) for sid in claim.statement_ids}) > 1 for claim in plain)


def test_boilerplate_never_joins_a_claim(jobless):
    by_id = {statement.id: statement for statement in jobless.statements}
    in_claims = " ".join(by_id[sid].text for claim in jobless.claims for sid in claim.statement_ids)
    assert "This story has been updated" not in in_claims and "Reporting by" not in in_claims


def _statement(article: int, outlet: str, text: str) -> Statement:
    return Statement(f"a{article}:0", f"a{article}", outlet, 0, text, 0, len(text), "narration")


def test_boilerplate_flags_formulas_furniture_and_fragments_not_news():
    about = "The Daily Ledger is an independent newsroom covering politics and business since 1998."
    news = "Initial claims for state unemployment benefits fell 36,000 to a seasonally adjusted 293,000."
    statements = [
        _statement(1, "Ledger", about),
        _statement(2, "Ledger", about),
        _statement(3, "Ledger", about),
        _statement(4, "Ledger", news),
        _statement(5, "Other", "Representatives for the company did not immediately respond to a request for comment."),
        _statement(6, "Other", "Sign up for our morning newsletter."),
        _statement(7, "Other", "Scalia asked."),
        _statement(8, "Other", about),  # another outlet quoting it once is not its furniture
        _statement(
            9,
            "Other",
            "The senator, who did not respond to a request for comment on Tuesday, had told donors in a private "
            "meeting last month that the bill would pass the Senate before the August recess, according to two "
            "people who attended and a recording reviewed by reporters.",
        ),
    ]
    assert boilerplate_flags(statements).tolist() == [True, True, True, False, True, True, True, False, False]


def test_boilerplate_flags_grown_by_added_statements_equal_those_of_the_whole_corpus(seeds_analysis):
    """Adding articles grows the flags from the earlier ones and their repeat keys (``extended_flags``):
    an earlier sentence turns furniture when an added article is the third of its outlet to print it."""
    about = "The Daily Ledger is an independent newsroom covering politics and business since 1998."
    furniture = [_statement(1000 + number, "Ledger", about) for number in range(3)]
    statements = seeds_analysis.statements[:40] + furniture[:2] + seeds_analysis.statements[40:] + furniture[2:]
    whole = boilerplate_flags(statements)
    assert whole[40:42].tolist() == [True, True]  # the Ledger's line, once its third article prints it
    article_of = article_numbers(statements)
    for split in (1, 41, 42, len(statements) - 1):
        earlier = statements[:split]
        flags, keys = extended_flags(boilerplate_flags(earlier), repeat_keys(earlier), article_of, statements[split:])
        assert flags.tolist() == whole.tolist(), split
        assert keys.tolist() == repeat_keys(statements).tolist()
    assert not boilerplate_flags(statements[:42])[40:42].any()  # two articles: not yet furniture


def test_seed_claims_keep_to_one_event(seeds_analysis, statements_by_id):
    for claim in seeds_analysis.claims:
        texts = " ".join(statements_by_id[sid].text for sid in claim.statement_ids)
        # The claim that once joined four events (issue 13): a Thursday remark, a November call, ...
        assert not ("Macron told reporters on Thursday" in texts and "recent use" in texts)
        assert len(claim.story_ids) <= 2


# The seeds' standing facts, each told in two of the five events: the claims that may join two stories.
KNOWN_SEED_FACTS = ("100,000 troops", "Minsk", "Normandy")


def _across_stories(claims, statements_by_id) -> list[list[str]]:
    """The texts of each claim that spans two or more stories."""
    return [[statements_by_id[sid].text for sid in claim.statement_ids] for claim in claims if len(claim.story_ids) > 1]


def _told_by_all(texts: list[str], fragments: tuple[str, ...]) -> list[str]:
    return [fragment for fragment in fragments if all(fragment in text for text in texts)]


def test_seed_claims_join_two_events_only_through_a_shared_fact_not_a_shared_country(
    seeds_analysis, statements_by_id, monkeypatch
):
    """France's warning (November 2021) and the Paris talks (January 2022) both name France, Germany and
    Belarus, and in five articles two is "rare"; but a country both statements name only as a place says
    where things happen, not what: "France and Germany accuse Russia of setting unrealistic conditions" is
    not "Ukraine and Russia, along with France and Germany, are set to meet in Paris". A named thing
    ("the Normandy format", "the Minsk agreements") or a figure ("100,000 troops") still joins two events."""
    from compare.cluster import claim_evidence, cluster_claims, evidence, story_index

    across = _across_stories(seeds_analysis.claims, statements_by_id)
    # Each claim across events is one known fact, told by all its statements, and each known fact is one claim.
    assert sorted(fact for texts in across for fact in _told_by_all(texts, KNOWN_SEED_FACTS)) == sorted(
        KNOWN_SEED_FACTS
    )
    assert len(across) == len(KNOWN_SEED_FACTS)
    # With places counted as shared facts (as before), the countries join the two events again.
    monkeypatch.setattr(evidence, "place_anchors", lambda statement: frozenset())
    analysis = seeds_analysis
    stories = story_index(analysis.articles, analysis.statements, analysis.vectors)
    gates = claim_evidence(analysis.articles, analysis.statements, stories.labels)
    loose = _across_stories(
        cluster_claims(analysis.statements, analysis.vectors, analysis.stories, evidence=gates), statements_by_id
    )
    assert any("France and Germany accuse Russia" in " ".join(texts) for texts in loose)
    assert any(_told_by_all(texts, ("Belarus",)) for texts in loose)


def test_evaluate_scores_claims_against_gold_event_mentions(tmp_path, capsys):
    """``evaluate --gold-claims``: each week's figure is one gold event chain across the two outlets."""
    import json

    from compare.cli import main

    rows = [json.loads(line) for line in (EVENTS / "jobless_claims.jsonl").read_text().splitlines()]
    chains = {
        "326,000": "week-1-figure",
        "38,000": "week-1-figure",
        "293,000": "week-2-figure",
        "36,000": "week-2-figure",
        "348,000": "week-1-forecast",
        "319,000": "week-2-forecast",
        "below 300,000": "first-time-below",
    }
    sentences = []
    for row in rows:
        row["week"] = row["id"].split("-")[1]
        for paragraph in row["text"].split("\n\n"):
            start = row["text"].index(paragraph)
            events = sorted({chain for figure, chain in chains.items() if figure in paragraph})
            span = {"doc": row["id"], "start": start, "end": start + len(paragraph)}
            sentences.append({**span, "annotated": bool(events), "events": events})
    corpus = tmp_path / "claims.jsonl"
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows))
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"sentences": sentences}))
    arguments = ["evaluate", str(corpus), "--gold", "week", "--gold-claims", str(gold), "--no-store", "--quiet"]
    assert main([*arguments, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["f1"] == 1.0 and scores["claims_one_story"] == 1.0 and scores["stories_with_claim"] == 1.0
    claims = scores["claims"]
    # Gold pairs: each week's figure (the wire's sentence with both of the paper's), each forecast, "below 300,000".
    assert claims["pairs_gold"] == 7 and claims["pair_precision"] == 1.0
    assert claims["pair_recall"] >= 6 / 7 and claims["bcubed_precision"] == 1.0 and claims["bcubed_recall"] > 0.8


# Pairs of BASIL events with the same actors (the old story stage merged each pair once dates were gone):
# Michael Steele's Afghanistan remarks / his decision on a second RNC term; Obama and Boehner's
# fiscal-cliff meeting / Biden selling the 2010 tax deal; Paul Ryan on Medicare / the Biden-Ryan
# debate; Trump defending Flynn / the Flynn subpoenas; Schiff urged to resign / Mueller disputing
# BuzzFeed / Democrats demanding the Mueller report.
SIMILAR_EVENTS = ("2b95d2cf", "74708dbf", "cad4bba5", "df5fe55a", "2ec04201", "b5eefefb", "0c78e748", "df6a55fb")
SIMILAR_EVENTS += ("b7021938", "c9e4d35f", "e71d149d")


@pytest.fixture(scope="module")
def undated_similar_events(embedder, tmp_path_factory):
    """Eleven BASIL events of the same people (33 articles of three outlets), every date removed."""
    import json

    from tests.conftest import BASIL

    if not (BASIL / "articles").is_dir():
        pytest.skip(f"BASIL not found at {BASIL}")
    rows = []
    for path in sorted((BASIL / "articles").rglob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        if article["triplet-uuid"][:8] in SIMILAR_EVENTS:
            text = "\n\n".join(" ".join(paragraph) for paragraph in article["body-paragraphs"])
            rows.append({"id": path.stem, "outlet": article["source"], "title": article["title"], "text": text})
    corpus = tmp_path_factory.mktemp("similar") / "similar.jsonl"
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return analyze([corpus], embedder=embedder, with_framing=False)


def _event(article_id: str) -> str:
    return article_id.split("_")[0]


def test_an_undated_corpus_of_similar_events_is_split_by_the_sentences_they_share(undated_similar_events):
    analysis = undated_similar_events
    gold = {
        frozenset(a.id for a in analysis.articles if _event(a.id) == event)
        for event in map(_event, (a.id for a in analysis.articles))
    }
    assert len(analysis.articles) == 33 and len(gold) == 11
    assert _stories(analysis) == gold
    # Wording and lead conflicts alone merge some of these events: the shared sentences split them.
    merged = cluster_stories(analysis.articles, analysis.statements, analysis.vectors, StoryOptions(shared_weight=0))
    assert any(len({_event(article_id) for article_id in story.article_ids}) > 1 for story in merged)


def test_a_report_published_days_later_is_dated_by_the_day_its_lead_names():
    from compare.cluster.evidence import Lead, event_days
    from compare.segment.times import statement_times

    published = date(2022, 3, 21)  # a Monday
    lead = Lead(times=statement_times([("last Wednesday", "DATE"), ("2022", "DATE")], published))
    days = np.array([published.toordinal(), date(2022, 3, 16).toordinal()], dtype=np.int64)
    resolved = event_days([lead, Lead()], days)
    assert resolved.tolist() == [date(2022, 3, 16).toordinal()] * 2
    # A day far before publication is background, not the event: the publication day stays.
    old = Lead(times=statement_times([("March 3, 2020", "DATE")], published))
    assert event_days([old], days[:1]).tolist() == [published.toordinal()]


def _ecb_topics(embedder, tmp_path_factory, topics: set[str]):  # type: ignore[no-untyped-def]
    """ECB+ dev's reports of these topics (no dates) analysed, with the gold event of each report."""
    import json

    from tests.conftest import BASIL

    corpus = BASIL.parent / "ecbplus-dev" / "input.jsonl"
    if not corpus.is_file():
        pytest.skip(f"ECB+ dev not found at {corpus}")
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    rows = [row for row in rows if str(row["topic"]) in topics]
    picked = tmp_path_factory.mktemp("ecb") / "topics.jsonl"
    picked.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return analyze([picked], embedder=embedder, with_framing=False), {row["id"]: row["story"] for row in rows}


@pytest.fixture(scope="module")
def two_topics_of_ecb(embedder, tmp_path_factory):
    """ECB+ dev topics 12 and 35 (51 reports, no dates): the Indian navy capturing 23 pirates (2008) and
    26 pirates (2011); a San Diego Chargers player arrested for drunk driving (Vincent Jackson, Jamal
    Williams). With its gold event per report."""
    return _ecb_topics(embedder, tmp_path_factory, {"12", "35"})


@pytest.fixture(scope="module")
def two_oscar_hosts(embedder, tmp_path_factory):
    """ECB+ dev topic 2 (21 reports, no dates): Hugh Jackman named host of the 2009 Oscars (10 reports)
    and Ellen DeGeneres named host of the 2014 Oscars (11)."""
    return _ecb_topics(embedder, tmp_path_factory, {"2"})


def _mixed(stories, gold: dict[str, str]) -> list[set[str]]:
    events = [{gold[article_id] for article_id in story.article_ids} for story in stories]
    return [found for found in events if len(found) > 1]


def test_similar_events_sharing_their_background_sentences_are_kept_apart(two_topics_of_ecb):
    analysis, gold = two_topics_of_ecb
    # Reports of the two raids share sentences about the navy, the Gulf of Aden and merchant ships; reports
    # of the two arrests share the team, the charge and the city. Where the leads conflict (23 against
    # 26 pirates, Jackson against Williams) the shared sentences count less: no story mixes two events
    # (with them counted in full, both pairs merge).
    assert _mixed(analysis.stories, gold) == []
    assert max(len(story.article_ids) for story in analysis.stories) >= 10
    # Without the conflicts (neither subtracted nor dividing the shared evidence) both pairs merge.
    merged = cluster_stories(analysis.articles, analysis.statements, analysis.vectors, StoryOptions(conflict_penalty=0))
    assert len(_mixed(merged, gold)) == 2


WARNING, CALL = "002_4892f748bad1f1bd", "001_e695d325b575ade2"  # the seeds' two diplomatic events of November 2021


def test_two_diplomatic_events_whose_leads_name_days_three_days_apart_are_kept_apart(seeds_analysis, monkeypatch):
    """France's warning to Russia ("France warned Russia Friday", 12 November 2021) and the Putin-Macron
    call ("on Monday", the 15th): same actors, same crisis, reports published four days apart. Each lead
    names the day of its event, and such a day does not move with the publication: two of them three days
    apart damp the pair (beyond a day, not the three-day publication window)."""
    from compare.cluster import evidence
    from compare.cluster.articles import NO_DAY, article_days, date_damping

    analysis = seeds_analysis
    assert all(len(story.article_ids) == 1 for story in analysis.stories)
    leads = evidence.article_leads(analysis.articles, analysis.statements)
    days = article_days(analysis.articles)
    row = {article.id: position for position, article in enumerate(analysis.articles)}
    pair = np.array([row[WARNING]]), np.array([row[CALL]])
    named = evidence.named_days(leads, days)[[row[WARNING], row[CALL]]]
    assert [_day(day) for day in named.tolist()] == [date(2021, 11, 12), date(2021, 11, 15)]
    # Dated by the nearer of publication and event day within three days, as before, the pair was undamped.
    assert date_damping(evidence.event_days(leads, days), *pair, 3)[0] == 1.0
    assert evidence.story_date_damping(leads, days, *pair, 3)[0] < 0.85
    # With no named days (the damping as before), the two reports share a story.
    monkeypatch.setattr(evidence, "named_days", lambda leads, days: np.full(len(days), NO_DAY, dtype=days.dtype))
    merged = cluster_stories(analysis.articles, analysis.statements, analysis.vectors)
    assert {WARNING, CALL} in [set(story.article_ids) for story in merged]


def test_reports_of_one_announcement_that_lead_differently_join_it_by_the_sentences_they_share(two_oscar_hosts):
    analysis, gold = two_oscar_hosts
    assert _mixed(analysis.stories, gold) == []
    jackman = max(
        (story for story in analysis.stories if gold[story.article_ids[0]] == "2_ecb"), key=lambda s: len(s.article_ids)
    )
    # The report that leads with a threatened actors' strike ("Even as Oscar organizers on Friday unveiled
    # Hugh Jackman as the host ...") states the announcement's facts further down: its sentences join it to
    # the others. With ev13b's five-number shared term it stood alone. How many of the other reports join
    # moves with the vectors (9 of 10 with onnx-int8's per-batch vectors, 8 with the batch-free default).
    assert "2_11ecb" in jackman.article_ids and len(jackman.article_ids) >= 8
