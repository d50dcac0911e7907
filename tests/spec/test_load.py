"""The YAML loader: strings stay strings, and the dangerous parts of YAML are refused with a line."""

import pytest

from reegen.errors import SpecError
from reegen.spec.load import YamlMap, parse_yaml


def test_scalars_stay_the_text_the_user_wrote():
    data = parse_yaml("country: NO\ntime: 10:30\nversion: 1.10\nmode: 0755\nempty:\n", "x.yaml")
    assert data == {"country": "NO", "time": "10:30", "version": "1.10", "mode": "0755", "empty": None}


def test_keys_and_items_remember_their_lines():
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
