"""What every renderer is given: the pack model, the file names' stem, the
charts' drawings and what other renderers made that it links to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from dxreport.model.pack import Pack
from dxreport.render.drawings import Drawings


@dataclass(frozen=True)
class RenderJob:
    pack: Pack
    stem: str  # the files' common name, e.g. dxreport-2025-12
    # The charts as drawn once for every format; filled in by whoever runs the job
    # (the process that drew them, or one that was handed their drawings).
    drawings: Drawings | None = None
    # The files of the renderers this one ``needs`` (registry.py): name → size in
    # bytes, e.g. for the web page's「(PDF形式 233KB)」.
    given: Mapping[str, int] = field(default_factory=dict)
