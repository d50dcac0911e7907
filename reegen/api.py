"""The Python API: `build` and `validate`. The CLI is a thin layer over these."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, collector
from .cache import CACHE_FILE, CacheTable
from .compose import compose
from .corpus import Corpus, load_corpus, load_registry
from .incremental import fingerprint, is_up_to_date
from .errors import Diagnostic, Location, ReegenError, Report, SpecError
from .model import Document, plain_text
from .output import check_output_path, commit, render_manifest, sha256, source_date, today
from .project import Project, load_project
from .renders import RenderCache
from .select import select
from .spec import BriefSpec, load_spec
from .transforms import (
    FigurePlan, add_caveats, add_sources_list, attribute, collect_caveats, fit_tables, overview, plan_figures, source_mix,
)
from .transforms.caveats import label_of
from .writers import REGISTRY, WriteOptions, get_writer


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
          out_dir: str | os.PathLike | None = None, strict: bool = False, force: bool = False) -> BuildResult:
    """Build the brief at `spec_path` and return what was written.

    `formats` overrides the spec's formats; `out_dir` puts the outputs in that folder;
    `strict` turns warnings into errors. Unless `force`, a brief whose inputs are unchanged
    since its manifest is not rebuilt (`BuildResult.skipped`). Raises `BuildFailed` (every
    problem found) or another `ReegenError`; on failure no output file is changed.
    """
    with collector.paused():  # see `reegen.collector`: a build's objects all live until it ends
        return _build(Path(spec_path), formats, out_dir, strict, force)


def _build(spec_path: Path, formats, out_dir, strict: bool, force: bool) -> BuildResult:
    """`build`, once the collector is paused."""
    project, spec, spec_report = _load(spec_path)
    formats = _formats(formats, spec, project)
    _check_formats(formats, spec)
    stem = _output_stem(spec, project, out_dir)
    targets = {fmt: stem.with_name(stem.name + get_suffix(fmt)) for fmt in formats}
    manifest_path = stem.with_name(stem.name + ".manifest.json")
    current = fingerprint(project, spec, formats, strict)
    if not force and is_up_to_date(manifest_path, current, project):
        return BuildResult(spec_path, targets, manifest_path, None, skipped=True)
    prepared = _prepare(spec_path, strict=strict, loaded=(project, spec, spec_report))
    document = prepared.document
    inputs = {p.resolve() for p in prepared.inputs.values()}
    for path in (*targets.values(), manifest_path):
        check_output_path(path, inputs)
    reference = project.config.get("reference_docx")
    options = WriteOptions(
        # One instant for every format, so PDF and DOCX metadata agree even without SOURCE_DATE_EPOCH.
        source_date=source_date() or _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0),
        page_size=spec.page_size or project.config.get("page_size", "A4"),
        brand=project.brand,
        base_dir=project.root,
        reference_docx=project.root / reference if reference else None,
    )
    # Render every format before writing any: a failing writer must leave earlier outputs as they were.
    rendered = {targets[fmt]: get_writer(fmt).write(document, options) for fmt in formats}
    manifest = _manifest(prepared, formats, rendered, project)
    manifest["fingerprint"] = current
    commit({**rendered, manifest_path: render_manifest(manifest)})
    return BuildResult(spec_path, targets, manifest_path, document, tuple(prepared.report.warnings))


def _load(spec_path: Path) -> tuple[Project, BriefSpec, Report]:
    """Return the project, the validated spec and its warnings, or raise `BuildFailed` with its problems."""
    if not spec_path.is_file():
        raise SpecError("brief spec not found", Location(str(spec_path)), code="spec.not-found")
    project = load_project(spec_path)
    report = Report()
    yaml_cache = _yaml_cache(project)
    spec = load_spec(spec_path, report, display_path=project.display(spec_path), cache=yaml_cache)
    yaml_cache.save()
    report.raise_if_errors()
    return project, spec, report


def _yaml_cache(project: Project) -> CacheTable:
    """Return the table of the project's parsed YAML (specs and sources registries) kept between builds."""
    return CacheTable(project.root / CACHE_FILE, "yaml", keep=50)


def _formats(requested, spec: BriefSpec, project: Project) -> tuple[str, ...]:
    """Return the formats to write: asked for, else the spec's, else reegen.toml's, else pdf and docx."""
    if requested:
        return tuple(dict.fromkeys(requested))
    if "formats" in spec.key_lines or "formats" not in project.config:
        return spec.formats
    configured = project.config["formats"]
    return tuple(dict.fromkeys(configured if isinstance(configured, list) else [str(configured)]))


def validate(spec_paths: list[str | os.PathLike], *, strict: bool = False) -> Report:
    """Return every problem in the specs at `spec_paths`, their articles and templates, without rendering."""
    report = Report()
    for spec_path in spec_paths:
        try:
            prepared = _prepare(Path(spec_path), strict=strict)
            report.extend(prepared.report)
        except ReegenError as exc:
            # Every spec is checked even when an earlier one fails, whatever stage failed.
            report.extend(exc.diagnostics)
    return report


def load_document(spec_path: str | os.PathLike, *, strict: bool = False) -> Document:
    """Return the attributed `Document` the spec at `spec_path` describes, without writing it."""
    return _prepare(Path(spec_path), strict=strict).document


def load_figures(spec_path: str | os.PathLike, *, strict: bool = False) -> tuple[FigurePlan, tuple[Diagnostic, ...]]:
    """Return the figures the brief at `spec_path` carries (numbered, with their ledger status), and its warnings."""
    prepared = _prepare(Path(spec_path), strict=strict)
    return prepared.figures, tuple(prepared.report.warnings)


def _prepare(spec_path: Path, *, strict: bool, loaded: tuple[Project, BriefSpec, Report] | None = None) -> _Prepared:
    """Return the attributed document of the spec at `spec_path`; `loaded` is `_load`'s answer when at hand."""
    # Order matters: each stage needs the one before it complete, and fails with all its problems at once.
    with collector.paused():  # validation and the library's loaders come here without `build`
        # 1. the spec, validated against its schema
        project, spec, report = loaded or _load(spec_path)
        # 2. the corpus and the sources registry
        corpus_report = Report()
        corpus = load_corpus(project.articles_dir, corpus_report, root=project.root)
        renders = RenderCache(corpus.bodies.db_path) if corpus.bodies is not None else None
        try:
            return _prepare_corpus(spec_path, project, spec, report, corpus, corpus_report, strict, renders)
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
    # 3. selection: the pool and each section's material
    selection = select(spec, corpus, report, strict=strict)
    wanted = {ref.id for ref in spec.articles if ref.id} | {i.article_id for s in spec.sections for i in s.from_ if i.article_id}
    _keep_relevant(corpus_report, corpus, {a.path for a in selection.pool}, wanted, report)
    _body_problems(corpus, report)
    _stage_done(report, strict=False)
    # 4. compose the sections and the brief template into one document
    brief_date = spec.date or today()
    figures = plan_figures(spec, selection, corpus, report)
    document, templates = compose(spec, selection, project, report, date=brief_date.isoformat(), figures=figures,
                                  cache=renders)
    # 5. transforms: number the sources (figures take their articles' numbers), then add caveats and the Sources list
    document, attribution = attribute(document, corpus, report)
    figures = figures.numbered(attribution.articles)
    caveats = collect_caveats(attribution, corpus, registry, spec.caveats, brief_date, figures.carried)
    summary = source_mix(attribution, corpus, registry, figures.carried) if spec.caveats.auto else None
    compact = overview(attribution, corpus, registry, figures.carried) \
        if spec.caveats.auto and (spec.caveats.form or ("list" if spec.template == "dossier" else "table")) == "table" \
        else None
    document = add_sources_list(add_caveats(document, caveats, summary, compact))
    # Wide tables are split last, once every cell holds its final source numbers.
    document = fit_tables(document)
    _body_problems(corpus, report)
    _stage_done(report, strict=strict)
    inputs = {shown: spec_path}
    for article_id in attribution.articles:
        article = corpus.get(article_id)
        inputs[article.path] = project.root / article.path
    for article in selection.pool:
        inputs.setdefault(article.path, project.root / article.path)
    inputs.update(templates)
    if project.sources_file.is_file():
        inputs[project.display(project.sources_file)] = project.sources_file
    return _Prepared(project, spec, document, report, inputs, figures)


def _body_problems(corpus: Corpus, report: Report) -> None:
    """Move problems found in article bodies parsed so far (only those the brief used) into `report`."""
    for article in corpus:
        if "sections" in article.__dict__ and article.body_report is not None and article.body_report.diagnostics:
            report.extend(article.body_report)
            article.body_report.diagnostics.clear()


def _stage_done(report: Report, *, strict: bool) -> None:
    """Raise `BuildFailed` when the report holds errors (or, with `strict`, warnings)."""
    if strict and report.warnings:
        report.diagnostics[:] = [d.as_error() for d in report.diagnostics]
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


def _check_formats(formats: tuple[str, ...], spec: BriefSpec) -> None:
    unknown = [f for f in formats if f not in REGISTRY]
    if unknown:
        raise SpecError(f"cannot write format '{unknown[0]}' (available: {', '.join(REGISTRY)})",
                        spec.location("formats"), code="spec.unknown-format")


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
    else:
        stem = project.output_dir / spec.stem
    if out_dir is not None:
        stem = Path(out_dir) / stem.name
    return stem


def _manifest(prepared: _Prepared, formats, rendered: dict[Path, bytes], project: Project) -> dict:
    doc = prepared.document
    inputs = []
    for shown, real in sorted(prepared.inputs.items()):
        try:
            inputs.append({"path": shown, "sha256": sha256(Path(real).read_bytes())})
        except OSError:
            inputs.append({"path": shown, "sha256": None})
    return {
        "reegen": __version__,
        "spec": project.display(prepared.spec.path) if os.path.isabs(prepared.spec.path) else prepared.spec.path,
        "title": doc.meta.title,
        "date": doc.meta.date,
        "template": doc.meta.template,
        "formats": list(formats),
        "inputs": inputs,
        "outputs": [{"path": project.display(p), "sha256": sha256(data), "bytes": len(data)} for p, data in rendered.items()],
        "sources": [
            {"number": e.number, "article": e.article_id, "reference": e.label, "text": plain_text(e.children), "url": e.url}
            for e in doc.sources
        ],
        "figures": [row.to_dict() for row in prepared.figures.carried],
        "caveats": [{"kind": c.kind, "about": label_of(c.kind), "text": c.text, "sources": list(c.numbers),
                     "articles": list(c.article_ids)} for c in doc.caveats],
        "warnings": [d.to_dict() for d in prepared.report.warnings],
    }
