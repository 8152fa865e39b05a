"""Checks over every string of a dataset, each problem named by file and line."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from dxreport.errors import Problem
from dxreport.i18n import _

if TYPE_CHECKING:
    from dxreport.source.dataset import Source


def strings(raw: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(k, str):
                yield loc + (k,), k
            yield from strings(v, loc + (k,))
    elif isinstance(raw, list):
        for i, v in enumerate(raw):
            yield from strings(v, loc + (i,))
    elif isinstance(raw, str):
        yield loc, raw


def control_characters(sources: Iterable[Source]) -> list[Problem]:
    """Control characters (other than line breaks and tabs) cannot be printed or
    stored in Word's XML; they are nearly always pasted in by accident."""
    out = []
    for src in sources:
        for loc, text in strings(src.raw):
            bad = sorted({c for c in text if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cs")})
            if bad:
                codes = ", ".join(f"U+{ord(c):04X}" for c in bad)
                out.append(src.problem(loc, _("contains the control character(s) {codes}; remove them").format(codes=codes)))
    return out


def glyphs(sources: Iterable[Source]) -> list[Problem]:
    from dxreport.typeset import fonts

    out = []
    for src in sources:
        for loc, text in strings(src.raw):
            for ch in fonts.missing_glyphs(text):
                if unicodedata.category(ch) in ("Cc", "Cs"):
                    continue  # reported as a control character
                out.append(src.problem(
                    loc,
                    _("the character {char} has no glyph in the bundled fonts "
                      "({family}) and would print as an empty box; replace it "
                      "(e.g. 𠮷 → 吉) or add a font that has it").format(char=fonts.describe(ch), family=fonts.REGULAR.family),
                ))
    return out
