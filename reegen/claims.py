"""Figures as data: the `Figure` record, its kinds, and `ClaimIndex` for finding the same claim.

Finding figures in an article's text is `reegen.figures`; this module is what the rest
of a build needs of them once found. A build whose article bodies all come from the
body cache never runs the finder, and so never compiles its patterns.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

#: figure kinds, in the order a Key figures table groups them, with a reader's label
KINDS = {
    "result": "Reported result",
    "price-move": "Price move",
    "forecast": "Forecast",
    "target": "Target or plan",
}


@dataclass(frozen=True, slots=True)
class Figure:
    """One numeric claim in an article, as the article states it."""

    #: `article-id/fN`, stable while the article's text is unchanged
    id: str
    article_id: str
    #: the section slug it sits in, and the line of its paragraph in the article file
    section: str
    line: int | None
    #: the value as printed in a table, qualifier and conversion included: "more than ¥110 million (~$15.2 million)"
    value: str
    #: the number as a float (scale applied: 110000000.0), or None when the text gives no single number
    amount: float | None
    #: "%", "pp", a currency code (CNY, USD, EUR, GBP), a measure ("acres", "days") or the counted noun ("businesses")
    unit: str
    #: "result", "target", "forecast" or "price-move"
    kind: str
    #: what the number measures, in the article's words: "New businesses registered in the zone"
    measure: str
    #: the sentence that states it (of a sentence over 1,000 characters, the stretch around the figure, cut at "…")
    sentence: str
    #: the period the text ties it to ("Q1 2025", "2026"), if any
    period: str | None = None
    #: a conversion given in the text, such as "~$15.2 million"
    conversion: str | None = None
    #: "more than", "above", "under", "+" ...
    qualifier: str | None = None
    #: the words of the sentence that state it, quoted as written (cut with "…" around the value when long)
    quote: str = ""
    #: who the sentence says makes the claim ("producers", "officials", "Xinhua"), when it says so
    claimant: str | None = None
    #: the labels of the article's own references cited in the figure's paragraph ("1", "2")
    markers: tuple[str, ...] = ()

    @property
    def number(self) -> int:
        """Return N of the id `article-id/fN`."""
        return int(self.id.rpartition("/f")[2])

    @property
    def kind_label(self) -> str:
        """Return the kind as a reader reads it: "Target or plan"."""
        return KINDS.get(self.kind, self.kind)

    def same_claim(self, other: "Figure") -> bool:
        """Return whether `other` states the same number of the same thing (value, unit and kind)."""
        if self.unit != other.unit or self.kind != other.kind:
            return False
        if self.amount is None or other.amount is None:
            return self.value.casefold() == other.value.casefold()
        return abs(self.amount - other.amount) <= 1e-9 * max(1.0, abs(self.amount))


class ClaimIndex:
    """Figures grouped by claim, to find those stating the same claim as a figure without comparing every pair.

    `matches(fig)` returns exactly the figures `f` of the index, in index order, for which
    `fig.same_claim(f)` holds. Figures are grouped by (unit, kind); within a group, those
    with an amount are sorted by it, so only the few near `fig.amount` are compared, and
    those without one are looked up by their value's casefold.
    """

    __slots__ = ("_figures", "_groups", "_found")

    def __init__(self, figures) -> None:
        self._figures: tuple[Figure, ...] = tuple(figures)
        groups: dict[tuple[str, str], _ClaimGroup] = {}
        for pos, f in enumerate(self._figures):
            group = groups.get((f.unit, f.kind))
            if group is None:
                group = groups[(f.unit, f.kind)] = _ClaimGroup()
            group.every.append(pos)
            value = f.value.casefold()
            group.by_value.setdefault(value, []).append(pos)
            if f.amount is None:
                group.no_amount.setdefault(value, []).append(pos)
            elif math.isfinite(f.amount):
                group.sorted.append((f.amount, pos))
            else:
                group.odd.append(pos)  # inf (a number too long for a float): always compared
        for group in groups.values():
            group.sorted.sort()
            group.amounts = [a for a, _ in group.sorted]
            group.positions = [pos for _, pos in group.sorted]
        self._groups = groups
        #: answers of `matches` by what `same_claim` compares: a claim asked for again is not searched again
        self._found: dict[tuple, list[Figure]] = {}

    def matches(self, fig: Figure) -> list[Figure]:
        """Return the figures of the index that state the same claim as `fig`, in index order."""
        key = (fig.unit, fig.kind, fig.amount, fig.value.casefold())
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._search(fig)
        return list(found)

    def _search(self, fig: Figure) -> list[Figure]:
        group = self._groups.get((fig.unit, fig.kind))
        if group is None:
            return []
        if fig.amount is None:
            candidates = group.by_value.get(fig.value.casefold(), ())
        elif not math.isfinite(fig.amount):
            candidates = group.every
        else:
            # A generous window around the tolerance of `same_claim`; `same_claim` decides below.
            slack = 2e-9 * max(1.0, abs(fig.amount))
            lo = bisect_left(group.amounts, fig.amount - slack)
            hi = bisect_right(group.amounts, fig.amount + slack)
            candidates = sorted(group.positions[lo:hi] + group.no_amount.get(fig.value.casefold(), [])
                                + group.odd)
        figures = self._figures
        return [figures[pos] for pos in candidates if fig.same_claim(figures[pos])]


class _ClaimGroup:
    """The figures of one (unit, kind), by position in a `ClaimIndex`."""

    __slots__ = ("every", "by_value", "no_amount", "sorted", "odd", "amounts", "positions")

    def __init__(self) -> None:
        self.every: list[int] = []
        #: value.casefold() -> every figure with that value, with an amount or not
        self.by_value: dict[str, list[int]] = {}
        #: value.casefold() -> the figures with that value and no amount
        self.no_amount: dict[str, list[int]] = {}
        self.sorted: list[tuple[float, int]] = []
        self.odd: list[int] = []
        self.amounts: list[float] = []
        self.positions: list[int] = []
