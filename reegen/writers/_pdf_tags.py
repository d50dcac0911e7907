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

reportlab internals used here, all present in reportlab 4.0 to 5.1 (checked by the tests
against the installed version; without them the bullet is read as part of its item and
table rules and shading are left unmarked, which `pdfua` reports):

- `Canvas._code` (the page's operator list) to add the marked-content operators;
- `Canvas._addAnnotation` and `Canvas.drawText`, wrapped on the one canvas instance, to
  see annotations and the bullet's separate text object (`paragraph._drawBullet`);
- `Table._drawBkgrnd` and `Table._drawLines`, overridden to mark rules and shading as artifacts;
- `PDFPage.__NoDefault__` (per page) to write `/StructParents` and `/Tabs`.
"""

from __future__ import annotations

from contextlib import contextmanager
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, PDFPage, PDFStream, PDFString
from reportlab.platypus.tables import Table

__all__ = ["ARTIFACT", "Element", "PageTagger", "StructureTree", "Tagged", "TaggedTable", "artifact"]

#: the `_reegen_tag` of a flowable that is decoration (rules, spacing): marked as an artifact
ARTIFACT = "artifact"
#: reportlab's private names this module relies on (see the module docstring); a test checks them
INTERNALS = (("Table", "_drawBkgrnd"), ("Table", "_drawLines"), ("Canvas", "_addAnnotation"),
             ("Canvas", "drawText"), ("PDFPage", "__NoDefault__"))


class Element:
    """One structure element: a role (`P`, `H2`, `TD` ...), its parent and its children in reading order."""

    __slots__ = ("role", "parent", "kids", "attrs", "label", "repeats", "index")

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
        self.index = 0
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, **attrs) -> Element:
        """Return a new child element of this one with `role`, placed after the existing children."""
        return Element(role, self, attrs)

    def __repr__(self):
        return f"<Element {self.role}>"


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
        #: open marked-content sequences (0 or 1: sequences never nest)
        self.depth = 0
        self.open: Element | None = None
        #: (Lbl element, body element) while a bulleted paragraph waits for its bullet
        self.pending = None
        canvas._reegen_tagger = self
        add_annotation, draw_text = canvas._addAnnotation, canvas.drawText

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
        self.canvas._code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        self.depth = 1
        self.open = element

    def _annotation(self, annotation) -> None:
        owner = self.open
        if owner is None:  # an annotation drawn outside any element: give it one of its own
            owner = self.tree.root
        link = Element("Link")  # not in `owner.kids`: placed by `content`, in drawing order
        link.parent = owner
        self.content.setdefault(owner, []).append(link)
        self.annotations.append((annotation, link, self.canvas.getPageNumber()))
        if not _contents(annotation):
            _set(annotation, "Contents", self._describe(annotation))

    def _describe(self, annotation) -> str:
        texts = self.tree.link_texts
        if isinstance(annotation, PDFDictionary):  # reportlab's linkURL
            action = annotation.dict.get("A")
            uri = action.dict.get("URI") if isinstance(action, PDFDictionary) else None
            target = getattr(uri, "s", uri)
            if isinstance(target, str):
                return texts.get(target) or f"Link to {target}"
            return "Link"
        destination = getattr(annotation, "Destination", None)
        name = getattr(destination, "s", destination)
        if isinstance(name, str):
            return texts.get(name) or f"Link to {name}"
        return "Link"

    # ------------------------------------------------------------------ writing
    def finish(self) -> None:
        """Write the structure tree and the document-level tags into the canvas's document."""
        canvas = self.canvas
        doc = canvas._doc
        pages = doc.Pages.pages
        tree = self.tree
        has_content = self._with_content()
        objects: dict[Element, _Object] = {}
        order: list[Element] = []

        def visit(element: Element) -> None:
            objects[element] = _Object(None)
            order.append(element)
            for kid in self._children(element, has_content):
                if type(kid) is Element:
                    visit(kid)

        visit(tree.root)
        for element in order:  # registered in reading order: the same numbers on every build
            doc.Reference(objects[element])
        parent_tree = _Object(None)
        root = _Object(None)
        doc.Reference(root)
        doc.Reference(parent_tree)
        page_refs = [doc.Reference(page) for page in pages]
        annotation_keys: dict[int, int] = {}
        first_annotation_key = len(pages)
        for i, (annotation, link, page) in enumerate(self.annotations):
            key = first_annotation_key + i
            annotation_keys[id(link)] = (annotation, page)
            _set(annotation, "StructParent", key)

        def element_bytes(element: Element):
            def make(document) -> bytes:
                ref = _ref_maker(document)
                parts = [b"<< /Type /StructElem /S /", element.role.encode()]
                parent = element.parent
                parts += [b" /P ", ref(objects[parent]) if parent is not None else ref(root)]
                kids, first_page = [], None
                for kid in self._children(element, has_content):
                    if type(kid) is tuple:
                        page, mcid = kid
                        if first_page is None:
                            first_page = page
                        if page == first_page:
                            kids.append(b"%d" % mcid)
                        else:
                            kids.append(b"<< /Type /MCR /Pg %s /MCID %d >>" % (ref(pages[page - 1]), mcid))
                    else:
                        kids.append(ref(objects[kid]))
                if first_page is not None:
                    parts += [b" /Pg ", ref(pages[first_page - 1])]
                # one kid is written alone, as most writers do (pdfua 0.1.3 cannot read an array
                # there with pikepdf 10: its empty-heading rule is skipped)
                parts += [b" /K ", kids[0]] if len(kids) == 1 else [b" /K [ ", b" ".join(kids), b" ]"]
                parts += _attributes(element.attrs, document)
                parts.append(b" >>")
                return b"".join(parts)
            return make

        def link_bytes(element: Element, annotation, page: int):
            def make(document) -> bytes:
                ref = _ref_maker(document)
                page_ref = ref(pages[page - 1])
                return (b"<< /Type /StructElem /S /Link /P %s /Pg %s /K << /Type /OBJR /Obj %s /Pg %s >> >>"
                        % (ref(objects[element.parent]), page_ref, document.Reference(annotation).format(document),
                           page_ref))
            return make

        for element in order:
            found = annotation_keys.get(id(element))
            if found is not None:
                objects[element].make = link_bytes(element, *found)
            else:
                objects[element].make = element_bytes(element)

        def parent_tree_bytes(document) -> bytes:
            ref = _ref_maker(document)
            nums = []
            for page in sorted(self.marked):
                nums.append(b"%d [ %s ]" % (page - 1, b" ".join(ref(objects[e]) for e in self.marked[page])))
            for i, (_, link, _) in enumerate(self.annotations):
                nums.append(b"%d %s" % (first_annotation_key + i, ref(objects[link])))
            return b"<< /Nums [ " + b" ".join(nums) + b" ] >>"

        parent_tree.make = parent_tree_bytes
        next_key = first_annotation_key + len(self.annotations)
        root.make = lambda document: (b"<< /Type /StructTreeRoot /K [ %s ] /ParentTree %s /ParentTreeNextKey %d >>"
                                      % (document.Reference(objects[tree.root]).format(document),
                                         document.Reference(parent_tree).format(document), next_key))
        for number, page in enumerate(pages, 1):
            page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = number - 1 if number in self.marked else None
            page.Tabs = PDFName("S")
        del page_refs
        catalog = doc.Catalog
        catalog.StructTreeRoot = root
        catalog.MarkInfo = _Object(lambda document: b"<< /Marked true >>")
        catalog.Lang = PDFString(tree.language)
        catalog.Metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                                     xmp(tree.title, tree.language, tree.author), filters=[])

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
    """An indirect object whose bytes `make(document)` writes (references are resolved then)."""

    __RefOnly__ = 1

    def __init__(self, make):
        self.make = make

    def format(self, document):
        return self.make(document)


def _ref_maker(document):
    cache: dict[int, bytes] = {}

    def ref(obj) -> bytes:
        found = cache.get(id(obj))
        if found is None:
            found = cache[id(obj)] = document.Reference(obj).format(document)
        return found
    return ref


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
