"""The PDF's logical structure (PDF/UA-1) and its archival identity (PDF/A-2a).

reportlab writes no tagged PDF, so this module does, with reportlab's own PDF
objects (no second PDF library on the build's path):

* ``for_pack`` makes the whole tree of structure elements (Document, Sect,
  H1…, P, L, Table, Figure …) from the pack model, in the pack's reading order,
  in this one place; the PDF renderer only looks up each flowable's element
  by where it is in the pack (``tags["dash", 0, "tile", 2, "rate"]``).
* When a flowable is drawn it wraps its operators in marked content tied to its
  element (``content``); rules, backgrounds, panel frames and page numbers are
  wrapped as Artifacts (``artifact``). Nothing is drawn outside both.
* A heading's bookmark is put where the heading is first drawn, at its level:
  the PDF's outline is the heading tree, not a second list to keep in step.
* ``TaggedCanvas`` records each page's marked-content ids and, when the file is
  saved, writes the structure tree, its ParentTree, the pages' StructParents and
  Tabs, MarkInfo, the XMP metadata (PDF/A-2a and PDF/UA-1 identification) and an
  sRGB output intent into the catalogue.

A flowable drawn twice (a table's header row repeated on the next page) is an
Artifact the second time: the structure holds each header cell once.
"""

from __future__ import annotations

import datetime as dt

from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Iterator
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
    PDFZCompress,
)
from reportlab.pdfgen.canvas import Canvas

from dxreport import resources
from dxreport.japanese import formatting
from dxreport.model.pack import Pack

# PDF/A-2 wants the Info dictionary's dates repeated in the XMP; reportlab's
# invariant mode writes this one instant (rebuilds stay byte-identical).
# The pack's dates are its publication date (the notice's), at midnight in Japan:
# never the clock, so that a rebuild gives the same bytes.
JST = "+09:00"


def xmp_date(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00{JST}"


def stamp(canv, date: dt.date) -> None:
    """The Info dictionary's CreationDate and ModDate: the publication date."""
    hours, minutes = JST[1:].split(":")
    midnight = dt.datetime.combine(date, dt.time())
    canv.setDateFormatter(lambda *_ignored: f"D:{midnight:%Y%m%d%H%M%S}{JST[0]}{hours}'{minutes}'")


@dataclass(eq=False)
class Element:
    """One structure element. Its kids are elements, marked-content references
    (page number, MCID) and object references (page number, annotation)."""

    role: str
    parent: "Element | None"
    alt: str = ""
    lang: str = ""
    id: str = ""
    scope: str = ""  # a TH's Scope: Column or Row
    headers: tuple[str, ...] = ()  # a TD's header cells, by their ids
    colspan: int = 1
    rowspan: int = 1
    outline: str = ""  # a heading's bookmark: its text, as the pack words it
    kids: list = field(default_factory=list)


@dataclass(frozen=True)
class _Content:
    page: int  # 1-based
    mcid: int


@dataclass(frozen=True)
class _Annotation:
    page: int
    ref: PDFObjectReference
    key: int  # its StructParent


class Structure:
    """The tree, built in reading order by the renderer."""

    def __init__(self, lang: str):
        self.root = Element("Document", None, lang=lang)
        self._ids = 0

    def add(self, role: str, parent: Element | None = None, **attrs) -> Element:
        el = Element(role, parent or self.root, **attrs)
        (parent or self.root).kids.append(el)
        return el

    def new_id(self) -> str:
        self._ids += 1
        return f"th{self._ids}"

    def walk(self) -> Iterator[Element]:
        stack = [self.root]
        while stack:
            el = stack.pop()
            yield el
            stack.extend(reversed([k for k in el.kids if isinstance(k, Element)]))


class _reportlab:
    """Every use this module makes of reportlab's internals, in one place.

    reportlab has no API for tagged PDF: no way to reach the page objects it
    makes, to write keys its PDFPage and PDFCatalog do not know (StructParents,
    Tabs, OutputIntents) or to learn the reference of an annotation it adds. So
    these few lines reach past its public API; ``check`` says, for the reportlab
    installed, whether each still holds (tests/test_pdf_tagged.py runs it, so an
    upgrade that changes them fails loudly instead of writing a broken tree).
    Everything else here is reportlab's public API (addLiteral, linkURL's extra
    keys, setCatalogEntry, bookmarkPage, addOutlineEntry, pageHasData) and its
    PDF object classes (pdfdoc.PDFDictionary …)."""

    @staticmethod
    def document(canv):
        """The canvas's PDFDocument (Canvas._doc)."""
        return canv._doc

    @staticmethod
    def pages(doc) -> list:
        """The PDFPage objects made so far, in order (PDFDocument.Pages.pages)."""
        return doc.Pages.pages

    @staticmethod
    def last_annotation(canv) -> PDFObjectReference:
        """The reference of the annotation the canvas added last (Canvas._annotationrefs)."""
        return canv._annotationrefs[-1]

    @staticmethod
    def write_also(obj, *keys: str, reference: bool = False) -> None:
        """Have a PDFPage or PDFCatalog write these keys too (their ``__NoDefault__``
        lists the keys they write when set; ``__Refs__`` those written as references)."""
        obj.__NoDefault__ = list(type(obj).__NoDefault__) + list(keys)
        if reference:
            obj.__Refs__ = list(type(obj).__Refs__) + list(keys)

    @classmethod
    def check(cls) -> list[str]:
        """What of the above the installed reportlab no longer provides ([] if all)."""
        import reportlab

        out: list[str] = []
        try:
            cls._check(out)
        except Exception as exc:  # an internal gone or changed shape: said, not raised
            out.append(f"using them raised {type(exc).__name__}: {exc}")
        return [f"reportlab {reportlab.Version}: {x}" for x in out]

    @classmethod
    def _check(cls, out: list[str]) -> None:
        import io

        from reportlab.pdfbase.pdfdoc import PDFCatalog, PDFDocument

        for klass in (PDFPage, PDFCatalog):
            for attr in ("__NoDefault__", "__Refs__"):
                if not isinstance(getattr(klass, attr, None), (list, tuple)):
                    out.append(f"{klass.__name__}.{attr} is no longer a list of keys")
        canv = Canvas(io.BytesIO())
        doc = getattr(canv, "_doc", None)
        if not isinstance(doc, PDFDocument):
            out.append("Canvas._doc is not its PDFDocument")
            return
        canv.drawString(10, 10, "x")
        canv.linkURL("https://example.org/", (0, 0, 10, 10), Contents=PDFString("x"))
        refs = getattr(canv, "_annotationrefs", None)
        if not refs or not isinstance(refs[-1], PDFObjectReference):
            out.append("Canvas._annotationrefs does not end with the annotation just added")
        canv.showPage()
        pages = getattr(getattr(doc, "Pages", None), "pages", None)
        if not isinstance(pages, list) or len(pages) != 1 or not isinstance(pages[0], PDFPage):
            out.append("PDFDocument.Pages.pages is not the list of PDFPage objects made")
            return
        cls.write_also(pages[0], "StructParents")
        pages[0].StructParents = 7
        cls.write_also(doc.Catalog, "OutputIntents", reference=True)
        doc.Catalog.OutputIntents = PDFArray([PDFDictionary({"S": PDFName("GTS_PDFA1")})])
        data = canv.getpdfdata()
        if b"/StructParents 7" not in data:
            out.append("a key added to a PDFPage's __NoDefault__ is not written")
        if b"/OutputIntents" not in data:
            out.append("a key added to the PDFCatalog's __NoDefault__ and __Refs__ is not written")


def reportlab_problems() -> list[str]:
    """What of reportlab's internals this module relies on the installed reportlab
    no longer provides ([] when all hold)."""
    return _reportlab.check()


def _tags(canv) -> "TaggedCanvas | None":
    return canv if isinstance(canv, TaggedCanvas) else None


def content(canv, element: Element):
    """Marked content tied to ``element`` around what is drawn inside; on a plain
    canvas (an untagged build, for comparison) nothing is added.

    A heading's first content also puts its bookmark where it is drawn, at its
    level (H1 the outline's first): the bookmarks are the heading tree, made in
    ``for_pack``, on the tagged and the plain canvas alike."""
    if element.outline and element not in _bookmarked(canv):
        _bookmarked(canv).add(element)
        key = f"h{len(_bookmarked(canv))}"
        canv.bookmarkPage(key, fit="XYZ", left=0, top=None)
        canv.addOutlineEntry(element.outline, key, level=int(element.role[1]) - 1, closed=False)
    t = _tags(canv)
    return nullcontext() if t is None else t.content(element)


def _bookmarked(canv) -> set:
    # The headings given a bookmark so far, kept on the canvas (a plain one too).
    marks = getattr(canv, "dxreport_bookmarked", None)
    if marks is None:
        marks = canv.dxreport_bookmarked = set()
    return marks


def artifact(canv, kind: str = "Layout", subtype: str = ""):
    """Drawing that is not content: rules, frames, backgrounds, page numbers, a
    running head (``subtype`` Header, of a Pagination artifact)."""
    t = _tags(canv)
    return nullcontext() if t is None else t.artifact(kind, subtype)


def again(canv, owner: object) -> bool:
    """Whether ``owner`` has been drawn before (and, from now on, that it has)."""
    t = _tags(canv)
    if t is None:
        return False
    if owner in t.drawn:
        return True
    t.drawn.add(owner)
    return False


def table_artifacts(table, event: str, *args) -> None:
    """A reportlab Table's ``renderCB``: its backgrounds and rules are Artifacts."""
    t = _tags(table.canv)
    if t is None:
        return
    if event in ("startBG", "startLines"):
        t.begin_artifact("Layout")
    elif event in ("endBG", "endLines"):
        t.end_artifact()


def link(canv, element: Element, url: str, rect: tuple[float, float, float, float], description: str) -> None:
    """A link annotation over ``rect`` (relative to the current origin), tied to
    the Link element ``element``."""
    t = _tags(canv)
    if t is None:
        canv.linkURL(url, rect, relative=1, thickness=0)
        return
    key = t.next_key()
    canv.linkURL(url, rect, relative=1, thickness=0, Contents=PDFString(description), StructParent=key, F=4)
    element.kids.append(_Annotation(canv.getPageNumber(), _reportlab.last_annotation(canv), key))
    t.annotated.add(canv.getPageNumber())


class TaggedCanvas(Canvas):
    """A canvas that records marked content and writes the structure on save."""

    def __init__(self, *args, structure: Structure, title: str, author: str, subject: str,
                 keywords: str, date: dt.date, **kw):
        super().__init__(*args, **kw)
        stamp(self, date)
        self.structure = structure
        self.meta = (title, author, subject, keywords)
        self.date = date
        self.drawn: set[object] = set()
        self.annotated: set[int] = set()  # pages with annotations
        self._page_mcids: list[Element] = []  # this page's MCIDs → their elements
        self._pages: list[list[Element]] = []
        self._keys = 0
        self._page_keys: list[int] = []
        self._depth = 0

    def next_key(self) -> int:
        self._keys += 1
        return self._keys - 1

    # Marked content does not nest here: what is drawn inside a Figure (its
    # texts, its bars) or inside an Artifact belongs to that outer mark.
    def begin_content(self, element: Element) -> None:
        self._depth += 1
        if self._depth > 1:
            return
        mcid = len(self._page_mcids)
        self._page_mcids.append(element)
        element.kids.append(_Content(self.getPageNumber(), mcid))
        self.addLiteral(f"/{element.role} <</MCID {mcid}>> BDC")

    def begin_artifact(self, kind: str, subtype: str = "") -> None:
        self._depth += 1
        if self._depth == 1:
            self.addLiteral(f"/Artifact <</Type /{kind}{f' /Subtype /{subtype}' if subtype else ''}>> BDC")

    def end_artifact(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.addLiteral("EMC")

    end_content = end_artifact

    @contextmanager
    def content(self, element: Element) -> Iterator[None]:
        self.begin_content(element)
        try:
            yield
        finally:
            self.end_content()

    @contextmanager
    def artifact(self, kind: str, subtype: str = "") -> Iterator[None]:
        self.begin_artifact(kind, subtype)
        try:
            yield
        finally:
            self.end_artifact()

    def showPage(self) -> None:
        key = self.next_key()
        number = self.getPageNumber()
        super().showPage()
        page = _reportlab.pages(_reportlab.document(self))[-1]
        _reportlab.write_also(page, "StructParents", "Tabs")
        page.StructParents = key
        page.Tabs = PDFName("S") if number in self.annotated else None
        self._page_keys.append(key)
        self._pages.append(self._page_mcids)
        self._page_mcids = []

    def save(self) -> None:
        # As Canvas.save: a page drawn on and not shown yet is shown (pageHasData
        # is reportlab's public test, true when the page is *empty*) — first, so
        # that the structure is written with every page.
        if not self.pageHasData():
            self.showPage()
        _write(self, _reportlab.document(self))
        super().save()


def _write(c: TaggedCanvas, doc) -> None:
    pages = [doc.Reference(p) for p in _reportlab.pages(doc)]
    refs: dict[int, PDFObjectReference] = {}
    dicts: dict[int, PDFDictionary] = {}
    elements = list(c.structure.walk())
    for el in elements:
        d = PDFDictionary({"S": PDFName(el.role)})  # Type, optional, left out: 800 elements make it 14 KB
        dicts[id(el)] = d
        refs[id(el)] = doc.Reference(d)
    root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root)

    parents: dict[int, PDFObjectReference] = {}  # StructParent key of an annotation → element
    for el in elements:
        d = dicts[id(el)]
        d["P"] = root_ref if el.parent is None else refs[id(el.parent)]
        first_page = next((k.page for k in el.kids if isinstance(k, (_Content, _Annotation))), None)
        if first_page is not None:
            d["Pg"] = pages[first_page - 1]
        kids = []
        for k in el.kids:
            if isinstance(k, Element):
                kids.append(refs[id(k)])
            elif isinstance(k, _Content):
                kids.append(k.mcid if k.page == first_page else
                            PDFDictionary({"Type": PDFName("MCR"), "Pg": pages[k.page - 1], "MCID": k.mcid}))
            else:
                kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Pg": pages[k.page - 1], "Obj": k.ref}))
                parents[k.key] = refs[id(el)]
        # One kid stands alone (as PDF allows, and as readers handle best); an
        # element drawn nowhere (a regular table's empty cell) has none.
        if len(kids) == 1:
            d["K"] = kids[0]
        elif kids:
            d["K"] = PDFArray(kids)
        if el.alt:
            d["Alt"] = PDFString(el.alt)
        if el.lang:
            d["Lang"] = PDFString(el.lang)
        if el.id:
            d["ID"] = PDFString(el.id)
        attrs = {}
        if el.scope:
            attrs["Scope"] = PDFName(el.scope)
        if el.headers:
            attrs["Headers"] = PDFArray([PDFString(h) for h in el.headers])
        if el.colspan > 1:
            attrs["ColSpan"] = el.colspan
        if el.rowspan > 1:
            attrs["RowSpan"] = el.rowspan
        if attrs:
            d["A"] = PDFDictionary({"O": PDFName("Table"), **attrs})

    nums: list = []
    for key, mcids in zip(c._page_keys, c._pages):
        parents[key] = PDFArray([refs[id(el)] for el in mcids])
    for key in sorted(parents):
        nums += [key, parents[key]]
    root["K"] = refs[id(c.structure.root)]
    root["ParentTree"] = PDFDictionary({"Nums": PDFArray(nums)})
    root["ParentTreeNextKey"] = c._keys
    ids = {el.id: refs[id(el)] for el in elements if el.id}
    if ids:
        root["IDTree"] = PDFDictionary({"Names": PDFArray([x for i in sorted(ids) for x in (PDFString(i), ids[i])])})

    _reportlab.write_also(doc.Catalog, "OutputIntents", reference=True)
    c.setCatalogEntry("StructTreeRoot", root)
    c.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
    c.setCatalogEntry("Metadata", PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                                            _xmp(*c.meta, lang=c.structure.root.lang, date=c.date).encode("utf-8")))
    icc = PDFStream(PDFDictionary({"N": 3}), (resources.templates() / "sRGB.icc").read_bytes(), filters=[PDFZCompress])
    c.setCatalogEntry("OutputIntents", PDFArray([PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"), "Info": PDFString("sRGB IEC61966-2.1"),
        "DestOutputProfile": doc.Reference(icc),
    })]))


def _xmp(title: str, author: str, subject: str, keywords: str, lang: str, date: dt.date) -> str:
    """The XMP packet: what the Info dictionary says, and the PDF/A-2a and PDF/UA-1 claims.

    PDF/A-2 admits only the XMP schemas it predefines and those the packet
    describes itself: pdfuaid (PDF/UA came after PDF/A-2) is described in a
    pdfaExtension schema."""
    when = xmp_date(date)
    t, a, s, k = (escape(x) for x in (title, author, subject, keywords))
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{a}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{s}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>
<pdf:Keywords>{k}</pdf:Keywords>
<pdf:Producer>dxreport (reportlab)</pdf:Producer>
<pdf:Trapped>False</pdf:Trapped>
<xmp:CreatorTool>dxreport</xmp:CreatorTool>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>A</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about=""
 xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
 xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


# ---------------------------------------------------------------- the pack's structure

Item = tuple[Element, Element]  # a list item's Lbl and LBody


@dataclass
class PackTags:
    """The pack's structure tree, made from the pack model in reading order, and
    the elements the layout hands its flowables, by where they are in the pack:
    ``at["notice", "title"]``, ``at["dash", 0, "tile", 2, "rate"]`` …"""

    structure: Structure
    at: dict[tuple, Element | Item]

    def __getitem__(self, key: tuple):
        return self.at[key]


def _items(s: Structure, lst: Element, n: int) -> list[Item]:
    out = []
    for _ in range(n):
        li = s.add("LI", lst)
        out.append((s.add("Lbl", li), s.add("LBody", li)))
    return out


def _spoken(alt: str) -> str:
    # An alternative text is read, not seen: ▲ is spelt out, as a reader would say it.
    return alt.replace(formatting.NEGATIVE, formatting.NEGATIVE_SPOKEN)


def for_pack(pack: Pack) -> PackTags:
    """Every structure element of the PDF, in the order the pack is read: the
    cover notice, the title page, the framework, the basic targets, each field's
    dashboard (heading, tiles, chart, cases) and the appendix tables row by row.

    Headings are the pack's outline in three levels, and the PDF's bookmarks are
    these headings (``content`` puts each where it is drawn):

    * H1: the notice's and the title page's titles, each section's bar (1, 2, 3,
      資料編);
    * H2: a section's title, each field's dashboard bar, an appendix table's
      title (the cases heading 「代表的な事例…」 over a dashboard's cases is a
      paragraph: its cases take the third level);
    * H3: the framework's two parts, a basic target's panel, a case study.

    A chart's printed caption (a panel's value, notes and source, under the
    chart) is a Caption following its Figure in the panel's Div: a reader stops at
    a Figure's alternative text, so a Caption inside the Figure would not be read.

    The grids that only lay things out (the panels, the tiles, a case beside its
    photo) are no tables here: each panel, tile, case and box is a Div. Data
    tables say their header cells' scope; an appendix cell names both rows of its
    column's header and its row's indicator."""
    s = Structure(pack.meta.language)
    at: dict[tuple, Element | Item] = {}
    add = s.add

    def heading(level: int, parent: Element, outline: str) -> Element:
        assert 1 <= level <= 3, level  # the outline has three levels
        return add(f"H{level}", parent, outline=" ".join(outline.split()))  # a bookmark is one line

    def numbered(section) -> str:
        return f"{section.number} {section.title}"

    # The dashboards are H2 under their section's bar (H1), so the cases heading
    # has no level of its own left (cases are H3, the third): a paragraph. Were
    # the section's bar not printed, each field's bar would be H1 and it an H2.
    dash = 2
    cases_level = dash + 1 if dash + 2 <= 3 else None  # None: a paragraph over the cases

    # The cover notice.
    n = pack.notice
    sect = add("Sect")
    for key in ("date", "addressee", "sender"):
        at["notice", key] = add("P", sect)
    at["notice", "title"] = heading(1, sect, n.title)
    for i, _ in enumerate(n.body):
        at["notice", "body", i] = add("P", sect)
    if n.url:
        at["notice", "link_label"] = add("P", sect)
        at["notice", "url"] = add("Link", add("P", sect))
    # The contact box: a heading over labels and their lines, read as the small table it is.
    box = add("Table", add("Div", sect))
    at["notice", "box_heading"] = add("TH", add("TR", box), scope="Column", colspan=2)
    for i, _ in enumerate(n.contact):
        tr = add("TR", box)
        at["notice", "contact", i, "label"] = add("TH", tr, scope="Row")
        at["notice", "contact", i, "lines"] = add("TD", tr)

    # The title page.
    t = pack.title_page
    sect = add("Sect")
    at["title", "title"] = heading(1, sect, t.title)
    for i, item in enumerate(_items(s, add("L", sect), len(t.items))):
        at["title", "item", i] = item
    at["title", "date"], at["title", "sender"] = add("P", sect), add("P", sect)

    # 1 The framework.
    f = pack.framework
    sect = add("Sect")
    at["framework", "bar"] = heading(1, sect, numbered(pack.framework_section))
    at["framework", "heading"] = heading(2, sect, f.heading)
    at["framework", "basic_heading"] = heading(3, sect, f.basic_heading)
    at["framework", "basic_intro"] = add("P", sect)
    table = add("Table", sect)
    tr = add("TR", table)
    for c in range(3):
        at["framework", "basic_head", c] = add("TH", tr, scope="Column")
    for r, _ in enumerate(f.basic_rows):
        tr = add("TR", table)
        at["framework", "basic_row", r, 0] = add("TH", tr, scope="Row")  # the target's name and detail
        at["framework", "basic_row", r, 1] = add("TD", tr)
        at["framework", "basic_row", r, 2] = add("TD", tr)
    at["framework", "kpi_heading"] = heading(3, sect, f.kpi_heading)
    at["framework", "kpi_intro"] = add("P", sect)
    table = add("Table", sect)
    tr = add("TR", table)
    for c, _ in enumerate(f.fields):
        at["framework", "field", c] = add("TH", tr, scope="Column")
    tr = add("TR", table)
    for c, (_, kpis) in enumerate(f.fields):
        for i, item in enumerate(_items(s, add("L", add("TD", tr)), len(kpis))):
            at["framework", "field", c, i] = item
    if f.structure:
        at["framework", "structure_heading"] = heading(2, sect, f.structure_heading)
        at["framework", "structure_total"] = add("P", sect)
        table = add("Table", sect)
        tr = add("TR", table)
        for c, _ in enumerate(f.structure_header):
            at["framework", "structure_head", c] = add("TH", tr, scope="Column")
        for r, row in enumerate(f.structure):
            tr = add("TR", table)
            if row.first_of_field:
                at["framework", "structure", r, 0] = add("TH", tr, scope="Row", rowspan=row.field_kpis)
            at["framework", "structure", r, 1] = add("TD", tr)
            at["framework", "structure", r, 2] = add("TD", tr)
        at["framework", "flow"] = add("P", sect)
    for i, item in enumerate(_items(s, add("L", sect), len(f.rules))):
        at["framework", "rule", i] = item
    at["framework", "rhythm"] = add("P", sect)
    if f.url:
        at["framework", "url_label"] = add("P", sect)
        at["framework", "url"] = add("Link", add("P", sect))

    # 2 The basic targets.
    b = pack.basic_targets
    sect = add("Sect")
    at["basic", "bar"] = heading(1, sect, numbered(pack.basic_section))
    at["basic", "title"] = heading(2, sect, b.title)
    for i, item in enumerate(_items(s, add("L", sect), len(b.bullets))):
        at["basic", "bullet", i] = item
    for i, p in enumerate(b.panels):
        div = add("Div", sect)
        at["panel", i, "title"] = heading(3, div, pack.panel_heading(p))
        if p.updated_label:
            at["panel", i, "flag"] = add("P", div)
        at["panel", i, "chart"] = add("Figure", div, alt=_spoken(p.chart.alt))
        if p.value_text or p.notes or p.source:
            caption = add("Caption", div)
            if p.value_text:
                at["panel", i, "value"] = add("P", caption)
            for j, _ in enumerate(p.notes):
                at["panel", i, "note", j] = add("P", caption)
            if p.source:
                at["panel", i, "source"] = add("P", caption)
    for i, _ in enumerate(pack.legend):
        at["legend", i] = add("P", sect)

    # 3 The dashboards: the section's bar, then one Sect per field.
    dashboards = add("Sect") if pack.dashboards else None
    if dashboards is not None:
        at["dashboards", "bar"] = heading(1, dashboards, numbered(pack.dashboard_section))
    for i, d in enumerate(pack.dashboards):
        sect = add("Sect", dashboards)
        at["dash", i, "heading"] = heading(dash, sect, d.heading)
        for n, _ in enumerate(d.legend):
            at["dash", i, "legend", n] = add("P", sect)
        if d.previous_note:
            at["dash", i, "previous_note"] = add("P", sect)
        for j, tile in enumerate(d.tiles):
            div = add("Div", sect)
            for key in ("name", "updated", "rate", "diff", "components_label", "components"):
                if key != "updated" or tile.updated_label:
                    at["dash", i, "tile", j, key] = add("P", div)
        at["dash", i, "chart"] = add("Figure", sect, alt=_spoken(d.chart.alt))
        at["dash", i, "cases_heading"] = (add("P", sect) if cases_level is None
                                          else heading(cases_level, sect, d.cases_heading))
        if not d.cases:
            at["dash", i, "no_cases"] = add("P", sect)
        for j, c in enumerate(d.cases):
            div = add("Div", sect)
            at["dash", i, "case", j, "title"] = heading((cases_level or dash) + 1, div, c.title)
            for k, item in enumerate(_items(s, add("L", div), len(c.bullets))):
                at["dash", i, "case", j, "bullet", k] = item
            if c.image is not None:
                at["dash", i, "case", j, "photo"] = add("Figure", div, alt=c.image_alt or c.title)
            if c.box_title or c.box_lines:
                box = add("Div", div)
                if c.box_title:
                    at["dash", i, "case", j, "box_title"] = add("P", box)
                for k, _ in enumerate(c.box_lines):
                    at["dash", i, "case", j, "box_line", k] = add("P", box)

    # 資料編: the appendix tables.
    appendix = add("Sect") if pack.appendix else None
    if appendix is not None:
        at["appendix", "title"] = heading(1, appendix, pack.appendix_section.title)
    for i, t in enumerate(pack.appendix):
        sect = add("Sect", appendix)
        # The label over the title stays a paragraph of its own: a heading of two
        # pieces of content (a /K array) stops the pdfua package's empty-heading
        # check (0.1.3 raises on it), and the bookmark reads what the heading reads.
        at["table", i, "label"] = add("P", sect)
        at["table", i, "title"] = heading(2, sect, t.title)
        if t.updated_label:
            at["table", i, "updated"] = add("P", sect)
        if t.tile is not None:
            div = add("Div", sect)
            for key in ("name", "updated", "rate", "diff", "components_label", "components"):
                if key != "updated":  # the tile's mark is the table's, under its title
                    at["table", i, "tile", key] = add("P", div)
        table = add("Table", sect)
        # Two header rows: 前期 and 今期 span a value and a rate column each.
        tr1, tr2 = add("TR", table), add("TR", table)
        tops = [add("TH", tr1, scope="Column", id=s.new_id(), rowspan=1 if c in (2, 3) else 2, colspan=2 if c in (2, 3) else 1)
                for c in range(5)]
        subs = [add("TH", tr2, scope="Column", id=s.new_id()) for _ in t.header_sub]
        for c, el in enumerate(tops):
            at["table", i, "top", c] = el
        for c, el in enumerate(subs):
            at["table", i, "sub", c] = el
        heads = [(tops[0],), (tops[1],), (tops[2], subs[0]), (tops[2], subs[1]), (tops[3], subs[2]), (tops[3], subs[3]), (tops[4],)]

        def td(tr: Element, row_head: Element, *columns: int, colspan: int = 1) -> Element:
            named = dict.fromkeys(h.id for c in columns for h in heads[c])
            return add("TD", tr, headers=(*named, row_head.id), colspan=colspan)

        for r, _ in enumerate(t.rows):
            tr = add("TR", table)
            th = at["table", i, "row", r, 0] = add("TH", tr, scope="Row", id=s.new_id())
            for c in range(1, 7):
                at["table", i, "row", r, c] = td(tr, th, c)
        tr = add("TR", table)
        th = at["table", i, "kpi", "label"] = add("TH", tr, scope="Row", id=s.new_id(), colspan=3)
        at["table", i, "kpi", "previous"] = td(tr, th, 3)
        at["table", i, "kpi", "current"] = td(tr, th, 4, 5, colspan=2)
        td(tr, th, 6)  # the KPI row's empty source cell keeps the table regular
        for j, _ in enumerate(t.footnotes):
            at["table", i, "footnote", j] = add("P", sect)
    return PackTags(s, at)
