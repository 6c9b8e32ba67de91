"""The story page (how each outlet told one event) and the Overview's story list that opens it; streamlit here."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import Any

import pandas as pd
import streamlit as st

from compare.model.names import by_name
from compare.views.aligned import (
    ALIGNED_COLUMNS,
    AlignedStory,
    SharedClaim,
    aligned_story,
    side_by_side_note,
    telling_lead,
    telling_rows,
)
from compare.views.charts import chart_note, export_caption, selected_story, story_telling_chart
from compare.views.differences import KeyDifferences, key_differences, narrowed, story_scope
from compare.views.html import escape_markdown
from compare.views.pages_charts import COUNT_FORMAT, chart
from compare.views.reading import AnalysisView
from compare.views.story import (
    LIST_HEADLINE_CHARS,
    StorySummary,
    article_labels,
    coverage_rows,
    coverage_sentence,
    cut_at_word,
    headline_rows,
    outlets_named,
    search_words,
    story_list_cell,
)
from compare.views.story_html import (
    CLAIM_HEAD_STYLE,
    QUIET_COLOUR,
    anchor,
    claim_cards_html,
    coverage_bar_html,
    headline_card_html,
    loaded_words_html,
    omissions_html,
    other_headlines_html,
    other_outlets_html,
    outlet_colours,
    outlet_head_html,
    prominence_html,
    quote_edits_html,
    statement_html,
    tone_html,
    voices_html,
    wording_html,
)
from compare.views.tables import outlet_names

KEY = "px_"
KEPT_STORY = KEY + "kept_story"  # not a widget: kept when another page is shown, so the story survives a page switch
STORY_PAGE = "Compare a story"
ROWS_STEP = 40  # aligned rows shown at first, and added by "show more"
# The same past six outlets, where a fact is four columns of ECB+'s long sentences and its other outlets' fold (about
# 300 px a fact at 1440 px): 40 of them were 12,000 of the 19-outlet story page's 18,000 px.
SIDE_BY_SIDE_ROWS_STEP = 20
STORY_ROW_HEIGHT = 68  # px: three lines of a cell's text (Streamlit wraps text only in rows taller than 64 px)
STORY_ROWS_SHOWN = 8  # the story list's height, in rows; the rest scroll
NARROW_STORY_ROW_HEIGHT = 88  # px: four lines (a headline, its outlets, articles and dates on a phone)
STORY_LIST_KEY = KEY + "story_list"
# Not a widget: the outlets the reader set side by side (None: the page's own pick), which the link keeps (?side=).
PICKED_SIDE = KEY + "picked_side"
# The wide list's columns and selection boxes take 896 px: below that, the narrow list shows instead.
STORY_LIST_STYLE = (
    f".st-key-{STORY_LIST_KEY}{{container-type:inline-size}}"
    f"@container (max-width:895px){{.st-key-{STORY_LIST_KEY}_wide{{display:none}}}}"
    f"@container (min-width:896px){{.st-key-{STORY_LIST_KEY}_narrow{{display:none}}}}"
)


def background_note(shared: int) -> str:
    """Why shared facts can be counted where no story has two outlets: reports of different events repeat
    standing facts (a troop figure, an agreement)."""
    if not shared:
        return ""
    return (
        f" The {shared} shared fact{'s' if shared != 1 else ''} counted above "
        f"{'are' if shared != 1 else 'is'} background that reports of these different events repeat "
        "(a figure, an agreement, a place), not a story told twice."
    )


def offer_sample(shown: Any) -> bool:
    """When no story is told by two outlets, says so and offers the sample corpus (``shown.sample_offer``).

    The button chooses the sample by its name in the sidebar's "Articles" (and so in the link), never by a path.
    Returns whether it said so.
    """
    if not shown.sample_offer or any(len(story["outlets"]) >= 2 for story in shown.analysis["stories"]):
        return False
    st.info(
        "No story here is told by two or more outlets: each of these articles reports a different event, so "
        "there is no story to compare side by side yet. Add articles from other outlets (sidebar, “Data and "
        "model”), or open the sample corpus, where each event is told by two outlets."
        + background_note(shown.source.cross_outlet_claims())
    )
    st.button(
        f"Open the sample corpus: {shown.sample_offer}",
        key=KEY + "open_sample",
        on_click=_choose_sample,
        type="primary",
    )
    return True


def _choose_sample() -> None:
    st.session_state[KEY + "corpus"] = "sample"  # the sidebar's "Articles", read before it is drawn
    st.session_state[KEY + "seeds"] = True
    # a story of the other corpus is not one of the sample's: no "linked story does not exist" warning
    for key in (KEY + "story", KEPT_STORY):
        st.session_state.pop(key, None)
    st.query_params.pop("story", None)


def chosen_story() -> str | None:
    """The story this session has open (on any page), for the link."""
    return st.session_state.get(KEY + "story") or st.session_state.get(KEPT_STORY)


def open_story(ids: list[str], table_key: str) -> None:
    """Callback of the Overview's story table: the selected row's story, opened on the story page."""
    rows = st.session_state[table_key].selection.rows
    if rows:
        st.session_state[KEPT_STORY] = ids[rows[0]]
        st.session_state[KEY + "page"] = STORY_PAGE  # the sidebar's menu, read before it is drawn


def open_clicked_story(chart_key: str) -> None:
    """Callback of the Overview's claims chart: the clicked row's story, opened on the story page."""
    story = selected_story(list(st.session_state[chart_key].selection.points))
    if story:
        st.session_state[KEPT_STORY] = story
        st.session_state[KEY + "page"] = STORY_PAGE  # the sidebar's menu, read before it is drawn


def stories_table(summaries: list[StorySummary]) -> None:
    """The Overview's stories, named by headline, entities and dates; selecting a row opens the story.

    Drawn twice, and the width of the main block picks which one shows (a CSS container query): columns of one
    line each need 896 px, and at 800 px (466 px beside the sidebar) or on a phone the dates, the entities and
    most of the outlets sat behind a horizontal scroll. The narrow list is one wrapped column per story.
    """
    st.caption("Select a row to open the story.")
    ids = [summary.id for summary in summaries]
    with st.container(key=STORY_LIST_KEY):
        st.html(f"<style>{STORY_LIST_STYLE}</style>")  # no article text: fixed CSS only
        with st.container(key=STORY_LIST_KEY + "_wide"):
            _wide_stories_table(summaries, ids)
        with st.container(key=STORY_LIST_KEY + "_narrow"):
            _narrow_stories_table(summaries, ids)


def _wide_stories_table(summaries: list[StorySummary], ids: list[str]) -> None:
    table_key = KEY + "stories_table"
    frame = pd.DataFrame(
        [
            {
                "headline": cut_at_word(summary.headline, LIST_HEADLINE_CHARS),  # the story page has it whole
                "outlets": outlets_named(summary.outlets),
                "articles": summary.articles,
                "dates": summary.dates,
                "key entities": ", ".join(summary.entities[:3]),
            }
            for summary in summaries
        ]
    )
    # Who told it, right after the headline: at 1400 px the outlets and articles columns were off the table's right
    # edge, behind a horizontal scroll, while the headline took half the width. Then the key entities and the end of
    # "The New York Times" were: five columns of one line each do not fit the 900 px the table has beside the
    # sidebar. Rows of three lines (Streamlit wraps a cell's text in rows taller than 64 px) hold a headline of 90
    # characters, three outlets and three entities in widths that add up to 860 px; a wider table stretches them.
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=min(STORY_ROWS_SHOWN, len(frame)) * STORY_ROW_HEIGHT + 40,
        row_height=STORY_ROW_HEIGHT,
        column_config={
            "headline": st.column_config.TextColumn("Headline", width=330),
            "outlets": st.column_config.TextColumn("Outlets", width=170),
            "articles": st.column_config.NumberColumn("Articles", width=66, format=COUNT_FORMAT),
            "dates": st.column_config.TextColumn("Dates", width=104),
            "key entities": st.column_config.TextColumn("Key entities", width=190),
        },
        key=table_key,
        on_select=partial(open_story, ids, table_key),
        selection_mode="single-row",
    )


def _narrow_stories_table(summaries: list[StorySummary], ids: list[str]) -> None:
    table_key = KEY + "stories_table_narrow"
    frame = pd.DataFrame({"story": [story_list_cell(summary) for summary in summaries]})
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        height=min(STORY_ROWS_SHOWN, len(frame)) * NARROW_STORY_ROW_HEIGHT + 40,
        row_height=NARROW_STORY_ROW_HEIGHT,
        # 280 px fits the 320 px a 390 px phone leaves beside the selection boxes; a wider table stretches it
        column_config={"story": st.column_config.TextColumn("Story", width=280)},
        key=table_key,
        on_select=partial(open_story, ids, table_key),
        selection_mode="single-row",
    )


def compare_story_page(shown: Any, summaries: list[StorySummary]) -> None:
    """One story: headlines side by side, coverage, key differences, then the statements aligned."""
    offer_sample(shown)
    story_id = _finder(shown.source, summaries, shown.linked)
    if story_id is None:
        return
    st.session_state[KEPT_STORY] = story_id
    summary = next(summary for summary in summaries if summary.id == story_id)
    analysis = shown.source.story(story_id)  # this story's rows (a saved analysis reads only those)
    if analysis is None:  # the saved analysis was replaced since the story list was made
        st.warning(f"The story {escape_markdown(story_id)} is no longer in this analysis: reload the page.")
        return
    story = next(story for story in analysis["stories"] if story["id"] == story_id)
    # h2 as every page's own heading (the sidebar's "Parallax" is the h1); its parts below are h3, their kinds h4
    st.header(escape_markdown(summary.headline), anchor=False)
    st.caption(escape_markdown(" · ".join(part for part in (", ".join(summary.entities), summary.dates) if part)))
    colours = outlet_colours(story["outlets"], outlet_names(shown.analysis))  # as in the charts of every page
    top = st.container()  # the headlines and coverage, drawn once the outlets side by side are known (below)
    chosen = st.multiselect(
        "Outlets to compare",
        by_name(story["outlets"]),
        default=shown.linked.outlets_among(story["outlets"]),
        key=KEY + "story_outlets",
        placeholder="all outlets of the story",
    )
    scope = story_scope(analysis, story_id)
    aligned = aligned_story(analysis, scope, chosen or None)
    differences = key_differences(analysis, narrowed(scope, chosen))
    keys = st.container()  # the key differences, drawn once the aligned facts shown are known (their links land there)
    _telling_chart(shown, analysis, story, summary.headline, aligned, differences)
    columns, shown_facts = _aligned(analysis, story, aligned, colours, shown.linked)
    with top:
        _top(analysis, story, shown.registry, colours, columns)
    with keys:
        _differences(differences, aligned, frozenset(claim.claim_id for claim in aligned.shared[shown_facts:]))


def _finder(source: AnalysisView, summaries: list[StorySummary], linked: Any) -> str | None:
    """The search box and story picker; the story to show, or None (with the reason shown)."""
    if not summaries:
        st.info("No story to compare: add articles.")
        return None
    by_id = {summary.id: summary for summary in summaries}
    wanted = st.session_state.get(KEY + "story") or st.session_state.get(KEPT_STORY) or linked.story
    left, right = st.columns([1, 2])
    query = left.text_input(
        "Find a story",
        value=linked.search,
        key=KEY + "search",
        placeholder="a name, a place, words of a headline or of the text",
    )
    searching = bool(search_words(query))  # a pasted zero-width space alone searches for nothing
    compared = [summary for summary in summaries if len(summary.outlets) >= 2] or summaries
    found = source.search(summaries if searching else compared, query)
    if not found:
        st.warning(f"No story mentions “{escape_markdown(query)}”.")
        return None
    if searching:
        st.caption(f"{len(found):,} of {len(summaries):,} stories mention “{escape_markdown(query)}”.")
    ids = [summary.id for summary in found]
    if wanted in by_id and wanted not in ids and not searching:
        ids.insert(0, str(wanted))  # a linked one-outlet story: shown, though the list offers multi-outlet ones
    stale = wanted is not None and wanted not in by_id
    if stale:
        _say_lost(source, str(wanted), by_id)
    choice = right.selectbox(
        _picker_label(len(found), len(summaries), searching or compared is summaries),
        ids,
        index=ids.index(wanted) if wanted in ids else (None if stale else 0),
        format_func=lambda story: by_id[story].label,
        key=KEY + "story",
        placeholder="Choose a story",
    )
    return str(choice) if choice else None


def _picker_label(listed: int, stories: int, every: bool) -> str:
    """The story picker's label. Without a search it lists the stories told by two or more outlets only, and
    "Story (99 to choose from)" under an Overview of 107 stories read as 8 stories lost."""
    if every or listed == stories:
        return f"Story ({listed} to choose from)"
    return f"Story ({listed} told by two or more outlets; search finds all {stories})"


def _say_lost(source: AnalysisView, wanted: str, by_id: dict[str, StorySummary]) -> None:
    """A linked story this analysis does not have: say so, and where its first article is now, if anywhere."""
    moved = source.moved_story(wanted)
    message = (
        f"The linked story {escape_markdown(wanted)} does not exist in this analysis "
        "(its articles or the thresholds changed), so no story is shown in its place."
    )
    if moved and moved[1] in by_id:
        title, now = moved
        message += f" Its first article, “{escape_markdown(title)}”, is now in the story “{escape_markdown(by_id[now].headline)}”."
    st.warning(message)


def _top(
    analysis: dict[str, Any], story: dict[str, Any], registry: Any, colours: dict[str, str], columns: list[str] | None
) -> None:
    """Each outlet's headline, date, byline and link side by side (past six outlets, those of the ``columns`` side by
    side, the others' one line each in a fold); then the coverage bar."""
    every = headline_rows(analysis, story)
    rows = [row for row in every if columns is None or row["outlet"] in columns]
    per_line = min(len(rows), 4)
    for start in range(0, len(rows), per_line):
        for column, row in zip(st.columns(per_line), rows[start : start + per_line]):
            column.markdown(headline_card_html(row, colours[row["outlet"]]), unsafe_allow_html=True)  # escaped
    others = [row for row in every if row not in rows]
    if others:
        st.markdown(other_headlines_html(others, colours), unsafe_allow_html=True)  # escaped
    st.markdown(
        coverage_bar_html(coverage_rows(analysis, story, registry), coverage_sentence(analysis, story), colours),
        unsafe_allow_html=True,
    )


def _differences(differences: KeyDifferences, aligned: AlignedStory, later: frozenset[str]) -> None:
    """Key differences, two columns wide, each with counts and links to the statements behind them (``later``: the
    aligned facts not drawn until "Show more")."""
    st.subheader("Key differences", anchor=False)
    texts = aligned.texts
    left, right = st.columns(2)
    omissions = omissions_html(differences, set(texts), aligned.only_here_counts, later)
    left.markdown(omissions + wording_html(differences), unsafe_allow_html=True)
    left.markdown(voices_html(differences, aligned.outlets), unsafe_allow_html=True)
    right.markdown(prominence_html(differences, texts, later) + quote_edits_html(differences), unsafe_allow_html=True)
    right.markdown(loaded_words_html(differences, aligned.outlets) + tone_html(differences), unsafe_allow_html=True)


def _telling_chart(
    shown: Any,
    analysis: dict[str, Any],
    story: dict[str, Any],
    headline: str,
    aligned: AlignedStory,
    differences: KeyDifferences,
) -> None:
    """The key differences' counts per outlet as one chart, with its CSV, PNG and SVG (what a journalist exports
    of one story: the Outlets page's charts are of the whole corpus)."""
    rows = telling_rows(aligned, differences)
    members = set(story["article_ids"])
    if len(aligned.outlets) < 2:
        return  # one outlet: nothing is shared or left out, and "only it reports" is everything it says
    st.caption(telling_lead(aligned, rows))
    chart(
        story_telling_chart(rows, headline, outlet_names(shown.analysis)),
        "story",
        pd.DataFrame(rows),
        # the story's articles only: ``analysis`` may hold other stories' rows too
        export_caption(
            {"articles": [a for a in analysis["articles"] if a["id"] in members]}, aligned.outlets, shown.corpus
        ),
        note=chart_note("story"),
    )


def _more(key: str, step: int) -> None:
    st.session_state[key] = st.session_state.get(key, step) + step


def _claim_head(claim: SharedClaim, outlets: int, placed: dict[str, str], among: str = "") -> None:
    """The line over a fact's statements, which links to the fact land on: who reports it, where each places it."""
    where = ", ".join(f"{outlet}: {placed[outlet]}" for outlet in by_name(placed))
    st.markdown(
        f'<div id="{anchor("claim", claim.claim_id)}" style="{CLAIM_HEAD_STYLE}">'
        f"Reported by {len(claim.outlets):,} of {outlets:,} outlets{among}"
        + (f" · where each places it: {escape(where)}" if where else "")
        + "</div>",
        unsafe_allow_html=True,
    )


def _cards(claim: SharedClaim, outlet: str, labels: dict[str, str], colours: dict[str, str]) -> str:
    return claim_cards_html(claim, outlet, labels, colours[outlet])


def _column_cells(
    claim: SharedClaim, line: list[str], width: int, labels: dict[str, str], colours: dict[str, str]
) -> None:
    """One line of a fact's cells in ``width`` columns: an outlet's cards, or "not in" it."""
    for column, outlet in zip(st.columns(width), line):
        column.markdown(
            _cards(claim, outlet, labels, colours)
            or f'<div style="color:{QUIET_COLOUR};font-size:0.85em">— not in {escape(outlet)} —</div>',
            unsafe_allow_html=True,
        )


def _column_heads(outlets: list[str], colours: dict[str, str]) -> None:
    """Each column's outlet, named once (on a phone the columns stack: the cards name it)."""
    for column, outlet in zip(st.columns(len(outlets)), outlets):
        column.markdown(outlet_head_html(outlet, colours[outlet]), unsafe_allow_html=True)


def _every_outlet_rows(
    aligned: AlignedStory, claims: list[SharedClaim], labels: dict[str, str], colours: dict[str, str]
) -> None:
    """Up to ``MANY_OUTLETS``: a column per outlet (up to ``ALIGNED_COLUMNS``), else a fact's outlets four to a line."""
    heads = len(aligned.outlets) <= ALIGNED_COLUMNS  # past that, a fact's cells are its reporting outlets only
    if claims and heads:
        _column_heads(aligned.outlets, colours)
    for claim in claims:
        _claim_head(claim, len(aligned.outlets), claim.positions)
        for line in claim.lines(aligned.outlets):
            _column_cells(claim, line, len(line) if heads else ALIGNED_COLUMNS, labels, colours)


def _side_by_side(story_id: str, aligned: AlignedStory, linked: Any) -> list[str] | None:
    """Past ``MANY_OUTLETS``, the outlets to set side by side: the reader's pick (or the link's), or the ones with the
    most statements (said in a caption); None with fewer outlets (every one is shown, as before)."""
    most = aligned.side_by_side()
    st.session_state.pop(PICKED_SIDE, None)
    if most is None:
        return None
    picked = st.multiselect(
        "Outlets side by side",
        aligned.outlets,
        default=linked.side_among(aligned.outlets, ALIGNED_COLUMNS) or most,
        max_selections=ALIGNED_COLUMNS,
        key=KEY + "side_by_side_" + story_id,
        placeholder=f"the {len(most)} with the most statements in the story",
    )
    columns = [outlet for outlet in aligned.outlets if outlet in picked] or most
    if columns != most:
        st.session_state[PICKED_SIDE] = columns  # for the link (``pages.share_link``)
    where = "one click away; choose the columns above"
    st.caption(escape_markdown(side_by_side_note(aligned, columns, bool(picked) and columns != most, where)))
    return columns


def _side_by_side_rows(
    aligned: AlignedStory,
    claims: list[SharedClaim],
    columns: list[str],
    labels: dict[str, str],
    colours: dict[str, str],
) -> None:
    """Each fact in ``columns`` (a column per outlet, "not in" where it does not report it), and the cards of its
    other outlets folded under it; a fact none of ``columns`` reports shows those cards unfolded, without columns."""
    if claims:
        _column_heads(columns, colours)
    for claim in claims:
        others = claim.others(columns)
        reported = any(claim.cells.get(outlet) for outlet in columns)
        placed = {outlet: claim.positions[outlet] for outlet in columns if outlet in claim.positions}
        _claim_head(claim, len(aligned.outlets), placed, "" if reported else ", none of them side by side")
        if reported:
            _column_cells(claim, columns, len(columns), labels, colours)
        if others:
            where = ", ".join(f"{outlet}: {claim.positions[outlet]}" for outlet in others if outlet in claim.positions)
            st.markdown(
                other_outlets_html(
                    {outlet: _cards(claim, outlet, labels, colours) for outlet in others},
                    escape(where),
                    opened=not reported,
                ),
                unsafe_allow_html=True,
            )


def _aligned(
    analysis: dict[str, Any], story: dict[str, Any], aligned: AlignedStory, colours: dict[str, str], linked: Any
) -> tuple[list[str] | None, int]:
    """Shared claims aligned side by side (most prominent first), then each outlet's "only here" statements.

    Returns the outlets set side by side past ``MANY_OUTLETS`` (None: every outlet has its column) and how many of the
    shared claims are drawn (the rest after "Show more")."""
    st.subheader("Aligned statements", anchor=False)
    labels = article_labels(analysis, story)
    limit_key = KEY + "rows_" + story["id"]
    st.caption(
        f"{len(aligned.shared):,} facts reported by two or more of the outlets shown, most prominent first; "
        "words that differ from the other outlet's statement are marked."
    )
    columns = _side_by_side(story["id"], aligned, linked)
    step = ROWS_STEP if columns is None else SIDE_BY_SIDE_ROWS_STEP
    limit = st.session_state.get(limit_key, step)
    if columns is None:
        _every_outlet_rows(aligned, aligned.shared[:limit], labels, colours)
    else:
        _side_by_side_rows(aligned, aligned.shared[:limit], columns, labels, colours)
    if len(aligned.shared) > limit:
        st.caption(f"{limit:,} of {len(aligned.shared):,} shared facts shown; “Show more” adds {step:,}.")
        st.button("Show more", key=KEY + "more_" + story["id"], on_click=_more, args=(limit_key, step))
    st.subheader("Only here", anchor=False)
    st.caption("What each outlet reports that no other outlet shown reports, in article order.")
    for outlet, statements in aligned.only_here.items():
        with st.expander(f"Only in {escape_markdown(outlet)}: {len(statements):,} statements"):
            st.markdown(
                "".join(
                    statement_html(s, None, labels.get(s["article_id"], outlet), colours[outlet]) for s in statements
                )
                or "Nothing: every statement is shared with another outlet.",
                unsafe_allow_html=True,
            )
    return columns, limit
