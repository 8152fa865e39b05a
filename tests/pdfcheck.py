"""Reading a built PDF back as a reader (or a screen reader) would."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# The rules as the issue states them, kept apart from the code under test.
CANNOT_START = set("、。，．！？）」』】〕〉》・：；々,.!?)]")
CANNOT_END = set("「『【（〔〈《([")


def page_texts(path: Path) -> list[str]:
    """Text of each page in drawing order (a wrapped cell's lines stay together)."""
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def squash(text: str) -> str:
    """Text without line breaks and spaces: a wrapped string reads as one."""
    return re.sub(r"\s+", "", text)


@dataclass
class Segment:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    char_x: list[float]


def segments(path: Path) -> list[Segment]:
    """Runs of adjacent characters on one baseline: one drawn line of one text block."""
    import pdfplumber

    out: list[Segment] = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages):
            chars = sorted(page.chars, key=lambda c: (round(c["top"], 1), c["x0"]))
            current: list[dict] = []
            for ch in chars:
                if current and (abs(ch["top"] - current[-1]["top"]) > 0.5 or ch["x0"] - current[-1]["x1"] > 1.5
                                or abs(ch["size"] - current[-1]["size"]) > 0.1):
                    out.append(_segment(n, current))
                    current = []
                current.append(ch)
            if current:
                out.append(_segment(n, current))
    return out


def _segment(page: int, chars: list[dict]) -> Segment:
    return Segment(page, chars[0]["x0"], chars[-1]["x1"], chars[0]["top"], chars[0]["bottom"], chars[0]["size"],
                   "".join(c["text"] for c in chars), [c["x0"] for c in chars])


def line_breaks(path: Path) -> list[tuple[Segment, Segment]]:
    """Pairs (line, next line) of the same text block: same page, size and left edge
    (or the text edge after a bullet), the next one leading below."""
    segs = segments(path)
    pairs = []
    for s in segs:
        for p in segs:
            if p.page != s.page or abs(p.size - s.size) > 0.1 or not (0 < s.top - p.top <= 1.8 * s.size):
                continue
            same_left = abs(p.x0 - s.x0) < 0.5
            after_bullet = p.text.startswith("・") and len(p.char_x) > 1 and abs(p.char_x[1] - s.x0) < 0.5
            if same_left or after_bullet:
                if same_left and s.text.startswith("・") and p.text.startswith("・"):
                    continue  # two bullet items, not a wrapped line
                pairs.append((p, s))
    return pairs


def kinsoku_violations(path: Path) -> list[str]:
    bad = []
    for p, s in line_breaks(path):
        first, last = s.text.strip()[:1], p.text.strip()[-1:]
        if first in CANNOT_START or last in CANNOT_END:
            bad.append(f"page {p.page + 1}: {p.text!r} / {s.text!r}")
    return bad


def text_outside_page(path: Path, margin: float = 14.0) -> list[str]:
    """Characters drawn outside the printable area (closer than ``margin`` pt to an edge)."""
    import pdfplumber

    bad = []
    with pdfplumber.open(path) as pdf:
        for n, page in enumerate(pdf.pages):
            for ch in page.chars:
                if ch["x0"] < margin or ch["x1"] > page.width - margin or ch["top"] < margin or ch["bottom"] > page.height - margin:
                    bad.append(f"page {n + 1}: {ch['text']!r} at ({ch['x0']:.0f}, {ch['top']:.0f})")
    return bad
