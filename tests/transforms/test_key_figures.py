"""Key figures worth a row: ranked, capped, quoted, with who says so and untraced citations flagged."""

from __future__ import annotations

from reegen import api
from reegen.model import Table, plain_text
from tests.conftest import article_text

PORT = article_text("port", publisher="Harbour Review", body="""\
The terminal handled 40 ships in May. The authority aims to open 3 berths by 2030.

The dispute over 6 acres was settled in 3 days, officials said.

Producers said prices rose 44% in the quarter [2].

Dockers unloaded 900 containers a day.
""", extra="references:\n  1: {title: A port notice}\n")
WIRE = article_text("wire", publisher="Metals Wire", body="The terminal handled 40 ships in May.\n")

SPEC = """\
title: T
date: 2025-08-01
template: %s
articles: [port, wire]
sections:
  - title: Lead
    from: lead
  - title: Key figures
    figures: auto
%s"""


def figures_table(make_project, template="executive", extra=""):
    prepared = api._prepare(make_project({"port": PORT, "wire": WIRE}, SPEC % (template, extra)), strict=False)
    table = next(b for b in prepared.document.blocks if isinstance(b, Table) and plain_text(b.header[0]) == "Figure")
    header = [plain_text(h) for h in table.header]
    return prepared, table, [dict(zip(header, (plain_text(c) for c in row))) for row in table.rows]


def test_results_come_first_and_a_figure_two_sources_state_leads_them(make_project):
    _, _, rows = figures_table(make_project)
    values = [r["Figure"] for r in rows]
    # Stated by both outlets in the same words: one row, both sources, ahead of the other results.
    assert values[0] == "40" and rows[0]["Source"] == "[1, 2]" and values.count("40") == 1
    assert rows[-1]["Kind"] == "Target or plan, 2030"  # a target comes after every result


def test_one_sentence_giving_two_figures_is_one_row_quoting_it(make_project):
    _, table, rows = figures_table(make_project)
    acres = [r for r in rows if "acres" in r["Figure"]]
    assert len(acres) == 1 and acres[0]["Figure"] == "Over 6 acres; 3 days"
    assert acres[0]["What it measures"] == "“The dispute over 6 acres was settled in 3 days”"
    measures = [r["What it measures"] for r in rows]
    assert len(measures) == len(set(measures))
    assert table.align[0] == "right" and table.widths[0] > 1


def test_who_makes_the_claim_and_an_untraced_citation_are_on_the_row(make_project):
    _, table, rows = figures_table(make_project)
    price = next(r for r in rows if r["Figure"] == "44%")
    assert price["Who says so"] == "Producers" and "untraced ref. 2" in price["Source"]
    assert next(r for r in rows if "acres" in r["Figure"])["Who says so"] == "officials"
    assert next(r for r in rows if r["Figure"] == "40")["Who says so"] == "—"
    assert "Untraced" in plain_text(table.caption)


def test_the_executive_table_is_capped_and_the_rest_stay_in_the_manifest(make_project):
    prepared, table, rows = figures_table(make_project, extra="    max_items: 2\n")
    assert len(rows) == 2
    assert "The 2 leading figures of 5" in plain_text(table.caption)
    carried = prepared.figures.carried
    assert {r.figure.value for r in carried if not r.in_table} == {"900", "44%", "3"}
    # Without max_items an executive brief shows at most 8 rows; a dossier shows them all.
    from reegen.transforms.figures import EXECUTIVE_LIMIT, _ranked
    from reegen.claims import Figure
    from reegen.transforms.figures import FigureRow
    many = [FigureRow(Figure(f"a/f{i}", "a", "lead", 1, str(i), float(i), "ships", "result", "Ships", f"S{i}.",
                             quote=f"{i} ships"), (f"a/f{i}",)) for i in range(1, 12)]
    assert len(_ranked(many, EXECUTIVE_LIMIT, lambda r: 1)) == 8 == EXECUTIVE_LIMIT
    assert _ranked(many, EXECUTIVE_LIMIT, lambda r: 1).total == 11
    _, _, all_rows = figures_table(make_project, template="dossier")
    assert len(all_rows) == 5


def test_a_status_every_row_shares_is_said_once_and_a_desk_note_stays_on_its_row(make_project):
    extra = "verification:\n  port/f6: {status: unverified, grade: C3, note: dock records requested}\n"
    _, table, rows = figures_table(make_project, extra=extra)
    assert "Status" not in [plain_text(h) for h in table.header]
    assert plain_text(table.caption).startswith("Reported by the sources, not verified.")
    row = next(r for r in rows if r["Figure"] == "900")
    assert row["What it measures"] == "“Dockers unloaded 900 containers a day” Desk (C3): dock records requested."
    assert not any("unverified" in cell for r in rows for cell in r.values())


def test_numbers_in_the_spec_text_are_found_and_checked_against_the_articles_they_cite(make_project):
    _, _, before = figures_table(make_project)
    extra = ("  - title: What it means\n    text: |\n      Dockers unload 900 containers a day [@port].\n\n"
             "      - The port aims for 950 ships [@port].\n")
    prepared, table, rows = figures_table(make_project, extra=extra)
    # "900 containers" restates the article's: it counts as one more mention and rises in the ranking.
    assert [r["Figure"] for r in rows].index("900") < [r["Figure"] for r in before].index("900")
    # "950 ships" is not what the article says: a warning at its spec line.
    warned = [d for d in prepared.report.warnings if d.code == "figures.text-unmatched"]
    assert len(warned) == 1 and "'950'" in warned[0].message and "(port)" in warned[0].message
    assert warned[0].location.line == 14  # (the list item's own line)
