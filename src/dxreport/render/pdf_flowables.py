"""reportlab flowables that lay Japanese text out with dxreport's own line
breaking (see ``kinsoku``), so no reportlab Paragraph markup is ever parsed:
a data string containing ``<``, ``&`` or quotes is drawn exactly as typed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reportlab.lib.colors import Color, HexColor, black
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import Flowable

from dxreport.typeset import kinsoku


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

    def but(self, **kw) -> "TextStyle":
        return replace(self, **kw)


def hex_color(value: str) -> Color:
    return HexColor(value)


class JText(Flowable):
    """A block of text, broken into lines with kinsoku; splits across pages by line.

    ``bullet`` is drawn in a hanging indent: wrapped lines align with the text,
    not with the bullet.
    """

    def __init__(self, text: str, style: TextStyle, bullet: str = "", lines: list[str] | None = None,
                 first: bool = True, last: bool = True):
        super().__init__()
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
        self.lines = self._lines if self._lines is not None else kinsoku.break_lines(self.text, self._measure, inner)
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
        head = JText(self.text, st, self.bullet, self.lines[:n], first=self._first, last=False)
        tail = JText(self.text, st, self.bullet, self.lines[n:], first=False, last=self._last)
        tail._continued = True
        return [head, tail]

    # -- drawing
    def draw(self) -> None:
        st = self.style
        c = self.canv
        if st.background is not None:
            top_gap = st.space_before if self._first else 0
            bottom_gap = st.space_after if self._last else 0
            c.setFillColor(st.background)
            c.rect(0, bottom_gap, self.width, self.height - top_gap - bottom_gap, stroke=0, fill=1)
        c.setFillColor(st.color)
        ascent, descent = getAscentDescent(st.font, st.size)
        y = self.height - (st.space_before if self._first else 0) - st.padding
        indent = self._indent()
        inner_width = self.width - 2 * st.padding - indent
        for i, line in enumerate(self.lines):
            # Centre the glyphs' box within the leading.
            baseline = y - (st.leading + ascent + descent) / 2
            x = st.padding + indent
            w = self._measure(line)
            if st.align == "center":
                x += (inner_width - w) / 2
            elif st.align == "right":
                x += inner_width - w
            if i == 0 and self.bullet and self._first:
                c.setFont(st.font, st.size)
                c.drawString(st.padding, baseline, self.bullet)
            c.setFont(st.font, st.size)
            c.drawString(x, baseline, line)
            y -= st.leading


class Mark(Flowable):
    """An invisible bookmark: an outline entry pointing at where it lands."""

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.bookmarkPage(self.key, fit="XYZ", left=0, top=None)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
