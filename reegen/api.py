"""The Python API: `build` and `validate`. The CLI is a thin layer over these."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__, collector
from .cache import CACHE_FILE, CacheTable
from .compose import compose
from .corpus import Corpus, load_corpus, load_registry
from .incremental import fingerprint, is_up_to_date
from .errors import Diagnostic, Location, ProjectError, ReegenError, Report, SpecError
from .model import Document, Heading, Text, plain_text
from .output import check_output_path, commit, recover, render_manifest, sha256, source_date, today
from .project import Project, load_project
from .renders import RenderCache
from .select import select
from .spec import BriefSpec, load_spec
from .transforms import (
    FigurePlan, add_caveats, add_sources_list, attribute, collect_caveats, fit_tables, overview, plan_figures, source_mix,
)
from .transforms.caveats import label_of
from .writers import REGISTRY, WriteOptions, get_writer


#: a title, subtitle or heading longer than this is cut (with a warning) so that it fits on a page
MAX_HEADING_CHARS = 500


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
    # A build of these outputs killed mid-commit is completed first, so what is on disk is one whole set.
    recover(manifest_path.parent, [p.name for p in (*targets.values(), manifest_path)])
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
        report=prepared.report,
    )
    # Render every format before writing any: a failing writer must leave earlier outputs as they were.
    rendered = {targets[fmt]: get_writer(fmt).write(document, options) for fmt in formats}
    _stage_done(prepared.report, strict=strict)  # a writer's warnings (a character drawn as a placeholder)
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
    # Room for every spec of a large project: with fewer rows than specs, `--all` parsed and wrote each one.
    return CacheTable(project.root / CACHE_FILE, "yaml", keep=5000)


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
    _check_pool(spec, selection, report, strict)
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
    document = _cut_long_headings(document, spec, corpus, report)
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


def _cut_long_headings(document: Document, spec: BriefSpec, corpus: Corpus, report: Report) -> Document:
    """Cut a title, subtitle or heading longer than MAX_HEADING_CHARS, with a warning where it was written.

    A heading is kept with what follows it and the title is repeated in every page's
    header: one far longer than a page cannot be laid out, and laying it out again on
    every page costs time in proportion to its length times the pages.
    """
    meta = document.meta
    changes = {}
    for key in ("title", "subtitle"):
        value = getattr(meta, key)
        if value is not None and len(value) > MAX_HEADING_CHARS:
            changes[key] = _cut_text(value, MAX_HEADING_CHARS)
            report.warning(f"the brief's {key} is {len(value):,} characters long; cut to its first "
                           f"{MAX_HEADING_CHARS} (a {key} must fit on a page)", "spec.too-long", spec.location(key))
    blocks = document.blocks
    if any(isinstance(b, Heading) and len(plain_text(b.children)) > MAX_HEADING_CHARS for b in blocks):
        blocks = tuple(_cut_heading(b, spec, corpus, report) if isinstance(b, Heading) else b for b in blocks)
    if not changes and blocks is document.blocks:
        return document
    return dataclasses.replace(document, meta=dataclasses.replace(meta, **changes), blocks=blocks)


def _cut_heading(heading: Heading, spec: BriefSpec, corpus: Corpus, report: Report) -> Heading:
    text = plain_text(heading.children)
    if len(text) <= MAX_HEADING_CHARS:
        return heading
    folded = " ".join(text.split())
    where = spec.location()
    for section in spec.sections:
        if " ".join(section.title.split()) == folded:
            where = spec.location(line=section.line or None)
            break
    else:
        for article in corpus:
            if article.title and " ".join(article.title.split()) == folded:
                where = Location(article.path, article.key_lines.get("title", 1))
                break
    report.warning(f"a heading of {len(text):,} characters was cut to its first {MAX_HEADING_CHARS} "
                   "(a heading must fit on a page)", "render.heading-too-long", where)
    return dataclasses.replace(heading, children=(Text(_cut_text(text, MAX_HEADING_CHARS)),))


def _cut_text(text: str, limit: int) -> str:
    """Return `text` cut to at most `limit` characters at a space where there is one, with an ellipsis."""
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "\u2026"


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


def _body_problems(corpus: Corpus, report: Report) -> None:
    """Move problems found in article bodies parsed so far (only those the brief used) into `report`."""
    # Only articles made so far can have parsed bodies; the index makes the others on demand.
    for article in getattr(corpus.articles, "made", corpus.articles).values():
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
        elif path is None or not path.endswith(".md"):
            report.diagnostics.append(d)  # about the corpus as a whole (its folder, its cache), not one article


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
