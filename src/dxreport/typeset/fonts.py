"""The bundled Japanese fonts: where they are, what they cover, and registering
them once per process with reportlab and matplotlib.

reportlab silently draws an empty box for a character its font lacks, so every
dataset string is checked against the fonts' character maps before anything is
written (``missing_glyphs``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dxreport import resources
from dxreport.typeset import theme


@dataclass(frozen=True)
class Face:
    name: str  # the name renderers use
    file: str  # in fonts/
    family: str  # the family as the font itself names it (matplotlib, SVG, Word)


# The files and family are the theme's; the names renderers use stay fixed, since
# they are internal (and appear in the PDF's font names, whichever face is chosen).
REGULAR = Face("UDPGothic", theme.load().fonts.regular, theme.load().fonts.family)
BOLD = Face("UDPGothic-Bold", theme.load().fonts.bold, theme.load().fonts.family)
FACES = (REGULAR, BOLD)


def path(face: Face) -> Path:
    return resources.fonts() / face.file


@cache
def coverage() -> frozenset[int]:
    """Code points that every face has a glyph for."""
    common: set[int] | None = None
    for face in FACES:
        cmap = _code_points(path(face))
        common = cmap if common is None else common & cmap
    return frozenset(common or ())


def _code_points(font_path: Path) -> set[int]:
    """The code points a font maps to a glyph, read from its Unicode full-repertoire
    cmap subtable (3,10, format 12): a few ranges, read in milliseconds, where
    fontTools names all 14,000 glyphs first (0.15 s for both faces, on every build
    and validate). A font without that subtable is read by fontTools."""
    import struct

    data = font_path.read_bytes()
    num_tables = struct.unpack_from(">H", data, 4)[0]
    cmap = None
    for i in range(num_tables):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if tag == b"cmap":
            cmap = offset
    if cmap is not None:
        for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
            sub = cmap + offset
            if (platform, encoding) == (3, 10) and struct.unpack_from(">H", data, sub)[0] == 12:
                points: set[int] = set()
                for g in range(struct.unpack_from(">I", data, sub + 12)[0]):
                    start, end, glyph = struct.unpack_from(">III", data, sub + 16 + 12 * g)
                    # A range starting at glyph 0 maps its first code point to .notdef: not drawn.
                    points.update(range(start + (glyph == 0), end + 1))
                return points
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_path), lazy=True)
    try:
        return set(font.getBestCmap())
    finally:
        font.close()


@cache
def advances(face: Face) -> dict[int, float]:
    """Each code point's advance width in em, from the face's character map (3,10,
    format 12) and horizontal metrics: for measuring text where reportlab is not
    loaded (the Word draft's notes), read in milliseconds where registering the face
    with reportlab parses the whole font. A font without that subtable is read by fontTools."""
    import struct

    data = path(face).read_bytes()
    tables = {}
    for i in range(struct.unpack_from(">H", data, 4)[0]):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag] = offset
    units = struct.unpack_from(">H", data, tables[b"head"] + 18)[0]
    metrics = struct.unpack_from(">H", data, tables[b"hhea"] + 34)[0]
    hmtx = tables[b"hmtx"]

    def advance(glyph: int) -> float:
        return struct.unpack_from(">H", data, hmtx + 4 * min(glyph, metrics - 1))[0] / units

    cmap = tables[b"cmap"]
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        sub = cmap + offset
        if (platform, encoding) == (3, 10) and struct.unpack_from(">H", data, sub)[0] == 12:
            out: dict[int, float] = {}
            for g in range(struct.unpack_from(">I", data, sub + 12)[0]):
                start, end, glyph = struct.unpack_from(">III", data, sub + 16 + 12 * g)
                for k in range(end - start + 1):
                    out[start + k] = advance(glyph + k)
            return out
    from fontTools.ttLib import TTFont

    font = TTFont(str(path(face)), lazy=True)
    try:
        widths = font["hmtx"].metrics
        return {cp: widths[name][0] / font["head"].unitsPerEm for cp, name in font.getBestCmap().items()}
    finally:
        font.close()


def text_width(text: str, face: Face, size: float) -> float:
    """The width (pt) of one line of ``text`` set in ``face`` at ``size`` pt, without kerning."""
    adv = advances(face)
    return size * sum(adv.get(ord(c), 1.0) for c in text)


# Characters laid out rather than drawn: line breaks and tabs never need a glyph.
_LAYOUT = frozenset("\n\t")


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` the bundled fonts cannot draw, in order, once each."""
    have = coverage()
    out: list[str] = []
    for ch in text:
        if ch in _LAYOUT or ord(ch) in have or ch in out:
            continue
        out.append(ch)
    return out


def describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"'{ch}' (U+{ord(ch):04X}{' ' + name if name else ''})" if ch.isprintable() else f"U+{ord(ch):04X}{' ' + name if name else ''}"


@cache
def register_reportlab() -> None:
    """Register the faces with reportlab, once per process; subsets are embedded."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    _fix_to_unicode()
    for face in FACES:
        pdfmetrics.registerFont(TTFont(face.name, str(path(face))))
    addMapping(REGULAR.name, 0, 0, REGULAR.name)
    addMapping(REGULAR.name, 1, 0, BOLD.name)
    addMapping(REGULAR.name, 0, 1, REGULAR.name)
    addMapping(REGULAR.name, 1, 1, BOLD.name)


def _fix_to_unicode() -> None:
    """reportlab writes a character beyond U+FFFF (𨿸, in the font) into the PDF's
    ToUnicode map as five hex digits, which readers reject, so the character cannot be
    copied, searched or read aloud. Write it as UTF-16 (a surrogate pair), as PDF requires."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "dxreport_utf16", False):
        return

    def make(fontname, subset):
        text = original(fontname, [v if v <= 0xFFFF else 0 for v in subset])
        for i, v in enumerate(subset):
            if v > 0xFFFF:
                text = text.replace("<%02X> <0000>" % i, "<%02X> <%s>" % (i, chr(v).encode("utf-16-be").hex().upper()), 1)
        return text

    make.dxreport_utf16 = True
    ttfonts.makeToUnicodeCMap = make


@cache
def register_matplotlib() -> str:
    """Make the faces known to matplotlib; returns the family name to use."""
    from matplotlib import font_manager

    for face in FACES:
        font_manager.fontManager.addfont(str(path(face)))
    return REGULAR.family
