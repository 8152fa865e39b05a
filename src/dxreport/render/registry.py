"""Every output format of a pack, registered here and nowhere else.

A renderer is a module with ``render(job: RenderJob) -> dict[str, bytes]``
(file names relative to the pack's folder → bytes) and, optionally,
``prepare(job) -> None`` for the work that needs no chart (fonts, subsets),
which the build does while the charts are being drawn. A new format is one
new module and one line below.

Modules are imported only when a pack is rendered, so the quick commands
(validate, check, summary) import no rendering library.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Iterable

SVG, PNG = "svg", "png"


@dataclass(frozen=True)
class Renderer:
    name: str
    module: str
    # Which drawing of the charts it uses: SVG (vector, text kept as text), PNG, or none.
    drawings: str | None = None
    # Renderers whose files it is told the names and sizes of (it links to them).
    needs: tuple[str, ...] = ()

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)


# In this order the files are written and listed.
RENDERERS: tuple[Renderer, ...] = (
    Renderer("pdf", "dxreport.render.pdf", drawings=SVG),
    Renderer("docx", "dxreport.render.docx", drawings=PNG),
    Renderer("opendata", "dxreport.render.opendata"),
    Renderer("web", "dxreport.render.html", drawings=SVG, needs=("pdf", "opendata")),
    Renderer("kensan", "dxreport.render.kensan"),
)


def get(name: str) -> Renderer:
    for r in RENDERERS:
        if r.name == name:
            return r
    raise KeyError(name)


def in_order(names: Iterable[str]) -> list[Renderer]:
    """The renderers named, in an order where each comes after those it needs."""
    named = set(names)
    wanted = [r for r in RENDERERS if r.name in named]
    done: list[Renderer] = []
    while wanted:
        waiting = {r.name for r in wanted}
        ready = [r for r in wanted if not waiting & set(r.needs)]
        if not ready:
            raise ValueError(f"renderers that need each other: {[r.name for r in wanted]}")
        done.append(ready[0])
        wanted.remove(ready[0])
    return done
