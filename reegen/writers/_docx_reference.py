"""An organisation's reference .docx (`reference_docx` in reegen.toml): its styles and theme.

The file is a zip from outside reegen, so it is read the careful way (RELIABILITY 1.8):
the file's size, member count, each member's size and compression ratio and the total are
bounded before anything is decompressed; duplicate names are refused; the parts read are
read with a byte cap that does not trust the zip headers; and a part carrying a DTD is
refused before XML parsing (OOXML has none). Only `styles.xml` and the theme are read;
python-docx never opens the file.

Applying it: each of its styles replaces reegen's style of the same name (matched as
Word does, by name, so a German "heading 1" replaces "Heading 1") or is added; the
document defaults and theme are taken over. List styles keep reegen's numbering, since
numbering ids belong to the package they came from.
"""

from __future__ import annotations

import copy
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from ..errors import RenderError
from ._brand import resolve_file, setting_location

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 25 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
#: uncompressed / compressed; XML compresses 10-20x, a bomb thousands of times
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024  # small members may compress well without being suspect

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_KEEP_NAMESPACES = frozenset({_W, _R, _XML_NS})
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


@dataclass(frozen=True, slots=True)
class ReferenceStyles:
    """What reegen takes from a reference .docx."""

    #: its `w:styles` element
    styles: etree._Element
    #: the bytes of its theme part, if it has one
    theme: bytes | None
    #: the file, for messages
    name: str


def load_reference(path: Path, base_dir: Path | None) -> ReferenceStyles:
    """Return the styles and theme of the reference .docx at `path`, checked against the limits.

    Raises `RenderError` located at `reference_docx` in reegen.toml.
    """
    where = setting_location(base_dir, "project", "reference_docx")
    real = resolve_file(base_dir, path, "project", "reference_docx", MAX_FILE_BYTES)

    def fail(problem: str) -> RenderError:
        return RenderError(f"reference_docx '{real.name}' {problem}", location=where,
                           hint="save the house style as an ordinary .docx from Word or LibreOffice",
                           code="render.reference-docx")

    try:
        with zipfile.ZipFile(real) as archive:
            infos = archive.infolist()
            _check_limits(infos, fail)
            names = {info.filename for info in infos}
            package_rels = _read(archive, "_rels/.rels", fail) if "_rels/.rels" in names else None
            document_part = ((_target(package_rels, "", "officeDocument") if package_rels is not None else None)
                             or "word/document.xml")
            folder, base = posixpath.split(document_part)
            rels_name = posixpath.join(folder, "_rels", base + ".rels")
            rels = _read(archive, rels_name, fail) if rels_name in names else None
            styles_name = (_target(rels, folder, "styles") if rels is not None else None) or "word/styles.xml"
            theme_name = (_target(rels, folder, "theme") if rels is not None else None) or "word/theme/theme1.xml"
            if styles_name not in names:
                raise fail("has no styles part (word/styles.xml)")
            styles = _read(archive, styles_name, fail)
            theme = _read_bytes(archive, theme_name, fail) if theme_name in names else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise fail(f"is not a readable .docx (zip) file: {exc}") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    if styles.tag != qn("w:styles"):
        raise fail(f"has a styles part whose root is not w:styles ({styles.tag})")
    if theme is not None:
        _parse(theme, theme_name, fail)  # refuse a DTD or broken XML here, not in Word
    return ReferenceStyles(styles, theme, real.name)


def _check_limits(infos: list[zipfile.ZipInfo], fail) -> None:
    if len(infos) > MAX_MEMBERS:
        raise fail(f"has {len(infos)} members; the limit is {MAX_MEMBERS}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        if info.filename in seen:
            raise fail(f"holds '{info.filename}' twice")
        seen.add(info.filename)
        if info.file_size > MAX_MEMBER_BYTES:
            raise fail(f"member '{info.filename}' unpacks to {info.file_size:,} bytes; the limit is {MAX_MEMBER_BYTES:,}")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise fail(f"member '{info.filename}' is compressed {info.file_size // max(info.compress_size, 1)}:1; "
                       f"the limit is {MAX_RATIO}:1 (a zip bomb?)")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise fail(f"unpacks to {total:,} bytes; the limit is {MAX_TOTAL_BYTES:,}")


def _read_bytes(archive: zipfile.ZipFile, name: str, fail) -> bytes:
    # The header's file_size was checked, but a crafted entry can inflate past it: cap the read.
    with archive.open(name) as member:
        data = member.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise fail(f"member '{name}' unpacks to more than {MAX_MEMBER_BYTES:,} bytes")
    return data


def _read(archive: zipfile.ZipFile, name: str, fail) -> etree._Element:
    return _parse(_read_bytes(archive, name, fail), name, fail)


def _parse(data: bytes, name: str, fail) -> etree._Element:
    if _DTD.search(data):
        raise fail(f"part '{name}' carries a DTD, which OOXML never has")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise fail(f"part '{name}' is not well-formed XML: {exc}") from None


def _target(rels: etree._Element, folder: str, kind: str) -> str | None:
    """Return the part name (zip member) the relationship of type `.../kind` in `rels` points to."""
    for rel in rels.iter(f"{{{_PKG_RELS}}}Relationship"):
        if (rel.get("Type") or "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            return None if name.startswith("..") else name
    return None


# ---------------------------------------------------------------------------- applying


def apply_reference(document: DocxDocument, reference: ReferenceStyles) -> None:
    """Give `document` the styles, document defaults and theme of `reference`."""
    ours = document.styles.element
    by_name = {_name(s): s for s in ours.iterchildren(qn("w:style"))}
    renamed: dict[str, str] = {}  # the reference's style id -> ours, where they differ
    incoming = [s for s in reference.styles.iterchildren(qn("w:style")) if s.get(qn("w:styleId"))]
    for style in incoming:
        mine = by_name.get(_name(style))
        if mine is not None and mine.get(qn("w:styleId")) != style.get(qn("w:styleId")):
            renamed[style.get(qn("w:styleId"))] = mine.get(qn("w:styleId"))
    for style in incoming:
        new = _clean(copy.deepcopy(style))
        style_id = renamed.get(new.get(qn("w:styleId")), new.get(qn("w:styleId")))
        new.set(qn("w:styleId"), style_id)
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = new.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) in renamed:
                ref.set(qn("w:val"), renamed[ref.get(qn("w:val"))])
        mine = by_name.get(_name(style))
        _keep_numbering(new, mine)
        if mine is not None:
            mine.addprevious(new)
            ours.remove(mine)
        else:
            ours.append(new)
        by_name[_name(style)] = new
    defaults = reference.styles.find(qn("w:docDefaults"))
    if defaults is not None:
        mine = ours.find(qn("w:docDefaults"))
        new = _clean(copy.deepcopy(defaults))
        if mine is not None:
            mine.addprevious(new)
            ours.remove(mine)
        else:
            ours.insert(0, new)
    if reference.theme is not None:
        _set_theme(document, reference.theme)


def _name(style: etree._Element) -> str:
    name = style.find(qn("w:name"))
    value = name.get(qn("w:val")) if name is not None else style.get(qn("w:styleId"))
    return f"{style.get(qn('w:type'))}:{(value or '').lower()}"


def _keep_numbering(new: etree._Element, mine: etree._Element | None) -> None:
    """Give `new` reegen's numbering (or none): numbering ids name parts of the other package."""
    ppr = new.find(qn("w:pPr"))
    if ppr is not None:
        for num in ppr.findall(qn("w:numPr")):
            ppr.remove(num)
    my_ppr = mine.find(qn("w:pPr")) if mine is not None else None
    my_num = my_ppr.find(qn("w:numPr")) if my_ppr is not None else None
    if my_num is None:
        return
    if ppr is None:
        ppr = etree.SubElement(new, qn("w:pPr"))
        rpr = new.find(qn("w:rPr"))
        if rpr is not None:  # schema order: pPr before rPr
            rpr.addprevious(ppr)
    # numPr follows keepNext ... pageBreakBefore ... widowControl in CT_PPrBase; first is safe
    # only where none of those precede it, so place it after any of them.
    before = [qn(t) for t in ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
                              "w:widowControl")]
    index = 0
    for i, child in enumerate(ppr):
        if child.tag in before:
            index = i + 1
    ppr.insert(index, copy.deepcopy(my_num))


def _clean(element: etree._Element) -> etree._Element:
    """Return `element` without parts in namespaces reegen's styles part does not declare ignorable."""
    for child in list(element.iter()):
        if not isinstance(child.tag, str):
            continue
        namespace = etree.QName(child).namespace
        if namespace not in _KEEP_NAMESPACES and child.getparent() is not None:
            child.getparent().remove(child)
            continue
        for key in list(child.attrib):
            if key.startswith("{") and etree.QName(key).namespace not in _KEEP_NAMESPACES:
                del child.attrib[key]
    return element


def _set_theme(document: DocxDocument, theme: bytes) -> None:
    part = document.part
    for rel in part.rels.values():
        if rel.reltype == RT.THEME and not rel.is_external:
            rel.target_part._blob = theme
            return
    theme_part = Part(PackURI("/word/theme/theme1.xml"), CT.OFC_THEME, theme, part.package)
    part.relate_to(theme_part, RT.THEME)
