"""Jinja for briefs: sandboxed, strict about undefined names, confined to template folders.

Templates emit Markdown. Every `{{ value }}` is Markdown-escaped on output (`finalize`),
so a title or article field can never open a heading, a list or a link; reegen's own
fragments (section slots, citations) are `Trusted` and pass unchanged. Errors carry the
template's file and line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import traceback
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from .errors import Location, TemplateError
from .markdown import Trusted, md_escape
from .text import format_date

#: a template file larger than this is refused
MAX_TEMPLATE_BYTES = 512_000
#: rendered Markdown longer than this is refused (a runaway loop, not a brief)
MAX_OUTPUT_CHARS = 20_000_000
#: a template (brief layout, section file or spec text) may run this long
TEMPLATE_SECONDS = 10.0
#: `*` and `**` results above this size are refused (string and list bombs)
MAX_REPEAT = 1_000_000


class ConfinedLoader(jinja2.BaseLoader):
    """Load templates from `dirs` in order, refusing anything that resolves outside its folder."""

    def __init__(self, dirs: list[Path], display=str):
        self.dirs = [Path(d) for d in dirs]
        self.display = display
        #: every template file read, display name -> real path (inputs for the manifest)
        self.loaded: dict[str, Path] = {}

    def get_source(self, environment, template):
        pieces = split_template_path(template)  # refuses '..' segments
        for base in self.dirs:
            root = base.resolve()
            candidate = base.joinpath(*pieces)
            if not candidate.exists():
                continue
            real = candidate.resolve()
            if root not in real.parents:
                raise TemplateError(f"template '{template}' resolves outside the template folder (a symlink?)",
                                    Location(self.display(candidate)), code="template.outside")
            if not real.is_file():
                raise TemplateError(f"template '{template}' is not a regular file", Location(self.display(candidate)),
                                    code="template.not-a-file")
            if real.stat().st_size > MAX_TEMPLATE_BYTES:
                raise TemplateError(f"template '{template}' is larger than {MAX_TEMPLATE_BYTES // 1000} kB",
                                    Location(self.display(candidate)), code="template.too-large")
            try:
                source = real.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise TemplateError("template is not valid UTF-8", Location(self.display(candidate)),
                                    code="template.encoding") from None
            mtime = real.stat().st_mtime
            self.loaded[self.display(candidate)] = real
            return source, self.display(candidate), lambda: real.exists() and real.stat().st_mtime == mtime
        raise TemplateNotFound(template)

    def list_templates(self):
        names = set()
        for base in self.dirs:
            if base.is_dir():
                for path in base.rglob("*"):
                    if path.is_file():
                        names.add(path.relative_to(base).as_posix())
        return sorted(names)


class BriefEnvironment(SandboxedEnvironment):
    """The sandbox, with repetition operators bounded so a template cannot exhaust memory."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("exponent too large")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                    raise SecurityError("repetition result too large")
        return super().call_binop(context, operator, left, right)


def _finalize(value):
    if isinstance(value, Trusted):
        return value
    if value is None:
        return ""
    return md_escape(str(value))


def make_environment(dirs: list[Path], display=str) -> BriefEnvironment:
    """Return the sandboxed environment loading from `dirs` (project folder first)."""
    env = BriefEnvironment(
        loader=ConfinedLoader(dirs, display),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = format_date
    return env


def render_template(env: BriefEnvironment, name: str, context: dict) -> tuple[str, str]:
    """Return (Markdown, display filename) of template file `name` rendered with `context`.

    Raises `TemplateError` located in the template file.
    """
    try:
        template = env.get_template(name)
    except TemplateNotFound as exc:
        raise TemplateError(f"template file '{exc.name}' not found", code="template.not-found") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", Location(exc.filename or name, exc.lineno),
                            code="template.syntax") from None
    return _render(template, context, template.filename or name, 0), template.filename or name


def render_string(env: BriefEnvironment, source: str, context: dict, path: str, first_line: int) -> str:
    """Return `source` (template text written in a spec at `path`, from `first_line`) rendered."""
    offset = first_line - 1
    try:
        code = env.compile(source, name=path, filename=path)
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", Location(path, (exc.lineno or 1) + offset),
                            code="template.syntax") from None
    template = env.template_class.from_code(env, code, env.make_globals(None), None)
    return _render(template, context, path, offset)


class _Timeout(Exception):
    """Raised inside a template that has run past its time budget."""


@contextlib.contextmanager
def _deadline(seconds: float):
    """Interrupt the block after `seconds` (main thread on POSIX; elsewhere unbounded)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _render(template: jinja2.Template, context: dict, filename: str, offset: int) -> str:
    try:
        # Collect output chunk by chunk so a runaway loop is stopped by size, not by the OOM killer.
        chunks: list[str] = []
        size = 0
        with _deadline(TEMPLATE_SECONDS):
            for chunk in template.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise TemplateError(f"template output passed {MAX_OUTPUT_CHARS // 1_000_000} million characters "
                                        "(a runaway loop?)", Location(filename), code="template.too-large")
                chunks.append(chunk)
        out = "".join(chunks)
    except _Timeout:
        raise TemplateError(f"template ran longer than {TEMPLATE_SECONDS:g} s (a runaway loop?)", Location(filename),
                            code="template.timeout") from None
    except MemoryError:
        raise TemplateError("template ran out of memory", Location(filename), code="template.memory") from None
    except TemplateError:
        raise
    except UndefinedError as exc:
        hint = "names a template can use are listed in the README" if "is undefined" in (exc.message or "") else None
        raise TemplateError(f"undefined: {exc.message}", _where(exc, filename, offset), code="template.undefined",
                            hint=hint) from None
    except SecurityError as exc:
        raise TemplateError(f"not allowed in a template: {exc}", _where(exc, filename, offset), code="template.security") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", Location(exc.filename or filename, exc.lineno),
                            code="template.syntax") from None
    except TemplateNotFound as exc:
        raise TemplateError(f"template file '{exc.name}' not found", _where(exc, filename, offset),
                            code="template.not-found") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, OverflowError, RecursionError) as exc:
        raise TemplateError(f"template failed: {exc}", _where(exc, filename, offset), code="template.runtime") from None
    return out


def _where(exc: BaseException, filename: str, offset: int) -> Location:
    """Return the template line an exception came from (Jinja rewrites frames to template lines)."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename or frame.filename.endswith(os.sep + filename):
            line = frame.lineno
    return Location(filename, line + offset if line else None)
