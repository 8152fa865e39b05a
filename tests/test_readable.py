"""Readable and well set (issue 15, items 9-11 and 14): chart text at least 8 pt
on paper and 12 CSS px on a phone; notes one field a line, no word broken by a
line break; a figure with its unit and a header's formula never broken; headings
and captions kept with what follows, a panel never split, every category inside
a chart's axis. Checked on the output: the PDF's characters and lines, the Word
file's picture extents (and its LibreOffice rendition), the web page as Chromium
lays it out at 390 px (that test is in test_html.py, beside its browser)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import AOMORI, DATA, SAMPLE, build_pack, complete, edit_yaml, prepared, render_format
from pdfcheck import squash
from test_unusual import add_values, clone_kpi, each_period

FOOTER = re.compile(r"^\s*-\s*\d+\s*-\s*$")


# ---------------------------------------------------------------- reading the PDF


def effective_size(ch: dict) -> float:
    """A character's size as printed: pdfminer's ``size`` is the height of its box,
    which for a character turned on its side (the charts' axis label) is its advance;
    the box's width is its size there."""
    return ch["size"] if ch["upright"] else ch["x1"] - ch["x0"]


def page_lines(pdf: Path) -> list[list[str]]:
    """Each page's text lines, page numbers left out."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [[line for line in (page.extract_text() or "").splitlines() if line.strip() and not FOOTER.match(line)]
                for page in doc.pages]


def headings(pack) -> set[str]:
    """The texts that head something: section bars, headings, captions, panel and case titles."""
    out = {pack.basic_targets.title, pack.framework.heading, pack.framework.basic_heading, pack.framework.kpi_heading}
    for sec in (pack.framework_section, pack.basic_section, pack.dashboard_section):
        out.add(f"{sec.number} {sec.title}")
    out.add(pack.appendix_section.title)
    for p in pack.basic_targets.panels:
        out.add(f"▶ {p.title}" + (f"（{p.detail}）" if p.detail else ""))
    for d in pack.dashboards:
        out |= {d.heading, d.cases_heading} | {c.title for c in d.cases}
    for t in pack.appendix:
        out |= {t.label, t.title}
    return {squash(x) for x in out if x}


def headings_last_on_a_page(pdf: Path, pack) -> list[tuple[int, str]]:
    heads = headings(pack)
    bad = []
    pages_ = page_lines(pdf)
    for n, lines in enumerate(pages_[:-1], start=1):
        if lines and squash(lines[-1]) in heads:
            bad.append((n, lines[-1]))
    return bad


@pytest.fixture(scope="module")
def aomori_pack():
    return prepared(AOMORI).job.pack


# ---------------------------------------------------------------- 9. chart text


@pytest.mark.parametrize("which", ["aomori_pdf", "sample_pdf"])
def test_no_text_in_the_pdf_is_under_8pt_and_chart_text_is_9pt(which, request):
    import pdfplumber

    pdf = request.getfixturevalue(which)
    small, chart_labels = [], []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            for ch in page.chars:
                if effective_size(ch) < 7.99:
                    small.append((n, ch["text"], round(effective_size(ch), 2)))
            # The charts' year and period labels (年度 / 末時点 under the bars) are chart text.
            words = page.extract_words(extra_attrs=["size"])
            chart_labels += [w["size"] for w in words if re.fullmatch(r"\d{4}年度|\d{4}\.\d{1,2}末時点", w["text"])]
    assert not small, small[:20]
    assert chart_labels and min(chart_labels) >= 8.99, sorted(chart_labels)[:5]


def test_word_places_every_chart_at_the_size_it_was_drawn(aomori_pdf, aomori_pack):
    """The figure is drawn at its printed size, so matplotlib's 9 pt is 9 pt on paper:
    the picture's extent in Word is the figure's size, and the PNG's pixels are that
    size at PNG_DPI."""
    import io

    import docx
    from PIL import Image

    from dxreport.render import charts
    from dxreport.render.drawings import PNG_DPI
    from dxreport.typeset import theme

    look = theme.load().chart
    assert min(look.font_size, look.value_size, look.compare_value_size, look.legend_size, look.notice_size) >= 9
    by_name = {f"{c.id}.png": c for c in aomori_pack.charts()}
    doc = docx.Document(str(aomori_pdf.parent / "dxreport-2025-12.docx"))
    placed = 0
    for inline in doc.inline_shapes:
        chart = by_name.get(inline._inline.docPr.get("name"))
        if chart is None:
            continue
        width, height = charts.size(chart)
        assert abs(inline.width - width * 914400) <= 914400 / PNG_DPI, (chart.id, inline.width, width)
        assert abs(inline.height - height * 914400) <= 914400 / PNG_DPI, (chart.id, inline.height, height)
        blob = doc.part.related_parts[inline._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        img = Image.open(io.BytesIO(blob))
        assert abs(img.width / PNG_DPI - inline.width / 914400) < 0.01, chart.id
        placed += 1
    assert placed == 7


def test_the_pdf_draws_every_chart_unscaled(aomori_pack):
    """The PDF's drawing of a chart is its SVG's size: its text is the size it was drawn at."""
    from dxreport.build import tasks
    from dxreport.render import charts
    from dxreport.render.pdf import PdfRenderer, frame_width

    drawings = charts.ChartSet()
    try:
        renderer = PdfRenderer(aomori_pack, drawings)
        for chart in aomori_pack.charts():
            width, height = charts.size(chart)
            drawing = renderer.chart(chart, frame_width())
            assert abs(drawing.width - width * 72) < 0.5 and abs(drawing.height - height * 72) < 0.5, chart.id
            assert drawing.transform[0] == 1  # no scaling
    finally:
        tasks.forget()


# ---------------------------------------------------------------- x axis


def _ax_limits(chart):
    from dxreport.render import charts

    ax = charts.draw(chart).figure.axes[0]
    return ax.get_xlim()


def test_a_chart_whose_first_year_has_no_value_keeps_every_category_inside_its_axis():
    pack = prepared(SAMPLE).job.pack
    yearly = next(p.chart for p in pack.basic_targets.panels if len(p.chart.categories) >= 3)
    s = yearly.series[0]
    first_missing = dataclasses.replace(yearly, series=(dataclasses.replace(s, values=(None, *s.values[1:]), labels=("－", *s.labels[1:])),))
    n = len(yearly.categories)
    for chart in (yearly, first_missing):
        left, right = _ax_limits(chart)
        assert (left, right) == (-0.5, n - 0.5), (left, right)  # equal margins, the first category inside
    compare = pack.dashboards[0].chart
    series = tuple(dataclasses.replace(x, values=(None, *x.values[1:]), labels=("－", *x.labels[1:])) for x in compare.series)
    assert _ax_limits(dataclasses.replace(compare, series=series)) == (-0.5, len(compare.categories) - 0.5)


def test_no_value_label_is_struck_through_by_the_target_line():
    """The sample's productivity values sit at the height of its target line: drawn, no
    pixel of the line's colour is inside any value label the line runs through."""
    import numpy as np
    from matplotlib.colors import to_rgb

    from dxreport.render import charts
    from dxreport.typeset import theme

    target = np.array([round(c * 255) for c in to_rgb(theme.load().colours.target.hex)])
    pack = prepared(SAMPLE).job.pack
    crossed = 0
    for panel in pack.basic_targets.panels:
        chart = panel.chart
        if chart.target is None:
            continue
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig = charts.draw(chart).figure
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())[..., :3].astype(int)
        height = pixels.shape[0]
        ax = fig.axes[0]
        line_y = ax.transData.transform((0, float(chart.target)))[1]
        for text in ax.texts:
            box = text.get_window_extent()
            if not text.get_text() or not box.y0 <= line_y <= box.y1:
                continue
            crossed += 1
            inside = pixels[height - int(box.y1):height - int(box.y0), int(box.x0):int(box.x1)]
            near = (np.abs(inside - target).sum(axis=-1) < 60).sum()
            assert near == 0, (panel.title, text.get_text(), near)
    assert crossed >= 3  # the line does run through labels (the productivity chart's six)


# ---------------------------------------------------------------- 10. notes


def test_the_field_mean_note_is_one_field_a_line_in_every_format(aomori_pdf, aomori_pack):
    import docx
    from bs4 import BeautifulSoup
    from docx.oxml.ns import qn

    expected = ["2025年度の数値（86.7%）は", "①産業・しごと 65.0%", "②暮らし・まち 95.0%", "③行政経営 100.0%", "の各分野を平均したもの"]
    panel = next(p for p in aomori_pack.basic_targets.panels if any("各分野" in n for n in p.notes))
    assert next(n for n in panel.notes if "各分野" in n).split("\n") == expected
    lines = [line.strip() for page in page_lines(aomori_pdf) for line in page]
    at = lines.index(expected[0])
    assert lines[at:at + 5] == expected
    # Word: the same lines, as line breaks in one paragraph.
    body = docx.Document(str(aomori_pdf.parent / "dxreport-2025-12.docx")).element.body
    para = next(p for p in body.iter(qn("w:p")) if "各分野" in "".join(t.text or "" for t in p.iter(qn("w:t"))))
    text = "".join("\n" if el.tag == qn("w:br") else (el.text or "") for el in para.iter(qn("w:t"), qn("w:br")))
    assert text.split("\n") == expected
    # Web: one <br> between lines.
    html = BeautifulSoup((aomori_pdf.parent / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    note = next(p for p in html.select("p.note") if "各分野" in p.get_text())
    assert len(note.find_all("br")) == 4 and note.get_text("\n").split("\n") == expected


NOTE = "2025年度の数値（86.7%）は①産業・しごと 65.0%②暮らし・まち 95.0%③行政経営 100.0%の各分野を平均したもの。前年度比 +5.7ポイント（公表値）"
WORDS = ["各分野", "行政経営", "産業・しごと", "暮らし・まち", "65.0%", "100.0%", "86.7%", "5.7ポイント", "2025年度", "平均したもの", "公表値"]


@pytest.mark.parametrize("which", ["aomori", "sample"])
def test_the_pdfs_cells_tiles_and_cases_keep_their_words_whole(which, request):
    """Not only the notes: an appendix table's indicator names and sources, the tiles and
    the case studies never put a line break inside a phrase (届出等受|理状況, 参加企|業数),
    unless the phrase is longer than its column can hold."""
    from dxreport.typeset import kinsoku

    pdf = request.getfixturevalue(f"{which}_pdf")
    pack = prepared(AOMORI if which == "aomori" else SAMPLE).job.pack
    texts = [x for t in pack.appendix for r in t.rows for x in (r.indicator, r.source)]
    texts += [x for t in pack.appendix if t.tile for x in (t.tile.name, t.tile.components)]
    texts += [x for d in pack.dashboards for tile in d.tiles for x in (tile.name, tile.components)]
    texts += [x for d in pack.dashboards for c in d.cases for x in c.bullets]
    phrases = {a for x in texts for line in x.split("\n") for a in kinsoku.atoms(line, words=True)
               if 3 <= len(a) <= 12 and re.search("[\u4e00-\u9fff\u30a0-\u30ff]", a)}
    lines = [squash(line) for page in page_lines(pdf) for line in page]
    assert len(phrases) > 100
    assert [p for p in sorted(phrases) if not any(squash(p) in line for line in lines)] == []


@pytest.mark.parametrize("width", range(8, 40))  # every phrase of the note fits a line of 8
def test_a_note_never_breaks_inside_a_word(width):
    from dxreport.typeset import kinsoku

    lines = kinsoku.break_lines(NOTE, lambda s: float(len(s)), width, words=True)
    assert "".join(lines).replace(" ", "") == NOTE.replace(" ", "")
    for word in WORDS:
        assert any(word in line for line in lines), (word, lines)


def test_words_joined_by_a_middle_dot_and_a_phrase_longer_than_a_line():
    """産業・しごと分野 is one word (しごと分野 goes on in kanji); a phrase wider than a
    line (a long survey name in a narrow column) is broken where it must, filling the
    line it starts on, rather than leaving an opening bracket on a line of its own."""
    from dxreport.typeset import kinsoku

    assert "産業・しごと分野" in kinsoku.atoms("数値は産業・しごと分野、暮らし・まち分野の", words=True)
    source = "総務省「地方公共団体における行政情報化の推進状況調査(自治体フロントヤード改革取組状況調査にかかる項目について)」"
    lines = kinsoku.break_lines(source, lambda s: float(len(s)), 20, words=True)
    assert "".join(lines) == source
    assert all(len(line) >= 18 for line in lines[:-1]), lines


def test_a_narrow_note_in_the_pdf_keeps_its_words(dataset_copy, tmp_path):
    """A basic target's long note in the PDF: no line ends inside 各分野, a field's name
    or a figure with its unit (the panel is half the page wide)."""
    root = dataset_copy(AOMORI)
    _long_note(root)
    out = tmp_path / "out"
    build_pack(str(root), "2025-12", out)
    lines = [line.strip() for page in page_lines(out / "dxreport-2025-12.pdf") for line in page]
    assert not words_split(lines)


LONG_NOTE = "2025年度の数値は産業・しごと分野、暮らし・まち分野、行政経営分野の各分野を平均したもので、前年度比 +22.5ポイント、目標の100.0%まで13.3ポイント。" * 2
LONG_NOTE_WORDS = ("各分野", "産業・しごと分野", "暮らし・まち分野", "行政経営分野", "22.5ポイント", "100.0%", "13.3ポイント")
NOTE_TAG = "periods/2025-12.yaml basic_targets.municipal-share.note"


def _long_note(root: Path, previous: str | None = None) -> None:
    """The municipal-share basic target's note made long (and, with ``previous``, another in 2025-09)."""
    def change(d):
        d["basic_targets"]["municipal-share"]["note"] = LONG_NOTE

    edit_yaml(root / "periods" / "2025-12.yaml", change)
    if previous is not None:
        edit_yaml(root / "periods" / "2025-09.yaml", lambda d: d.update(basic_targets={"municipal-share": {"note": previous}}))


def words_split(lines: list[str]) -> list[tuple[str, str, str]]:
    """(word, line, next line) for each of LONG_NOTE_WORDS that a line ends inside."""
    return [(word, a, b) for a, b in zip(lines, lines[1:]) for word in LONG_NOTE_WORDS
            for k in range(1, len(word)) if a.endswith(word[:k]) and b.startswith(word[k:])]


@pytest.fixture(scope="module")
def long_note_draft(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the Aomori dataset whose municipal-share basic target has a long note, and its Word draft."""
    tmp = tmp_path_factory.mktemp("long-note")
    root = tmp / "aomori"
    shutil.copytree(AOMORI, root)
    _long_note(root)
    build_pack(str(root), "2025-12", tmp / "out")
    return root, tmp / "out" / "dxreport-2025-12.docx"


def layout_breaks(draft: Path, tag: str) -> list:
    """The paragraph holding the control tagged ``tag`` and the renderer's layout breaks in it."""
    import docx
    from docx.oxml.ns import qn

    from dxreport.render.docx_controls import LAYOUT_BREAK

    body = docx.Document(str(draft)).element.body
    sdt = next(s for s in body.iter(qn("w:sdt")) if s.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")) == tag)
    p = next(sdt.iterancestors(qn("w:p")))
    return [br for br in p.iter(qn("w:br")) if (st := br.getparent().find(f"{qn('w:rPr')}/{qn('w:rStyle')}")) is not None
            and st.get(qn("w:val")) == LAYOUT_BREAK]


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_a_narrow_note_in_the_word_draft_keeps_its_words(long_note_draft, tmp_path):
    """The same note in the Word draft as LibreOffice lays it out: its lines are the ones
    dxreport set (LibreOffice breaks none again), and none ends inside a word."""
    import pdfplumber

    from test_docx import libreoffice_pdf

    _root, draft = long_note_draft
    pdf = libreoffice_pdf(draft, tmp_path)
    # The panels stand two abreast: each half of a page read on its own, and every page
    # whole (the legends, footnotes); spaces left out, as LibreOffice sets a little
    # space between Japanese and Latin letters.
    columns = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for box in ((0, 0, page.width, page.height), (0, 0, page.width / 2, page.height), (page.width / 2, 0, page.width, page.height)):
                text = page.crop(box).extract_text() or ""
                columns.append([squash(line) for line in text.splitlines() if line.strip() and not FOOTER.match(line)])
    for lines in columns:
        assert not words_split(lines)
    note = squash(LONG_NOTE)
    lines = next(col for col in columns[2::3] if note in "".join(col))
    start = next(i for i, line in enumerate(lines) if line and note.startswith(line))
    end = next(j for j in range(start, len(lines)) if len("".join(lines[start:j + 1])) >= len(note))
    assert "".join(lines[start:end + 1]) == note
    assert end - start + 1 == len(layout_breaks(draft, NOTE_TAG)) + 1 >= 4


def test_a_note_dense_with_latin_and_japanese_is_set_narrower_for_libreoffice():
    """LibreOffice widens each gap between Japanese and a Latin letter or digit: a line
    with many is set narrower, so that with those gaps it still fits and LibreOffice
    breaks it nowhere else."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from dxreport.render import docx_lines

    p = OxmlElement("w:p")
    r = OxmlElement("w:r")
    r.text = "aあ" * 15
    p.append(r)
    assert docx_lines.fit(p, lambda s: float(len(s)), 20.0) >= 1
    lines = "".join(n.text or "" if n.tag == qn("w:t") else "\n" for n in p.iter(qn("w:t"), qn("w:br"))).split("\n")
    assert "".join(lines) == "aあ" * 15
    assert all(len(line) + 0.18 * (len(line) - 1) <= 20 for line in lines), lines  # 0.18 em: as measured in LibreOffice 7.4


def test_the_word_drafts_breaks_in_a_note_read_back_as_layout_not_text(long_note_draft, tmp_path):
    """The untouched draft, and its copy saved by LibreOffice, absorb to no change: the
    note reads back as the YAML has it, without the line breaks dxreport set."""
    from dxreport.render import docx_read
    from test_absorb import absorb, digest, libreoffice

    root, draft = long_note_draft
    assert layout_breaks(draft, NOTE_TAG)
    assert next(c for c in docx_read.read(draft).controls if c.tag == NOTE_TAG).text == LONG_NOTE
    before = digest(root)
    copies = [draft] + ([libreoffice(draft, tmp_path, "lo")] if shutil.which("soffice") else [])
    for copy in copies:
        result = absorb(copy, root, "--apply")
        assert result.returncode == 0, result.stderr
        assert "変更 0 件、コメント 0 件" in result.stdout, result.stdout
    assert digest(root) == before


def test_a_reviewers_edit_of_a_note_set_in_lines_absorbs_to_its_text(long_note_draft, tmp_path):
    """A reviewer corrects a figure in the note, the layout breaks left where they were:
    the YAML gets the corrected note, with no line break in it."""
    import docx
    from docx.oxml.ns import qn
    from ruamel.yaml import YAML

    from test_absorb import absorb, control

    source, built = long_note_draft
    root, draft = tmp_path / "aomori", tmp_path / "draft.docx"
    shutil.copytree(source, root)
    shutil.copy(built, draft)
    doc = docx.Document(str(draft))
    t = next(t for t in control(doc, NOTE_TAG).iter(qn("w:t")) if "13.3ポイント" in (t.text or ""))
    t.text = t.text.replace("13.3ポイント", "13.4ポイント", 1)
    doc.save(str(draft))
    assert layout_breaks(draft, NOTE_TAG)
    new = LONG_NOTE.replace("13.3ポイント", "13.4ポイント", 1)
    result = absorb(draft, root, "--apply")
    assert result.returncode == 0, result.stderr
    assert f"  + {new}\n" in result.stdout
    period = YAML().load((root / "periods" / "2025-12.yaml").read_text(encoding="utf-8"))
    assert period["basic_targets"]["municipal-share"]["note"] == new


def test_a_note_changed_since_the_previous_period_is_set_in_lines_both_old_and_new(dataset_copy, tmp_path):
    """A note the previous period printed otherwise: the old note deleted and the new
    inserted, as tracked changes, both set in lines; accepting every change gives the new
    note, rejecting them the old, and absorb sees no change. The final copy has the new note
    in lines, and no tracked change."""
    import docx
    from docx.oxml.ns import qn

    from dxreport.render import docx_read
    from test_absorb import absorb

    root = complete(dataset_copy(AOMORI))
    old = "2025年9月末時点の数値は産業・しごと分野、暮らし・まち分野、行政経営分野の各分野を平均したもの。" * 2
    _long_note(root, previous=old)
    build_pack(str(root), "2025-12", tmp_path / "draft")
    build_pack(str(root), "2025-12", tmp_path / "final", final=True)
    draft, final = (tmp_path / x / "dxreport-2025-12.docx" for x in ("draft", "final"))
    got = next(c for c in docx_read.read(draft).controls if c.tag == NOTE_TAG)
    assert got.text == LONG_NOTE
    assert [(r.kind, r.text) for r in got.revisions] == [("del", old), ("ins", LONG_NOTE)]
    breaks = layout_breaks(draft, NOTE_TAG)
    inside = [next(br.iterancestors(qn("w:del"), qn("w:ins"))).tag for br in breaks]
    assert qn("w:del") in inside and qn("w:ins") in inside
    body = docx.Document(str(draft)).element.body
    sdt = next(s for s in body.iter(qn("w:sdt")) if s.find(f"{qn('w:sdtPr')}/{qn('w:tag')}").get(qn("w:val")) == NOTE_TAG)
    # Every line break in the note is the renderer's: rejecting the changes gives the old note.
    assert len(list(sdt.iter(qn("w:br")))) == len(breaks)
    assert "".join(n.text or "" for n in sdt.iter(qn("w:delText"))) == old
    result = absorb(draft, root)
    assert result.returncode == 0 and "変更 0 件" in result.stdout, result.stdout + result.stderr
    got = next(c for c in docx_read.read(final).controls if c.tag == NOTE_TAG)
    assert got.text == LONG_NOTE and not got.revisions
    assert layout_breaks(final, NOTE_TAG)


# ---------------------------------------------------------------- 11. figures and formulas


def _big_target(root: Path) -> None:
    def plan(d):
        ind = d["fields"][0]["kpis"][0]["indicators"][0]
        ind["unit"] = "円"
        ind["target"] = 1500000000

    edit_yaml(root / "plan.yaml", plan)

    def values(d):
        d["values"]["consult-count"]["value"] = 1234567890

    for name in ("2025-09", "2025-12"):
        edit_yaml(root / "periods" / f"{name}.yaml", values)


def test_a_long_figure_and_the_formula_headers_are_never_broken(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    _big_target(root)
    out = tmp_path / "out"
    build_pack(str(root), "2025-12", out)
    # PDF: the figure whole on one line; the header's formula whole on its line.
    lines = [line for page in page_lines(out / "dxreport-2025-12.pdf") for line in page]
    assert any("1,500,000,000円" in line for line in lines)
    assert any("1,234,567,890円" in line for line in lines)
    assert not any(re.search(r"1,500,000,0*$", line) for line in lines)
    # (The formula and its result on one line: never 「(B/」「A)×100=C」 nor 「(B/A)×100」「=C」.)
    assert any("(B/A)×100=C" in line for line in lines) and not any(line.rstrip().endswith("(B/") for line in lines)
    assert not any(line.strip() in ("=C", "=E") for line in lines)
    # Web: figure cells and formula parts never wrap.
    from bs4 import BeautifulSoup

    css = (out / "html" / "style.css").read_text(encoding="utf-8")
    assert re.search(r"td\.num \{[^}]*white-space: nowrap", css) and re.search(r"\.nobr \{ white-space: nowrap", css)
    page = BeautifulSoup((out / "html" / "industry.html").read_text(encoding="utf-8"), "html.parser")
    assert any(td.get_text() == "1,500,000,000円" for td in page.select("td.num"))
    assert "(B/A)×100=C" in [s.get_text() for s in page.select("th .nobr")]
    # Word, as LibreOffice lays it out.
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "word"), str(out / "dxreport-2025-12.docx")],
                   check=True, capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "word" / "dxreport-2025-12.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    # (LibreOffice sets a little space between Latin and Japanese letters: pdftotext reads it as one.)
    assert re.search(r"1,500,000,000 ?円", text) and re.search(r"1,234,567,890 ?円", text)
    assert re.search(r"\(B/A\)×100 ?=C", text) and re.search(r"\(D/A\)×100 ?=E", text)
    assert not re.search(r"\(B/\s*$", text, re.M) and not re.search(r"^\s*=[CE]\s*$", text, re.M)


# ---------------------------------------------------------------- 14. layouts


def test_the_shipped_packs_never_end_a_page_with_a_heading(aomori_pdf, sample_pdf, aomori_pack):
    assert not headings_last_on_a_page(aomori_pdf, aomori_pack)
    assert not headings_last_on_a_page(sample_pdf, prepared(SAMPLE).job.pack)


def test_a_basic_target_panel_never_splits_from_its_note(tmp_path):
    """Long notes under the second row of panels: the row goes whole to the next page,
    each panel's title, chart, note and source on one page; the legend with them."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    note = "この数値は調査方法の見直しにより前年度までと直接比較できないため、参考値として掲載している。"

    def change(d):
        d["basic_targets"]["sme-share"]["note"] = "\n".join([note] * 6)

    edit_yaml(root / "periods" / "2026-03.yaml", change)
    out = tmp_path / "out"
    build_pack(str(root), "2026-03", out)
    pdf = out / "dxreport-2026-03.pdf"
    pack = prepared(str(root)).job.pack
    import pdfplumber

    # The panels stand two abreast: each half of a page read on its own.
    halves = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages):
            for box in ((0, 0, page.width / 2, page.height), (page.width / 2, 0, page.width, page.height)):
                halves.append((n, squash(page.crop(box).extract_text() or "")))
    for panel in pack.basic_targets.panels:
        title = squash("▶" + panel.title)  # the panel's own title, not a bullet naming the target
        where = [t for _, t in halves if title in t and squash(panel.source) in t]
        assert where, panel.title
        assert all(squash(x) in where[0] for x in panel.notes), panel.title
    if pack.legend:
        last = pack.basic_targets.panels[-1]
        page_of_last = next(n for n, t in halves if squash("▶" + last.title) in t and squash(last.source) in t)
        assert any(n == page_of_last and squash(pack.legend[-1]) in t for n, t in halves)
    assert not headings_last_on_a_page(pdf, pack)


def seven_kpis(tmp_path: Path) -> Path:
    """A copy of the sample whose first field has seven KPIs (seven tiles: three rows)."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    pairs = []

    def plan(d):
        kpis = d["fields"][0]["kpis"]
        for n, kpi in enumerate(list(kpis) + list(kpis)[:1], start=1):
            new = clone_kpi(kpi, f"x{n}")
            kpis.append(new)
            pairs.extend((a["id"], b["id"]) for a, b in zip(new["indicators"], kpi["indicators"]))
        assert len(kpis) == 7

    edit_yaml(root / "plan.yaml", plan)
    add_values(root, pairs)
    return root


def test_seven_tiles_and_no_case_keep_the_notice_under_the_chart(tmp_path):
    """A field with seven KPIs and no case study: 「今期の掲載事例はありません。」 and its
    heading stay on the dashboard's page (they fit there), not alone on the next."""
    root = seven_kpis(tmp_path)

    def no_cases(d):
        if d.get("cases"):
            d["cases"].pop("industry", None)

    each_period(root, no_cases)
    out = tmp_path / "out"
    build_pack(str(root), "2026-03", out)
    pdf = out / "dxreport-2026-03.pdf"
    pack = prepared(str(root)).job.pack
    d = pack.dashboards[0]
    assert not d.cases and len(d.tiles) == 7
    texts = [squash("".join(lines)) for lines in page_lines(pdf)]
    # The heading and the notice are on one page, never alone: the chart is with them
    # (on the dashboard's page if they fit there, or together on the next).
    page = next(t for t in texts if squash(d.no_cases) in t)
    assert squash(d.cases_heading) in page and "2025.9末時点" in page and "2026.3末時点" in page
    assert not headings_last_on_a_page(pdf, pack)


def test_a_dashboard_running_on_names_its_field_on_every_page_of_its_cases(tmp_path):
    """Seven KPIs send the field's cases to the next page: every page holding a case
    of a field names that field, by the dashboard's heading or, over the pages it
    runs on to, by 「…分野（続き）」. That line is a running head (a Pagination
    Artifact): not read, neither a heading nor a bookmark."""
    import pdfplumber
    import pikepdf

    root = seven_kpis(tmp_path)
    pack = prepared(str(root)).job.pack
    pdf = tmp_path / "seven.pdf"
    pdf.write_bytes(render_format("pdf", pack)["dxreport-test.pdf"])
    lines = page_lines(pdf)
    pages = [squash("".join(x)) for x in lines]
    # The dashboards' pages: from the first one's heading to the appendix.
    first = next(n for n, page in enumerate(pages) if squash(pack.dashboards[0].heading) in page)
    end = next(n for n, page in enumerate(lines) if page and squash(page[0]) == squash(pack.appendix_section.title))
    ran_on = []
    for d in pack.dashboards:
        assert squash(d.title) in squash(d.continued)  # the field, as the dashboard names it
        texts = [squash(x) for c in d.cases for x in (c.title, *c.bullets)]
        # A page holds a case when one of its lines is part of a case's title or bullet.
        holding = [n for n in range(first, end)
                   if any(len(squash(x)) >= 8 and any(squash(x) in t for t in texts) for x in lines[n])]
        assert holding or not d.cases, d.title
        for n in holding:
            assert squash(d.heading) in pages[n] or squash(d.continued) in pages[n], (n + 1, d.title)
            if squash(d.heading) not in pages[n]:
                ran_on.append((n, d))
    assert ran_on  # the layout this is about: a field's cases on a page after its dashboard's
    with pdfplumber.open(pdf) as doc:
        for n, d in ran_on:
            chars = doc.pages[n].chars
            read = squash("".join(c["text"] for c in chars if c.get("mcid") is not None))
            shown = squash("".join(c["text"] for c in chars if c.get("tag") == "Artifact"))
            assert squash(d.continued) in shown and squash(d.continued) not in read
    with pikepdf.open(pdf) as doc, doc.open_outline() as outline:
        marks = []
        stack = list(outline.root)
        while stack:
            item = stack.pop()
            marks.append(squash(item.title))
            stack.extend(item.children)
    assert not any(squash(d.continued) in m for m in marks for _, d in ran_on)
    assert not headings_last_on_a_page(pdf, pack)
    from pdfua import validate

    report = validate(str(pdf))  # the running head passes the machine checks the shipped packs pass
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == [] and not report.skipped


def test_the_appendix_bar_shares_its_page_with_the_first_tables_heading(tmp_path):
    """資料編 begins a page (a page break before it), so its bar can only be left alone
    when what heads the first table (its label, title and the KPI's tile, kept with
    the bar) is taller than the page under the bar: here a tile whose components run
    to some 3,700 characters. The bar stays on its page with them, the tile continuing
    on the next, never a page holding only 資料編."""
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    part = "DX相談窓口への相談件数、DX戦略を策定した企業数、クラウドサービスを導入した事業者数など"

    def plan(d):
        d["fields"][0]["kpis"][0]["components"] = "、".join([part] * 80)

    edit_yaml(root / "plan.yaml", plan)
    pack = prepared(str(root)).job.pack
    t = pack.appendix[0]
    assert t.tile is not None and len(t.tile.components) > 3000
    pdf = tmp_path / "long-tile.pdf"
    pdf.write_bytes(render_format("pdf", pack)["dxreport-test.pdf"])
    lines = page_lines(pdf)
    bar = squash(pack.appendix_section.title)
    n = next(n for n, page in enumerate(lines) if page and squash(page[0]) == bar)
    page = squash("".join(lines[n]))
    assert squash(t.label) in page and squash(t.title) in page and squash(t.tile.name) in page, lines[n]
    assert not headings_last_on_a_page(pdf, pack)


def test_an_odd_last_basic_target_is_boxed_alone(tmp_path):
    """A plan with one basic target (the example's): its panel is boxed, the half beside it
    is blank, not an empty panel (PDF: no rule drawn right of the panel; Word: that cell's
    top, right and bottom rules removed)."""
    import pdfplumber

    out = tmp_path / "out"
    build_pack(str(DATA / "example"), "2026-09", out)
    pack = prepared(str(DATA / "example")).job.pack
    assert len(pack.basic_targets.panels) == 1
    with pdfplumber.open(out / "dxreport-2026-09.pdf") as pdf:
        page = next(p for p in pdf.pages if squash(pack.basic_targets.title) in squash(p.extract_text() or ""))
        rules = [line for line in page.lines if line["x1"] - line["x0"] > 1 or line["top"] != line["bottom"]]
        middle = page.width / 2
        assert rules and max(line["x1"] for line in rules) < middle + 3
        assert any(abs(line["x0"] - line["x1"]) < 0.5 and abs(line["x0"] - middle) < 3 for line in rules)  # the panel's right side
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(out / "dxreport-2026-09.docx")
    table = next(t for t in doc.tables if squash(pack.basic_targets.panels[0].title) in squash(t.cell(0, 0).text))
    blank = table.cell(0, 1)._tc
    assert not blank.xpath("string(.)").strip()
    assert {e.tag.split("}")[1]: e.get(qn("w:val")) for e in blank.tcPr.find(qn("w:tcBorders"))} == {"top": "nil", "bottom": "nil", "right": "nil"}
