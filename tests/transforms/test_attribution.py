"""Attribution: numbered sources, every article paragraph numbered, markers renumbered or reported."""

from reegen import api
from reegen.errors import BuildFailed
from reegen.model import Paragraph, Ref, SourcesList, Unresolved, plain_text, walk
from tests.conftest import article_text

import pytest

CITING = article_text(
    "citing", body="Prices rose 44% [1]. Schools feed labs [1, 2]. Unlisted claim [3].\n",
    extra="references:\n  1: {title: Price notice, publisher: Producers, url: https://example.org/p, date: 2025-04-01}\n"
          "  2: {title: School report}\n",
)
PLAIN = article_text("plain", body="Plain lead.\n\n## Highlights\n- a point\n")

SPEC = """\
title: T
articles: [plain, citing]
sections:
  - title: Summary
    from: highlights
  - title: Leads
    from: [citing#lead]
"""


def doc(make_project, spec=SPEC):
    return api.load_document(make_project({"citing": CITING, "plain": PLAIN}, spec))


def test_every_article_paragraph_carries_its_source_number_before_the_final_full_stop(make_project):
    d = doc(make_project)
    numbered = [b for b in walk(d.blocks) if isinstance(b, Paragraph) and b.source is not None]
    assert [plain_text(b.children) for b in numbered] == [
        "a point\u00a0[1]", "Prices rose 44%\u00a0[3]. Schools feed labs\u00a0[3, 4]. Unlisted claim\u00a0[2]†."]
    assert all(b.numbers == () for b in numbered)  # the marker is in the text, where every writer prints it


def test_article_references_are_renumbered_into_the_brief_list(make_project):
    d = doc(make_project)
    lead = next(b for b in walk(d.blocks) if isinstance(b, Paragraph) and b.source and b.source.article_id == "citing")
    refs = [n.numbers for n in lead.children if isinstance(n, Ref)]
    assert refs == [(3,), (3, 4), (2,)]
    entries = {e.number: e for e in d.sources}
    assert entries[3].article_id == "citing" and entries[3].label == "1"
    assert "Price notice" in plain_text(entries[3].children) and "Cited as [1] by source [2]" in plain_text(entries[3].children)


def test_unresolved_markers_stay_visible_and_are_reported(make_project):
    spec_path = make_project({"citing": CITING, "plain": PLAIN}, SPEC)
    report = api.validate([spec_path])
    warnings = [d for d in report.warnings if d.code == "citation.unresolved"]
    assert len(warnings) == 1 and "[3]" in warnings[0].message
    assert warnings[0].location.path == "articles/citing.md" and warnings[0].location.line == 11
    d = api.load_document(spec_path)
    unresolved = [n for b in walk(d.blocks) if isinstance(b, Paragraph) for n in b.children if isinstance(n, Unresolved)]
    assert [u.text for u in unresolved] == ["†"]  # "[2]†": the claim's own marker, flagged once
    notes = [plain_text(b.children) for b in d.blocks if isinstance(b, Paragraph) and b.role == "note"]
    assert sum(n.startswith("† marks a claim") for n in notes) == 1


def test_numbers_run_from_one_without_gaps_and_each_source_is_listed_once(make_project):
    d = doc(make_project)
    assert [e.number for e in d.sources] == list(range(1, len(d.sources) + 1))
    listed = next(b for b in d.blocks if isinstance(b, SourcesList))
    assert [e.number for e in listed.entries] == [e.number for e in d.sources]


def test_citing_an_unknown_article_is_an_error_at_the_spec_line(make_project):
    spec = SPEC + "  - title: Ours\n    text: |\n      See [@nope].\n"
    with pytest.raises(BuildFailed) as info:
        doc(make_project, spec)
    err = info.value.report.errors[0]
    assert err.code == "cite.unknown-article"
    assert (err.location.path, err.location.line) == ("briefs/brief.yaml", 10)


def test_a_source_title_prints_exactly_as_written_in_italics():
    from reegen.model import Emph
    from reegen.transforms.attribution import _citation

    parts = _citation("Rare Earth Exchanges", 'Turning sites into “education bases” and "x"', "3 July 2025")
    assert plain_text(parts) == 'Rare Earth Exchanges, Turning sites into “education bases” and "x", 3 July 2025.'
    assert isinstance(parts[2], Emph)
