"""Content controls and tracked changes of the Word draft: how the draft marks
where a text came from, locks a figure and shows a change since the previous
period, written by the Word renderer and read back by ``dxreport absorb``.

A dataset text sits in a content control (``w:sdt``) tagged with its origin,
``periods/2025-12.yaml cases.industry.0.bullets.1``; a computed figure in one
locked against editing (``w:lock sdtContentLocked``) and tagged ``figure`` and
its place in the pack model. Controls have no title and the default look, so
nothing of them is printed or seen in print view. A change since the previous
period is the previous text as a tracked deletion and the new as a tracked
insertion, inside the control, by the pack's revision author: a whole piece at a
time (a figure, a bullet, a title), never a character diff, which in Japanese
would cut words apart. Wording the previous period did not print (around a new
figure) is a tracked insertion outside any control; a paragraph that is new
(a new case study's bullets) or gone (a removed case study, shown as deleted
paragraphs, its box as a deleted table row) has its paragraph mark tracked too,
so accepting or rejecting the change takes the whole paragraph.
"""

from __future__ import annotations

import datetime as dt

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from dxreport.model.pack import Span

FIGURE_TAG = "figure"
# The character style of a line break that the renderer set to keep a note's words
# whole (docx_lines): layout, not text, so reading the draft back leaves it out.
LAYOUT_BREAK = "LayoutBreak"
LOCKED = "sdtContentLocked"
# The core property (dc:identifier) naming the dataset and period a draft was built from.
IDENTIFIER_PREFIX = "dxreport"
# Revision and control ids start here, above the review comments' ids, so that no
# two annotations of the draft share one.
FIRST_ID = 10_000


def dataset_token(dataset: str) -> str:
    """How the identifier names a dataset: its plan's name, or for a name too long for
    a core property (255 characters at most) a digest of it."""
    import hashlib

    return dataset if len(dataset) <= 200 else "sha256:" + hashlib.sha256(dataset.encode("utf-8")).hexdigest()


def identifier(dataset: str, period: str) -> str:
    return f"{IDENTIFIER_PREFIX} {period} {dataset_token(dataset)}"


def parse_identifier(text: str | None) -> tuple[str, str] | None:
    """(dataset, period) of a draft's identifier, or None when dxreport did not write it."""
    parts = (text or "").split(" ", 2)
    if len(parts) != 3 or parts[0] != IDENTIFIER_PREFIX:
        return None
    return parts[2], parts[1]


def figure_tag(path: str, n: int) -> str:
    """A figure's tag: its place in the pack model (and which figure there, after the first)."""
    return f"{FIGURE_TAG} {path}" + (f"+{n}" if n else "")


def run(text: str, deleted: bool = False):
    """A run of ``text`` ("\\n" as line breaks), as deleted text when ``deleted``."""
    r = OxmlElement("w:r")
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text
    elif text:
        # What python-docx's run.text writes for plain text, without its walk through
        # every character (most of the Word draft's runs are plain).
        t = OxmlElement("w:t")
        t.text = text
        if len(text.strip()) < len(text):
            t.set(qn("xml:space"), "preserve")
        r.append(t)
    if deleted:
        for t in r.findall(qn("w:t")):
            t.tag = qn("w:delText")
    return r


class Writer:
    """Writes spans into paragraphs, numbering controls and revisions as it goes."""

    def __init__(self, author: str, date: dt.date):
        self.author = author
        self.stamp = dt.datetime(date.year, date.month, date.day).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = FIRST_ID
        self.controls = 0

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _revision(self, tag: str, *runs):
        el = OxmlElement(tag)
        el.set(qn("w:id"), self._id())
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.stamp)
        for r in runs:
            el.append(r)
        return el

    def _changes(self, span: Span) -> list:
        """A piece's content: its text, or its change since the previous period."""
        if span.previous is None or not self.author:
            return [run(span.text)]
        out = []
        if span.previous:
            out.append(self._revision("w:del", run(span.previous, deleted=True)))
        if span.text:
            out.append(self._revision("w:ins", run(span.text)))
        return out

    def spans(self, p, path: str, spans: tuple[Span, ...]) -> None:
        figures = 0
        for span in spans:
            if span.origin is None and not span.figure:
                p.extend(self._changes(span))
                continue
            if span.figure:
                tag, figures = figure_tag(path, figures), figures + 1
            else:
                tag = str(span.origin)
            p.append(self.control(tag, span, locked=span.figure))

    def control(self, tag: str, span: Span, locked: bool):
        sdt = OxmlElement("w:sdt")
        pr = OxmlElement("w:sdtPr")
        t = OxmlElement("w:tag")
        t.set(qn("w:val"), tag)
        pr.append(t)
        i = OxmlElement("w:id")
        i.set(qn("w:val"), self._id())
        pr.append(i)
        if locked:
            lock = OxmlElement("w:lock")
            lock.set(qn("w:val"), LOCKED)
            pr.append(lock)
        sdt.append(pr)
        content = OxmlElement("w:sdtContent")
        content.extend(self._changes(span))
        sdt.append(content)
        self.controls += 1
        return sdt

    def new_paragraph(self, p, spans: tuple[Span, ...] | None) -> None:
        """Track ``p``'s paragraph mark as inserted when all of it is new (every
        piece of its only text inserted since the previous period)."""
        if self.author and spans and all(s.previous == "" for s in spans):
            self.mark(p, "w:ins")

    def deleted(self, p, text: str) -> None:
        """``text`` as a tracked deletion in ``p``, its paragraph mark deleted too:
        a text of the previous period that this one does not print."""
        if text:
            p.append(self._revision("w:del", run(text, deleted=True)))
        self.mark(p, "w:del")

    def mark(self, p, tag: str) -> None:
        ppr = p.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            # Schema order: rPr comes after every other paragraph property but sectPr and pPrChange.
            later = [x for x in ppr if x.tag in (qn("w:sectPr"), qn("w:pPrChange"))]
            (later[0].addprevious if later else ppr.append)(rpr)
        rpr.insert(0, self._revision(tag))

    def tracked(self, p, tag: str) -> None:
        """All of ``p`` (a photo's paragraph) as a tracked insertion or deletion ("w:ins",
        "w:del"), its runs and its paragraph mark."""
        for r in p.findall(qn("w:r")):
            change = self._revision(tag)
            r.addprevious(change)
            change.append(r)
        self.mark(p, tag)

    def deleted_row(self, tr) -> None:
        """A table row tracked as deleted (a removed case study's box)."""
        tr.get_or_add_trPr().append(self._revision("w:del"))
