"""What each chart shows, how to read it and what it cannot see, in a reader's words: under the chart on the
dashboard and in the HTML report, for a reader with no docs at hand (docs/framing.md has the methods)."""

from __future__ import annotations

from compare.views.charts.projection import MAP_EXPLANATION

CHART_NOTES = {
    "timeline": "One dot per article, by outlet and publication date; articles without a date are not drawn (the "
    "title says how many are dated when some are not).",
    "coverage": "A row is a fact two or more outlets report; a cell, how many of that outlet's statements state it "
    "(white: the outlet tells the story but does not report the fact; grey: it did not tell that story). Most omitted first: the facts the most outlets of their story leave "
    "out. A fact told in words too far from the others' is counted as left out, and a gap says nothing of why.",
    "voices": "Each bar is one outlet's attributed statements (quotes and reported speech with a speaker), split by "
    "the side each speaker speaks for; shares, with the counts (n) in the CSV. A side comes from what the article "
    "says of the speaker and the sides registry: a speaker named with no title or party counts as “other”.",
    "frames": "Each statement takes the one of 15 frames (the Media Frames Corpus's) its meaning is closest to, "
    "“other” when none is close. Indicative only: it agreed with a human annotator on 65% of 60 statements.",
    "tone": "The mean tone of what each outlet's statements say of each side's actors, from −1 to +1, with n (the "
    "statements) beside each bar; pale bars rest on fewer than 3. Tone is read from a word list (VADER): “killed” "
    "or “crisis” read negative whoever says them, and a quote counts as the outlet's own voice.",
    "drift": "The measure per outlet by month or year; articles without a date are left out, and a period of a few "
    "articles swings widely.",
    "terms": "The words an outlet uses more than the others (a z-score); past the dotted 1.96 line the difference is "
    "unlikely to be chance, pale bars are not significant. Counted, not read: a term may be a quoted speaker's "
    "word or house style (“Rep.” where another writes “Representative”).",
    "story": "Per outlet compared, as the story lists them: the shared facts (reported by two or more of these "
    "outlets) it reports and leaves out, its statements no other of them reports (“Only here”), "
    "and its statements attributed to a named speaker. Counted, not weighed: a fact told in words too far from the "
    "others' counts as left out and as the outlet's own, and a gap says nothing of why.",
    "map": MAP_EXPLANATION,
}


def chart_note(name: str) -> str:
    """The note of a chart by its file name (``terms_2`` is a ``terms`` chart, ``tone_over_time`` a ``drift``)."""
    kind = {"tone_toward_actors": "tone", "tone_over_time": "drift"}.get(name, name.split("_")[0])
    return CHART_NOTES.get(kind, "")
