"""The bundled sources registry, as ingesting reads it: which outlets it knows, and their kind."""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def _registry():
    from ..corpus import load_registry
    from ..errors import Report

    return load_registry(None, Report())


def registry_kind(name: str) -> str | None:
    """Return the bundled sources registry's kind for outlet `name`, or None when unknown."""
    info = _registry().lookup(name)
    return info.kind if info and info.kind != "unknown" else None
