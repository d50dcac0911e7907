"""The [brand] of reegen.toml, checked once for both writers: accent colour, logo image and its text, body font.

Brand files are read from inside the project only (symlinks resolved), must be regular
files of bounded size, and are identified by their bytes, not their names: a logo is a
PNG or JPEG whose header states a sane size, a font is a TrueType file. Every refusal is
a `RenderError` located at the setting's line in `reegen.toml`.
"""

from __future__ import annotations

import re
import stat
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location, RenderError, config_location

if TYPE_CHECKING:  # the options are the package's; this module is loaded from it (`check_settings`)
    from . import WriteOptions

CONFIG_NAME = "reegen.toml"
#: limits on brand files; a logo of 40 megapixels is far beyond any page's needs
MAX_LOGO_BYTES = 10 * 1024 * 1024
MAX_LOGO_PIXELS = 40_000_000
MAX_FONT_BYTES = 60 * 1024 * 1024
_ACCENT = re.compile(r"#[0-9A-Fa-f]{6}")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class Brand:
    """What a brand changes in a brief; every field is optional."""

    #: accent colour as "#rrggbb" (lower case): title, headings, rules, table headers, links
    accent: str | None = None
    #: the logo file, checked to be a PNG or JPEG inside the project
    logo: Path | None = None
    #: the logo's size in pixels (width, height), read from its header
    logo_size: tuple[int, int] | None = None
    #: the body font (a TrueType file inside the project)
    font: Path | None = None
    #: the logo's alternative text, read out by screen readers (`logo_alt`; "Logo" when not given)
    logo_alt: str = "Logo"


def load_brand(options: WriteOptions) -> Brand:
    """Return the checked brand of `options`; raises `RenderError` located in reegen.toml."""
    settings = options.brand or {}
    if not settings:
        return Brand()
    base = options.base_dir
    accent = settings.get("accent")
    if accent is not None:
        if not isinstance(accent, str) or not _ACCENT.fullmatch(accent.strip()):
            raise RenderError(f"[brand] accent must be a colour written '#RRGGBB', not {_shown(accent)}",
                              location=setting_location(base, "brand", "accent"), code="render.brand")
        accent = accent.strip().lower()
    logo = size = font = None
    if settings.get("logo") is not None:
        logo = resolve_file(base, settings["logo"], "brand", "logo", MAX_LOGO_BYTES)
        size = _image_size(logo, setting_location(base, "brand", "logo"))
    if settings.get("font") is not None:
        font = resolve_file(base, settings["font"], "brand", "font", MAX_FONT_BYTES)
        _check_truetype(font, setting_location(base, "brand", "font"))
    logo_alt = settings.get("logo_alt")
    if logo_alt is not None:
        if not isinstance(logo_alt, str) or not logo_alt.strip() or not logo_alt.isprintable() or len(logo_alt) > 250:
            raise RenderError("[brand] logo_alt must be one line of text (at most 250 characters) saying what the "
                              f"logo shows, such as the organisation's name, not {_shown(logo_alt)}",
                              location=setting_location(base, "brand", "logo_alt"), code="render.brand")
        logo_alt = " ".join(logo_alt.split())
    return Brand(accent=accent, logo=logo, logo_size=size, font=font, logo_alt=logo_alt or "Logo")


def resolve_file(base_dir: Path | None, value, table: str | None, key: str, max_bytes: int) -> Path:
    """Return the real path of file setting `key`, refusing anything outside `base_dir`.

    Relative values resolve against `base_dir`; symlinks are followed and the target must
    still lie inside it. The file must be a regular file no larger than `max_bytes`.
    """
    where = setting_location(base_dir, table, key)
    name = f"[{table}] {key}" if table else key
    if not isinstance(value, (str, Path)) or not str(value).strip() or "\x00" in str(value):
        raise RenderError(f"{name} must be a path to a file inside the project, not {_shown(value)}",
                          location=where, code="render.brand")
    root = (base_dir or Path.cwd()).resolve()
    path = Path(str(value)).expanduser()
    path = path if path.is_absolute() else root / path
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError):
        raise RenderError(f"{name} '{value}' does not exist", location=where,
                          hint="give a path relative to the project root", code="render.brand") from None
    if not real.is_relative_to(root):
        raise RenderError(f"{name} '{value}' is outside the project ({root}); brand files are read from inside it only",
                          location=where, hint="copy the file into the project and name it relative to the root",
                          code="render.brand")
    if not stat.S_ISREG(info.st_mode):
        raise RenderError(f"{name} '{value}' is not a regular file", location=where, code="render.brand")
    if info.st_size > max_bytes:
        raise RenderError(f"{name} '{value}' is {info.st_size:,} bytes; the limit is {max_bytes:,}",
                          location=where, code="render.brand")
    return real


def setting_location(base_dir: Path | None, table: str | None, key: str) -> Location:
    """Return where `key` of `[table]` is set in reegen.toml (its line when it can be found)."""
    return config_location((base_dir or Path.cwd()) / CONFIG_NAME, table, key)


def _image_size(path: Path, where: Location) -> tuple[int, int]:
    """Return the (width, height) a PNG or JPEG header states; refuse other files and huge images."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    size = _png_size(head) if head.startswith(_PNG_MAGIC) else _jpeg_size(head) if head[:3] == b"\xff\xd8\xff" else None
    if size is None:
        raise RenderError(f"[brand] logo '{path.name}' is not a PNG or JPEG image", location=where,
                          hint="export the logo as PNG (or JPEG)", code="render.brand")
    width, height = size
    if width <= 0 or height <= 0 or width * height > MAX_LOGO_PIXELS:
        raise RenderError(f"[brand] logo '{path.name}' is {width}x{height} pixels; the limit is "
                          f"{MAX_LOGO_PIXELS:,} pixels", location=where, code="render.brand")
    return size


def _png_size(head: bytes) -> tuple[int, int] | None:
    if len(head) < 24 or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    """Return the size from the first start-of-frame marker in the first 64 KiB of a JPEG."""
    i = 2
    while i + 9 < len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = struct.unpack(">H", head[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", head[i + 5:i + 9])
            return width, height
        i += 2 + length
    return None


def _check_truetype(path: Path, where: Location) -> None:
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"OTTO":
        raise RenderError(f"[brand] font '{path.name}' has PostScript (CFF) outlines, which reportlab cannot embed",
                          location=where, hint="use a TrueType (.ttf) version of the font", code="render.brand")
    if magic not in (b"\x00\x01\x00\x00", b"true"):
        raise RenderError(f"[brand] font '{path.name}' is not a TrueType font file", location=where,
                          hint="give one .ttf file (not a collection, WOFF or OTF)", code="render.brand")


def _shown(value) -> str:
    return f"'{value}'" if isinstance(value, str) else type(value).__name__


def font_family_name(path: Path) -> str:
    """Return the family name a TrueType file declares (name id 16, else 1), or its file stem."""
    try:
        data = path.read_bytes()
        num_tables = struct.unpack(">H", data[4:6])[0]
        for i in range(num_tables):
            tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
            if tag != b"name":
                continue
            _, count, strings = struct.unpack(">HHH", data[offset:offset + 6])
            found: dict[int, str] = {}
            for j in range(count):
                platform, encoding, _, name_id, length, start = struct.unpack(
                    ">HHHHHH", data[offset + 6 + 12 * j: offset + 18 + 12 * j])
                if name_id not in (1, 16) or name_id in found:
                    continue
                raw = data[offset + strings + start: offset + strings + start + length]
                if platform in (0, 3):
                    found[name_id] = raw.decode("utf-16-be", "replace")
                elif platform == 1 and encoding == 0:
                    found[name_id] = raw.decode("latin-1")
            name = (found.get(16) or found.get(1) or "").strip()
            if name and name.isprintable():
                return name
    except (OSError, struct.error):
        pass
    return path.stem
