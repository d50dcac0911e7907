"""The JSON writer: the whole document model, for tools that want structure rather than layout.

Every dataclass becomes an object whose `"type"` names its class, next to its fields.
Keys are sorted and values are coerced to their declared types, so equal documents give
equal bytes (`1` and `1.0` are equal widths in Python, but not equal text in JSON).
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from functools import lru_cache
from typing import Any

from ..errors import RenderError
from ..model import Document
from . import WriteOptions

__all__ = ["JsonWriter", "to_data"]


class JsonWriter:
    """Writes a brief as its document model in JSON."""

    #: the format name, as in `-f json`
    name = "json"

    def write(self, document: Document, options: WriteOptions) -> bytes:
        """Return `document` as UTF-8 JSON: sorted keys, two-space indent, trailing newline.

        Raises `RenderError` for a number JSON cannot hold (NaN, infinity) or text that is
        not valid Unicode (a lone surrogate).
        """
        try:
            text = json.dumps(to_data(document), ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
            return (text + "\n").encode("utf-8")
        except ValueError as exc:  # UnicodeEncodeError is a ValueError too
            raise RenderError(f"the document cannot be written as JSON: {exc}", code="render.json") from exc


def to_data(value: Any) -> Any:
    """Return `value` (a model dataclass, tuple or scalar) as plain JSON-ready data."""
    plan = _plan(type(value))
    if plan is not None:
        return _object(value, plan)
    return _coerce(value, None)


def _object(value: Any, plan: tuple) -> dict[str, Any]:
    name, fields = plan
    data: dict[str, Any] = {"type": name}
    for field, hint, item_hint in fields:
        item = getattr(value, field)
        kind = type(item)
        # The common cases first, as `_coerce` would answer them: text, and tuples of model objects.
        if kind is str:
            data[field] = item
        elif kind is tuple and item_hint is not None:
            data[field] = [_coerce(i, item_hint) for i in item]
        else:
            data[field] = _coerce(item, hint)
    return data


_PLANS: dict[type, tuple | None] = {}


def _plan(cls: type) -> tuple | None:
    """Return (class name, ((field, hint, item hint), ...)) of a dataclass, None for any other class."""
    try:
        return _PLANS[cls]
    except KeyError:
        pass
    plan = None
    if dataclasses.is_dataclass(cls):
        hints = _hints(cls)
        fields = []
        for f in dataclasses.fields(cls):
            if f.name == "type":
                raise RenderError(f"model class {cls.__name__} has a field named 'type'", code="render.json")
            hint = hints.get(f.name)
            fields.append((f.name, hint, _item_hint(hint)))
        plan = (cls.__name__, tuple(fields))
    _PLANS[cls] = plan
    return plan


def _coerce(value: Any, hint: Any) -> Any:
    """Return `value` as JSON data, as the declared type `hint` says it should print."""
    kind = type(value)
    if kind is str:
        return value
    plan = _plan(kind)
    if plan is not None:
        return _object(value, plan)
    if isinstance(value, (tuple, list)):
        item_hint = _item_hint(hint)
        return [_coerce(item, item_hint) for item in value]
    if isinstance(value, dict):
        return {str(k): _coerce(v, None) for k, v in value.items()}
    if value is None:
        return None
    if isinstance(value, str):
        return str(value)
    if not isinstance(value, (bool, int, float)):
        raise ValueError(f"a value of type {type(value).__name__} has no JSON form")
    if hint not in (bool, int, float):
        hint = type(value)
    if hint is bool:
        return bool(value)
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"'{value}' is not a finite number")
    if hint is int:
        if not number.is_integer():
            raise ValueError(f"'{value}' is not a whole number")
        return int(value)
    return number + 0.0  # -0.0 equals 0.0, so it must print the same


def _item_hint(hint: Any) -> Any:
    """Return the element type of `tuple[X, ...]`, or None."""
    if typing.get_origin(hint) in (tuple, list):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        if len(args) == 1:
            return args[0]
    return None


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    """Return the resolved field types of `cls`, with `X | None` reduced to `X`."""
    out: dict[str, Any] = {}
    for name, hint in typing.get_type_hints(cls).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
            hint = args[0]
        out[name] = hint
    return out
