"""Machine-readable output: the envelope every JSON output shares, and the JSON Schema of each.

Each JSON document reegen prints or writes (`validate --format json`, `figures --json`,
`list --json`, `show --json`, the build manifest) is one object whose first two keys say
what it is and in which version of its format: `{"format": "reegen.validate",
"format_version": 1, ...}`. A version changes only when a field is removed or changes
meaning; new fields may appear in any version. The schema of each is shipped in
`reegen/data/schemas/NAME.schema.json`.
"""

from __future__ import annotations

#: the version of every JSON format below; raised when a field is removed or changes meaning
FORMAT_VERSION = 1

#: format name -> the schema file describing it (in reegen/data/schemas)
FORMATS = {
    "reegen.validate": "validate.schema.json",
    "reegen.figures": "figures.schema.json",
    "reegen.list": "list.schema.json",
    "reegen.show": "show.schema.json",
    "reegen.manifest": "manifest.schema.json",
}


def envelope(kind: str, **fields) -> dict:
    """Return a JSON-ready mapping of `fields` headed by the format `kind` and its version."""
    if kind not in FORMATS:
        raise ValueError(f"unknown JSON format '{kind}'")
    return {"format": kind, "format_version": FORMAT_VERSION, **fields}


def load_schema(kind: str) -> dict:
    """Return the JSON Schema of format `kind` (such as 'reegen.validate'), as shipped with reegen."""
    import json
    from importlib import resources

    text = resources.files("reegen").joinpath("data", "schemas", FORMATS[kind]).read_text(encoding="utf-8")
    return json.loads(text)
