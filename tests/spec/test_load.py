"""The YAML loader: strings stay strings, and the dangerous parts of YAML are refused with a line."""

from pathlib import Path

import pytest

from reegen.cache import CacheTable
from reegen.errors import SpecError
from reegen.spec import load as load_module
from reegen.spec.load import YamlMap, parse_yaml
from tests.spec import yaml_lines


def test_scalars_stay_the_text_the_user_wrote():
    data = parse_yaml("country: NO\ntime: 10:30\nversion: 1.10\nmode: 0755\nempty:\n", "x.yaml")
    assert data == {"country": "NO", "time": "10:30", "version": "1.10", "mode": "0755", "empty": None}


def test_keys_and_items_remember_theiryaml_lines():
    data = parse_yaml("title: T\narticles:\n  - a\n  - b\n", "x.yaml")
    assert isinstance(data, YamlMap)
    assert data.line_of("articles") == 2
    assert data["articles"].item_lines == [3, 4]


def test_line_offset_shifts_every_line():
    data = parse_yaml("a: 1\nb: 2\n", "x.md", line_offset=1)
    assert data.line_of("b") == 3


@pytest.mark.parametrize(
    "text, code, line",
    [
        ("a: 1\na: 2\n", "yaml.duplicate-key", 2),
        ("a: &x [1]\nb: *x\n", "yaml.syntax", 1),
        ("a: !!python/object/apply:os.system ['true']\n", "yaml.tag", 1),
        ("a: [1, 2\nb: 3\n", "yaml.syntax", None),
        ("- " * 60 + "x\n", "yaml.too-deep", 1),
    ],
)
def test_refused_yaml_names_the_file_and_line(text, code, line):
    with pytest.raises(SpecError) as info:
        parse_yaml(text, "briefs/x.yaml")
    assert info.value.code == code
    assert info.value.location.path == "briefs/x.yaml"
    if line is not None:
        assert info.value.location.line == line


def test_alias_bomb_is_refused_before_it_expands():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    with pytest.raises(SpecError, match="not allowed"):
        parse_yaml(bomb, "x.yaml")


def test_deep_flow_nesting_is_a_located_error_not_a_crash():
    with pytest.raises(SpecError) as info:
        parse_yaml("a: " + "[" * 5000, "x.yaml")
    assert info.value.code in ("yaml.too-deep", "yaml.syntax")


def test_escapes_that_decode_to_forbidden_characters_are_located_errors():
    with pytest.raises(SpecError) as info:
        parse_yaml('a: 1\ntitle: "x\\ud800\\udc00"\n', "briefs/x.yaml")
    assert info.value.code == "yaml.character" and info.value.location.line == 2
    with pytest.raises(SpecError, match="U\\+000B"):
        parse_yaml('title: "a\\x0bb"\n', "briefs/x.yaml")


# ----------------------------------------------------------------------------- the parse cache

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def table(tmp_path):
    (tmp_path / "cache").mkdir()
    return lambda: CacheTable(tmp_path / "cache" / "db.sqlite", "yaml", keep=50)


def _parse_twice(text, table, monkeypatch, line_offset=0):
    first_table = table()
    first = parse_yaml(text, "x.yaml", line_offset=line_offset, cache=first_table)
    first_table.save()
    monkeypatch.setattr(load_module, "_compose_fast", lambda *a: pytest.fail("parsed again"))
    second_table = table()
    second = parse_yaml(text, "x.yaml", line_offset=line_offset, cache=second_table)
    monkeypatch.undo()
    return first, second


@pytest.mark.parametrize("name", ["briefs/baotou-executive.yaml", "briefs/baotou-dossier.yaml", "reegen/data/sources.yaml"])
def test_yaml_read_back_from_the_cache_is_the_same_data_with_the_sameyaml_lines(name, table, monkeypatch):
    text = (REPO / name).read_text(encoding="utf-8")
    first, second = _parse_twice(text, table, monkeypatch, line_offset=2)
    assert yaml_lines(second) == yaml_lines(first) and second == first
    assert type(second) is type(first)


def test_nested_lists_empty_values_and_quoted_nulls_survive_the_cache(table, monkeypatch):
    text = 'a:\n  - [x, "~", ~]\n  - {b: "", c: null, d: ""}\n  -\n"": empty key\n'
    first, second = _parse_twice(text, table, monkeypatch)
    assert yaml_lines(second) == yaml_lines(first)
    assert second["a"][0] == ["x", "~", None] and second["a"][2] is None and second[""] == "empty key"


def test_yaml_that_fails_is_never_kept(table):
    for _ in range(2):
        kept = table()
        with pytest.raises(SpecError, match="duplicate key"):
            parse_yaml("a: 1\na: 2\n", "x.yaml", cache=kept)
        assert kept.pending == {}
        kept.save()


def test_a_damaged_row_is_parsed_again(table):
    kept = table()
    parse_yaml("a: [1, 2]\n", "x.yaml", cache=kept)
    kept.save()
    kept = table()
    db = kept._open()
    db.execute("UPDATE yaml SET value = '{\"m\": 1, \"k\": [[1, 1, null]]}'")
    db.commit()
    assert parse_yaml("a: [1, 2]\n", "x.yaml", cache=kept) == {"a": ["1", "2"]}
