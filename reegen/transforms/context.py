"""What the transforms of one build share: its inputs, and what an earlier transform worked out.

A transform is a function `(Document, BuildContext) -> Document` (pandoc's Document ->
Document, with the build's data at hand instead of a list of arguments each). What one
transform works out for those after it (the sources' numbers, which `attribute` gives and
the caveats read) goes in the context, never in a second return value.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..corpus import Corpus, SourceRegistry
from ..errors import Report
from ..model import Document
from ..spec import BriefSpec
from .attribution import Attribution
from .figures import FigurePlan


@dataclass(slots=True)
class BuildContext:
    """The data the transforms of one brief share; `attribute` fills `attribution` and numbers `figures`."""

    spec: BriefSpec
    corpus: Corpus
    #: the sources registry (publisher -> kind) the caveats name kinds from
    registry: SourceRegistry
    #: where transforms record their problems
    report: Report
    #: the brief's date: how old a source is, as the caveats say it
    date: _dt.date
    #: the figures the brief carries (`plan_figures`); their sources' numbers once `attribute` has run
    figures: FigurePlan
    #: each cited source's number (empty until `attribute` runs)
    attribution: Attribution = field(default_factory=Attribution)


#: the shape of every transform
Transform = Callable[[Document, BuildContext], Document]
