"""Reading a proofread Word draft back: its content controls (tag, lock, text as
if every tracked change were accepted, without the line breaks the renderer set
only for layout, the tracked changes in it), its tables' shapes, its comments, and the dataset and period it was built from.

The reader knows the Word format and nothing of datasets: ``dxreport absorb``
(build/absorb.py) compares what it reads with the draft the dataset makes now.
A file it cannot read raises ``DraftError`` with what is wrong, for absorb to word.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from dxreport.render import docx_controls

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DC = "http://purl.org/dc/elements/1.1/"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected Office file is an OLE compound file
MAX_PART_BYTES = 200 * 2**20  # no draft's XML comes near this: a larger part is a zip bomb


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class DraftError(Exception):
    """A file that is not a readable Word draft; ``kind`` says why."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


@dataclass(frozen=True)
class Revision:
    kind: str  # "ins" or "del"
    author: str
    date: str
    text: str


@dataclass
class Control:
    tag: str | None
    locked: bool
    text: str  # as if every tracked change in it were accepted
    revisions: list[Revision]
    place: str  # where it is: the heading it follows, the table's row and column
    inside: bool = False  # within another control (LibreOffice wraps each control's content in one more)


@dataclass
class Comment:
    id: str
    author: str
    date: str
    text: str
    anchored: str = ""  # the text it is on
    tags: list[str] = field(default_factory=list)  # the controls it is on


@dataclass
class Draft:
    identifier: tuple[str, str] | None  # (dataset, period)
    controls: list[Control]
    tables: list[tuple[str, tuple[tuple[int, ...], ...]]]  # (place, each row's cell spans)
    comments: list[Comment]


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)


def _part(z: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise DraftError("too_large", name)
    try:
        return etree.fromstring(z.read(name), _PARSER)
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise DraftError("corrupt", f"{name}: {e}") from None
    except RuntimeError as e:  # an encrypted zip member
        raise DraftError("encrypted", str(e)) from None


def _layout(node) -> bool:
    """Whether ``node`` is a line break the renderer set to keep a note's words whole
    (docx_lines): in the LAYOUT_BREAK character style, layout and not text."""
    if node.tag != w("br"):
        return False
    style = node.getparent().find(f"{w('rPr')}/{w('rStyle')}")
    return style is not None and style.get(w("val")) == docx_controls.LAYOUT_BREAK


def _accepted_text(el) -> str:
    """The text of ``el`` with every tracked change accepted: insertions kept, deletions
    gone; the renderer's layout breaks left out."""
    out = []
    for node in el.iter(w("t"), w("br"), w("cr"), w("tab")):
        if _layout(node) or any(a.tag in (w("del"), w("moveFrom")) for a in node.iterancestors()):
            continue
        out.append(node.text or "" if node.tag == w("t") else ("\t" if node.tag == w("tab") else "\n"))
    return "".join(out)


def _revisions(el) -> list[Revision]:
    out = []
    for r in el.iter(w("ins"), w("del")):
        texts = r.iter(w("delText") if r.tag == w("del") else w("t"))
        out.append(Revision("ins" if r.tag == w("ins") else "del", r.get(w("author"), ""), r.get(w("date"), ""),
                            "".join(t.text or "" for t in texts)))
    return out


def read(path: Path) -> Draft:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise DraftError("missing") from None
    except OSError as e:
        raise DraftError("unreadable", e.strerror or "") from None
    if head.startswith(OLE_MAGIC):
        raise DraftError("encrypted")
    if not zipfile.is_zipfile(path):
        raise DraftError("not_docx")
    try:
        with zipfile.ZipFile(path) as z:
            body_root = _part(z, "word/document.xml")
            if body_root is None:
                raise DraftError("not_word")
            comments_root = _part(z, "word/comments.xml")
            core = _part(z, "docProps/core.xml")
    except zipfile.BadZipFile as e:
        raise DraftError("corrupt", str(e)) from None
    body = body_root.find(w("body"))
    if body is None:
        raise DraftError("not_word")
    ident = core.find(f"{{{DC}}}identifier") if core is not None else None
    draft = Draft(docx_controls.parse_identifier(ident.text if ident is not None else None), [], [], [])
    comments = {}
    for c in (comments_root.iter(w("comment")) if comments_root is not None else ()):
        comments[c.get(w("id"))] = Comment(c.get(w("id"), ""), c.get(w("author"), ""), c.get(w("date"), ""),
                                           "\n".join(_accepted_text(p) for p in c.iter(w("p"))))
    _walk(body, draft, comments)
    draft.comments = list(comments.values())
    return draft


def _walk(body, draft: Draft, comments: dict[str, Comment]) -> None:
    heading = ""
    tables: dict[int, int] = {}  # id of a w:tbl element → its number
    open_comments: set[str] = set()
    for el in body.iter():
        tag = el.tag
        if tag == w("p"):
            style = el.find(f"{w('pPr')}/{w('pStyle')}")
            name = style.get(w("val"), "") if style is not None else ""
            if name.startswith(("Heading", "Title")):
                heading = _accepted_text(el).strip() or heading
        elif tag == w("tbl"):
            if _deleted(el):
                continue  # a box of the previous period's, shown deleted: gone once the change is accepted
            tables[id(el)] = len(draft.tables) + 1
            rows = tuple(
                tuple(int(s.get(w("val"), "1")) if (s := tc.find(f"{w('tcPr')}/{w('gridSpan')}")) is not None else 1
                      for tc in tr.findall(w("tc")))
                for tr in el.findall(w("tr"))
            )
            draft.tables.append((f"{_place(el, heading, tables)}の表{tables[id(el)]}", rows))
        elif tag == w("sdt"):
            pr = el.find(w("sdtPr"))
            t = pr.find(w("tag")) if pr is not None else None
            lock = pr.find(w("lock")) if pr is not None else None
            content = el.find(w("sdtContent"))
            draft.controls.append(Control(
                tag=t.get(w("val")) if t is not None else None,
                locked=lock is not None and lock.get(w("val")) in (docx_controls.LOCKED, "sdtContentLocked"),
                text=_accepted_text(content) if content is not None else "",
                revisions=_revisions(content) if content is not None else [],
                place=_place(el, heading, tables),
                inside=any(a.tag == w("sdt") for a in el.iterancestors()),
            ))
            for cid in open_comments:
                if t is not None:
                    comments[cid].tags.append(t.get(w("val")))
        elif tag == w("commentRangeStart"):
            cid = el.get(w("id"))
            if cid in comments:
                open_comments.add(cid)
                for a in el.iterancestors(w("sdt")):
                    t = a.find(f"{w('sdtPr')}/{w('tag')}")
                    if t is not None:
                        comments[cid].tags.append(t.get(w("val")))
        elif tag == w("commentRangeEnd"):
            open_comments.discard(el.get(w("id")))
        elif tag in (w("t"), w("br"), w("tab")) and open_comments and not _layout(el):
            if not any(a.tag in (w("del"), w("moveFrom")) for a in el.iterancestors()):
                text = el.text or "" if tag == w("t") else ("\n" if tag == w("br") else "\t")
                for cid in open_comments:
                    comments[cid].anchored += text


def _deleted(tbl) -> bool:
    """Whether every row of a table is a tracked deletion."""
    rows = tbl.findall(w("tr"))
    return bool(rows) and all(tr.find(f"{w('trPr')}/{w('del')}") is not None for tr in rows)


def _place(el, heading: str, tables: dict[int, int]) -> str:
    """Where ``el`` is, as a reader of the draft finds it: after which heading, in which table cell."""
    where = f"「{heading}」の後" if heading else "文書の冒頭"
    tc = next(el.iterancestors(w("tc")), None)
    if tc is None:
        return where
    tr = tc.getparent()
    tbl = tr.getparent()
    row = tbl.findall(w("tr")).index(tr) + 1
    col = sum(int(s.get(w("val"), "1")) if (s := x.find(f"{w('tcPr')}/{w('gridSpan')}")) is not None else 1
              for x in tr.findall(w("tc"))[: tr.findall(w("tc")).index(tc)]) + 1
    return f"{where}の表{tables.get(id(tbl), '?')}、{row}行{col}列"
