"""Jinja for briefs: sandboxed, strict about undefined names, confined to template folders.

Templates emit Markdown. Every `{{ value }}` is Markdown-escaped on output (`finalize`),
so a title or article field can never open a heading, a list or a link; reegen's own
fragments (section slots, citations) are `Trusted` and pass unchanged. Errors carry the
template's file and line; a missing template names the folders searched; a template using
undefined names is rendered once more with an undefined value that records each use, so
that every one is reported with a "did you mean".
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
#: at most this many undefined names and attributes are reported for one template run
MAX_UNDEFINED_REPORTED = 100
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
            raise not_found(env, exc.name) from None
        except TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}", Location(exc.filename or name, exc.lineno),
                                code="template.syntax") from None
        shown[0] = template.filename or name
        return _generate(template, context, shown[0])

    def rerun(recording: BriefEnvironment) -> str:
        return _generate(recording.get_template(name), context, shown[0])

    return _guarded(run, shown, 0, env, rerun, context), shown[0]


def not_found(env: BriefEnvironment, name: str) -> TemplateError:
    """Return the error for template file `name`, missing from every folder of `env`'s search path."""
    from .project import bundled_templates

    loader = env.loader
    bundled = bundled_templates().resolve()
    searched = [f"reegen's bundled '{d.name}' templates ({d})" if bundled in d.resolve().parents
                else f"{loader.display(d).rstrip('/')}/" for d in loader.dirs]
    message = f"template file '{name}' not found"
    # Compared without the suffix every template shares, so 'outlook.md.j2' is not "close" to 'broken.md.j2'.
    suffix = ".md.j2" if name.endswith(".md.j2") else ""
    stems = {t[: len(t) - len(suffix)]: t for t in loader.list_templates() if t.endswith(suffix) and t != name}
    close = _closest(name[: len(name) - len(suffix)], stems)
    if close:
        message += f"; did you mean '{stems[close]}'?"
    where = ", then ".join(searched) if searched else "(no template folder)"
    return TemplateError(message, code="template.not-found", hint=f"template search path: {where}")


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

    def rerun(recording: BriefEnvironment) -> str:
        code = recording.compile(source, name=path, filename=path)
        template = recording.template_class.from_code(recording, code, recording.make_globals(None), None)
        return _generate(template, context, path)

    return _guarded(run, [path], offset, env, rerun, context)


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


def _guarded(run, shown: list[str], offset: int, env: BriefEnvironment | None = None, rerun=None,
             context: dict | None = None) -> str:
    """Return `run()` (which compiles and renders a template) bounded in time and memory, errors located.

    Compiling is bounded too: Jinja evaluates constant expressions such as
    `"x" | center(999999999)` while it compiles. When a name is undefined, `rerun` (given
    an environment whose undefined values record each use) renders again to find every
    undefined name, not only the first (see `_every_undefined`).
    """
    try:
        with _bounded(TEMPLATE_SECONDS, TEMPLATE_MEMORY):
            return run()
    except TemplateError:
        raise
    except UndefinedError as exc:
        first = _undefined_diagnostic(exc.message or "", _where(exc, shown[0], offset, env), None)
        found = _every_undefined(env, rerun, context, shown, offset) if rerun is not None else []
        if not any(d.message.startswith(first.message) for d in found):
            found.insert(0, first)  # the rerun took another path: the error Jinja raised stands first
        raise TemplateProblems(found) from None
    except (_Timeout, Exception) as exc:
        error = _as_template_error(exc, shown, offset, env)
        if error is None:
            raise
        raise error from None


def _as_template_error(exc: BaseException, shown: list[str], offset: int, env) -> TemplateError | None:
    """Return the located `TemplateError` for what a template run raised, or None for what is not the template's fault."""
    if isinstance(exc, _Timeout):
        return TemplateError(f"template ran longer than {TEMPLATE_SECONDS:g} s (a runaway loop?)", Location(shown[0]),
                             code="template.timeout")
    where = _where(exc, shown[0], offset, env)
    if isinstance(exc, MemoryError):
        return TemplateError(f"template needed more than {TEMPLATE_MEMORY // 2**20} MB of memory (a string or list bomb?)",
                             where, code="template.memory")
    if isinstance(exc, SecurityError):
        return TemplateError(f"not allowed in a template: {exc}", where, code="template.security")
    if isinstance(exc, TemplateSyntaxError):
        return TemplateError(f"template syntax error: {exc.message}", Location(exc.filename or shown[0], exc.lineno),
                             code="template.syntax")
    if isinstance(exc, TemplateNotFound):
        # An {% include %} or {% extends %}: located at that line, with the search path.
        missing = not_found(env, exc.name) if env is not None else None
        return TemplateError(missing.message if missing else f"template file '{exc.name}' not found", where,
                             code="template.not-found", hint=missing.hint if missing else None)
    if isinstance(exc, (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, OverflowError,
                        RecursionError)):
        return TemplateError(f"template failed: {exc}", where, code="template.runtime")
    return None


def _where(exc: BaseException, filename: str, offset: int, env: BriefEnvironment | None = None) -> Location:
    """Return the template line an exception came from (Jinja rewrites frames to template lines).

    The innermost template wins: an error in an included file is located there, not at the
    `{% include %}` (the `offset` of spec text applies to `filename` alone).
    """
    others = set(env.loader.loaded) if env is not None else set()
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == filename or frame.filename.endswith(os.sep + filename):
            found = (filename, frame.lineno + offset if frame.lineno else None)
        elif frame.filename in others:
            found = (frame.filename, frame.lineno)
    return Location(*found) if found else Location(filename)


class TemplateProblems(TemplateError):
    """Several problems found in one template run (every undefined name it uses), each located."""

    code = "template.undefined"

    def __init__(self, diagnostics: list):
        first = diagnostics[0]
        super().__init__(first.message, first.location, first.hint, first.code)
        self._all = list(diagnostics)

    @property
    def diagnostics(self) -> list:
        return list(self._all)


#: what StrictUndefined refuses, besides what every Undefined refuses (`_fail_with_undefined_error`)
_STRICT = ("__iter__", "__str__", "__len__", "__eq__", "__ne__", "__bool__", "__hash__", "__contains__")
#: what an operation on an undefined value gives back in the recording pass, so rendering can go on
_LENIENT = {"__iter__": lambda: iter(()), "__str__": lambda: "", "__len__": lambda: 0, "__bool__": lambda: False,
            "__eq__": lambda: False, "__ne__": lambda: True, "__hash__": lambda: 0, "__contains__": lambda: False,
            "__int__": lambda: 0, "__float__": lambda: 0.0, "__complex__": lambda: 0j,
            "__lt__": lambda: False, "__le__": lambda: False, "__gt__": lambda: False, "__ge__": lambda: False}


def _recording_undefined(records: dict):
    """Return an Undefined class that records each use in `records` (see `_record_use`) wherever StrictUndefined fails.

    Instead of failing, each use gives an empty value (or the undefined itself, so
    `a.b.c` is reported once, at `a.b`), and the render goes on to the next use.
    """

    def use(name):
        def method(self, *args, **kwargs):
            _record_use(self, records)
            make = _LENIENT.get(name)
            return make() if make else self
        method.__name__ = name
        return method

    namespace = {}
    for name, value in vars(jinja2.Undefined).items():
        if value is jinja2.Undefined._fail_with_undefined_error:
            namespace[name] = use(name)
    for name in _STRICT:
        namespace[name] = use(name)

    def getattr_(self, name):
        if name[:2] == "__":
            raise AttributeError(name)
        _record_use(self, records)
        return self

    namespace["__getattr__"] = getattr_
    namespace["__slots__"] = ()
    return type("RecordingUndefined", (jinja2.Undefined,), namespace)


def _record_use(undefined, records: dict) -> None:
    """Record the use of `undefined` with the template file and line it happened at (Jinja's compiled frames)."""
    import sys

    frame = sys._getframe(2)
    while frame is not None and "debug_info" not in frame.f_globals:
        frame = frame.f_back
    line, filename, names = None, None, set()
    if frame is not None:
        filename = frame.f_code.co_filename
        pairs = [tuple(map(int, p.split("="))) for p in frame.f_globals["debug_info"].split("&") if "=" in p]
        line = next((t for t, c in reversed(pairs) if c <= frame.f_lineno), 1)
        # Jinja names a template's own variables l_<depth>_<name>: loop variables and {% set %} names.
        names = {k.split("_", 2)[2] for k, v in frame.f_locals.items()
                 if k.startswith("l_") and k.count("_") >= 2 and v is not jinja2.utils.missing
                 and not isinstance(v, jinja2.Undefined)}
    key = (undefined._undefined_message, filename, line)
    # Once per name and line (a loop repeats them), and no more than a user can read.
    if key not in records and len(records) < MAX_UNDEFINED_REPORTED:
        records[key] = (undefined, names)


def _every_undefined(env: BriefEnvironment | None, rerun, context: dict | None, shown: list[str],
                     offset: int) -> list:
    """Return a diagnostic for each undefined name or attribute the template uses, rendering once more to find them.

    The second render is bounded like the first; whatever it cannot get through, the
    uses it has recorded so far are reported.
    """
    if env is None:
        return []
    records: dict = {}
    recording = env.overlay(undefined=_recording_undefined(records))
    stopped = None
    try:
        with _bounded(TEMPLATE_SECONDS, TEMPLATE_MEMORY):
            rerun(recording)
    except (_Timeout, Exception) as exc:  # noqa: BLE001 - the first error is reported already; this pass adds to it
        # Past the undefined names, the render met another problem (a missing include): told as well.
        error = _as_template_error(exc, shown, offset, recording)
        stopped = error.diagnostics[0] if error is not None and error.code != "template.runtime" else None
    out = []
    known = set(context or ()) | set(env.globals)
    for (message, filename, line), (undefined, names) in records.items():
        if line and filename == shown[0]:
            line += offset  # spec text: its lines start where the text does in the spec
        where = Location(filename, line) if filename else None
        out.append(_undefined_diagnostic(message, where, undefined, known | names, context))
    if stopped is not None:
        out.append(stopped)
    return out


def _undefined_diagnostic(message: str, where: Location, undefined, names: set | None = None,
                          context: dict | None = None):
    """Return the diagnostic of one undefined use, with a "did you mean" from the names or keys at hand."""
    from collections.abc import Mapping

    from .errors import Diagnostic

    hint = None
    if undefined is not None:
        name = undefined._undefined_name
        owner = undefined._undefined_obj
        if owner is jinja2.utils.missing:
            # A name that is a key of a mapping the template has ('titel' for brief.title) counts too.
            choices = {n: n for n in names or ()}
            for top, value in (context or {}).items():
                if isinstance(value, Mapping):
                    choices.update({k: f"{top}.{k}" for k in value if isinstance(k, str) and k not in choices})
        elif isinstance(owner, Mapping):
            choices = {k: k for k in owner if isinstance(k, str)}
        else:
            choices = {a: a for a in dir(owner) if not a.startswith("_")}
        close = _closest(str(name), choices) if name is not None else None
        if close:
            message += f"; did you mean '{choices[close]}'?"
    if "is undefined" in message:
        hint = "names a template can use are listed in the README"
    return Diagnostic("error", f"undefined: {message}", "template.undefined", where, hint)


def _closest(value: str, choices) -> str | None:
    """Return the one of `choices` closest to `value` (as errors.did_you_mean judges), or None."""
    import difflib

    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None
