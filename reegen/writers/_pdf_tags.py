"""Tagged PDF: the structure tree, marked content and PDF/UA identification of a brief.

reportlab writes no structure tree and has no public API for marked content, so this
module does both, at the flowable level, and is the only place in reegen that does:

- `StructureTree` is built with the story (`_pdf_story`), one `Element` per heading,
  paragraph, list, list item, table cell ... in reading order. Flowables carry their
  element as `_reegen_tag` (`ARTIFACT` for decoration).
- `Tagged` is mixed into the flowable classes reegen draws. Its `drawOn` asks the page
  tagger on the canvas to wrap the drawing in `/P <</MCID n>> BDC ... EMC` (or an
  `/Artifact` sequence), whatever draws the text inside: reegen's fast drawing path or
  reportlab's own `drawPara`, which therefore both produce the same tags.
- `PageTagger` lives on one canvas (one layout pass; a table of contents takes several).
  It numbers the marked content of each page, catches every annotation the canvas adds
  (to give it `/StructParent`, a `/Link` element and a `/Contents` description) and, when
  the canvas is saved, writes the structure tree, the parent tree, `/MarkInfo`, `/Lang`,
  the pages' `/StructParents` and `/Tabs`, and XMP metadata naming PDF/UA-1.

reportlab internals used (the tag tests pass with reportlab 5.1 and 4.4;
`tests/writers/test_pdf_tags.py` checks they exist in the installed version). Apart from `Canvas._code`, which reegen's
canvas relies on throughout, a missing one means less tagging (links untagged, rules and
shading or contents entries unmarked, which `pdfua` and the tests report), not a failed build:

- `Canvas._code` (the page's operator list) to add the marked-content operators;
- `Canvas._addAnnotation` and `Canvas.drawText`, wrapped on the one canvas instance, to
  see annotations and the bullet's separate text object (`paragraph._drawBullet`);
- `Table._drawBkgrnd` and `Table._drawLines`, overridden to mark rules and shading as artifacts;
- `PDFPage.__NoDefault__` (per page) to write `/StructParents` and `/Tabs`;
- `TableOfContents._table` and `Table._cellvalues`, to tag the entries reportlab makes,
  and its `drawTOCEntryEnd` callback (through the canvas's public `getNamedCB`), to mark
  dot leaders and page numbers as artifacts (`_pdf_story._Contents`; the table of
  contents test fails without them).
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFPage, PDFStream, PDFString

__all__ = [
    "ARTIFACT", "Container", "Element", "PageTagger", "StructureTree", "Tagged", "TaggedTable",
    "artifact", "as_artifact", "language_of", "missing_internals", "tag",
]

#: the `_reegen_tag` of a flowable that is decoration (rules, spacing): marked as an artifact
ARTIFACT = "artifact"
#: reportlab's private names this module relies on (see the module docstring); a test checks them
INTERNALS = (("Table", "_drawBkgrnd"), ("Table", "_drawLines"), ("Canvas", "_addAnnotation"),
             ("Canvas", "drawText"), ("PDFPage", "__NoDefault__"))


def missing_internals() -> list[str]:
    """Return the names of `INTERNALS` the installed reportlab lacks (empty: the tags can be written)."""
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus.tables import Table

    owners = {"Table": Table, "Canvas": Canvas, "PDFPage": PDFPage}
    return [f"{owner}.{name}" for owner, name in INTERNALS if not hasattr(owners[owner], name)]


#: page operators that draw nothing: only the graphics state (see `PageTagger.aside`)
_STATE_ONLY = re.compile(r"(q|Q|[-+0-9.e ]+ cm|)\Z")
#: the first word of a letter's Unicode name -> its script (ISO 15924), for the scripts reegen has fonts for
_SCRIPTS = {"CJK": "Hani", "HIRAGANA": "Kana", "KATAKANA": "Kana", "HANGUL": "Hang", "ARABIC": "Arab",
            "DEVANAGARI": "Deva", "HEBREW": "Hebr"}
#: languages written in each script: text in a script the brief's own language uses needs no /Lang
_WRITTEN_IN = {"Hani": {"zh", "ja", "ko"}, "Kana": {"ja"}, "Hang": {"ko"},
               "Arab": {"ar", "fa", "ur", "ps", "ku", "sd", "ug"}, "Deva": {"hi", "mr", "ne", "sa", "kok", "mai"},
               "Hebr": {"he", "yi"}}


def language_of(text: str, language: str) -> str | None:
    """Return the /Lang of an element whose letters are all in one script other than `language`'s, else None.

    Hangul is Korean and kana Japanese; Han characters with neither are taken as Chinese
    (Japanese and Korean text nearly always holds kana or hangul), an inference a reader
    of the tags can see in the README. Arabic, Devanagari and Hebrew letters are each
    written in several languages, so they get an undetermined language in their script
    (`und-Arab`), which names the script without guessing the language.
    """
    if text.isascii():
        return None
    scripts = set()
    for char in text:
        if char.isalpha():
            word = unicodedata.name(char, "").split(" ", 1)[0]
            scripts.add(_SCRIPTS.get(word, "other"))
            if "other" in scripts:
                return None
    if not scripts:
        return None
    primary = language.split("-", 1)[0].lower()
    if all(primary in _WRITTEN_IN[script] for script in scripts):
        return None
    if "Hang" in scripts and scripts <= {"Hang", "Hani"}:
        return "ko"
    if "Kana" in scripts and scripts <= {"Kana", "Hani"}:
        return "ja"
    if scripts == {"Hani"}:
        return "zh"
    if len(scripts) == 1:
        return "und-" + scripts.pop()
    return None


class Element:
    """One structure element: a role (`P`, `H2`, `TD` ...), its parent and its children in reading order."""

    __slots__ = ("role", "parent", "kids", "attrs", "label", "repeats")

    def __init__(self, role: str, parent: Element | None = None, attrs: dict | None = None):
        self.role = role
        self.parent = parent
        self.kids: list[Element] = []
        #: extra entries of the element's dictionary, e.g. {"Alt": "..."} or {"A": {"Scope": "Column"}}
        self.attrs = attrs or {}
        #: the `Lbl` element a bulleted paragraph draws its bullet into
        self.label: Element | None = None
        #: a repeated table header: drawn again on a later page, it is an artifact
        self.repeats = False
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, **attrs) -> Element:
        """Return a new child element of this one with `role`, placed after the existing children."""
        return Element(role, self, attrs)

    def __repr__(self):
        return f"<Element {self.role}>"


def release_tree(root: Element) -> None:
    """Unlink the elements under `root` (and `root`) from each other, once the last layout pass is written.

    Parent and children refer to each other, so without this a tree lives on until the
    cyclic collector runs (see `PageTagger.release`). The tree is no longer usable after it.
    """
    stack = [root]
    while stack:
        element = stack.pop()
        stack.extend(element.kids)
        element.kids = []
        element.parent = element.label = None


class Container:
    """The `_reegen_tag` of a flowable that holds tagged flowables (a table): its own drawing is decoration."""

    __slots__ = ("element",)

    def __init__(self, element: Element):
        self.element = element


class StructureTree:
    """The logical structure of one brief, built with its story; written by each layout pass's `PageTagger`."""

    def __init__(self, language: str, title: str, author: str | None = None):
        self.root = Element("Document")
        self.language = language
        self.title = title
        self.author = author
        #: link destination or URL -> what a screen reader announces for the link ("Source 3: ...")
        self.link_texts: dict[str, str] = {}
        #: the destinations of source numbers: their links are tagged Reference / Link
        self.citations: set[str] = set()


def tag(flowables, element) -> list:
    """Give every flowable in `flowables` the tag `element` (an `Element`, `Container` or `ARTIFACT`); return them."""
    for flowable in flowables:
        flowable._reegen_tag = element
    return flowables


class Tagged:
    """Mixed into a flowable class: drawing it on a tagging canvas marks its content as its tag says."""

    _reegen_tag = None

    def drawOn(self, canvas, x, y, _sW=0):
        tagger = getattr(canvas, "_reegen_tagger", None)
        if tagger is None:
            return super().drawOn(canvas, x, y, _sW)
        return tagger.draw(self, super().drawOn, canvas, x, y, _sW)


class TaggedTable(Tagged):
    """Mixed into a Table class: its shading and rules are artifacts; its cells carry their own tags."""

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part._reegen_tag = self._reegen_tag
        return parts

    def _drawBkgrnd(self):
        with artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self):
        with artifact(self.canv):
            super()._drawLines()


@contextmanager
def artifact(canvas, kind: str = "Layout"):
    """Mark what is drawn on `canvas` inside the block as an artifact (`kind`: Layout or Pagination)."""
    tagger = getattr(canvas, "_reegen_tagger", None)
    if tagger is None or tagger.depth:
        yield
        return
    code = canvas._code
    code.append(f"/Artifact <</Type /{kind}>> BDC")
    tagger.depth += 1
    try:
        yield
    finally:
        tagger.depth -= 1
        canvas._code.append("EMC")


def as_artifact(callback):
    """Return `callback(canvas, ...)` drawing as an artifact, even in the middle of an element's content."""
    def drawn_as_artifact(canvas, *args):
        tagger = getattr(canvas, "_reegen_tagger", None)
        if tagger is None or tagger.open is None:
            with artifact(canvas):
                return callback(canvas, *args)
        with tagger.aside():
            return callback(canvas, *args)

    drawn_as_artifact.reegen_artifact = True
    return drawn_as_artifact


class PageTagger:
    """Marks content and records annotations on one canvas; `finish` writes the tags into its document."""

    def __init__(self, tree: StructureTree, canvas):
        self.tree = tree
        self.canvas = canvas
        #: page number -> the element each MCID of the page belongs to, by MCID
        self.marked: dict[int, list[Element]] = {}
        #: element -> its content in drawing order: (page, mcid) or a `Link` element
        self.content: dict[Element, list] = {}
        #: (annotation, its Link element, page number) in the order the canvas added them
        self.annotations: list[tuple] = []
        #: the annotations given no /Contents when drawn: described by `finish`
        self.undescribed: list = []
        #: open marked-content sequences (0 or 1: sequences never nest)
        self.depth = 0
        self.open: Element | None = None
        #: where in the page's operators the open sequence began
        self.begun_at = 0
        #: (Lbl element, body element) while a bulleted paragraph waits for its bullet
        self.pending = None
        canvas._reegen_tagger = self
        # Only this canvas's methods are wrapped; without reportlab's `_addAnnotation` links go untagged.
        add_annotation, draw_text = getattr(canvas, "_addAnnotation", None), canvas.drawText

        def _addAnnotation(annotation, name=None, addtopage=1):
            add_annotation(annotation, name, addtopage)
            self._annotation(annotation)

        def drawText(text_object):
            if self.pending is None:
                return draw_text(text_object)
            label, body = self.pending
            self.pending = None
            draw_text(text_object)  # the bullet: reportlab draws it as a text object of its own
            canvas._code.append("EMC")
            self._begin(body)

        if add_annotation is not None:
            canvas._addAnnotation = _addAnnotation
        canvas.drawText = drawText

    # ------------------------------------------------------------------ drawing
    def draw(self, flowable, draw, canvas, x, y, sW):
        """Draw `flowable` with `draw(canvas, x, y, sW)`, marked as its tag says."""
        tag = flowable._reegen_tag
        if self.depth:  # inside a sequence already: the content is that element's
            return draw(canvas, x, y, sW)
        if tag is None:  # nothing of its own to mark (a spacer); what it holds is tagged
            return draw(canvas, x, y, sW)
        if tag is ARTIFACT:
            with artifact(canvas):
                return draw(canvas, x, y, sW)
        if type(tag) is Container:
            return draw(canvas, x, y, sW)
        if tag.repeats and tag in self.content:  # a table header repeated on a later page
            with artifact(canvas, "Pagination"):
                return draw(canvas, x, y, sW)
        label = tag.label
        if label is not None and getattr(flowable, "bulletText", None):
            self.pending = (label, tag)
            self._begin(label)
        else:
            self._begin(tag)
        try:
            return draw(canvas, x, y, sW)
        finally:
            self.pending = None
            self.depth -= 1
            self.open = None
            canvas._code.append("EMC")

    @contextmanager
    def aside(self):
        """Mark what is drawn inside the block as an artifact, then go on with the open element's content."""
        element = self.open
        code = self.canvas._code
        start = self.begun_at
        if all(_STATE_ONLY.match(line) for line in code[start + 1:]):
            # nothing of the element drawn yet: its sequence becomes the artifact, its MCID is released
            code[start] = "/Artifact <</Type /Layout>> BDC"
            page = self.canvas.getPageNumber()
            marked = self.marked[page]
            self.content[element].remove((page, len(marked) - 1))  # links drawn so far stay the element's
            marked.pop()
        else:
            code.append("EMC")
            code.append("/Artifact <</Type /Layout>> BDC")
        try:
            yield
        finally:
            self.canvas._code.append("EMC")
            self.depth = 0
            self._begin(element)

    def _begin(self, element: Element) -> None:
        page = self.canvas.getPageNumber()
        marked = self.marked.get(page)
        if marked is None:
            marked = self.marked[page] = []
        mcid = len(marked)
        marked.append(element)
        found = self.content.get(element)
        if found is None:
            self.content[element] = [(page, mcid)]
        else:
            found.append((page, mcid))
        code = self.canvas._code
        self.begun_at = len(code)
        code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        self.depth = 1
        self.open = element

    def _annotation(self, annotation) -> None:
        owner = self.open
        if owner is None:  # an annotation drawn outside any element: give it one of its own
            owner = self.tree.root
        link = Element("Link")  # not in `owner.kids`: placed by `content`, in drawing order
        self.content.setdefault(owner, []).append(link)
        link.parent = owner
        self.annotations.append((annotation, link, self.canvas.getPageNumber()))
        if not _contents(annotation):
            self.undescribed.append(annotation)

    def _describe_links(self) -> None:
        """Give each link its /Contents and put each source number's in a Reference, once the story is all made.

        What a link is described as, and whether it goes to a source, are known from the
        Sources list and the headings, which the story may make after the link is drawn
        (`StoryBuilder.parts`).
        """
        for annotation in self.undescribed:
            _set(annotation, "Contents", self._describe(annotation))
        self.undescribed.clear()
        citations = self.tree.citations
        for annotation, link, _ in self.annotations:
            if _destination(annotation) not in citations:
                continue
            owner = link.parent  # a source number: a Reference holding the Link, in the Link's place
            reference = Element("Reference")
            reference.parent = owner
            kids = self.content[owner]
            at = next(i for i in range(len(kids) - 1, -1, -1) if kids[i] is link)
            kids[at] = reference
            self.content[reference] = [link]
            link.parent = reference

    def _describe(self, annotation) -> str:
        texts = self.tree.link_texts
        if isinstance(annotation, PDFDictionary):  # reportlab's linkURL
            action = annotation.dict.get("A")
            uri = action.dict.get("URI") if isinstance(action, PDFDictionary) else None
            target = getattr(uri, "s", uri)
            if isinstance(target, str):
                return texts.get(target) or f"Link to {target}"
            return "Link"
        name = _destination(annotation)
        if name is not None:
            return texts.get(name) or f"Link to {name}"
        return "Link"

    # ------------------------------------------------------------------ writing
    def finish(self) -> None:
        """Write the structure tree and the document-level tags into the canvas's document."""
        doc = self.canvas._doc
        pages = doc.Pages.pages
        tree = self.tree
        self._describe_links()
        has_content = self._with_content()
        numbers = doc.idToObjectNumberAndVersion

        def register(obj) -> bytes:
            return b"%d %d R" % numbers[doc.Reference(obj).name]

        # Every object is registered here, in reading order, so that each build numbers them
        # alike and each element's bytes can be written now, as plain bytes.
        root, parent_tree = _Object(), _Object()
        root_ref, parent_tree_ref = register(root), register(parent_tree)
        page_refs = [register(page) for page in pages]
        refs: dict[Element, bytes] = {}
        order: list[tuple[Element, list, _Object]] = []
        stack = [tree.root]
        while stack:
            element = stack.pop()
            kids = self._children(element, has_content)
            obj = _Object()
            refs[element] = register(obj)
            order.append((element, kids, obj))
            stack.extend(kid for kid in reversed(kids) if type(kid) is Element)
        # Each element's kids are in `order` now: what recorded them goes before the elements' bytes are made,
        # and each element's entry as soon as its bytes are (a 1,000-page brief has 100,000 elements).
        del has_content
        self.content.clear()
        annotations = {id(link): (register(annotation), page) for annotation, link, page in self.annotations}
        first_annotation_key = len(pages)
        for i, (annotation, _, _) in enumerate(self.annotations):
            _set(annotation, "StructParent", first_annotation_key + i)
        for at in range(len(order)):
            element, kids, obj = order[at]
            order[at] = None
            parent = refs[element.parent] if element.parent is not None else root_ref
            found = annotations.get(id(element))
            if found is not None:
                annotation_ref, page = found
                obj.data = (b"<< /Type /StructElem /S /Link /P %s /Pg %s /K << /Type /OBJR /Obj %s /Pg %s >> >>"
                            % (parent, page_refs[page - 1], annotation_ref, page_refs[page - 1]))
                continue
            parts = [b"<< /Type /StructElem /S /", element.role.encode(), b" /P ", parent]
            items, first_page = [], None
            for kid in kids:
                if type(kid) is tuple:
                    page, mcid = kid
                    if first_page is None:
                        first_page = page
                    if page == first_page:
                        items.append(b"%d" % mcid)
                    else:
                        items.append(b"<< /Type /MCR /Pg %s /MCID %d >>" % (page_refs[page - 1], mcid))
                else:
                    items.append(refs[kid])
            if first_page is not None:
                parts += [b" /Pg ", page_refs[first_page - 1]]
            # one kid is written alone, as most writers do (pdfua 0.1.3 cannot read an array
            # there with pikepdf 10: its empty-heading rule is skipped)
            parts += [b" /K ", items[0]] if len(items) == 1 else [b" /K [ ", b" ".join(items), b" ]"]
            if element.attrs:
                parts += _attributes(element.attrs, doc)
            parts.append(b" >>")
            obj.data = b"".join(parts)
        nums = [b"%d [ %s ]" % (page - 1, b" ".join(refs[e] for e in self.marked[page]))
                for page in sorted(self.marked)]
        nums += [b"%d %s" % (first_annotation_key + i, refs[link]) for i, (_, link, _) in enumerate(self.annotations)]
        parent_tree.data = b"<< /Nums [ " + b" ".join(nums) + b" ] >>"
        root.data = (b"<< /Type /StructTreeRoot /K [ %s ] /ParentTree %s /ParentTreeNextKey %d >>"
                     % (refs[tree.root], parent_tree_ref, first_annotation_key + len(self.annotations)))
        for number, page in enumerate(pages, 1):
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = number - 1 if number in self.marked else None
            page.Tabs = PDFName("S")
        catalog = doc.Catalog
        catalog.StructTreeRoot = root
        catalog.MarkInfo = _Object(b"<< /Marked true >>")
        catalog.Lang = PDFString(tree.language)
        catalog.Metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                                     xmp(tree.title, tree.language, tree.author), filters=[])
        # The tags are now the document's own objects: what recorded them goes before reportlab formats
        # the file, the moment a long brief's memory peaks.
        self.marked.clear()
        self.content.clear()
        self.annotations.clear()
        release_tree(tree.root)

    def release(self) -> None:
        """Let go of the canvas once its document is written, so that reference counting frees them both.

        The tagger and its canvas refer to each other (the canvas's wrapped methods call
        the tagger): reference counting frees neither, and the `reegen` program holds the
        cyclic collector off during a build, so a 1,000-page brief's page objects and tags
        stayed in memory while the next format was rendered. The tree is the story
        builder's, and outlives one layout pass: see `release_tree`.
        """
        canvas = self.canvas
        for name in ("_reegen_tagger", "_addAnnotation", "drawText"):
            canvas.__dict__.pop(name, None)  # the instance's own: the class's methods remain
        self.marked.clear()
        self.content.clear()
        self.annotations.clear()
        self.undescribed.clear()
        self.pending = self.open = None

    def _with_content(self) -> set[Element]:
        """Return the elements that have marked content or a link, themselves or below."""
        found: set[Element] = set()
        for element in self.content:
            while element is not None and element not in found:
                found.add(element)
                element = element.parent
        for _, link, _ in self.annotations:
            found.add(link)
        return found

    def _children(self, element: Element, has_content: set[Element]) -> list:
        """Return what `element`'s /K lists: its marked content and links in drawing order, then its children."""
        out = list(self.content.get(element, ()))
        out += [kid for kid in element.kids if kid in has_content]
        return out


class _Object(PDFObject):
    """An indirect object written as the bytes `data`."""

    __RefOnly__ = 1

    def __init__(self, data: bytes = b""):
        self.data = data

    def format(self, document):
        return self.data


def _attributes(attrs: dict, document) -> list[bytes]:
    out = []
    for key in sorted(attrs):
        value = attrs[key]
        if isinstance(value, dict):  # an attribute object, e.g. {"O": "Table", "Scope": "Column"}
            entries = b" ".join(b"/%s /%s" % (k.encode(), str(v).encode()) for k, v in sorted(value.items()))
            out.append(b" /%s << %s >>" % (key.encode(), entries))
        else:
            out.append(b" /%s %s" % (key.encode(), PDFString(str(value)).format(document)))
    return out


def _destination(annotation) -> str | None:
    """Return the named destination an internal link annotation goes to, else None."""
    destination = getattr(annotation, "Destination", None)
    name = getattr(destination, "s", destination)
    return name if isinstance(name, str) else None


def _contents(annotation) -> str:
    if isinstance(annotation, PDFDictionary):
        value = annotation.dict.get("Contents")
        return getattr(value, "s", value) or ""
    return getattr(annotation, "Contents", "") or ""


def _set(annotation, key: str, value) -> None:
    if isinstance(annotation, PDFDictionary):
        annotation.dict[key] = PDFString(value) if isinstance(value, str) else value
    elif key == "Contents":
        annotation.Contents = value
    else:
        annotation.otherkw[key] = value


def xmp(title: str, language: str, author: str | None) -> bytes:
    """Return the XMP metadata packet: title, language, author and the PDF/UA-1 identification."""
    creator = (f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
               if author else "")
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>\n'
        f'<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>\n'
        f'{creator}'
        '<pdfuaid:part>1</pdfuaid:part>\n'
        '</rdf:Description>\n'
        '</rdf:RDF>\n'
        '</x:xmpmeta>\n'
        '<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")
