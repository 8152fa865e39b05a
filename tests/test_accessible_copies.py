"""The Word draft and the web pages as a screen reader meets them (issue 17):
headings, table headers, alternative texts, ▲ spoken as マイナス, each chart
announced once, each KPI figure under its own header."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from docx import Document
from docx.oxml.ns import qn

from conftest import AOMORI, SAMPLE, prepared


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module", params=["aomori", "sample"])
def site(request, aomori_pdf, sample_pdf) -> Path:
    return (aomori_pdf if request.param == "aomori" else sample_pdf).parent


def dataset_of(site: Path) -> Path:
    return SAMPLE if (site / "dxreport-2026-03.pdf").exists() else AOMORI


# ---------------------------------------------------------------- web


def test_every_triangle_is_read_as_minus(site):
    seen = 0
    for page in sorted((site / "html").glob("*.html")):
        doc = soup(page)
        for svg in doc.find_all("svg"):
            assert "▲" not in svg.get("aria-label", "")
            svg.decompose()  # the drawing's own labels are inside role="img": not read
        for node in doc.find_all(string=re.compile("▲")):
            seen += 1
            span = node.parent
            assert span.name == "span" and span.get("role") == "img" and span.get("aria-label") == "マイナス", page.name
            assert span.get_text() == "▲"  # seen as printed
    if dataset_of(site) == SAMPLE:
        assert seen >= 3  # the sample has falls: the check looked at real ▲s


def test_kpi_row_puts_each_figure_under_its_own_header(site):
    pack = prepared(dataset_of(site)).job.pack
    tables = {t.id: t for t in pack.appendix}
    checked = 0
    for page in sorted((site / "html").glob("*.html")):
        for table in soup(page).select("table.appendix-table"):
            model = tables[table.find_parent("section", class_="appendix")["id"]]
            head = table.thead.find_all("tr")
            columns: list[list[str]] = [[] for _ in range(7)]
            col = 0
            for th in head[0].find_all("th"):  # the first row: spans of 1 or 2 columns
                for _ in range(int(th.get("colspan", 1))):
                    columns[col].append(squash(th.get_text()))
                    col += 1
            for c, th in zip((2, 3, 4, 5), head[1].find_all("th")):
                columns[c].append(squash(th.get_text()))
            foot = table.tfoot.tr
            cells, col = [], 0
            for cell in foot.find_all(["th", "td"]):
                span = int(cell.get("colspan", 1))
                if cell.name == "td":
                    assert span == 1, "a KPI figure spans columns"
                cells.append((col, squash(cell.get_text())))
                col += span
            assert col == 7
            # A cell the KPI has nothing for is blank on the screen (a visible － means not
            # entered) and says 該当なし to a screen reader (no cell is empty).
            figures = {c: t for c, t in cells if t and t != "該当なし" and c > 0}
            nothing = foot.select("span.visually-hidden")
            assert [x.get_text() for x in nothing] == ["該当なし", "該当なし"]
            assert figures == {3: squash(model.kpi_row.previous), 5: squash(model.kpi_row.current)}
            assert "達成率" in columns[3][-1] and "達成率" in columns[5][-1]
            checked += 1
    assert checked == len(pack.appendix)


def test_each_chart_is_announced_once(site):
    for page in sorted((site / "html").glob("*.html")):
        for fig in soup(page).select("figure.chart"):
            svg = fig.find("svg")
            assert svg.get("role") == "img" and svg.get("aria-label", "").strip()
            cap = fig.find("figcaption")
            assert cap.get("aria-hidden") == "true"  # seen, not read again after the heading
            assert not fig.get("aria-label") and not fig.get("aria-labelledby")


def test_change_marks_are_text_not_colour_alone(site):
    """What moved is said in words and signs: each tile's 前期差 carries its sign
    as text (+, マイナス, ±), an updated panel says 【今回更新】 and a tile of a KPI
    whose values moved ※今回更新, in text."""
    pack = prepared(dataset_of(site)).job.pack
    index = soup(site / "html" / "index.html")
    diffs = index.select("li.tile .tile-diff")
    assert len(diffs) == sum(len(d.tiles) for d in pack.dashboards)
    for el in diffs:
        minus = el.find("span", attrs={"role": "img"})
        spoken = el.get_text("").replace("▲", minus["aria-label"] if minus else "▲")
        assert re.search(r"前期差\s*(\+|マイナス|±)\d", spoken), spoken
    badges = index.select(".badge")
    updated = [p for p in pack.basic_targets.panels if p.updated_label]
    tiles = [t for d in pack.dashboards for t in d.tiles if t.updated_label]
    assert [b.get_text(strip=True) for b in badges] == [f"【{p.updated_label}】" for p in updated] + [t.updated_label for t in tiles]
    assert tiles  # the KPIs whose values moved since the previous period


# What holds no content of its own by design: document metadata, column groups,
# line breaks and the inside of a drawing (the <svg> is named by its aria-label).
NOT_CONTENT = {"html", "head", "meta", "link", "script", "style", "title", "col", "colgroup", "br", "wbr", "img",
               "source", "track", "template"}


def empty_elements(doc: BeautifulSoup) -> list[str]:
    """Every element that shows nothing and says nothing: no text, no picture or
    drawing inside, no accessible name, and not hidden from readers as decoration."""
    out = []
    for el in doc.find_all(True):
        if el.name in NOT_CONTENT or el.name == "svg" or el.find_parent("svg"):
            continue
        if el.get_text(strip=True) or el.find(["img", "svg", "input", "select", "textarea", "iframe"]):
            continue
        if el.get("aria-label", "").strip() or el.get("aria-labelledby") or el.get("aria-hidden") == "true":
            continue
        out.append(f"<{el.name} class={el.get('class')} id={el.get('id')}> in <{el.parent.name} class={el.parent.get('class')}>")
    return out


@pytest.fixture(scope="module")
def every_period(tmp_path_factory) -> list[Path]:
    """The web pages of every period of both shipped datasets."""
    from conftest import run

    pages = []
    for dataset in (AOMORI, SAMPLE):
        out = tmp_path_factory.mktemp(f"all-{dataset.name}")
        result = run("build", str(dataset), "--all", "--out", str(out))
        assert result.returncode == 0, result.stderr
        pages += sorted(out.rglob("*.html"))
    return pages


def test_no_empty_elements_on_any_page_of_any_period(every_period):
    """No element is empty (an empty cell is read as "blank", an empty paragraph
    as nothing at all): a cell with nothing to say shows － read as 該当なし."""
    periods = {p.parent.parent.name for p in every_period}
    assert len(every_period) >= 10 and len(periods) >= 3
    fillers = 0
    for page in every_period:
        doc = soup(page)
        assert empty_elements(doc) == [], page
        for cell in doc.find_all(["td", "th"]):
            marker = cell.find("span", attrs={"aria-label": "該当なし"})
            if marker is not None:
                assert marker.get("role") == "img" and marker.get_text() == "－" and squash(cell.get_text()) == "－"
                fillers += 1
            # Or blank on the screen where － would say 未入力 (a KPI row's value columns,
            # a basic target without detail): 該当なし only to a screen reader.
            hidden = cell.find("span", class_="visually-hidden")
            if hidden is not None and "no-figure" in (cell.get("class") or []):
                assert squash(cell.get_text()) == squash(hidden.get_text()) == "該当なし"
                fillers += 1
    assert fillers  # such cells exist (the appendix tables' KPI rows): the check looked at real ones


def test_the_empty_element_check_finds_empty_elements():
    doc = BeautifulSoup('<table><tr><th scope="row">x</th><td></td><td> </td></tr></table><p></p>'
                        '<div><span></span></div><span aria-hidden="true"></span><a href="#" aria-label="y"></a>'
                        '<svg role="img" aria-label="z"><g></g></svg>', "html.parser")
    found = empty_elements(doc)
    assert [f.split(" ")[0] for f in found] == ["<td", "<td", "<p", "<div", "<span"]


# ---------------------------------------------------------------- Word


@pytest.fixture(scope="module")
def draft(aomori_pdf) -> Path:
    return aomori_pdf.with_suffix(".docx")


def test_word_has_no_text_boxes_and_every_picture_described(draft):
    with zipfile.ZipFile(draft) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "txbxContent" not in xml and "<v:textbox" not in xml and "wps:txbx" not in xml
    doc = Document(str(draft))
    pictures = doc.element.body.findall(f".//{qn('wp:docPr')}")
    assert pictures
    assert all(p.get("descr", "").strip() for p in pictures)
    props = doc.core_properties
    assert props.title and props.language == "ja-JP"


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_tagged_export_of_the_draft_has_headings_and_table_headers(draft, tmp_path):
    """What Word's own headings and repeated header rows give a tagged PDF made
    from the draft (LibreOffice's export, as an office would make one)."""
    # A profile of its own: another LibreOffice running on the machine does not get in the way.
    env = dict(os.environ, HOME=str(tmp_path))
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
                    "--outdir", str(tmp_path), str(draft)], check=True, capture_output=True, timeout=240, env=env)
    pdf = pikepdf.open(tmp_path / draft.with_suffix(".pdf").name)
    roles: list[str] = []

    def walk(el) -> None:
        if isinstance(el, pikepdf.Dictionary) and "/S" in el:
            roles.append(str(el.S)[1:])
        kids = el.get("/K") if isinstance(el, pikepdf.Dictionary) else None
        for k in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(k, pikepdf.Dictionary) and k.get("/Type") not in ("/MCR", "/OBJR"):
                walk(k)

    walk(pdf.Root.StructTreeRoot)
    doc = Document(str(draft))
    # The notice's and the materials' titles are outline level 1 too.
    from docx.text.paragraph import Paragraph

    # Every body paragraph, those inside content controls too (python-docx's
    # doc.paragraphs leaves out a paragraph wrapped in a w:sdt), outside tables.
    body = [Paragraph(p, doc) for p in doc.element.body.iter(qn("w:p"))
            if not any(a.tag == qn("w:tc") for a in p.iterancestors())]
    levels = [1 if p.style.name in ("Title", "Materials Title") else int(p.style.name.split()[-1]) for p in body
              if (re.fullmatch(r"Heading \d", p.style.name) or p.style.name in ("Title", "Materials Title"))
              and "".join(t.text or "" for t in p._p.iter(qn("w:t"))).strip()]  # runs inside content controls too
    headings = [r for r in roles if re.fullmatch(r"H\d", r)]
    assert headings == [f"H{n}" for n in levels]  # every Word heading, at its level, in order
    header_rows = [t for t in doc.tables if t.rows[0]._tr.trPr is not None
                   and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert header_rows and roles.count("Table") == len(doc.tables) + sum(
        len(c.tables) for t in doc.tables for row in t.rows for c in row.cells)
    assert roles.count("TH") >= len(header_rows)
