"""YAML goes through libyaml when it can: what it reads must be exactly what PyYAML's own loader reads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reegen.errors import SpecError
from reegen.spec import load as load_module
from reegen.spec.load import _build, _compose_fast, _compose_slow, parse_yaml
from tests.spec import yaml_lines

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(load_module._yaml().FastLoader is None, reason="PyYAML was built without libyaml")


def _read(compose):
    try:
        node = compose()
        return None if node is None else yaml_lines(_build(node, "x.yaml", 3, 0))
    except SpecError as exc:
        return ("error", str(exc))


def _both(text: str):
    """Return (libyaml's result, PyYAML's result), each the data or the SpecError raised; None when libyaml passed."""
    fast = _compose_fast(text)
    if fast is False:
        return None
    return _read(lambda: fast), _read(lambda: _compose_slow(text, "x.yaml", 3))


def _front_matter(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        return text[4:end] if end > 0 else text[4:]
    return text


YAML_FILES = sorted([*REPO.glob("briefs/*.yaml"), *REPO.glob("articles/*.md"), *REPO.glob("tests/cases/**/*.yaml"),
                     *REPO.glob("tests/cases/**/*.md")])


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_yaml_file_of_the_project_reads_the_same(path):
    both = _both(_front_matter(path))
    if both is not None:  # libyaml read it: it must have read it as PyYAML does
        assert both[0] == both[1]


def test_the_samples_take_the_fast_way():
    # Specs and front matter are what libyaml is for; if they fell back, nothing would be faster.
    for path in [*REPO.glob("briefs/*.yaml"), *REPO.glob("articles/*.md")]:
        assert _compose_fast(_front_matter(path)) is not False, path


def test_plain_nulls_and_quoted_nulls_keep_their_meaning():
    data = parse_yaml('a: ~\nb: "~"\nc:\nd: null\ne: \'null\'\nf: [~, "", x]\n', "x.yaml")
    assert data == {"a": None, "b": "~", "c": None, "d": None, "e": "null", "f": [None, "", "x"]}


@pytest.mark.parametrize("text, code", [
    ("a: &x 1\nb: *x\n", "yaml.syntax"),          # anchors and aliases: refused, with the line
    ("a: 1\na: 2\n", "yaml.duplicate-key"),
    ("a: [1, 2\n", "yaml.syntax"),                # an error libyaml sees too: reported by PyYAML's loader
    ("a: !!python/name:os.system x\n", "yaml.tag"),
    ("[" * 1200 + "]" * 1200, "yaml.too-deep"),    # PyYAML's composer runs out of stack: refused, not a crash
    ("[" * 50 + "]" * 50, "yaml.too-deep"),
])
def test_refusals_are_as_before(text, code):
    with pytest.raises(SpecError) as err:
        parse_yaml(text, "x.yaml")
    if code:
        assert err.value.diagnostics[0].code == code


_SCALAR = st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
                    st.sampled_from(["~", "null", "NO", "10:30", "0755", "1.10", "- x", "a: b", "#c", "'q'", '"d"',
                                     "x\ny", " lead", "trail ", "|", ">", "[1]", "{a: 1}", "@x", "`y"]))
_DATA = st.recursive(_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                     max_leaves=12)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_DATA, flow=st.sampled_from([None, True, False]), style=st.sampled_from([None, "'", '"', "|"]),
       width=st.sampled_from([20, 80, 1000]))
def test_any_dumped_document_reads_the_same(data, flow, style, width):
    text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, width=width, allow_unicode=True)
    both = _both(text)
    if both is not None:
        assert both[0] == both[1]


_YAMLISH = st.lists(st.sampled_from(["a", "b", "1", " ", "  ", "\n", "\r\n", "\r", "\t", "&x ", "*x", "&", "*", ":",
                                     "- ", "-", "[", "]", "{", "}", ",", "'", '"', "#", "|", ">", "?", "!", "%", "@",
                                     "`", "\\", "é", "\x01", "~", "null",
                                     "%YAML 1.1\n---\n", '"a\\Nb"', '"\\u00e9"', "\u00a0", "😀", "中文", "\n    ",
                                     "x: |\n  a\n", "y: >-\n  c\n\n  d\n", "- [a, b]\n", "k: {a: 1}\n", "2025-01-02"]),
                    max_size=40).map("".join)


@settings(max_examples=3000, deadline=None)
@given(text=_YAMLISH)
def test_libyaml_accepts_nothing_pyyaml_reads_differently(text):
    # Malformed input included: where libyaml composes anything, PyYAML's loader must give the same.
    both = _both(text)
    if both is not None:
        assert both[0] == both[1]


# ----------------------------------------------------------------------------- libyaml's own composer

needs_c_composer = pytest.mark.skipif(load_module._yaml().CComposer is None, reason="libyaml older than 0.2.6")


@pytest.fixture
def composers(monkeypatch):
    """Count the loaders `_compose_fast` makes, by class name."""
    made = {}
    loaders = load_module._yaml()
    for name in ("FastLoader", "CComposer"):
        cls = getattr(loaders, name)
        if cls is not None:
            spy = type(cls.__name__, (cls,), {})

            def counting(text, _spy=spy, _name=name):
                made[_name] = made.get(_name, 0) + 1
                return _spy(text)
            monkeypatch.setattr(loaders, name, counting)
    return made


@needs_c_composer
def test_front_matter_without_anchor_characters_is_composed_by_libyaml(composers):
    # The cold index's cost: every article's front matter. It must not go through the Python composer.
    for path in REPO.glob("articles/*.md"):
        parse_yaml(_front_matter(path), str(path))
    assert composers.get("CComposer", 0) >= 5 and "FastLoader" not in composers


@needs_c_composer
def test_text_with_anchor_characters_keeps_the_composer_that_refuses_them(composers):
    with pytest.raises(SpecError, match="anchors") as err:
        parse_yaml("title: x\nlist: &a [1]\n", "x.yaml")
    assert err.value.location.line == 2
    assert parse_yaml("publisher: AT&T Research\nnote: 3 * 4\n", "x.yaml") == {"publisher": "AT&T Research",
                                                                             "note": "3 * 4"}
    assert composers == {"FastLoader": 2}  # the second: '&' and '*' inside plain text, read alike


@needs_c_composer
@pytest.mark.parametrize("text", ["a: " + "[" * 5000, "- " * 3000 + "x\n", "[" * 999 + "]" * 999])
def test_deep_nesting_through_libyaml_is_refused_with_a_location(text):
    # libyaml's composer recurses in C; libyaml itself stops at 1,000 levels, reegen at 40.
    with pytest.raises(SpecError) as err:
        parse_yaml(text, "x.yaml")
    assert err.value.diagnostics[0].code in ("yaml.too-deep", "yaml.syntax")
    assert err.value.location.line == 1


def test_without_libyaml_0_2_6_the_python_composer_reads_the_same(monkeypatch):
    # The fallback where libyaml is older (or missing): PyYAML's composer under libyaml's parser, or PyYAML alone.
    texts = [_front_matter(p) for p in sorted(REPO.glob("articles/*.md"))] + ["a: ~\nb: [x, 'y']\n"]
    with_c = [yaml_lines(parse_yaml(t, "x.yaml", line_offset=1)) for t in texts]
    monkeypatch.setattr(load_module._yaml(), "CComposer", None)
    assert [yaml_lines(parse_yaml(t, "x.yaml", line_offset=1)) for t in texts] == with_c
    monkeypatch.setattr(load_module._yaml(), "FastLoader", None)
    assert [yaml_lines(parse_yaml(t, "x.yaml", line_offset=1)) for t in texts] == with_c


@pytest.mark.parametrize("text, line, column", [
    ("a: 1\nb: x\u202ey\n", 2, 4),          # a bidi control as typed: the text is not clean, each scalar is searched
    ("a: 1\nb: [1, \"x\\x0by\"]\n", 2, 8),  # an escape: a backslash means the same
    ("a: 1\nb: 'x\u202ey'\n", 2, 4),
])
def test_refused_characters_are_found_wherever_the_text_is_not_clean(text, line, column):
    with pytest.raises(SpecError) as err:
        parse_yaml(text, "x.yaml")
    assert err.value.diagnostics[0].code == "yaml.character"
    assert (err.value.location.line, err.value.location.column) == (line, column)
    assert not load_module._is_clean(text) and load_module._is_clean("a: 1\nb: x y\n")
