"""The theme file (issue 14, item 4): every format takes its look from
templates/theme.toml, so changing a colour there is one line, and no source
file writes one of its colours itself."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import AOMORI, ROOT

from dxreport import resources
from dxreport.errors import UserError
from dxreport.typeset import theme

THEME = ROOT / "templates" / "theme.toml"
OLD_TILE = "#1F5A96"
NEW_TILE = "#6A1B9A"  # in no other place of the theme, so every hit comes from the tile colour


def retheme(tmp_path: Path, old_line: str, new_line: str) -> Path:
    """A copy of the theme with exactly one line changed."""
    lines = THEME.read_text(encoding="utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(old_line)]
    assert len(hits) == 1, f"{old_line!r} is on {len(hits)} lines of the theme"
    lines[hits[0]] = lines[hits[0]].replace(old_line, new_line, 1)
    copy = tmp_path / "theme.toml"
    copy.write_text("".join(lines), encoding="utf-8")
    return copy


def pdf_colours(pdf: Path) -> str:
    """Every stream of the PDF, decompressed (page contents, where text and the charts' vectors are drawn)."""
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    reader = PdfReader(pdf)
    out = []
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            out.append(obj.get_data().decode("latin-1"))
    return "\n".join(out)


def reportlab_rgb(hex_colour: str) -> str:
    """How reportlab writes the colour's components into a content stream."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.rl_accel import fp_str

    c = HexColor(hex_colour)
    return fp_str(c.red, c.green, c.blue)


@pytest.fixture(scope="module")
def rethemed(tmp_path_factory) -> Path:
    """The Aomori pack and the Word styles, made in a fresh process whose theme
    is a copy of templates/theme.toml with one line changed: the tile colour."""
    tmp = tmp_path_factory.mktemp("rethemed")
    copy = retheme(tmp, f'tile = "{OLD_TILE}"', f'tile = "{NEW_TILE}"')
    out = tmp / "out"
    code = (
        "import runpy, sys\n"
        "from pathlib import Path\n"
        "from dxreport.typeset import theme\n"
        # Before any renderer is imported: they take their look values at import.
        f"theme.path = lambda: Path({str(copy)!r})\n"
        "from dxreport.cli import main\n"
        f"sys.argv = ['dxreport', 'build', {str(AOMORI)!r}, '--jobs', '1', '--out', {str(out)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        f"tool = runpy.run_path({str(ROOT / 'tools' / 'make_reference_docx.py')!r})\n"
        f"Path({str(tmp / 'styles.xml')!r}).write_text(tool['styles_xml'](), encoding='utf-8')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return tmp


def test_the_tile_colour_is_one_line_of_the_theme(rethemed):
    old, new = OLD_TILE.lower(), NEW_TILE.lower()
    out = rethemed / "out"

    pdf = pdf_colours(out / "dxreport-2025-12.pdf")
    assert f"{reportlab_rgb(NEW_TILE)} rg" in pdf  # the tiles' rates and the bars
    assert reportlab_rgb(OLD_TILE) not in pdf

    css = (out / "html" / "style.css").read_text(encoding="utf-8").lower()
    assert f"--up: {new};" in css and old not in css

    pages = list((out / "html").glob("*.html"))
    assert pages
    svg = "".join(p.read_text(encoding="utf-8").lower() for p in pages)
    assert f"fill: {new}" in svg  # the inline charts' bars
    assert old not in svg

    styles = (rethemed / "styles.xml").read_text(encoding="utf-8")
    assert f'w:color w:val="{NEW_TILE[1:]}"' in styles  # the Word draft's Tile Rate style
    assert OLD_TILE[1:] not in styles.upper()


def test_the_shipped_pack_has_the_theme_tile_colour(aomori_pdf):
    """The check above looks in the right places: the real pack has the theme's own colour there."""
    assert f"{reportlab_rgb(OLD_TILE)} rg" in pdf_colours(aomori_pdf)
    site = aomori_pdf.parent / "html"
    assert f"--up: {OLD_TILE.lower()};" in (site / "style.css").read_text(encoding="utf-8")
    assert f"fill: {OLD_TILE.lower()}" in (site / "index.html").read_text(encoding="utf-8")
    assert theme.load().colours.tile.hex == OLD_TILE


# Colours equal to a theme colour by chance, in a file that is not the pack's look:
# the data-entry workbook's grey for cells not to type in (source/workbook.py),
# the same value as the charts' grid. Themed, it would change with the charts.
NOT_THE_PACK = {("src/dxreport/source/workbook.py", "D9D9D9")}


def _source_files() -> list[Path]:
    files = []
    for folder in ("src", "templates", "tools"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path != THEME:
                try:
                    path.read_text(encoding="utf-8")
                except UnicodeDecodeError:
                    continue  # reference.docx, made from the theme by tools/make_reference_docx.py
                files.append(path)
    return files


def test_no_source_file_writes_a_theme_colour():
    colours = {c.hex[1:] for c in vars(theme.load().colours).values()}
    assert len(colours) >= 19
    # "#1F5A96" (PDF, charts, CSS), "1F5A96" (WordprocessingML) and "#fff" (CSS).
    six = re.compile(r"(?<![0-9A-Za-z])#?([0-9A-Fa-f]{6})(?![0-9A-Za-z])")
    three = re.compile(r"#([0-9A-Fa-f]{3})(?![0-9A-Za-z])")
    found = []
    files = _source_files()
    assert ROOT / "templates" / "html" / "style.css" in files and ROOT / "src" / "dxreport" / "render" / "pdf.py" in files
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            hits = [(m.group(0), m.group(1).upper()) for m in six.finditer(line)]
            hits += [(m.group(0), "".join(ch * 2 for ch in m.group(1).upper())) for m in three.finditer(line)]
            where = path.relative_to(ROOT).as_posix()
            found += [f"{where}:{n}: {text}" for text, digits in hits if digits in colours and (where, digits) not in NOT_THE_PACK]
    assert not found, "colours the theme defines, written outside templates/theme.toml:\n" + "\n".join(found)


def test_theme_is_light():
    code = ("import sys\nfrom dxreport.typeset import theme, fonts\ntheme.load()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'matplotlib', 'docx', 'svglib', 'jinja2', 'PIL', 'numpy'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_values_are_typed_and_frozen():
    look = theme.load()
    assert look is theme.load()  # read once
    assert look.text.tile_rate.colour == look.colours.tile
    assert look.text.body.leading == 1.5 * look.text.body.size  # the default
    assert isinstance(look.page.portrait.top, float) and isinstance(look.chart.font_size, float)
    assert look.colours.white.css == "#fff" and look.colours.tile.css == "#1f5a96" and look.colours.tile.word == "1F5A96"
    with pytest.raises(AttributeError):
        look.colours.tile = look.colours.ink  # type: ignore[misc]


@pytest.mark.parametrize("old, new, message", [
    ('tile = "#1F5A96"', "tile = #1F5A96", "Invalid value"),  # not TOML: the line is refused, not read as empty
    ('tile = "#1F5A96"', 'tile = "1F5A96"', 'colours.tile: expected a colour written "#RRGGBB"'),
    ('tile = "#1F5A96"', 'tiles = "#1F5A96"', "colours.tiles: unknown key"),
    ('tile_rate = { size = 24, bold = true, colour = "tile"', 'tile_rate = { size = 24, bold = true, colour = "blue"',
     "text.tile_rate.colour: expected the name of a colour"),
    ("tile_rate = { size = 24,", "tile_rate = { size = -1,", "text.tile_rate.size: expected a number"),
    ("portrait = [20, 22, 20, 22]", "portrait = [20, 22]", "page.portrait: expected a list of 4 numbers"),
    ('web_band = "5px"', 'web_band = "5px; color: red"', "tile.web_band: expected a CSS length"),
    ('family = "BIZ UDPGothic"', 'family = "BIZ\\" UDPGothic"', "fonts.family: expected a name"),
])
def test_a_mistake_in_the_theme_is_named(tmp_path, old, new, message):
    with pytest.raises(UserError, match=re.escape(message)):
        theme.read(retheme(tmp_path, old, new))


def test_a_missing_key_is_named(tmp_path):
    copy = retheme(tmp_path, "grid = 0.6", "# grid = 0.6")
    with pytest.raises(UserError, match=re.escape("chart.grid: missing")):
        theme.read(copy)


def test_the_theme_travels_with_the_installed_package(tmp_path):
    """The theme is found through resources.templates(), and the wheel's
    force-include puts templates/ where that looks in an installed package."""
    assert theme.path() == resources.templates() / theme.FILE
    assert theme.path().is_file()
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]
    include = wheel["force-include"]
    assert include.get("templates") == "dxreport/_resources/templates"
    # The installed layout, as the wheel would lay it out: the package and its force-included folders.
    site = tmp_path / "site"
    shutil.copytree(ROOT / "src" / "dxreport", site / "dxreport", ignore=shutil.ignore_patterns("__pycache__"))
    for source, target in include.items():
        shutil.copytree(ROOT / source, site / target)
    code = "from dxreport.typeset import theme, fonts\nprint(theme.path())\nprint(fonts.path(fonts.REGULAR).is_file())"
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(site)},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    found, font_ok = proc.stdout.split()
    assert Path(found) == site / "dxreport" / "_resources" / "templates" / theme.FILE
    assert font_ok == "True"
