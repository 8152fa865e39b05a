"""Generate templates/reference.docx, the Word styles of the press pack.

Like pandoc's reference-doc: the Word renderer opens this file as its base
document, deletes its body and lays the pack out with its named styles only.
The office can restyle the draft by editing reference.docx in Word (keep the
style names), or by changing templates/theme.toml (colours, font, text sizes,
rules, margins: shared with the PDF, web pages and charts) or this script (the
styles' spacing) and running it again:

    python tools/make_reference_docx.py            # writes templates/reference.docx

What the renderer takes from the file:
- every style it uses (fonts, sizes, colours, spacing, table borders and cell
  margins; the header and KPI-row fills of the table styles);
- page setup: the first section (the one ending at the first section break) is
  the cover notice's A4 portrait page, the last section the A4 landscape page of
  everything after it, with its footer holding the page number (a PAGE field).

Japanese text: python-docx's ``font.name`` sets only the ascii/hAnsi fonts, so
Word would show Japanese in the theme's East Asian font (ＭＳ 明朝). Every style
here names the font for all four scripts (ascii, hAnsi, eastAsia, cs), carries
no theme-font attribute (those override the named font, notably in the
heading styles), and marks the language ja-JP.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.shared import Mm

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "templates" / "reference.docx"
# This checkout's dxreport (its theme and zip writer), whichever one is installed.
sys.path.insert(0, str(ROOT / "src"))

from dxreport.typeset import theme  # noqa: E402

LOOK = theme.load()
T = LOOK.text

# The font as Word names it (Windows 10 and later ship it): the bundled one.
FONT = LOOK.fonts.word
FONT_ALT = LOOK.fonts.family  # the same font's English family name
LANG = "ja-JP"

INK = LOOK.colours.ink.word
ACCENT = LOOK.colours.accent.word
ACCENT_LIGHT = LOOK.colours.accent_light.word
LINE = LOOK.colours.line.word
KPI_ROW = LOOK.colours.kpi_row.word

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def pt(x: float) -> int:
    """Twentieths of a point (spacing, line heights)."""
    return round(x * 20)


def half(x: float) -> int:
    """Half points (font sizes)."""
    return round(x * 2)


def mm(x: float) -> int:
    """Twips from millimetres."""
    return round(x / 25.4 * 1440)


def eighths(x: float) -> int:
    """Eighths of a point (border widths)."""
    return round(x * 8)


# ---------------------------------------------------------------- run and paragraph properties
def rfonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def rpr(size: float | None = None, bold: bool = False, color: str | None = None, underline: bool = False) -> str:
    out = [rfonts()]
    if bold:
        out.append("<w:b/><w:bCs/>")
    if color:
        out.append(f'<w:color w:val="{color}"/>')
    if size:
        out.append(f'<w:sz w:val="{half(size)}"/><w:szCs w:val="{half(size)}"/>')
    if underline:
        out.append('<w:u w:val="single"/>')
    out.append(f'<w:lang w:val="{LANG}" w:eastAsia="{LANG}"/>')
    return "<w:rPr>" + "".join(out) + "</w:rPr>"


def text(style: theme.Text, bold: bool | None = None) -> str:
    """A theme text style's run properties: its size, weight and colour (none: the text's around it)."""
    return rpr(style.size, bold=style.bold if bold is None else bold, color=style.colour.word if style.colour else None)


def shade(style: theme.Text, space: int) -> dict[str, object]:
    """A text style's background as a paragraph fill, edged by a border of the same
    colour ``space`` points from the text, so the bar leaves room around its words."""
    colour = style.background.word
    return {"border": (colour, space), "fill": colour}


def ppr(*, keep_next=False, keep_lines=False, num=None, border=None, fill=None, before=None, after=None,
        line=None, line_rule="auto", ind_left=None, ind_right=None, first_line_chars=None, first_line=None,
        jc=None, outline=None, widow=True, autospace=None) -> str:
    out = []
    if keep_next:
        out.append("<w:keepNext/>")
    if keep_lines:
        out.append("<w:keepLines/>")
    if not widow:
        out.append('<w:widowControl w:val="0"/>')
    if num is not None:
        out.append(f'<w:numPr><w:numId w:val="{num}"/></w:numPr>')
    if border:
        colour, space = border
        sides = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="{space}" w:color="{colour}"/>' for s in ("top", "left", "bottom", "right"))
        out.append(f"<w:pBdr>{sides}</w:pBdr>")
    if fill:
        out.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    if autospace is not None:
        # Word's default widens the gap between Japanese and Latin letters or digits
        # (令和 8 年); the PDF sets them tight.
        v = "1" if autospace else "0"
        out.append(f'<w:autoSpaceDE w:val="{v}"/><w:autoSpaceDN w:val="{v}"/>')
    spacing = []
    if before is not None:
        spacing.append(f'w:before="{pt(before)}"')
    if after is not None:
        spacing.append(f'w:after="{pt(after)}"')
    if line is not None:
        value = round(line * 240) if line_rule == "auto" else pt(line)
        spacing.append(f'w:line="{value}" w:lineRule="{line_rule}"')
    if spacing:
        out.append(f"<w:spacing {' '.join(spacing)}/>")
    ind = []
    if ind_left is not None:
        ind.append(f'w:left="{ind_left}"')
    if ind_right is not None:
        ind.append(f'w:right="{ind_right}"')
    if first_line_chars is not None:
        ind.append(f'w:firstLineChars="{first_line_chars}" w:firstLine="{first_line}"')
    if ind:
        out.append(f"<w:ind {' '.join(ind)}/>")
    if jc:
        out.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        out.append(f'<w:outlineLvl w:val="{outline}"/>')
    return "<w:pPr>" + "".join(out) + "</w:pPr>" if out else ""


def style_id(name: str) -> str:
    return "".join(ch for ch in name.title() if ch.isalnum()) if name[0].islower() else name.replace(" ", "")


def paragraph_style(name: str, *, based="Normal", next_=None, ui=None, q=True, custom=False, p="", r="") -> str:
    sid = style_id(name)
    attrs = f'w:type="paragraph" w:styleId="{sid}"' + (' w:customStyle="1"' if custom else "")
    parts = [f'<w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{style_id(based)}"/>')
    if next_:
        parts.append(f'<w:next w:val="{style_id(next_)}"/>')
    if ui is not None:
        parts.append(f'<w:uiPriority w:val="{ui}"/>')
    if q:
        parts.append("<w:qFormat/>")
    return f"<w:style {attrs}>{''.join(parts)}{p}{r}</w:style>"


def borders(kind: str, size: int = eighths(LOOK.table.rule), colour: str = LINE) -> str:
    sides = ("top", "left", "bottom", "right") + (("insideH", "insideV") if kind == "grid" else ())
    inner = "".join(f'<w:{s} w:val="single" w:sz="{size}" w:space="0" w:color="{colour}"/>' for s in sides)
    return f"<w:tblBorders>{inner}</w:tblBorders>"


def cell_margins(top: float, side: float, bottom: float | None = None) -> str:
    bottom = top if bottom is None else bottom
    return ("<w:tblCellMar>"
            f'<w:top w:w="{pt(top)}" w:type="dxa"/><w:left w:w="{pt(side)}" w:type="dxa"/>'
            f'<w:bottom w:w="{pt(bottom)}" w:type="dxa"/><w:right w:w="{pt(side)}" w:type="dxa"/>'
            "</w:tblCellMar>")


def table_style(name: str, tblpr: str, conditional: str = "", p: str = "", r: str = "") -> str:
    return (f'<w:style w:type="table" w:customStyle="1" w:styleId="{style_id(name)}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>{p}{r or rpr()}'
            f"<w:tblPr>{tblpr}</w:tblPr>{conditional}</w:style>")


def fill_when(kind: str, colour: str, bold: bool = False) -> str:
    return (f'<w:tblStylePr w:type="{kind}">' + (rpr(bold=True) if bold else "")
            + f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{colour}"/></w:tcPr></w:tblStylePr>')


# ---------------------------------------------------------------- the styles
BULLET_NUM, CELL_BULLET_NUM, TITLE_ITEM_NUM = 1, 2, 3


def styles_xml() -> str:
    s: list[str] = []
    add = s.append
    # Built-in styles (Word's own names, so Word treats them as its headings, captions, lists).
    add(paragraph_style("Normal", based=None, p=ppr(after=3, line=1.35, jc="both", autospace=False), r=rpr(T.body.size, color=INK)).replace(
        'w:styleId="Normal"', 'w:default="1" w:styleId="Normal"'))
    add(paragraph_style("Title", next_="Normal", ui=10, p=ppr(keep_next=True, before=14, after=18, line=1.3, jc="center", outline=0), r=text(T.notice_title)))
    add(paragraph_style("heading 1", next_="Normal", ui=9, p=ppr(keep_next=True, keep_lines=True, **shade(T.section_bar, 3), before=0, after=8, line=1.2, ind_left=pt(4), ind_right=pt(4), jc="left", outline=0), r=text(T.section_bar)))
    add(paragraph_style("heading 2", next_="Normal", ui=9, p=ppr(keep_next=True, keep_lines=True, before=4, after=6, line=1.2, jc="left", outline=1), r=text(T.heading)))
    add(paragraph_style("heading 3", next_="Normal", ui=9, p=ppr(keep_next=True, keep_lines=True, before=8, after=4, line=1.2, jc="left", outline=2), r=text(T.subheading)))
    add(paragraph_style("heading 4", next_="List Bullet", ui=9, p=ppr(keep_next=True, keep_lines=True, **shade(T.case_title, 2), before=8, after=4, line=1.2, ind_left=pt(2), ind_right=pt(2), jc="left", outline=3), r=text(T.case_title)))
    add(paragraph_style("caption", next_="Normal", ui=35, p=ppr(keep_next=True, before=4, after=3, line=1.2, jc="center"), r=text(T.caption)))
    add(paragraph_style("List Bullet", ui=36, p=ppr(num=BULLET_NUM, before=2, after=2, line=1.35), r=rpr()))
    add(paragraph_style("footer", ui=99, p=ppr(before=0, after=0, line=1.0, jc="center"), r=text(T.page_number)))
    add(paragraph_style("header", ui=99, p=ppr(before=0, after=0, line=1.0), r=text(T.page_number)))
    # Custom paragraph styles.
    custom = lambda name, **kw: add(paragraph_style(name, custom=True, **kw))  # noqa: E731
    custom("Materials Title", based="Title", next_="Title Item", p=ppr(keep_next=True, before=96, after=30, line=1.3, jc="center"), r=text(T.title))
    custom("Title Item", based="Normal", p=ppr(num=TITLE_ITEM_NUM, after=4, line=1.5, jc="left"), r=text(T.title_item))
    custom("Title Date", based="Normal", next_="Title Sender", p=ppr(before=60, after=0, line=1.5, jc="right"), r=text(T.title_date))
    custom("Title Sender", based="Title Date", p=ppr(before=0, after=0, line=1.5, jc="right"), r=text(T.title_date))
    custom("Notice Right", based="Normal", p=ppr(after=10, jc="right"), r=rpr())
    custom("Notice Addressee", based="Normal", p=ppr(after=20, jc="left"), r=rpr())
    custom("Notice Body", based="Normal", p=ppr(after=8, line=1.6, first_line_chars=100, first_line=pt(T.body.size)), r=rpr())
    custom("Notice Link", based="Normal", p=ppr(before=10, after=0, jc="left"), r=rpr())
    custom("Notice URL", based="Normal", p=ppr(after=30, jc="left"), r=text(T.notice_url))
    custom("Heading Label", based="Normal", next_="heading 2", p=ppr(keep_next=True, before=2, after=0, line=1.2, jc="left"), r=text(T.appendix_label))
    custom("Body Strong", based="Normal", p=ppr(before=4), r=rpr(bold=True))
    custom("Small", based="Normal", p=ppr(before=3, after=0, line=1.25, jc="left"), r=text(T.small))
    custom("Small Right", based="Small", p=ppr(before=0, after=4, jc="right"), r=text(T.small))
    custom("Figure", based="Normal", p=ppr(keep_next=False, before=2, after=4, line=1.0, jc="center"), r=rpr())
    custom("Case Image", based="Figure", p=ppr(before=3, after=3, jc="left"), r=rpr())
    custom("Section Break", based="Normal", p=ppr(before=0, after=0, line=1, line_rule="exact"), r=rpr(1))
    # In table cells: no space around, a slightly tighter line.
    custom("Cell", based="Normal", p=ppr(before=0, after=0, line=1.15, jc="left"), r=text(T.cell))
    custom("Cell Number", based="Cell", p=ppr(jc="right"), r=text(T.cell))
    custom("Cell Rate", based="Cell Number", p=ppr(jc="right"), r=text(T.cell, bold=True))
    custom("Cell Center", based="Cell", p=ppr(jc="center"), r=text(T.cell))
    custom("Cell Strong", based="Cell", p=ppr(jc="left"), r=text(T.cell, bold=True))
    custom("Cell Head", based="Cell", p=ppr(jc="center"), r=text(T.cell_head))
    custom("Cell Small", based="Cell", p=ppr(jc="left"), r=text(T.cell_small))
    custom("Cell Bullet", based="Cell", p=ppr(num=CELL_BULLET_NUM, after=1), r=text(T.cell))
    custom("Panel Title", based="Cell", p=ppr(keep_next=True, after=1, jc="left"), r=text(T.panel_title))
    custom("Panel Flag", based="Cell", p=ppr(keep_next=True, jc="left"), r=text(T.panel_flag))
    custom("Panel Value", based="Cell", p=ppr(before=2, jc="left"), r=text(T.panel_value))
    custom("Panel Note", based="Cell", p=ppr(jc="left"), r=text(T.panel_note))
    custom("Panel Source", based="Cell", p=ppr(before=2, jc="right"), r=text(T.panel_source))
    custom("Tile Name", based="Cell", p=ppr(keep_next=True, jc="left"), r=text(T.tile_name))
    custom("Tile Rate", based="Cell", p=ppr(keep_next=True, before=2, line=1.1, jc="center"), r=text(T.tile_rate))
    custom("Tile Diff", based="Cell", p=ppr(keep_next=True, after=4, jc="center"), r=text(T.tile_diff))
    custom("Tile Label", based="Cell", p=ppr(keep_next=True, jc="left"), r=text(T.tile_label))
    custom("Tile Text", based="Cell", p=ppr(jc="left"), r=text(T.tile_text))
    custom("Box Title", based="Cell", p=ppr(jc="left"), r=text(T.box_title))
    custom("Box Text", based="Cell", p=ppr(jc="left"), r=text(T.box_text))
    # Character styles.
    add('<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>'
        '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>')
    add('<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>'
        f'<w:uiPriority w:val="99"/><w:unhideWhenUsed/>{rpr(color=ACCENT, underline=True)}</w:style>')
    # A line break the renderer sets so that no word of a note is split (docx_controls.LAYOUT_BREAK):
    # a style of its own, so that reading the draft back tells it from a line break of the text.
    add(f'<w:style w:type="character" w:customStyle="1" w:styleId="{style_id("Layout Break")}"><w:name w:val="Layout Break"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/></w:style>')
    # Table styles. Cell margins keep text off the borders; the header-row and
    # last-row fills are what the renderer gives header and KPI rows.
    add('<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/>'
        '<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        + cell_margins(0, 5.4) + "</w:tblPr></w:style>")
    add('<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/>'
        "<w:semiHidden/><w:unhideWhenUsed/></w:style>")
    add(table_style("Pack Table", borders("grid") + cell_margins(LOOK.table.padding.vertical, LOOK.table.padding.horizontal),
                    fill_when("firstRow", ACCENT_LIGHT, bold=True) + fill_when("lastRow", KPI_ROW)))
    add(table_style("Tile Table", borders("grid", eighths(LOOK.tile.rule)) + cell_margins(LOOK.tile.padding.vertical, LOOK.tile.padding.horizontal)))
    add(table_style("Box Table", borders("box") + cell_margins(LOOK.table.padding.vertical, LOOK.table.padding.horizontal)))
    body = "".join(s)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            f"<w:docDefaults><w:rPrDefault>{rpr(T.body.size)}</w:rPrDefault>"
            f"<w:pPrDefault>{ppr(after=0, line=1.0, autospace=False)}</w:pPrDefault></w:docDefaults>"
            '<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="376"/>'
            f"{body}</w:styles>")


def numbering_xml() -> str:
    """Bullets as Word lists (・, as Japanese documents write them), one list per indent."""

    def bullet(abstract: int, style: str, left: int, hanging: int, size: float) -> str:
        return (f'<w:abstractNum w:abstractNumId="{abstract}"><w:multiLevelType w:val="singleLevel"/>'
                f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:pStyle w:val="{style_id(style)}"/>'
                f'<w:lvlText w:val="・"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
                f"{rpr(size)}</w:lvl></w:abstractNum>")

    abstracts = [
        bullet(0, "List Bullet", pt(T.body.size) + 20, pt(T.body.size) + 20, T.body.size),
        bullet(1, "Cell Bullet", pt(T.cell.size) + 10, pt(T.cell.size) + 10, T.cell.size),
        bullet(2, "Title Item", mm(55) + pt(T.title_item.size) + 20, pt(T.title_item.size) + 20, T.title_item.size),
    ]
    nums = [f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/></w:num>'
            for n, a in ((BULLET_NUM, 0), (CELL_BULLET_NUM, 1), (TITLE_ITEM_NUM, 2))]
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering xmlns:w="{W_NS}">'
            + "".join(abstracts) + "".join(nums) + "</w:numbering>")


def font_table_xml() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W_NS}">'
            f'<w:font w:name="{FONT}"><w:altName w:val="{FONT_ALT}"/><w:charset w:val="80"/>'
            '<w:family w:val="modern"/><w:pitch w:val="variable"/></w:font></w:fonts>')


def app_xml() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            b"<Template>Normal.dotm</Template><Application>dxreport</Application><DocSecurity>0</DocSecurity>"
            b"<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            b"<HyperlinksChanged>false</HyperlinksChanged></Properties>")


def tune_settings(settings) -> None:
    """Japanese layout: punctuation compressed as Japanese documents do, the
    East Asian theme language, and Word 2013+ layout (tables align with text)."""
    el = settings.element
    w = lambda tag: f"{{{W_NS}}}{tag}"  # noqa: E731
    for tag in ("proofState", "rsids", "attachedTemplate"):
        for x in el.findall(w(tag)):
            el.remove(x)
    csc = el.find(w("characterSpacingControl"))
    csc.set(w("val"), "compressPunctuation")
    lang = el.find(w("themeFontLang"))
    lang.set(w("val"), LANG)
    lang.set(w("eastAsia"), LANG)
    for setting in el.find(w("compat")):
        if setting.get(w("name")) == "compatibilityMode":
            setting.set(w("val"), "15")


# ---------------------------------------------------------------- the document
def section_xml(width_mm: float, height_mm: float, margins: theme.Margins, footer_rid: str | None,
                orient: str | None) -> str:
    top, right, bottom, left = (mm(x) for x in (margins.top, margins.right, margins.bottom, margins.left))
    ref = f'<w:footerReference w:type="default" r:id="{footer_rid}"/>' if footer_rid else ""
    o = f' w:orient="{orient}"' if orient else ""
    return (f'<w:sectPr xmlns:w="{W_NS}" xmlns:r="{R_NS}">{ref}<w:type w:val="nextPage"/>'
            f'<w:pgSz w:w="{mm(width_mm)}" w:h="{mm(height_mm)}"{o}/>'
            f'<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="{mm(LOOK.page.word_header)}" w:footer="{mm(LOOK.page.word_footer)}" w:gutter="0"/>'
            '<w:cols w:space="425"/><w:docGrid w:linePitch="360"/></w:sectPr>')


PAGE_FIELD = (
    '<w:r><w:t xml:space="preserve">- </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:t xml:space="preserve"> -</w:t></w:r>'
)


def build() -> bytes:
    doc = Document()  # python-docx's own template: its parts are replaced below
    part = doc.part
    part._styles_part._element = parse_xml(styles_xml().encode("utf-8"))
    part.numbering_part._element = parse_xml(numbering_xml().encode("utf-8"))
    tune_settings(doc.settings)
    for rid, rel in list(part.rels.items()):
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table_xml().encode("utf-8")
        elif rel.reltype in (RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects", RT.WEB_SETTINGS):
            part.rels.pop(rid)
    pkg = part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = app_xml()

    # Sample content: one paragraph per style, so the office sees what each looks like.
    # Page setup: the footer (page number) belongs to the landscape sections only.
    body = doc.element.body
    for child in list(body):
        body.remove(child)
    footer_rid = part.relate_to(_footer_part(doc), RT.FOOTER)
    body.append(parse_xml(section_xml(297, 210, LOOK.page.word_landscape, footer_rid, "landscape")))
    add = doc.add_paragraph
    add("令和8年2月4日（Notice Right）", "Notice Right")
    add("報道機関 各位（Notice Addressee）", "Notice Addressee")
    add("「見出し」の更新について（Title）", "Title")
    add("本文の段落です。一字下げで始まります。（Notice Body）", "Notice Body")
    add("○ホームページ（Notice Link）", "Notice Link")
    add("https://example.jp/（Notice URL）", "Notice URL")
    t = doc.add_table(rows=2, cols=2, style="Pack Table")
    t.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for col, width in zip(t.columns, (Mm(32), Mm(60))):
        col.width = width
        for cell in col.cells:
            cell.width = width
    t.cell(0, 0).merge(t.cell(0, 1)).paragraphs[0].text = "報道機関用提供資料（Pack Table, Cell Head）"
    t.cell(0, 0).paragraphs[0].style = "Cell Head"
    t.cell(1, 0).paragraphs[0].text = "担当課（Cell Center）"
    t.cell(1, 0).paragraphs[0].style = "Cell Center"
    t.cell(1, 1).paragraphs[0].text = "担当者名（Cell）"
    t.cell(1, 1).paragraphs[0].style = "Cell"
    portrait_end = add("", "Section Break")

    add("資料のタイトル（Materials Title）", "Materials Title")
    add("更新した項目（Title Item）", "Title Item")
    add("令和8年2月4日（Title Date）", "Title Date")
    add("担当部課（Title Sender）", "Title Sender")
    add("1 節の見出し（Heading 1）", "Heading 1")
    add("見出し 2（Heading 2）", "Heading 2")
    add("見出し 3（Heading 3）", "Heading 3")
    add("事例の見出し（Heading 4）", "Heading 4")
    add("箇条書き（List Bullet）", "List Bullet")
    add("本文（Normal）。強調した本文は Body Strong。", "Normal")
    add("強調した本文（Body Strong）", "Body Strong")
    add("注記（Small）", "Small")
    add("右寄せの注記（Small Right）", "Small Right")
    add("産業・しごと分野 KPI①（Heading Label）", "Heading Label")
    add("表と図の題（Caption）", "Caption")
    t = doc.add_table(rows=3, cols=4, style="Pack Table")
    for c, (text, style) in enumerate([("中間指標", "Cell Head"), ("値", "Cell Head"), ("達成率", "Cell Head"), ("出所", "Cell Head")]):
        t.cell(0, c).paragraphs[0].text, t.cell(0, c).paragraphs[0].style = text, style
    for c, (text, style) in enumerate([("指標（Cell）", "Cell"), ("1,234件（Cell Number）", "Cell Number"), ("58.1%（Cell Rate）", "Cell Rate"), ("出所（Cell Small）", "Cell Small")]):
        t.cell(1, c).paragraphs[0].text, t.cell(1, c).paragraphs[0].style = text, style
    for c, (text, style) in enumerate([("KPI（Cell Strong）", "Cell Strong"), ("", "Cell"), ("54.9%", "Cell Rate"), ("毎年度（Cell Center）", "Cell Center")]):
        t.cell(2, c).paragraphs[0].text, t.cell(2, c).paragraphs[0].style = text, style
    t = doc.add_table(rows=1, cols=2, style="Tile Table")
    for c in range(2):
        cell = t.cell(0, c)
        cell.paragraphs[0].text, cell.paragraphs[0].style = "KPIの名前（Tile Name）", "Tile Name"
        for text, style in [("63.2%（Tile Rate）", "Tile Rate"), ("前期差 +8.3ポイント（Tile Diff）", "Tile Diff"),
                            ("【指標の構成要素】（Tile Label）", "Tile Label"), ("構成要素（Tile Text）", "Tile Text")]:
            cell.add_paragraph(text, style)
    t = doc.add_table(rows=1, cols=1, style="Pack Table")
    cell = t.cell(0, 0)
    cell.paragraphs[0].text, cell.paragraphs[0].style = "▶ 基本目標（Panel Title）", "Panel Title"
    for text, style in [("【今回更新】（Panel Flag）", "Panel Flag"), ("グラフ（Figure）", "Figure"), ("2025年度 86.7%（Panel Value）", "Panel Value"),
                        ("注記（Panel Note）", "Panel Note"), ("（出典）（Panel Source）", "Panel Source"), ("箇条書き（Cell Bullet）", "Cell Bullet")]:
        cell.add_paragraph(text, style)
    t = doc.add_table(rows=2, cols=1, style="Box Table")
    t.cell(0, 0).paragraphs[0].text, t.cell(0, 0).paragraphs[0].style = "囲みの見出し（Box Title）", "Box Title"
    t.cell(1, 0).paragraphs[0].text, t.cell(1, 0).paragraphs[0].style = "囲みの本文（Box Text）", "Box Text"
    add("写真（Case Image）", "Case Image")

    portrait_end._p.get_or_add_pPr().append(parse_xml(section_xml(210, 297, LOOK.page.portrait, None, None)))

    cp = doc.core_properties
    cp.title = "dxreport reference document"
    cp.subject = "Styles of the press pack's Word draft"
    cp.author = "dxreport"
    cp.last_modified_by = "dxreport"
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    cp.language = LANG
    cp.revision = 1
    import datetime as dt

    cp.created = cp.modified = dt.datetime(2026, 1, 1)
    buf = io.BytesIO()
    doc.save(buf)
    from dxreport.stablezip import stable_zip

    return stable_zip(buf.getvalue(), dt.date(2026, 1, 1))


def _footer_part(doc):
    from docx.opc.packuri import PackURI
    from docx.parts.hdrftr import FooterPart

    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
           f'<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{PAGE_FIELD}</w:p></w:ftr>')
    return FooterPart(PackURI("/word/footer1.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
                      parse_xml(xml.encode("utf-8")), doc.part.package)


def main() -> int:
    data = build()
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    target.write_bytes(data)
    print(f"wrote {target} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
