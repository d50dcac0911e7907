"""Incremental builds: unchanged inputs skip the render and leave outputs untouched."""


from reegen import api
from tests.conftest import article_text

SPEC = "title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n"
SELECT_SPEC = "title: T\narticles: [{select: {tags: [baotou]}}]\nsections: [{title: S, from: lead}]\n"


def stamp(result):
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (*result.outputs.values(), result.manifest)}


def test_an_unchanged_brief_is_skipped_and_its_outputs_left_untouched(make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    first = api.build(path)
    before = stamp(first)
    second = api.build(path)
    assert second.skipped and second.document is None
    assert stamp(first) == before


def test_changing_an_article_it_uses_rebuilds(make_project):
    path = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    api.build(path)
    article = path.parents[1] / "articles" / "a.md"
    article.write_text(article_text("a", body="New lead.\n"), encoding="utf-8")
    assert not api.build(path).skipped


def test_changing_an_article_it_does_not_use_keeps_it_up_to_date(make_project):
    path = make_project({"a": article_text("a"), "b": article_text("b")}, SPEC)
    api.build(path)
    (path.parents[1] / "articles" / "b.md").write_text(article_text("b", body="Other.\n"), encoding="utf-8")
    assert api.build(path).skipped


def test_a_new_article_matching_a_query_rebuilds(make_project):
    path = make_project({"a": article_text("a")}, SELECT_SPEC)
    api.build(path)
    (path.parents[1] / "articles" / "c.md").write_text(article_text("c"), encoding="utf-8")
    assert not api.build(path).skipped


def test_spec_options_templates_and_damaged_outputs_each_rebuild(make_project, monkeypatch):
    path = make_project({"a": article_text("a")}, SPEC)
    result = api.build(path)
    assert not api.build(path, formats=["pdf"]).skipped          # other formats
    assert api.build(path, formats=["pdf"]).skipped
    assert not api.build(path, formats=["pdf"], strict=True).skipped  # other options
    result.outputs["pdf"].write_bytes(b"damaged")
    assert not api.build(path, formats=["pdf"], strict=True).skipped  # an output changed
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert not api.build(path, formats=["pdf"], strict=True).skipped
    override = path.parents[1] / "templates" / "executive" / "brief.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("{% for s in sections %}\n# {{ s.title }}\n\n{{ s.body }}\n{% endfor %}\n", encoding="utf-8")
    assert not api.build(path, formats=["pdf"], strict=True).skipped  # a template override appeared


def test_force_rebuilds_anyway(make_project):
    path = make_project({"a": article_text("a")}, SPEC)
    api.build(path)
    assert not api.build(path, force=True).skipped


def test_reegen_toml_formats_are_the_default(make_project):
    path = make_project({"a": article_text("a")}, SPEC, config='[project]\nformats = ["md", "html"]\n')
    result = api.build(path)
    assert sorted(result.outputs) == ["html", "md"]
