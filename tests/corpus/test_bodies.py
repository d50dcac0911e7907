"""The parsed-body cache: same sections, problems and figures as parsing, and never a stale one."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

import reegen.cache._stamp as _stamp
import reegen.corpus.bodies as bodies
import reegen.figures
import reegen.parse
from reegen.corpus import load_corpus
from reegen.corpus.bodies import decode, encode
from reegen.cache import CACHE_DIR
from reegen.errors import Report
from reegen.parse import parse_bodies, parse_body
from tests.conftest import REPO, SEEDS, article_text

BODY = ("Output rose 12% to 5,000 tonnes in 2024, says [the report](ftp://example.com/report).\n\n"
        "## Highlights\n- Sales hit ¥3.2 billion (~$440 million).\n")


def make(tmp_path: Path, bodies_by_id: dict[str, str]) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for article_id, body in bodies_by_id.items():
        (folder / f"{article_id}.md").write_text(article_text(article_id, body=body), encoding="utf-8")
    return folder


def load(tmp_path: Path, folder: Path):
    """Load the corpus, read every body and its figures, and store them as a build does."""
    corpus = load_corpus(folder, Report(), root=tmp_path)
    seen = {}
    for article in corpus:
        problems = Report()
        parsed = parse_body(article, problems, cache=corpus.bodies)
        seen[article.id] = (parsed.sections, parsed.figures, [str(d) for d in problems])
    corpus.save_cache()
    return seen


def rows(tmp_path: Path) -> dict[str, tuple]:
    with sqlite3.connect(tmp_path / CACHE_DIR / "corpus.sqlite") as db:
        return {r[0]: r[1:] for r in db.execute("SELECT path, key, sections, figures FROM bodies")}


def corpora() -> list[Path]:
    """The sample corpus and every hostile case's articles."""
    return [REPO / "articles"] + sorted(p / "articles" for p in (REPO / "tests" / "cases").iterdir()
                                        if (p / "articles").is_dir())


def test_every_body_of_the_sample_and_the_hostile_cases_survives_the_round_trip():
    count = 0
    for folder in corpora():
        corpus = load_corpus(folder, Report(), cache=False)
        for article in parse_bodies(corpus, corpus.articles, Report()):
            for value in (article.sections, article.figures):
                back = decode(bodies._json(lambda: encode(value)))
                # Dataclass equality compares fields as tuples: a list where a tuple belongs fails it.
                assert back == value, (folder, article.id)
                assert type(back) is tuple
            count += 1
    assert count > 60


def test_the_seeds_survive_the_round_trip_once_ingested(tmp_path):
    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS} (CI keeps shared/ beside the checkout)")
    from reegen.ingest import ingest_paths

    ingest_paths(sorted(SEEDS.glob("*.txt")), tmp_path / "articles")
    corpus = load_corpus(tmp_path / "articles", Report(), cache=False)
    corpus = parse_bodies(corpus, corpus.articles, Report())
    assert len(corpus) == 5
    assert sum(len(article.figures) for article in corpus) > 10
    for article in corpus:
        for value in (article.sections, article.figures):
            assert decode(bodies._json(lambda: encode(value))) == value


def test_a_second_load_reads_bodies_problems_and_figures_from_the_cache(tmp_path, monkeypatch):
    folder = make(tmp_path, {"a": BODY, "b": "Plain lead.\n"})
    first = load(tmp_path, folder)
    assert first["a"][1] and first["a"][2]  # figures, and a problem: the link is refused
    assert set(rows(tmp_path)) == {"articles/a.md", "articles/b.md"}
    with monkeypatch.context() as patch:
        patch.setattr(reegen.parse, "parse_sections", lambda *a, **k: pytest.fail("parsed although cached"))
        patch.setattr(reegen.figures, "extract_figures", lambda *a, **k: pytest.fail("searched although cached"))
        second = load(tmp_path, folder)
    assert second == first


def test_a_rewritten_body_is_parsed_again_even_with_the_same_size_and_time(tmp_path):
    folder = make(tmp_path, {"a": BODY})
    load(tmp_path, folder)
    path = folder / "a.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("rose 12%", "fell 13%"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    sections, figures, _ = load(tmp_path, folder)["a"]
    assert "fell 13%" in sections[0].blocks[0].children[0].text
    assert any(f.value == "13%" for f in figures) and not any(f.value == "12%" for f in figures)


def test_changed_parsing_code_never_reads_an_old_parse(tmp_path, monkeypatch):
    folder = make(tmp_path, {"a": BODY})
    load(tmp_path, folder)
    calls = []
    original = reegen.parse.parse_sections
    monkeypatch.setattr(reegen.parse, "parse_sections", lambda *a: calls.append(1) or original(*a))
    load(tmp_path, folder)
    assert calls == []
    monkeypatch.setattr(_stamp, "_stamp", "a different parser")
    load(tmp_path, folder)
    assert calls == [1]


@pytest.mark.parametrize("damage", [
    "not json",
    '{"sections": [{"@": "os.system", "f": ["echo"]}], "diagnostics": []}',
    '{"sections": [{"@": "Section", "f": ["lead"]}], "diagnostics": []}',
    '{"sections": "lead", "diagnostics": []}',
    '{"sections": []}',
])
def test_a_damaged_row_is_parsed_again_not_trusted(tmp_path, damage):
    folder = make(tmp_path, {"a": BODY})
    first = load(tmp_path, folder)
    with sqlite3.connect(tmp_path / CACHE_DIR / "corpus.sqlite") as db:
        db.execute("UPDATE bodies SET sections = ?, figures = ?", (damage, damage))
    assert load(tmp_path, folder) == first


def test_a_removed_article_leaves_the_cache(tmp_path):
    folder = make(tmp_path, {"a": BODY, "b": BODY})
    load(tmp_path, folder)
    (folder / "b.md").unlink()
    load(tmp_path, folder)
    assert set(rows(tmp_path)) == {"articles/a.md"}


def test_an_unusable_cache_costs_time_not_the_build(tmp_path):
    folder = make(tmp_path, {"a": BODY})
    (tmp_path / CACHE_DIR).write_text("a file where the cache folder should be", encoding="utf-8")
    sections, figures, problems = load(tmp_path, folder)["a"]
    assert sections and figures and problems


def test_a_build_from_the_cache_writes_the_same_brief_with_the_same_warnings(sample_project, pinned_date, monkeypatch):
    from reegen.api import build

    spec = sample_project / "briefs" / "baotou-dossier.yaml"

    def outputs():
        result = build(spec, out_dir=sample_project / "out", force=True)
        return {fmt: Path(path).read_bytes() for fmt, path in result.outputs.items()}, [str(w) for w in result.warnings]

    cold = outputs()
    assert cold[1]  # the sample articles have problems worth hearing about twice
    with monkeypatch.context() as patch:
        patch.setattr(reegen.parse, "parse_sections", lambda *a, **k: pytest.fail("parsed although cached"))
        patch.setattr(reegen.figures, "extract_figures", lambda *a, **k: pytest.fail("searched although cached"))
        warm = outputs()
    assert warm == cold


def test_a_build_from_the_cache_never_loads_the_figure_finder(sample_project):
    # The finder's patterns are most of what reegen compiles at import: a cached build goes without them.
    import subprocess
    import sys

    code = ("import sys\nfrom reegen.api import build\n"
            f"build({str(sample_project / 'briefs' / 'baotou-executive.yaml')!r}, formats=['json'], "
            f"out_dir={str(sample_project / 'out')!r}, force=True)\n"
            "print('reegen.figures' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120) for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]
