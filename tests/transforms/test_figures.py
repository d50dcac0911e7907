"""The Key figures table, the verification ledger and strictness (issue 4)."""

from __future__ import annotations

import json

import docx
import pytest
from pypdf import PdfReader

from reegen import api
from reegen.errors import BuildFailed
from reegen.model import Cite, Heading, Ref, Table, plain_text
from tests.conftest import article_text

ZONE = article_text("zone", published="2025-05-01", body="""\
In Q1 2025, 793 new businesses registered in the zone, and private enterprise growth jumped 43.7%.

## Highlights

- Loans of more than ¥110 million (~$15.2 million) were extended.
- The zone aims for 150+ new projects by 2026.

## Details

Registrations rose 793 new businesses in all. Approvals now take 30% less time.
""", extra="origin:\n  - {name: Baogang Daily, kind: state-affiliated, translated: false}\n")
PLAN = article_text("plan", published="2026-01-15", body="""\
The plan sets targets for 2026: R&D spending growth above 10%.

## Highlights

- Its targets for 2026 include R&D spending growth of 10%+.
""")

SPEC = """\
title: T
date: 2026-05-01
articles: [zone, plan]
sections:
  - title: Summary
    from: highlights
  - title: Figures
    figures: auto
"""


def load(make_project, spec=SPEC, **kw):
    path = make_project({"zone": ZONE, "plan": PLAN}, spec)
    return path, api._prepare(path, strict=kw.get("strict", False))


def table_of(document) -> Table:
    """Return the Key figures table (the caveats have a table of sources too)."""
    tables = [b for b in document.blocks if isinstance(b, Table) and plain_text(b.header[0]) == "Figure"]
    assert len(tables) == 1
    return tables[0]


def rows_text(table: Table) -> list[list[str]]:
    return [[plain_text(c) for c in row] for row in table.rows]


def test_auto_shows_the_figures_of_the_material_with_source_kind_and_status(make_project):
    _, prepared = load(make_project)
    table = table_of(prepared.document)
    # Every row is reported and unverified: the caption says so once, and there is no Status column.
    assert [plain_text(c) for c in table.header] == ["Figure", "What it measures", "Source", "Kind"]
    assert plain_text(table.caption).startswith("Reported by the sources, not verified.")
    assert table.align == ("right", "left", "left", "left")
    rows = rows_text(table)
    # Results first, then targets; the zone's highlights come before the plan's (pool order).
    assert [r[0] for r in rows] == ["More than ¥110 million (~$15.2 million)", "150+", "10%+"]
    # The caption says "Reported by the sources" once; the Kind cell does not repeat it.
    assert rows[0][3] == "Result" and rows[1][3] == "Target or plan, 2026" and rows[2][3] == "Target or plan, 2026"
    # What it measures is quoted from the sentence, as written.
    assert rows[1][1] == "“The zone aims for 150+ new projects by 2026”"
    # The source cell is a link into the Sources list, numbered like any citation.
    cell = table.rows[0][2]
    assert cell == (Ref((1,)),) and not any(isinstance(i, Cite) for row in table.rows for c in row for i in c)
    assert rows[2][2] == "[2]"


def test_figures_cut_from_the_printed_text_are_still_carried(make_project):
    spec = SPEC.replace("    from: highlights\n", "    from: [zone#lead, zone#details]\n    max_items: 1\n")
    _, prepared = load(make_project, spec)
    carried = {r.figure.value for r in prepared.figures.carried}
    assert {"793", "43.7%", "30%"} <= carried  # "30%" sits in the item max_items cut


def test_a_number_stated_twice_in_an_article_is_one_claim(make_project):
    spec = SPEC.replace("    from: highlights\n", "    from: [plan#lead, plan#highlights]\n")
    _, prepared = load(make_project, spec)
    rows = [r for r in prepared.figures.carried if r.figure.article_id == "plan"]
    assert len(rows) == 1 and rows[0].ids == ("plan/f1", "plan/f2")


def test_a_ledger_entry_sets_the_status_note_and_grade(make_project):
    spec = SPEC + """\
verification:
  zone/f3: {status: verified, grade: B2, note: matches the zone’s Q1 statement}
  plan/f1: {status: disputed, note: no budget line found}
"""
    _, prepared = load(make_project, spec)
    table = table_of(prepared.document)
    rows = rows_text(table)
    assert plain_text(table.header[4]) == "Status"
    assert rows[0][4] == "Verified (B2): matches the zone’s Q1 statement"
    # plan/f1 (the lead) and plan/f2 (the highlight the table shows) are one claim.
    assert rows[2][4] == "Disputed: no budget line found"
    assert prepared.report.warnings == []


def test_a_ledger_entry_changes_the_status_shown_in_pdf_and_docx(make_project):
    spec = SPEC + "verification:\n  zone/f3: {status: verified, grade: B2, note: matches the zone’s Q1 statement}\n"
    path = make_project({"zone": ZONE, "plan": PLAN}, spec)
    result = api.build(path, formats=["pdf", "docx"])
    pdf_text = " ".join(" ".join(p.extract_text() for p in PdfReader(result.outputs["pdf"]).pages).split())
    document = docx.Document(str(result.outputs["docx"]))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Verified (B2): matches the zone’s Q1 statement" in cells
    assert "Reported, unverified" in cells
    assert "Verified (B2): matches the zone’s Q1" in pdf_text
    assert "Figures" in pdf_text


def test_a_ledger_id_matching_no_figure_is_a_located_warning_with_a_suggestion(make_project):
    spec = SPEC + "verification:\n  zone/f30: {status: verified}\n  zome/f1: verified\n"
    path, prepared = load(make_project, spec)
    messages = [str(d) for d in prepared.report.warnings]
    assert any(m.startswith("briefs/brief.yaml:10: warning: ledger entry 'zone/f30' matches no figure; did you mean 'zone/f3'? (article 'zone' has f1–f6)")
               for m in messages), messages
    assert any("briefs/brief.yaml:11: warning: ledger entry 'zome/f1' matches no figure (no article 'zome'; did you mean 'zone'?)"
               in m for m in messages), messages
    with pytest.raises(BuildFailed) as failed:
        api._prepare(path, strict=True)
    assert any(d.code == "spec.unknown-figure" and d.severity == "error" for d in failed.value.report)


def test_a_grade_that_is_not_an_admiralty_code_is_a_warning(make_project):
    _, prepared = load(make_project, SPEC + "verification:\n  zone/f3: {status: verified, grade: Z9}\n")
    assert [d.code for d in prepared.report.warnings] == ["spec.grade"]


def test_a_figures_list_shows_those_figures_in_that_order(make_project):
    spec = SPEC.replace("    figures: auto\n", "    figures: [zone/f2, zone/f1]\n")
    _, prepared = load(make_project, spec)
    assert [r[0] for r in rows_text(table_of(prepared.document))] == ["43.7%", "793"]


def test_an_unknown_id_in_a_figures_list_is_an_error(make_project):
    spec = SPEC.replace("    figures: auto\n", "    figures: [zone/f99]\n")
    path = make_project({"zone": ZONE, "plan": PLAN}, spec)
    with pytest.raises(BuildFailed) as failed:
        api._prepare(path, strict=False)
    assert [str(d).split(" [")[0] for d in failed.value.report.errors] == [
        "briefs/brief.yaml:7: error: figure 'zone/f99' in section 'Figures' matches no figure; did you mean 'zone/f6'? "
        "(article 'zone' has f1–f6)"]


def test_require_verified_warns_per_unverified_figure_and_fails_with_strict(make_project):
    spec = SPEC + "caveats: {require_verified: true}\nverification:\n  zone/f3: verified\n"
    path, prepared = load(make_project, spec)
    unverified = [d for d in prepared.report.warnings if d.code == "figures.unverified"]
    assert len(unverified) == 2 and all(d.location.line == 7 for d in unverified)
    assert "'zone/f4'" in unverified[0].message
    with pytest.raises(BuildFailed):
        api._prepare(path, strict=True)


def test_a_target_is_never_shown_as_a_result(make_project):
    _, prepared = load(make_project)
    for row in prepared.figures.carried:
        if row.figure.kind == "target":
            shown = [r for r in rows_text(table_of(prepared.document)) if r[0].lower() == row.figure.value.lower()]
            assert shown and all("Target" in r[3] for r in shown)


def test_the_manifest_lists_every_figure_with_its_status(make_project):
    spec = SPEC + "verification:\n  zone/f3: {status: verified, note: checked}\n"
    path = make_project({"zone": ZONE, "plan": PLAN}, spec)
    result = api.build(path, formats=["pdf"])
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in manifest["figures"]}
    assert by_id["zone/f3"]["status"] == "verified" and by_id["zone/f3"]["note"] == "checked"
    assert by_id["zone/f3"]["source"] == 1 and by_id["zone/f3"]["in_table"] is True
    assert by_id["plan/f2"]["kind"] == "target" and by_id["plan/f2"]["ids"] == ["plan/f2", "plan/f1"]
    assert all(c["about"] and isinstance(c["sources"], list) for c in manifest["caveats"])


def test_a_brief_without_a_figures_section_has_no_table_but_still_carries_figures(make_project):
    spec = SPEC.replace("  - title: Figures\n    figures: auto\n", "")
    _, prepared = load(make_project, spec)
    assert not [b for b in prepared.document.blocks if isinstance(b, Table) and plain_text(b.header[0]) == "Figure"]
    assert prepared.figures.carried and not any(r.in_table for r in prepared.figures.carried)
    headings = [plain_text(b.children) for b in prepared.document.blocks if isinstance(b, Heading)]
    assert "Figures" not in headings


def test_a_brief_without_article_sections_carries_the_figures_of_its_pool(make_project):
    spec = SPEC.replace("  - title: Summary\n    from: highlights\n", "  - title: Summary\n    text: Hello.\n")
    _, prepared = load(make_project, spec)
    assert [r[0] for r in rows_text(table_of(prepared.document))][:3] == ["793", "43.7%", "More than ¥110 million (~$15.2 million)"]
    assert {r.figure.article_id for r in prepared.figures.carried} == {"zone", "plan"}


def test_the_claim_index_finds_exactly_what_comparing_every_pair_finds():
    # plan_figures looks corroborating figures up in a ClaimIndex instead of comparing each row with the whole
    # pool; the index must agree with `same_claim` on every pair, edge cases of its tolerance included.
    import itertools

    from reegen.figures import ClaimIndex, Figure

    amounts = [None, 0.0, 1.0, 1.0 + 1e-9, 1.0 + 2e-9, 1.0 - 1e-9, 100.0, 100.0 + 1e-7, 100.0 + 1.1e-7,
               110e6, 110e6 + 0.11, 110e6 + 0.2, 5e-10, float("inf")]
    figures = [
        Figure(id=f"a{n % 5}/f{n}", article_id=f"a{n % 5}", section="s", line=None, value=value,
               amount=amount, unit=unit, kind=kind, measure="m", sentence="s")
        for n, (amount, value, unit, kind) in enumerate(itertools.product(
            amounts, ["10%", "Double-digit", "double-DIGIT"], ["%", "CNY"], ["result", "target"]))
    ]
    index = ClaimIndex(figures)
    for fig in figures:
        assert index.matches(fig) == [f for f in figures if fig.same_claim(f)], fig
    assert ClaimIndex([]).matches(figures[0]) == []


def _row(kind: str, value: str, grade: str | None = None):
    from reegen.claims import Figure
    from reegen.transforms.figures import FigureRow

    figure = Figure(id=f"memo/f-{kind}", article_id="memo", section="lead", line=3, value=value, amount=None,
                    unit="", kind=kind, measure="plants opened", sentence=f"The region opened {value} plants.",
                    quote=f"opened {value} plants")
    return FigureRow(figure=figure, ids=(figure.id,), grade=grade)


def test_the_note_under_key_figures_speaks_only_of_what_the_table_shows():
    from reegen.model import Paragraph
    from reegen.transforms.figures import key_figures_blocks

    def notes(*rows):
        return [plain_text(b.children) for b in key_figures_blocks(rows) if isinstance(b, Paragraph)]

    # Results only: no word about targets (the caveats name the brief's targets once).
    assert notes(_row("result", "12")) == []
    assert notes(_row("result", "12"), _row("target", "20")) == ["A target or plan states an intention, not a result."]
    assert notes(_row("result", "12", grade="C3")) == [
        "Grades follow the Admiralty code: source reliability A (reliable) to F, information credibility 1 (confirmed) to 6."]


@pytest.mark.parametrize("words, shown", [
    ("which cut the wait by 30%", "“which cut the wait by 30%”"),
    ("the first “green loan” (¥8 million)", "“the first ‘green loan’ (¥8 million)”"),
    ("… help desk” model raised speed by 60%", "“… ‘help desk’ model raised speed by 60%”"),
    ("a “fast lane” for 40 firms and a “one", "“a ‘fast lane’ for 40 firms and a ‘one’”"),
])
def test_a_quote_in_key_figures_has_single_balanced_quotes_inside(words, shown):
    from reegen.transforms.figures import quoted

    assert quoted(words) == shown


def test_a_number_in_the_key_judgements_is_carried_or_warned_about_like_one_in_spec_text(make_project):
    spec = SPEC.replace("sections:", "judgements:\n  - Approvals are reported to take 30% less time [@zone].\n"
                                      "  - About 55 firms moved in [@zone].\nsections:")
    _, prepared = load(make_project, spec)
    rows = rows_text(table_of(prepared.document))
    # 30% sits in a section the brief does not quote: stated in a judgement, it is in Key figures.
    assert "30%" in [r[0] for r in rows]
    warned = [d for d in prepared.report.warnings if d.code == "figures.text-unmatched"]
    assert len(warned) == 1 and "55" in warned[0].message and "Key judgements" in warned[0].message
