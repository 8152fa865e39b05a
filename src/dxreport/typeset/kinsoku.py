"""Japanese line breaking (禁則処理) for text laid out by dxreport itself.

reportlab's CJK wrapping only hangs a single 、 or 。 and ignores opening
brackets, so the PDF renderer breaks lines here: a line never starts with a
closing mark and never ends with an opening one, and Latin words and numbers
(URLs, 87,974,100) are not split unless they alone overflow a line.
"""

from __future__ import annotations

import re
from typing import Callable

# Marks that may not begin a line (行頭禁則): closing brackets, punctuation,
# iteration marks, small kana and the prolonged sound mark.
CANNOT_START = frozenset(
    "、。，．,.！？!?‼⁇⁈⁉）)」』】〕〉》］]｝}〙〗〟’”»・：；:;ー－―‐゠–〜～々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ…‥゛゜％%℃°′″"
)
# Marks that may not end a line (行末禁則): opening brackets and prefixes of a number.
CANNOT_END = frozenset("「『【（(〔〈《［[｛{〘〖〝‘“«▲＋+￥¥＄$＃#")

# Runs kept whole where possible: Latin words, numbers with their separators.
_ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:/_@?=&%#~+\-']*|\s+|.", re.S)


def atoms(text: str) -> list[str]:
    return _ATOM.findall(text)


def may_break(before: str, after: str) -> bool:
    """May a line end after ``before`` and the next begin with ``after``?"""
    if not before or not after:
        return True
    return after[0] not in CANNOT_START and before[-1] not in CANNOT_END


def break_lines(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    """Greedy line breaking with kinsoku; explicit newlines are kept."""
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(_break_paragraph(para, measure, max_width))
    return out


def _break_paragraph(text: str, measure: Callable[[str], float], max_width: float) -> list[str]:
    parts = atoms(text)
    lines: list[str] = []
    line: list[str] = []
    width = 0.0
    i = 0
    while i < len(parts):
        part = parts[i]
        w = measure(part)
        if not line and part.isspace() and lines:
            i += 1  # a wrapped line does not start with a space (a first-line indent stays)
            continue
        if width + w <= max_width or not line:
            if not line and w > max_width and len(part) > 1:
                # One atom wider than the line (a long URL): split it by characters.
                head, tail = _split_atom(part, measure, max_width)
                lines.append(head)
                parts[i] = tail
                continue
            line.append(part)
            width += w
            i += 1
            continue
        # Overflow: end the line at the last place the rules allow.
        cut = _last_break(line, part)
        if cut == 0:
            cut = len(line)  # no allowed place at all: break here rather than overflow
        carried = line[cut:]
        lines.append("".join(line[:cut]).rstrip())
        line = [p for p in carried]
        while line and line[0].isspace():
            line.pop(0)
        width = sum(measure(p) for p in line)
        if line and width + w > max_width:
            # The carried run plus this atom still overflows: never loop forever.
            lines.append("".join(line).rstrip())
            line, width = [], 0.0
    if line or not lines:
        lines.append("".join(line).rstrip())
    _avoid_orphan(lines, measure, max_width)
    return lines


def _avoid_orphan(lines: list[str], measure: Callable[[str], float], max_width: float) -> None:
    """A last line of one character (「など」 broken as 「な / ど」) takes one more from the line above."""
    if len(lines) < 2:
        return
    prev, last = lines[-2], lines[-1]
    core = "".join(c for c in last if c not in CANNOT_START and not c.isspace())
    if len(core) != 1 or len(prev) < 4:
        return
    head, moved = prev[:-1], prev[-1]
    if moved.isspace() or (moved.isascii() and moved.isalnum() and head[-1:].isascii() and head[-1:].isalnum()):
        return  # never split a Latin word or number to do it
    if may_break(head, moved + last) and measure(moved + last) <= max_width:
        lines[-2], lines[-1] = head, moved + last


def _last_break(line: list[str], nxt: str) -> int:
    """Index into ``line`` where a break is allowed (0 = nowhere)."""
    following = nxt
    for j in range(len(line), 0, -1):
        if may_break(line[j - 1], following):
            return j
        following = line[j - 1]
    return 0


def _split_atom(part: str, measure: Callable[[str], float], max_width: float) -> tuple[str, str]:
    n = 1
    while n < len(part) and measure(part[: n + 1]) <= max_width:
        n += 1
    return part[:n], part[n:]
