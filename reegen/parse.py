"""The parse stage: the bodies of the articles a brief uses, read into sections and figures.

`load_corpus` reads each article's front matter only, which is all `select` needs to
choose a brief's pool. `parse_bodies` then reads the bodies of the articles the brief
draws on and returns the corpus with their `sections` and `figures` filled; the problems
found in those bodies go to the stage's `Report`, like any other stage's. Nothing parses
on the side: an `Article` is a plain record, and one whose body was not parsed says so
when asked for a section.

A body parsed once is kept in the project's body cache (`reegen.corpus.bodies`) with its
problems, so a later build reads it back, and reports the same problems, while the file is
unchanged. `encode` and `decode` turn parsed bodies (model blocks, sections, figures)
into JSON and back; other caches of model data use them through this module.
"""

from __future__ import annotations

import dataclasses
from collections import ChainMap
from collections.abc import Iterable

from .corpus import Article, BodyCache, Corpus, decode, encode, parse_sections
from .errors import Report
from .text import read_text, sanitize_text

__all__ = ["decode", "encode", "parse_bodies", "parse_body"]


def parse_bodies(corpus: Corpus, ids: Iterable[str], report: Report) -> Corpus:
    """Return `corpus` with the bodies of the articles `ids` parsed; their problems go to `report`.

    Ids the corpus does not hold are skipped (`select` has reported them); an article
    already parsed is kept as it is. The corpus's body cache supplies unchanged bodies.
    """
    articles = corpus.articles
    changed: dict[str, Article] = {}
    for article_id in dict.fromkeys(ids):
        article = articles.get(article_id)
        if article is not None and article.sections is None and article_id not in changed:
            changed[article_id] = parse_body(article, report, cache=corpus.bodies)
    if not changed:
        return corpus
    # Layered over the corpus's own mapping, not copied from it: a corpus may make its records only when
    # asked for them (from the index), and parsing a brief's few bodies must not make them all.
    return dataclasses.replace(corpus, articles=ChainMap(changed, articles))


def parse_body(article: Article, report: Report, *, cache: BodyCache | None = None) -> Article:
    """Return `article` with its body parsed into `sections` and its `figures` found; problems go to `report`.

    With a `cache`, a body parsed before (with the same text and the same parsing code) is
    read back from it with the problems found then, and a newly parsed one is stored in it.
    """
    lines = article.body_lines
    if lines is None:  # loaded from the corpus index: the body is still on disk
        text, _ = sanitize_text(read_text(article.file).removeprefix("\ufeff"))
        lines = tuple(text.split("\n")[article.body_start - 1:])
    key = cache.key(article.path, article.id, article.body_start, article.published, lines) if cache else None
    cached = cache.sections(article.path, key) if key is not None else None
    if cached is not None:
        sections, diagnostics = cached
        report.extend(diagnostics)
    else:
        found = Report()
        sections = parse_sections(list(lines), article.body_start, article.path, article.id, found)
        report.extend(found)
        if key is not None:
            cache.store_sections(article.path, key, sections, found.diagnostics)
    figures = cache.figures(article.path, key) if key is not None else None
    if figures is not None:
        return dataclasses.replace(article, sections=sections, figures=figures)
    # Imported only here: a build whose bodies all come from the cache never loads the figure finder.
    from .figures import extract_figures

    article = dataclasses.replace(article, sections=sections)
    figures = extract_figures(article)
    if key is not None:
        cache.store_figures(article.path, key, figures)
    return dataclasses.replace(article, figures=figures)
