"""Review comments in the Word draft: the pack's review notes as Word comments,
on the figure or text each is about.

The Word renderer lays the draft out first and records the cell it wrote each
appendix figure in (``places``); this module adds the comments before the draft
is saved. The final copy's pack carries no review notes, so it gets none.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Iterable, Iterator, Mapping

from dxreport.i18n import _
from dxreport.model.pack import ReviewNote
from dxreport.proofread.findings import TEXT, About

INITIALS = "DX"


def author() -> str:
    return _("dxreport check")


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
    def __init__(self, doc, places: Mapping[About, object]):
        self.doc = doc
        self.places = places

    @cached_property
    def paragraphs(self) -> list:
        # Only when a note is on a text rather than a figure: walking every cell
        # of every table is the slow part of adding comments.
        return [p for p in _paragraphs(self.doc) if p.runs]

    def runs(self, about: About) -> list:
        cell = self.places.get(about)
        if cell is not None:
            runs = [r for p in cell.paragraphs for r in p.runs]
            if runs:
                return runs
        if about.kind == TEXT:
            wanted = " ".join(about.ref.split())
            for p in self.paragraphs:
                if wanted and wanted in " ".join(p.text.split()):
                    return list(p.runs)
        # Not printed as such (e.g. a source note): on the first paragraph, naming where it is.
        return list(self.paragraphs[0].runs)


def add_comments(doc, notes: Iterable[ReviewNote], places: Mapping[About, object], date: dt.date) -> None:
    """One Word comment per review note, added to the document before it is saved."""
    notes = list(notes)
    if not notes:
        return
    anchors = _Anchors(doc, places)
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    for note in notes:
        comment = doc.add_comment(anchors.runs(note.about), note.text, author(), INITIALS)
        comment._comment_elm.date = stamp  # never the clock: the same build, the same bytes
