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

from docx.oxml.ns import qn
from docx.text.run import Run

from dxreport.i18n import _
from dxreport.model.pack import ReviewNote
from dxreport.proofread.findings import TEXT, About

INITIALS = "DX"


def author() -> str:
    return _("dxreport check")


def is_ours(name: str | None) -> bool:
    """Whether a comment's author is dxreport itself, in whichever language the draft was built."""
    return name in ("dxreport check", "dxreport 自動チェック", author())


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


def runs_of(paragraph) -> list:
    """A paragraph's runs as printed: those inside its content controls too (python-docx
    sees only its direct runs), not the deleted ones of a tracked change."""
    return [Run(r, paragraph) for r in paragraph._p.iter(qn("w:r")) if r.getparent().tag != qn("w:del")]


def text_of(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph._p.iter(qn("w:t")))


def _hoist(marker, before: bool) -> None:
    """Move a comment's range mark out of the content control (and tracked change)
    it was put in: the comment is on the whole control, and a locked control keeps
    its content as built."""
    parent = marker.getparent()
    while parent.tag in (qn("w:ins"), qn("w:sdtContent"), qn("w:sdt")):
        if parent.tag != qn("w:sdtContent"):
            (parent.addprevious if before else parent.addnext)(marker)
        else:
            (parent.getparent().addprevious if before else parent.getparent().addnext)(marker)
        parent = marker.getparent()


class _Anchors:
    def __init__(self, doc, places: Mapping[About, object]):
        self.doc = doc
        self.places = places

    @cached_property
    def paragraphs(self) -> list:
        # Only when a note is on a text rather than a figure: walking every cell
        # of every table is the slow part of adding comments.
        return [p for p in _paragraphs(self.doc) if runs_of(p)]

    def runs(self, about: About) -> list:
        cell = self.places.get(about)
        if cell is not None:
            runs = [r for p in cell.paragraphs for r in runs_of(p)]
            if runs:
                return runs
        if about.kind == TEXT:
            wanted = " ".join(about.ref.split())
            for p in self.paragraphs:
                if wanted and wanted in " ".join(text_of(p).split()):
                    return runs_of(p)
        # Not printed as such (e.g. a source note): on the first paragraph, naming where it is.
        return runs_of(self.paragraphs[0])


def add_comments(doc, notes: Iterable[ReviewNote], places: Mapping[About, object], date: dt.date) -> None:
    """One Word comment per review note, added to the document before it is saved."""
    notes = list(notes)
    if not notes:
        return
    anchors = _Anchors(doc, places)
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    for note in notes:
        runs = anchors.runs(note.about)
        comment = doc.add_comment(runs, note.text, author(), INITIALS)
        comment._comment_elm.date = stamp  # never the clock: the same build, the same bytes
        ident = str(comment.comment_id)
        for r in (runs[0], runs[-1]):
            p = r._r.getparent()
            while p is not None and p.tag != qn("w:p"):
                p = p.getparent()
            for el in (p.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd")) if p is not None else ()):
                if el.get(qn("w:id")) == ident:
                    _hoist(el, before=el.tag == qn("w:commentRangeStart"))
        for ref in doc.element.body.iter(qn("w:commentReference")):
            if ref.get(qn("w:id")) == ident:
                _hoist(ref.getparent(), before=False)
