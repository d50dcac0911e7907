"""Find a project's root and its folders; fall back to the bundled templates."""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import Location, ProjectError, config_location, did_you_mean
from .formats import FORMATS, PAGE_SIZES, page_size_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAME = "reegen.toml"
#: settings of the [project] table (or top level) of reegen.toml
_CONFIG_KEYS = ("formats", "output_dir", "page_size", "sources", "reference_docx")
#: settings of the [brand] table
_BRAND_KEYS = ("accent", "logo", "font", "logo_alt")


@dataclass(frozen=True, slots=True)
class Project:
    """A reegen project: its root folder and settings from `reegen.toml`."""

    root: Path
    #: settings from reegen.toml (empty when there is none)
    config: dict = field(default_factory=dict)
    #: the root with every symbolic link on the way followed, taken once: `display` and
    #: `contains` compare paths with it (a build asks for hundreds of them)
    real_root: Path | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.real_root is None:
            object.__setattr__(self, "real_root", self.root.resolve())

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def briefs_dir(self) -> Path:
        return self.root / "briefs"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.get("output_dir", "output")

    @property
    def brand(self) -> dict:
        """Return the [brand] settings: accent colour, logo path, font (each optional)."""
        return self.config.get("brand", {})

    @property
    def defaults(self) -> dict:
        """Return the [defaults] table of reegen.toml, merged into every spec (empty when there is none)."""
        return self.config.get("defaults", {})

    def spec_files(self) -> list[Path]:
        """Return the project's brief specs, `briefs/*.yaml` and `briefs/*.yml`, sorted by name."""
        if not self.briefs_dir.is_dir():
            return []
        return sorted(p for p in self.briefs_dir.iterdir()
                      if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))

    @property
    def sources_file(self) -> Path:
        return self.root / self.config.get("sources", "sources.yaml")

    def template_dirs(self, name: str) -> list[Path]:
        """Return the folders holding template `name`: the project's first, then the bundled one.

        Raises `ProjectError` when the project's folder for `name` leads outside the project (a symlink).
        """
        return [folder for folder, _ in self._template_dirs(name)]

    def _template_dirs(self, name: str) -> list[tuple[Path, str]]:
        """`template_dirs`, each folder with its real path."""
        found: list[tuple[Path, str]] = []
        for own, folder in ((True, self.templates_dir / name), (False, bundled_templates() / name)):
            if not folder.is_dir():
                continue
            real = os.path.realpath(folder)
            if own and not Path(real).is_relative_to(self.real_root):
                shown = os.path.relpath(folder, self.root)
                raise ProjectError(f"template folder '{shown}' is a link to outside the project; "
                                   "templates are read from inside it only", Location(shown),
                                   code="template.outside")
            if all(real != seen for _, seen in found):
                found.append((folder, real))
        return found

    def template_files(self, name: str) -> list[str]:
        """Return the files template `name` offers, as `display` names them: the project's folder's, then the bundled.

        Each folder's names are sorted. Files in sub-folders count; a linked sub-folder is not
        entered, and a linked file counts when it leads to a file (as `Path.rglob` and
        `is_file` have it).
        """
        found: list[str] = []
        for folder, real in self._template_dirs(name):
            found += sorted(self._files_under(folder, real))
        return found

    def _files_under(self, folder: Path, real_folder: str):
        real_root = str(self.real_root)
        # Each folder with its real path: below a real folder reached without a link, a name's
        # real path is the folder's joined with it, so only a link needs resolving.
        stack = [(str(folder), real_folder)]
        while stack:
            path, real = stack.pop()
            try:
                with os.scandir(path) as listing:
                    entries = list(listing)
            except (FileNotFoundError, NotADirectoryError, PermissionError):
                continue
            for entry in entries:
                try:
                    if entry.is_symlink():
                        if entry.is_file():
                            yield self.display(entry.path)
                    elif entry.is_dir():
                        stack.append((entry.path, os.path.join(real, entry.name)))
                    elif entry.is_file():
                        rel = os.path.relpath(os.path.join(real, entry.name), real_root)
                        yield entry.path if rel.startswith("..") else rel
                except OSError:
                    continue

    def contains(self, path: str | os.PathLike) -> bool:
        """Return whether `path` lies inside the project once every symbolic link on the way is followed."""
        return Path(path).resolve().is_relative_to(self.real_root)

    def template_names(self) -> list[str]:
        """Return every template name available to this project."""
        names = set()
        for base in (self.templates_dir, bundled_templates()):
            if base.is_dir():
                names.update(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
        return sorted(names)

    def display(self, path: str | os.PathLike) -> str:
        """Return `path` relative to the root when it lies inside, for messages."""
        try:
            rel = os.path.relpath(os.path.realpath(path), self.real_root)
        except ValueError:
            return str(path)
        return str(path) if rel.startswith("..") else rel


@functools.cache  # where the installed package is does not change while it runs
def bundled_templates() -> Path:
    """Return the folder of templates that ship with reegen."""
    return Path(str(resources.files("reegen").joinpath("templates")))


def find_root(start: str | os.PathLike) -> Path:
    """Return the project root for a spec or folder `start`.

    The nearest folder upwards holding `reegen.toml`; failing that, for a spec file,
    its parent's parent (briefs/x.yaml -> the project), and for a folder, the folder.
    """
    # Strings, not Paths: every build asks, and pathlib's objects cost more than the stat calls.
    real = os.path.realpath(start)
    is_dir = os.path.isdir(real)
    here = real if is_dir else os.path.dirname(real)
    folder = here
    while True:
        if os.path.isfile(os.path.join(folder, CONFIG_NAME)):
            return Path(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return Path(here if is_dir else os.path.dirname(here))


def load_project(start: str | os.PathLike) -> Project:
    """Return the project holding `start`, with its `reegen.toml` settings.

    Raises `ProjectError` for an unreadable or invalid `reegen.toml`.
    """
    root = find_root(start)
    config_path = root / CONFIG_NAME
    config: dict = {}
    if config_path.is_file():
        try:
            raw = config_path.read_bytes()
            data = tomllib.loads(raw.decode("utf-8"))
        except OSError as exc:
            raise ProjectError(f"cannot read {CONFIG_NAME}: {exc.strerror or exc}", Location(CONFIG_NAME),
                               code="config.unreadable") from None
        except UnicodeDecodeError as exc:
            from .text import bad_utf8

            message, where = bad_utf8(raw, exc, CONFIG_NAME)
            raise ProjectError(message, where, code="config.encoding", hint="save the file as UTF-8") from None
        except tomllib.TOMLDecodeError as exc:
            # Python 3.11's error names the place only in its text: "... (at line 1, column 9)".
            found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", str(exc))
            message = str(exc)[: found.start()] if found else str(exc)
            where = Location(CONFIG_NAME, int(found.group(1)), int(found.group(2))) if found else Location(CONFIG_NAME)
            raise ProjectError(f"invalid TOML: {message}", where, code="config.syntax") from None
        config = dict(data.get("project", {}))
        config.update((k, v) for k, v in data.items() if k not in ("project", "brand", "defaults"))
        unknown = [k for k in config if k not in _CONFIG_KEYS]
        if unknown:
            raise ProjectError(f"unknown setting '{unknown[0]}' in {CONFIG_NAME} (known: {', '.join(_CONFIG_KEYS)})",
                               setting_location(config_path, "project", unknown[0]), code="config.unknown-key")
        _check_values(config, config_path)
        brand = data.get("brand", {})
        if not isinstance(brand, dict) or any(k not in _BRAND_KEYS for k in brand):
            raise ProjectError(f"[brand] in {CONFIG_NAME} takes {', '.join(_BRAND_KEYS)}", Location(CONFIG_NAME),
                               code="config.unknown-key")
        config["brand"] = brand
        _confine(root, config, config_path)
        if "defaults" in data:
            from .spec.defaults import load_defaults

            config["defaults"] = load_defaults(data["defaults"], config_path)
    return Project(root, config, real_root=root)  # `find_root` answers a real path: no link left to follow


#: how reegen.toml's value types are named in messages (TOML's words, not Python's)
_TOML_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "a table"}


def _check_values(config: dict, config_path: Path) -> None:
    """Refuse a `formats` or `page_size` setting reegen cannot write, at its line; store each in its usual form.

    Checked here, once, so that a wrong value is reported when the project is read, not by
    the writer that first uses it, after the whole brief has been composed.
    """
    if "formats" in config:
        value = config["formats"]
        names = [value] if isinstance(value, str) else value
        where = setting_location(config_path, "project", "formats")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise ProjectError(f"'formats' in {CONFIG_NAME} must be a list of formats such as [\"pdf\", \"docx\"]",
                               where, code="config.bad-value")
        unknown = [n for n in names if n.strip().lower() not in FORMATS]
        if unknown:
            hint = did_you_mean(unknown[0].strip().lower(), FORMATS)
            raise ProjectError(f"'formats' in {CONFIG_NAME} names '{unknown[0]}', which reegen does not write"
                               + (f"; {hint}" if hint else ""), where, code="config.bad-value",
                               hint=f"the formats are {', '.join(FORMATS)}")
        config["formats"] = tuple(dict.fromkeys(n.strip().lower() for n in names))
    if "page_size" in config:
        name = page_size_name(config["page_size"])
        if name is None:
            value = config["page_size"]
            shown = f"'{value}'" if isinstance(value, str) else _TOML_KINDS.get(type(value), "a date")
            raise ProjectError(f"'page_size' in {CONFIG_NAME} must be one of {', '.join(PAGE_SIZES)}, not {shown}",
                               setting_location(config_path, "project", "page_size"), code="config.bad-value")
        config["page_size"] = name


def _confine(root: Path, config: dict, config_path: Path) -> None:
    """Refuse `sources` and `output_dir` settings that lead outside the project (after symlinks)."""
    real_root = None
    for key in ("sources", "output_dir"):
        value = config.get(key)
        if value is None:
            continue
        real_root = real_root or root.resolve()
        where = setting_location(config_path, "project", key)
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            raise ProjectError(f"'{key}' in {CONFIG_NAME} must be a path inside the project", where,
                               code="config.bad-path")
        if not (root / value).resolve().is_relative_to(real_root):
            raise ProjectError(f"'{key}' in {CONFIG_NAME} leads outside the project: '{value}'", where,
                               code="config.outside",
                               hint="name a path relative to the project root, with no symbolic link out of it")


#: files and folders that mark a project's root, in the order they are looked for
PROJECT_MARKERS = (CONFIG_NAME, "briefs", "articles")


def find_project(start: str | os.PathLike, *, explicit: bool = False) -> Project:
    """Return the project holding the folder `start`: the nearest folder upwards with a project marker.

    A marker is `reegen.toml`, `briefs/` or `articles/`. With `explicit` (the user named
    the folder with `--project`), only `start` itself is looked at. Raises `ProjectError`
    with a hint when no folder qualifies, so no command quietly creates a project's
    folders wherever it happens to run.
    """
    here = Path(start).resolve()
    for folder in (here,) if explicit else (here, *here.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return load_project(folder)
    raise ProjectError(f"not a reegen project: no reegen.toml, briefs/ or articles/ in '{here}'"
                       + ("" if explicit else " or any folder above"),
                       code="project.not-found",
                       hint="run it inside a project, pass --project DIR, or start one with `reegen init DIR`")


def setting_location(config_path: Path, table: str | None, key: str) -> Location:
    """Return where `key` of `[table]` is set in reegen.toml at `config_path` (its line when it can be found)."""
    return config_location(config_path, table, key)
