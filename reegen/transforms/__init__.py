"""Transforms: each takes a `Document` and the build's `BuildContext` and returns a new `Document`."""

from .attribution import Attribution, attribute
from .caveats import add_caveats, collect_caveats, label_of, overview, pool_basis, source_mix
from .context import BuildContext, Transform
from .figures import FigurePlan, FigureRow, key_figures_blocks, named_articles, plan_figures
from .headings import MAX_HEADING_CHARS, cut_long_headings
from .sources_list import add_sources_list
from .tables import fit_tables

#: the transforms of a build, in order. Order matters: the caveats name sources by the numbers `attribute`
#: gives, the Sources list follows the caveats, and wide tables are split only once every cell holds its
#: final source numbers; headings are cut last, whatever made them.
TRANSFORMS: tuple[Transform, ...] = (attribute, add_caveats, add_sources_list, fit_tables, cut_long_headings)

__all__ = ["Attribution", "BuildContext", "MAX_HEADING_CHARS", "TRANSFORMS", "Transform", "attribute", "add_caveats",
           "collect_caveats", "cut_long_headings", "label_of", "overview", "pool_basis", "source_mix", "add_sources_list",
           "FigurePlan", "FigureRow", "key_figures_blocks", "named_articles", "plan_figures", "fit_tables"]
