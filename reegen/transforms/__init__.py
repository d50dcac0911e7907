"""Transforms: each takes a `Document` and returns a new one (pandoc's Document -> Document)."""

from .attribution import Attribution, attribute
from .caveats import add_caveats, collect_caveats
from .sources_list import add_sources_list

__all__ = ["Attribution", "attribute", "add_caveats", "collect_caveats", "add_sources_list"]
