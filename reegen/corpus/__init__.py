"""The corpus: every article of a project, keyed by id."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, Location, Report
from .article import Article, Origin, Reference, Section
from .bodies import BodyCache, decode, encode
from ..cache import CACHE_FILE
from . import _parallel
from ._parallel import Prefetch, prefetch
from .index import CorpusIndex, IndexedArticles, by_name, encode_parse, listing_key
from .parse import SOURCE_KINDS, load_article, parse_article, parse_sections, read_article
from .sources import FLAGGED_KINDS, SourceInfo, SourceRegistry, describe_kind, load_registry

__all__ = ["Article", "BodyCache", "Corpus", "FLAGGED_KINDS", "Origin", "Reference", "Section", "SOURCE_KINDS",
           "SourceInfo", "SourceRegistry", "decode", "describe_kind", "encode", "load_article", "load_corpus",
           "load_registry", "parse_article", "parse_sections"]


@dataclass(frozen=True, slots=True)
class Corpus:
    """Every readable article of a project, in file-name order, keyed by id."""

    articles: dict
    #: files that could not be used: display path -> the id they would have had (their stem, or the duplicated id)
    failed: dict = field(default_factory=dict)
    #: the parsed-body cache of the parse stage (None: no cache); `save_cache` writes it
    bodies: BodyCache | None = field(default=None, compare=False, repr=False)

    def get(self, article_id: str) -> Article | None:
        """Return the article with `article_id`, or None."""
        return self.articles.get(article_id)

    def __iter__(self):
        return iter(self.articles.values())

    def __len__(self) -> int:
        return len(self.articles)

    def save_cache(self) -> None:
        """Store the bodies parsed since loading (and their figures) for the next run."""
        if self.bodies is not None:
            self.bodies.save()


def load_corpus(folder: str | os.PathLike, report: Report, *, root: str | os.PathLike | None = None,
                cache: bool = True, listed: str | None = None) -> Corpus:
    """Return the corpus of every `*.md` file in `folder`; problems go to `report`.

    Paths in diagnostics are relative to `root` (the project root) when given.
    A duplicate id is an error naming both files. `listed` is a listing key of the
    folder taken by the caller moments before (`refresh`, in the same build): the
    corpus is then the one that listing found, without listing every file again.
    """
    folder = Path(folder)
    articles: dict[str, Article] = {}
    failed: dict[str, str] = {}
    if not folder.is_dir():
        report.error("articles folder not found", "project.no-articles", Location(_show(folder, root)))
        return Corpus(articles, failed)
    boundary = Path(root if root is not None else folder).resolve()
    if not folder.resolve().is_relative_to(boundary):
        report.error("articles folder is a link to outside the project; articles are read from inside it only",
                     "project.articles-outside", Location(_show(folder, root)))
        return Corpus(articles, failed)
    index = CorpusIndex(boundary / CACHE_FILE) if cache and root is not None else None
    prefix = _show(folder, root)
    usable = index is not None and index.open(facts=False)
    if usable:
        # The short way: the folder listed as when the last load took every file from a fresh row.
        if listed is None:
            listed = (index.listed_now(folder, prefix) or (None,))[0]
        known = index.listing(listed) if listed is not None else None
        if known is not None:
            corpus = _from_listing(known, report, index)
            if corpus is not None:
                return corpus
    # scandir and plain strings: with thousands of articles, Path sorting and relpath cost more than parsing.
    entries = [e for e in os.scandir(folder) if e.name.endswith(".md")]
    # The listing this load may keep: of these entries' own facts (each `stat` is cached in its entry).
    listed = listing_key(entries, prefix) if usable else None
    entries.sort(key=by_name)
    usable = usable and index.read_facts()
    bodies = BodyCache(index.db_path) if usable else None
    if usable:
        articles = IndexedArticles(index.db_path)
    present: set[str] = set()
    # Whether every file came from a fresh row, and where this load's problems begin in `report`.
    from_rows, first = True, len(report.diagnostics)
    # Files with no row (all of them, the first time) are read and parsed by workers when there are many.
    parsed = prefetch(_unindexed(entries, prefix, index if usable else None), encode=encode_parse if usable else None)
    for entry in entries:
        shown = f"{prefix}/{entry.name}" if prefix not in ("", ".") else entry.name
        present.add(shown)
        if entry.is_symlink() and boundary not in Path(entry.path).resolve().parents:
            report.error("article file is a link to outside the project", "article.outside", Location(shown, 1))
            failed[shown] = entry.name[:-3]
            continue
        if not entry.is_file():
            continue
        if usable and _indexed(entry, shown, report, index, articles, failed):
            continue
        from_rows = False
        article = _load(entry, shown, report, index if usable else None, parsed)
        if article is None:
            failed[shown] = entry.name[:-3]
            continue
        if article.id in articles:
            first = articles[article.id]
            report.error(f"duplicate article id '{article.id}' (also in {first.path})", "article.duplicate-id",
                         Location(shown, article.key_lines.get("id", 1)))
            failed[shown] = article.id
            continue
        if usable and shown in index.stored:
            # Made again from its row when asked for: a first load of a large corpus holds no article.
            articles.add_row(article.id, shown, entry.stat())
            if len(index.pending) >= 1000:
                index.flush()
        elif usable:
            articles.add(article)
        else:
            articles[article.id] = article
    parsed.close()
    if usable:
        if index.dropped:
            report.warning(f"{index.dropped} row(s) of the corpus cache could not be read; those articles were "
                           "parsed again and the rows replaced", "cache.unreadable", Location(str(CACHE_FILE)))
        if (listed is not None and listed[1] and from_rows and not index.dropped and not index.touched
                and index.rows.keys() <= present):
            index.keep_listing(listed[0], {"count": len(articles.rows), "failed": failed,
                                           "diagnostics": [d.to_dict() for d in report.diagnostics[first:]]},
                               [[k, *v] for k, v in articles.rows.items()])
        index.save(present)
        bodies.present = present
    return Corpus(articles, failed, bodies)


def _from_listing(known: tuple[dict, str], report: Report, index: CorpusIndex) -> Corpus | None:
    """Return the corpus an earlier load of the same listing found, from what it kept; None when unreadable.

    Its articles' rows stay JSON until something needs them all: a `select:` with a
    `limit` does not (`IndexedArticles.chosen`).
    """
    outcome, rows_text = known
    try:
        articles = IndexedArticles(index.db_path, rows_text=rows_text, count=int(outcome["count"]))
        failed = dict(outcome["failed"])
        diagnostics = [Diagnostic.from_dict(d) for d in outcome["diagnostics"]]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None
    report.extend(diagnostics)
    index.close()
    # No pruning of parsed bodies: the load that kept this listing pruned them, and a body is keyed by its
    # text, so one left by a file since removed is never read for another (the next full load removes it).
    return Corpus(articles, failed, BodyCache(index.db_path))


def _indexed(entry: os.DirEntry, shown: str, report: Report, index: CorpusIndex, articles: IndexedArticles,
             failed: dict) -> bool:
    """Hold the article of `entry` by its index row, without making it; False when the row is stale."""
    try:
        stat = entry.stat()
    except OSError:
        return False
    found = index.fresh_row(shown, stat)
    if found is None:
        return False
    article_id, diagnostics = found
    report.extend(diagnostics)
    if article_id is None:
        failed[shown] = entry.name[:-3]
    elif article_id in articles:
        line = index.id_line(shown)
        report.error(f"duplicate article id '{article_id}' (also in {articles[article_id].path})",
                     "article.duplicate-id", Location(shown, line))
        failed[shown] = article_id
    else:
        articles.add_row(article_id, shown, stat)
    return True


def _unindexed(entries: list[os.DirEntry], prefix: str, index: "CorpusIndex | None") -> list[tuple[str, str]]:
    """Return (path, display path) of the regular files of `entries` that `index` has no row for (all without one).

    What a load will surely parse, in its order (links are left to it: they are checked one by one).
    Empty when fewer than `PARALLEL_MIN` of them can lack a row (workers would not start): a
    warm load of 100,000 files saves the 0.1-0.2 s of looking.
    """
    if len(entries) - (len(index.rows) if index is not None else 0) < _parallel.PARALLEL_MIN:
        return []
    jobs = []
    for entry in entries:
        shown = f"{prefix}/{entry.name}" if prefix not in ("", ".") else entry.name
        try:
            if entry.is_symlink() or not entry.is_file():
                continue
        except OSError:
            continue
        if index is None or index.row(shown) is None:
            jobs.append((entry.path, shown))
    return jobs


def _load(entry: os.DirEntry, shown: str, report: Report, index: "CorpusIndex | None",
          parsed: "Prefetch | None" = None) -> Article | None:
    """Return the article `entry`, from the index when the file is unchanged since it was parsed.

    `parsed` holds what workers made of the files the index has no row for.
    """
    path = entry.path
    done = parsed.take(path) if parsed is not None else None
    if index is None:
        if done is not None:
            report.extend(done[1])
            return done[0]
        return load_article(path, report, display_path=shown)
    try:
        stat = entry.stat()
    except OSError:
        return load_article(path, report, display_path=shown)
    cached = index.lookup(shown, stat) if done is None else None
    if cached is not None:
        article, diagnostics = cached
        report.extend(diagnostics)
        return article
    if done is None:
        own, read_ns = Report(), time.time_ns()
        article, sha = read_article(path, own, display_path=shown)
        done = (article, own.diagnostics, sha, read_ns, None)
    article, diagnostics, sha, read_ns, encoded = done
    report.extend(diagnostics)
    index.store(shown, stat, article, diagnostics, sha, read_ns, encoded)
    return article


def _show(path: Path, root: str | os.PathLike | None) -> str:
    if root is None:
        return str(path)
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)
