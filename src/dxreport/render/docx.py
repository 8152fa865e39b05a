"""The press pack as a Word draft (.docx) for proofreading and approval.

Laid out with python-docx from the pack model, in the PDF's order: the cover
notice in an A4 portrait section, then one A4 landscape section per part (title
page, section 1, section 2, each field's dashboard, each appendix table), with
the page number in the footer.

Like pandoc's reference-doc, ``templates/reference.docx`` (made by
``tools/make_reference_docx.py``) is the base document: its body is deleted and
the pack is written with its named styles only, so the office can restyle the
draft in Word without code. From it come every style (fonts with their East
Asian names, sizes, colours, cell margins), the header and KPI-row fills of the
table style, and the page setup: the section ending at its first section break
is the portrait page, its last section the landscape page with the footer.

Tables (the appendix, the KPI tiles, the contact box) are real Word tables;
charts are the shared drawings as PNG (drawings.PNG_DPI), with the model's description as
alt text. Nothing is computed or formatted here but the lines of the notes, whose
words Word and LibreOffice would split (docx_lines).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from dxreport import resources
from dxreport.model.pack import AppendixTable, BasicTargetPanel, CaseStudy, Chart, Dashboard, Pack, Section, Tile
from dxreport.proofread.findings import KPI, RATE, VALUE, About
from dxreport.render import docx_controls, docx_lines, docx_review
from dxreport.render.drawings import PNG_DPI, Drawings, png_size
from dxreport.render.job import RenderJob
from dxreport.stablezip import stable_zip
from dxreport.typeset import fonts, kinsoku, theme

TABLE_STYLE = "Pack Table"  # grid, header fill on the first row, KPI fill on the last
TILE_STYLE = "Tile Table"
BOX_STYLE = "Box Table"
# The appendix's columns as fractions of the text width: indicator, target (A),
# B, C, D, E, source. The value and rate columns are a little wider than the PDF's,
# for line breaking that spaces Japanese and digits apart (LibreOffice always does).
APPENDIX_COLUMNS = (0.22, 0.11, 0.135, 0.085, 0.135, 0.085, 0.23)


@dataclass(frozen=True)
class Deleted:
    """A text the previous period printed and this one does not: a tracked deletion."""

    text: str


# What a paragraph holds: wording (a str), a text of the pack model by its place
# ((path, text): written as the model's marks divide it, its dataset texts and
# figures in content controls), a Deleted text, or a list of them.
Content = str | tuple[str, str] | Deleted | list


def reference_path() -> Path:
    return resources.templates() / "reference.docx"


def heading_text(sec: Section) -> str:
    return f"{sec.number} {sec.title}" if sec.number else sec.title


def grid(table):
    """``table.cell`` without its cost: python-docx rebuilds the whole cell grid on
    every ``cell()`` call. A merge removes the cells it absorbs from the snapshot's
    table: never use one of those after merging it."""
    cells = table._cells
    n = len(table.columns)
    return lambda row, col: cells[row * n + col]


def across(first, last):
    """``first.merge(last)`` for empty cells of one row, as python-docx writes it
    (the same XML), without its search of the table's grid for the span: the
    merges were a fifth of the Word draft's time. Returns ``first``, now spanning."""
    tc, end = first._tc, last._tc
    while True:
        absorbed = tc.getnext()
        if tc.width and absorbed.width:
            tc.width = Emu(tc.width + absorbed.width)
        tc.grid_span += absorbed.grid_span
        absorbed.getparent().remove(absorbed)
        if absorbed is end:
            break
    tc.vMerge = None
    return first


def down(*cells):
    """``cells[0].merge(cells[-1])`` for the empty cells of one column, top to
    bottom, as python-docx writes it. Returns the top cell, now spanning."""
    cells[0]._tc.vMerge = "restart"
    for cell in cells[1:]:
        cell._tc.vMerge = "continue"
    return cells[0]


def _property(text: str, limit: int = 255) -> str:
    """A core property as Word can store it: at most 255 characters, shortened with …."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DocxRenderer:
    def __init__(self, pack: Pack, charts: Drawings):
        self.pack = pack
        self.charts = charts
        self.doc = Document(str(reference_path()))
        # The cell each figure of the appendix was written in, by what a finding
        # can be about: where review comments go, without searching the document.
        self.places: dict[About, object] = {}
        self.controls = docx_controls.Writer(pack.marks.revision_author, pack.meta.date)
        body = self.doc.element.body
        breaks = body.findall(f"./{qn('w:p')}/{qn('w:pPr')}/{qn('w:sectPr')}")
        if not breaks:
            raise ValueError(f"{reference_path()} needs a section break after its portrait section")
        self.portrait = copy.deepcopy(breaks[0])
        self.landscape = body.find(qn("w:sectPr"))
        for child in list(body):
            if child is not self.landscape:
                body.remove(child)
        self.numbered = False  # page numbers start at 1 on the first landscape page
        self.shape_id = 0
        self.fills = {kind: self._style_fill(TABLE_STYLE, kind) for kind in ("firstRow", "lastRow")}
        self._style_ids: dict[str, str | None] = {}
        self._fonts: dict[str, tuple[fonts.Face, float]] = {}  # a paragraph style's face and size, by name

    # ------------------------------------------------------------ reference document
    def _style_fill(self, style: str, kind: str) -> str | None:
        el = self.doc.styles[style].element
        for pr in el.findall(qn("w:tblStylePr")):
            if pr.get(qn("w:type")) == kind:
                shd = pr.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
                if shd is not None:
                    return shd.get(qn("w:fill"))
        return None

    def _mark(self) -> str:
        """What goes before a basic target's name (▶ and a space), as the pack marks it."""
        return self.pack.marked("")

    @staticmethod
    def _text_width(sect_pr) -> int:
        return int(sect_pr.page_width - sect_pr.left_margin - sect_pr.right_margin)

    def style_id(self, name: str) -> str | None:
        # python-docx looks a style up by name through every style on each
        # assignment, which made that lookup most of the Word build's time;
        # each name is looked up once.
        if name not in self._style_ids:
            style = self.doc.styles[name]
            self._style_ids[name] = None if style.style_id == self._default_paragraph_style() else style.style_id
        return self._style_ids[name]

    def _default_paragraph_style(self) -> str | None:
        from docx.enum.style import WD_STYLE_TYPE

        default = self.doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
        return default.style_id if default is not None else None

    def set_style(self, paragraph, name: str) -> None:
        paragraph._p.style = self.style_id(name)

    def _font(self, name: str) -> tuple[fonts.Face, float]:
        """The bundled face and size (pt) a paragraph style sets its text in, through the styles it is based on."""
        size = bold = None
        style = self.doc.styles[name]
        while style is not None and (size is None or bold is None):
            if size is None and style.font.size is not None:
                size = style.font.size.pt
            if bold is None:
                bold = style.font.bold
            style = style.base_style
        if size is None:
            sz = self.doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
            size = int(sz.get(qn("w:val"))) / 2 if sz is not None else theme.load().text.body.size
        return (fonts.BOLD if bold else fonts.REGULAR), size

    def padding(self, table_style: str) -> int:
        """The left and right cell margins (EMU) of a table style, or of a style it is based on."""
        style = self.doc.styles[table_style]
        out: dict[str, int] = {}
        while style is not None and len(out) < 2:
            mar = style.element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
            for side, names in (("left", ("w:left", "w:start")), ("right", ("w:right", "w:end"))):
                el = next((x for n in names if mar is not None and (x := mar.find(qn(n))) is not None), None)
                if side not in out and el is not None and el.get(qn("w:type"), "dxa") == "dxa":
                    out[side] = int(el.get(qn("w:w"), "0")) * 635  # twentieths of a point
            style = style.base_style
        return sum(out.values())

    def fit(self, paragraph, style: str, width: int) -> None:
        """Set a note's lines for ``width`` (EMU) so that no word of it is split (docx_lines)."""
        if style not in self._fonts:
            self._fonts[style] = self._font(style)
        face, size = self._fonts[style]
        docx_lines.fit(paragraph._p, lambda s: fonts.text_width(s, face, size), width / 12700)

    def _fit_change(self, paragraph, style: str, column: int) -> None:
        """A figure cell showing its change since the previous period (the old figure deleted
        beside the new): its lines set for the column, so that the word processor, which
        reads the two as one run of digits, never breaks inside either figure."""
        if paragraph._p.find(f".//{qn('w:del')}") is not None:
            self.fit(paragraph, style, column - self.padding(TABLE_STYLE))

    # ------------------------------------------------------------ blocks
    def para(self, content: Content, style: str, container=None, fit: int | None = None):
        """A paragraph of ``content`` (its "\\n" are line breaks) in a named style; a note
        whose lines are set for ``fit`` (EMU), the width of its line."""
        p = (container or self.doc).add_paragraph()
        self.write(p, content)
        self.set_style(p, style)
        if fit:
            self.fit(p, style, fit)
        return p

    def write(self, paragraph, content: Content) -> None:
        for part in content if isinstance(content, list) else [content]:
            if isinstance(part, Deleted):
                self.controls.deleted(paragraph._p, part.text)
                continue
            if isinstance(part, tuple):
                path, text = part
                spans = self.pack.marks.of(path)
                if spans is not None:
                    self.controls.spans(paragraph._p, path, spans)
                    if not isinstance(content, list):
                        self.controls.new_paragraph(paragraph._p, spans)
                    continue
                part = text
            if part:
                paragraph.add_run(part)

    def end_section(self, portrait: bool = False) -> None:
        """Close the part written so far as a section of its own (a new page)."""
        body = self.doc.element.body
        last = body[-2] if len(body) >= 2 else None  # the element before the body's sectPr
        if last is not None and last.tag == qn("w:p") and last.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            p = last
        else:
            p = self.para("", "Section Break")._p
        sect = copy.deepcopy(self.portrait if portrait else self.landscape)
        if not portrait and not self.numbered:
            self._start_numbering(sect)
            self.numbered = True
        p.get_or_add_pPr().append(sect)

    @staticmethod
    def _start_numbering(sect) -> None:
        num = OxmlElement("w:pgNumType")
        num.set(qn("w:start"), "1")
        # Schema order: after pgBorders/lnNumType, before cols.
        cols = sect.find(qn("w:cols"))
        if cols is not None:
            cols.addprevious(num)
        else:
            sect.append(num)

    def table(self, rows: int, cols: int, widths: list[int], style: str = TABLE_STYLE, header_rows: int = 0,
              caption: str = "", align=WD_TABLE_ALIGNMENT.CENTER, container=None, last_row_fill: bool = False):
        t = (container or self.doc).add_table(rows=rows, cols=cols)
        t.style = style
        t.alignment = align
        t.autofit = False
        cell_style = self.style_id("Cell")
        for col, width in zip(t.columns, widths):
            col.width = Emu(width)
        for tr in t._tbl.tr_lst:
            for tc, width in zip(tr.tc_lst, widths):
                tc.p_lst[0].style = cell_style  # every cell paragraph in a named style, merged-away ones too
                tc.width = Emu(width)
        tbl_pr = t._tbl.tblPr
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is not None:
            tbl_w.set(qn("w:w"), str(sum(widths) * 20 // 12700))
            tbl_w.set(qn("w:type"), "dxa")
        look = tbl_pr.find(qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            tbl_pr.append(look)
        # Which of the table style's conditional formats apply, as attributes (Word 2010+)
        # and as the older bit mask, which LibreOffice reads.
        val = 0
        for attr, bit, on in (("firstRow", 0x20, header_rows > 0), ("lastRow", 0x40, last_row_fill), ("firstColumn", 0x80, False),
                              ("lastColumn", 0x100, False), ("noHBand", 0x200, True), ("noVBand", 0x400, True)):
            look.set(qn(f"w:{attr}"), "1" if on else "0")
            val |= bit if on else 0
        look.set(qn("w:val"), f"{val:04X}")
        if caption:  # the table's accessible title (Word 2010+), beside the visible caption
            for tag in ("w:tblCaption", "w:tblDescription"):
                el = OxmlElement(tag)
                el.set(qn("w:val"), caption)
                tbl_pr.append(el)
        for r in range(header_rows):
            tr_pr = t.rows[r]._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:tblHeader"))
            self.fill_row(t.rows[r], self.fills["firstRow"])
        return t

    @staticmethod
    def fill_row(row, colour: str | None) -> None:
        if not colour:
            return
        for tc in row._tr.tc_lst:
            shd = OxmlElement("w:shd")
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), colour)
            tc_pr = tc.get_or_add_tcPr()
            # Schema order: shd comes before noWrap/tcMar/textDirection/tcFitText/vAlign/hideMark.
            later = [x for x in tc_pr if x.tag in (qn("w:noWrap"), qn("w:tcMar"), qn("w:textDirection"), qn("w:tcFitText"), qn("w:vAlign"), qn("w:hideMark"))]
            if later:
                later[0].addprevious(shd)
            else:
                tc_pr.append(shd)

    @staticmethod
    def no_split(row) -> None:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    def cell(self, cell, items: list[tuple[Content, str]], valign=WD_CELL_VERTICAL_ALIGNMENT.CENTER) -> None:
        """Fill a cell with (content, style) paragraphs."""
        cell.vertical_alignment = valign
        first = cell.paragraphs[0]
        for i, (content, style) in enumerate(items):
            if i == 0:
                self.set_style(first, style)
                self.write(first, content)
            else:
                p = cell.add_paragraph()
                self.write(p, content)
                self.set_style(p, style)
        if not items:
            self.set_style(first, "Cell")

    def picture(self, paragraph, png: bytes, width: int, alt: str, name: str, height: int | None = None) -> None:
        run = paragraph.add_run()
        shape = run.add_picture(io.BytesIO(png), width=Emu(width), height=Emu(height) if height else None)
        inline = shape._inline
        doc_pr = inline.docPr
        doc_pr.set("name", name)
        doc_pr.set("descr", alt)
        doc_pr.set("title", alt)
        c_nv_pr = inline.find(f".//{qn('pic:cNvPr')}")
        if c_nv_pr is not None:
            c_nv_pr.set("name", name)
            c_nv_pr.set("descr", alt)

    def chart(self, chart: Chart, width: int, container=None) -> None:
        """The chart at its printed size, the size its figure was drawn at (so its
        text sizes are the sizes on paper); only one wider than ``width`` is scaled down."""
        self.para(chart.title, "Caption", container)
        p = self.para("", "Figure", container)
        png = self.charts.png(chart)
        natural = png_size(png)[0] * 914400 // PNG_DPI  # EMU
        self.picture(p, png, min(natural, width), chart.alt, f"{chart.id}.png")

    def hyperlink(self, paragraph, url: str) -> None:
        rid = self.doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rid)
        run = OxmlElement("w:r")
        r_pr = OxmlElement("w:rPr")
        r_style = OxmlElement("w:rStyle")
        r_style.set(qn("w:val"), self.doc.styles["Hyperlink"].style_id)
        r_pr.append(r_style)
        run.append(r_pr)
        t = OxmlElement("w:t")
        t.text = url
        run.append(t)
        link.append(run)
        paragraph._p.append(link)

    # ------------------------------------------------------------ parts
    def render(self) -> bytes:
        p = self.pack
        self.notice()
        self.end_section(portrait=True)
        self.title_page()
        self.end_section()
        self.framework()
        self.end_section()
        self.basic_targets()
        for i, d in enumerate(p.dashboards):
            self.end_section()
            self.dashboard(d, first=i == 0, at=f"dashboards.{i}")
        for i, t in enumerate(p.appendix):
            self.end_section()
            self.appendix_table(t, first=i == 0, at=f"appendix.{i}")
        # The last part is closed by the body's own (landscape) section properties.
        if not self.numbered:
            self._start_numbering(self.landscape)
        self.properties()
        if p.review:
            # The draft carries the review comments; the final copy has none.
            docx_review.add_comments(self.doc, p.review, self.places, p.meta.date)
        buf = io.BytesIO()
        self.doc.save(buf)
        return stable_zip(buf.getvalue(), p.meta.date)

    def properties(self) -> None:
        m = self.pack.meta
        cp = self.doc.core_properties
        # Word's core properties hold at most 255 characters; the full text is in the body.
        cp.title = _property(m.title)
        cp.subject = _property(m.subject)
        cp.author = _property(m.author)
        cp.last_modified_by = _property(m.author)
        cp.keywords = _property(", ".join(m.keywords))
        cp.language = m.language
        # Names the dataset and period, so that absorb reads a proofread draft back
        # only into the dataset it was built from.
        cp.identifier = docx_controls.identifier(self.pack.dataset, m.period)
        cp.comments = ""
        cp.category = ""
        cp.revision = 1
        stamp = dt.datetime.combine(m.date, dt.time())
        cp.created = stamp
        cp.modified = stamp
        for el in cp._element:
            # An emptied property as an empty element (<x/>), as it reads back from a
            # saved file: the same bytes whether or not the draft was saved in between.
            if el.text == "":
                el.text = None

    def notice(self) -> None:
        n = self.pack.notice
        self.para(n.date, "Notice Right")
        self.para(n.addressee, "Notice Addressee")
        self.para(("notice.sender", n.sender), "Notice Right")
        self.para(n.title, "Title")
        for i, text in enumerate(n.body):
            self.para((f"notice.body.{i}", text), "Notice Body")
        if n.url:
            self.para(n.link_label, "Notice Link")
            self.hyperlink(self.para("", "Notice URL"), n.url)
        label_w, box_w = int(Mm(32)), int(Mm(92))
        t = self.table(1 + len(n.contact), 2, [label_w, box_w - label_w], header_rows=1, align=WD_TABLE_ALIGNMENT.RIGHT)
        cell = grid(t)
        self.cell(across(cell(0, 0), cell(0, 1)), [(n.box_heading, "Cell Head")])
        for r, row in enumerate(n.contact, start=1):
            self.cell(cell(r, 0), [(row.label, "Cell Center")])
            self.cell(cell(r, 1), [((f"notice.contact.{r - 1}.lines.{i}", line), "Cell") for i, line in enumerate(row.lines)])

    def title_page(self) -> None:
        t = self.pack.title_page
        self.para(t.title, "Materials Title")
        gone = self.pack.marks.removed_at  # the previous period's items this one does not have
        for i, item in enumerate(t.items):
            self.para((f"title_page.items.{i}", item), "Title Item")
        for old in gone("title_page.items", len(t.items)):
            self.para(Deleted(old), "Title Item")
        self.para(t.date, "Title Date")
        self.para(("title_page.sender", t.sender), "Title Sender")

    def framework(self) -> None:
        f = self.pack.framework
        w = self._text_width(self.landscape)
        self.para(heading_text(self.pack.framework_section), "Heading 1")
        self.para(f.heading, "Heading 2")
        self.para(f.basic_heading, "Heading 3")
        self.para(f.basic_intro, "Normal")
        name_h, _, freq_h, src_h = f.basic_header
        t = self.table(1 + len(f.basic_rows), 3, [int(w * 0.58), int(w * 0.12), int(w * 0.30)], header_rows=1)
        cell = grid(t)
        for c, text in enumerate((name_h, freq_h, src_h)):
            self.cell(cell(0, c), [(text, "Cell Head")])
        for r, (name, detail, freq, src) in enumerate(f.basic_rows, start=1):
            at = f"framework.basic_rows.{r - 1}"
            self.cell(cell(r, 0), [([self._mark(), (f"{at}.0", name)], "Cell Strong")] + ([(["（", (f"{at}.1", detail), "）"], "Cell")] if detail else []))
            self.cell(cell(r, 1), [((f"{at}.2", freq), "Cell Center")])
            self.cell(cell(r, 2), [((f"{at}.3", src), "Cell")])
            self.no_split(t.rows[r])
        self.para(f.kpi_heading, "Heading 3")
        self.para(f.kpi_intro, "Normal")
        n = max(len(f.fields), 1)
        t = self.table(2, n, [w // n] * n, header_rows=1)
        cell = grid(t)
        for c, (title, kpis) in enumerate(f.fields):
            self.cell(cell(0, c), [(title, "Cell Head")])
            self.cell(cell(1, c), [((f"framework.fields.{c}.1.{j}", k), "Cell Bullet") for j, k in enumerate(kpis)],
                      valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
        if f.structure:
            self.end_section()  # page (2), as in the release
            self.structure(f, w)
        for rule in f.rules:
            self.para(rule, "List Bullet")
        self.para(f.rhythm, "Body Strong")
        if f.url:
            self.para(f.url_label, "Notice Link")
            self.hyperlink(self.para("", "Notice URL"), f.url)

    def structure(self, f, w: int) -> None:
        """Fields → KPIs → their intermediate indicators, drawn from the plan."""
        self.para(f.structure_heading, "Heading 2")
        self.para(f.structure_total, "Body Strong")
        t = self.table(1 + len(f.structure), 3, [int(w * 0.22), int(w * 0.58), int(w * 0.20)], header_rows=1)
        cell = grid(t)
        for c, text in enumerate(f.structure_header):
            self.cell(cell(0, c), [(text, "Cell Head")])
        for r, row in enumerate(f.structure, start=1):
            if row.first_of_field:
                self.cell(down(*(cell(r + i, 0) for i in range(row.field_kpis))), [(row.field, "Cell Head")])
            at = f"framework.structure.{r - 1}"
            self.cell(cell(r, 1), [((f"{at}.kpi", row.kpi), "Cell")])
            self.cell(cell(r, 2), [(row.indicators, "Cell Center")])
            self.no_split(t.rows[r])
        self.para(" → ".join(f.flow), "Body Strong")

    def basic_targets(self) -> None:
        b = self.pack.basic_targets
        w = self._text_width(self.landscape)
        self.para(heading_text(self.pack.basic_section), "Heading 1")
        self.para(b.title, "Heading 2")
        gone = self.pack.marks.removed_at  # the previous period's highlights this one does not print
        for i, x in enumerate(b.bullets):
            for old in gone("basic_targets.bullets", i):
                self.para(Deleted(old), "List Bullet")
            self.para((f"basic_targets.bullets.{i}", x), "List Bullet")
        for old in gone("basic_targets.bullets", len(b.bullets)):
            self.para(Deleted(old), "List Bullet")
        rows = (len(b.panels) + 1) // 2
        if rows:
            t = self.table(rows, 2, [w // 2, w // 2])
            cell = grid(t)
            for i, panel in enumerate(b.panels):
                self._panel(cell(i // 2, i % 2), panel, w // 2 - int(Mm(4)), f"basic_targets.panels.{i}", w // 2 - self.padding(TABLE_STYLE))
            if len(b.panels) % 2:
                self.cell(cell(rows - 1, 1), [])
                _unboxed(cell(rows - 1, 1))  # the half beside an odd last panel is blank, not an empty panel
            # A row of panels never splits, but each row goes to the next page on its own (a
            # panel's title keeps with what follows, which in a table would hold every row
            # together); the last row stays with the legend under it.
            for r, row in enumerate(t.rows):
                self.no_split(row)
                keep = r == len(t.rows) - 1 and bool(self.pack.legend)
                for c in row.cells:
                    for para in c.paragraphs:
                        para.paragraph_format.keep_with_next = keep
        for x in self.pack.legend:
            self.para(x, "Small", fit=w)

    def _panel(self, cell, p: BasicTargetPanel, width: int, at: str, line: int) -> None:
        """A basic target's panel in ``cell``: its chart ``width`` wide, its notes set in lines ``line`` wide (EMU)."""
        head: list = [self._mark(), (f"{at}.title", p.title)] + (["（", (f"{at}.detail", p.detail), "）"] if p.detail else [])
        items: list[tuple[Content, str]] = [(head, "Panel Title")]
        if p.updated_label:
            items.append((f"【{p.updated_label}】", "Panel Flag"))
        self.cell(cell, items, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
        self.chart(p.chart, int(width * 0.98), container=cell)
        self.para((f"{at}.value_text", p.value_text), "Panel Value", cell, fit=line)
        for i, note in enumerate(p.notes):
            self.para((f"{at}.notes.{i}", note), "Panel Note", cell, fit=line)
        if p.source:
            self.para(["（", (f"{at}.source", p.source), "）"], "Panel Source", cell, fit=line)

    def dashboard(self, d: Dashboard, first: bool, at: str) -> None:
        w = self._text_width(self.landscape)
        if first:
            self.para(heading_text(self.pack.dashboard_section), "Heading 1")
        self.para(d.heading, "Heading 2")
        if d.previous_note:
            self.para(d.previous_note, "Small Right", fit=w)
        per_row = max(min(len(d.tiles), 3), 1)
        rows = (len(d.tiles) + per_row - 1) // per_row
        if rows:
            t = self.table(rows, per_row, [w // per_row] * per_row, style=TILE_STYLE)
            cell = grid(t)
            for i, tile in enumerate(d.tiles):
                self._tile(cell(i // per_row, i % per_row), tile, f"{at}.tiles.{i}")
            for i in range(len(d.tiles), rows * per_row):
                self.cell(cell(i // per_row, i % per_row), [])
            for row in t.rows:
                self.no_split(row)
        for x in d.legend:
            self.para(x, "Small", fit=w)
        self.chart(d.chart, w)
        self.para(d.cases_heading, "Heading 3")
        if not d.cases:
            self.para(d.no_cases, "Normal")
        for i, c in enumerate(d.cases):
            self._removed_cases(f"{at}.cases", i, w)
            self._case(c, w, f"{at}.cases.{i}")
        self._removed_cases(f"{at}.cases", len(d.cases), w)

    def _tile(self, cell, t: Tile, at: str, mark: bool = True) -> None:
        self.cell(cell, [
            ((f"{at}.name", t.name), "Tile Name"),
            *([(t.updated_label, "Panel Flag")] if t.updated_label and mark else []),
            ((f"{at}.rate", t.rate), "Tile Rate"),
            ([f"{t.diff_label} ", (f"{at}.diff", t.diff)], "Tile Diff"),
            (t.components_label, "Tile Label"),
            ((f"{at}.components", t.components), "Tile Text"),
        ], valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)

    def _case(self, c: CaseStudy, width: int, at: str) -> None:
        gone = self.pack.marks.removed_at  # what the previous period printed here and this one does not
        paras = [self.para((f"{at}.title", c.title), "Heading 4")]
        for i, x in enumerate(c.bullets):
            for old in gone(f"{at}.bullets", i):
                paras.append(self.para(Deleted(old), "List Bullet"))
            paras.append(self.para((f"{at}.bullets.{i}", x), "List Bullet"))
        for old in gone(f"{at}.bullets", len(c.bullets)):
            paras.append(self.para(Deleted(old), "List Bullet"))
        _keep_together(paras, c)
        items: list[tuple[Content, str]] = ([((f"{at}.box_title", c.box_title), "Box Title")] if c.box_title else [])
        items += [(Deleted(old), "Box Title") for old in gone(f"{at}.box_title", 0)]
        for i, line in enumerate(c.box_lines):
            items += [(Deleted(old), "Box Text") for old in gone(f"{at}.box_lines", i)]
            items.append(((f"{at}.box_lines.{i}", line), "Box Text"))
        items += [(Deleted(old), "Box Text") for old in gone(f"{at}.box_lines", len(c.box_lines))]
        if items:
            self._box(items, width)
        photos = self.pack.marks.photos
        if at in photos:  # not the previous period's photo: that one deleted, this one inserted
            if (old_photo := photos[at]) is not None:
                self._image(old_photo.path, old_photo.alt, int(Mm(62)), int(Mm(40)), change="w:del")
            if c.image is not None:
                self._image(c.image, c.image_alt, int(Mm(62)), int(Mm(40)), change="w:ins")
        elif c.image is not None:
            self._image(c.image, c.image_alt, int(Mm(62)), int(Mm(40)))

    def _box(self, items: list[tuple[Content, str]], width: int):
        t = self.table(1, 1, [min(width // 2, int(Mm(110)))], style=BOX_STYLE, align=WD_TABLE_ALIGNMENT.LEFT)
        self.cell(t.cell(0, 0), items, valign=WD_CELL_VERTICAL_ALIGNMENT.TOP)
        if all(isinstance(content, Deleted) for content, _style in items):  # a box since removed
            self.controls.deleted_row(t.rows[0]._tr)
        return t

    def _removed_cases(self, path: str, index: int, width: int) -> None:
        """The previous period's case studies that this one no longer has, as tracked deletions."""
        for c in self.pack.marks.removed_at(path, index):
            _keep_together([self.para(Deleted(c.title), "Heading 4")] + [self.para(Deleted(x), "List Bullet") for x in c.bullets], c)
            items = [(Deleted(c.box_title), "Box Title")] if c.box_title else []
            items += [(Deleted(line), "Box Text") for line in c.box_lines]
            if items:
                self._box(items, width)
            if c.image is not None:
                self._image(c.image, c.image_alt, int(Mm(62)), int(Mm(40)), change="w:del")

    def _image(self, path: Path, alt: str, max_w: int, max_h: int, change: str | None = None) -> None:
        """A case study's photo in a paragraph of its own; with ``change`` ("w:ins", "w:del")
        tracked as inserted or deleted since the previous period."""
        from docx.image.image import Image

        data = path.read_bytes()
        img = Image.from_blob(data)
        native_w, native_h = int(img.width), int(img.height)  # EMU at the image's own dpi
        scale = min(max_w / native_w, max_h / native_h)
        p = self.para("", "Case Image")
        self.picture(p, data, int(native_w * scale), alt, path.name, int(native_h * scale))
        if change:
            self.controls.tracked(p._p, change)

    def appendix_table(self, t: AppendixTable, first: bool, at: str) -> None:
        w = self._text_width(self.landscape)
        if first:
            self.para(heading_text(self.pack.appendix_section), "Heading 1")
        self.para(t.label, "Heading Label")
        self.para((f"{at}.title", t.title), "Heading 2")
        if t.updated_label:
            self.para(t.updated_label, "Panel Flag")
        if t.tile is not None:
            tile = self.table(1, 1, [w // 3], style=TILE_STYLE, align=WD_TABLE_ALIGNMENT.LEFT)
            self._tile(tile.cell(0, 0), t.tile, f"{at}.tile", mark=False)  # the table's ※今回更新 is above it
            self.no_split(tile.rows[0])
        self.para((f"{at}.caption", t.caption), "Caption")
        widths = _figure_columns([int(w * x) for x in APPENDIX_COLUMNS], self.pack.appendix)  # the same in every table
        n = len(t.rows)
        source_width = widths[6] - self.padding(TABLE_STYLE)
        table = self.table(3 + n, 7, widths, header_rows=2, caption=t.caption, last_row_fill=True)
        # A formula in a header breaks only before it (達成率 / (B/A)×100=C).
        top, sub = t.header_top, ["\n".join(kinsoku.formula_lines(x)) for x in t.header_sub]
        # One snapshot serves every merge too: a merge removes only the cells it
        # absorbs, none of which is used after it.
        c = grid(table)
        head = lambda text: [(text, "Cell Head")]  # noqa: E731
        self.cell(down(c(0, 0), c(1, 0)), head(top[0]))
        self.cell(down(c(0, 1), c(1, 1)), head(top[1]))
        self.cell(across(c(0, 2), c(0, 3)), head(top[2]))
        self.cell(across(c(0, 4), c(0, 5)), head(top[3]))
        self.cell(down(c(0, 6), c(1, 6)), head(top[4]))
        for i, text in enumerate(sub):
            self.cell(c(1, 2 + i), head(text))
        for r, row in enumerate(t.rows, start=2):
            place = f"{at}.rows.{r - 2}"
            cells = [
                ("indicator", row.indicator, "Cell"), ("target", row.target, "Cell Number"),
                ("previous", row.previous, "Cell Number"), ("previous_rate", row.previous_rate, "Cell Rate"),
                ("current", row.current, "Cell Number"), ("current_rate", row.current_rate, "Cell Rate"),
                ("source", row.source, "Cell Small"),
            ]
            for col, (name, text, style) in enumerate(cells):
                mark = [(row.current_mark, "Panel Flag")] if name == "current" and row.current_mark else []
                self.cell(c(r, col), [((f"{place}.{name}", text), style), *mark])
            # The source is a note: its words kept whole.
            self.fit(c(r, 6).paragraphs[0], "Cell Small", source_width)
            for col, style in ((4, "Cell Number"), (5, "Cell Rate")):
                self._fit_change(c(r, col).paragraphs[0], style, widths[col])
            self.places[About(VALUE, row.id)] = c(r, 4)
            self.places[About(RATE, row.id)] = c(r, 5)
            self.no_split(table.rows[r])
        last = 2 + n
        k = t.kpi_row
        self.cell(across(c(last, 0), c(last, 2)), [(k.label, "Cell Strong")])
        self.cell(c(last, 3), [((f"{at}.kpi_row.previous", k.previous), "Cell Rate")])
        current = across(c(last, 4), c(last, 5))
        self.cell(current, [((f"{at}.kpi_row.current", k.current), "Cell Rate")])
        self._fit_change(current.paragraphs[0], "Cell Rate", widths[4] + widths[5])
        self.places[About(KPI, t.kpi_id)] = current
        self.cell(c(last, 6), [])
        self.fill_row(table.rows[last], self.fills["lastRow"])
        self.no_split(table.rows[last])
        for note in t.footnotes:
            self.para(note, "Small", fit=w)


def _keep_together(paras: list, c: CaseStudy) -> None:
    """A case (printed or deleted since the previous period) stays on one page where it fits:
    its title and bullets keep with what follows (its last bullet too when its box or photo
    follows), so no line of it is left alone on a page."""
    follows = bool(c.box_title or c.box_lines or c.image is not None)
    for p in paras if follows else paras[:-1]:
        p.paragraph_format.keep_with_next = True


# tcPr's children after tcBorders, in the schema's order.
_AFTER_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def _unboxed(cell) -> None:
    """A cell without its own top, right and bottom rules (its left is its neighbour's)."""
    pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    pr.insert_element_before(borders, *_AFTER_BORDERS)


def _figure_columns(widths: list[int], tables: tuple[AppendixTable, ...]) -> list[int]:
    """The appendix tables' columns (EMU) with each figure column wide enough for its longest
    figure with its unit on one line (1,500,000,000円), and each part of a header's
    formula with its result ((B/A)×100=C) on one line, measured in the faces' own metrics
    with a tenth to spare (LibreOffice sets a little space between Latin and Japanese);
    the indicator's and the source's columns, whose text wraps, give the width."""
    size = theme.load().text.cell.size
    pad = 2 * theme.load().table.padding.horizontal + 1
    needs = {c: (max((fonts.text_width(line, fonts.REGULAR, size) for t in tables for row in t.rows for line in getattr(row, name).split("\n")), default=0) * 1.1 + pad) * 12700
             for c, name in ((1, "target"), (2, "previous"), (4, "current"))}
    # The rates' headers: the formula and its result ((B/A)×100=C) on one line.
    head_size = theme.load().text.cell_head.size
    for c, head in ((c, h) for t in tables for c, h in zip((2, 3, 4, 5), t.header_sub)):
        part = (max(fonts.text_width(x, fonts.BOLD, head_size) for x in kinsoku.formula_lines(head)) * 1.1 + pad) * 12700
        needs[c] = max(needs.get(c, 0), part)
    return [int(x) for x in kinsoku.widen([float(x) for x in widths], needs, give=(0, 6))]


def render(job: RenderJob) -> dict[str, bytes]:
    """The Word draft (with the pack's review comments, if any) as .docx bytes."""
    return {f"{job.stem}.docx": DocxRenderer(job.pack, job.drawings).render()}
