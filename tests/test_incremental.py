"""Incremental builds: unchanged inputs skip the render and leave outputs untouched."""


import os

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


# ----------------------------------------------------------------------------- select: specs and the index

TAGGED_SPEC = "title: T\narticles: [{select: {tags: [copper]}}]\nsections: [{title: S, from: lead}]\n"


def corpus_with_tags():
    return {"m": article_text("m", tags=("copper",)), "n": article_text("n", tags=("tin",))}


def edit(path, article_id, **fields):
    """Rewrite one article file with new fields (and a new time, as an editor would)."""
    file = path.parents[1] / "articles" / f"{article_id}.md"
    before = file.stat().st_mtime_ns
    file.write_text(article_text(article_id, **fields), encoding="utf-8")
    os.utime(file, ns=(before + 2_000_000_000, before + 2_000_000_000))


def test_editing_an_article_no_query_matches_keeps_a_select_brief_up_to_date(make_project):
    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    api.build(path)
    edit(path, "n", tags=("tin",), body="Edited lead.\n")
    assert api.build(path).skipped


def test_editing_an_article_a_query_matches_rebuilds_a_select_brief(make_project):
    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    api.build(path)
    edit(path, "m", tags=("copper",), body="Edited lead.\n")
    assert not api.build(path).skipped
    assert api.build(path).skipped


def test_an_article_that_comes_to_match_or_stops_matching_rebuilds(make_project):
    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    api.build(path)
    edit(path, "n", tags=("tin", "copper"))
    result = api.build(path, formats=["md"])
    assert not result.skipped and "N" in result.outputs["md"].read_text(encoding="utf-8")
    edit(path, "m", tags=("tin",))
    assert not api.build(path, formats=["md"]).skipped


def test_an_unchanged_select_brief_reads_no_article_file(make_project, monkeypatch):
    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    settle(path)  # files written moments before they were read are hashed again: see the next test
    api.build(path)
    import reegen.corpus.index as index
    import reegen.incremental as incremental

    read = []
    monkeypatch.setattr(index, "file_sha256", lambda p: read.append(p))
    monkeypatch.setattr(incremental, "_hash_file", lambda p, original=incremental._hash_file:
                        read.append(p) if "articles" in str(p) else original(p))
    assert api.build(path).skipped
    assert read == []  # every article hash came from the index's stored facts


def test_a_same_size_edit_in_the_clock_tick_of_the_last_read_still_rebuilds(make_project):
    # A coarse file-system clock: the edit leaves the file's size and time as they were when it was read.
    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    file = path.parents[1] / "articles" / "m.md"
    api.build(path, formats=["md"])
    stat = file.stat()
    file.write_text(file.read_text(encoding="utf-8").replace("Lead", "Dead"), encoding="utf-8")
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert file.stat().st_size == stat.st_size
    result = api.build(path, formats=["md"])
    assert not result.skipped and "Dead" in result.outputs["md"].read_text(encoding="utf-8")


def test_a_touched_but_unchanged_article_is_hashed_once_and_keeps_the_brief_up_to_date(make_project):
    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    api.build(path)
    file = path.parents[1] / "articles" / "m.md"
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert api.build(path).skipped


def test_a_remade_index_rebuilds_a_select_brief_once(make_project):
    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    api.build(path)
    (path.parents[1] / ".reegen-cache" / "corpus.sqlite").unlink()
    assert not api.build(path).skipped  # a new index cannot say what changed since the old one's position
    assert api.build(path).skipped


def settle(path, seconds=60):
    """Date every article of the project of spec `path` `seconds` back: a corpus nobody touched for a while."""
    for file in (path.parents[1] / "articles").iterdir():
        stat = file.stat()
        os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 1_000_000_000))


def test_a_settled_corpus_is_checked_from_its_listing_and_an_edit_still_rebuilds(make_project, monkeypatch):
    """Once a load found every file as indexed, the next check of a `select:` brief compares one listing."""
    import reegen.corpus.index as index

    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    settle(path)
    api.build(path)  # indexes, then loads every file from a fresh row: the listing is kept
    read = []
    real = index.CorpusIndex.read_facts
    monkeypatch.setattr(index.CorpusIndex, "read_facts", lambda self: read.append(1) or real(self))
    read_files = []
    monkeypatch.setattr(index, "file_sha256", lambda p: read_files.append(p))
    assert api.build(path).skipped
    assert read == [] and read_files == []  # no row's facts read in bulk, no article file hashed
    monkeypatch.undo()
    edit(path, "n", tags=("tin",), body="Edited lead.\n")  # matches no query
    settle(path)
    assert api.build(path).skipped
    edit(path, "m", tags=("copper",), body="Edited lead.\n")  # matches
    settle(path)
    result = api.build(path, formats=["md"])
    assert not result.skipped and "Edited lead" in result.outputs["md"].read_text(encoding="utf-8")


def test_a_forced_build_of_a_settled_corpus_lists_its_folder_once(make_project, monkeypatch):
    # The fingerprint's listing answers the build's corpus load too: one visit of every file, not two.
    import reegen.corpus
    import reegen.corpus.index as index

    path = make_project(corpus_with_tags(), TAGGED_SPEC)
    settle(path)
    api.build(path)
    expected = api.build(path, formats=["md"], force=True).outputs["md"].read_text(encoding="utf-8")
    listings = []
    real = index.listing_key
    counted = lambda *a: listings.append(1) or real(*a)  # noqa: E731
    monkeypatch.setattr(index, "listing_key", counted)
    monkeypatch.setattr(reegen.corpus, "listing_key", counted)
    result = api.build(path, formats=["md"], force=True)
    assert listings == [1] and result.outputs["md"].read_text(encoding="utf-8") == expected
