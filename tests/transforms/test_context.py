"""The transforms as a pipeline: each is Document -> Document, sharing what they work out through the build context."""

from __future__ import annotations

import datetime as dt
import inspect

from reegen.corpus import Corpus, load_registry, parse_article
from reegen.errors import Report
from reegen.model import Document, Meta, Paragraph, SourceRef, SourcesList, Text
from reegen.spec import parse_yaml
from reegen.spec.schema import parse_spec
from reegen.transforms import TRANSFORMS, BuildContext, FigurePlan
from tests.conftest import article_text


def context(report: Report) -> BuildContext:
    article = parse_article(article_text("a", publisher="Xinhua"), "articles/a.md", report)
    spec = parse_spec(parse_yaml("title: T\narticles: [a]\nsections: [{title: S, from: lead}]\n", "briefs/x.yaml"),
                      "briefs/x.yaml", "x", report)
    return BuildContext(spec, Corpus({"a": article}), load_registry(None, report), report, dt.date(2025, 8, 1),
                        FigurePlan())


def test_every_transform_takes_a_document_and_the_context_and_nothing_else():
    for transform in TRANSFORMS:
        parameters = list(inspect.signature(transform).parameters.values())
        assert [p.name for p in parameters[:2]] == ["document", "context"], transform.__name__
        assert all(p.default is not inspect.Parameter.empty for p in parameters[2:]), transform.__name__


def test_the_pipeline_numbers_the_sources_and_later_transforms_read_the_numbers_from_the_context():
    report = Report()
    shared = context(report)
    document = Document(Meta("T"), (Paragraph((Text("Output rose."),), SourceRef("a", "lead", 8, "articles/a.md")),))
    for transform in TRANSFORMS:
        document = transform(document, shared)
        assert isinstance(document, Document), transform.__name__
    assert shared.attribution.articles == {"a": 1}
    assert [e.article_id for e in document.sources] == ["a"]
    assert isinstance(document.blocks[-1], SourcesList)
    # The caveats, added after numbering, name the state-affiliated publisher by its number.
    assert any(c.numbers == (1,) for c in document.caveats), document.caveats
    assert not report.errors
