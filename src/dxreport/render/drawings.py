"""The charts as renderers receive them: each drawn once (charts.py), kept as
SVG (PDF, web) and PNG (Word).

Renderers see only this interface, so they work the same whether the charts
were drawn in their own process or in another one and handed over as text and
bytes (``Received``), and they never import matplotlib.
"""

from __future__ import annotations

from typing import Callable, Iterable, Protocol

from dxreport.model.pack import Chart

# Word's copy of a chart, in pixels per inch of its printed size: sharp enough to
# proofread on paper. A chart's figure is its printed size, so a PNG's printed
# width is its pixel width over this.
PNG_DPI = 150


def png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (from its header)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


class Drawings(Protocol):
    def svg(self, chart: Chart) -> str: ...

    def png(self, chart: Chart) -> bytes: ...


class Received:
    """Drawings made in another process, by chart id. More SVGs may be still on their
    way (``later``, each a function that waits for its part): a part is waited for only
    when one of its charts is first asked for, so a renderer never waits for drawings
    it does not show."""

    def __init__(self, svgs: dict[str, str] | None = None, pngs: dict[str, bytes] | None = None,
                 later: Iterable[Callable[[], dict[str, str]]] = ()):
        self.svgs = dict(svgs or {})
        self.pngs = pngs or {}
        self._later = list(later)

    def svg(self, chart: Chart) -> str:
        while chart.id not in self.svgs and self._later:
            self.svgs.update(self._later.pop(0)())
        return self.svgs[chart.id]

    def png(self, chart: Chart) -> bytes:
        return self.pngs[chart.id]


class Known:
    """Drawings by chart: a chart equal to one already drawn (a basic target's
    yearly chart is updated once a year, the pack twice) is not drawn again.
    Only the SVG text and PNG bytes are kept, not the figures."""

    def __init__(self) -> None:
        self.svgs: dict[Chart, str] = {}
        self.pngs: dict[Chart, bytes] = {}

    def add(self, charts: Iterable[Chart], svgs: dict[str, str] | None = None, pngs: dict[str, bytes] | None = None) -> None:
        """What another process drew for these charts (by chart id)."""
        for chart in charts:
            if svgs and chart.id in svgs:
                self.svgs[chart] = svgs[chart.id]
            if pngs and chart.id in pngs:
                self.pngs[chart] = pngs[chart.id]


# This process's drawings, for every pack of one build (build --all); forgotten
# when the build ends (``forget``), so nothing outlives it in a long-lived process.
MEMO = Known()


def forget() -> None:
    """Let go of every drawing this process holds."""
    MEMO.svgs.clear()
    MEMO.pngs.clear()
