"""The pack as a static, accessible web site and as open data.

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
``<stem>.csv`` and ``<stem>.json`` (e.g. ``dxreport-2025-12.csv``)
    the open data, described at ``COLUMNS``.

Open data: one table holds both kinds of row, told apart by 種別.

* 種別 ``中間指標``: one row per intermediate indicator, with 分野, KPI (the KPI
  it belongs to), 指標ID, 中間指標, 単位, 目標値, and for each period (前期, 今期)
  its month (…の基準月, YYYY-MM), the value, the value's own as-of note (…の時点)
  and the rate (…の達成率); データの出所.
* 種別 ``KPI``: one row per KPI, with 分野, KPI, 指標ID (the KPI's id), 単位 ``%``,
  the months, and the KPI (達成率の単純平均) in 前期 and 今期 with 前期差 in points.

Columns a row's kind does not use are empty. Figures are plain numbers as
published (values at their display precision, rates with one decimal): no
thousands separators, no units, ``-`` for negatives. The column names are fixed
here, not in the wording, so they stay the same in every period's files. The CSV
is UTF-8 with a BOM (Excel opens it as Japanese) and CRLF line ends; the JSON has
the same rows as objects keyed by the same names, plus the pack's title and
months and a description of every column.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, fields, is_dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Iterator

import jinja2
from markupsafe import Markup, escape

from dxreport import resources
from dxreport.typeset import fonts, theme
from dxreport.render.drawings import Drawings
from dxreport.model.pack import DataRecord, Pack

HTML = "html"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# name, description: the open data's columns, in order. Never rename one: data users
# join files of several periods by these names.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("種別", "「中間指標」または「KPI」"),
    ("分野", "分野の名称"),
    ("KPI", "KPIの名称（中間指標の行では、その中間指標が属するKPI）"),
    ("指標ID", "中間指標またはKPIの識別子（期をまたいで変わらない）"),
    ("中間指標", "中間指標の名称（KPIの行では空欄）"),
    ("単位", "目標値と値の単位（KPIの行では%）"),
    ("目標値", "中間指標の目標値"),
    ("前期の基準月", "前期のデータの時点（年-月末）"),
    ("前期の値", "前期の値"),
    ("前期の時点", "前期の値の時点・対象期間の注記"),
    ("前期の達成率", "前期の達成率（%、値÷目標値×100、0～100の範囲で小数第2位を四捨五入）"),
    ("今期の基準月", "今期のデータの時点（年-月末）"),
    ("今期の値", "今期の値"),
    ("今期の時点", "今期の値の時点・対象期間の注記"),
    ("今期の達成率", "今期の達成率（%、算出方法は前期と同じ）"),
    ("前期", "前期のKPI（%、中間指標の達成率の単純平均）"),
    ("今期", "今期のKPI（%、中間指標の達成率の単純平均）"),
    ("前期差", "KPIの前期差（ポイント、今期－前期）"),
    ("データの出所", "中間指標のデータの出所"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
KINDS = {"indicator": "中間指標", "kpi": "KPI"}

# Always in the font subset, whatever the pages hold: digits, Latin letters and
# the punctuation a browser may draw (e.g. in form controls or on printing).
_ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "　、。・（）「」【】：％＋－▲±～"


# ---------------------------------------------------------------- templates


def _br(text: object) -> Markup:
    """Line breaks in a model string become <br>; everything else is escaped."""
    return Markup("<br>").join(escape(line) for line in str(text).split("\n"))


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
    return env


# ---------------------------------------------------------------- charts


def inline_svg(svg: str, prefix: str, label: str) -> Markup:
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
    for key in ("width", "height"):
        root.attrib.pop(key, None)
    root.set("class", "chart-svg")
    root.set("width", "100%")
    root.set("preserveAspectRatio", "xMidYMid meet")
    root.set("style", "stroke-linejoin: round; stroke-linecap: butt")
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("focusable", "false")
    return Markup(ET.tostring(root, encoding="unicode"))


# ---------------------------------------------------------------- open data


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    # A Decimal with up to 15 significant digits round-trips through float's shortest repr.
    return int(value) if value.as_tuple().exponent >= 0 else float(value)


def _row(r: DataRecord, period: str, previous: str | None) -> dict[str, object]:
    indicator = r.kind == "indicator"
    return {
        "種別": KINDS[r.kind],
        "分野": r.field,
        "KPI": r.kpi,
        "指標ID": r.id,
        "中間指標": r.name,
        "単位": r.unit,
        "目標値": r.target,
        "前期の基準月": previous or "",
        "前期の値": r.previous_value,
        "前期の時点": r.previous_note,
        "前期の達成率": r.previous_rate,
        "今期の基準月": period,
        "今期の値": r.current_value,
        "今期の時点": r.current_note,
        "今期の達成率": r.current_rate,
        "前期": None if indicator else r.previous,
        "今期": None if indicator else r.current,
        "前期差": None if indicator else r.diff,
        "データの出所": r.source,
    }


def open_data_csv(pack: Pack) -> bytes:
    od = pack.open_data
    assert od is not None, "the pack model carries no open data"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for r in od.records:
        row = _row(r, od.period, od.previous_period)
        writer.writerow([_plain(v) if isinstance(v, Decimal) or v is None else v for v in row.values()])
    return buf.getvalue().encode("utf-8-sig")


def open_data_json(pack: Pack) -> bytes:
    od = pack.open_data
    assert od is not None, "the pack model carries no open data"
    rows = []
    for r in od.records:
        row = _row(r, od.period, od.previous_period)
        rows.append({k: (_json_number(v) if isinstance(v, Decimal) or v is None else v) for k, v in row.items()})
    doc = {
        "タイトル": pack.meta.subject,
        "作成者": pack.meta.author,
        "公表日": pack.meta.date.isoformat(),
        "今期の基準月": od.period,
        "前期の基準月": od.previous_period,
        "列": [{"名前": name, "説明": text} for name, text in COLUMNS],
        "データ": rows,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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


def render(pack: Pack, charts: Drawings, pdf_name: str, pdf_size: int, stem: str | None = None,
           web_fonts: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The web pages, their style, font subset and images, and the open data.

    Keys are paths relative to the pack folder; the pages link the PDF and the
    open data, which sit beside the ``html/`` folder. ``web_fonts`` are the
    fonts from ``subset_fonts(font_chars(pack))`` when already made.
    """
    stem = stem or PurePosixPath(pdf_name).stem
    env = environment()
    files: dict[str, bytes] = {}

    data_csv = open_data_csv(pack)
    data_json = open_data_json(pack)
    files[f"{stem}.csv"] = data_csv
    files[f"{stem}.json"] = data_json
    downloads = {
        "pdf": Download(f"../{pdf_name}", size_kb(pdf_size)),
        "csv": Download(f"../{stem}.csv", size_kb(len(data_csv))),
        "json": Download(f"../{stem}.json", size_kb(len(data_json))),
    }

    svgs: dict[str, Markup] = {}
    for chart in pack.charts():
        svgs[chart.id] = inline_svg(charts.svg(chart), f"svg-{chart.id}", chart.alt)

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
    covered = set(font_chars(pack))
    if not used <= covered:
        # Never expected (font_chars reads every string the pages are made of);
        # should it happen, the pages still get every glyph they show.
        web_fonts = subset_fonts("".join(sorted(covered | used)))
    files.update(web_fonts if web_fonts is not None else subset_fonts(font_chars(pack)))
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
    for text in _strings(pack):
        chars.update(text)
    for template in sorted((resources.templates() / HTML).iterdir()):
        chars.update(template.read_text(encoding="utf-8"))
    return "".join(sorted(c for c in chars if c not in "\n\r\t"))


def subset_fonts(chars: str) -> dict[str, bytes]:
    """The web fonts (paths under html/) for these characters."""
    return {f"{HTML}/{name}": subset_font(face, chars) for face, name in FONT_FILES.items()}

