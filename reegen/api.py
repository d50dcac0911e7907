"""The Python API: `build` and `validate`. The CLI is a thin layer over these."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, collector
from .cache import CACHE_FILE, CacheTable
from .compose import compose
from .corpus import Corpus, load_corpus, load_registry
from .incremental import fingerprint, is_up_to_date
from .machine import FORMAT_VERSION
from .formats import DEFAULT_PAGE_SIZE, FORMATS
from .errors import BuildFailed, Diagnostic, Location, collate, ProjectError, ReegenError, Report, SpecError
from .model import Document, plain_text
from .output import Staging, check_output_path, manifest_pieces, recover, sha256, source_date, today
from .project import Project, load_project
from .renders import RenderCache
from .parse import parse_bodies
from .select import drawn_ids, select, select_pool
from .spec import BriefSpec, load_spec
from .stale import previous_outputs, remove_stale
from .transforms import TRANSFORMS, BuildContext, FigurePlan, label_of, named_articles, plan_figures
from .writers import WriteOptions, check_settings, get_writer


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build made: the output files by format, the manifest, and its warnings."""

    spec: Path
    #: format name -> path written
    outputs: dict
    manifest: Path
    #: the brief as built (None when skipped as up to date)
    document: Document | None
    warnings: tuple[Diagnostic, ...] = ()
    #: True when the outputs were already up to date and nothing was written
    skipped: bool = False


@dataclass(slots=True)
class _Prepared:
    """Everything a build knows before it renders."""

    project: Project
    spec: BriefSpec
    document: Document
    report: Report
    inputs: dict = field(default_factory=dict)  # display path -> real path
    figures: FigurePlan = field(default_factory=FigurePlan)


def build(spec_path: str | os.PathLike, *, formats: list[str] | tuple[str, ...] | None = None,
          out_dir: str | os.PathLike | None = None, strict: bool = False, force: bool = False,
          progress: Callable[[str, int], None] | None = None) -> BuildResult:
    """Build the brief at `spec_path` and return what was written.

    `formats` overrides the spec's formats; `out_dir` puts the outputs in that folder;
    `strict` turns warnings into errors. Unless `force`, a brief whose inputs are unchanged
    since its manifest is not rebuilt (`BuildResult.skipped`). Raises `BuildFailed` (every
    problem found) or another `ReegenError`; on failure no output file is changed.
    `progress`, when given, is told how the build gets on, as `progress(stage, page)`:
    `("prepare", 0)` before the brief is composed, `(format, 0)` before each format is
    rendered, and `("pdf", n)` as the PDF's layout begins page n (a long brief's PDF is
    most of its time; on a reportlab outside the fast paths' range the brief is laid out
    again to learn its page total, and its pages are told again). A brief that is up to
    date tells it nothing.
    """
    with collector.paused():  # see `reegen.collector`: a build's objects all live until it ends
        return _build(Path(spec_path), formats, out_dir, strict, force, progress)


def _build(spec_path: Path, formats, out_dir, strict: bool, force: bool, progress=None) -> BuildResult:
    """`build`, once the collector is paused."""
    project, spec, spec_report = _load(spec_path, keep_going=True)
    if spec_report.has_errors():
        # Not built, but checked through every stage, so that one run shows every problem.
        _prepare(spec_path, strict=strict, loaded=(project, spec, spec_report))
        _stage_done(spec_report, strict=strict)
    formats = _formats(formats, spec, project)
    stem = _output_stem(spec, project, out_dir)
    targets = {fmt: stem.with_name(stem.name + get_suffix(fmt)) for fmt in formats}
    manifest_path = stem.with_name(stem.name + ".manifest.json")
    # A build of these outputs killed mid-commit is completed first, so what is on disk is one whole set.
    recover(manifest_path.parent, [p.name for p in (*targets.values(), manifest_path)])
    current = fingerprint(project, spec, formats, strict)
    if not force and is_up_to_date(manifest_path, current, project):
        return BuildResult(spec_path, targets, manifest_path, None, skipped=True)
    if progress is not None:
        progress("prepare", 0)
    # The corpus as the fingerprint just listed it, when that listing answers it (one visit of every file, not two).
    prepared = _prepare(spec_path, strict=strict, loaded=(project, spec, spec_report), listed=current.listed)
    document = prepared.document
    inputs = {p.resolve() for p in prepared.inputs.values()}
    for path in (*targets.values(), manifest_path):
        check_output_path(path, inputs)
    reference = project.config.get("reference_docx")
    options = WriteOptions(
        # One instant for every format, so PDF and DOCX metadata agree even without SOURCE_DATE_EPOCH.
        source_date=source_date() or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0),
        page_size=spec.page_size or project.config.get("page_size", DEFAULT_PAGE_SIZE),
        brand=project.brand,
        base_dir=project.root,
        reference_docx=project.root / reference if reference else None,
        report=prepared.report,
        progress=progress,
    )
    previous = previous_outputs(manifest_path, project.root)  # read before the new manifest replaces it
    # Each format is staged on disk as soon as it is rendered, and its bytes dropped before the next is
    # rendered; none replaces an earlier output until all are staged, so a failing writer changes nothing.
    rendered: dict[Path, tuple[str, int]] = dict.fromkeys(targets[fmt] for fmt in formats)  # path -> (SHA-256, size)
    with Staging() as staging:
        for i, fmt in enumerate(order := _render_order(formats)):
            writer = get_writer(fmt)
            if progress is not None:
                progress(fmt, 0)
            if hasattr(writer, "write_file"):  # writes its file itself (the PDF), never holding its bytes whole
                rendered[targets[fmt]] = staging.add_written(
                    targets[fmt], lambda out, writer=writer: writer.write_file(document, options, out))
            else:
                data = writer.write(document, options)
                staging.add(targets[fmt], data)
                rendered[targets[fmt]] = (sha256(data), len(data))
                del data
            if fmt == "docx" and i + 1 < len(order):
                _give_back_freed_memory()
        _stage_done(prepared.report, strict=strict)  # a writer's warnings (a character drawn as a placeholder)
        manifest = _manifest(prepared, formats, rendered, project)
        manifest["fingerprint"] = current
        staging.add(manifest_path, manifest_pieces(manifest))
        del manifest
        staging.commit()
    # Outputs of formats no longer asked for go with their old manifest entry (see `reegen.stale`).
    stale = remove_stale(previous, set(rendered), project.display)
    return BuildResult(spec_path, targets, manifest_path, document, (*prepared.report.warnings, *stale))


def _render_order(formats: tuple[str, ...]) -> list[str]:
    """Return `formats` in the order a build renders them: the DOCX first, the others as asked.

    python-docx's XML tree lives in C memory, which the PDF's Python objects cannot reuse
    once it is freed, and the PDF's freed objects stay in Python's own arenas, which the
    tree cannot use: rendered after the PDF, the DOCX's tree (about 70 MB for a 1,000-page
    brief) came on top of what the PDF left. Rendered first, its memory goes back to the
    system before the PDF is laid out (`_give_back_freed_memory`). The outputs, the
    manifest and the warnings are the same either way (the DOCX writer gives none).
    """
    return sorted(formats, key=lambda fmt: fmt != "docx")


def _give_back_freed_memory() -> None:
    """Return the C heap's free memory to the system (glibc's `malloc_trim`), where the C library has it.

    It changes no setting: memory the process has freed is handed back, and taken again
    if needed. Only in a program that asked for it (`collector.program_asked`: the
    `reegen` program does): a program embedding reegen keeps its heap as it manages it.
    Elsewhere (macOS, musl) it does nothing.
    """
    if not collector.program_asked():
        return
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """Return glibc's `malloc_trim`, or None where the process's C library has none."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only here: most builds write one format, and `reegen --help` loads this module

    try:
        return ctypes.CDLL(None).malloc_trim  # the C library the process is linked with
    except (OSError, AttributeError):
        return None


def _load(spec_path: Path, *, keep_going: bool = False) -> tuple[Project, BriefSpec, Report]:
    """Return the project, the validated spec and its warnings, or raise `BuildFailed` with its problems.

    With `keep_going`, a spec that loaded with errors is returned with them in the report, so
    that later stages can still check what does not depend on them.
    """
    if not spec_path.is_file():
        raise SpecError("brief spec not found", Location(str(spec_path)), code="spec.not-found")
    project = load_project(spec_path)
    # The writers' settings are checked with the project's, before any work: a wrong brand colour is reported
    # by `validate` and by a Markdown build as well, at its line of reegen.toml.
    check_settings(WriteOptions(brand=project.brand, base_dir=project.root))
    report = Report()
    yaml_cache = _yaml_cache(project)
    spec = load_spec(spec_path, report, display_path=project.display(spec_path), cache=yaml_cache,
                     defaults=project.defaults)
    yaml_cache.save()
    if spec is None or not keep_going:
        report.raise_if_errors()
    return project, spec, report


def _yaml_cache(project: Project) -> CacheTable:
    """Return the table of the project's parsed YAML (specs and sources registries) kept between builds."""
    kept = _kept.get((os.getpid(), threading.get_ident()))
    if kept is not None:
        table = kept.get(project.root)
        if table is None:
            table = kept[project.root] = _KeptTable(project.root / CACHE_FILE, "yaml", keep=5000)
        elif table.db is None:
            table.failed = False  # the database was locked or missing at the last build: try again
        return table
    # Room for every spec of a large project: with fewer rows than specs, `--all` parsed and wrote each one.
    return CacheTable(project.root / CACHE_FILE, "yaml", keep=5000)


class _KeptTable(CacheTable):
    """A `CacheTable` whose connection outlives `save`, for builds in a row (`keeping_caches_open`)."""

    def close(self) -> None:
        pass  # closed when the row of builds ends

    def shut(self) -> None:
        CacheTable.close(self)


#: per process and thread in `keeping_caches_open`, the YAML tables kept open, by project root (a process
#: forked inside the block finds none of its parent's: a database connection must not cross a fork)
_kept: dict[tuple[int, int], dict[Path, _KeptTable]] = {}


@contextlib.contextmanager
def keeping_caches_open() -> Iterator[None]:
    """Inside the block, builds in this thread share one connection to each project's YAML cache.

    Opening the cache database and checking its stamp costs about 0.2 ms, as much as the
    rest of a no-op build's look at its spec: `build_many` keeps it open from one brief to
    the next. Each build still reads its spec's row afresh and commits what it parsed.
    """
    me = (os.getpid(), threading.get_ident())
    if me in _kept:
        yield
        return
    _kept[me] = {}
    try:
        yield
    finally:
        for table in _kept.pop(me).values():
            table.shut()


def _formats(requested, spec: BriefSpec, project: Project) -> tuple[str, ...]:
    """Return the formats to write: asked for, else the spec's, else reegen.toml's, else pdf and docx.

    The spec's and reegen.toml's were checked when they were read; only `requested` (the
    caller's) is checked here. Raises `ReegenError` for a format reegen does not write.
    """
    if requested:
        requested = tuple(dict.fromkeys(requested))
        unknown = [f for f in requested if f not in FORMATS]
        if unknown:
            raise ReegenError(f"cannot write format '{unknown[0]}' (available: {', '.join(FORMATS)})",
                              code="build.unknown-format")
        return requested
    if "formats" in spec.key_lines or "formats" not in project.config:
        return spec.formats
    return project.config["formats"]


def validate(spec_paths: list[str | os.PathLike], *, strict: bool = False) -> Report:
    """Return every problem in the specs at `spec_paths`, their articles and templates, without rendering."""
    found = []
    for spec_path in spec_paths:
        try:
            diagnostics = _prepare(Path(spec_path), strict=strict).report.diagnostics
        except ReegenError as exc:
            # Every spec is checked even when an earlier one fails, whatever stage failed.
            diagnostics = exc.diagnostics
        brief = _shown(Path(spec_path))
        found += [dataclasses.replace(d, briefs=(brief,)) for d in diagnostics]
    # A problem met by several briefs (a shared article's) is told once, naming them all.
    return Report(collate(found))


def _shown(spec_path: Path) -> str:
    """Return how diagnostics name the spec at `spec_path` (relative to its project when there is one)."""
    try:
        return load_project(spec_path).display(spec_path)
    except ReegenError:
        return str(spec_path)


def load_document(spec_path: str | os.PathLike, *, strict: bool = False) -> Document:
    """Return the attributed `Document` the spec at `spec_path` describes, without writing it."""
    return _prepare(Path(spec_path), strict=strict).document


def load_figures(spec_path: str | os.PathLike, *, strict: bool = False) -> tuple[FigurePlan, tuple[Diagnostic, ...]]:
    """Return the figures the brief at `spec_path` carries (numbered, with their ledger status), and its warnings."""
    prepared = _prepare(Path(spec_path), strict=strict)
    return prepared.figures, tuple(prepared.report.warnings)


def _prepare(spec_path: Path, *, strict: bool, loaded: tuple[Project, BriefSpec, Report] | None = None,
             listed: str | None = None) -> _Prepared:
    """Return the attributed document of the spec at `spec_path`; `loaded` is `_load`'s answer when at hand."""
    # Order matters: each stage needs the one before it complete, and fails with all its problems at once.
    with collector.paused():  # validation and the library's loaders come here without `build`
        # 1. the spec, validated against its schema
        project, spec, report = loaded or _load(spec_path, keep_going=True)
        # 2. the corpus and the sources registry
        corpus_report = Report()
        corpus = load_corpus(project.articles_dir, corpus_report, root=project.root, listed=listed)
        renders = RenderCache(corpus.bodies.db_path) if corpus.bodies is not None else None
        try:
            return _prepare_corpus(spec_path, project, spec, report, corpus, corpus_report, strict, renders)
        except BuildFailed as exc:
            if exc.report is not report:
                report.extend(exc.report)
                _stage_done(report, strict=False)
            raise
        except ReegenError as exc:
            # A stage that cannot go on: its problem joins those found before it, all told at once.
            report.extend(exc.diagnostics)
            _stage_done(report, strict=False)
            raise
        except Exception:
            # Later stages go on after errors to find more; one tripping over what is already
            # reported wrong must not hide those reports behind an internal error.
            if report.has_errors():
                _stage_done(report, strict=False)
            raise
        finally:
            corpus.save_cache()  # what was parsed is kept, whether or not this brief builds
            if renders is not None:
                renders.save()


def _prepare_corpus(spec_path: Path, project: Project, spec: BriefSpec, report: Report, corpus: Corpus,
                    corpus_report: Report, strict: bool, renders: RenderCache | None = None) -> _Prepared:
    """The rest of `_prepare`, once the corpus is loaded: the registry, selection, composing, transforms."""
    shown = project.display(spec_path)
    yaml_cache = _yaml_cache(project)
    registry = load_registry(project.sources_file, report, display_path=project.display(project.sources_file),
                             cache=yaml_cache)
    yaml_cache.save()
    # 3. selection of the pool, from the articles' front matter alone
    pool = select_pool(spec, corpus, report, strict=strict)
    # 4. parse: the bodies of the articles the brief draws on, into sections and figures (the only bodies read)
    parse_report = Report()
    corpus = parse_bodies(corpus, (*drawn_ids(spec, pool), *named_articles(spec, corpus)), parse_report)
    # 5. selection of each section's material, from the parsed sections
    selection = select(spec, corpus, report, strict=strict, pool=pool)
    _check_pool(spec, selection, report, strict)
    wanted = {ref.id for ref in spec.articles if ref.id} | {i.article_id for s in spec.sections for i in s.from_ if i.article_id}
    _keep_relevant(corpus_report, corpus, {a.path for a in selection.pool}, wanted, report)
    report.extend(parse_report)
    # No stop here: composing checks the templates, figures and citations whatever selection found wrong.
    # 6. compose the sections and the brief template into one document
    brief_date = spec.date or today()
    figures = plan_figures(spec, selection, corpus, report)
    document, templates = compose(spec, selection, project, report, date=brief_date.isoformat(), figures=figures,
                                  cache=renders)
    # 7. transforms, each Document -> Document, in the order `TRANSFORMS` gives (and says why)
    context = BuildContext(spec, corpus, registry, report, brief_date, figures)
    for transform in TRANSFORMS:
        document = transform(document, context)
    _stage_done(report, strict=strict)
    inputs = {shown: spec_path}
    for article_id in context.attribution.articles:
        article = corpus.get(article_id)
        inputs[article.path] = project.root / article.path
    for article in selection.pool:
        inputs.setdefault(article.path, project.root / article.path)
    inputs.update(templates)
    if project.sources_file.is_file():
        inputs[project.display(project.sources_file)] = project.sources_file
    return _Prepared(project, spec, document, report, inputs, context.figures)


def _check_pool(spec: BriefSpec, selection, report: Report, strict: bool) -> None:
    """Warn (with `strict`, fail) when sections draw on the brief's articles and there are none.

    Reported where the spec lists its articles, unless an unknown id or a query that
    matched nothing has been reported already.
    """
    if selection.pool or any(d.code in ("spec.unknown-article", "spec.empty-selection") for d in report):
        return  # already said, at the line of the article or query
    drawing = [s.title for s in spec.sections if any(item.article_id is None for item in s.from_)]
    if not drawing and not spec.articles:
        return
    message = "the brief has no articles"
    if drawing:
        message += f"; section '{drawing[0]}'" + (f" and {len(drawing) - 1} more" if len(drawing) > 1 else "")
        message += " will be empty"
    (report.error if strict else report.warning)(message, "spec.empty-pool", spec.location("articles"))


def _stage_done(report: Report, *, strict: bool) -> None:
    """Raise `BuildFailed` when the report holds errors (or, with `strict`, warnings), sorted by file and line."""
    if strict and report.warnings:
        report.diagnostics[:] = [d.as_error() for d in report.diagnostics]
    if report.has_errors():
        report.diagnostics[:] = collate(report.diagnostics)
    report.raise_if_errors()


def _keep_relevant(corpus_report: Report, corpus: Corpus, pool_paths: set[str], wanted: set[str],
                   report: Report) -> None:
    """Keep the corpus diagnostics that concern this brief.

    Problems in its articles stay as they are, and so do those of a file that failed to
    load when the spec names its id; a broken file the brief does not use becomes a
    warning: it does not stop this brief, but the user should hear of it.
    """
    for d in corpus_report:
        path = d.location.path if d.location else None
        if path in pool_paths or corpus.failed.get(path) in wanted:
            report.diagnostics.append(d)
        elif path in corpus.failed:
            report.warning(f"article skipped: {d.message}", d.code, d.location, d.hint)
        elif path is None or not path.endswith(".md"):
            report.diagnostics.append(d)  # about the corpus as a whole (its folder, its cache), not one article


def get_suffix(fmt: str) -> str:
    """Return the file suffix of format `fmt` without importing its writer."""
    return "." + fmt


def _output_stem(spec: BriefSpec, project: Project, out_dir: str | os.PathLike | None) -> Path:
    if spec.output:
        stem = Path(spec.output)
        if stem.is_absolute() or ".." in stem.parts:
            raise SpecError(f"'output' must be a path inside the project, not '{spec.output}'",
                            spec.location("output"), code="spec.output-outside")
        stem = project.root / stem
        if not project.contains(stem.parent):
            raise SpecError(f"'output' leads outside the project through a symbolic link: '{spec.output}'",
                            spec.location("output"), code="spec.output-outside")
    else:
        stem = project.output_dir / spec.stem
        if out_dir is None and not project.contains(stem.parent):
            shown = os.path.relpath(stem.parent, project.root)
            raise ProjectError(f"the output folder '{shown}' is a link to outside the project",
                               Location(shown), code="output.outside",
                               hint="give the folder explicitly with --out-dir to write there")
    if out_dir is not None:
        stem = Path(out_dir) / stem.name
    return stem


def _manifest(prepared: _Prepared, formats, rendered: dict[Path, tuple[str, int]], project: Project) -> dict:
    """Return the manifest of a build; `rendered` gives each output's SHA-256 and size by path."""
    doc = prepared.document
    inputs = []
    for shown, real in sorted(prepared.inputs.items()):
        try:
            inputs.append({"path": shown, "sha256": sha256(Path(real).read_bytes())})
        except OSError:
            inputs.append({"path": shown, "sha256": None})
    return {
        # What this file is, and its format's version (reegen.machine; reegen/data/schemas/manifest.schema.json).
        "format": "reegen.manifest",
        "format_version": FORMAT_VERSION,
        "reegen": __version__,
        "spec": project.display(prepared.spec.path) if os.path.isabs(prepared.spec.path) else prepared.spec.path,
        "title": doc.meta.title,
        "date": doc.meta.date,
        "template": doc.meta.template,
        "formats": list(formats),
        "inputs": inputs,
        "outputs": [{"path": project.display(p), "sha256": digest, "bytes": size} for p, (digest, size) in rendered.items()],
        "sources": [
            {"number": e.number, "article": e.article_id, "reference": e.label, "text": plain_text(e.children), "url": e.url}
            for e in doc.sources
        ],
        "figures": [row.to_dict() for row in prepared.figures.carried],
        "caveats": [{"kind": c.kind, "about": label_of(c.kind), "text": c.text, "sources": list(c.numbers),
                     "articles": list(c.article_ids)} for c in doc.caveats],
        "warnings": [d.to_dict() for d in prepared.report.warnings],
    }
