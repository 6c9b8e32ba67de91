"""The story page's HTML pieces: headlines, the coverage bar, key differences and statements; article text escaped."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from compare.model.names import name_key
from compare.views.aligned import SharedClaim
from compare.views.charts.style import colours
from compare.views.differences import KeyDifferences, tone_figure
from compare.views.html import badge_html, highlighted_html
from compare.views.story import SHARED_FACTS

_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?’”)])")
_HAS_WORD = re.compile(r"[^\W_]")  # a letter or a digit
# What a word-difference phrase may start or end with that is not its words (a trailing ’ may be a possessive's).
_PHRASE_STARTS = " \"'“”‘’,;:…"
_PHRASE_ENDS = ' "“”‘,;:…'
# scroll-margin-top: a link to a statement or claim lands below the dashboard's fixed toolbar, not under it.
CARD_STYLE = "padding:6px 8px;border-left:3px solid #4a78c2;margin-bottom:6px;background:#fafbfd;scroll-margin-top:5rem;overflow-wrap:anywhere"
CLAIM_HEAD_STYLE = "font-size:0.8em;color:#555;margin-top:6px;scroll-margin-top:5rem"
SECTION_HEADING_STYLE = "font-size:1rem;font-weight:700;line-height:1.6;margin:0;padding:0;scroll-margin-top:5rem"
# The palest grey for small text that keeps 4.5:1 contrast on white and on the cards (WCAG AA): #999 (2.8:1) and #888
# (3.5:1) made "— not in Fox News —" and "scroll the list for all 22" hard to read.
QUIET_COLOUR = "#707070"
# A statement's kind as a reader says it ("reported" alone read as "the outlet reported it").
KIND_WORDS = {"reported": "reported speech"}
# What the placements mean (framing.prominence): "headline" is a statement saying what the headline says.
PLACES = "headline: repeats half the headline's words; lede: first two sentences; end: last fifth"
# A statement card's badges: its article (outlet), its kind, its speaker.
BADGE_COLOURS = {"label": "#eef2f7", "kind": "#e8eef7", "speaker": "#f3e8f7"}


def anchor(kind: str, name: str) -> str:
    """An HTML id for a claim or statement (``px-claim-claim-3``): letters, digits and dashes only."""
    return f"px-{kind}-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def _clip(text: str, length: int) -> str:
    """``text`` cut to ``length`` characters, with an ellipsis only when it was cut."""
    return text if len(text) <= length else text[:length].rstrip() + "…"


def _link(kind: str, name: str, text: str) -> str:
    return f'<a href="#{anchor(kind, name)}">{escape(text)}</a>'


def _claim_link(claim_id: str, text: str, later: frozenset[str]) -> str:
    """A link to an aligned fact; one of ``later`` (not drawn until "Show more": past six outlets the story page
    opens on 20 of ECB+'s 53 facts, and 33 of its 52 "only some outlets" links led nowhere) says so."""
    note = " <small>(among the aligned facts after “Show more” below)</small>" if claim_id in later else ""
    return _link("claim", claim_id, text) + note


def headline_card_html(row: dict[str, Any], colour: str = "#4a78c2") -> str:
    """One article's headline, outlet, date, byline and link (web addresses only), every piece escaped.

    ``colour``: its outlet's (``outlet_colours``), on the card's top edge.
    """
    return (
        f'<div style="border-top:4px solid {colour};padding:6px 2px 10px">'
        f'<div style="font-size:0.8em;text-transform:uppercase;letter-spacing:0.04em;color:#555">'
        f"{_article_name(row)}</div>"
        f'<div style="font-size:1.15em;font-weight:600;line-height:1.3;margin:4px 0">{escape(row["headline"])}</div>'
        f'<div style="font-size:0.85em;color:#555">{_article_details(row)}</div></div>'
    )


def other_headlines_html(rows: list[dict[str, Any]], colours: dict[str, str]) -> str:
    """The headlines of the outlets not side by side (``headline_rows``' rows), one line each and folded, every piece
    escaped: ECB+'s 19-outlet story drew 19 cards, 1,400 px at 1440 px and 3,000 px on a phone, before its first
    difference."""
    if not rows:
        return ""
    outlets = len({row["outlet"] for row in rows})
    items = "".join(
        f'<li style="margin:4px 0;list-style:none"><span style="color:{colours.get(row["outlet"], QUIET_COLOUR)}">■</span>'
        f" <b>{_article_name(row)}</b>: {escape(row['headline'])} "
        f'<span style="font-size:0.85em;color:#555">({_article_details(row)})</span></li>'
        for row in rows
    )
    return (
        '<details style="margin:0 0 10px">'
        f'<summary style="cursor:pointer;font-size:0.9em">Headlines of the {outlets:,} other outlet'
        f"{'s' * (outlets != 1)}</summary>"
        f'<ul style="padding-left:0;margin:4px 0">{items}</ul></details>'
    )


def _article_name(row: dict[str, Any]) -> str:
    """A headline row's outlet, with "article N" when the outlet has several in the story; escaped."""
    return escape(row["outlet"]) + (f" · article {row['article']}" if row["article"] else "")


def _article_details(row: dict[str, Any]) -> str:
    """A headline row's date, byline and link (web addresses only); escaped."""
    details = " · ".join(
        escape(part) for part in (row["published"] or "undated", f"by {row['byline']}" if row["byline"] else "") if part
    )
    link = (
        f' · <a href="{escape(row["url"], quote=True)}" target="_blank" rel="noopener noreferrer nofollow">'
        "read the article ↗</a>"
        if row["url"]
        else ""
    )
    return details + link


def outlet_colours(outlets: list[str], every: list[str] | None = None) -> dict[str, str]:
    """Each of a story's outlets with its colour (the coverage bar's, the cards' edge): the one it has in every
    chart (``charts.style.colours``) of an analysis whose outlets are ``every`` (default: ``outlets``).

    The story page had a palette of its own by position: on BASIL, Fox News was blue there and red on the
    Overview's and the Outlets page's charts, HuffPost orange there and blue on them.
    """
    palette = colours([*(every or ()), *outlets])
    return {outlet: palette[outlet] for outlet in outlets}


def outlet_head_html(outlet: str, colour: str) -> str:
    """An aligned column's head: the outlet's name over a bar of its colour."""
    return (
        f'<div style="border-bottom:3px solid {colour};font-size:0.8em;text-transform:uppercase;'
        f'letter-spacing:0.04em;color:#555;padding-bottom:2px;margin-bottom:4px">{escape(outlet)}</div>'
    )


def coverage_bar_html(rows: list[dict[str, Any]], sentence: str, colour: dict[str, str] | None = None) -> str:
    """The outlets that covered the story as one bar (width by articles), each with country and type, in its
    colour (``outlet_colours``)."""
    total = sum(row["articles"] for row in rows) or 1
    colour = colour or outlet_colours([row["outlet"] for row in rows])
    segments = "".join(
        f'<div title="{escape(row["outlet"], quote=True)}" style="flex:{row["articles"] / total:.3f};'
        f'background:{colour[row["outlet"]]};height:10px"></div>'
        for row in rows
    )
    legend = "".join(
        f'<span style="display:inline-block;margin:2px 12px 2px 0;font-size:0.85em">'
        # the square is the outlet's colour key, not text: a screen reader skips it ("black square")
        f'<span aria-hidden="true" style="color:{colour[row["outlet"]]}">■</span> <b>{escape(row["outlet"])}</b> '
        f"({row['articles']})"
        + (" · no outlet given" if row.get("stand_in") else "")
        + "".join(f" · {escape(row[key])}" for key in ("country", "type") if row[key] and row[key] != "unknown")
        + "</span>"
        for row in rows
    )
    return (
        f'<div style="margin:8px 0 4px;font-weight:600">Coverage: {escape(sentence)}</div>'
        f'<div style="display:flex;gap:2px;border-radius:4px;overflow:hidden">{segments}</div>'
        f"<div>{legend}</div>"
    )


def claim_cards_html(claim: SharedClaim, outlet: str, labels: dict[str, str], colour: str | None = None) -> str:
    """An outlet's statements of a fact as cards (``labels``: article id -> label), its words that differ from
    another outlet's marked; "" when it does not report the fact."""
    other = claim.other_text(outlet)
    return "".join(statement_html(s, other, labels.get(s["article_id"], outlet), colour) for s in claim.cells[outlet])


def statement_html(statement: dict[str, Any], other: str | None, label: str, colour: str | None = None) -> str:
    """A statement with its words differing from ``other`` marked, its article label, kind and speaker.

    ``colour``: its outlet's (``outlet_colours``) on the card's edge; the default edge otherwise.
    """
    kind = KIND_WORDS.get(statement["kind"], statement["kind"])
    badges = badge_html(label, BADGE_COLOURS["label"]) + badge_html(kind, BADGE_COLOURS["kind"])
    if statement.get("speaker"):
        badges += badge_html(f"speaker: {statement['speaker']}", BADGE_COLOURS["speaker"])
    style = CARD_STYLE + (f";border-left-color:{colour}" if colour else "")
    return (
        f'<div id="{anchor("statement", statement["id"])}" style="{style}">'
        f"{highlighted_html(statement['text'], other)}<br>{badges}</div>"
    )


def _section(title: str, count: int, body: str, note: str = "") -> str:
    """A key difference under its title, a heading: a screen reader's list of headings went from "Key differences"
    to "Aligned statements", past the seven sections between them. Styled as the bold line it was."""
    hint = f'<div style="font-size:0.8em;color:#666">{escape(note)}</div>' if note else ""
    return (
        f'<div style="margin-bottom:14px"><h4 style="{SECTION_HEADING_STYLE}">{escape(title)} '
        f'<span style="color:#666;font-weight:400">({count})</span></h4>{hint}{body}</div>'
    )


def _list(items: list[str], tall: int = 330) -> str:
    """Every item (nothing cut); a long list (more than six) in a box that scrolls past ``tall`` pixels.

    A short list is never boxed: a box cut below its last item reads as text cut off, on a phone most.
    """
    if not items:
        return "<div>none found</div>"
    shown = "".join(f'<li style="margin-bottom:3px">{item}</li>' for item in items)
    shown = f'<ul style="margin:4px 0 0 0;padding-left:18px">{shown}</ul>'
    if len(items) <= 6:
        return shown
    # a line under the box: its last visible item, cut by the box's edge, read as text cut off
    return (
        # tabindex: a keyboard reaches the box and scrolls it with the arrow keys
        f'<div tabindex="0" style="max-height:{tall}px;overflow-y:auto;border-bottom:1px dashed #bbb">{shown}</div>'
        f'<div style="font-size:0.75em;color:{QUIET_COLOUR}">scroll the list for all {len(items)}</div>'
    )


# Past this many outlets a fact's "reported by …; not by …" names the shorter side only (when it is short) and counts
# the other: a 19-outlet story's list named 19 outlets under each of its 52 facts.
NAMED_OUTLETS = 6
_FEW = 3  # a side this short is named even in a long line ("all but A and B")


def _and(names: list[str]) -> str:
    """``names`` as a reader lists them: "A", "A and B", "A, B and C"; escaped."""
    named = [escape(name) for name in names]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def reported_by_html(reported: list[str], missing: list[str]) -> str:
    """Which outlets report a fact and which leave it out, every name escaped.

    Up to ``NAMED_OUTLETS`` outlets in all, both lists in full. Past that, the line says "reported by 17 of 19
    outlets: all but A and B" (or "by A and B only", or the two counts), and every name stays one click away in a
    fold under it.
    """
    total = len(reported) + len(missing)
    if total <= NAMED_OUTLETS:
        line = f"reported by <b>{escape(', '.join(reported))}</b>"
        return line + (f"; not by <b>{escape(', '.join(missing))}</b>" if missing else "")
    if not missing:
        line = f"reported by all {total} outlets"
    elif len(missing) <= _FEW:
        line = f"reported by {len(reported)} of {total} outlets: all but <b>{_and(missing)}</b>"
    elif len(reported) <= _FEW:
        line = f"reported by <b>{_and(reported)}</b> only; not by the other {len(missing)} outlets"
    else:
        line = f"reported by {len(reported)} of {total} outlets; not by {len(missing)}"
    names = f"reported by: {escape(', '.join(reported))}" + (
        f"<br>not by: {escape(', '.join(missing))}" if missing else ""
    )
    return f'{line}<details><summary style="cursor:pointer">the {total} outlets by name</summary>{names}</details>'


def other_outlets_html(claim_cards: dict[str, str], placed: str, opened: bool) -> str:
    """The cards of a fact's outlets that are not side by side (``claim_cards``: outlet -> its cards' HTML), folded
    under the fact (``opened``: unfolded, when no outlet side by side reports it), as many to a line as fit.

    ``placed``: where those outlets place the fact, escaped, or "".
    """
    outlets = list(claim_cards)
    named = f": {_and(outlets)}" if len(outlets) <= _FEW else ""
    summary = f"{len(outlets)} more outlet{'s' * (len(outlets) != 1)} report{'s' * (len(outlets) == 1)} it{named}"
    where = f'<div style="{CLAIM_HEAD_STYLE}">where they place it: {placed}</div>' if placed else ""
    return (
        f'<details{" open" * opened} style="margin:2px 0 8px">'
        f'<summary style="cursor:pointer;font-size:0.85em;color:{QUIET_COLOUR}">{summary}</summary>{where}'
        # a card is 16rem at least: three to a line beside the sidebar at 1440 px, one on a phone
        '<div style="display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));column-gap:8px">'
        f"{''.join(claim_cards.values())}</div></details>"
    )


def omissions_html(
    differences: KeyDifferences,
    shared: set[str],
    only_here: dict[str, int] | None = None,
    later: frozenset[str] = frozenset(),
) -> str:
    """Facts only some outlets report, each linked to its aligned row (``shared`` claim ids) or statement.

    A fact one outlet alone reports sits in that outlet's folded "Only in …" list, which a link
    cannot unfold: the item says so. ``only_here`` counts, per outlet, its statements that no other
    outlet reports (in no claim at all), which the section names too, so that "none found" never
    hides them. ``later``: the aligned facts not drawn until "Show more" (their links say so).
    """
    items = []
    for row in differences.omissions:
        text = _clip(row["text"], 160)
        if row["claim_id"] in shared:
            link = _claim_link(row["claim_id"], text, later)
        else:
            where = " and ".join(f"“Only in {outlet}”" for outlet in row["reported_by"])
            link = _link("statement", row["statement_id"], text) + f" <small>(under {escape(where)} below)</small>"
        items.append(f"{link}<br><small>{reported_by_html(row['reported_by'], row['missing_from'])}</small>")
    alone = {outlet: count for outlet, count in (only_here or {}).items() if count}
    body = _list(items) if items or not alone else ""
    if alone:
        counted = "; ".join(f"{escape(outlet)} {count}" for outlet, count in alone.items())
        body += (
            f'<div style="font-size:0.85em;margin-top:4px">Statements no other outlet reports: {counted} '
            "(under “Only here” below).</div>"
        )
    return _section("Facts only some outlets report", len(items), body)


def wording_html(differences: KeyDifferences) -> str:
    """The words each outlet uses for the same thing, with counts of statements, linked to a statement."""
    items = []
    for row in differences.wording:
        variants = " vs ".join(
            f"“{_link('statement', term['statement_ids'][0], term['term'])}” ("
            + ", ".join(
                f"{escape(outlet)} {count}"
                for outlet, count in sorted(term["outlets"].items(), key=lambda item: name_key(item[0]))
            )
            + ")"
            for term in row["terms"]
        )
        items.append(f"<b>{escape(row['label'])}</b>: {variants}")
    body = _list(items) if items else ""
    phrasings = [
        f"{_link('statement', row['statement_id'], row['outlet'])}: “{escape(_words(row['words']))}” · "
        f"{_link('statement', row['other_statement_id'], row['other_outlet'])}: “{escape(_words(row['other_words']))}”"
        for row in differences.phrasings
    ]
    if phrasings:
        body += _NOTE.format(_phrasings_note(differences.phrasings))
        body += _list(phrasings, 260)
    count = len(items) + len(phrasings)
    return _section("Words for the same thing", count, body or _list([]), "uses of each word, per outlet")


def _phrasings_note(rows: list[dict[str, Any]]) -> str:
    """How many shared facts the pairs of statements below word differently: a fact stated twice by one outlet is
    two pairs, and "4 shared facts worded differently" in a story of 3 shared facts contradicted the page."""
    facts = len({row.get("claim_id") or row["statement_id"] for row in rows})
    counted = f"{facts} shared fact{'s' * (facts != 1)} worded differently"
    if facts != len(rows):
        counted += f", in {len(rows)} pairs of statements"
    return counted + " (each outlet's own words):"


def _words(phrases: list[str]) -> str:
    """An outlet's own words of a shared fact, as read: ``… `` between phrases, no space before punctuation.

    A phrase of quote marks or punctuation alone ('"', '…', ',') is dropped, and quote marks and commas are
    trimmed from each phrase's ends: shown inside the page's own quotes they read as “" … President … ” House”.
    """
    kept = [phrase.lstrip(_PHRASE_STARTS).rstrip(_PHRASE_ENDS) for phrase in phrases if _HAS_WORD.search(phrase)]
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " … ".join(phrase for phrase in kept if phrase)) or "—"


def voices_html(differences: KeyDifferences, outlets: list[str]) -> str:
    """Who each outlet quotes (speakers, statements) and the sides' shares of its attributed statements."""
    items = []
    for outlet in outlets:
        speakers = [row for row in differences.speakers if row["outlet"] == outlet]
        sides = [row for row in differences.voices if row["outlet"] == outlet]
        named = ", ".join(f"{escape(row['speaker'])} {row['statements']}" for row in speakers[:6]) or "nobody named"
        shares = ", ".join(f"{escape(row['side'])} {row['share']:.0%} (n={row['count']})" for row in sides)
        items.append(f"<b>{escape(outlet)}</b>: {named}" + (f"<br><small>sides: {shares}</small>" if shares else ""))
    quoted = sum(row["statements"] for row in differences.speakers)
    return _section(
        "Who is quoted or cited",
        quoted,
        _list(items),
        "each speaker with the number of statements attributed to them; sides: the kind of source quoted",
    )


def prominence_html(differences: KeyDifferences, texts: dict[str, str], later: frozenset[str] = frozenset()) -> str:
    """Where each outlet places the facts they share (headline, lede, body, end); differently placed first.

    ``later``: the aligned facts not drawn until "Show more" (their links say so)."""
    items = [
        _claim_link(row["claim_id"], _clip(texts.get(row["claim_id"], row["claim_id"]), 110), later)
        + "<br><small>"
        + "; ".join(
            f"{escape(outlet)}: <b>{escape(position)}</b>"
            for outlet, position in sorted(row["positions"].items(), key=lambda item: name_key(item[0]))
        )
        + "</small>"
        for row in differences.prominence
    ]
    differs = sum(1 for row in differences.prominence if row["differs"])
    note = f"{differs:,} of {len(items):,} placed differently · {PLACES}"
    return _section(f"Where {SHARED_FACTS} are placed", len(items), _list(items, 240), note)


def quote_edits_html(differences: KeyDifferences) -> str:
    """Quotes of one speaker that two outlets word differently: the words only each outlet's quote has."""
    items = []
    for edit in differences.quote_edits:
        first, second = edit.get("outlets") or ("one outlet", "the other")
        only_first = _words([words for mark, words in edit["diff"] if mark == "-"])
        only_second = _words([words for mark, words in edit["diff"] if mark == "+"])
        speaker = edit.get("speaker") or "an unnamed speaker"
        # the quote's opening words: "Trump: Fox News vs HuffPost" five times over told five quotes apart by nothing
        quote = f", “{edit['quote']}”" if edit.get("quote") else ""
        items.append(
            _link("statement", edit["statement_ids"][0], f"{speaker}{quote}: {first} vs {second}")
            # in quotes, as the wordings above: struck through and underlined (<del>, <ins>), an outlet's words read
            # as cut or false, and were hard to read
            + f"<br><small>only {escape(first)}: “{escape(only_first)}”; only {escape(second)}: “{escape(only_second)}”</small>"
        )
    return _section("Quote edits", len(items), _list(items, 240), "the same speaker quoted in other words")


def loaded_words_html(differences: KeyDifferences, outlets: list[str]) -> str:
    """Each outlet's evaluative words in this story, most used first, with counts."""
    items = []
    for outlet in outlets:
        words = [row for row in differences.loaded_words if row["outlet"] == outlet]
        listed = ", ".join(f"{escape(row['word'])} ×{row['count']}" for row in words[:10]) or "none"
        items.append(f"<b>{escape(outlet)}</b>: {listed}")
    return _section("Loaded words", len(differences.loaded_words), _list(items), "word ×uses")


def tone_html(differences: KeyDifferences) -> str:
    """Each outlet's tone in this story and toward the sides it quotes (corpus-wide), always with n.

    A figure over fewer than three statements is not given as a tone: it is named, with its n, in a
    note below. A mean of statements without tone words reads "neutral, no tone words".
    """
    story = [(f"<b>{escape(row['outlet'])}</b> in this story", row) for row in differences.tone]
    toward = [
        (f"{escape(row['outlet'])} toward {escape(row['actor'])}", row)
        for row in sorted(differences.actor_tone, key=lambda row: (row["actor"], name_key(row["outlet"])))
    ]
    readable = [f"{name}: {_tone(row)}" for name, row in story if not row["sparse"]]
    body = _list(readable) if readable or not story else ""
    if any(not row["sparse"] for _, row in toward):
        body += _NOTE.format("Toward the sides quoted here, across all their articles (what is said of them):")
        body += _list([f"{name}: {_tone(row)}" for name, row in toward if not row["sparse"]], 240)
    sparse = [f"{name} (n={row['n']})" for name, row in story + toward if row["sparse"]]
    if sparse:
        body += _NOTE.format("Too few statements to read a tone (under 3): " + "; ".join(sparse))
    return _section(
        "Tone of the wording",
        len(story),
        body,
        "−1 most negative to +1 most positive (VADER word lexicon); n statements",
    )


_NOTE = '<div style="font-size:0.8em;color:#666;margin-top:4px">{}</div>'


def _tone(row: dict[str, Any]) -> str:
    return escape(tone_figure(row["tone"], row["n"], row.get("toned")))
