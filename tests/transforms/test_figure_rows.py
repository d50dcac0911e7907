"""Figure rows are copied field by field (not with dataclasses.replace): no field may be lost on the way."""

from __future__ import annotations

import dataclasses

from reegen.figures import Figure
from reegen.transforms.figures import FigurePlan, FigureRow

FIGURE = Figure(id="a/f1", article_id="a", section="lead", line=3, value="5%", amount=5.0, unit="%", kind="result",
                measure="Growth", sentence="Growth was 5%.")


def test_numbering_keeps_every_field_of_a_row_but_its_source():
    # A value unlike the default in every field, so that a field the copy forgets shows.
    values = {"figure": FIGURE, "ids": ("a/f1", "a/f4"), "status": "disputed", "note": "n", "grade": "B2",
              "in_table": True, "source": 7, "corroborated_by": ("b",), "recurs": 3, "untraced": ("2",)}
    assert {f.name for f in dataclasses.fields(FigureRow)} == set(values), "a new field: give it a value here"
    row = FigureRow(**values)
    plan = FigurePlan((row,), {0: (row,)}, (row,)).numbered({"a": 2})
    for copy in (plan.carried[0], plan.tables[0][0], plan.pool[0]):
        assert copy == dataclasses.replace(row, source=2)


def test_rows_whose_article_is_not_cited_are_not_carried():
    row = FigureRow(FIGURE, ("a/f1",))
    plan = FigurePlan((row,), {}, (row,)).numbered({})
    assert plan.carried == () and plan.pool == (dataclasses.replace(row, source=None),)
