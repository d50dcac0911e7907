"""Attributions, trusted dates, provenance, sidecars, ids and the front-matter YAML policy."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest
from click.testing import CliRunner

from reegen.cli import cli
from reegen.corpus.parse import parse_article
from reegen.errors import ArticleError, BuildFailed, Report
from reegen.ingest import Overrides, ingest_paths, ingest_source, parse_source
from reegen.ingest.slugs import make_id

TITLE = "Smelter Restart Delayed Again"
PROSE = ("The aluminium smelter on the coast will stay shut until autumn, its owner said, citing high power prices. "
         "Two hundred workers remain on reduced pay while talks with the grid operator continue.")


def ingest(*lines: str, name: str = "smelter.txt", **kwargs):
    text = "\n".join([TITLE, *lines, PROSE]) + "\n"
    return ingest_source(text.encode("utf-8"), name, **kwargs)


# --------------------------------------------------------------------------- attributions


@pytest.mark.parametrize("sentence, name, kind", [
    ("Output fell 12% in June, according to Xinhua.", "Xinhua", "state-owned"),
    ("Reuters reported that the smelter missed two payments.", "Reuters", "wire"),
    ("The figures were first published by the ministry, citing Global Times.", "Global Times", "state-affiliated"),
    ("The Coastal Daily said in a report that repairs would take months.", "Coastal Daily", None),
    ("According to the Harbour Tribune, the owner sought a loan.", "Harbour Tribune", None),
])
def test_attributions_to_outlets_become_origins_with_the_registry_kind(sentence, name, kind):
    result = ingest(sentence)
    entry = next(o for o in result.draft.origin if o["name"] == name)
    assert entry.get("kind") == kind
    assert any(name in e.detail for e in result.report.of_kind("origin"))


@pytest.mark.parametrize("sentence, names", [
    # the name a verb follows starts after the full stop, not at the word that ended the sentence before
    ("Output peaked in May. The Lakeside Herald reported a fall since.", ["Lakeside Herald"]),
    # the name "according to" introduces ends with its sentence
    ("Output rose, according to the Northfield Gazette. The plant said nothing.", ["Northfield Gazette"]),
    ("Output rose, according to the Northfield Gazette. The Lakeside Herald reported a fall.",
     ["Northfield Gazette", "Lakeside Herald"]),
    ("Output rose, according to the Coastal Daily! The Lakeside Herald wrote the same.", ["Coastal Daily", "Lakeside Herald"]),
    # an abbreviation's full stop ends no sentence
    ("Output rose, according to the Valley Co. Tribune, in May.", ["Valley Co. Tribune"]),
])
def test_an_origin_name_never_runs_across_a_sentence_end(sentence, names):
    assert [o["name"] for o in ingest(sentence).draft.origin] == names


@pytest.mark.parametrize("sentence", [
    "According to the 2024 Energy Outlook Report, prices will ease.",
    "According to plant manager Ilse Brandt, the pots are intact.",
    "According to estimates, demand will recover.",
])
def test_documents_people_and_estimates_are_not_origins(sentence):
    assert ingest(sentence).draft.origin == []


def test_unnamed_state_media_become_one_generic_state_affiliated_origin_never_an_invented_outlet():
    result = ingest("The plan was described in reports from Russian state media on Monday.",
                    "This piece draws on reporting from state-run outlets.")
    names = [o["name"] for o in result.draft.origin]
    assert names == ["Russian state media (outlet not named)", "State media (outlet not named)"]
    assert all(o["kind"] == "state-affiliated" for o in result.draft.origin)
    assert result.draft.provenance["origin"] == "inferred"


def test_a_mention_of_state_media_that_relays_nothing_is_no_origin():
    assert ingest("Critics say state media rarely covers smelter closures.").draft.origin == []


def test_origin_and_disclaimer_options_add_what_the_text_lacks():
    overrides = Overrides(origins=({"name": "Xinhua"}, {"name": "Valley Courier", "kind": "industry-press"}),
                          disclaimers=("Figures not independently verified.",))
    result = ingest(overrides=overrides)
    assert result.draft.origin == [{"name": "Xinhua", "kind": "state-owned"}, {"name": "Valley Courier", "kind": "industry-press"}]
    assert result.draft.disclaimers == ["Figures not independently verified."]
    assert result.draft.provenance["origin"] == "user" and result.draft.provenance["disclaimers"] == "user"


def test_origin_option_kind_is_checked(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(f"{TITLE}\n{PROSE}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(source), "--origin", "Xinhua:tabloid"])
    assert result.exit_code == 2 and "tabloid" in result.output


# --------------------------------------------------------------------------- dates


def test_a_date_after_the_file_was_saved_is_refused():
    draft, report = parse_source(f"{TITLE}\nBy Ilse Brandt | 3 March 2031\n{PROSE}\n", "s.txt", reference=dt.date(2025, 6, 1))
    assert draft.published is None and draft.author == "Ilse Brandt"
    assert any("after the file was saved" in e.detail for e in report.of_kind("date"))


def test_an_absurdly_old_date_is_refused():
    draft, report = parse_source(f"{TITLE}\nPublished: 1 January 1970\n{PROSE}\n", "s.txt")
    assert draft.published is None and report.of_kind("date")


def test_the_front_matter_date_wins_over_the_byline_and_the_conflict_is_reported():
    text = f"---\ntitle: {TITLE}\npublished: 2024-05-02\n---\n*By Ilse Brandt | 9 May 2024*\n\n{PROSE}\n"
    draft, report = parse_source(text, "s.md")
    assert draft.published == dt.date(2024, 5, 2)
    assert any("2024-05-09" in e.detail for e in report.of_kind("conflict"))


def test_a_published_option_wins_and_is_marked_as_the_users():
    result = ingest("14 May 2025", overrides=Overrides(published=dt.date(2025, 5, 15)))
    assert result.draft.published == dt.date(2025, 5, 15)
    assert "provenance:\n  published: user\n" in result.text
    assert result.report.of_kind("conflict")


def test_source_date_goes_to_the_origin_never_to_published():
    result = ingest("Source: Xinhua, July 11, 2025")
    assert result.draft.origin == [{"name": "Xinhua", "kind": "state-owned", "date": dt.date(2025, 7, 11)}]
    assert result.draft.published is None


# --------------------------------------------------------------------------- provenance


def test_provenance_lists_what_reegen_derived_and_the_article_reads_back():
    text = f"{PROSE}\n{PROSE.replace('coast', 'bay')}\n"
    result = ingest_source(text.encode(), "untitled.txt", overrides=Overrides(publisher="Bay Gazette"))
    assert "provenance:\n  title: derived\n  publisher: user\n" in result.text
    article = parse_article(result.text, "articles/x.md", Report())
    assert article.provenance == {"title": "derived", "publisher": "user"}
    again = ingest_source(result.text.encode(), "x.md")
    assert again.text == result.text


def test_stated_fields_are_not_listed():
    result = ingest("By Ilse Brandt | 3 March 2025")
    assert "provenance" not in result.text


# --------------------------------------------------------------------------- ids


def test_ids_are_about_five_words_and_stable():
    title = "The Quiet Return of the River Barges to the Upper Valley Towns"
    assert make_id(title, "x.txt") == "the-quiet-return-of-the-river-barges"
    assert make_id(title, "x.txt") == make_id(title, "y.txt")


@pytest.mark.parametrize("bad", ["../README", "/tmp/x", "a/b", "x" * 300, "two\nlines", "Upper Case"])
def test_a_bad_front_matter_id_is_slugged_and_reported_never_a_path(bad, tmp_path):
    import yaml

    text = "---\n" + yaml.safe_dump({"id": bad, "title": TITLE}) + f"---\n{PROSE}\n"
    source = tmp_path / "in.md"
    source.write_text(text, encoding="utf-8")
    [result] = ingest_paths([source], tmp_path / "out")
    assert result.target.parent == tmp_path / "out"
    assert "/" not in result.article_id and len(result.article_id) <= 80
    assert any("not a slug" in e.detail for e in result.report.entries)


@pytest.mark.parametrize("bad", ["../README", "/tmp/x", "a/b", "x" * 300])
def test_a_bad_id_option_is_a_clear_error(bad, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(f"{TITLE}\n{PROSE}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(source), "--id", bad, "-d", str(tmp_path / "out")])
    assert result.exit_code == 2 and "not a slug" in result.output
    assert not (tmp_path / "out").exists()


def test_article_files_are_written_0644(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(f"{TITLE}\n{PROSE}\n", encoding="utf-8")
    old = os.umask(0o022)
    try:
        [result] = ingest_paths([source], tmp_path / "out")
    finally:
        os.umask(old)
    assert stat.S_IMODE(result.target.stat().st_mode) == 0o644


# --------------------------------------------------------------------------- YAML policy


def test_an_alias_bomb_in_front_matter_fails_fast():
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" \
           "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\ntitle: T\n---\nBody text here.\n"
    with pytest.raises(ArticleError) as info:
        ingest_source(bomb.encode(), "bomb.md")
    assert "not allowed" in info.value.message and info.value.code == "ingest.front-matter"


def test_deep_front_matter_is_refused():
    deep = "---\nx: " + "[" * 100 + "]" * 100 + "\n---\nBody.\n"
    with pytest.raises(ArticleError):
        ingest_source(deep.encode(), "deep.md")


# --------------------------------------------------------------------------- sidecar, -q and the summary


def write_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(f"{TITLE}\n{PROSE}\n", encoding="utf-8")
    (folder / "two.txt").write_text(f"Barge Traffic Doubles\nBy Ilse Brandt | 3 March 2025\n{PROSE}\n", encoding="utf-8")
    return folder


def test_a_csv_sidecar_supplies_per_file_metadata_marked_as_the_users(tmp_path):
    folder = write_inputs(tmp_path)
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text("file,id,publisher,published,tags,origin\n"
                       "one.txt,smelter-delay,Coast Ledger,2025-04-02,energy; metals,Xinhua\n", encoding="utf-8")
    out = tmp_path / "articles"
    result = CliRunner().invoke(cli, ["ingest", str(folder / "one.txt"), str(folder / "two.txt"), "--sidecar", str(sidecar),
                                      "-d", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / "smelter-delay.md").read_text(encoding="utf-8")
    assert "publisher: Coast Ledger\npublished: 2025-04-02\n" in text
    assert "tags:\n- energy\n- metals\n" in text
    assert "provenance:\n  publisher: user\n  published: user\n  origin: user\n  tags: user\n" in text
    assert "publisher: Coast Ledger" not in (out / "barge-traffic-doubles.md").read_text(encoding="utf-8")


def test_a_yaml_sidecar_and_its_errors_name_file_and_line(tmp_path):
    folder = write_inputs(tmp_path)
    good = tmp_path / "meta.yaml"
    good.write_text("two.txt:\n  author: Ilse Brandt\n  url: https://example.org/barges\n", encoding="utf-8")
    out = tmp_path / "articles"
    assert CliRunner().invoke(cli, ["ingest", str(folder / "two.txt"), "--sidecar", str(good), "-d", str(out)]).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("one.txt:\n  published: last week\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(folder / "one.txt"), "--sidecar", str(bad), "-d", str(out)])
    assert result.exit_code == 1 and "bad.yaml:2" in result.output
    evil = tmp_path / "evil.csv"
    evil.write_text("file,id\none.txt,../../etc/passwd\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(folder / "one.txt"), "--sidecar", str(evil), "-d", str(out)])
    assert result.exit_code == 1 and "not a slug" in result.output and "evil.csv:2" in result.output


def test_quiet_prints_only_what_needs_attention_and_the_summary_names_missing_fields(tmp_path):
    folder = write_inputs(tmp_path)
    result = CliRunner().invoke(cli, ["ingest", str(folder / "one.txt"), str(folder / "two.txt"), "-q",
                                      "-d", str(tmp_path / "articles")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not any(line.startswith("wrote ") or ": byline:" in line or ": title:" in line for line in lines)
    assert any(": missing: published" in line for line in lines)
    assert "summary: 2 of 2 articles need attention" in lines
    assert "  smelter-restart-delayed-again: missing publisher, published, author, url" in lines
    assert "  barge-traffic-doubles: missing publisher, url" in lines


def test_no_generic_state_origin_when_a_named_state_source_is_already_there():
    result = ingest("Output fell 12% in June, according to Xinhua.",
                    "The piece draws on reporting from Chinese state media.")
    assert [o["name"] for o in result.draft.origin] == ["Xinhua"]
    assert any("already names one" in e.detail for e in result.report.of_kind("origin"))


def test_origin_and_disclaimer_options_on_the_command_line(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(f"{TITLE}\n{PROSE}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["ingest", str(source), "-d", str(out), "--origin", "Valley Courier:industry-press",
                                      "--origin", "Xinhua", "--disclaimer", "Figures from the operator only."])
    assert result.exit_code == 0, result.output
    text = (out / "smelter-restart-delayed-again.md").read_text(encoding="utf-8")
    assert "- name: Valley Courier\n  kind: industry-press\n- name: Xinhua\n  kind: state-owned\n" in text
    assert "disclaimers:\n- Figures from the operator only.\n" in text
    assert "  origin: user\n" in text and "  disclaimers: user\n" in text
