"""reportlab flowables that lay Japanese text out with dxreport's own line
breaking (see ``kinsoku``), so no reportlab Paragraph markup is ever parsed:
a data string containing ``<``, ``&`` or quotes is drawn exactly as typed."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, replace

from reportlab.lib.colors import Color, HexColor, black
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Flowable

from dxreport.typeset import kinsoku
from dxreport.render import pdf_tags
from dxreport.render.pdf_tags import Element


@dataclass(frozen=True)
class TextStyle:
    font: str
    size: float
    leading: float
    color: Color = black
    align: str = "left"  # left, center, right
    background: Color | None = None
    padding: float = 0.0  # inside the background
    space_before: float = 0.0
    space_after: float = 0.0
    words: bool = False  # lines never end inside a Japanese phrase or a figure with its unit (notes, figures)

    def but(self, **kw) -> "TextStyle":
        return replace(self, **kw)


def hex_color(value: str) -> Color:
    return HexColor(value)


class JText(Flowable):
    """A block of text, broken into lines with kinsoku; splits across pages by line.

    ``bullet`` is drawn in a hanging indent: wrapped lines align with the text,
    not with the bullet.

    ``tag`` is the structure element the text belongs to (``label`` the list
    label's, for the bullet); ``link`` makes each line a link to that URL, the
    annotation described by ``link_text``.
    """

    def __init__(self, text: str, style: TextStyle, bullet: str = "", lines: list[str] | None = None,
                 first: bool = True, last: bool = True, *, tag: Element | None = None,
                 label: Element | None = None, link: str = "", link_text: str = ""):
        super().__init__()
        self.tag, self.label, self.link, self.link_text = tag, label, link, link_text
        # A tab (allowed in the data) has no glyph: it is drawn as the space it stands for.
        self.text = text.replace("\t", " ")
        self.style = style
        self.bullet = bullet
        self._lines = lines
        self._first = first  # draws space_before and the bullet
        self._last = last  # draws space_after
        self.lines: list[str] = []

    # -- layout
    def _indent(self) -> float:
        return stringWidth(self.bullet, self.style.font, self.style.size) if self.bullet else 0.0

    def _measure(self, s: str) -> float:
        return stringWidth(s, self.style.font, self.style.size)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        st = self.style
        inner = max(availWidth - 2 * st.padding - self._indent(), st.size)
        self.lines = self._lines if self._lines is not None else kinsoku.break_lines(self.text, self._measure, inner, st.words)
        self.width = availWidth
        self.height = self._height(len(self.lines))
        return self.width, self.height

    def _height(self, n: int) -> float:
        st = self.style
        return (n * st.leading + 2 * st.padding
                + (st.space_before if self._first else 0) + (st.space_after if self._last else 0))

    def getSpaceBefore(self) -> float:
        return 0.0

    def getSpaceAfter(self) -> float:
        return 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        st = self.style
        room = availHeight - 2 * st.padding - (st.space_before if self._first else 0)
        n = int(room // st.leading)
        if n <= 0 or n >= len(self.lines):
            return []
        kw = dict(tag=self.tag, label=self.label, link=self.link, link_text=self.link_text)
        head = JText(self.text, st, self.bullet, self.lines[:n], first=self._first, last=False, **kw)
        tail = JText(self.text, st, self.bullet, self.lines[n:], first=False, last=self._last, **kw)
        tail._continued = True
        return [head, tail]

    # -- drawing
    def _marked(self, element: Element | None, again: bool):
        if again:
            return pdf_tags.artifact(self.canv, "Pagination")
        return nullcontext() if element is None else pdf_tags.content(self.canv, element)

    def draw(self) -> None:
        st = self.style
        c = self.canv
        # Drawn a second time, the text is a repeated table header: decoration.
        again = pdf_tags.again(c, self)
        if st.background is not None:
            top_gap = st.space_before if self._first else 0
            bottom_gap = st.space_after if self._last else 0
            with pdf_tags.artifact(c):
                c.setFillColor(st.background)
                c.rect(0, bottom_gap, self.width, self.height - top_gap - bottom_gap, stroke=0, fill=1)
        c.setFillColor(st.color)
        ascent, descent = getAscentDescent(st.font, st.size)
        y = self.height - (st.space_before if self._first else 0) - st.padding
        indent = self._indent()
        inner_width = self.width - 2 * st.padding - indent
        placed: list[tuple[float, float, float, str]] = []  # x, baseline, width, line
        for line in self.lines:
            # Centre the glyphs' box within the leading.
            baseline = y - (st.leading + ascent + descent) / 2
            x = st.padding + indent
            w = self._measure(line)
            if st.align == "center":
                x += (inner_width - w) / 2
            elif st.align == "right":
                x += inner_width - w
            placed.append((x, baseline, w, line))
            y -= st.leading
        if placed and self.bullet and self._first:
            with self._marked(self.label, again):
                c.setFont(st.font, st.size)
                c.drawString(st.padding, placed[0][1], self.bullet)
        # The block's lines are one run of content: read as one text, not line by line.
        with self._marked(self.tag, again):
            for x, baseline, _, line in placed:
                c.setFont(st.font, st.size)
                c.drawString(x, baseline, line)
        if self.link and self.tag is not None and not again:
            for x, baseline, w, _ in placed:
                pdf_tags.link(c, self.tag, self.link, (x, baseline + descent, x + w, baseline + ascent), self.link_text)


class _Wrapper(Flowable):
    """A flowable laid out exactly as ``inner``, drawn by a subclass around it."""

    def __init__(self, inner: Flowable):
        super().__init__()
        self.inner = inner
        self.hAlign = getattr(inner, "hAlign", "LEFT")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return self.inner.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.inner.getSpaceAfter()


class Tagged(_Wrapper):
    """A drawing or picture as one structure element (a Figure with its
    alternative text): everything it draws is that element's content."""

    def __init__(self, inner: Flowable, tag: Element):
        super().__init__(inner)
        self.tag = tag

    def draw(self) -> None:
        with pdf_tags.content(self.canv, self.tag):
            self.inner.drawOn(self.canv, 0, 0)


class Decoration(_Wrapper):
    """What ``inner`` draws as one Artifact (a Pagination Header: a running head
    over a page its section runs on to), seen and not read, as a table header
    repeated on the next page is: the structure says it once, where it belongs."""

    def __init__(self, inner: Flowable, kind: str = "Pagination", subtype: str = "Header"):
        super().__init__(inner)
        self.kind, self.subtype = kind, subtype

    def draw(self) -> None:
        with pdf_tags.artifact(self.canv, self.kind, self.subtype):
            self.inner.drawOn(self.canv, 0, 0)
