"""The lines of the Word draft's notes, set by dxreport rather than by the word
processor.

Word and LibreOffice break Japanese between any two characters, so a note in a
narrow cell could end a line inside 各分野 or 22.5ポイント. The widths of the
draft's cells are fixed by the renderer, so a note's lines are computed here as
the PDF's are (``kinsoku.break_lines`` with ``words``), with the bundled font's
own metrics and a little room to spare, so that neither word processor needs to
break a line again; each is set as a line break in the character style
``docx_controls.LAYOUT_BREAK``, which the draft's reader (docx_read) leaves out:
it is layout, not text, and an untouched draft reads back as it was built.

The lines are those of the paragraph as the draft shows it, tracked deletions
and insertions both: what the reviewers see never needs breaking again (once the
changes are accepted a line may end a little short, never inside a word).
"""

from __future__ import annotations

import copy
from typing import Callable

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from dxreport.render.docx_controls import LAYOUT_BREAK
from dxreport.typeset import kinsoku

# The share of a line's width the computed lines fill at most: room for the word
# processors' own spacing and rounding, so that they never break a line again.
FILL = 0.94
# LibreOffice widens each gap between a Japanese character and a Latin letter or
# digit (2025年度), whatever the paragraph says (about 0.18 em, measured): a line with
# many such gaps is set narrower until it fits with this much at each.
AUTOSPACE = 0.25

_TEXT = (qn("w:t"), qn("w:delText"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def layout_break():
    """A line break set by the renderer: a run of its own, in the LAYOUT_BREAK style."""
    r = OxmlElement("w:r")
    pr = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), LAYOUT_BREAK)
    pr.append(style)
    r.append(pr)
    r.append(OxmlElement("w:br"))
    return r


# Between a tracked deletion and the insertion right after it (108,651人 → 113,300人,
# a figure changed since the previous period): a line may end there, as at a space,
# though the two read as one run of digits and kanji. Drawn as nothing.
_CHANGE = "\u200b"


def _revision(node):
    return next((a for a in node.iterancestors(qn("w:del"), qn("w:ins"))), None)


def _pieces(p) -> list[tuple[object, str]]:
    """The paragraph's characters as shown, each text node with its text, each break or
    tab as one character, and between a deletion and the insertion that replaces it a
    place to break (the deletion, with _CHANGE)."""
    out: list[tuple[object, str]] = []
    last = None  # the revision of the last text node
    for node in p.iter(qn("w:t"), qn("w:delText"), qn("w:br"), qn("w:cr"), qn("w:tab")):
        if node.tag in _TEXT:
            here = _revision(node)
            if (last is not None and here is not None and last.tag == qn("w:del") and here.tag == qn("w:ins")
                    and last.getnext() is here and out and out[-1][1]):
                out.append((last, _CHANGE))
            last = here
        out.append((node, (node.text or "") if node.tag in _TEXT else ("\t" if node.tag == qn("w:tab") else "\n")))
    return out


def breaks(text: str, measure: Callable[[str], float], width: float) -> list[int]:
    """Where in ``text`` a line is to end (the offset of the next line's first
    character), its own line breaks left as they are: the places kinsoku.break_lines
    chooses, after the spaces that end a line."""
    out: list[int] = []
    start = 0
    for seg in text.split("\n"):
        i = 0
        # break_lines drops only spaces (at a break, at a line's end): a line is found
        # in the text by counting the other characters.
        for line in kinsoku.break_lines(seg, measure, width, words=True)[:-1]:
            need = sum(1 for c in line if not c.isspace())
            while need and i < len(seg):
                need -= not seg[i].isspace()
                i += 1
            while i < len(seg) and seg[i].isspace():
                i += 1
            if 0 < i < len(seg) and (not out or out[-1] < start + i):
                out.append(start + i)
        start += len(seg) + 1
    return out


def fit(p, measure: Callable[[str], float], width: float) -> int:
    """Set the lines of paragraph ``p`` (its runs as written, in controls and tracked
    changes or not) for a line ``width`` wide, in the unit of ``measure``. Returns how
    many line breaks it set."""
    pieces = _pieces(p)
    text = "".join(t for _node, t in pieces)
    shown = measure
    measure = lambda s: shown(s.replace(_CHANGE, ""))  # noqa: E731
    em = measure("\u3000") or 1.0
    fill = FILL
    while True:
        at = breaks(text, measure, width * fill)
        cuts = [0, *at, len(text)]
        lines = [line for a, b in zip(cuts, cuts[1:]) for line in text[a:b].split("\n")]
        if fill < 0.7 or all(measure(line.rstrip()) + AUTOSPACE * em * _gaps(line.rstrip()) <= width for line in lines):
            break
        fill -= 0.02
    starts, pos = [], 0
    for _node, piece in pieces:
        starts.append(pos)
        pos += len(piece)
    for b in reversed(at):  # from the end: a split keeps the earlier nodes as they are
        change = next((i for i, (_node, piece) in enumerate(pieces) if piece == _CHANGE and starts[i] in (b, b - 1)), None)
        if change is not None:
            # The line ends with the deleted figure: its break deleted with it, so that once
            # the change is accepted the new figure starts the line where the old one did.
            pieces[change][0].append(layout_break())
            continue
        n = max(i for i, s in enumerate(starts) if s <= b and pieces[i][0].tag in _TEXT and b < s + len(pieces[i][1]))
        _break_before(pieces[n][0], b - starts[n])
    return len(at)


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _gaps(line: str) -> int:
    """How many times ``line`` changes between Japanese and Latin letters or digits."""
    return sum(1 for a, b in zip(line, line[1:]) if (_latin(a) and ord(b) >= 0x2E80) or (ord(a) >= 0x2E80 and _latin(b)))


def _set(t, text: str) -> None:
    t.text = text
    if text != text.strip():
        t.set(_XML_SPACE, "preserve")


def _break_before(node, k: int) -> None:
    """A layout break before the ``k``-th character of text node ``node``, in the
    same container (a control, a tracked insertion or deletion): its run split there."""
    if k:
        tail = copy.deepcopy(node)  # a w:t or, in a deletion, a w:delText
        _set(tail, node.text[k:])
        _set(node, node.text[:k])
        node.addnext(tail)
        node = tail
    r = node.getparent()
    content = [c for c in r if c.tag != qn("w:rPr")]
    if content[0] is not node:
        rest = OxmlElement("w:r")
        pr = r.find(qn("w:rPr"))
        if pr is not None:
            rest.append(copy.deepcopy(pr))
        for c in content[content.index(node):]:
            rest.append(c)
        r.addnext(rest)
        r = rest
    r.addprevious(layout_break())
