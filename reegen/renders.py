"""A cache of rendered templates, parsed: the brief layout, section templates and spec `text:`.

A rebuild whose templates and data are unchanged renders the same Markdown and parses it
to the same blocks. Kept in `.reegen-cache/corpus.sqlite` (table `renders`), such a
rebuild skips Jinja and markdown-it altogether: about 40 ms of imports, a third of what
reegen adds to a sample brief. A render is stored with the problems its parse found, the
template files it read and the `toc()` calls it made, and all of them are replayed.

A row is used only when all of these match what it was made from, compared by digest:

- the code, by the cache package's one rule (`reegen.cache`): a database made by other
  reegen files or other versions of Jinja2, MarkupSafe or markdown-it-py is emptied;
- the template folders, in order, with every file in them by name and content;
- what is rendered (the template's name, or the spec text with its file and line), the
  data given to it (as JSON), and the number of placeholders made before it.

Not stored: a render whose template folder or text mentions `random` or `lipsum` (Jinja's
random filter and lorem-ipsum global would stop changing), a folder holding a symlink or
an oversized file (the loader reports those), and a render whose output has the
placeholder prefix anywhere but in reegen's own placeholders. Placeholders are made with
a random part so that no article or template can forge one (see `compose._Slots`); a
stored render has that part replaced by a fixed one, which is safe because nothing else
in its output starts like a placeholder. Rows are JSON, as in `corpus.bodies`: reading
one rebuilds model classes by name, and never runs code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .cache import CacheTable, digest
from .errors import Diagnostic
from .parse import decode, encode

#: a template folder with more files than this, or a file larger than this, is not cached
_MAX_FILES = 200
_MAX_FILE_BYTES = 512_000
#: Jinja names whose output changes from one render to the next
_UNSTABLE = (b"random", b"lipsum")
#: rows kept, newest first; older ones are deleted when new ones are saved
KEEP = 100


@dataclass(frozen=True, slots=True)
class Rendered:
    """One render, parsed: what `compose` needs to replay it."""

    #: the parsed blocks, their placeholders in the fixed form
    blocks: tuple
    #: the file name locations in the template point to
    filename: str
    #: what the parse reported
    diagnostics: tuple[Diagnostic, ...]
    #: template files read by the end of the render (display name -> real path)
    loaded: dict
    #: titles of the `toc()` calls the template made, in order
    tocs: tuple[str, ...]


def folder_state(dirs: list[Path], display) -> str | None:
    """Return a digest of template folders `dirs` (every file, by name and content), or None if not cacheable."""
    state = hashlib.sha256()
    count = 0
    try:
        for folder in dirs:
            root = folder.resolve()
            state.update(f"{folder}\0{root}\0{display(folder)}\0".encode("utf-8", "surrogatepass"))
            for path in sorted(root.rglob("*")):
                if path.is_symlink():
                    return None
                if not path.is_file():
                    continue
                count += 1
                if count > _MAX_FILES or path.stat().st_size > _MAX_FILE_BYTES:
                    return None
                data = path.read_bytes()
                if any(word in data for word in _UNSTABLE):
                    return None
                state.update(path.relative_to(root).as_posix().encode("utf-8", "surrogatepass") + b"\0")
                state.update(len(data).to_bytes(8, "big") + data)
    except (OSError, ValueError):
        return None
    return state.hexdigest()


def is_stable(text: str) -> bool:
    """Return whether template `text` renders the same every time it is given the same data."""
    return not any(word.decode() in text for word in _UNSTABLE)


class RenderCache:
    """Rendered and parsed templates of one project (table `renders`), written back by `save`."""

    def __init__(self, db_path: Path):
        self.table = CacheTable(db_path, "renders", KEEP)

    @staticmethod
    def key(*parts: str) -> str:
        """Return the key of a render described by `parts` (the folder state, what is rendered, its data)."""
        return digest(*parts)

    def get(self, key: str) -> Rendered | None:
        """Return the render stored under `key`, or None (also when its row is damaged)."""
        stored = self.table.get(key)
        if stored is None:
            return None
        try:
            data = decode(stored)
            blocks = data["blocks"]
            found = Rendered(blocks, str(data["filename"]), tuple(Diagnostic.from_dict(d) for d in data["diagnostics"]),
                             {str(k): Path(v) for k, v in data["loaded"].items()}, tuple(str(t) for t in data["tocs"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        if not isinstance(blocks, tuple) or not all(type(b).__module__ == "reegen.model" for b in blocks):
            return None
        return found

    def put(self, key: str, rendered: Rendered) -> None:
        """Remember a render (written by `save`)."""
        try:
            text = json.dumps({
                "blocks": encode(rendered.blocks),
                "filename": rendered.filename,
                "diagnostics": [d.to_dict() for d in rendered.diagnostics],
                "loaded": {k: str(v) for k, v in rendered.loaded.items()},
                "tocs": list(rendered.tocs),
            }, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            return
        self.table.put(key, text)

    def save(self) -> None:
        """Write the renders made since the last save, keep the newest `KEEP`, and close."""
        self.table.save()
