"""The PDF press pack, read back as text, outline and character positions."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from dxreport.source import dataset
from dxreport.japanese import era
from dxreport.compute.figures import compute

from conftest import AOMORI, SAMPLE, edit_yaml, run
from pdfcheck import kinsoku_violations, page_texts, squash, text_outside_page
from published import KPI_NAMES, KPIS, PUBLISHED


def shown_strings(root: Path, period: str | None = None) -> list[str]:
    """Every string of the dataset that the pack prints."""
    ds, chosen = dataset.load(str(root), period)
    plan, per = ds.plan, ds.period(chosen)
    out = [plan.plan.name]
    for bt in plan.basic_targets:
        out += [bt.name, bt.detail, bt.frequency, bt.source]
    for f in plan.fields:
        out.append(f.name)
        for k in f.kpis:
            out += [k.name, k.label or "", k.components]
            for i in k.indicators:
                out += [i.name, i.source]
    for periods in (per, ds.previous(chosen)):
        for obs in periods.values.values():
            out.append(obs.note)
    n = per.notice
    out += [n.department, n.division, n.group, n.contact, n.phone, n.extension, n.press_officer, n.url, *n.body, *n.updates]
    for cases in per.cases.values():
        for c in cases:
            out += [c.title, *c.bullets]
            if c.box:
                out += [c.box.title, *c.box.lines]
    return [s for s in out if s]


def test_metadata_title_language_and_outline(aomori_pdf):
    reader = PdfReader(str(aomori_pdf))
    meta = reader.metadata
    assert meta.title == "「青森県DX推進プランの進捗状況」の更新について"
    assert meta.author == "青森県 総合政策部DX推進課"
    assert "2025年12月末時点" in meta.subject
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "ja-JP"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True

    def titles(items):
        for x in items:
            yield from titles(x) if isinstance(x, list) else [x.title]

    outline = list(titles(reader.outline))
    for expected in ["「青森県DX推進プランの進捗状況」の更新について", "1 DX推進プランの成果指標及び更新時期",
                     "2 基本目標のデータ更新", "3 ダッシュボードのデータ更新", "資料編"]:
        assert expected in outline
    for name in KPI_NAMES.values():
        assert any(name in t for t in outline), name
    assert sum("ダッシュボード（" in t for t in outline) == 3


def test_fonts_are_embedded_subsets(aomori_pdf):
    reader = PdfReader(str(aomori_pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert "+" in name, f"{name} is not a subset"
        assert "/FontFile2" in font["/FontDescriptor"], f"{name} is not embedded as TrueType"


def test_cover_notice(aomori_pdf):
    cover = page_texts(aomori_pdf)[0]
    for text in ["令和8年2月4日", "報道機関 各位", "総合政策部 DX推進課", "「青森県DX推進プランの進捗状況」の更新について",
                 "報道機関用提供資料", "担当課・担当者名", "直通 017-734-9163", "内線 3242", "報道監", "総合政策部次長 田澤 謙吾",
                 "https://www.pref.aomori.lg.jp/soshiki/seisaku/dxsuishin/dxdashboard.html"]:
        assert text in cover, text
    assert PdfReader(str(aomori_pdf)).pages[0].mediabox.height > PdfReader(str(aomori_pdf)).pages[0].mediabox.width
    assert PdfReader(str(aomori_pdf)).pages[1].mediabox.width > PdfReader(str(aomori_pdf)).pages[1].mediabox.height


def test_every_published_figure_on_its_kpi_page(aomori_pdf):
    pages = [squash(t) for t in page_texts(aomori_pdf)]
    ds, period = dataset.load(str(AOMORI))
    fig = compute(ds, period)
    for k in fig.kpis():
        page = next(p for p in pages if squash(k.kpi.name) in p and "KPI（達成率の単純平均）" in p)
        published = KPIS[k.kpi.id]
        assert f"{published['prev']}%" in page
        assert squash(f"{published['curr']}%（{published['diff']}ポイント）") in page
        for i in k.indicators:
            p = PUBLISHED[i.indicator.id]
            for key in ("prev_rate", "curr_rate"):
                assert f"{p[key]}%" in page, (i.indicator.id, key)
            for key in ("prev_value", "curr_value"):
                assert p[key] in page, (i.indicator.id, key)


def test_dashboard_tiles_and_highlights(aomori_pdf):
    text = squash("\n".join(page_texts(aomori_pdf)))
    for kpi_id, k in KPIS.items():
        assert squash(f"{k['curr']}%前期差{k['diff']}ポイント") in text, kpi_id
    assert "DXに取り組む又は取組を予定している市町村の割合は、前年度比で22.5ポイント増加。" in text
    assert "DXに取り組む又は検討している中小企業者の割合は、前年度比で5.7ポイント増加。" in text
    assert squash("2025年度の数値（86.7%）は①産業・しごと 65.0%②暮らし・まち 95.0%③行政経営 100.0%の各分野を平均したもの") in text
    assert "今回更新" in text


def test_every_dataset_string_is_in_the_pack(aomori_pdf, sample_pdf):
    for pdf, root in ((aomori_pdf, AOMORI), (sample_pdf, SAMPLE)):
        text = squash("\n".join(page_texts(pdf)))
        missing = [s for s in shown_strings(root) if squash(s) not in text]
        assert not missing, missing


def test_charts_are_vectors_with_real_text(sample_pdf):
    import pdfplumber

    with pdfplumber.open(sample_pdf) as pdf:
        images = sum(len(p.images) for p in pdf.pages)
        text = squash("\n".join(p.extract_text() or "" for p in pdf.pages))
    assert images == 1  # the one case-study photo; charts are not bitmaps
    for label in ["2019年度", "2025年度", "2028年目標", "実績値", "2025.9末時点", "2026.3末時点", "－：未公表"]:
        assert label in text, label


def test_sample_renders_every_chart(sample_pdf):
    ds, period = dataset.load(str(SAMPLE))
    fig = compute(ds, period)
    text = squash("\n".join(page_texts(sample_pdf)))
    for b in fig.basic_targets:
        for y in b.years:
            assert f"{y.year}年度" in text
    # every KPI's rate appears as a bar label and in its tile
    for k in fig.kpis():
        assert f"{k.current}%" in text
    assert "▲1.7ポイント" in text and "±0.0ポイント" in text and "▲0.3%" in text and "100.0%" in text


def test_no_line_starts_with_closing_or_ends_with_opening_mark(aomori_pdf, sample_pdf, tmp_path, dataset_copy):
    assert kinsoku_violations(aomori_pdf) == []
    assert kinsoku_violations(sample_pdf) == []
    # A text full of marks at every possible position of a line end.
    ds = dataset_copy(SAMPLE)
    period = ds / "periods" / "2026-03.yaml"
    bullets = ["あ" * n + "」。、「（テスト）」！？『注』・【例】" * 9 for n in range(30)]
    edit_yaml(period, lambda d: d["cases"]["education"].append({"title": "禁則の確認", "bullets": bullets}))
    out = tmp_path / "kinsoku"
    result = run("build", str(ds), "--out", str(out))
    assert result.returncode == 0, result.stderr
    pdf = out / "dxreport-2026-03.pdf"
    assert kinsoku_violations(pdf) == []
    joined = squash("\n".join(page_texts(pdf)))
    assert all(squash(b) in joined for b in bullets)


def test_no_text_outside_the_printable_area(aomori_pdf, sample_pdf):
    assert text_outside_page(aomori_pdf) == []
    assert text_outside_page(sample_pdf) == []


def test_markup_characters_print_exactly_as_typed(dataset_copy, tmp_path):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    title = "<b>A&amp;B</b> & \"引用\" 'single' <script>x</script> ① ▲ ㎡ ～ 髙 ㈱"
    text = period.read_text(encoding="utf-8")
    first = "    - title: "
    i = text.index(first)
    end = text.index("\n", i)
    text = text[:i] + first + "'" + title.replace("'", "''") + "'" + text[end:]
    period.write_text(text, encoding="utf-8")
    out = tmp_path / "markup"
    result = run("build", str(ds), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert title in "\n".join(page_texts(out / "dxreport-2025-12.pdf"))


def test_missing_glyph_stops_the_build_with_its_code_point(dataset_copy, tmp_path):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    text = period.read_text(encoding="utf-8").replace("    - title: ", "    - title: 𠮷野家の", 1)
    period.write_text(text, encoding="utf-8")
    line = next(n for n, x in enumerate(text.splitlines(), 1) if "𠮷" in x)
    out = tmp_path / "glyph"
    result = run("build", str(ds), "--out", str(out))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"2025-12.yaml:{line}: cases." in result.stderr
    assert "U+20BB7" in result.stderr and "𠮷" in result.stderr
    assert not out.exists()


def test_default_pdf_is_at_most_400_kb(aomori_pdf):
    assert aomori_pdf.stat().st_size <= 400 * 1024


def test_build_writes_ascii_period_named_file_into_out(tmp_path):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(AOMORI.parent, project / "data")
    result = run("build", cwd=project)
    assert result.returncode == 0, result.stderr
    names = [p.name for p in (project / "out" / "2025-12").iterdir()]
    assert "dxreport-2025-12.pdf" in names
    assert all(name.isascii() for name in names)


def test_era_date_of_cover_comes_from_the_dataset():
    ds, period = dataset.load(str(AOMORI))
    assert era.long_date(ds.period(period).notice.date) == "令和8年2月4日"


def test_appendix_table_split_across_pages_repeats_its_header(dataset_copy, tmp_path):
    ds = dataset_copy(SAMPLE)
    extra = [f"extra-{n}" for n in range(24)]

    def add_indicators(plan):
        kpi = plan["fields"][0]["kpis"][0]
        for ident in extra:
            kpi["indicators"].append({"id": ident, "name": f"追加の中間指標{ident}（分割の確認）", "unit": "件",
                                      "target": 100, "decimals": 0, "source": "テスト用の出所"})

    def add_values(period):
        for n, ident in enumerate(extra):
            period["values"][ident] = {"value": n, "note": "R7年度"}

    edit_yaml(ds / "plan.yaml", add_indicators)
    for name in ("2025-03", "2025-09", "2026-03"):
        edit_yaml(ds / "periods" / f"{name}.yaml", add_values)
    out = tmp_path / "split"
    result = run("build", str(ds), "--out", str(out))
    assert result.returncode == 0, result.stderr
    pages = [squash(t) for t in page_texts(out / "dxreport-2026-03.pdf")]
    holding = [p for p in pages if "追加の中間指標extra-" in p]
    assert len(holding) >= 2, "the table should need more than one page"
    for page in holding:
        assert squash("中間指標目標値 (A)2025.9月末2026.3月末データの出所") in page
    joined = "".join(pages)
    assert all(squash(f"追加の中間指標{i}（分割の確認）") in joined for i in extra)
