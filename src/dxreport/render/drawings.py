"""The charts as renderers receive them: each drawn once (charts.py), kept as
SVG (PDF, web) and PNG (Word).

Renderers see only this interface, so they work the same whether the charts
were drawn in their own process (``charts.ChartSet``) or in another one and
handed over as text and bytes (``Received``), and they never import matplotlib.
"""

from __future__ import annotations

from typing import Protocol

from dxreport.model.pack import Chart


class Drawings(Protocol):
    def svg(self, chart: Chart) -> str: ...

    def png(self, chart: Chart) -> bytes: ...


class Received:
    """Drawings made in another process."""

    def __init__(self, svgs: dict[str, str], pngs: dict[str, bytes] | None = None):
        self.svgs = svgs
        self.pngs = pngs or {}

    def svg(self, chart: Chart) -> str:
        return self.svgs[chart.id]

    def png(self, chart: Chart) -> bytes:
        return self.pngs[chart.id]


class Known:
    """Drawings kept from one pack to the next in a ``build --all``: a chart equal
    to one already drawn (a basic target's yearly chart is updated once a year,
    the pack twice) is not drawn again. Only the SVG text and PNG bytes are kept,
    not the figures."""

    def __init__(self) -> None:
        self.svgs: dict[Chart, str] = {}
        self.pngs: dict[Chart, bytes] = {}
