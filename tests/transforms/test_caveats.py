"""Caveats: source kinds, translation, disclaimers, staleness, unresolved markers, extras."""
import pytest

from reegen import api
from reegen.model import Heading, plain_text
from tests.conftest import article_text

RELAY = article_text(
    "relay", published="2024-01-01",
    extra="origin:\n  - {name: Baogang Daily, kind: state-affiliated, translated: true}\n"
          "disclaimers:\n  - Targets come from state sources.\n",
)
STATE = article_text("state", publisher="Xinhua", published="2025-06-01")
CITES = article_text("cites", published="2025-06-01", body="Claim [4].\n")

SPEC = """\
title: T
date: 2025-07-01
articles: [relay, state, cites]
sections:
  - title: Leads
    from: lead
caveats:
  stale_after_days: 180
  extra: [Prices were not checked against an index.]
"""


def caveats(make_project, spec=SPEC):
    doc = api.load_document(make_project({"relay": RELAY, "state": STATE, "cites": CITES}, spec))
    return doc, {c.kind: c for c in doc.caveats}


def test_each_reason_for_caution_names_its_sources(make_project):
    doc, by_kind = caveats(make_project)
    assert by_kind["state-affiliated"].numbers == (1,) and "Baogang Daily" in by_kind["state-affiliated"].text
    assert by_kind["state-owned"].numbers == (2,) and "Xinhua" in by_kind["state-owned"].text
    assert by_kind["translated"].numbers == (1,)
    assert by_kind["disclaimer"].text == "Rare Earth Exchanges warns in source [1]: “Targets come from state sources.”"
    assert by_kind["stale"].numbers == (1,) and "547 days" in by_kind["stale"].text
    assert by_kind["unresolved-citation"].numbers == (3,)
    assert by_kind["analyst"].text == "Prices were not checked against an index."


def test_the_caveats_section_sits_before_the_sources_list(make_project):
    doc, _ = caveats(make_project)
    titles = [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert titles[-2:] == ["Verification caveats", "Sources"]


def test_auto_false_keeps_only_the_analysts_caveats(make_project):
    _, by_kind = caveats(make_project, SPEC.replace("caveats:\n", "caveats:\n  auto: false\n"))
    assert list(by_kind) == ["analyst"]


def test_a_project_sources_registry_overrides_the_bundled_one(make_project):
    path = make_project({"relay": RELAY, "state": STATE, "cites": CITES}, SPEC)
    (path.parents[1] / "sources.yaml").write_text("Xinhua: {kind: wire}\n", encoding="utf-8")
    kinds = {c.kind for c in api.load_document(path).caveats}
    assert "state-owned" not in kinds


# --------------------------------------------------------------------------- issue 4: figures and the source mix

from reegen.model import BulletList, Paragraph, Ref, Strong  # noqa: E402

ZONE = article_text(
    "zone", published="2025-05-01",
    body="In Q1 2025, 793 new businesses registered.\n\nThe zone aims for 150+ projects by 2026.\n",
    extra="origin:\n  - {name: Baogang Daily, kind: state-affiliated, translated: true}\n",
)
WIRE = article_text("wire", publisher="Reuters", published="2025-05-02",
                    body="Officials said 793 new businesses registered in the zone.\n")
FIGURES_SPEC = """\
title: T
date: 2025-07-01
articles: [zone, wire]
sections:
  - title: Leads
    from: lead
  - title: Key figures
    figures: auto
"""


#: the long form: the source mix, then a bullet per caveat (the compact form is tests/transforms/test_caveat_table.py)
LIST_SPEC = FIGURES_SPEC + "caveats:\n  form: list\n"


def caveats_section(doc):
    at = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.anchor == "verification-caveats")
    return doc.blocks[at + 1], doc.blocks[at + 2]


def test_the_sample_brief_names_baogang_daily_and_quotes_the_blueprint_disclaimer(sample_project):
    doc = api.load_document(sample_project / "briefs" / "baotou-executive.yaml")
    numbers = {e.article_id: e.number for e in doc.sources if e.label is None}
    affiliated = [c for c in doc.caveats if c.kind == "state-affiliated" and "Baogang Daily" in c.text]
    assert len(affiliated) == 1
    relaying = (numbers["baogang-education-bases"], numbers["baotou-symposium"])
    assert set(affiliated[0].numbers) == set(relaying)
    assert all(f"{n}" in affiliated[0].text for n in relaying)
    blueprint = [c for c in doc.caveats if c.kind == "disclaimer" and c.article_ids == ("baotou-innovation-plan",)]
    assert len(blueprint) == 1
    assert "Targets, funding levels, and projected outcomes should be independently verified" in blueprint[0].text
    assert blueprint[0].numbers == (numbers["baotou-innovation-plan"],)
    kinds = [c.kind for c in doc.caveats]
    assert {"single-source", "targets", "translated"} <= set(kinds)


def test_the_source_mix_opens_the_caveats(make_project):
    doc = api.load_document(make_project({"zone": ZONE, "wire": WIRE}, LIST_SPEC))
    summary, _ = caveats_section(doc)
    text = plain_text(summary.children)
    assert text.startswith("This brief draws on 2 articles, 1 from Rare Earth Exchanges (industry press), 1 from Reuters (wire).")
    assert "1 of them [1] relays or is published by state-owned, state-affiliated or government outlets" in text
    assert "1 is translated" in text
    assert text.endswith("None of its 3 figures has been independently verified; 1 is a target, plan or forecast, "
                         "not a result.")
    assert any(isinstance(i, Ref) for i in summary.children)


def test_each_caveat_is_labelled_with_what_it_is_about_and_links_its_sources(make_project):
    doc = api.load_document(make_project({"zone": ZONE, "wire": WIRE}, LIST_SPEC))
    _, bullets = caveats_section(doc)
    assert isinstance(bullets, BulletList)
    first = bullets.items[0].blocks[0]
    assert isinstance(first, Paragraph) and isinstance(first.children[0], Strong)
    assert plain_text(first.children).startswith("State-affiliated source. Source [1] relays Baogang Daily")
    assert Ref((1,)) in first.children and first.numbers == ()  # linked in the text, not repeated at the end


def test_a_figure_another_outlet_also_reports_is_not_single_source(make_project):
    doc = api.load_document(make_project({"zone": ZONE, "wire": WIRE}, FIGURES_SPEC))
    by_kind = {c.kind: c for c in doc.caveats}
    # 793 businesses is reported by both outlets, 150+ projects by one.
    assert by_kind["single-source"].text.startswith("1 of the 3 figures in this brief is reported by a single outlet")
    assert by_kind["single-source"].numbers == (1,)


def test_targets_and_plans_are_listed_as_intentions(make_project):
    doc = api.load_document(make_project({"zone": ZONE, "wire": WIRE}, FIGURES_SPEC))
    by_kind = {c.kind: c for c in doc.caveats}
    assert by_kind["targets"].text.startswith("Source [1] states a target or plan: Zone aims for 150+ projects by 2026. "
                                              "It is an intention, not a result.")


def test_a_disputed_figure_is_a_caveat_with_its_note_and_grade(make_project):
    spec = FIGURES_SPEC + "verification:\n  zone/f2: {status: disputed, grade: C4, note: no project list was published}\n"
    doc = api.load_document(make_project({"zone": ZONE, "wire": WIRE}, spec))
    disputed = [c for c in doc.caveats if c.kind == "disputed"]
    assert len(disputed) == 1 and disputed[0].numbers == (1,)
    assert disputed[0].text == ("The figure “Zone aims for 150+ projects by 2026” from source [1] is disputed in the "
                                "desk’s verification ledger (graded C4): no project list was published.")


def test_a_registry_grade_is_shown_and_a_bad_one_is_a_warning(make_project):
    path = make_project({"relay": RELAY, "state": STATE, "cites": CITES}, SPEC)
    (path.parents[1] / "sources.yaml").write_text(
        "Baogang Daily: {kind: state-affiliated, reliability: C}\nRare Earth Exchanges: {kind: industry-press, reliability: B2}\n",
        encoding="utf-8")
    prepared = api._prepare(path, strict=False)
    affiliated = next(c for c in prepared.document.caveats if c.kind == "state-affiliated")
    assert "Admiralty source reliability: C." in affiliated.text
    assert [d.code for d in prepared.report.warnings if d.code.startswith("sources.")] == ["sources.reliability"]



@pytest.mark.parametrize("disclaimer", ['"', "“Already quoted.”", '"Straight quotes."', 'a "b'])
def test_a_sources_own_warning_is_shown_with_every_character_it_has(disclaimer):
    """The table of sources quotes a warning once: its own quotes kept, never a character dropped."""
    from reegen.corpus import Article
    from reegen.corpus.sources import SourceRegistry
    from reegen.transforms.caveats import _source_row

    article = Article(id="a", title="T", path="a.md", publisher="P", disclaimers=(disclaimer,))
    warning = _source_row(1, article, SourceRegistry())[4]
    assert disclaimer in warning
    assert warning.count("“") + warning.count('"') >= 1 and not warning.startswith("““")


def test_two_single_source_figures_are_both(make_project):
    doc = api.load_document(make_project({"zone": ZONE}, FIGURES_SPEC.replace("[zone, wire]", "[zone]")))
    single = next(c for c in doc.caveats if c.kind == "single-source")
    assert single.text.startswith("Both figures in this brief are reported by a single outlet")
