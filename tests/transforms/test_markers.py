"""One marker per claim: where source numbers go, how often, and that they never wrap alone."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest

from reegen import api
from reegen.model import BulletList, Paragraph, Ref, plain_text, walk
from tests.conftest import article_text, require_tool

NBSP = "\u00a0"


def build(make_project, articles: dict[str, str], spec: str):
    return api.load_document(make_project({k: article_text(k, body=v) for k, v in articles.items()}, spec))


def texts(blocks) -> list[str]:
    return [plain_text(b.children) for b in walk(blocks) if isinstance(b, Paragraph)]


def section(doc, title="S") -> list[str]:
    from tests.test_compose import section_blocks

    return texts(section_blocks(doc, title))


def test_a_run_of_bullets_from_one_source_carries_one_marker_and_sub_bullets_none(make_project):
    zone = "Lead.\n\n## Points\n\n- First point.\n- Second point:\n  - sub one\n  - sub two\n- Third point.\n"
    other = "Lead.\n\n## Points\n\n- A point of theirs.\n"
    spec = "title: T\narticles: [zone, other]\nsections:\n  - {title: S, from: [zone#points, other#points, zone#points]}\n"
    doc = build(make_project, {"zone": zone, "other": other}, spec)
    lists = [b for b in doc.blocks if isinstance(b, BulletList)]
    assert texts(lists) == ["First point.", "Second point:", "sub one", "sub two", f"Third point{NBSP}[1].",
                            f"A point of theirs{NBSP}[2].",
                            "First point.", "Second point:", "sub one", "sub two", f"Third point{NBSP}[1]."]


def test_a_run_ending_in_sub_bullets_puts_its_marker_on_the_last_one(make_project):
    zone = "Lead.\n\n## Points\n\n- Alone.\n- The zone put in place:\n  - fast approvals\n  - new loans\n"
    doc = build(make_project, {"zone": zone}, "title: T\narticles: [zone]\nsections:\n  - {title: S, from: [zone#points]}\n")
    assert section(doc) == ["Alone.", "The zone put in place:", "fast approvals", f"new loans{NBSP}[1]"]


def test_a_lead_in_and_its_list_from_one_source_share_the_lists_marker(make_project):
    zone = "Lead.\n\n## Points\n\nThe report says three things matter:\n\n- Speed.\n- Money.\n"
    other = "Lead.\n\n## Points\n\nOfficials listed the gains:\n\n- Land.\n"
    spec = "title: T\narticles: [zone, other]\nsections:\n  - {title: S, from: [zone#points, other#points]}\n"
    doc = build(make_project, {"zone": zone, "other": other}, spec)
    assert section(doc) == ["The report says three things matter:", "Speed.", f"Money{NBSP}[1].",
                            "Officials listed the gains:", f"Land{NBSP}[2]."]


def test_material_under_a_heading_naming_its_article_carries_no_marker(make_project):
    zone = "Zone lead sentence.\n\nAn untraced claim [7].\n\n## Highlights\n\n- A highlight.\n"
    spec = "title: T\ntemplate: dossier\narticles: [zone]\nsections:\n  - {title: S, from: [zone#lead, zone#highlights], subheadings: true}\n"
    doc = build(make_project, {"zone": zone}, spec)
    paragraphs = texts(doc.blocks)
    assert f"Source{NBSP}[1]" in paragraphs  # said once, under the article's title
    assert "Zone lead sentence." in paragraphs and "A highlight." in paragraphs
    assert "An untraced claim†." in paragraphs  # the dagger still says which claim rests on unlisted references


@pytest.mark.parametrize("written, shown", [
    ("Prices rose [@zone].", f"Prices rose{NBSP}[1]."),
    ("Prices rose. [@zone]", f"Prices rose{NBSP}[1]."),   # after the full stop: moved before it, like article text
    ("Made in the U.S. [@zone]", f"Made in the U.S.{NBSP}[1]"),  # an abbreviation keeps its full stop
    ("Who pays [@zone]?", f"Who pays{NBSP}[1]?"),
])
def test_spec_text_citations_sit_where_article_markers_sit(make_project, written, shown):
    spec = f"title: T\narticles: [zone]\nsections:\n  - title: S\n    text: '{written}'\n"
    doc = build(make_project, {"zone": "Lead.\n"}, spec)
    assert section(doc) == [shown]


@pytest.mark.parametrize("body, shown", [
    ("Output rose by a third.", f"Output rose by a third{NBSP}[1]."),
    ("He said “we are ahead.”", f"He said “we are ahead.”{NBSP}[1]"),
    ("Plants opened in the U.S.", f"Plants opened in the U.S.{NBSP}[1]"),
    ("**Fast permits.**", f"Fast permits.{NBSP}[1]"),
])
def test_article_text_takes_its_marker_before_the_final_full_stop(make_project, body, shown):
    doc = build(make_project, {"zone": body + "\n"}, "title: T\narticles: [zone]\nsections:\n  - {title: S, from: [zone#lead]}\n")
    assert section(doc) == [shown]


def test_a_cut_mark_stays_last_and_the_marker_stays_with_the_claim(make_project):
    body = "## Dev\n\nThe first claim is here. The second claim is much longer than the first one.\n"
    doc = build(make_project, {"zone": body}, "title: T\narticles: [zone]\nsections:\n  - {title: S, from: [zone#dev], max_words: 6}\n")
    assert section(doc) == [f"The first claim is here{NBSP}[1]. […]"]


def test_an_articles_own_reference_closing_a_claim_shares_its_bracket(make_project):
    refs = "references:\n  1: {title: Price notice, publisher: Producers}\n"
    articles = {"zone": article_text("zone", body="Prices rose 44% [1].\n", extra=refs)}
    doc = api.load_document(make_project(articles, "title: T\narticles: [zone]\nsections:\n  - {title: S, from: [zone#lead]}\n"))
    assert section(doc) == [f"Prices rose 44%{NBSP}[1, 2]."]
    assert [n.numbers for b in walk(doc.blocks) if isinstance(b, Paragraph) for n in b.children if isinstance(n, Ref)][0] == (1, 2)


def test_unlisted_references_become_one_dagger_explained_once(make_project):
    body = "Schools feed labs [1, 2]. Labs feed plants [2].\n\nAnother claim [3].\n"
    doc = build(make_project, {"zone": body}, "title: T\narticles: [zone]\nsections:\n  - {title: S, from: [zone#lead]}\n")
    paragraphs = texts(doc.blocks)
    assert section(doc) == [f"Schools feed labs. Labs feed plants{NBSP}[1]†.", f"Another claim{NBSP}[1]†."]
    assert not any("ref." in p for p in paragraphs)
    assert sum(p.startswith("† marks a claim") for p in paragraphs) == 1
    caveat = next(c for c in doc.caveats if c.kind == "unresolved-citation")
    assert "marked † cannot be traced" in caveat.text


LONG = " ".join(f"Claim number {i} rests on a report that grew longer with every sentence it carried" for i in range(3))


@pytest.mark.render
def test_a_source_number_never_starts_a_line_in_the_pdf_or_the_docx(make_project, tmp_path):
    from tests.writers.conftest import libreoffice_env

    pdftotext = require_tool("pdftotext")
    soffice = require_tool("soffice")
    # Paragraphs of every length from 40 to 80 words: some marker falls at each line's end.
    body = "\n\n".join(" ".join(LONG.split()[:n]) + "." for n in range(40, 80))
    spec_path = make_project({"zone": article_text("zone", body=body + "\n")},
                             "title: T\narticles: [zone]\nsections:\n  - {title: S, from: [zone#lead]}\n")
    result = api.build(spec_path, formats=("pdf", "docx"))
    docx_xml = zipfile.ZipFile(result.outputs["docx"]).read("word/document.xml").decode("utf-8")
    assert docx_xml.count(f"<w:t xml:space=\"preserve\">{NBSP}</w:t>") + docx_xml.count(f"{NBSP}</w:t>") >= 40
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(result.outputs["docx"])], capture_output=True, check=True,
                   timeout=240, env=libreoffice_env(tmp_path))
    for pdf in (result.outputs["pdf"], tmp_path / result.outputs["docx"].with_suffix(".pdf").name):
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        # the body, before the caveats, whose table of sources has a number column of its own
        lines = text.split("Verification caveats")[0].splitlines()
        assert sum("[1]" in line for line in lines) >= 40
        assert not [line for line in lines if re.match(r"\s*\[\d+\]", line)], pdf.name
