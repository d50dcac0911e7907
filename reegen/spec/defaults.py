"""The `[defaults]` table of reegen.toml: spec values every brief of a project shares.

    [defaults]
    author = "Strategy desk"
    classification = "Internal — not for redistribution"
    caveats = { stale_after_days = 365 }

Each key is a top-level key of a brief spec. A spec's own value wins; `caveats` is merged
key by key (a spec's `caveats: {extra: [...]}` keeps the default `stale_after_days`).
The table is checked once, when the project is loaded, by the same schema as a spec, so
a wrong value is reported at its line in reegen.toml rather than in every brief.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..errors import Location, ProjectError, Report, config_location
from .load import YamlList, YamlMap

#: spec keys that name one brief, not a project: refused in [defaults]
PER_BRIEF = ("title", "subtitle", "date", "output", "articles", "judgements", "sections", "verification")
#: spec keys that reegen.toml sets in [project] already
IN_PROJECT = ("formats", "page_size")
#: spec keys merged key by key rather than replaced
MERGED = ("caveats",)


def allowed_keys() -> tuple[str, ...]:
    """Return the spec keys [defaults] accepts: every top-level spec key but those of one brief."""
    from .schema import _TOP_KEYS

    return tuple(k for k in _TOP_KEYS if k not in PER_BRIEF and k not in IN_PROJECT)


def load_defaults(table: object, config_path: Path) -> YamlMap:
    """Return the [defaults] table of reegen.toml as spec data (text values with their reegen.toml lines).

    Raises `BuildFailed` with every problem, each located in reegen.toml.
    """
    name = config_path.name
    if not isinstance(table, dict):
        raise ProjectError(f"'defaults' in {name} must be a table: [defaults]", Location(name),
                           code="config.defaults")
    report = Report()
    allowed = allowed_keys()
    for key in table:
        if key not in allowed:
            where = config_location(config_path, "defaults", key)
            if key in IN_PROJECT:
                report.error(f"'{key}' is a project setting: set it in [project], not [defaults]",
                             "config.defaults", where)
            else:
                why = "it belongs to one brief" if key in PER_BRIEF else "it is not a brief spec key"
                report.error(f"'{key}' cannot be a default ({why}); [defaults] takes {', '.join(allowed)}",
                             "config.defaults", where)
    data = _as_spec_data(table, config_path, "defaults", 1)
    for key in [k for k in data if k not in allowed]:
        del data[key]
    _check(data, name, report)
    report.diagnostics.sort(key=lambda d: (d.location.line or 0) if d.location else 0)
    report.raise_if_errors()
    return data


def merge_defaults(data: object, defaults: YamlMap | None) -> object:
    """Return spec `data` with `defaults` filled in where the spec has no value of its own.

    The spec's own keys keep their lines; a defaulted key has none in the spec (it is
    not in `key_lines`), so messages about it point at the spec's first line.
    """
    if not defaults or not isinstance(data, YamlMap):
        return data
    merged = _copy_map(data)
    for key, value in defaults.items():
        if key not in data:  # a key the spec writes, even empty (`author:`), is the spec's
            merged[key] = value
        elif key in MERGED and isinstance(data[key], YamlMap) and isinstance(value, YamlMap):
            inner = _copy_map(data[key])
            for k, v in value.items():
                if k not in inner:
                    inner[k] = v
            merged[key] = inner
    return merged


def _copy_map(data: YamlMap) -> YamlMap:
    out = YamlMap(data)
    out.line, out.key_lines = data.line, dict(data.key_lines)
    return out


def _as_spec_data(value: object, config_path: Path, table: str, line: int) -> object:
    """Return a TOML value as the loader's spec data: strings, YamlMap and YamlList, with lines."""
    if isinstance(value, dict):
        out = YamlMap()
        out.line, out.key_lines = line, {}
        for key, item in value.items():
            where = config_location(config_path, table, key).line or line
            out.key_lines[key] = where
            out[key] = _as_spec_data(item, config_path, f"{table}.{key}", where)
        return out
    if isinstance(value, list):
        items = YamlList()
        items.line, items.item_lines = line, []
        for item in value:
            items.item_lines.append(line)
            items.append(_as_spec_data(item, config_path, table, line))
        return items
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    return str(value)


def _check(data: YamlMap, name: str, report: Report) -> None:
    """Record in `report` what the spec schema finds wrong with the defaults, located in reegen.toml."""
    from .schema import parse_spec

    probe = _copy_map(data)
    # A brief needs a title, articles and sections; these stand in for them so only the defaults are judged.
    section = YamlMap(title="defaults", text="defaults")
    section.line, section.key_lines = 1, {"title": 1, "text": 1}
    probe["title"] = "defaults"
    probe["articles"], probe["sections"] = YamlList(["defaults"]), YamlList([section])
    for items in (probe["articles"], probe["sections"]):
        items.line, items.item_lines = 1, [1]
    found = Report()
    parse_spec(probe, name, "defaults", found)
    for diagnostic in found:
        if diagnostic.severity == "error":
            report.diagnostics.append(diagnostic)

