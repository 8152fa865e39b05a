"""Review comments in the Word draft: the check's findings as Word comments,
anchored on the figure or text they concern.

The draft is laid out first (render/docx.py); this module adds the comments
before it is saved, so the published copy (``build --final``) is simply the
draft without this step.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Iterable, Iterator

from dxreport.proofread.findings import Finding
from dxreport.model.pack import Pack

AUTHOR = "dxreport check"
INITIALS = "DX"
# Appendix table columns (see render/docx.py): D = value at this period, E = its rate.
VALUE_COL, RATE_COL = 4, 5
INDICATOR_KINDS_ON_RATE = {"rate-jump"}


def _paragraphs(container) -> Iterator:
    for p in container.paragraphs:
        yield p
    for t in container.tables:
        for row in t.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                yield from _paragraphs(cell)


class _Anchors:
    def __init__(self, doc, pack: Pack, appendix_tables: dict):
        self.doc = doc
        # indicator id -> (table, row); KPI id -> (table, KPI row), in the tables
        # the renderer made for the appendix (by table id)
        self.rows: dict[str, tuple[object, int]] = {}
        self.kpi_rows: dict[str, tuple[object, int]] = {}
        for t in pack.appendix:
            table = appendix_tables[t.id]
            for n, ident in enumerate(t.row_ids):
                self.rows[ident] = (table, 2 + n)
            self.kpi_rows[t.id.removeprefix("kpi-")] = (table, 2 + len(t.rows))

    @cached_property
    def paragraphs(self) -> list:
        # Only when a finding is on a text rather than a table cell: walking every
        # cell of every table is the slow part of adding comments.
        return [p for p in _paragraphs(self.doc) if p.runs]

    @staticmethod
    def _cell_runs(table, row: int, col: int) -> list:
        cell = table.rows[row].cells[col]
        return [r for p in cell.paragraphs for r in p.runs]

    def runs(self, f: Finding) -> list:
        if f.anchor in self.rows and f.kind not in ("name-variant",) and not f.kind.startswith("kpi"):
            table, row = self.rows[f.anchor]
            runs = self._cell_runs(table, row, RATE_COL if f.kind in INDICATOR_KINDS_ON_RATE else VALUE_COL)
            if runs:
                return runs
        if f.kind.startswith("kpi") and f.anchor in self.kpi_rows:
            table, row = self.kpi_rows[f.anchor]
            runs = self._cell_runs(table, row, VALUE_COL)
            if runs:
                return runs
        if f.anchor:
            wanted = " ".join(f.anchor.split())
            for p in self.paragraphs:
                if wanted and wanted in " ".join(p.text.split()):
                    return list(p.runs)
        # Not printed as such (e.g. a source note): on the first paragraph, naming where it is.
        return list(self.paragraphs[0].runs)


def comment_text(f: Finding) -> str:
    return f"[{f.severity}] {f.subject}: {f.message} ({f.where})"


def add_comments(doc, pack: Pack, findings: Iterable[Finding], appendix_tables: dict) -> None:
    """One Word comment per finding, added to the draft's document before it is
    saved; ``appendix_tables`` are the renderer's Word tables, by table id."""
    findings = list(findings)
    if not findings:
        return
    anchors = _Anchors(doc, pack, appendix_tables)
    stamp = dt.datetime(pack.meta.date.year, pack.meta.date.month, pack.meta.date.day, tzinfo=dt.timezone.utc)
    for f in findings:
        comment = doc.add_comment(anchors.runs(f), comment_text(f), AUTHOR, INITIALS)
        comment._comment_elm.date = stamp  # never the clock: the same build, the same bytes
