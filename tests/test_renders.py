"""The render cache: a rebuild with unchanged templates and data reads its renders back, and only then."""

import sqlite3
import subprocess
import sys
import textwrap

import pytest

from reegen import api, templating
from reegen.errors import BuildFailed
from reegen.model import Heading, Paragraph, TableOfContents, plain_text
from tests.test_compose import articles

SPEC = """\
    title: T
    articles: [alpha, beta]
    sections:
      - title: Summary
        from: highlights
        max_items: 3
      - title: Outlook
        text: |
          All {{ pool | length }} sources agree [@alpha].

          - **Speed** matters [@beta].
    """


@pytest.fixture
def renders(monkeypatch):
    """Count the templates actually rendered (not read back from the cache)."""
    calls = []
    for name in ("render_template", "render_string"):
        original = getattr(templating, name)
        monkeypatch.setattr(templating, name, lambda *a, _o=original, _n=name, **k: calls.append(_n) or _o(*a, **k))
    return calls


def rows(spec_path):
    db = sqlite3.connect(spec_path.parents[1] / ".reegen-cache" / "corpus.sqlite")
    try:
        return db.execute("SELECT COUNT(*) FROM renders").fetchone()[0]
    finally:
        db.close()


def test_a_rebuild_reads_its_renders_back_and_makes_the_same_document(make_project, renders):
    path = make_project(articles(), SPEC)
    first = api.load_document(path)
    assert renders == ["render_string", "render_template"] and rows(path) == 2
    second = api.load_document(path)
    assert renders == ["render_string", "render_template"]  # nothing rendered again
    assert second == first
    outlook = plain_text(next(b for b in second.blocks if isinstance(b, Paragraph)
                              and "sources agree" in plain_text(b.children)).children)
    assert outlook == "All 2 sources agree\u00a0[1]."


def test_a_rebuild_from_the_caches_imports_neither_jinja_markdown_it_nor_pyyaml(make_project):
    path = make_project(articles(), SPEC)
    (path.parents[1] / "sources.yaml").write_text("Rare Earth Exchanges: {kind: industry-press}\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys
        from reegen import api
        api.load_document({str(path)!r})
        print(sorted(m for m in ("jinja2", "markdown_it", "yaml") if m in sys.modules))
    """)
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
            for _ in range(3)]  # the first makes the cache folder, the second fills it
    assert runs[0].strip() == "['jinja2', 'markdown_it', 'yaml']"
    assert runs[2].strip() == "[]"


def test_a_cache_table_made_by_another_reegen_is_replaced(make_project, renders):
    path = make_project(articles(), SPEC)
    api.load_document(path)
    db = sqlite3.connect(path.parents[1] / ".reegen-cache" / "corpus.sqlite")
    db.execute("UPDATE meta SET value = 'another reegen' WHERE key = 'stamp'")
    db.execute("DROP TABLE renders")
    db.execute("CREATE TABLE renders (key TEXT PRIMARY KEY, made REAL, meta TEXT, blocks TEXT)")
    db.commit()
    db.close()
    api.load_document(path)
    api.load_document(path)
    assert renders == ["render_string", "render_template"] * 2 and rows(path) == 2


def test_an_edited_template_is_rendered_again(make_project, renders):
    brief = "# {{ brief.title }}\n\n{% for s in sections %}\n## {{ s.title }}\n\n{{ s.body }}\n\n{% endfor %}\n"
    path = make_project(articles(), SPEC, templates={"executive/brief.md.j2": brief})
    api.load_document(path)
    template = path.parents[1] / "templates" / "executive" / "brief.md.j2"
    template.write_text(brief.replace("# {{ brief.title }}", "# Edited: {{ brief.title }}"), encoding="utf-8")
    doc = api.load_document(path)
    assert renders.count("render_template") == 2
    assert plain_text(doc.blocks[0].children) == "Edited: T"


def test_a_new_file_in_the_template_folder_is_rendered_again(make_project, renders):
    path = make_project(articles(), SPEC, templates={"executive/notes.txt": "x"})
    api.load_document(path)
    (path.parents[1] / "templates" / "executive" / "more.txt").write_text("y", encoding="utf-8")
    api.load_document(path)
    assert renders.count("render_template") == 2


def test_changed_data_is_rendered_again(make_project, renders):
    path = make_project(articles(), SPEC)
    api.load_document(path)
    path.write_text(path.read_text(encoding="utf-8").replace("title: T", "title: Changed"), encoding="utf-8")
    doc = api.load_document(path)
    assert renders == ["render_string", "render_template"] * 2
    assert doc.meta.title == "Changed"


def test_changed_rendering_code_never_reads_an_old_render(make_project, renders, monkeypatch):
    from reegen.cache import _stamp

    path = make_project(articles(), SPEC)
    api.load_document(path)
    monkeypatch.setattr(_stamp, "_stamp", "another reegen")
    api.load_document(path)
    assert renders == ["render_string", "render_template"] * 2


def test_templates_that_use_randomness_are_rendered_every_time(make_project, renders):
    spec = SPEC.replace("All {{ pool | length }}", "All {{ [pool | length] | random }}")
    path = make_project(articles(), spec)
    api.load_document(path)
    api.load_document(path)
    assert renders.count("render_string") == 2  # the spec text; the bundled layout is still cached
    assert renders.count("render_template") == 1


def test_a_template_folder_that_uses_randomness_is_rendered_every_time(make_project, renders):
    brief = "# {{ lipsum(1, False, 3, 4) }}\n\n{% for s in sections %}\n## {{ s.title }}\n\n{{ s.body }}\n\n{% endfor %}\n"
    path = make_project(articles(), SPEC, templates={"executive/brief.md.j2": brief})
    api.load_document(path)
    api.load_document(path)
    assert renders == ["render_string", "render_template"] * 2


def test_the_parse_problems_of_a_render_are_reported_again_from_the_cache(make_project, renders):
    spec = SPEC.replace("- **Speed** matters", "- [a link](ftp://example.com/f) matters")
    path = make_project(articles(), spec)
    _, first = api.load_figures(path)
    _, second = api.load_figures(path)
    assert renders == ["render_string", "render_template"]
    assert [str(d) for d in second] == [str(d) for d in first]
    assert any("'ftp://example.com/f'" in str(d) and "briefs/brief.yaml:11:" in str(d) for d in first)


def test_a_contents_list_asked_for_in_a_section_is_placed_there_from_the_cache_too(make_project, renders):
    spec = SPEC.replace("text: |\n", "text: |\n          {{ toc('In this brief') }}\n\n")
    path = make_project(articles(), spec)
    first = api.load_document(path)
    second = api.load_document(path)
    assert renders == ["render_string", "render_template"]
    assert second == first
    outlook = next(i for i, b in enumerate(first.blocks) if isinstance(b, Heading) and plain_text(b.children) == "Outlook")
    assert isinstance(first.blocks[outlook + 1], TableOfContents) and first.blocks[outlook + 1].title == "In this brief"
    assert not any("reegenslot" in plain_text(getattr(b, "children", ())) for b in first.blocks)


@pytest.mark.parametrize("forged", ["reegenslot0000000000000000n0", "reegenslot"])
def test_article_text_that_looks_like_a_placeholder_stays_text_and_is_not_cached(make_project, renders, forged):
    brief = "# {{ brief.title }}\n\n{{ pool[0].title }}\n\n{% for s in sections %}\n## {{ s.title }}\n\n{{ s.body }}\n\n{% endfor %}\n"
    texts = articles()
    texts["alpha"] = texts["alpha"].replace("title: Alpha", f"title: {forged}")
    path = make_project(texts, SPEC, templates={"executive/brief.md.j2": brief})
    for _ in range(2):
        doc = api.load_document(path)
        assert plain_text(doc.blocks[1].children) == forged
        assert sum(isinstance(b, Heading) and plain_text(b.children) == "Summary" for b in doc.blocks) == 1
    assert renders.count("render_template") == 2


def test_a_damaged_row_is_rendered_again_not_trusted(make_project, renders):
    path = make_project(articles(), SPEC)
    first = api.load_document(path)
    db = sqlite3.connect(path.parents[1] / ".reegen-cache" / "corpus.sqlite")
    db.execute("""UPDATE renders SET value = '{"blocks": [{"@": "os.system", "f": ["echo"]}]}'""")
    db.commit()
    db.close()
    assert api.load_document(path) == first
    assert renders == ["render_string", "render_template"] * 2


def test_the_cache_keeps_only_the_newest_renders(make_project, monkeypatch):
    from reegen import renders as cache

    monkeypatch.setattr(cache, "KEEP", 3)
    path = make_project(articles(), SPEC)
    for title in "ABCD":
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", f"title: {title}", 1), encoding="utf-8")
        api.load_document(path)
    assert rows(path) == 3


def test_a_failed_render_is_not_kept(make_project, renders):
    path = make_project(articles(), SPEC.replace("{{ pool | length }}", "{{ nothing.here }}"))
    with pytest.raises(BuildFailed):
        api.load_document(path)
    # The brief template still rendered (every problem is looked for) and is kept; the failed text is not.
    assert renders == ["render_string", "render_template"] and rows(path) == 1
    with pytest.raises(BuildFailed):
        api.load_document(path)
    assert renders == ["render_string", "render_template", "render_string"]


def test_the_manifest_lists_the_same_template_files_when_the_renders_come_from_the_cache(make_project):
    brief = "{% include 'part.md.j2' %}\n{% for s in sections %}\n## {{ s.title }}\n\n{{ s.body }}\n\n{% endfor %}\n"
    path = make_project(articles(), SPEC, templates={"executive/brief.md.j2": brief, "executive/part.md.j2": "# Part\n"})
    inputs = []
    for _ in range(2):
        result = api.build(path, formats=["json"], force=True)
        manifest = result.manifest.read_text(encoding="utf-8")
        inputs.append([line.strip() for line in manifest.splitlines() if '"path": "templates/' in line])
    assert inputs[0] == inputs[1] == ['"path": "templates/executive/brief.md.j2",', '"path": "templates/executive/part.md.j2",']


def test_a_render_after_a_new_contents_list_is_not_read_with_old_slot_numbers(make_project):
    spec = """\
        title: T
        articles: [alpha]
        sections:
          - title: A
            text: "{first}A text."
          - title: B
            text: "{{{{ toc('B list') }}}}\\n\\nB text."
        """
    path = make_project(articles(), spec.format(first=""))
    api.load_document(path)
    path.write_text(textwrap.dedent(spec.format(first="{{ toc('A list') }}\\n\\n")), encoding="utf-8")
    doc = api.load_document(path)
    texts = [b.title if isinstance(b, TableOfContents) else plain_text(getattr(b, "children", ())) for b in doc.blocks]
    assert texts[texts.index("A"):texts.index("B text.") + 1] == ["A", "A list", "A text.", "B", "B list", "B text."]
