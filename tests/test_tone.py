"""Tone toward targets on real sentences from the seeds and BASIL (the cases issue 15 names)."""

from __future__ import annotations

from compare.framing.tone import MIN_STATEMENTS, actor_tone_rows, actor_tones, tone
from compare.framing.toward import tone_toward
from compare.model.documents import Statement


def _toward(text: str, target: str, after: str = "") -> float:
    start = text.index(target, text.index(after) if after else 0)
    return tone_toward(text, start, start + len(target))


def test_a_warning_is_negative_toward_the_one_warned():
    text = "France warned Russia on Thursday not to harm Ukraine’s territorial integrity."
    assert tone(text) > 0.3  # the whole sentence reads positive to VADER ("not harm", "integrity")
    assert _toward(text, "Russia") < -0.3
    accused = (
        "Paris, in a rare and blatant rebuke to Moscow, accused Moscow of blocking attempts to organize a ministerial "
        "conference between France, Germany Russia, Ukraine, and Russia."
    )
    assert _toward(accused, "Moscow", after="accused") < 0


def test_an_apology_for_grabbing_someone_is_not_praise_of_the_one_apologising():
    text = (
        "Representative Bob Etheridge, Democrat of North Carolina, issued an apology on Monday for grabbing a young "
        "man by the hand, arm and neck – as a video camera rolled – as the man tried to ask him whether he supports "
        "President Obama’s agenda."
    )
    assert tone(text) > 0.5
    assert _toward(text, "Bob Etheridge") <= 0


def test_what_a_speaker_says_is_not_said_of_the_speaker():
    text = "“I think it’s simply more fake promises raising false hopes,” Senator Richard Blumenthal, Democrat of Connecticut, said."
    assert tone(text) < 0  # the sentence's words are the quote's
    assert _toward(text, "Richard Blumenthal") == 0


def _statement(index: int, text: str, entities: tuple[tuple[str, str], ...], outlet: str = "Reuters") -> Statement:
    return Statement(f"a:{index}", "a", outlet, index, text, 0, len(text), "narration", None, entities)


def test_tone_toward_sides_counts_each_statement_once_and_marks_few():
    statements = [
        _statement(
            0,
            "France warned Russia on Thursday not to harm Ukraine’s territorial integrity.",
            (("France", "GPE"), ("Russia", "GPE"), ("Ukraine", "GPE")),
        ),
        _statement(
            1,
            "Russian airstrikes killed four people and Russia denied it, Russia said.",
            (("Russian", "NORP"), ("Russia", "GPE")),
        ),
    ]
    rows = {row.actor: row for row in actor_tone_rows(actor_tones(statements, {}))}
    assert rows["Russian officials"].statements == 2 and rows["Russian officials"].tone < 0
    assert rows["Russian officials"].sparse and MIN_STATEMENTS == 3
    assert rows["French officials"].statements == 1


def test_a_zero_from_statements_without_tone_words_reads_neutral_and_few_statements_are_not_a_tone():
    from compare.views.differences import KeyDifferences
    from compare.views.story_html import tone_html

    # Sentences of the sample corpus and the test events: none says anything good or bad of the survey.
    plain = [
        _statement(index, text, ((survey, "ORG"),))
        for index, (text, survey) in enumerate(
            (
                (
                    "The epicentre was in Gorkha district, about 80 km northwest of the capital, "
                    "the U.S. Geological Survey said.",
                    "the U.S. Geological Survey",
                ),
                (
                    "The epicentre was near Kodari in Dolakha district, close to the border with China, "
                    "the U.S. Geological Survey said.",
                    "the U.S. Geological Survey",
                ),
                (
                    "The epicentre of the larger tremor was near Visso, in the province of Macerata, "
                    "according to the US Geological Survey.",
                    "the US Geological Survey",
                ),
            )
        )
    ]
    warned = _statement(
        3,
        "France warned Russia on Thursday not to harm Ukraine’s territorial integrity.",
        (("France", "GPE"), ("Russia", "GPE")),
    )
    rows = {row.actor: row.to_dict() for row in actor_tone_rows(actor_tones([*plain, warned], {}))}
    survey = rows["agencies and science"]
    assert survey["statements"] == 3 and survey["toned"] == 0 and survey["tone"] == 0 and not survey["sparse"]
    assert rows["Russian officials"]["sparse"] and rows["Russian officials"]["toned"] == 1
    shown = tone_html(
        KeyDifferences(
            tone=[{"outlet": "Sample Wire", "tone": -0.18, "n": 5, "sparse": False, "toned": 2}],
            actor_tone=[{**row, "outlet": "Sample Wire", "n": row["statements"]} for row in rows.values()],
        )
    )
    assert "<b>Sample Wire</b> in this story: -0.18 (n=5, 2 with tone words)" in shown
    assert "toward agencies and science: neutral, no tone words (n=3)" in shown and "+0.00" not in shown
    assert "Too few statements to read a tone (under 3): " in shown and "toward Russian officials (n=1)" in shown
    assert "toward Russian officials:" not in shown  # one statement is not given as a tone


def test_an_analysis_made_before_tone_words_were_counted_shows_mean_and_n_only():
    from compare.views.differences import tone_figure

    assert tone_figure(0.0, 4) == "+0.00 (n=4)"  # no count of toned statements: no claim of "no tone words"
    assert tone_figure(-0.004, 7, toned=2) == "+0.00 (n=7, 2 with tone words)"  # a balance, measured
    assert tone_figure(0.01, 7, toned=0) == "neutral, faint tone words only (n=7)"
