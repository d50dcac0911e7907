"""Article ids: short, stable slugs of the title, and the check every id passes wherever it enters.

An id names a file in the articles folder, so it must be a slug (lowercase ASCII letters,
digits and single hyphens, at most 80 characters): `../README`, `/tmp/x`, `a/b`, a newline
or a 300-character id never reaches the file system.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ArticleError, Location
from ..model import slugify

#: the longest id accepted from front matter, `--id` or a sidecar
ID_MAX = 80
#: how many words of the title a derived id keeps (small words ride along free)
ID_WORDS = 5
_DERIVED_MAX = 60
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_FREE_WORDS = {"a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "at", "by", "with", "from", "as", "is", "its"}


def is_slug(value: str) -> bool:
    """Return whether `value` can be an article id: a lowercase ASCII slug of at most `ID_MAX` characters."""
    return isinstance(value, str) and len(value) <= ID_MAX and bool(_SLUG.match(value))


def ascii_slug(text: str) -> str:
    """Return `text` as a lowercase ASCII slug (accents dropped, other scripts left out)."""
    text = unicodedata.normalize("NFKD", str(text).replace("’", "").replace("'", ""))
    return slugify("".join(ch for ch in text if ch.isascii()))


def make_id(title: str, name: str) -> str:
    """Return a short slug for an article titled `title`: its first five words (small words
    such as "a" and "of" ride along, seven words at most), so the same title always gives the same id. Falls back
    to the input file's name when the title has no ASCII letters."""
    slug = ascii_slug(title) or ascii_slug(Path(name).stem) or "article"
    words, counted = [], 0
    for word in slug.split("-"):
        if counted >= ID_WORDS or len(words) >= ID_WORDS + 2:
            break
        words.append(word)
        counted += word not in _FREE_WORDS
    while len(words) > 1 and words[-1] in _FREE_WORDS:
        words.pop()
    slug = "-".join(words)
    if len(slug) > _DERIVED_MAX:
        cut = slug[:_DERIVED_MAX + 1]
        slug = cut[:cut.rfind("-")] if "-" in cut[:_DERIVED_MAX] else slug[:_DERIVED_MAX]
    return slug


def safe_id(value: str) -> str:
    """Return `value` when it is a slug, else the slug made from it (never a path)."""
    if is_slug(value):
        return value
    slug = ascii_slug(str(value).replace("/", " ").replace("\\", " ").replace(".", " "))[:ID_MAX].strip("-")
    return slug or "article"


def check_id(value: str, where: str, location: Location | None = None) -> str:
    """Return `value` when it is a valid id; raise `ArticleError` naming `where` it came from otherwise."""
    if is_slug(value):
        return value
    shown = printable(value)
    raise ArticleError(f"id '{shown}' ({where}) is not a slug: use lowercase letters, digits and '-', at most {ID_MAX} characters",
                       location, code="ingest.id", hint=f"for example '{safe_id(value)}'")


def printable(value: object, width: int = 60) -> str:
    """Return `value` for a message: control characters escaped, cut to `width`."""
    text = str(value).encode("unicode_escape").decode("ascii") if any(ord(c) < 32 for c in str(value)) else str(value)
    return text if len(text) <= width else text[:width - 1] + "…"
