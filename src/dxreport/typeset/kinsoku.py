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
_LATIN = r"[A-Za-z0-9][A-Za-z0-9.,:/_@?=&%#~+\-']*"
_ATOM = re.compile(_LATIN + r"|\s+|.", re.S)
# With ``words``, Japanese phrases are kept whole too (文節, roughly): a run of kanji,
# katakana, Latin words and figures (各分野, 行政経営, 65.0%, 2025年度, 5.7ポイント)
# with the hiragana that follow it (平均したもの); a run of hiragana alone; words joined
# by ・ (産業・しごと) and a circled number with what it numbers.
_KANJI_KATAKANA = "\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF々〆ヵヶ\u30A1-\u30FA\u30FC-\u30FF\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A"
_HIRAGANA = "\u3041-\u3096\u309D\u309E"
_WORD = f"(?:(?:{_LATIN}|[{_KANJI_KATAKANA}])+[{_HIRAGANA}]*|[{_HIRAGANA}]+)"
# After a ・ a word may start in hiragana and go on in kanji: しごと分野 of 産業・しごと分野.
_JOINED = f"(?:[{_HIRAGANA}]*(?:{_LATIN}|[{_KANJI_KATAKANA}])+[{_HIRAGANA}]*|[{_HIRAGANA}]+)"
# A circled number stays with what it numbers; words joined by ・ are one (産業・しごと分野).
_PHRASE = re.compile(f"[\u2460-\u2473]?{_WORD}(?:・{_JOINED})*|\\s+|.", re.S)


def atoms(text: str, words: bool = False) -> list[str]:
    return (_PHRASE if words else _ATOM).findall(text)


def estimate_width(text: str, size: float) -> float:
    """A one-line text's width in pt, estimated without the font: Latin letters,
    digits and ASCII marks about half an em, everything else (kana, kanji,
    full-width marks) one em. For sizing where the font's metrics are not at hand
    (the charts' layout, Word's columns)."""
    return sum(size * (0.56 if ord(c) < 0x2000 else 1.0) for c in text)


# The formula and its result are one piece ((B/A)×100=C): a reader checks the sum on one line.
_FORMULA_BREAK = re.compile(r"\s+(?=[(（])")


def formula_lines(text: str) -> list[str]:
    """A header that holds a formula (達成率 (B/A)×100=C) as its lines: the name, then the
    formula with its result (達成率 / (B/A)×100=C), so no line break ever falls inside
    the formula. A text without one (目標値 (A)) is one line."""
    if "=" not in text and "＝" not in text:
        return [text]
    return [part for part in _FORMULA_BREAK.split(text) if part]


def widen(widths: list[float], needs: dict[int, float], give: tuple[int, ...]) -> list[float]:
    """Column widths with column ``c`` at least ``needs[c]`` wide (a figure with its
    unit on one line), the width it gains taken from the ``give`` columns in
    proportion to their widths; the total stays the same. A column that needs
    less keeps its width."""
    out = list(widths)
    gains = {c: max(0.0, need - out[c]) for c, need in needs.items()}
    total = sum(gains.values())
    pool = sum(out[c] for c in give)
    if total <= 0 or pool <= 0:
        return out
    # The giving columns keep at least half their width: text wraps there, a figure cannot.
    f = min(1.0, pool / 2 / total)
    for c, gain in gains.items():
        out[c] += gain * f
    for c in give:
        out[c] -= total * f * widths[c] / pool
    return out


def may_break(before: str, after: str) -> bool:
    """May a line end after ``before`` and the next begin with ``after``?"""
    if not before or not after:
        return True
    return after[0] not in CANNOT_START and before[-1] not in CANNOT_END


def break_lines(text: str, measure: Callable[[str], float], max_width: float, words: bool = False) -> list[str]:
    """Greedy line breaking with kinsoku; explicit newlines are kept. With
    ``words`` a line never ends inside a Japanese phrase either (see ``atoms``)
    unless the phrase alone overflows a line, which is then broken as without ``words``."""
    out: list[str] = []
    for para in text.split("\n"):
        out.extend(_break_paragraph(para, measure, max_width, words))
    return out


def _break_paragraph(text: str, measure: Callable[[str], float], max_width: float, words: bool = False) -> list[str]:
    parts = atoms(text, words)
    lines: list[str] = []
    line: list[str] = []
    width = 0.0
    i = 0
    while i < len(parts):
        part = parts[i]
        w = measure(part)
        if words and w > max_width and len(sub := _ATOM.findall(part)) > 1:
            # A phrase longer than a line (調査にかかる in a narrow column) is broken as
            # any text is, filling the line it starts on, not left to a line of its own.
            parts[i:i + 1] = sub
            continue
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
