"""Compose: sections filled from material, text and templates; limits that cut honestly."""

import pytest

from reegen import api
from reegen.errors import BuildFailed
from reegen.model import Heading, Paragraph, Ref, TableOfContents, plain_text
from tests.conftest import article_text

HIGHLIGHTS = "Lead.\n\n## Highlights\n" + "".join(f"- {{name}} point {i}.\n" for i in range(1, 6))


def articles():
    return {
        name: article_text(name, published=f"2025-0{i}-01", body=HIGHLIGHTS.replace("{name}", name)
                           + "\n## Developments\nFirst sentence here. Second sentence is longer than the first. Third one.\n\n"
                           "Another paragraph entirely.\n")
        for i, name in enumerate(("alpha", "beta", "gamma"), 1)
    }


def document(make_project, spec, **kw):
    path = make_project(articles(), spec, **kw)
    return api.load_document(path)


def template_error(path):
    """Return the one error a brief's template problem fails its build with (every problem is collected first)."""
    with pytest.raises(BuildFailed) as info:
        api.load_document(path)
    errors = info.value.report.errors
    assert len(errors) == 1, errors
    return errors[0]


def prose(block):
    """Return a paragraph's text as quoted, without source numbers."""
    return " ".join(plain_text([n for n in block.children if not isinstance(n, Ref)]).replace("\u00a0", " ").split()).replace(" .", ".")


def section_blocks(doc, title):
    blocks = list(doc.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and plain_text(b.children) == title)
    end = next((i for i in range(start + 1, len(blocks)) if isinstance(blocks[i], Heading) and blocks[i].level == 1), len(blocks))
    return blocks[start + 1:end]


def test_max_items_takes_turns_between_articles_and_marks_the_cut(make_project):
    doc = document(make_project, """\
        title: T
        articles: [alpha, beta, gamma]
        sections:
          - title: Summary
            from: highlights
            max_items: 4
            per_source: 0
        """)
    blocks = section_blocks(doc, "Summary")
    items = blocks[0].items
    assert [prose(i.blocks[0]) for i in items] == ["alpha point 1.", "alpha point 2.", "beta point 1.", "gamma point 1."]
    notes = section_blocks(doc, "Editor’s notes")
    assert [plain_text(n.children) for n in notes] == ["Summary quotes 4 of 15 items, taking turns between the sources."]


def test_max_words_cuts_at_a_sentence_boundary_and_keeps_the_source(make_project):
    doc = document(make_project, """\
        title: T
        articles: [alpha]
        sections:
          - title: Developments
            from: [alpha#developments]
            max_words: 6
        """)
    blocks = section_blocks(doc, "Developments")
    assert prose(blocks[0]) == "First sentence here. […]"
    assert len(blocks) == 1
    notes = section_blocks(doc, "Editor’s notes")
    assert [plain_text(n.children) for n in notes] == ["Developments is a shortened excerpt; cuts are marked […]."]


def test_text_sections_render_jinja_and_cite_articles(make_project):
    doc = document(make_project, """\
        title: T
        articles: [alpha, beta]
        sections:
          - title: Ours
            text: |
              {{ pool | length }} sources agree [@beta].
        """)
    para = section_blocks(doc, "Ours")[0]
    assert plain_text(para.children) == "2 sources agree\u00a0[1]."


def test_interpolated_values_cannot_change_the_structure(make_project):
    doc = document(make_project, """\
        title: "# Not a heading"
        articles: [alpha]
        sections:
          - title: "- not a bullet"
            text: |
              {{ brief.title }} and [link](javascript:alert(1)) text
        """)
    body = section_blocks(doc, "- not a bullet")
    assert len(body) == 1 and isinstance(body[0], Paragraph)
    from reegen.model import Link

    assert plain_text(body[0].children) == "# Not a heading and [link](javascript:alert(1)) text"
    assert not any(isinstance(n, Link) for n in body[0].children)


def test_undefined_names_fail_with_the_spec_line(make_project):
    path = make_project(articles(), """\
        title: T
        articles: [alpha]
        sections:
          - title: Ours
            text: |
              fine line
              {{ titel }}
        """)
    error = template_error(path)
    assert error.code == "template.undefined"
    assert error.location.path == "briefs/brief.yaml" and error.location.line == 7


def test_project_templates_override_the_bundled_ones_file_by_file(make_project):
    doc = document(make_project, """\
        title: T
        articles: [alpha]
        sections:
          - title: Outlook
            template: outlook.md.j2
        """, templates={"executive/outlook.md.j2": "Outlook for {{ pool | length }} article [@alpha]."})
    assert plain_text(section_blocks(doc, "Outlook")[0].children) == "Outlook for 1 article\u00a0[1]."


def test_a_template_that_drops_a_section_is_an_error(make_project):
    path = make_project(articles(), """\
        title: T
        articles: [alpha]
        sections: [{title: S, from: highlights}]
        """, templates={"executive/brief.md.j2": "Nothing here.\n"})
    assert "did not place section 'S'" in template_error(path).message


def test_a_template_symlink_out_of_its_folder_is_refused(make_project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password", encoding="utf-8")
    path = make_project(articles(), """\
        title: T
        articles: [alpha]
        sections: [{title: S, template: leak.md.j2}]
        """, templates={"executive/placeholder.txt": ""})
    (path.parents[1] / "templates" / "executive" / "leak.md.j2").symlink_to(secret)
    error = template_error(path)
    assert error.code == "template.outside"


def test_sandbox_blocks_attribute_escapes(make_project):
    path = make_project(articles(), """\
        title: T
        articles: [alpha]
        sections:
          - title: S
            text: "{{ ''.__class__.__mro__ }}"
        """)
    error = template_error(path)
    assert error.code in ("template.security", "template.undefined")


def test_string_bombs_are_refused(make_project):
    path = make_project(articles(), """\
        title: T
        articles: [alpha]
        sections:
          - title: S
            text: "{{ 'a' * 1000000000 }}"
        """)
    assert "too large" in template_error(path).message


def test_the_dossier_template_asks_for_a_table_of_contents(make_project):
    doc = document(make_project, """\
        title: T
        template: dossier
        articles: [alpha, beta]
        sections: [{title: S, from: highlights, subheadings: true}]
        """)
    assert any(isinstance(b, TableOfContents) for b in doc.blocks)
    titles = [plain_text(b.children) for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    assert titles == ["Alpha", "Beta"]


def test_unknown_template_suggests_a_known_one(make_project):
    path = make_project(articles(), "title: T\ntemplate: executiv\narticles: [alpha]\nsections: [{title: S, from: highlights}]\n")
    with pytest.raises(Exception) as info:
        api.load_document(path)
    assert "did you mean 'executive'?" in str(info.value)
    assert "briefs/brief.yaml:2" in str(info.value)


def test_the_executive_template_copes_with_articles_without_dates_or_publishers(make_project):
    undated = {"u": article_text("u", published="", publisher="", body="Lead.\n")}
    doc = api.load_document(make_project(undated, "title: T\narticles: [u]\nsections: [{title: S, from: lead}]\n"))
    assert plain_text(doc.blocks[0].children) == "Based on one article, with no stated publisher or date."


def test_a_runaway_template_loop_stops_with_a_located_error(make_project, monkeypatch):
    from reegen import templating

    monkeypatch.setattr(templating, "TEMPLATE_SECONDS", 0.5)
    path = make_project(articles(), """\
        title: T
        articles: [alpha]
        sections:
          - title: S
            text: "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
        """)
    error = template_error(path)
    assert error.code == "template.timeout"
    assert error.location.path == "briefs/brief.yaml"


def test_template_output_is_capped_before_it_exhausts_memory(make_project, monkeypatch):
    from reegen import templating

    monkeypatch.setattr(templating, "MAX_OUTPUT_CHARS", 100_000)
    path = make_project(articles(), """\
        title: T
        articles: [alpha]
        sections:
          - title: S
            text: "{% for i in range(100000) %}{{ 'abcdefghij' * 100 }}{% endfor %}"
        """)
    error = template_error(path)
    assert error.code == "template.too-large"
