"""Transforms: each takes a `Document` and returns a new one (pandoc's Document -> Document)."""

from .attribution import Attribution, attribute
from .caveats import add_caveats, collect_caveats, label_of, overview, pool_basis, source_mix
from .figures import FigurePlan, FigureRow, key_figures_blocks, named_articles, plan_figures
from .sources_list import add_sources_list
from .tables import fit_tables

__all__ = ["Attribution", "attribute", "add_caveats", "collect_caveats", "label_of", "overview", "pool_basis", "source_mix",
           "add_sources_list", "FigurePlan", "FigureRow", "key_figures_blocks", "named_articles", "plan_figures", "fit_tables"]
