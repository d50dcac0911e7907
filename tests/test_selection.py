"""Selection inside a section: sentence-safe cuts, excerpts that stand alone, one highlight per source."""

import pytest

from reegen import api
from reegen.model import BulletList, Heading, Paragraph, Ref, plain_text
from reegen.text import is_lead_in, is_name_list, leans_back, sentences
from tests.conftest import article_text
from tests.test_compose import prose, section_blocks


@pytest.mark.parametrize("text, first", [
    ("Officials in the U.S. are worried about supply. Prices rose.", "Officials in the U.S. are worried about supply."),
    ("Talks with the U.K. stalled again. The next round is in May.", "Talks with the U.K. stalled again."),
    ("Line No. 3 opened on Monday. It runs all night.", "Line No. 3 opened on Monday."),
    ("Dr. Wang spoke first at the meeting. Others followed.", "Dr. Wang spoke first at the meeting."),
    ("Some metals, e.g. scandium, are scarce. Others are not.", "Some metals, e.g. scandium, are scarce."),
    ("Heavy ones, i.e. terbium, cost more. Light ones cost less.", "Heavy ones, i.e. terbium, cost more."),
    ("Acme Magnets Inc. said output grew. It gave no figure.", "Acme Magnets Inc. said output grew."),
    ("The study by J. R. Smith came out late. Few read it.", "The study by J. R. Smith came out late."),
    ("Output grew 3.5 % in the quarter. Exports fell.", "Output grew 3.5 % in the quarter."),
    ("He said “we are ahead.” Nobody answered him.", "He said “we are ahead.”"),
    ("Costs fell (see p. 4). Revenue rose.", "Costs fell (see p. 4)."),
    ("Two rounds were held [1]. A third follows [2, 3].", "Two rounds were held [1]."),
])
def test_sentences_end_only_at_real_boundaries(text, first):
    assert sentences(text)[0] == first


def test_fragments_and_leaning_openings_are_recognised():
    assert is_lead_in("The plant offers:") and not is_lead_in("The plant offers loans.")
    assert is_name_list("They included Party Secretary Li Wei and the ministers Zhao Lan and Sun Bo.")
    assert not is_name_list("The ministry in Beijing approved the plan for the new plant.")
    assert all(leans_back(s) for s in ("It grew.", "They met.", "This matters.", "However, costs rose.", "By contrast, x."))
    assert not any(leans_back(s) for s in ("Theirs was late.".replace("Theirs", "Output"), "The plant grew.", "Baotou grew."))


def _project(make_project, body, spec, **articles):
    texts = {"memo": article_text("memo", title="Magnet memo", body=body)}
    texts.update({k: article_text(k, body=v) for k, v in articles.items()})
    return api.load_document(make_project(texts, spec))


CUTS = """\
Lead sentence.

## Developments

Exports to the U.S. and the U.K. grew by 3.5 % over the year, said Dr. Wang of Acme Magnets Inc. on Monday. Line No. 3 of the plant, e.g. the sintering hall, runs all night. The rest is detail that will not fit.
"""


@pytest.mark.parametrize("budget, kept", [
    (25, "Exports to the U.S. and the U.K. grew by 3.5 % over the year, said Dr. Wang of Acme Magnets Inc. on Monday. […]"),
    (40, "Exports to the U.S. and the U.K. grew by 3.5 % over the year, said Dr. Wang of Acme Magnets Inc. on Monday. "
         "Line No. 3 of the plant, e.g. the sintering hall, runs all night. […]"),
])
def test_max_words_never_cuts_inside_an_abbreviation_or_a_decimal(make_project, budget, kept):
    doc = _project(make_project, CUTS, f"title: T\narticles: [memo]\nsections:\n  - {{title: D, from: [memo#developments], max_words: {budget}}}\n")
    assert prose(section_blocks(doc, "D")[0]) == kept


def test_an_excerpt_never_ends_on_a_lead_in_or_a_list_of_names(make_project):
    body = ("Lead sentence.\n\n## Talks\n\nThe ministry set a deadline for the new plant in the north. "
            "It named the members: Li Wei, Zhao Lan, Sun Bo and Qian Yu. More words follow here to fill the budget.\n")
    panel = ("Lead.\n\n## Panel\n\nThe ministry held its second round of talks on Friday in the capital. "
             "Speakers included Deputy Minister Li Wei, Governor Zhao Lan and Professor Sun Bo. And then more words follow.\n")
    spec = ("title: T\narticles: [memo, panel]\nsections:\n"
            "  - {title: A, from: [memo#talks], max_words: 25}\n  - {title: B, from: [panel#panel], max_words: 26}\n")
    doc = _project(make_project, body, spec, panel=panel)
    assert prose(section_blocks(doc, "A")[0]) == "The ministry set a deadline for the new plant in the north. […]"
    assert prose(section_blocks(doc, "B")[0]) == "The ministry held its second round of talks on Friday in the capital. […]"


def test_a_summary_takes_one_flat_highlight_per_source_and_skips_lead_ins(make_project):
    zone = ("Lead.\n\n## Highlights\n\n- The zone put in place:\n  - fast approvals\n  - new loans\n"
            "- Red tape now clears in hours.\n- A third point.\n")
    plan = "Lead.\n\n## Highlights\n\n- Its targets for 2027 are high.\n- The city issued a plan with targets.\n- More.\n"
    # memo has no highlights: the note must not say every source gave one
    spec = "title: T\narticles: [zone, plan, memo]\nsections:\n  - {title: Summary, from: highlights, max_items: 7}\n"
    doc = _project(make_project, "Lead.\n", spec, zone=zone, plan=plan)
    (bullets,) = section_blocks(doc, "Summary")[:1]
    assert isinstance(bullets, BulletList)
    assert [prose(i.blocks[0]) for i in bullets.items] == ["Red tape now clears in hours.", "The city issued a plan with targets."]
    assert all(len(i.blocks) == 1 for i in bullets.items)  # flat: no sub-bullets
    notes = [prose(b) for b in section_blocks(doc, "Editor’s notes")]
    assert notes == ["Summary quotes at most one item from each source (2 of 6 items)."]


def test_per_source_and_max_items_can_be_set_explicitly(make_project):
    hl = "Lead.\n\n## Highlights\n\n- One.\n- Two.\n- Three.\n"
    spec = "title: T\narticles: [a, b]\nsections:\n  - {title: S, from: highlights, per_source: 2}\n"
    doc = _project(make_project, "Lead.\n", spec, a=hl, b=hl)
    assert [prose(i.blocks[0]) for i in section_blocks(doc, "S")[0].items] == ["One.", "Two.", "One.", "Two."]


def test_an_excerpt_leaning_on_an_unquoted_sentence_gets_its_introduction(make_project):
    body = ("The city council met twelve ministers in Harbin on Monday. The talks were long.\n\n"
            "## Decisions\n\nSenior ministers agreed a quota for the coming year. Prices will be set each quarter.\n")
    doc = _project(make_project, body, "title: T\narticles: [memo]\nsections:\n  - {title: D, from: [memo#decisions]}\n")
    texts = [prose(b) for b in section_blocks(doc, "D")]
    assert texts == ["The city council met twelve ministers in Harbin on Monday. […]",
                     "Senior ministers agreed a quota for the coming year. Prices will be set each quarter."]
    assert any("introducing it is quoted first" in prose(b) for b in section_blocks(doc, "Editor’s notes"))


def test_an_excerpt_whose_referent_cannot_be_introduced_is_left_out(make_project):
    body = ("The plan sets targets for output and jobs.\n\n## Detail\n\nThe region does more than fund labs. "
            "The plan binds finance to factories.\n\n**Metals.** Output of alloys will double by 2030.\n")
    doc = _project(make_project, body, "title: T\narticles: [memo]\nsections:\n  - {title: D, from: [memo#detail]}\n")
    assert [prose(b) for b in section_blocks(doc, "D")] == ["Metals. Output of alloys will double by 2030."]
    assert [prose(b) for b in section_blocks(doc, "Editor’s notes")] == [
        "1 passage of D that refers back to text not quoted is left out."]


def test_an_excerpt_that_stands_alone_is_quoted_as_it_is(make_project):
    body = "Officials met on Monday.\n\n## Decisions\n\nThe Harbin council agreed a quota. It takes effect in May.\n"
    doc = _project(make_project, body, "title: T\narticles: [memo]\nsections:\n  - {title: D, from: [memo#decisions]}\n")
    assert [prose(b) for b in section_blocks(doc, "D")] == ["The Harbin council agreed a quota. It takes effect in May."]
    assert not any(isinstance(b, Heading) and plain_text(b.children) == "Editor’s notes" for b in doc.blocks)


def test_what_was_cut_is_said_once_after_the_sections_and_never_in_the_body(make_project):
    body = "Lead.\n\n## Dev\n\nOne claim here. Another claim follows it. A third one closes.\n"
    spec = ("title: T\narticles: [memo]\nsections:\n  - {title: A, from: [memo#dev], max_words: 4}\n"
            "  - {title: B, from: [memo#dev], max_words: 7}\n  - {title: C, text: Our view.}\n")
    doc = _project(make_project, body, spec)
    headings = [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["A", "B", "C", "Editor’s notes", "Verification caveats", "Sources"]
    notes = [b for b in section_blocks(doc, "Editor’s notes")]
    assert [prose(b) for b in notes] == ["A and B are shortened excerpts; cuts are marked […]."]
    assert all(b.role == "note" for b in notes)
    body_text = " ".join(plain_text(b.children) for b in doc.blocks if isinstance(b, Paragraph) and b not in notes)
    assert "shortened" not in body_text.lower() and "[…] [" not in body_text


def test_a_lead_in_whose_list_was_cut_is_dropped_with_it(make_project):
    body = ("Lead.\n\n## Offer\n\nThe plant opened in May after two years of work.\n\n"
            "The plant offers three services:\n\n- fast approvals for every new tenant\n- cheap loans\n- land\n")
    doc = _project(make_project, body, "title: T\narticles: [memo]\nsections:\n  - {title: O, from: [memo#offer], max_words: 16}\n")
    assert [prose(b) for b in section_blocks(doc, "O")] == ["The plant opened in May after two years of work."]
