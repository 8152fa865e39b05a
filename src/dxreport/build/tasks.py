"""What the build hands the executor: module-level functions with picklable
arguments, run in the helper process or in this one alike."""

from __future__ import annotations

import importlib
import os
from dataclasses import replace

from dxreport.model.pack import Chart
from dxreport.render import drawings, registry
from dxreport.render.job import RenderJob

# What drawing the charts and writing the Word draft import: the helper imports
# them while this process reads the data.
HEAVY = ("dxreport.render.charts", "dxreport.render.docx")


class Local:
    """This process's drawings: what it holds already (``drawings.MEMO``), or drawn
    here when first asked for (only then is matplotlib imported)."""

    def __init__(self) -> None:
        self._charts = None

    def _set(self):
        if self._charts is None:
            from dxreport.render.charts import ChartSet

            self._charts = ChartSet(drawings.MEMO)
        return self._charts

    def svg(self, chart: Chart) -> str:
        known = drawings.MEMO.svgs
        return known[chart] if chart in known else self._set().svg(chart)

    def png(self, chart: Chart) -> bytes:
        known = drawings.MEMO.pngs
        return known[chart] if chart in known else self._set().png(chart)


_local: Local | None = None


def local() -> Local:
    global _local
    if _local is None:
        _local = Local()
    return _local


def forget() -> None:
    """Let go of this build's drawings and figures, in this process."""
    global _local
    drawings.forget()
    _local = None


def warm() -> int:
    for module in HEAVY:
        importlib.import_module(module)
    return os.getpid()


def draw(charts: tuple[Chart, ...], kind: str) -> dict[str, str | bytes]:
    """The charts' drawings of one kind (SVG text or PNG bytes), by chart id."""
    here = local()
    draw_one = here.svg if kind == registry.SVG else here.png
    return {chart.id: draw_one(chart) for chart in charts}


def render(name: str, job: RenderJob) -> dict[str, bytes]:
    """One renderer's files; a job without drawings uses this process's."""
    if job.drawings is None:
        job = replace(job, drawings=local())
    return registry.get(name).load().render(job)


def prepare(name: str, job: RenderJob) -> None:
    module = registry.get(name).load()
    if hasattr(module, "prepare"):
        module.prepare(job)
