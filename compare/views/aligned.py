"""A story's statements aligned across outlets: shared claims first by prominence, the rest per outlet ("only here")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from compare.views.differences import POSITIONS, KeyDifferences, StoryScope, claim_rank

ALIGNED_COLUMNS = 4  # outlets side by side at most: as many as the headline cards above them
# Past this many outlets the aligned statements put a few outlets side by side (``side_by_side``), the others' cards
# folded under each fact: ECB+'s 19-outlet story, every reporting outlet's cards four to a line, was 25,000 px tall
# at 1440 px. Up to it (and so for two to six outlets) the page is as it was.
MANY_OUTLETS = 6


@dataclass(frozen=True)
class SharedClaim:
    """A claim two or more of the shown outlets report: per outlet its statements, and where it is placed."""

    claim_id: str
    cells: dict[str, list[dict[str, Any]]]
    positions: dict[str, str]  # outlet -> most prominent placement (headline, lede, body, end)

    @property
    def outlets(self) -> list[str]:
        """The outlets that report it."""
        return [outlet for outlet, cell in self.cells.items() if cell]

    @property
    def text(self) -> str:
        """Its first statement's text (what a link to the claim quotes)."""
        return next(statement["text"] for cell in self.cells.values() for statement in cell)

    def lines(self, outlets: list[str]) -> list[list[str]]:
        """The outlets of ``outlets`` to draw this claim's cells for, in lines of at most ``ALIGNED_COLUMNS``.

        Up to that many outlets, every one in one line, an empty cell saying "not in …" under its column's head.
        Past it (ECB+: 17 outlets in one story), the outlets that report the claim only, four to a line: seventeen
        columns of about 40 px set every card a few letters to a line, and the story page was 135,000 px tall.
        """
        if len(outlets) <= ALIGNED_COLUMNS:
            return [list(outlets)]
        reporting = [outlet for outlet in outlets if self.cells.get(outlet)]
        return [reporting[start : start + ALIGNED_COLUMNS] for start in range(0, len(reporting), ALIGNED_COLUMNS)]

    def others(self, columns: list[str]) -> list[str]:
        """The outlets that report it and are not among ``columns`` (the ones side by side), in their order."""
        return [outlet for outlet in self.outlets if outlet not in columns]

    def other_text(self, outlet: str) -> str | None:
        """The text another outlet gives it, which ``outlet``'s statements are marked against."""
        return next((s["text"] for other, cell in self.cells.items() if other != outlet for s in cell), None)


@dataclass(frozen=True)
class AlignedStory:
    """The story as the page lays it out: shared claims (aligned), then each outlet's statements no other reports."""

    outlets: list[str]
    shared: list[SharedClaim]
    only_here: dict[str, list[dict[str, Any]]]  # outlet -> its statements no other shown outlet reports, in order

    @property
    def texts(self) -> dict[str, str]:
        """Each shared claim's text, by claim id."""
        return {claim.claim_id: claim.text for claim in self.shared}

    @property
    def only_here_counts(self) -> dict[str, int]:
        """How many statements each outlet reports that no other shown outlet does."""
        return {outlet: len(statements) for outlet, statements in self.only_here.items()}

    @property
    def statement_counts(self) -> dict[str, int]:
        """Each shown outlet's statements in the story (each is in a shared fact or "only here")."""
        counts = dict(self.only_here_counts)
        for claim in self.shared:
            for outlet, cell in claim.cells.items():
                counts[outlet] = counts.get(outlet, 0) + len(cell)
        return counts

    def side_by_side(self) -> list[str] | None:
        """The outlets whose columns the aligned statements show unless the reader picks others: past
        ``MANY_OUTLETS``, the ``ALIGNED_COLUMNS`` with the most statements in the story (ties by name), in the page's
        order; None when there are few enough outlets to show every one as before."""
        if len(self.outlets) <= MANY_OUTLETS:
            return None
        counts = self.statement_counts
        most = sorted(self.outlets, key=lambda outlet: -counts.get(outlet, 0))[:ALIGNED_COLUMNS]  # stable: by name
        return [outlet for outlet in self.outlets if outlet in most]


def side_by_side_note(aligned: AlignedStory, columns: list[str], chosen: bool, where: str) -> str:
    """What the aligned statements show past ``MANY_OUTLETS`` (plain text: escape it where it is drawn): the
    ``columns`` side by side, ``chosen`` by the reader or the ones with the most statements, and ``where`` the
    others are (the page: "one click away; choose the columns above")."""
    counts = aligned.statement_counts
    why = "chosen above" if chosen else "with the most statements in the story"
    return (
        f"{len(aligned.outlets):,} outlets are too many to set side by side: the columns are the {len(columns)} {why} ("
        + ", ".join(f"{outlet}, {counts.get(outlet, 0):,} statements" for outlet in columns)
        + f"). Under each fact, the other outlets that report it are {where}."
    )


def aligned_story(analysis: dict[str, Any], scope: StoryScope, outlets: list[str] | None = None) -> AlignedStory:
    """The story's claims reported by two or more of ``outlets`` (all when None), most prominent first.

    A claim's prominence is its best placement by any outlet (headline, lede, body, end), then how
    many outlets report it, then where it first appears. A statement that no other shown outlet
    reports goes to its outlet's "only here" list, in article order.
    """
    shown = [outlet for outlet in scope.story["outlets"] if not outlets or outlet in outlets]
    placements: dict[str, dict[str, str]] = {}
    for row in analysis.get("prominence", []):
        if row["statement_id"] in scope.statements:
            best = placements.setdefault(row["cluster_id"], {}).get(row["outlet"])
            if best is None or POSITIONS.index(row["position"]) < POSITIONS.index(best):
                placements[row["cluster_id"]][row["outlet"]] = row["position"]
    shared = []
    in_shared: set[str] = set()
    for claim_id, statement_ids in scope.claims.items():
        members = sorted((scope.statements[sid] for sid in statement_ids), key=_order)
        cells = {outlet: [m for m in members if m["outlet"] == outlet] for outlet in shown}
        if sum(1 for cell in cells.values() if cell) < 2:
            continue
        in_shared.update(m["id"] for cell in cells.values() for m in cell)
        positions = {o: p for o, p in placements.get(claim_id, {}).items() if o in shown}
        shared.append(SharedClaim(claim_id, cells, positions))
    shared.sort(
        key=lambda claim: (
            claim_rank(claim.positions),
            -len(claim.outlets),
            min(s["index"] for cell in claim.cells.values() for s in cell),
        )
    )
    only_here: dict[str, list[dict[str, Any]]] = {outlet: [] for outlet in shown}
    for statement in sorted(scope.statements.values(), key=_order):
        if statement["outlet"] in only_here and statement["id"] not in in_shared:
            only_here[statement["outlet"]].append(statement)
    return AlignedStory(shown, shared, only_here)


# What the story chart counts for each outlet, in the order it draws them (top to bottom).
TELLING_MEASURES = (
    "shared facts it reports",
    "shared facts it leaves out",
    "statements only it reports",
    "statements quoting someone",
)


def telling_rows(aligned: AlignedStory, differences: KeyDifferences) -> list[dict[str, Any]]:
    """How each shown outlet told the story, the numbers the story page lists: per outlet, the shared facts it
    reports and leaves out (of those two or more shown outlets report, as "Aligned statements"), its statements
    no other shown outlet reports ("Only here") and its statements attributed to a named speaker ("Who is
    quoted or cited")."""
    rows = []
    for outlet in aligned.outlets:
        reported = sum(1 for claim in aligned.shared if claim.cells.get(outlet))
        counts = (
            reported,
            len(aligned.shared) - reported,
            aligned.only_here_counts.get(outlet, 0),
            sum(row["statements"] for row in differences.speakers if row["outlet"] == outlet),
        )
        rows += [
            {"outlet": outlet, "measure": measure, "count": count} for measure, count in zip(TELLING_MEASURES, counts)
        ]
    return rows


def telling_lead(aligned: AlignedStory, rows: list[dict[str, Any]]) -> str:
    """The line over the story chart (``telling_rows``' rows), with its n: on the story page and in the report."""
    statements = sum(row["count"] for row in rows if row["measure"] == "statements only it reports")
    # a lead-in: under the last key difference, a bare "n = …" read as that list's count
    lead = (
        f"The key differences in numbers, per outlet (n = {len(aligned.shared)} shared facts and {statements} "
        f"statements no other outlet reports, of {len(aligned.outlets):,} outlets)"
    )
    if len(aligned.outlets) == 2:  # a shared fact is one both report, so neither can leave one out: a 0, no finding
        return (
            lead
            + ". With two outlets shown, “shared facts it leaves out” is 0 for both: a shared fact is one both report."
        )
    return lead + ":"


def _order(statement: dict[str, Any]) -> tuple[str, int]:
    return statement["article_id"], statement["index"]
