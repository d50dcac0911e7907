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
from jinja2.filters import make_attrgetter, sync_do_sum
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
#: `*` and `**` on whole numbers whose result would pass this many bits are refused
MAX_INT_BITS = 1_000_000
#: a template run may grow the process's address space by this much (Linux; see `_bounded`)
TEMPLATE_MEMORY = 256 * 1024 * 1024


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
            data = real.read_bytes()
            try:
                source = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                from .text import bad_utf8

                message, where = bad_utf8(data, exc, self.display(candidate))
                raise TemplateError(f"template is {message}", where, code="template.encoding",
                                    hint="save the file as UTF-8") from None
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
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * right > MAX_INT_BITS:
                raise SecurityError("power result too large")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                    raise SecurityError("repetition result too large")
            # One multiplication of huge numbers is a single C step the time limit cannot interrupt.
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise SecurityError("product too large")
        return super().call_binop(context, operator, left, right)


@jinja2.pass_environment
def _sum(environment, iterable, attribute=None, start=0):
    """Jinja's `sum`, but concatenating strings, lists and tuples in linear time and up to MAX_REPEAT items.

    Python's `sum` concatenates sequences pairwise: quadratic, in one C loop that
    neither the time limit nor the memory limit stops when the pieces are small.
    """
    if not isinstance(start, (str, list, tuple)):
        return sync_do_sum(environment, iterable, attribute, start)
    values = list(iterable)
    if attribute is not None:
        values = list(map(make_attrgetter(environment, attribute), values))
    kind = type(start)
    if any(type(v) is not kind for v in values):
        raise TypeError(f"sum with start={kind.__name__} adds only {kind.__name__} values")
    if len(start) + sum(len(v) for v in values) > MAX_REPEAT:
        raise SecurityError("sum result too large")
    if kind is str:
        return start + "".join(values)
    out = list(start)
    for v in values:
        out.extend(v)
    return out if kind is list else tuple(out)


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
    env.filters["sum"] = _sum
    return env


def render_template(env: BriefEnvironment, name: str, context: dict) -> tuple[str, str]:
    """Return (Markdown, display filename) of template file `name` rendered with `context`.

    Raises `TemplateError` located in the template file.
    """
    shown = [name]

    def run() -> str:
        try:
            template = env.get_template(name)
        except TemplateNotFound as exc:
            raise TemplateError(f"template file '{exc.name}' not found", code="template.not-found") from None
        except TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}", Location(exc.filename or name, exc.lineno),
                                code="template.syntax") from None
        shown[0] = template.filename or name
        return _generate(template, context, shown[0])

    return _guarded(run, shown, 0), shown[0]


def render_string(env: BriefEnvironment, source: str, context: dict, path: str, first_line: int) -> str:
    """Return `source` (template text written in a spec at `path`, from `first_line`) rendered."""
    offset = first_line - 1

    def run() -> str:
        try:
            code = env.compile(source, name=path, filename=path)
        except TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}", Location(path, (exc.lineno or 1) + offset),
                                code="template.syntax") from None
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        return _generate(template, context, path)

    return _guarded(run, [path], offset)


class _Timeout(BaseException):
    """Raised inside a template that has run past its time budget.

    Not an `Exception`, so that Jinja's compiler, which folds constant expressions at
    compile time and treats any `Exception` there as "evaluate later", lets it through.
    """


@contextlib.contextmanager
def _bounded(seconds: float, memory: int):
    """Interrupt the block after `seconds` and let it grow the address space by at most `memory` bytes.

    The time limit is a POSIX alarm, which Python delivers between bytecodes, so a single
    C-level step (`"%999999999s" | format(1)`, `sum` over a list of huge lists) would run
    on past it, allocating as it goes. The memory limit stops such a step where the alarm
    cannot: for the block, RLIMIT_AS is lowered to the process's current size plus
    `memory`, so the allocation fails at once with MemoryError, and restored afterwards.
    Both hold only in the main thread of a single-threaded process on POSIX (RLIMIT_AS is
    enforced on Linux); elsewhere the block runs unbounded, under the output and
    repetition limits alone.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, expire)
    limits = _lower_address_space(memory) if threading.active_count() == 1 else None
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if limits is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, limits)


def _lower_address_space(memory: int) -> tuple[int, int] | None:
    """Lower RLIMIT_AS to the current address space plus `memory`; return the limits to restore (None: not done)."""
    try:
        import resource

        with open("/proc/self/statm", "rb") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = size + memory
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        if soft != resource.RLIM_INFINITY and soft <= cap:
            return None  # already tighter
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        return soft, hard
    except (ImportError, OSError, ValueError, IndexError):
        return None


def _generate(template: jinja2.Template, context: dict, filename: str) -> str:
    """Return `template` rendered, collected chunk by chunk so a runaway loop is stopped by size."""
    chunks: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateError(f"template output passed {MAX_OUTPUT_CHARS // 1_000_000} million characters "
                                "(a runaway loop?)", Location(filename), code="template.too-large")
        chunks.append(chunk)
    return "".join(chunks)


def _guarded(run, shown: list[str], offset: int) -> str:
    """Return `run()` (which compiles and renders a template) bounded in time and memory, errors located.

    Compiling is bounded too: Jinja evaluates constant expressions such as
    `"x" | center(999999999)` while it compiles.
    """
    try:
        with _bounded(TEMPLATE_SECONDS, TEMPLATE_MEMORY):
            return run()
    except _Timeout:
        raise TemplateError(f"template ran longer than {TEMPLATE_SECONDS:g} s (a runaway loop?)", Location(shown[0]),
                            code="template.timeout") from None
    except MemoryError as exc:
        raise TemplateError(f"template needed more than {TEMPLATE_MEMORY // 2**20} MB of memory (a string or list bomb?)",
                            _where(exc, shown[0], offset), code="template.memory") from None
    except TemplateError:
        raise
    except UndefinedError as exc:
        hint = "names a template can use are listed in the README" if "is undefined" in (exc.message or "") else None
        raise TemplateError(f"undefined: {exc.message}", _where(exc, shown[0], offset), code="template.undefined",
                            hint=hint) from None
    except SecurityError as exc:
        raise TemplateError(f"not allowed in a template: {exc}", _where(exc, shown[0], offset),
                            code="template.security") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", Location(exc.filename or shown[0], exc.lineno),
                            code="template.syntax") from None
    except TemplateNotFound as exc:
        raise TemplateError(f"template file '{exc.name}' not found", _where(exc, shown[0], offset),
                            code="template.not-found") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, OverflowError, RecursionError) as exc:
        raise TemplateError(f"template failed: {exc}", _where(exc, shown[0], offset), code="template.runtime") from None


def _where(exc: BaseException, filename: str, offset: int) -> Location:
    """Return the template line an exception came from (Jinja rewrites frames to template lines)."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename or frame.filename.endswith(os.sep + filename):
            line = frame.lineno
    return Location(filename, line + offset if line else None)
