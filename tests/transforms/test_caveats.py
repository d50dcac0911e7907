"""Caveats: source kinds, translation, disclaimers, staleness, unresolved markers, extras."""

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
