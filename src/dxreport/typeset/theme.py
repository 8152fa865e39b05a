"""The press pack's look, from ``templates/theme.toml``.

Colours, font faces, text sizes, rule widths, margins and the KPI tiles' style
are written once, in that file, for an office designer to change; the PDF, the
charts, the web pages' style sheet and the Word styles' generator take them from
here. This module is the file's only reader, and reads it once per process.

It imports no rendering library: ``typeset.fonts`` takes the font faces from
here, and ``validate``, ``check`` and ``summary`` load those without drawing
anything. The values are plain (hex strings, floats); each renderer turns them
into its library's own colour and length types.

TOML rather than YAML, unlike the datasets: a hex colour left unquoted in YAML
starts a comment and silently becomes null, where TOML refuses the line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

from dxreport import resources
from dxreport.errors import UserError
from dxreport.i18n import N_, _

FILE = "theme.toml"  # in templates/, which travels with the installed package

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
# The strings land in CSS, XML and PDF name objects unquoted or inside quotes
# the templates write; refusing these characters keeps every format well formed.
_PLAIN = re.compile(r"[^\"'\\<>&;{}\n]+")
_CSS_LENGTH = re.compile(r"\d+(\.\d+)?(px|rem|em)")


@dataclass(frozen=True)
class Colour:
    hex: str  # "#RRGGBB", upper case

    @property
    def css(self) -> str:
        """Lower case, and #rgb where the six digits are three pairs: how style.css writes colours."""
        h = self.hex.lower()
        return "#" + h[1::2] if h[1] == h[2] and h[3] == h[4] and h[5] == h[6] else h

    @property
    def word(self) -> str:
        """WordprocessingML writes a colour as its six digits, without the #."""
        return self.hex[1:]


@dataclass(frozen=True)
class Colours:
    ink: Colour
    muted: Colour
    accent: Colour
    accent_light: Colour
    line: Colour
    tile: Colour
    kpi_row: Colour
    white: Colour
    link: Colour
    focus: Colour
    band: Colour
    print_ink: Colour
    print_rule: Colour
    chart_text: Colour
    chart_axis: Colour
    chart_grid: Colour
    previous: Colour
    previous_edge: Colour
    target: Colour


@dataclass(frozen=True)
class Fonts:
    regular: str  # file name in fonts/
    bold: str
    family: str  # as the font names itself
    word: str  # as Word names it


@dataclass(frozen=True)
class Text:
    """One text style; sizes in points."""

    size: float
    leading: float  # the PDF's line height
    bold: bool = False
    colour: Colour | None = None  # None: the colour of the text around it (ink)
    background: Colour | None = None


@dataclass(frozen=True)
class Texts:
    body: Text
    small: Text
    page_number: Text
    section_bar: Text
    field_bar: Text
    heading: Text
    subheading: Text
    cases_heading: Text
    caption: Text
    cell: Text
    cell_head: Text
    cell_small: Text
    field_head: Text
    notice_title: Text
    notice_body: Text
    notice_url: Text
    notice_box_head: Text
    notice_box_label: Text
    notice_box_text: Text
    title: Text
    title_item: Text
    title_date: Text
    panel_title: Text
    panel_flag: Text
    panel_value: Text
    panel_note: Text
    panel_source: Text
    tile_name: Text
    tile_rate: Text
    tile_diff: Text
    tile_label: Text
    tile_text: Text
    case_title: Text
    case_bullet: Text
    box_title: Text
    box_text: Text
    appendix_label: Text


@dataclass(frozen=True)
class Margins:
    """Millimetres."""

    top: float
    right: float
    bottom: float
    left: float


@dataclass(frozen=True)
class Padding:
    """Points."""

    vertical: float  # top and bottom
    horizontal: float  # left and right


@dataclass(frozen=True)
class Size:
    """Inches."""

    width: float
    height: float


@dataclass(frozen=True)
class Page:
    portrait: Margins
    landscape: Margins
    word_landscape: Margins
    page_number: float  # mm
    word_header: float  # mm
    word_footer: float  # mm


@dataclass(frozen=True)
class Table:
    padding: Padding
    rule: float
    notice_box: float
    notice_padding: float


def _css_length() -> Any:
    return field(metadata={"pattern": _CSS_LENGTH, "expected": N_("a CSS length such as 5px or 2rem")})


@dataclass(frozen=True)
class Tile:
    rule: float
    padding: Padding
    web_band: str = _css_length()
    web_rate: str = _css_length()
    web_rate_narrow: str = _css_length()


@dataclass(frozen=True)
class Chart:
    yearly: Size
    compare: Size
    compare_category: float
    phone_width: float  # the web pages' copy for a phone, its text the same size
    phone_base: float
    phone_bar: float
    font_size: float
    value_size: float
    compare_value_size: float
    legend_size: float
    notice_size: float
    grid: float
    target: float
    bar_edge: float


@dataclass(frozen=True)
class Theme:
    colours: Colours
    fonts: Fonts
    text: Texts
    page: Page
    table: Table
    tile: Tile
    chart: Chart


def path() -> Path:
    return resources.templates() / FILE


@cache
def load() -> Theme:
    """The theme of this installation, read once per process."""
    return read(path())


def read(file: Path) -> Theme:
    """A theme file's values, checked: a missing, unknown or mistyped key is an error naming it."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise UserError(_("{file}: the theme cannot be read: {error}").format(file=file, error=e)) from e
    return _Reader(file).theme(data)


class _Reader:
    def __init__(self, file: Path):
        self.file = file
        self.colours: Colours | None = None

    def error(self, where: str, message: str) -> UserError:
        return UserError(_("{file}: {where}: {message}").format(file=self.file, where=where, message=message))

    def theme(self, data: dict[str, Any]) -> Theme:
        # Colours first: the text styles name them.
        self.colours = self.build(Colours, data.get("colours"), "colours")
        return self.build(Theme, data, "")

    def build(self, cls: type, raw: object, where: str) -> Any:
        if cls is Colours and self.colours is not None:
            return self.colours
        if not isinstance(raw, dict):
            raise self.error(where or _("the file"), _("expected a table of values"))
        hints = get_type_hints(cls)
        known = {f.name: f for f in fields(cls)}
        for key in raw:
            if key not in known:
                raise self.error(_join(where, key), _("unknown key (expected one of: {keys})").format(keys=", ".join(known)))
        values = {}
        for name, f in known.items():
            key = _join(where, name)
            if name not in raw:
                raise self.error(key, _("missing"))
            values[name] = self.value(hints[name], raw[name], key, f.metadata)
        return cls(**values)

    def value(self, kind: Any, raw: object, where: str, metadata: Any) -> Any:
        if kind is Colour:
            if not isinstance(raw, str) or not _HEX.fullmatch(raw):
                raise self.error(where, _('expected a colour written "#RRGGBB", got {value}').format(value=repr(raw)))
            return Colour(raw.upper())
        if kind is Text:
            return self.text(raw, where)
        if kind in (Margins, Padding, Size):
            n = len(fields(kind))
            if not isinstance(raw, list) or len(raw) != n:
                raise self.error(where, _("expected a list of {count} numbers").format(count=n))
            return kind(*(self.number(x, where) for x in raw))
        if kind is float:
            return self.number(raw, where)
        if kind is str:
            pattern = metadata.get("pattern", _PLAIN)
            if not isinstance(raw, str) or not pattern.fullmatch(raw):
                raise self.error(where, _("expected {what}, got {value}").format(
                    what=_(metadata["expected"]) if metadata.get("expected") else _("a name without quotes or brackets"), value=repr(raw)))
            return raw
        if is_dataclass(kind):
            return self.build(kind, raw, where)
        raise TypeError(f"no reader for {kind!r}")  # a field added to the dataclasses without one

    def number(self, raw: object, where: str) -> float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or raw < 0:
            raise self.error(where, _("expected a number of 0 or more, got {value}").format(value=repr(raw)))
        return float(raw)

    def text(self, raw: object, where: str) -> Text:
        if not isinstance(raw, dict):
            raise self.error(where, _("expected a table such as {example}").format(example="{ size = … }"))
        allowed = ("size", "leading", "bold", "colour", "background")
        for key in raw:
            if key not in allowed:
                raise self.error(_join(where, key), _("unknown key (expected one of: {keys})").format(keys=", ".join(allowed)))
        if "size" not in raw:
            raise self.error(_join(where, "size"), _("missing"))
        size = self.number(raw["size"], _join(where, "size"))
        bold = raw.get("bold", False)
        if not isinstance(bold, bool):
            raise self.error(_join(where, "bold"), _("expected true or false, got {value}").format(value=repr(bold)))
        return Text(
            size=size,
            leading=self.number(raw["leading"], _join(where, "leading")) if "leading" in raw else size * 1.5,
            bold=bold,
            colour=self.named_colour(raw.get("colour"), _join(where, "colour")),
            background=self.named_colour(raw.get("background"), _join(where, "background")),
        )

    def named_colour(self, name: object, where: str) -> Colour | None:
        # By name only: each colour is written once, in [colours].
        if name is None:
            return None
        names = [f.name for f in fields(Colours)]
        if name not in names:
            raise self.error(where, _("expected the name of a colour in [colours], got {value}").format(value=repr(name)))
        return getattr(self.colours, str(name))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
