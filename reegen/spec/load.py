"""Load YAML (brief specs and article front matter) into mappings that remember their lines.

PyYAML's defaults are wrong for user files (RELIABILITY.md 1.4): implicit YAML 1.1 typing
turns `NO` into False and `10:30` into 630, duplicate keys silently win, aliases can
explode on traversal, and errors lack locations. This loader composes the node tree with
the safe loader and builds the data itself: every scalar is a string (the schema converts
it), `~`/`null`/empty are None, duplicate keys, anchors, aliases and non-standard tags are
errors, and every key and item knows its line. libyaml (in PyYAML's wheels) parses, and
composes too when the text cannot hold an anchor or alias; anything it refuses or might
read apart from PyYAML goes to PyYAML's own loader, whose errors reegen reports.

PyYAML is imported on first use: given a cache table, `parse_yaml` returns text it has
read before from there, so a rebuild whose spec and sources registry are unchanged does
not import it at all (about 10 ms, a twentieth of a sample brief's DOCX).
"""

from __future__ import annotations

import functools
import json
import re
from types import SimpleNamespace
from typing import TYPE_CHECKING

from ..cache import CacheTable, digest
from ..errors import Location, SpecError

if TYPE_CHECKING:
    import yaml

#: deeper nesting than this is refused (no brief spec needs more than a handful)
MAX_DEPTH = 40
#: bigger YAML documents are refused before parsing
MAX_BYTES = 2_000_000

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


#: characters XML 1.0 forbids (C0 controls but TAB, LF, CR; surrogates; U+FFFE, U+FFFF)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class YamlMap(dict):
    """A mapping from a YAML file; `line` is where it starts, `key_lines[k]` where key `k` is."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class YamlList(list):
    """A sequence from a YAML file; `item_lines[i]` is the line of item `i`."""

    line: int = 0
    item_lines: list


@functools.cache
def _yaml() -> SimpleNamespace:
    """Return PyYAML and reegen's two loaders, imported on first use (a build whose YAML is all cached never pays)."""
    import yaml
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    class _Refusing:
        """Refuses anchors and aliases as soon as they are composed."""

        def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.MarkedYAMLError(None, None, "aliases (*name) are not allowed", event.start_mark)
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise yaml.MarkedYAMLError(None, None, "anchors (&name) are not allowed", event.start_mark)
            return super().compose_node(parent, index)

    class _Loader(_Refusing, yaml.SafeLoader):
        """The safe loader, all in Python: the reference, and the one whose errors reegen reports."""

    try:  # libyaml's parser, when PyYAML was built with it
        from yaml._yaml import CParser, get_version
    except ImportError:  # pragma: no cover - PyPI's wheels for Linux, macOS and Windows include it
        return SimpleNamespace(yaml=yaml, Loader=_Loader, FastLoader=None, CComposer=None)

    class _FastLoader(_Refusing, CParser, Composer, SafeConstructor, Resolver):
        """libyaml's scanner and parser (nine tenths of the time) under PyYAML's own composer."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        get_single_node = Composer.get_single_node  # not libyaml's, which would compose aliases itself

    class _CComposer(CParser):
        """libyaml's parser and its own composer (in C): for text that cannot hold an anchor or an alias.

        Its composer follows aliases and keeps no trace of anchors, so it is given only text
        without `&` and `*`. A node's tag only has to say whether it is standard (`_build`
        reads every scalar as text): the implicit ones are named by the node's kind, not
        by matching the value against YAML 1.1's patterns in Python.
        """

        def resolve(self, kind, value, implicit):  # noqa: D401 - PyYAML's hook
            return _IMPLICIT_TAGS[kind.id]

        def descend_resolver(self, parent, index):  # noqa: D401 - PyYAML's hook; reegen has no path resolvers
            pass

        def ascend_resolver(self):  # noqa: D401 - PyYAML's hook
            pass

    # libyaml's composer recurses in C: only where libyaml bounds the nesting (0.2.6 and later, which
    # PyPI's wheels bundle; 1,000 levels) may it compose text of any depth. Elsewhere `_FastLoader` does.
    composer = _CComposer if get_version() >= (0, 2, 6) else None
    return SimpleNamespace(yaml=yaml, Loader=_Loader, FastLoader=_FastLoader, CComposer=composer)


#: the tag of a node whose tag is implicit, by the node's kind (`_CComposer.resolve`)
_IMPLICIT_TAGS = {"scalar": "tag:yaml.org,2002:str", "sequence": "tag:yaml.org,2002:seq",
                  "mapping": "tag:yaml.org,2002:map"}


#: where libyaml and PyYAML part ways (found by tests/spec/test_load_libyaml.py): libyaml takes some
#: tabs ("a: b\t"), tags ("!+"), reserved indicators (@ `), comments glued to a block scalar's
#: header ("|#") and "?" in flow collections that PyYAML refuses, and it may count lines apart
#: at breaks other than LF and CR (and a BOM). Such text is read by PyYAML's loader alone.
_SLOW_ONLY = re.compile("[\\t!\\x85\\u2028\\u2029\\ufeff]|[|>][-+0-9]*#")
_FLOW = re.compile(r"[\[{]")


def _compose_fast(text: str) -> yaml.Node | None | bool:
    """Return the node tree of `text` read with libyaml, or False when `_Loader` must read it.

    False for anything found wrong: `_Loader` then reports it the way reegen always has.
    tests/spec/test_load_libyaml.py checks that the two read alike whatever both accept.
    """
    loaders = _yaml()
    fast = loaders.FastLoader
    if fast is None or _SLOW_ONLY.search(text) or ("?" in text and _FLOW.search(text)):
        return False
    if loaders.CComposer is not None and "&" not in text and "*" not in text:
        fast = loaders.CComposer  # no anchor or alias to refuse: libyaml composes too (most front matter)
    try:
        loader = fast(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except Exception:  # noqa: BLE001 - any doubt goes to the loader whose errors name what and where
        return False


def parse_yaml(text: str, path: str, *, line_offset: int = 0, cache: CacheTable | None = None) -> object:
    """Return the data of YAML `text` read from `path` (lines shifted by `line_offset`).

    With `cache`, text read before is not parsed again (nor PyYAML imported): its data,
    line numbers included, comes back from the table. Only YAML that loads is kept,
    so every problem is always found by the parser itself.

    Raises `SpecError` with a location for invalid YAML and for the refused features.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise SpecError(f"YAML document is larger than {MAX_BYTES // 1_000_000} MB", Location(path, line_offset + 1), code="yaml.too-large")
    key = None
    if cache is not None:
        key = digest(str(line_offset), text)  # the code that parsed it: the cache stamp (`reegen.cache`)
        stored = cache.get(key)
        if stored is not None:
            try:
                return _thaw(json.loads(stored))
            except (ValueError, TypeError, KeyError, IndexError, RecursionError):
                pass  # a damaged row: parse the text
    node = _compose_fast(text)
    if node is False:
        node = _compose_slow(text, path, line_offset)
    data = None if node is None else _build(node, path, line_offset, 0, _is_clean(text))
    if key is not None:
        cache.put(key, json.dumps(_freeze(data), ensure_ascii=False, separators=(",", ":")))
    return data


def _freeze(data: object) -> object:
    """Return loaded YAML as JSON-ready data that keeps its line numbers (see `_thaw`)."""
    if isinstance(data, YamlMap):
        return {"m": data.line, "k": [[k, data.key_lines[k], _freeze(v)] for k, v in data.items()]}
    if isinstance(data, YamlList):
        return {"l": data.line, "i": [[line, _freeze(v)] for line, v in zip(data.item_lines, data)]}
    return data


def _thaw(data: object) -> object:
    """Return what `_freeze` was given; raise ValueError (or a lookup error) for anything else."""
    if data is None or type(data) is str:
        return data
    if type(data) is not dict:
        raise ValueError("not frozen YAML")
    if "m" in data:
        out = YamlMap()
        out.line, out.key_lines = int(data["m"]), {}
        for key, line, value in data["k"]:
            if type(key) is not str:
                raise ValueError("not frozen YAML")
            out.key_lines[key] = int(line)
            out[key] = _thaw(value)
        return out
    items = YamlList()
    items.line, items.item_lines = int(data["l"]), []
    for line, value in data["i"]:
        items.item_lines.append(int(line))
        items.append(_thaw(value))
    return items


def _compose_slow(text: str, path: str, line_offset: int) -> yaml.Node | None:
    """Return PyYAML's own node tree of `text`, refusing anchors and aliases, or raise `SpecError`."""
    yaml = _yaml().yaml
    try:
        loader = _yaml().Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, line_offset) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {exc}", Location(path, line_offset + 1), code="yaml.syntax") from None
    except RecursionError:
        raise SpecError("YAML is nested too deeply", Location(path, line_offset + 1), code="yaml.too-deep") from None
    return node


#: what PyYAML was reading when it failed, for errors found only where it gave up: an unclosed
#: bracket or quote, a key without its colon. The user's mistake is where that construct opened.
_OPENED_AT = ("while parsing a flow", "while scanning a quoted", "while scanning a simple key",
              "while scanning a block scalar")


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, line_offset: int) -> SpecError:
    """Return PyYAML's error as a `SpecError` located at the line the user wrote.

    For an unclosed `[`, `{` or quote PyYAML reports where it gave up, often lines below;
    its `context_mark` says where the construct opened, which is where the fix goes.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    context = exc.context or ""
    opened = exc.context_mark if context.startswith(_OPENED_AT) else None
    if opened is not None and exc.problem_mark is not None and opened.line != exc.problem_mark.line:
        gave_up = exc.problem_mark.line + 1 + line_offset
        problem += f" ({context.removeprefix('while ')} that starts here; the parser stopped at line {gave_up})"
        mark = opened
    where = Location(path, mark.line + 1 + line_offset, mark.column + 1) if mark else Location(path)
    return SpecError(f"invalid YAML: {problem}", where, code="yaml.syntax")


def _is_clean(text: str) -> bool:
    """Return whether no scalar of YAML `text` can hold a character `_scalar` refuses.

    A scalar's value is made of the text's own characters, spaces and line feeds, and
    what an escape (`\\x0b`) stands for: text with no backslash and no refused character
    needs no search scalar by scalar (two searches for each of a corpus's millions).
    """
    from ..text import BIDI_CONTROLS

    return "\\" not in text and not _FORBIDDEN.search(text) and not BIDI_CONTROLS.search(text)


def _build(node: yaml.Node, path: str, offset: int, depth: int, clean: bool = False) -> object:
    """Return the data of `node`; `clean` says no scalar needs its characters checked (`_is_clean`)."""
    # Node kinds by their `id`, not isinstance: this runs for every node, and needs no PyYAML lookup.
    line = node.start_mark.line + 1 + offset
    if depth > MAX_DEPTH:
        raise SpecError(f"YAML is nested more than {MAX_DEPTH} levels deep", Location(path, line), code="yaml.too-deep")
    if node.tag not in _STANDARD_TAGS:
        raise SpecError(f"YAML tag '{node.tag}' is not allowed", Location(path, line), code="yaml.tag")
    if node.id == "mapping":
        out = YamlMap()
        out.line = line
        out.key_lines = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if key_node.id != "scalar":
                raise SpecError("a mapping key must be a plain value", Location(path, key_line), code="yaml.key")
            key = _scalar(key_node, path, offset, clean)
            key = "" if key is None else key
            if key in out:
                raise SpecError(
                    f"duplicate key '{key}' (first at line {out.key_lines[key]})",
                    Location(path, key_line),
                    code="yaml.duplicate-key",
                )
            out.key_lines[key] = key_line
            out[key] = _build(value_node, path, offset, depth + 1, clean)
        return out
    if node.id == "sequence":
        items = YamlList()
        items.line = line
        items.item_lines = []
        for item in node.value:
            items.item_lines.append(item.start_mark.line + 1 + offset)
            items.append(_build(item, path, offset, depth + 1, clean))
        return items
    return _scalar(node, path, offset, clean)


def _scalar(node: yaml.ScalarNode, path: str = "", offset: int = 0, clean: bool = False) -> str | None:
    # Only an unquoted null-looking value is None; everything else stays the text the user wrote.
    # A plain scalar's style is None from PyYAML's composer and "" from libyaml's.
    if not node.style and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    if clean:
        return node.value
    bad = _FORBIDDEN.search(node.value)
    if bad:
        # Escapes such as "\x0b" or "\ud800" decode to characters no document may hold.
        raise SpecError(f"a value holds U+{ord(bad.group(0)):04X}, which no document may contain (from an escape?)",
                        Location(path, node.start_mark.line + 1 + offset, node.start_mark.column + 1),
                        code="yaml.character")
    from ..text import BIDI_CONTROLS

    bad = BIDI_CONTROLS.search(node.value)
    if bad:
        raise SpecError(f"a value holds U+{ord(bad.group(0)):04X}, a bidirectional control that would make the text "
                        "read differently in the PDF, DOCX and HTML",
                        Location(path, node.start_mark.line + 1 + offset, node.start_mark.column + 1),
                        hint="remove it; mark direction with U+200E or U+200F if you must", code="yaml.character")
    return node.value


def load_yaml(path: str) -> object:
    """Return the data of the YAML file at `path`; raises `SpecError` when unreadable or invalid."""
    return parse_yaml(read_text(path), path)


# Files are read the same way wherever they come from; kept importable from here for the spec's callers.
from ..text import bad_utf8, read_text  # noqa: E402,F401
