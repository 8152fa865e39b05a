"""The press pack as one PDF, laid out with reportlab from the pack model.

Cover notice on A4 portrait, everything after it on A4 landscape. Text is laid
out by ``JText`` (kinsoku line breaking, no markup parsing); charts are the
shared matplotlib drawings converted to reportlab vectors, so their text stays
real, selectable text in the embedded font subset.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Callable

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dxreport.typeset import fonts, kinsoku, theme
from dxreport.render.drawings import Drawings
from dxreport.model.pack import AppendixTable, BasicTargetPanel, CaseStudy, Chart, Dashboard, Pack, Tile
from dxreport.render.job import RenderJob
from dxreport.render import pdf_tags
from dxreport.render.pdf_flowables import Decoration, JText, Tagged, TextStyle, hex_color

PORTRAIT = A4
LANDSCAPE = landscape(A4)

LOOK = theme.load()
INK = hex_color(LOOK.colours.ink.hex)
ACCENT_LIGHT = hex_color(LOOK.colours.accent_light.hex)
LINE = hex_color(LOOK.colours.line.hex)
KPI_ROW = hex_color(LOOK.colours.kpi_row.hex)
T = LOOK.text
P_MARGIN, L_MARGIN = LOOK.page.portrait, LOOK.page.landscape  # mm

R, B = fonts.REGULAR.name, fonts.BOLD.name


# A table that only sets two texts side by side: no padding of its own.
FLUSH = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]


def keep(flowable):
    """A heading stays on the page of what follows it."""
    flowable.keepWithNext = True
    return flowable


def _s(text: theme.Text, **kw) -> TextStyle:
    """A text style of the theme, with this place's alignment and spacing."""
    return TextStyle(font=B if text.bold else R, size=text.size, leading=text.leading,
                     color=hex_color((text.colour or LOOK.colours.ink).hex),
                     background=None if text.background is None else hex_color(text.background.hex), **kw)


BODY = _s(T.body)
SMALL = _s(T.small, words=True)  # legends and footnotes: no word split by a line break
# Cells, tiles and cases keep their words whole too (市|町村 never), figures with their unit.
CELL = _s(T.cell, words=True)
CELL_C = CELL.but(align="center")
CELL_R = CELL.but(align="right")
CELL_SMALL = _s(T.cell_small, words=True)
TILE_NAME = _s(T.tile_name, words=True)
TILE_TEXT = _s(T.tile_text, words=True)
CASE_BULLET = _s(T.case_bullet, space_after=1, words=True)
HEAD_CELL = _s(T.cell_head, align="center")
H_BAR = _s(T.section_bar, padding=5, space_after=8)
FIELD_BAR = _s(T.field_bar, padding=5, space_after=8)
H1 = _s(T.heading, space_after=6)
H2 = _s(T.subheading, space_before=6, space_after=4)
BULLET = _s(T.body, space_after=2)
PAGE_NUMBER = _s(T.page_number)


def prepare(job: RenderJob | None = None) -> None:
    """What the PDF needs before any chart: reportlab and its fonts (the build does
    this while the charts are drawn)."""
    _fonts()


@cache
def _fonts() -> None:
    """Fonts registered, once per process."""
    fonts.register_reportlab()
    from reportlab.graphics import shapes

    # Drawings start from reportlab's default font; without this every chart
    # would reference an unembedded Helvetica.
    shapes.STATE_DEFAULTS["fontName"] = R


@cache
def _chart_fonts():
    """svglib's font lookup for the charts: every chart text in the bundled faces.

    svglib cannot map a family to an already registered TrueType face
    (``register_font`` without a file maps only to the 14 standard fonts), so it
    asked fontconfig (``fc-match``, a subprocess) for a system font of the family
    and embedded whatever that found: a second copy of the face where the system
    has it installed, a font without Japanese where not. Charts are drawn in the
    bundled faces only, so the lookup answers with them and never asks the system.
    """
    from svglib.fonts import FontMap

    class ChartFonts(FontMap):
        def find_font(self, font_name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
            bold = str(weight).lower() in ("bold", "bolder", "600", "700", "800", "900")
            return (B if bold else R), True

    return ChartFonts()


class _Doc(BaseDocTemplate):
    def __init__(self, target, pack: Pack):
        self.pack = pack
        m = pack.meta
        super().__init__(
            target,
            pagesize=PORTRAIT,
            title=m.title,
            author=m.author,
            subject=m.subject,
            keywords=list(m.keywords),
            creator="dxreport",
            producer="dxreport (reportlab)",
            lang=m.language,
            displayDocTitle=1,
            invariant=1,
            initialFontName=R,  # otherwise reportlab references an unembedded Helvetica
            leftMargin=P_MARGIN.left * mm,
            rightMargin=P_MARGIN.right * mm,
            topMargin=P_MARGIN.top * mm,
            bottomMargin=P_MARGIN.bottom * mm,
        )
        pw, ph = PORTRAIT
        lw, lh = LANDSCAPE
        self.running_head: Callable[[], Flowable] | None = None  # set by _RunningHead
        self.addPageTemplates([
            PageTemplate("portrait", [Frame(P_MARGIN.left * mm, P_MARGIN.bottom * mm, pw - (P_MARGIN.left + P_MARGIN.right) * mm, ph - (P_MARGIN.top + P_MARGIN.bottom) * mm, id="p", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)],
                         pagesize=PORTRAIT, onPage=self._footer),
            PageTemplate("landscape", [Frame(L_MARGIN.left * mm, L_MARGIN.bottom * mm, lw - (L_MARGIN.left + L_MARGIN.right) * mm, lh - (L_MARGIN.top + L_MARGIN.bottom) * mm, id="l", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)],
                         pagesize=LANDSCAPE, onPage=self._footer),
        ])

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        if self.running_head is not None:
            # At the top of the frame, before anything the page holds: what follows gives it room.
            self.frame.add(self.running_head(), self.canv)

    def _footer(self, canv, doc) -> None:
        if canv.getPageNumber() == 1:
            return  # the cover notice carries no page number, as in the original
        w, _ = canv._pagesize
        canv.saveState()
        with pdf_tags.artifact(canv, "Pagination"):
            canv.setFont(PAGE_NUMBER.font, PAGE_NUMBER.size)
            canv.setFillColor(PAGE_NUMBER.color)
            canv.drawCentredString(w / 2, LOOK.page.page_number * mm, f"- {canv.getPageNumber() - 1} -")
        canv.restoreState()


class _RunningHead(ActionFlowable):
    """From here on in the story, each new page begins with ``make()`` (None: no longer):
    a dashboard's field over the pages its content runs on to, which would otherwise
    show cases of no named field. Applied where the story reaches it, so the pages
    the dashboard starts on and the one after its end carry none."""

    def __init__(self, make: Callable[[], Flowable] | None):
        super().__init__()
        self.make = make

    def apply(self, doc: "_Doc") -> None:
        doc.running_head = self.make


_MIN_FRAME_HEIGHT = LANDSCAPE[1] - (L_MARGIN.top + L_MARGIN.bottom) * mm  # the shorter of the two frames


class _Table(Table):
    """A table whose repeated header gives way when it is itself taller than a page
    (a header cell holding a very long text): the table then splits as a plain one."""

    def split(self, availWidth: float, availHeight: float):
        parts = super().split(availWidth, availHeight)
        if parts or not self.repeatRows or sum(self._rowHeights[:self.repeatRows]) <= _MIN_FRAME_HEIGHT:
            return parts  # a header that fits a page is repeated: the table moves on instead
        repeat, self.repeatRows = self.repeatRows, 0
        try:
            return super().split(availWidth, availHeight)
        finally:
            self.repeatRows = repeat


def _figure_columns(widths: list[float], tables: tuple[AppendixTable, ...]) -> list[float]:
    """The appendix tables' columns with each figure column wide enough for its longest
    figure with its unit on one line (1,500,000,000円), and each part of a header's
    formula ((B/A)×100) on one line too; the indicator's and the
    source's columns, whose text wraps, give the width."""
    pad = 2 * LOOK.table.padding.horizontal + 1
    needs = {c: max((stringWidth(line, R, CELL_R.size) for t in tables for row in t.rows for line in getattr(row, name).split("\n")), default=0) + pad
             for c, name in ((1, "target"), (2, "previous"), (4, "current"))}
    # The rates' headers: each part of the formula ((B/A)×100) on one line.
    for c, head in ((c, h) for t in tables for c, h in zip((2, 3, 4, 5), t.header_sub)):
        part = max(stringWidth(x, B, HEAD_CELL.size) for x in kinsoku.formula_lines(head)) + pad
        needs[c] = max(needs.get(c, 0), part)
    return kinsoku.widen(widths, needs, give=(0, 6))


def frame_width(landscape_page: bool = True) -> float:
    return (LANDSCAPE[0] - (L_MARGIN.left + L_MARGIN.right) * mm) if landscape_page else (PORTRAIT[0] - (P_MARGIN.left + P_MARGIN.right) * mm)


class PdfRenderer:
    """The pack as flowables, each handed its structure element (made, in the
    pack's reading order, by ``pdf_tags.for_pack``)."""

    def __init__(self, pack: Pack, charts: Drawings):
        prepare()
        self.pack = pack
        self.charts = charts
        self.tags = pdf_tags.for_pack(pack)

    # ------------------------------------------------------------ structure
    def text(self, text: str, style: TextStyle, *key, **kw) -> JText:
        """A text tied to the element at ``key``."""
        return JText(text, style, tag=self.tags[key], **kw)

    def item(self, text: str, style: TextStyle, *key, bullet: str = "・") -> JText:
        """A list item: the bullet its Lbl, the text its LBody."""
        label, body = self.tags[key]
        return JText(text, style, bullet=bullet, label=label, tag=body)

    def figure(self, flowable, *key) -> Tagged:
        return Tagged(flowable, self.tags[key])

    # ------------------------------------------------------------ helpers
    def chart(self, chart: Chart, width: float):
        """The chart at the size it was drawn, which is its printed size (so its text
        sizes are the sizes on paper); only one wider than ``width`` is scaled down."""
        from svglib.svglib import svg2rlg

        drawing = svg2rlg(io.BytesIO(self.charts.svg(chart).encode("utf-8")), font_map=_chart_fonts())
        if drawing.width > width:
            scale = width / drawing.width
            drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
            drawing.scale(scale, scale)
        drawing.hAlign = "CENTER"
        return drawing

    def table(self, rows, widths, style: list, repeat: int = 0, align: str = "CENTER") -> Table:
        # splitInRow: a cell taller than a page (a very long text) continues on the next page.
        # An empty cell holds no flowable: reportlab would draw an empty string, untagged.
        rows = [[[] if cell == "" else cell for cell in row] for row in rows]
        t = _Table(rows, colWidths=widths, repeatRows=repeat, hAlign=align, splitInRow=1, renderCB=pdf_tags.table_artifacts)
        t.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), R),  # empty cells would otherwise set Helvetica
            ("LEFTPADDING", (0, 0), (-1, -1), LOOK.table.padding.horizontal),
            ("RIGHTPADDING", (0, 0), (-1, -1), LOOK.table.padding.horizontal),
            ("TOPPADDING", (0, 0), (-1, -1), LOOK.table.padding.vertical),
            ("BOTTOMPADDING", (0, 0), (-1, -1), LOOK.table.padding.vertical),
            *style,
        ]))
        return t

    def bar(self, text: str, part: str) -> list:
        # Its bookmark is its heading's (pdf_tags.for_pack), as every heading's.
        return [keep(self.text(text, H_BAR, part, "bar"))]

    # ------------------------------------------------------------ pages
    def story(self) -> list:
        p = self.pack
        s: list = []
        s += self.notice()
        s += [NextPageTemplate("landscape"), PageBreak()]
        s += self.title_page()
        s += [PageBreak()]
        s += self.framework()
        s += [PageBreak()]
        s += self.basic_targets()
        for i, d in enumerate(p.dashboards):
            s += [PageBreak()]
            s += self.dashboard(d, first=i == 0, i=i)
        for i, t in enumerate(p.appendix):
            s += [PageBreak()]
            s += self.appendix_table(t, first=i == 0, i=i)
        return s

    def notice(self) -> list:
        n = self.pack.notice
        s: list = []
        s += [self.text(n.date, BODY.but(align="right"), "notice", "date"), Spacer(1, 10)]
        s += [self.text(n.addressee, BODY, "notice", "addressee"), Spacer(1, 6)]
        s += [self.text(n.sender, BODY.but(align="right"), "notice", "sender"), Spacer(1, 26)]
        s += [self.text(n.title, _s(T.notice_title, align="center"), "notice", "title"), Spacer(1, 22)]
        for i, para in enumerate(n.body):
            s += [self.text("\u3000" + para, _s(T.notice_body, space_after=8), "notice", "body", i)]
        if n.url:
            s += [Spacer(1, 14), self.text(n.link_label, BODY, "notice", "link_label")]
            s += [self.text(n.url, _s(T.notice_url), "notice", "url", link=n.url, link_text=f"{n.link_label} {n.url}")]
        s += [Spacer(1, 40)]
        label_w, box_w = 32 * mm, 92 * mm
        rows = [[self.text(n.box_heading, _s(T.notice_box_head, align="center"), "notice", "box_heading"), ""]]
        for i, row in enumerate(n.contact):
            lines = self.tags["notice", "contact", i, "lines"]
            rows.append([self.text(row.label, _s(T.notice_box_label, align="center"), "notice", "contact", i, "label"),
                         [JText(line, _s(T.notice_box_text), tag=lines) for line in row.lines]])
        box = self.table(rows, [label_w, box_w - label_w], [
            ("SPAN", (0, 0), (1, 0)),
            ("BOX", (0, 0), (-1, -1), LOOK.table.notice_box, INK),
            ("INNERGRID", (0, 0), (-1, -1), LOOK.table.rule, INK),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
            ("TOPPADDING", (0, 0), (-1, -1), LOOK.table.notice_padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), LOOK.table.notice_padding),
        ], align="RIGHT")
        s += [box]
        return s

    def title_page(self) -> list:
        t = self.pack.title_page
        s: list = [Spacer(1, 120)]
        s += [self.text(t.title, _s(T.title, align="center"), "title", "title"), Spacer(1, 30)]
        if t.items:  # a notice without updates: no list (reportlab has no table of no rows)
            s += [self.table([[self.item(x, _s(T.title_item), "title", "item", i)] for i, x in enumerate(t.items)], [150 * mm], [])]
        s += [Spacer(1, 80)]
        s += [self.text(t.date, _s(T.title_date, align="right"), "title", "date"),
              self.text(t.sender, _s(T.title_date, align="right"), "title", "sender")]
        return s

    def framework(self) -> list:
        sec = self.pack.framework_section
        f = self.pack.framework
        w = frame_width()
        s = self.bar(f"{sec.number} {sec.title}", "framework")
        s += [self.text(f.heading, H1, "framework", "heading"), self.text(f.basic_heading, H2, "framework", "basic_heading"),
              self.text(f.basic_intro, BODY.but(space_after=4), "framework", "basic_intro")]
        name_h, _, freq_h, src_h = f.basic_header
        rows = [[self.text(h, HEAD_CELL, "framework", "basic_head", c) for c, h in enumerate((name_h, freq_h, src_h))]]
        for r, (name, detail, freq, src) in enumerate(f.basic_rows):
            th = self.tags["framework", "basic_row", r, 0]
            cell = [JText(self.pack.marked(name), CELL.but(font=B), tag=th)] + ([JText(f"（{detail}）", CELL, tag=th)] if detail else [])
            rows.append([cell, self.text(freq, CELL_C, "framework", "basic_row", r, 1), self.text(src, CELL, "framework", "basic_row", r, 2)])
        s += [self.table(rows, [w * 0.58, w * 0.12, w * 0.30], self._grid(), repeat=1)]
        s += [self.text(f.kpi_heading, H2, "framework", "kpi_heading"), self.text(f.kpi_intro, BODY.but(space_after=4), "framework", "kpi_intro")]
        col = w / max(len(f.fields), 1)
        head = [self.text(title, _s(T.field_head, align="center"), "framework", "field", c) for c, (title, _) in enumerate(f.fields)]
        body = [[self.item(k, CELL, "framework", "field", c, i) for i, k in enumerate(kpis)] for c, (_, kpis) in enumerate(f.fields)]
        s += [self.table([head, body], [col] * len(f.fields), self._grid() + [("VALIGN", (0, 1), (-1, 1), "TOP")], repeat=1)]
        if f.structure:
            s += [PageBreak()] + self.structure(f, w)
        s += [Spacer(1, 6)]
        s += [self.item(r, BULLET, "framework", "rule", i) for i, r in enumerate(f.rules)]
        s += [self.text(f.rhythm, BODY.but(font=B, space_before=4), "framework", "rhythm")]
        if f.url:
            s += [self.text(f.url_label, BODY.but(space_before=6), "framework", "url_label"),
                  self.text(f.url, _s(T.notice_url), "framework", "url", link=f.url, link_text=f"{f.url_label} {f.url}")]
        return s

    def structure(self, f, w: float) -> list:
        """Page (2) of section 1: fields → KPIs → their intermediate indicators, drawn from the plan."""
        s: list = [self.text(f.structure_heading, H1, "framework", "structure_heading"),
                   self.text(f.structure_total, BODY.but(font=B, space_after=4), "framework", "structure_total")]
        rows: list = [[self.text(h, HEAD_CELL, "framework", "structure_head", c) for c, h in enumerate(f.structure_header)]]
        spans = []
        for r, row in enumerate(f.structure, start=1):
            if row.first_of_field:
                field = self.text(row.field, _s(T.field_head, align="center"), "framework", "structure", r - 1, 0)
                if row.field_kpis > 1:
                    spans.append(("SPAN", (0, r), (0, r + row.field_kpis - 1)))
            else:
                field = ""
            rows.append([field, self.text(row.kpi, CELL, "framework", "structure", r - 1, 1),
                         self.text(row.indicators, CELL_C, "framework", "structure", r - 1, 2)])
        s += [self.table(rows, [w * 0.22, w * 0.58, w * 0.20], self._grid() + spans, repeat=1)]
        s += [Spacer(1, 6), self.text(" → ".join(f.flow), BODY.but(font=B, align="center"), "framework", "flow")]
        return s

    def _grid(self) -> list:
        return [
            ("GRID", (0, 0), (-1, -1), LOOK.table.rule, LINE),
            ("BACKGROUND", (0, 0), (-1, 0), ACCENT_LIGHT),
        ]

    def basic_targets(self) -> list:
        sec = self.pack.basic_section
        b = self.pack.basic_targets
        w = frame_width()
        s = self.bar(f"{sec.number} {sec.title}", "basic")
        s += [self.text(b.title, H1, "basic", "title")]
        s += [self.item(x, BULLET, "basic", "bullet", i) for i, x in enumerate(b.bullets)]
        s += [Spacer(1, 4)]
        # The panels stand in a grid for the layout only: each is read as its own group.
        cells = [self._panel(p, w / 2 - 12, i) for i, p in enumerate(b.panels)]
        if len(cells) % 2:
            cells.append("")
        rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
        # A plan without basic targets (a city's): no panels, as in the Word file. Each row of
        # two panels is a table of its own, kept whole on one page (a panel never splits, its
        # note never goes alone to the next page); the legend stays with the last row.
        # An odd last panel is boxed alone: the half beside it is left blank, not drawn as an empty panel.
        boxed = lambda row: (0, 0) if row[-1] == "" else (-1, -1)  # noqa: E731
        tables = [self.table([row], [w / 2, w / 2], [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), boxed(row), LOOK.table.rule, LINE),
                                                     ("INNERGRID", (0, 0), boxed(row), LOOK.table.rule, LINE)]) for row in rows]
        legend = [self.text(x, SMALL.but(space_before=3), "legend", i) for i, x in enumerate(self.pack.legend)]
        if tables:
            s += [KeepTogether([t]) for t in tables[:-1]] + [KeepTogether([tables[-1], *legend])]
        else:
            s += legend
        return s

    def _panel(self, p: BasicTargetPanel, width: float, i: int) -> list:
        head = self.pack.panel_heading(p)
        out: list = [self.text(head, _s(T.panel_title), "panel", i, "title")]
        if p.updated_label:
            out.append(self.text(f"【{p.updated_label}】", _s(T.panel_flag), "panel", i, "flag"))
        out.append(self.figure(self.chart(p.chart, width * 0.98), "panel", i, "chart"))
        if p.value_text:
            out.append(self.text(p.value_text, _s(T.panel_value, words=True), "panel", i, "value"))
        out += [self.text(x, _s(T.panel_note, words=True), "panel", i, "note", j) for j, x in enumerate(p.notes)]
        if p.source:
            out.append(self.text(f"（{p.source}）", _s(T.panel_source, align="right"), "panel", i, "source"))
        return out

    def dashboard(self, d: Dashboard, first: bool, i: int) -> list:
        s: list = []
        if first:
            sec = self.pack.dashboard_section
            s += self.bar(f"{sec.number} {sec.title}", "dashboards")
        s += [self.text(d.heading, FIELD_BAR, "dash", i, "heading")]
        # Over each further page: a running head, as a reader of that page needs it and
        # a screen reader does not (the field's H2 heads all its content): an Artifact,
        # never a heading nor a bookmark.
        s += [_RunningHead(lambda: Decoration(JText(d.continued, FIELD_BAR)))]
        w = frame_width()
        # The tiles' legend and the previous period's note share the line above the tiles.
        legend = [self.text(x, SMALL, "dash", i, "legend", n) for n, x in enumerate(d.legend)]
        note = [self.text(d.previous_note, SMALL.but(align="right"), "dash", i, "previous_note")] if d.previous_note else []
        if legend or note:
            # The legend as wide as its text, so that the note beside it keeps to one line.
            left = min(w * 0.5, max((stringWidth(x, SMALL.font, SMALL.size) for x in d.legend), default=0) + 6)
            s += [self.table([[legend, note]], [left, w - left], FLUSH + [("BOTTOMPADDING", (0, 0), (-1, -1), 4)])]
        per_row = min(len(d.tiles), 3)
        col = w / per_row
        # The tiles stand in a grid for the layout only: each is read as its own group.
        cells = [self._tile(t, i, j, col - 2 * LOOK.tile.padding.horizontal) for j, t in enumerate(d.tiles)]
        while len(cells) % per_row:
            cells.append("")
        rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
        s += [self.table(rows, [col] * per_row, [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (-1, -1), LOOK.tile.rule, LINE),
            ("INNERGRID", (0, 0), (-1, -1), LOOK.tile.rule, LINE),
            ("TOPPADDING", (0, 0), (-1, -1), LOOK.tile.padding.vertical),
            ("BOTTOMPADDING", (0, 0), (-1, -1), LOOK.tile.padding.vertical),
            ("LEFTPADDING", (0, 0), (-1, -1), LOOK.tile.padding.horizontal),
            ("RIGHTPADDING", (0, 0), (-1, -1), LOOK.tile.padding.horizontal),
        ])]
        chart = [Spacer(1, 2), self.figure(self.chart(d.chart, w), "dash", i, "chart")]
        heading = keep(self.text(d.cases_heading, _s(T.cases_heading, space_before=8, space_after=4), "dash", i, "cases_heading"))
        if not d.cases:
            # Only the heading and one line: they stay under the chart wherever they fit, and
            # where they do not the chart goes with them, never the one line alone on a page.
            s += [KeepTogether(chart + [heading, self.text(d.no_cases, BODY, "dash", i, "no_cases")])]
        else:
            s += chart + [CondPageBreak(60 * mm), heading]
        for j, c in enumerate(d.cases):
            s += self._case(c, w, ("dash", i, "case", j))
        return s + [_RunningHead(None)]

    def _name_and_mark(self, name: str, mark: str, width: float, *key) -> list:
        """A tile's name, and its ※今回更新 at the right of the same line."""
        first = self.text(name, TILE_NAME, *key, "name")
        if not mark:
            return [first]
        return [self.table([[first, self.text(mark, _s(T.panel_flag, align="right"), *key, "updated")]],
                           [width - 18 * mm, 18 * mm], FLUSH + [("VALIGN", (0, 0), (-1, -1), "TOP")])]

    def _tile(self, t: Tile, i: int, j: int, width: float) -> list:
        key = ("dash", i, "tile", j)
        return [
            *self._name_and_mark(t.name, t.updated_label, width, *key),
            self.text(t.rate, _s(T.tile_rate, align="center"), *key, "rate"),
            self.text(f"{t.diff_label} {t.diff}", _s(T.tile_diff, align="center"), *key, "diff"),
            Spacer(1, 3),
            self.text(t.components_label, _s(T.tile_label), *key, "components_label"),
            self.text(t.components, TILE_TEXT, *key, "components"),
        ]

    def _case(self, c: CaseStudy, width: float, key: tuple) -> list:
        parts: list = [keep(self.text(c.title, _s(T.case_title, padding=3, space_before=6, space_after=3), *key, "title"))]
        text: list = [self.item(x, CASE_BULLET, *key, "bullet", k) for k, x in enumerate(c.bullets)]
        side: list = []  # photo and boxed details stand beside the bullets, as in the original
        if c.image is not None:
            side.append(self.figure(self._image(c.image, 62 * mm, 40 * mm), *key, "photo"))
        if c.box_title or c.box_lines:
            box = ([self.text(c.box_title, _s(T.box_title), *key, "box_title")] if c.box_title else []) + [
                self.text(line, _s(T.box_text), *key, "box_line", k) for k, line in enumerate(c.box_lines)]
            side.append(self.table([[box]], [64 * mm], [("BOX", (0, 0), (-1, -1), LOOK.table.rule, LINE)], align="LEFT"))
        if side:
            row = self.table([[text, side]], [width - 68 * mm, 68 * mm], [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
            return [KeepTogether(parts + [row])] if self._short(c) else parts + [row]
        return [KeepTogether(parts + text)] if self._short(c) else parts + text

    @staticmethod
    def _short(c: CaseStudy) -> bool:
        # A short case moves whole to the next page rather than splitting; a long one flows.
        return len(c.bullets) <= 6 and sum(len(x) for x in c.bullets) < 400

    @staticmethod
    def _image(path: Path, max_w: float, max_h: float) -> Image:
        # From its bytes, not its file name: reportlab names a JPEG read from a file
        # after the file's path, which would put the dataset's folder into the PDF's bytes.
        import warnings

        from PIL.Image import DecompressionBombWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DecompressionBombWarning)  # validation held it to MAX_IMAGE_SIDE
            img = Image(io.BytesIO(path.read_bytes()))
        scale = min(max_w / img.imageWidth, max_h / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        return img

    def appendix_table(self, t: AppendixTable, first: bool, i: int) -> list:
        s: list = []
        if first:
            sec = self.pack.appendix_section
            s += [keep(self.text(sec.title, H_BAR, "appendix", "title"))]
        s += [keep(self.text(t.label, _s(T.appendix_label), "table", i, "label")), keep(self.text(t.title, H1, "table", i, "title"))]
        if t.updated_label:
            s += [keep(self.text(t.updated_label, _s(T.panel_flag, space_after=3), "table", i, "updated"))]
        w = frame_width()
        if t.tile is not None:
            # The KPI's tile, as on its dashboard, above its table (the release sets it beside).
            tile = t.tile
            key = ("table", i, "tile")
            # Its ※今回更新 is the table's own, printed under the title above.
            head = [self.text(tile.name, TILE_NAME, *key, "name"),
                    self.text(tile.rate, _s(T.tile_rate, align="center"), *key, "rate"),
                    self.text(f"{tile.diff_label} {tile.diff}", _s(T.tile_diff, align="center"), *key, "diff")]
            body = [self.text(tile.components_label, _s(T.tile_label), *key, "components_label"),
                    self.text(tile.components, TILE_TEXT, *key, "components")]
            s += [keep(self.table([[head, body]], [w * 0.35, w * 0.65], [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BOX", (0, 0), (-1, -1), LOOK.tile.rule, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), LOOK.tile.padding.vertical),
                ("BOTTOMPADDING", (0, 0), (-1, -1), LOOK.tile.padding.vertical),
            ])), Spacer(1, 6)]
        widths = [w * x for x in (0.25, 0.105, 0.12, 0.075, 0.12, 0.075, 0.255)]
        widths = _figure_columns(widths, self.pack.appendix)  # the same columns in every table
        top, sub = t.header_top, ["\n".join(kinsoku.formula_lines(x)) for x in t.header_sub]
        key = ("table", i)
        header1 = [self.text(top[0], HEAD_CELL, *key, "top", 0), self.text(top[1], HEAD_CELL, *key, "top", 1),
                   self.text(top[2], HEAD_CELL, *key, "top", 2), "", self.text(top[3], HEAD_CELL, *key, "top", 3), "",
                   self.text(top[4], HEAD_CELL, *key, "top", 4)]
        header2 = ["", "", *(self.text(x, HEAD_CELL, *key, "sub", c) for c, x in enumerate(sub)), ""]
        rows = [header1, header2]
        styles = (CELL, CELL_R, CELL_R, CELL_R.but(font=B), CELL_R, CELL_R.but(font=B), CELL_SMALL)
        for r, row in enumerate(t.rows):
            texts = (row.indicator, row.target, row.previous, row.previous_rate, row.current, row.current_rate, row.source)
            cells: list = [self.text(x, st, *key, "row", r, c) for c, (x, st) in enumerate(zip(texts, styles))]
            if row.current_mark:
                # The mark in words under the value it marks: part of that cell's content.
                cells[4] = [cells[4], JText(row.current_mark, _s(T.panel_flag, align="right"), tag=self.tags[(*key, "row", r, 4)])]
            rows.append(cells)
        k = t.kpi_row
        rows.append([self.text(k.label, CELL.but(font=B), *key, "kpi", "label"), "", "",
                     self.text(k.previous, CELL_R.but(font=B), *key, "kpi", "previous"),
                     self.text(k.current, CELL_R.but(font=B), *key, "kpi", "current"), "", ""])
        last = len(rows) - 1
        style = [
            ("GRID", (0, 0), (-1, -1), LOOK.table.rule, LINE),
            ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (3, 0)), ("SPAN", (4, 0), (5, 0)), ("SPAN", (6, 0), (6, 1)),
            ("BACKGROUND", (0, 0), (-1, 1), ACCENT_LIGHT),
            ("SPAN", (0, last), (2, last)), ("SPAN", (4, last), (5, last)),
            ("BACKGROUND", (0, last), (-1, last), KPI_ROW),
        ]
        s += [self.table(rows, widths, style, repeat=2)]
        # Close under the table, one after another: a table with many notes still keeps them on its page.
        s += [self.text(x, SMALL.but(space_before=3 if j == 0 else 1), *key, "footnote", j) for j, x in enumerate(t.footnotes)]
        return s


def render(job: RenderJob, tagged: bool = True) -> dict[str, bytes]:
    """The whole pack as PDF bytes: tagged PDF/UA-1 and PDF/A-2a (``tagged=False``
    draws the same pages without structure, to compare them)."""
    renderer = PdfRenderer(job.pack, job.drawings)
    buf = io.BytesIO()
    doc = _Doc(buf, job.pack)
    story = renderer.story()
    if not tagged:
        def plain(*args, **kw):
            from reportlab.pdfgen.canvas import Canvas

            c = Canvas(*args, **kw)
            pdf_tags.stamp(c, job.pack.meta.date)
            return c

        doc.build(story, canvasmaker=plain)
        return {f"{job.stem}.pdf": buf.getvalue()}
    m = job.pack.meta

    def canvas(*args, **kw) -> pdf_tags.TaggedCanvas:
        return pdf_tags.TaggedCanvas(*args, structure=renderer.tags.structure, title=m.title, author=m.author,
                                     subject=m.subject, keywords=", ".join(m.keywords), date=m.date, **kw)

    doc.build(story, canvasmaker=canvas)
    return {f"{job.stem}.pdf": buf.getvalue()}
