"""Choose the articles of a brief (the pool) and the material of each section."""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Article, Corpus, Section
from .errors import Location, Report, did_you_mean
from .text import query_terms
from .spec import BriefSpec, SectionSpec, SelectSpec


@dataclass(frozen=True, slots=True)
class Material:
    """One article section feeding a brief section."""

    article: Article
    section: Section


@dataclass(frozen=True, slots=True)
class SectionPlan:
    """A brief section and, for `from:` sections, the material it draws on in order."""

    spec: SectionSpec
    material: tuple[Material, ...] = ()


@dataclass(frozen=True, slots=True)
class Selection:
    """What a brief is made of: the article pool in order and each section's plan."""

    pool: tuple[Article, ...]
    sections: tuple[SectionPlan, ...]


def select(spec: BriefSpec, corpus: Corpus, report: Report, *, strict: bool = False,
           pool: tuple[Article, ...] | None = None) -> Selection:
    """Return the `Selection` for `spec` over `corpus`, recording problems in `report`.

    `pool` is `select_pool`'s answer when at hand. Each section's material is taken from the
    articles' sections, so the articles it names must have been through the parse stage
    (`reegen.parse`). An unknown section is an error with a "did you mean".
    """
    if pool is None:
        pool = select_pool(spec, corpus, report, strict=strict)
    # The pool's records as the corpus holds them now: parsed since `select_pool` chose them.
    articles = tuple(corpus.get(a.id) or a for a in pool)
    plans = tuple(_plan(section, articles, corpus, spec, report) for section in spec.sections)
    return Selection(articles, plans)


def select_pool(spec: BriefSpec, corpus: Corpus, report: Report, *, strict: bool = False) -> tuple[Article, ...]:
    """Return the brief's pool: the articles `spec` lists or selects, in order, from their front matter alone.

    An unknown article id is an error with a "did you mean"; a `select:` matching nothing
    is a warning (an error with `strict`). An article chosen twice stays at its first place.
    """
    pool: dict[str, Article] = {}
    for ref in spec.articles:
        where = Location(spec.path, ref.line)
        if ref.id is not None:
            article = _article(corpus, ref.id, where, report)
            if article is not None:
                pool.setdefault(article.id, article)
        elif ref.select is not None:
            found = query(corpus, ref.select)
            if not found:
                msg = "select: matches no article"
                (report.error if strict else report.warning)(msg, "spec.empty-selection", where)
            for article in found:
                pool.setdefault(article.id, article)
    return tuple(pool.values())


def drawn_ids(spec: BriefSpec, pool: tuple[Article, ...]) -> tuple[str, ...]:
    """Return the ids of the articles whose sections `select` reads: the pool's, then those `from:` items name."""
    named = (item.article_id for section in spec.sections for item in section.from_ if item.article_id)
    return tuple(dict.fromkeys([*(a.id for a in pool), *named]))


def query(corpus: Corpus, q: SelectSpec) -> list[Article]:
    """Return the articles of `corpus` matching `q`, newest first (oldest with order: oldest)."""
    test = matcher(q)
    # An indexed corpus tests its rows' columns and makes no article until it is chosen (see `IndexedArticles`).
    indexed = getattr(corpus.articles, "matching", None)
    found = corpus.articles.chosen(q) if indexed is not None else None
    if found is not None:
        return [corpus.articles[a.id] for a in found]
    found = indexed(test) if indexed is not None else [article for article in corpus if test(article)]
    # Undated articles sort last either way; ties keep file order.
    if q.order == "oldest":
        found.sort(key=lambda a: (a.published is None, a.published or 0))
    else:
        found.sort(key=lambda a: (a.published is None, -(a.published.toordinal() if a.published else 0)))
    if q.limit:
        found = found[: q.limit]
    return [corpus.articles[a.id] for a in found] if indexed is not None else found


def matcher(q: SelectSpec):
    """Return a predicate telling whether an article passes `q`'s filters (its `limit` aside)."""
    terms = query_terms(q.query) if q.query else []
    want_tags = {t.lower() for t in q.tags}
    any_tags = {t.lower() for t in q.any_tags}
    publisher = q.publisher.casefold() if q.publisher else None

    def test(article: Article) -> bool:
        tags = set(article.tags)
        if want_tags and not want_tags <= tags:
            return False
        if any_tags and not any_tags & tags:
            return False
        if q.since and (article.published is None or article.published < q.since):
            return False
        if q.until and (article.published is None or article.published > q.until):
            return False
        if publisher and (article.publisher or "").casefold() != publisher:
            return False
        return not terms or all(t in article.search_text for t in terms)

    return test


def _article(corpus: Corpus, article_id: str, where: Location, report: Report) -> Article | None:
    """Return the article `article_id`, or None after reporting it unknown (with a suggestion)."""
    article = corpus.get(article_id)
    if article is None:
        hint = did_you_mean(article_id, corpus.articles)
        report.error(f"unknown article '{article_id}'" + (f"; {hint}" if hint else ""), "spec.unknown-article", where)
    return article


def _plan(section: SectionSpec, pool: tuple[Article, ...], corpus: Corpus, spec: BriefSpec, report: Report) -> SectionPlan:
    material: list[Material] = []
    for item in section.from_:
        where = Location(spec.path, item.line)
        if item.article_id is not None:
            article = _article(corpus, item.article_id, where, report)
            if article is None:
                continue
            found = article.section(item.section)
            if found is None:
                hint = did_you_mean(item.section, article.slugs)
                report.error(f"article '{article.id}' has no section '{item.section}'"
                             + (f"; {hint}" if hint else f" (it has: {', '.join(article.slugs)})"),
                             "spec.unknown-section", where)
                continue
            if article.id not in {a.id for a in pool}:
                report.warning(f"article '{article.id}' is not in the brief's articles list; it is cited all the same",
                               "spec.outside-pool", where)
            material.append(Material(article, found))
        else:
            found = [Material(a, s) for a in pool if (s := a.section(item.section)) is not None]
            hits = [m for m in found if m.section.blocks]
            if found and not hits:
                report.warning(f"section '{item.section}' is empty in every article of the pool", "spec.empty-section", where)
            elif not hits and pool:
                known = sorted({slug for a in pool for slug in a.slugs})
                hint = did_you_mean(item.section, known)
                report.warning(f"no article in the pool has a section '{item.section}'" + (f"; {hint}" if hint else ""),
                               "spec.unknown-section", where)
            material.extend(hits)
    return SectionPlan(section, tuple(material))
