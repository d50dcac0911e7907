"""A JSON Schema of brief specs, for editors (yaml-language-server) to complete and check them.

Built from the same key lists and choices the validator uses, so the two cannot drift.
"""

from __future__ import annotations

from . import schema as s

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "ISO date, e.g. 2025-07-20"}
_TEXT = {"type": "string"}
_TEXTS = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
_COUNT = {"type": "integer", "minimum": 1}

_DESCRIPTIONS = {
    "title": "The brief's title (required).",
    "subtitle": "A line under the title.",
    "audience": "Who the brief is for.",
    "author": "Who wrote it.",
    "date": "The brief's date; default today (SOURCE_DATE_EPOCH respected).",
    "classification": "Printed in the title block and on every page.",
    "language": "The language of the brief's text, a BCP 47 tag such as en, en-GB or zh-Hans; default en. "
                "Written into the PDF, DOCX and HTML for screen readers.",
    "template": "A template folder: the project's templates/NAME, else reegen's bundled one.",
    "formats": "Output formats; default pdf, docx.",
    "output": "Output path stem inside the project; default output/<spec stem>.",
    "page_size": "Paper size.",
    "articles": "The pool, in order: article ids or select: queries.",
    "judgements": "The analyst's bottom line, printed first as Key judgements (executive template): "
                  "Markdown statements citing articles as [@article-id].",
    "sections": "The brief's sections, in order.",
    "caveats": "The Verification caveats section.",
    "verification": "The analyst's ledger, keyed by figure id (see `reegen figures`).",
}


def brief_schema() -> dict:
    """Return the JSON Schema (draft 2020-12) of a brief spec."""
    select = {
        "type": "object", "additionalProperties": False,
        "properties": {
            "tags": _TEXTS, "any_tags": _TEXTS, "since": _DATE, "until": _DATE, "query": _TEXT,
            "publisher": _TEXT, "limit": _COUNT, "order": {"enum": ["newest", "oldest"]},
        },
    }
    assert set(select["properties"]) == set(s._SELECT_KEYS)
    section = {
        "type": "object", "additionalProperties": False, "required": ["title"],
        "properties": {
            "title": _TEXT,
            "from": {**_TEXTS, "description": "A section slug (every pool article) or article-id#slug items."},
            "figures": {"oneOf": [{"const": "auto"}, {"type": "array", "items": {"type": "string"}}]},
            "text": {"type": "string", "description": "Markdown with Jinja; cite as [@article-id]."},
            "template": {"type": "string", "description": "A file in the template folder."},
            "max_items": _COUNT, "max_words": _COUNT, "subheadings": {"type": "boolean"},
            "per_source": {"type": "integer", "minimum": 0,
                           "description": "At most this many items from each article (0: no limit); "
                                          "default 1 for a section drawn from every article's highlights."},
        },
        "oneOf": [{"required": [k]} for k in ("from", "figures", "text", "template")],
    }
    assert set(section["properties"]) == set(s._SECTION_KEYS)
    caveats = {
        "type": "object", "additionalProperties": False,
        "properties": {"auto": {"type": "boolean"}, "extra": _TEXTS, "stale_after_days": _COUNT,
                       "require_verified": {"type": "boolean"}, "form": {"enum": ["table", "list"]}},
    }
    assert set(caveats["properties"]) == set(s._CAVEAT_KEYS)
    ledger_entry = {
        "oneOf": [
            {"enum": list(s.STATUSES)},
            {"type": "object", "additionalProperties": False, "required": ["status"],
             "properties": {"status": {"enum": list(s.STATUSES)}, "note": _TEXT,
                            "grade": {"type": "string", "pattern": "^[A-F][1-6]?$",
                                      "description": "Admiralty grade, e.g. B2"}}},
        ]
    }
    properties = {
        "title": _TEXT, "subtitle": _TEXT, "audience": _TEXT, "author": _TEXT, "date": _DATE,
        "classification": _TEXT, "language": {"type": "string", "pattern": s.LANGUAGE_TAG},
        "template": _TEXT,
        "formats": {"type": "array", "items": {"enum": list(s.FORMATS)}, "uniqueItems": True},
        "output": _TEXT, "page_size": {"enum": list(s.PAGE_SIZES)},
        "articles": {"type": "array", "items": {"oneOf": [
            {"type": "string", "description": "an article id"},
            {"type": "object", "additionalProperties": False, "required": ["select"], "properties": {"select": select}},
        ]}},
        "judgements": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "sections": {"type": "array", "items": section},
        "caveats": caveats,
        "verification": {"type": "object", "additionalProperties": ledger_entry},
    }
    assert set(properties) == set(s._TOP_KEYS)
    for key, text in _DESCRIPTIONS.items():
        properties[key] = {**properties[key], "description": text}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://reegen.invalid/schema/brief.json",
        "title": "reegen brief spec",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "articles", "sections"],
        "properties": properties,
    }
