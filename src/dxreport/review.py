"""Review comments in the Word draft: the check's findings as Word comments,
anchored on the figure or text they concern.

The draft is laid out first (render/docx.py); this module adds the comments
before it is saved, so the published copy (``build --final``) is simply the
draft without this step.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Iterable, Iterator

from dxreport.findings import Finding
from dxreport.model import Pack

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


def _first_col(table) -> list[str]:
    out = []
    for row in table.rows:
        try:
            out.append(row.cells[0].text)
        except IndexError:
            out.append("")
    return out


class _Anchors:
    def __init__(self, doc, pack: Pack):
        self.doc = doc
        self.paragraphs = [p for p in _paragraphs(doc) if p.runs]
        # indicator id -> (table, row); KPI id -> (table, KPI row)
        self.rows: dict[str, tuple[object, int]] = {}
        self.kpi_rows: dict[str, tuple[object, int]] = {}
        tables = list(doc.tables)
        for t in pack.appendix:
            names = [r[0] for r in t.rows]
            for table in tables:
                col = _first_col(table)
                if col[2:2 + len(names)] == names and len(col) == 3 + len(names):
                    for n, ident in enumerate(t.row_ids):
                        self.rows[ident] = (table, 2 + n)
                    kpi_id = t.id.removeprefix("kpi-")
                    self.kpi_rows[kpi_id] = (table, 2 + len(names))
                    tables.remove(table)
                    break

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


def add_comments(doc, pack: Pack, findings: Iterable[Finding]) -> None:
    """One Word comment per finding, added to the draft's document before it is saved."""
    findings = list(findings)
    if not findings:
        return
    anchors = _Anchors(doc, pack)
    stamp = dt.datetime(pack.meta.date.year, pack.meta.date.month, pack.meta.date.day, tzinfo=dt.timezone.utc)
    for f in findings:
        comment = doc.add_comment(anchors.runs(f), comment_text(f), AUTHOR, INITIALS)
        comment._comment_elm.date = stamp  # never the clock: the same build, the same bytes


def annotate(docx_bytes: bytes, pack: Pack, findings: Iterable[Finding]) -> bytes:
    """A saved draft with one Word comment per finding (the build adds them before saving)."""
    from docx import Document

    from dxreport.stablezip import stable_zip

    findings = list(findings)
    if not findings:
        return docx_bytes
    doc = Document(io.BytesIO(docx_bytes))
    add_comments(doc, pack, findings)
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue(), pack.meta.date)
