"""The Word draft, read back with python-docx (and as LibreOffice renders it)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from lxml import etree

from dxreport.source import dataset
from dxreport.compute.figures import compute
from dxreport.model.assemble import build as build_pack

from conftest import AOMORI, ROOT, SAMPLE, run
from pdfcheck import page_texts, squash
from published import KPI_NAMES, KPIS, PUBLISHED
from test_pdf import shown_strings

FONT = "BIZ UDPゴシック"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


# ---------------------------------------------------------------- fixtures and helpers
@pytest.fixture(scope="session")
def packs(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Both shipped datasets built once: the PDF and the DOCX of each."""
    out = {}
    for name, root, period in (("aomori", AOMORI, "2025-12"), ("sample", SAMPLE, "2026-03")):
        target = tmp_path_factory.mktemp(f"docx-{name}")
        result = run("build", str(root), "--out", str(target))
        assert result.returncode == 0, result.stderr
        out[name] = {"pdf": target / f"dxreport-{period}.pdf", "docx": target / f"dxreport-{period}.docx", "root": root}
    return out


@pytest.fixture(scope="session")
def aomori_docx(packs) -> Path:
    return packs["aomori"]["docx"]


@pytest.fixture(scope="session")
def aomori_doc(aomori_docx):
    return docx.Document(str(aomori_docx))


def model(root: Path):
    ds, period = dataset.load(str(root))
    return build_pack(compute(ds, period), ds.root)


def body_text(path: Path) -> str:
    """Every text of the document body in reading order, paragraphs on lines of their own."""
    root = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    out = []
    for el in root.iter():
        if el.tag == f"{W}t":
            out.append(el.text or "")
        elif el.tag in (f"{W}br", f"{W}p", f"{W}tab"):
            out.append("\n")
    return "".join(out)


def text_of(x) -> str:
    """A paragraph's or cell's text as printed, its content controls' text too (python-docx
    reads only the runs directly in a paragraph) and tracked changes as accepted."""
    tc = getattr(x, "_tc", None)
    if tc is not None:
        return "\n".join(text_of(p) for p in x.paragraphs)
    out = []
    for el in x._p.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        if any(a.tag == qn("w:del") for a in el.iterancestors()):
            continue  # a deleted line break (after a deleted figure) is gone once accepted
        out.append(el.text or "" if el.tag == qn("w:t") else ("\n" if el.tag == qn("w:br") else "\t"))
    return "".join(out)


def cells(row) -> list[_Cell]:
    """A row's cells as drawn: a merged cell once (python-docx repeats it)."""
    out = []
    for tc in row._tr.tc_lst:
        v = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
        if v is not None and v.get(qn("w:val")) != "restart":
            continue  # continues the cell above
        out.append(_Cell(tc, row.table))
    return out


def row_text(row) -> str:
    return "".join(text_of(c) for c in cells(row))


def blocks(doc):
    """Body paragraphs and tables in order."""
    from docx.text.paragraph import Paragraph

    for el in doc.element.body:
        if el.tag == qn("w:p"):
            yield Paragraph(el, doc)
        elif el.tag == qn("w:tbl"):
            yield Table(el, doc)


def appendix_tables(doc) -> dict[str, Table]:
    """The appendix tables keyed by their caption (the Caption paragraph just before each)."""
    out, caption = {}, None
    for b in blocks(doc):
        if isinstance(b, Table):
            if caption is not None:
                out[caption] = b
            caption = None
        else:
            caption = text_of(b) if b.style.name == "Caption" else None
    return out


def tile_cells(doc) -> list[_Cell]:
    return [c for t in doc.tables if t.style.name == "Tile Table" for r in t.rows for c in cells(r) if text_of(c).strip()]


# ---------------------------------------------------------------- layout
def test_built_beside_the_pdf(packs):
    for p in packs.values():
        assert p["docx"].is_file() and p["docx"].stat().st_size > 10_000
        assert zipfile.is_zipfile(p["docx"])


def test_cover_portrait_then_landscape_sections_with_page_numbers(aomori_doc):
    pack = model(AOMORI)
    sections = aomori_doc.sections
    # cover, title page, section 1 (its two pages), section 2, one per field, one per appendix table
    assert len(sections) == 5 + len(pack.dashboards) + len(pack.appendix)
    first = sections[0]
    assert abs(first.page_width.mm - 210) < 1 and abs(first.page_height.mm - 297) < 1
    for s in sections[1:]:
        assert abs(s.page_width.mm - 297) < 1 and abs(s.page_height.mm - 210) < 1
        assert s.orientation == WD_ORIENT.LANDSCAPE
        fields = [x.text for x in s.footer._element.iter(qn("w:instrText"))]
        assert any(f.strip() == "PAGE" for f in fields), "no PAGE field in the footer"
    # The cover carries no page number; the numbers start at 1 after it, as in the PDF.
    assert first.footer.is_linked_to_previous
    start = sections[1]._sectPr.find(qn("w:pgNumType"))
    assert start is not None and start.get(qn("w:start")) == "1"
    assert all(s._sectPr.find(qn("w:pgNumType")) is None for s in sections[2:])


def test_headings_carry_the_structure_in_the_pdfs_order(packs, aomori_doc):
    pack = model(AOMORI)
    by_style: dict[str, list[str]] = {}
    for p in aomori_doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(text_of(p))
    assert by_style["Title"] == [pack.notice.title]
    assert by_style["Heading 1"] == ["1 DX推進プランの成果指標及び更新時期", "2 基本目標のデータ更新", "3 ダッシュボードのデータ更新", "資料編"]
    h2 = by_style["Heading 2"]
    assert [d.heading for d in pack.dashboards] == [x for x in h2 if x.startswith("DX推進プラン 目標達成状況")]
    assert [t.title for t in pack.appendix] == h2[-len(pack.appendix):]
    assert list(KPI_NAMES.values()) == h2[-len(pack.appendix):]
    # The same order as the PDF.
    markers = [pack.notice.title, pack.title_page.title, pack.framework.heading, pack.basic_targets.title,
               *(d.heading for d in pack.dashboards), *(f"{t.label}{t.title}" for t in pack.appendix)]
    docx_text = squash(body_text(packs["aomori"]["docx"]))
    pdf_text = squash("\n".join(page_texts(packs["aomori"]["pdf"])))
    for text in (docx_text, pdf_text):
        positions = [text.find(squash(m)) for m in markers]
        assert all(p >= 0 for p in positions), [m for m, p in zip(markers, positions) if p < 0]
        assert positions == sorted(positions)


def test_paragraphs_use_named_styles_not_direct_formatting(aomori_docx):
    root = etree.fromstring(zipfile.ZipFile(aomori_docx).read("word/document.xml"))
    paragraphs = list(root.iter(f"{W}p"))
    for p in paragraphs:
        if p.find(f"{W}pPr/{W}pStyle") is None:  # Normal, the default style: then nothing of its own
            assert [c.tag for c in p.findall(f"{W}pPr/*")] in ([], [f"{W}sectPr"]), etree.tostring(p)
    styled = [p for p in paragraphs if p.find(f"{W}pPr/{W}pStyle") is not None]
    assert len(styled) > 0.95 * len(paragraphs)
    # Runs carry no formatting of their own (a hyperlink's character style aside).
    for r_pr in root.iter(f"{W}rPr"):
        if r_pr.getparent().tag == f"{W}r":
            assert [c.tag for c in r_pr] in ([], [f"{W}rStyle"]), etree.tostring(r_pr)
    # Fonts come only from the styles.
    assert not list(root.iter(f"{W}rFonts"))


def test_tables_are_word_tables_with_cell_margins_and_repeated_headers(aomori_doc):
    pack = model(AOMORI)
    tables = appendix_tables(aomori_doc)
    assert [t.caption for t in pack.appendix] == [c for c in tables if c in {t.caption for t in pack.appendix}]
    for t in pack.appendix:
        table = tables[t.caption]
        assert len(table.rows) == 2 + len(t.rows) + 1
        for r in table.rows[:2]:
            assert r._tr.trPr.find(qn("w:tblHeader")) is not None
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        assert caption is not None and caption.get(qn("w:val")) == t.caption
    tiles = tile_cells(aomori_doc)
    # The dashboards' tiles, and each KPI's tile again beside its appendix table.
    assert len(tiles) == sum(len(d.tiles) for d in pack.dashboards) + sum(t.tile is not None for t in pack.appendix) > 8
    # Every table style used keeps text off the borders.
    for name in {t.style.name for t in aomori_doc.tables}:
        mar = aomori_doc.styles[name].element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
        assert mar is not None, name
        for side in ("top", "left", "bottom", "right"):
            assert int(mar.find(qn(f"w:{side}")).get(qn("w:w"))) > 0, (name, side)


def test_every_published_figure_in_its_kpis_table(aomori_doc):
    pack = model(AOMORI)
    tables = appendix_tables(aomori_doc)
    fig = compute(*dataset.load(str(AOMORI)))
    for k, t in zip(fig.kpis(), pack.appendix):
        assert t.title == k.kpi.name
        table = tables[t.caption]
        rows = {text_of(cells(r)[0]): [text_of(c) for c in cells(r)] for r in table.rows[2:-1]}
        for i in k.indicators:
            p = PUBLISHED[i.indicator.id]
            name, target, b, c, d, e, source = rows[i.indicator.name]
            assert c == f"{p['prev_rate']}%" and e == f"{p['curr_rate']}%", i.indicator.id
            assert b.split("\n")[0] == p["prev_value"] and d.split("\n")[0] == p["curr_value"], i.indicator.id
        published = KPIS[k.kpi.id]
        kpi_row = [text_of(c) for c in cells(table.rows[-1])]
        assert kpi_row[1] == f"{published['prev']}%"
        assert kpi_row[2] == f"{published['curr']}%（{published['diff']}ポイント）"


def test_every_dataset_string_is_in_the_docx(packs):
    for p in packs.values():
        text = squash(body_text(p["docx"]))
        missing = [s for s in shown_strings(p["root"]) if squash(s) not in text]
        assert not missing, missing


def test_styles_name_the_japanese_font_for_every_script(aomori_docx):
    styles = etree.fromstring(zipfile.ZipFile(aomori_docx).read("word/styles.xml"))
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = defaults.find(f"{W}rFonts")
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(f"{W}{script}") == FONT, script
    lang = defaults.find(f"{W}lang")
    assert lang.get(f"{W}val") == "ja-JP" and lang.get(f"{W}eastAsia") == "ja-JP"
    # No theme font anywhere: a theme attribute overrides the named font.
    for el in styles.iter(f"{W}rFonts"):
        assert not [a for a in el.attrib if a.split("}")[-1] in THEME_ATTRS], etree.tostring(el)
        assert el.get(f"{W}eastAsia") == FONT
    by_name = {s.find(f"{W}name").get(f"{W}val"): s for s in styles.iter(f"{W}style")}
    for name in ("Normal", "Title", "heading 1", "heading 2", "heading 3", "heading 4", "caption", "List Bullet",
                 "Tile Rate", "Cell", "Cell Number", "Notice Right", "Pack Table"):
        r_fonts = by_name[name].find(f"{W}rPr/{W}rFonts")
        assert r_fonts is not None and r_fonts.get(f"{W}eastAsia") == FONT, name
    # Headings sit in the outline (navigation pane).
    for level, name in enumerate(("heading 1", "heading 2", "heading 3", "heading 4")):
        assert by_name[name].find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == str(level)


def test_reference_docx_is_the_base_and_can_be_regenerated(tmp_path):
    import sys

    script = ROOT / "tools" / "make_reference_docx.py"
    if not script.exists():
        pytest.skip("tools/ is not part of this copy of the project")
    made = tmp_path / "reference.docx"
    result = subprocess.run([sys.executable, str(script), str(made)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert made.read_bytes() == (ROOT / "templates" / "reference.docx").read_bytes(), "templates/reference.docx is out of date: run tools/make_reference_docx.py"


def test_pictures_carry_alt_text_with_their_values(packs):
    for name, p in packs.items():
        pack = model(p["root"])
        doc = docx.Document(str(p["docx"]))
        doc_prs = list(doc.element.body.iter(qn("wp:docPr")))
        alts = [d.get("descr") for d in doc_prs]
        assert all(alts), "a picture without alt text"
        assert [d.get("title") for d in doc_prs] == alts
        charts = pack.charts()
        images = [c.image_alt for d in pack.dashboards for c in d.cases if c.image is not None]
        assert sorted(alts) == sorted([c.alt for c in charts] + images)
        # Each chart is introduced by its caption.
        paragraphs = doc.paragraphs
        for i, para in enumerate(paragraphs):
            if para._p.find(f".//{qn('wp:docPr')}") is not None and para.style.name == "Figure":
                assert paragraphs[i - 1].style.name == "Caption"
                assert text_of(paragraphs[i - 1]) in {c.title for c in charts}
    alts = [d.get("descr") for d in docx.Document(str(packs["aomori"]["docx"])).element.body.iter(qn("wp:docPr"))]
    assert any("86.7%" in a and "64.2%" in a for a in alts)  # the municipal share, with its values
    assert any("63.2%" in a and "54.9%" in a for a in alts)  # a field's KPI comparison


def test_charts_are_pngs_sharp_at_their_printed_size(aomori_docx):
    from PIL import Image

    from dxreport.render.charts import PNG_DPI

    charts = {f"{c.id}.png" for c in model(AOMORI).charts()}
    doc = docx.Document(str(aomori_docx))
    placed = 0
    for inline in doc.inline_shapes:
        if inline._inline.docPr.get("name") not in charts:
            continue  # a case study's own image
        blip = inline._inline.graphic.graphicData.pic.blipFill.blip
        part = doc.part.related_parts[blip.embed]
        img = Image.open(io.BytesIO(part.blob))
        assert img.format == "PNG"
        assert round(img.info["dpi"][0]) == PNG_DPI
        # Pixels per inch at the size Word places it: sharp on paper at ≥ 150.
        ppi = img.width / (inline.width / 914400)
        assert ppi >= 150, (inline._inline.docPr.get("name"), round(ppi))
        placed += 1
    assert placed == len(charts) == 7  # the 4 basic-target charts and the 3 field charts


def test_document_properties(packs):
    pack = model(AOMORI)
    path = packs["aomori"]["docx"]
    cp = docx.Document(str(path)).core_properties
    assert cp.title == "「青森県DX推進プランの進捗状況」の更新について"
    assert cp.author == "青森県 総合政策部DX推進課" == pack.meta.author
    assert cp.subject == pack.meta.subject and "2025年12月末時点" in cp.subject
    assert all(k in cp.keywords for k in pack.meta.keywords)
    assert cp.language == "ja-JP"
    assert cp.created == cp.modified == dt.datetime(2026, 2, 4, tzinfo=dt.timezone.utc)
    assert cp.last_modified_by == pack.meta.author
    assert cp.comments == ""
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("docProps/"):
                assert b"python-docx" not in z.read(n), n
        # Output timestamps come from the publication date, never the clock.
        assert {i.date_time for i in z.infolist()} == {(2026, 2, 4, 0, 0, 0)}


def test_appendix_tables_and_tiles_read_as_in_the_pdf(packs):
    for p in packs.values():
        pack = model(p["root"])
        doc = docx.Document(str(p["docx"]))
        pages = [squash(t) for t in page_texts(p["pdf"])]
        tables = appendix_tables(doc)
        for t in pack.appendix:
            page = next(x for x in pages if squash(f"{t.label}{t.title}") in x)
            for r in tables[t.caption].rows:
                assert squash(row_text(r)) in page, row_text(r)
        whole = "".join(pages)
        tiles = tile_cells(doc)
        assert tiles
        for cell in tiles:
            assert squash(text_of(cell)) in whole, text_of(cell)


# ---------------------------------------------------------------- bad input
def test_control_character_stops_the_build_naming_file_line_and_field(dataset_copy, tmp_path):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    text = period.read_text(encoding="utf-8")
    start = text.index("    - title: ")
    end = text.index("\n", start)
    title = text[start + len("    - title: "):end]
    # A BEL in a double-quoted YAML string, as a copy from another program may leave it.
    text = text[:start] + '    - title: "ベル\\a' + title.replace('"', '\\"') + '"' + text[end:]
    period.write_text(text, encoding="utf-8")
    line = text[:start].count("\n") + 1
    out = tmp_path / "bell"
    result = run("build", str(ds), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"2025-12.yaml:{line}: cases.industry.0.title:" in result.stderr
    assert "U+0007" in result.stderr
    assert not out.exists()


def test_raw_control_character_in_the_file_stops_the_build(dataset_copy, tmp_path):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    text = period.read_text(encoding="utf-8").replace("    - title: ", "    - title: ベル\a", 1)
    period.write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "\a" in x)
    out = tmp_path / "bell"
    result = run("build", str(ds), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"2025-12.yaml:{line}: contains the control character U+0007" in result.stderr
    assert not out.exists()


# ---------------------------------------------------------------- LibreOffice
def libreoffice_pdf(source: Path, tmp: Path) -> Path:
    """Convert with LibreOffice, finding the bundled fonts through fontconfig."""
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"
        f"<dir>{ROOT / 'fonts'}</dir><cachedir>{tmp / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(tmp))
    out = tmp / "lo"
    result = subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{tmp / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(source)],
        capture_output=True, text=True, env=env, timeout=240,
    )
    pdf = out / (source.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_every_page_in_the_bundled_font(aomori_doc, aomori_docx, tmp_path):
    from pypdf import PdfReader

    pdf = libreoffice_pdf(aomori_docx, tmp_path)
    reader = PdfReader(str(pdf))
    n_sections = len(aomori_doc.sections)
    assert n_sections <= len(reader.pages) <= 2 * n_sections
    first, second = reader.pages[0].mediabox, reader.pages[1].mediabox
    assert first.height > first.width and second.width > second.height
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("BIZUDPGothic" in f for f in fonts), fonts
    text = squash("\n".join(page_texts(pdf)))
    for name in KPI_NAMES.values():
        assert squash(name) in text, name
    for k in KPIS.values():
        assert f"{k['curr']}%" in text and f"{k['prev']}%" in text
        # In the draft the previous period's 前期差 (－: it had no period before it) is shown deleted before it.
        assert re.search(re.escape(squash("前期差")) + "－?" + re.escape(squash(f"{k['diff']}ポイント")), text), k
    for p in PUBLISHED.values():
        assert f"{p['curr_rate']}%" in text and p["curr_value"] in text
    assert re.search(r"-\s*1\s*-", page_texts(pdf)[1]), "no page number on the first landscape page"


def test_own_merges_write_what_python_docx_merge_writes():
    """render/docx.py merges cells itself (python-docx's merge searches the whole
    grid); the XML must be the same as python-docx's own merge gives."""
    from docx.shared import Emu
    from lxml import etree

    from dxreport.render.docx import across, down, grid

    def table():
        doc = docx.Document()
        t = doc.add_table(rows=3, cols=4)
        for tr in t._tbl.tr_lst:
            for tc in tr.tc_lst:
                tc.width = Emu(914400)
        return t

    def xml(t):
        return etree.tostring(t._tbl)

    theirs, ours = table(), table()
    c = grid(theirs)
    c(0, 0).merge(c(1, 0))
    c(0, 1).merge(c(0, 3))
    c(2, 1).merge(c(2, 2))
    c = grid(ours)
    down(c(0, 0), c(1, 0))
    across(c(0, 1), c(0, 3))
    across(c(2, 1), c(2, 2))
    assert xml(ours) == xml(theirs)
    assert b"gridSpan" in xml(ours) and b"vMerge" in xml(ours)
