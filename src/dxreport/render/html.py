"""The pack as a static, accessible web site.

Laid out with jinja2 templates from ``templates/html/`` (autoescape on, so every
dataset string reaches the page as text, never as markup), from the same pack
model and the same chart drawings as the PDF. The folder is self-contained:
its style sheet, a subset of the bundled font with only the characters the
pages use, and the case photos travel with it; nothing is fetched from elsewhere.

Files, relative to the pack folder:

``html/index.html``
    basic targets, every field's dashboard (KPI tiles, chart, case studies) and
    links to the PDF and the open data, each stating its format and size.
``html/<field id>.html``
    one page per field: its KPI tiles and chart, and its appendix tables.
``html/style.css``, ``html/fonts/``, ``html/images/``
    what the pages use.
The open data (render/opendata.py) sits beside the ``html/`` folder; the pages
link it and the PDF with their formats and sizes.

"""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, fields, is_dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Iterator

import jinja2
from markupsafe import Markup, escape

from dxreport import resources
from dxreport.japanese import formatting
from dxreport.model.pack import Marks, Pack
from dxreport.render.job import RenderJob
from dxreport.typeset import fonts, kinsoku, theme

HTML = "html"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


# Always in the font subset, whatever the pages hold: digits, Latin letters and
# the punctuation a browser may draw (e.g. in form controls or on printing).
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "　、。・（）「」【】：％＋－▲±～"


# ---------------------------------------------------------------- templates


# ▲ as printed, read as マイナス: a screen reader would otherwise name the shape.
_NEGATIVE = Markup('<span role="img" aria-label="{}">{}</span>').format(formatting.NEGATIVE_SPOKEN, formatting.NEGATIVE)


def _br(text: object) -> Markup:
    """Line breaks in a model string become <br>; everything else is escaped; ▲
    is read as マイナス."""
    return Markup("<br>").join(_NEGATIVE.join(escape(part) for part in line.split(formatting.NEGATIVE))
                               for line in str(text).split("\n"))


def _formula(text: object) -> Markup:
    """A header holding a formula, broken only between its parts (達成率 / (B/A)×100 / =C),
    each part kept on one line."""
    return Markup("<br>").join(Markup('<span class="nobr">{}</span>').format(line) for line in kinsoku.formula_lines(str(text)))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates() / HTML)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # every dataset string is text on the page
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["br"] = _br
    env.filters["formula"] = _formula
    return env


# ---------------------------------------------------------------- charts


def inline_svg(svg: str, prefix: str, label: str, variant: str = "") -> Markup:
    """matplotlib's SVG, made fit to sit inside an HTML page.

    No XML declaration, DOCTYPE or metadata; scaled by its viewBox to the width
    of its box; every id (and every reference to one) prefixed, so two charts
    on one page never share an id; its global <style> turned into attributes of
    the root, so it styles nothing else on the page; role="img" with the
    chart's sentence as its accessible name.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg.encode("utf-8"))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}metadata", f"{{{SVG_NS}}}style"):
                parent.remove(child)
    for defs in root.findall(f"{{{SVG_NS}}}defs"):
        if len(defs) == 0:
            root.remove(defs)
    ids = {el.get("id") for el in root.iter() if el.get("id")}

    def ref(match: re.Match) -> str:
        return f"url(#{prefix}-{match.group(1)})" if match.group(1) in ids else match.group(0)

    for el in root.iter():
        for key, value in list(el.attrib.items()):
            if key == "id":
                el.set(key, f"{prefix}-{value}")
            elif key in ("href", f"{{{XLINK_NS}}}href") and value.startswith("#") and value[1:] in ids:
                el.set(key, f"#{prefix}-{value[1:]}")
            elif "url(#" in value:
                el.set(key, re.sub(r"url\(#([^)\s]+)\)", ref, value))
    # Never narrower than its printed size (matplotlib writes it in pt): its text, 9 pt
    # or more on paper, stays 12 CSS px or more; on a phone the narrower copy is shown, and
    # only a screen narrower still scrolls it in its box.
    natural = root.attrib.pop("width", "")
    root.attrib.pop("height", None)
    min_width = f"; min-width: {math.ceil(float(natural[:-2]) * 4 / 3)}px" if natural.endswith("pt") else ""
    root.set("class", f"chart-svg {variant}".strip())
    root.set("width", "100%")
    root.set("preserveAspectRatio", "xMidYMid meet")
    root.set("style", "stroke-linejoin: round; stroke-linecap: butt" + min_width)
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("focusable", "false")
    return Markup(ET.tostring(root, encoding="unicode"))


# ---------------------------------------------------------------- fonts


def subset_font(face: fonts.Face, text: str) -> bytes:
    """The face cut down to the characters of ``text``, as WOFF, byte-for-byte
    the same for the same text. (WOFF's zlib writes in a fraction of the time
    WOFF2's brotli takes, for a file about a third larger.)"""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]  # keep copyright and licence in the font
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["meta"]  # fontTools cannot subset it (and would say so on stderr)
    # lazy: only the kept glyphs are decompiled (5× faster; the same bytes out).
    # recalcBBoxes=False: the kept glyphs' outlines are copied as they are instead of
    # being decoded and re-encoded (0.2 s a face); the font-wide bounds stay the
    # whole font's, which contain the subset's.
    font = TTFont(str(fonts.path(face)), recalcTimestamp=False, recalcBBoxes=False, lazy=True)
    # The fonts name no glyphs (post format 3), so fontTools would make up names for
    # all 14,000 from the cmap first; names are not kept in the subset anyway.
    font.setGlyphOrder([".notdef"] + [f"g{i}" for i in range(1, font["maxp"].numGlyphs)])
    sub = subset.Subsetter(options)
    sub.populate(text=text)
    sub.subset(font)
    font.flavor = "woff"
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    font.close()
    return buf.getvalue()


# Named after the theme's font files, so the style sheet's @font-face rules follow a change of face.
FONT_FILES = {face: f"fonts/{PurePosixPath(face.file).stem}.woff" for face in (fonts.REGULAR, fonts.BOLD)}


@cache
def style_sheet() -> str:
    """``html/style.css``: the template of that name with the theme's colours,
    font and tile style filled in (the theme checks its values, so none of them
    can break out of the CSS or be changed by the environment's HTML escaping)."""
    look = theme.load()
    return environment().get_template("style.css").render(
        colours=look.colours, fonts=look.fonts, tile=look.tile,
        font_files={"regular": FONT_FILES[fonts.REGULAR], "bold": FONT_FILES[fonts.BOLD]})


# ---------------------------------------------------------------- pages


@dataclass(frozen=True)
class Download:
    href: str
    kb: str  # size in KB, grouped, e.g. 233 or 1,024


def size_kb(size: int) -> str:
    """Bytes as whole KB (÷1024, rounded half up, at least 1), as the link label states it."""
    kb = max(1, int((Decimal(size) / 1024).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    return f"{kb:,}"


def prepare(job: RenderJob) -> None:
    """The web fonts, cut while the charts are still being drawn: they are known
    from the pack model alone (font_chars)."""
    subset_fonts(font_chars(job.pack))


def render(job: RenderJob) -> dict[str, bytes]:
    """The web pages, their style, font subset and images.

    Keys are paths relative to the pack folder; the pages link the PDF and the
    open data (``job.given``), which sit beside the ``html/`` folder.
    """
    pack, charts = job.pack, job.drawings
    env = environment()
    files: dict[str, bytes] = {}
    # Keyed by the name after the stem (".pdf", "-kpi.csv"), which is the same in every period.
    downloads = {name.removeprefix(job.stem): Download(f"../{name}", size_kb(size)) for name, size in job.given.items()}

    svgs: dict[str, Markup] = {}
    for chart in pack.charts():
        # The sentence is an attribute: ▲ in it is spelt out, as it is read.
        alt = chart.alt.replace(formatting.NEGATIVE, formatting.NEGATIVE_SPOKEN)
        phone = chart.for_phone()
        svgs[chart.id] = inline_svg(charts.svg(chart), f"svg-{chart.id}", alt, "chart-wide")
        svgs[phone.id] = inline_svg(charts.svg(phone), f"svg-{phone.id}", alt, "chart-narrow")

    images: dict[tuple[str, int], str] = {}
    for d in pack.dashboards:
        for n, case in enumerate(d.cases, start=1):
            if case.image is not None:
                name = f"images/{d.id}-{n}{Path(case.image).suffix.lower()}"
                files[f"{HTML}/{name}"] = Path(case.image).read_bytes()
                images[(d.id, n)] = name

    pages = [("index.html", None, "")] + [(f"{d.id}.html", d, d.id) for d in pack.dashboards]
    nav = [{"href": "index.html", "key": "", "label": None}] + [
        {"href": f"{d.id}.html", "key": d.id, "label": d.title} for d in pack.dashboards
    ]
    common = dict(pack=pack, svgs=svgs, images=images, nav=nav, downloads=downloads)
    texts: dict[str, str] = {}
    for name, dashboard, key in pages:
        if dashboard is None:
            texts[name] = env.get_template("index.j2").render(current=key, **common)
        else:
            tables = [t for t in pack.appendix if t.field_id == dashboard.id]
            texts[name] = env.get_template("field.j2").render(current=key, d=dashboard, tables=tables, **common)
    css = style_sheet()
    for name, text in texts.items():
        files[f"{HTML}/{name}"] = text.encode("utf-8")
    files[f"{HTML}/style.css"] = css.encode("utf-8")

    used = set()
    for text in texts.values():
        used |= set(text)
    used -= set("\n\r\t")
    chars = font_chars(pack)
    if not used <= set(chars):
        # Never expected (font_chars reads every string the pages are made of);
        # should it happen, the pages still get every glyph they show.
        chars = "".join(sorted(set(chars) | used))
    files.update(subset_fonts(chars))
    files[f"{HTML}/fonts/OFL.txt"] = (resources.fonts() / "OFL.txt").read_bytes()
    return files


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def font_chars(pack: Pack) -> str:
    """Every character the web pages can show, known from the pack model alone:
    its strings (which the chart texts are made of too), the pages' templates and
    style, and the ASCII and punctuation of numbers and sizes. So the web fonts
    can be cut while the charts are still being drawn."""
    chars = set(_ALWAYS)
    # The draft's review notes and marks (the previous period's texts among them) are never on a web page.
    for text in _strings(replace(pack, review=(), marks=Marks())):
        chars.update(text)
    for template in sorted((resources.templates() / HTML).iterdir()):
        chars.update(template.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in chars if c not in "\n\r\t"))


@cache
def subset_fonts(chars: str) -> dict[str, bytes]:
    """The web fonts (paths under html/) for these characters."""
    return {f"{HTML}/{name}": subset_font(face, chars) for face, name in FONT_FILES.items()}

