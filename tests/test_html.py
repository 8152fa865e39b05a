"""The web pages and the open data: structure, published figures, escaping, and
accessibility in a real browser (Debian's Chromium driven by Playwright, axe-core)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import AOMORI, SAMPLE, edit_yaml, prepared, run
from published import FIELD_NAMES, KPI_NAMES, KPIS, PUBLISHED

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

COLUMNS = ["基準月", "分野ID", "分野", "KPIID", "KPI", "指標ID", "中間指標", "単位", "目標値", "値", "値の時点",
           "値の時点の西暦表記", "達成率", "達成率の計算に用いた値", "データの出所"]
KPI_COLUMNS = ["基準月", "分野ID", "分野", "KPIID", "KPI", "単位", "KPIの値", "前期の基準月", "前期差", "中間指標の数",
               "値のない中間指標の数"]
OPEN_DATA = ["", "-kpi", "-history", "-kpi-history"]  # after the stem, each a .csv and a .json
MARKUP_TITLE = "<script>alert(1)</script>&\"'"
MARKUP_LABEL = "<b>太字</b> & <img src=x onerror=alert(2)>"
MARKUP_FIELD = '産業<i onclick="alert(3)">斜体</i>&amp;'


def build(out: Path, dataset: Path) -> Path:
    result = run("build", str(dataset), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def aomori_site(aomori_pdf) -> Path:
    """The pack folder of the session's Aomori build (conftest), web pages beside the PDF."""
    return aomori_pdf.parent


@pytest.fixture(scope="session")
def sample_site(sample_pdf) -> Path:
    return sample_pdf.parent


@pytest.fixture(scope="session")
def markup_site(tmp_path_factory) -> Path:
    """Aomori with markup in a case title, a KPI's tile label (which the charts draw too) and
    a field name (headings, navigation, chart titles, open data)."""
    root = tmp_path_factory.mktemp("markup-web")
    ds = root / "aomori"
    shutil.copytree(AOMORI, ds)

    def change(data):
        data["cases"]["industry"][0]["title"] = MARKUP_TITLE

    edit_yaml(ds / "periods" / "2025-12.yaml", change)

    def label(data):
        data["fields"][0]["kpis"][0]["label"] = MARKUP_LABEL
        data["fields"][0]["name"] = MARKUP_FIELD

    edit_yaml(ds / "plan.yaml", label)
    return build(root / "out", ds)


def pages(site: Path) -> list[Path]:
    return sorted((site / "html").glob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def lines(el) -> list[str]:
    """A cell's text, one item per <br>-separated line (a ▲ in its own span stays
    on its line)."""
    el = BeautifulSoup(str(el), "html.parser")
    for br in el.find_all("br"):
        br.replace_with("\n")
    return [x.strip() for x in el.get_text("").split("\n") if x.strip()]


def text(el) -> str:
    return el.get_text("", strip=True)


# ---------------------------------------------------------------- files


def test_files_beside_the_pdf(aomori_site):
    names = {p.relative_to(aomori_site).as_posix() for p in aomori_site.rglob("*") if p.is_file()}
    for name in ["dxreport-2025-12.pdf", "dxreport-2025-12.csv", "dxreport-2025-12.json", "html/index.html",
                 "html/industry.html", "html/living.html", "html/admin.html", "html/style.css",
                 "html/fonts/BIZUDPGothic-Regular.woff", "html/fonts/BIZUDPGothic-Bold.woff", "html/fonts/OFL.txt"]:
        assert name in names, name
    # A subset of the 4.6 MB font: only what the pages use.
    for font in (aomori_site / "html" / "fonts").glob("*.woff"):
        assert font.stat().st_size < 400_000, font


def test_sample_case_photo_travels_with_the_pages(sample_site):
    doc = soup(sample_site / "html" / "index.html")
    imgs = doc.select("img.case-image")
    assert len(imgs) == 1
    src = imgs[0]["src"]
    assert not src.startswith(("/", "http:", "https:", "file:"))
    assert (sample_site / "html" / src).is_file()
    assert imgs[0]["alt"] == "実証運行に使用する乗合車両のイメージ写真(架空)"


# ---------------------------------------------------------------- structure


@pytest.mark.parametrize("site_name", ["aomori_site", "sample_site"])
def test_structure_of_every_page(site_name, request):
    site = request.getfixturevalue(site_name)
    for page in pages(site):
        doc = soup(page)
        where = page.name
        assert doc.html["lang"] == "ja", where
        assert doc.find("meta", charset=True)["charset"].lower() == "utf-8"
        assert doc.find("meta", attrs={"name": "viewport"}) is not None
        assert text(doc.title), where
        assert len(doc.find_all("h1")) == 1, where

        # Landmarks: one banner, main and contentinfo; navigation with names.
        body = doc.body
        assert len(body.find_all("header", recursive=False)) == 1, where
        assert len(body.find_all("main", recursive=False)) == 1, where
        assert len(body.find_all("footer", recursive=False)) == 1, where
        navs = doc.find_all("nav")
        assert navs and all(n.get("aria-label") for n in navs), where
        skip = body.find("a")
        assert skip["href"] == "#main" and doc.find(id="main").name == "main"

        # Headings never skip a level going down.
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, where
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{where}: h{before} followed by h{after}"

        # Tables: a caption, header cells with scope, a header cell per body row.
        tables = doc.find_all("table")
        assert tables, where
        for t in tables:
            assert t.caption is not None and text(t.caption), where
            assert t.find("thead") is not None
            for th in t.find_all("th"):
                assert th.get("scope") in ("col", "colgroup", "row"), f"{where}: {th}"
            for tr in t.select("tbody tr, tfoot tr"):
                first = tr.find(["th", "td"])
                assert first.name == "th" and first["scope"] == "row", f"{where}: {tr}"
            wrap = t.parent
            assert "table-wrap" in wrap.get("class", []) and wrap["tabindex"] == "0" and wrap.get("aria-labelledby") == t.caption["id"]

        # Charts: inline SVG with a text alternative and a data table beside it (or a note of no data).
        for fig in doc.select("figure.chart"):
            svg = fig.find("svg")
            assert svg["role"] == "img" and svg["aria-label"].strip(), where
            assert text(fig.figcaption), where

        # Unique ids, and every in-page reference resolves.
        ids = [el["id"] for el in doc.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"{where}: duplicate ids {sorted({i for i in ids if ids.count(i) > 1})[:5]}"
        raw = page.read_text(encoding="utf-8")
        for ref in re.findall(r'url\(#([^)]+)\)', raw) + re.findall(r'href="#([^"]+)"', raw):
            assert ref in ids, f"{where}: #{ref} points nowhere"

        # Self-contained: nothing from elsewhere, no scripts at all.
        assert doc.find("script") is None, where
        for el in doc.find_all(["link", "img", "source", "iframe", "object", "embed"]):
            for attr in ("href", "src"):
                if el.get(attr):
                    assert not re.match(r"^(https?:)?//", el[attr]), f"{where}: {el}"
                    target = (page.parent / el[attr]).resolve()
                    assert target.is_file(), f"{where}: {el[attr]} is missing"
        for a in doc.find_all("a", href=True):
            href = a["href"]
            if not href.startswith(("#", "http:", "https:", "mailto:")):
                assert (page.parent / href.split("#")[0]).resolve().is_file(), f"{where}: broken link {href}"


def test_style_sheet_is_self_contained_and_has_print_and_narrow_rules(aomori_site):
    css = (aomori_site / "html" / "style.css").read_text(encoding="utf-8")
    assert "@import" not in css
    for url in re.findall(r"url\(([^)]*)\)", css):
        url = url.strip("'\"")
        assert not re.match(r"^(https?:)?//", url), url
        assert (aomori_site / "html" / url).is_file(), url
    assert "@media print" in css
    assert '"BIZ UDPGothic", "Hiragino Sans"' in css and "sans-serif" in css
    assert "overflow-x: auto" in css


def test_inline_svg_is_sanitised(aomori_site):
    raw = (aomori_site / "html" / "index.html").read_text(encoding="utf-8")
    assert "<?xml" not in raw and "<!DOCTYPE svg" not in raw and "<metadata" not in raw
    doc = soup(aomori_site / "html" / "index.html")
    svgs = doc.find_all("svg")
    assert len(svgs) == 2 * (4 + 3)  # four basic targets, three fields: each printed and a phone's copy
    assert [s["class"] for s in svgs] == [["chart-svg", "chart-wide"], ["chart-svg", "chart-narrow"]] * 7
    for svg in svgs:
        assert svg.get("viewbox") and svg["width"] == "100%" and not svg.get("height")
        assert svg.find("style") is None  # matplotlib's global <style> would style the page
        prefixes = {el["id"].rsplit("-", 1)[0] for el in svg.find_all(id=True)}
        assert len(prefixes) == 1, prefixes  # every id of one chart carries that chart's prefix
    # The drawing is matplotlib's, with its text as text in the chart font.
    assert "font-family: 'BIZ UDPGothic'" in raw
    assert re.search(r"<text[^>]*>63\.2%</text>", raw)


def test_inline_svg_prefixes_ids_and_references_but_never_text():
    from dxreport.render.html import inline_svg

    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
           '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt" height="5pt" viewBox="0 0 10 5">'
           '<metadata>x</metadata><defs><style>*{stroke:red}</style><path id="m1" d="M0 0"/><clipPath id="c1"><rect/></clipPath></defs>'
           '<g id="g1" clip-path="url(#c1)"><use xlink:href="#m1"/><text>id="m1" url(#c1) &lt;b&gt;</text></g></svg>')
    out = str(inline_svg(svg, "svg-a", 'a "quoted" <label>'))
    assert "<?xml" not in out and "DOCTYPE" not in out and "metadata" not in out and "<style" not in out
    assert 'id="svg-a-m1"' in out and 'id="svg-a-c1"' in out and 'id="svg-a-g1"' in out
    assert 'clip-path="url(#svg-a-c1)"' in out and 'xlink:href="#svg-a-m1"' in out
    assert 'id="m1" url(#c1) &lt;b&gt;' in out.replace("&quot;", '"')  # text content untouched
    assert 'viewBox="0 0 10 5"' in out
    doc = BeautifulSoup(out, "html.parser")
    assert doc.svg["width"] == "100%" and doc.svg.get("height") is None
    assert doc.svg["aria-label"] == 'a "quoted" <label>' and doc.svg["role"] == "img"


def test_a_phones_chart_is_a_phones_width_with_the_printed_text_sizes_and_nothing_overlapping():
    """Each chart's copy for a phone: as wide as the theme says (whole in a 390-px phone's text
    column, 358 CSS px), its bars across, every text 9 pt or more as printed (12 CSS px), none
    running into another or out of the drawing."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from dxreport.render import charts
    from dxreport.typeset import theme

    look = theme.load().chart
    assert look.phone_width * 96 <= PHONE - 32
    drawn = 0
    for dataset in (AOMORI, SAMPLE, AOMORI.parent / "example"):
        for chart in prepared(dataset).job.pack.charts():
            phone = chart.for_phone()
            assert phone.id == f"{chart.id}-narrow" and phone != chart
            drawn_ = charts.draw(phone)
            assert re.search(rf'<svg[^>]* width="{look.phone_width * 72:g}pt"', drawn_.svg), phone.id
            fig = drawn_.figure
            canvas = FigureCanvasAgg(fig)
            canvas.draw()  # as laid out for the SVG (the layout engine ran then)
            renderer = canvas.get_renderer()
            texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
            assert texts, phone.id
            boxes = []
            for t in texts:
                assert t.get_fontsize() >= 9, (phone.id, t.get_text(), t.get_fontsize())
                box = t.get_window_extent(renderer)
                assert fig.bbox.x0 - 0.5 <= box.x0 and box.x1 <= fig.bbox.x1 + 0.5, (phone.id, t.get_text())
                assert fig.bbox.y0 - 0.5 <= box.y0 and box.y1 <= fig.bbox.y1 + 0.5, (phone.id, t.get_text())
                boxes.append((t.get_text(), box))
            for i, (a, box_a) in enumerate(boxes):
                for b, box_b in boxes[i + 1:]:
                    w = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
                    h = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
                    assert w <= 0.5 or h <= 0.5, (phone.id, a, b)
            if any(v is not None for s in phone.series for v in s.values):
                # Across: the categories down the side, one under the other.
                down = [re.sub(r"\s", "", t.get_text()) for t in fig.axes[0].get_yticklabels()]
                assert down == [re.sub(r"\s", "", c) for c in phone.categories], phone.id
            drawn += 1
    assert drawn >= 7 + 8


def test_pdf_and_open_data_links_state_format_and_size(aomori_site):
    doc = soup(aomori_site / "html" / "index.html")
    files = [("dxreport-2025-12.pdf", "PDF形式"), ("dxreport-2025-12-columns.csv", "CSV形式")]
    files += [(f"dxreport-2025-12{t}.{ext}", f"{ext.upper()}形式") for t in OPEN_DATA for ext in ("csv", "json")]
    for name, label in files:
        link = doc.find("a", href=f"../{name}")
        assert link is not None, name
        size = (aomori_site / name).stat().st_size
        kb = int((Decimal(size) / 1024).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
        assert f"（{label} {kb:,}KB）" in text(link), text(link)
    # Every file the pack has beside html/ is linked (the 検算表 is the office's own check).
    linked = {a["href"].removeprefix("../") for a in doc.select(".downloads a") if a["href"].startswith("../")}
    assert linked == {p.name for p in aomori_site.iterdir() if p.is_file() and not p.name.endswith(("-kensan.xlsx", ".docx"))
                      and not p.name.startswith(".")}


def test_size_label_rounds_half_up():
    from dxreport.render.html import size_kb

    assert size_kb(0) == "1"
    assert size_kb(1535) == "1"
    assert size_kb(1536) == "2"
    assert size_kb(350 * 1024) == "350"
    assert size_kb(2048 * 1024) == "2,048"


# ---------------------------------------------------------------- published figures


def test_index_shows_every_kpi_with_rate_and_signed_difference(aomori_site):
    doc = soup(aomori_site / "html" / "index.html")
    for kpi_id, fig in KPIS.items():
        field, n = kpi_id.rsplit("-", 1)
        section = doc.find(id=f"dash-{field}")
        assert FIELD_NAMES[field] in text(section.h3)
        tile = section.select("li.tile")[int(n) - 1]
        assert text(tile.select_one(".tile-rate")) == f"{fig['curr']}%"
        assert text(tile.select_one(".tile-diff")) == f"前期差 {fig['diff']}ポイント"
        # The chart's data table carries both periods.
        row = section.select("table.chart-table tbody tr")[int(n) - 1]
        assert [text(td) for td in row.find_all("td")] == [f"{fig['prev']}%", f"{fig['curr']}%"]
        # The chart's text alternative states both too.
        alt = section.find("svg")["aria-label"]
        assert f"{fig['prev']}%" in alt and f"{fig['curr']}%" in alt


def test_index_shows_basic_targets_and_cases(aomori_site):
    doc = soup(aomori_site / "html" / "index.html")
    body = doc.main.get_text(" ")
    assert "2025年度 86.7%（前年度比 +22.5ポイント）" in body
    assert "前年度比で5.7ポイント増加" in body
    titles = [text(h) for h in doc.select(".case-title")]
    assert "八戸市の企業がスマートセンサーを活用した灯油配送効率化を実現" in titles
    assert "青森DX100人会議の開催" in titles


def test_field_pages_show_every_appendix_rate(aomori_site):
    docs = {f: soup(aomori_site / "html" / f"{f}.html") for f in FIELD_NAMES}
    for ind_id, fig in PUBLISHED.items():
        rows = [(f, d.find("tr", id=ind_id)) for f, d in docs.items() if d.find("tr", id=ind_id) is not None]
        assert len(rows) == 1, ind_id
        _, tr = rows[0]
        cells = tr.find_all("td")
        assert lines(cells[1])[0] == fig["prev_value"], ind_id
        assert text(cells[2]) == f"{fig['prev_rate']}%", ind_id
        assert lines(cells[3])[0] == fig["curr_value"], ind_id
        assert text(cells[4]) == f"{fig['curr_rate']}%", ind_id
    for kpi_id, fig in KPIS.items():
        field, n = kpi_id.rsplit("-", 1)
        doc = docs[field]
        table = doc.find(id=f"kpi-{kpi_id}")
        assert KPI_NAMES[kpi_id] in text(table.h3)
        cells = table.select("tfoot td")  # under 前期 達成率, 今期 値 (none for a KPI), 今期 達成率
        assert text(cells[0]) == f"{fig['prev']}%"
        assert text(cells[1]) == "該当なし" and "visually-hidden" in cells[1].span["class"]  # blank, said so to a reader
        assert text(cells[2]) == f"{fig['curr']}%（{fig['diff']}ポイント）"
        tile = doc.select("li.tile")[int(n) - 1]
        assert text(tile.select_one(".tile-rate")) == f"{fig['curr']}%"


def test_no_caption_repeats_the_heading_above_it(aomori_site, sample_site):
    """A table under a heading that names it (the plan's structure, section 1 (2)) keeps its
    caption for a screen reader, not printed a second time."""
    for site in (aomori_site, sample_site):
        for path in pages(site):
            for table in soup(path).find_all("table"):
                heading = table.find_previous(["h1", "h2", "h3", "h4"])
                cap = table.caption
                if heading is not None and text(cap) == text(heading):
                    assert "visually-hidden" in cap.get("class", []), (path.name, text(cap))


def test_appendix_headers_span_the_periods(aomori_site):
    table = soup(aomori_site / "html" / "industry.html").find("table", class_="appendix-table")
    top, sub = table.thead.find_all("tr")
    spans = [(text(th), th.get("colspan"), th.get("scope")) for th in top.find_all("th")]
    assert spans[2] == ("2025.9月末", "2", "colgroup") and spans[3] == ("2025.12月末", "2", "colgroup")
    # A formula's header on lines that never break inside (達成率 / (B/A)×100=C).
    assert [[x.get_text() for x in th.select(".nobr")] for th in sub.find_all("th")] == [
        ["値 (B)"], ["達成率", "(B/A)×100=C"], ["値 (D)"], ["達成率", "(D/A)×100=E"]]
    # Stacked on a phone, a rate's figure is named by its column, the KPI's by its period
    # only: the KPI is the rates' mean, not (B/A)×100.
    rate = table.tbody.find("tr").find_all("td")[2]
    assert rate["data-label"] == "2025.9月末 達成率 (B/A)×100=C"
    assert [td["data-label"] for td in table.tfoot.find_all("td") if td.get("data-label")] == ["2025.9月末", "2025.12月末"]


# ---------------------------------------------------------------- open data


def plain(display: str, unit: str) -> str:
    """218件 → 218; 9,896,962枚 → 9896962; ▲0.3% → -0.3."""
    assert display.endswith(unit), (display, unit)
    return display[: len(display) - len(unit)].replace(",", "").replace("▲", "-")


def read_csv(path: Path, columns: list[str] = COLUMNS) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text_ = raw.decode("utf-8-sig")
    assert "\r\n" in text_
    reader = csv.DictReader(io.StringIO(text_, newline=""))
    assert reader.fieldnames == columns
    rows = list(reader)
    assert not any("\n" in v or "\r" in v for r in rows for v in r.values()), "a line break in a cell"
    return rows


def test_csv_holds_every_indicator_at_both_periods(aomori_site):
    rows = read_csv(aomori_site / "dxreport-2025-12.csv")
    assert len(rows) == 2 * 30
    at = {(r["基準月"], r["指標ID"]): r for r in rows}
    assert {i for _, i in at} == set(PUBLISHED)
    for ind_id, fig in PUBLISHED.items():
        before, now = at["2025-09", ind_id], at["2025-12", ind_id]
        assert before["達成率"] == fig["prev_rate"] and now["達成率"] == fig["curr_rate"], ind_id
        assert before["値"] == plain(fig["prev_value"], now["単位"]), ind_id
        assert now["値"] == plain(fig["curr_value"], now["単位"]), ind_id
        assert before["目標値"] == now["目標値"] and Decimal(now["目標値"]) > 0
    consult = at["2025-12", "consult-count"]
    assert (consult["値の時点"], consult["値の時点の西暦表記"]) == ("R5～R6の累計", "2023～2024の累計")
    assert consult["KPI"] == KPI_NAMES["industry-1"] and consult["KPIID"] == "industry-1"
    assert consult["分野"] == "産業・しごと" and consult["分野ID"] == "industry"
    # Several lines of a source in the dataset: one cell, the lines kept apart by ／.
    assert at["2025-12", "smart-machines"]["データの出所"] == "農林水産部農林水産政策課調べ／(主要メーカーへの聞き取り調査結果)"


def test_kpi_csv_holds_every_kpi_at_both_periods(aomori_site):
    rows = read_csv(aomori_site / "dxreport-2025-12-kpi.csv", KPI_COLUMNS)
    at = {(r["基準月"], r["KPIID"]): r for r in rows}
    assert len(rows) == len(at) == 2 * 8
    for kpi_id, fig in KPIS.items():
        before, now = at["2025-09", kpi_id], at["2025-12", kpi_id]
        assert (before["KPIの値"], now["KPIの値"], now["前期差"]) == (fig["prev"], fig["curr"], fig["diff"].lstrip("+")), kpi_id
        assert now["前期の基準月"] == "2025-09" and before["前期の基準月"] == before["前期差"] == ""  # 2025-09 has no previous
        assert now["KPI"] == KPI_NAMES[kpi_id] and now["単位"] == "%" and now["値のない中間指標の数"] == "0"
    assert sum(int(r["中間指標の数"]) for r in rows if r["基準月"] == "2025-12") == 30


def test_json_holds_the_same_rows_as_numbers(aomori_site):
    for table, columns in [("", COLUMNS), ("-kpi", KPI_COLUMNS), ("-history", COLUMNS), ("-kpi-history", KPI_COLUMNS)]:
        doc = json.loads((aomori_site / f"dxreport-2025-12{table}.json").read_text(encoding="utf-8"))
        assert [c["名前"] for c in doc["列"]] == columns
        assert all(c["説明"] and c["型"] for c in doc["列"])
        assert doc["今期の基準月"] == "2025-12" and doc["前期の基準月"] == "2025-09"
        assert doc["CSVファイル"] == f"dxreport-2025-12{table}.csv" and doc["CSVの文字コード"] == "UTF-8（BOM付き）"
        assert doc["ライセンス"] is None  # Aomori's plan names none yet: the build warns
        assert doc["更新履歴"] == [{"公表日": "2026-02-04", "基準月": "2025-12", "内容": "2025年12月末時点の数値を公表"}]
        csv_rows = read_csv(aomori_site / f"dxreport-2025-12{table}.csv", columns)
        assert len(doc["データ"]) == len(csv_rows)
        for j, c in zip(doc["データ"], csv_rows):
            assert list(j) == columns
            for key in columns:
                v = j[key]
                if isinstance(v, (int, float)):
                    assert Decimal(c[key]) == Decimal(str(v)), (key, v, c[key])
                else:
                    assert (v or "") == c[key], (key, v, c[key])
    doc = json.loads((aomori_site / "dxreport-2025-12.json").read_text(encoding="utf-8"))
    at = {(r["基準月"], r["指標ID"]): r for r in doc["データ"]}
    assert at["2025-09", "hours-per-wage-cut"]["値"] == -0.3
    assert at["2025-12", "paper-reduction"]["値"] == 18865394
    assert at["2025-12", "muni-ai"]["達成率"] == 100.0
    for ind_id, fig in PUBLISHED.items():
        assert at["2025-12", ind_id]["達成率"] == float(fig["curr_rate"])
    kpi = json.loads((aomori_site / "dxreport-2025-12-kpi.json").read_text(encoding="utf-8"))
    assert {(r["基準月"], r["KPIID"]): r for r in kpi["データ"]}["2025-12", "admin-1"]["前期差"] == 17.0


def test_open_data_columns_are_the_same_for_every_dataset(sample_site):
    rows = read_csv(sample_site / "dxreport-2026-03.csv")  # checks the header too
    missing = [r for r in rows if r["値"] == ""]
    assert missing and all(r["達成率"] == "" for r in missing)  # no value: no rate, never 0
    doc = json.loads((sample_site / "dxreport-2026-03.json").read_text(encoding="utf-8"))
    assert any(r["値"] is None for r in doc["データ"])
    read_csv(sample_site / "dxreport-2026-03-kpi.csv", KPI_COLUMNS)


# ---------------------------------------------------------------- escaping


def test_markup_in_the_dataset_shows_as_text(markup_site):
    for page in pages(markup_site):
        doc = soup(page)
        assert doc.find("script") is None, page.name
        assert doc.find("b") is None and doc.find("i") is None and not doc.select("main img"), page.name
        assert not any(k.startswith("on") for el in doc.find_all(True) for k in el.attrs), page.name
    index = soup(markup_site / "html" / "index.html")
    assert MARKUP_TITLE in [h.get_text() for h in index.select(".case-title")]
    assert MARKUP_LABEL in [h.get_text() for h in index.select(".tile-name")]
    assert MARKUP_LABEL in index.find(id="dash-industry").find("svg")["aria-label"]
    assert MARKUP_FIELD in index.find(id="dash-industry").h3.get_text()
    assert MARKUP_FIELD in index.find(id="chart-field-industry").figcaption.get_text()
    assert any(MARKUP_FIELD in a.get_text() for a in index.select(".site-nav a"))
    raw = (markup_site / "html" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in raw
    rows = read_csv(markup_site / "dxreport-2025-12.csv")
    assert rows[0]["分野"] == MARKUP_FIELD


# ---------------------------------------------------------------- determinism and fonts


def test_same_pack_gives_the_same_bytes():
    from conftest import prepared, render_format

    pack = prepared(SAMPLE).job.pack
    given = {f"dxreport-test{name}": 100 for name in [".pdf", "-columns.csv"] + [f"{t}.{e}" for t in OPEN_DATA for e in ("csv", "json")]}
    first = render_format("web", pack, given=given)
    second = render_format("web", pack, given=given)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_font_subset_covers_every_character_on_the_pages(aomori_site):
    from fontTools.ttLib import TTFont

    used = set()
    for page in pages(aomori_site):
        used |= set(soup(page).get_text())
    used -= set(" \n\r\t\u00a0")
    for font_file in (aomori_site / "html" / "fonts").glob("*.woff"):
        cmap = set(TTFont(str(font_file)).getBestCmap())
        missing = sorted(c for c in used if ord(c) not in cmap)
        assert missing == [], (font_file.name, missing[:20])


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser():
    # This module's only: Playwright's threads must be gone before the other modules' builds
    # fork their helper process (a fork beside live threads can deadlock on a lock they held).
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.dialogs, page.requests = dialogs, requests  # type: ignore[attr-defined]
    return page


@pytest.mark.parametrize("site_name", ["aomori_site", "sample_site"])
def test_axe_finds_no_violations_and_nothing_scrolls_sideways(site_name, request, browser, tmp_path_factory):
    from axe_playwright_python.sync_playwright import Axe

    site = request.getfixturevalue(site_name)
    shots = tmp_path_factory.mktemp(f"screens-{site_name}")
    axe = Axe()
    for path in pages(site):
        for width in (1280, 320):
            page = open_page(browser, path, width)
            try:
                where = f"{path.name} at {width}px"
                scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert scroll <= inner, f"{where}: page is {scroll}px wide"
                page.screenshot(path=str(shots / f"{path.stem}-{width}.png"), full_page=True)
                results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
                assert results.violations_count == 0, f"{where}:\n{results.generate_report()}"
                # The bundled font subset loads; every request stays inside the pack folder.
                statuses = page.evaluate("[...document.fonts].map(f => f.status)")
                assert statuses and all(s == "loaded" for s in statuses), statuses
                assert all(u.startswith("file://") for u in page.requests), page.requests
                assert page.dialogs == []
            finally:
                page.close()


def test_web_chart_text_is_12px_or_more_at_390px(aomori_site, browser):
    """Issue 15, item 9: every chart text at least 12 CSS px on a 390-px phone (its font size
    times the SVG's scale on screen), in the drawing shown there: the phone's copy."""
    site = aomori_site
    measured = 0
    for path in pages(site):
        page = open_page(browser, path, 390)
        try:
            shown = page.evaluate("""[...document.querySelectorAll('svg.chart-svg')].filter(s => s.checkVisibility())
                .map(s => s.getAttribute('class'))""")
            assert shown and all(c == "chart-svg chart-narrow" for c in shown), (path.name, shown)
            sizes = page.evaluate("""[...document.querySelectorAll('svg.chart-svg text')].filter(t => t.checkVisibility()).map(t => {
                const m = t.getScreenCTM();
                const scale = Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
                return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale];
            })""")
            assert all(size >= 11.99 for _, size in sizes), (path.name, [s for s in sizes if s[1] < 11.99][:5])
            measured += len(sizes)
            # The whole chart in view: neither its box nor the page scrolls sideways.
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, (path.name, scroll)
            boxes = page.evaluate("[...document.querySelectorAll('.chart-scroll')].map(b => [b.scrollWidth, b.clientWidth])")
            assert boxes and all(w <= c for w, c in boxes), (path.name, boxes)
        finally:
            page.close()
    assert measured > 50


# The line starts on a page's running text where a word would be cut: between two kanji
# or two katakana (市町|村, フォロ|ワー). Latin runs (a URL) may break anywhere.
SPLIT_WORDS = """() => {
  const seg = new Intl.Segmenter('ja', {granularity: 'word'});
  const out = [];
  const kind = c => /[\u30a0-\u30ff]/.test(c) ? 'katakana' : /[\u4e00-\u9fff]/.test(c) ? 'kanji' : /[0-9A-Za-z]/.test(c) ? 'latin' : 'other';
  const sameScript = (a, b) => kind(a) !== 'other' && kind(a) === kind(b) && !(kind(a) === 'latin');
  const els = [...document.querySelectorAll('main p, main li, main h2, main h3, main h4')].filter(e => !e.closest('table') && e.checkVisibility());
  for (const el of els) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let text = '', nodes = [];
    while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
    if (!/[\\u3040-\\u30ff\\u4e00-\\u9fff]/.test(text)) continue;
    const bounds = new Set([...seg.segment(text)].map(s => s.index));
    let lastTop = null;
    for (const [node, base] of nodes) {
      for (let i = 0; i < node.data.length; i++) {
        if (/\\s/.test(node.data[i])) continue;
        const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
        const rect = r.getClientRects()[0]; if (!rect) continue;
        if (lastTop !== null && rect.top > lastTop + 4 && sameScript(text[base + i - 1], text[base + i])) out.push(text.slice(Math.max(0, base + i - 6), base + i) + '|' + text.slice(base + i, base + i + 6));
        lastTop = rect.top;
      }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("site_name", ["aomori_site", "sample_site"])
def test_a_phone_never_breaks_a_japanese_word_across_lines_in_running_text(site_name, request, browser):
    """Issue 15, item 10, on the web: headings, paragraphs, lists and tiles break between
    phrases (文節) at 390 px, never inside a word (tables may: a cell's least width is its
    longest word, and a phrase there would widen the table past the phone; narrower still, a
    phrase longer than a line is broken where it must be, as at 320 px 「外部|有識者」)."""
    site = request.getfixturevalue(site_name)
    for path in pages(site):
        page = open_page(browser, path, 390)
        try:
            split = page.evaluate(SPLIT_WORDS)
            assert split == [], (path.name, split[:8])
        finally:
            page.close()


def test_wide_tables_scroll_inside_their_own_box_between_phone_and_desktop(aomori_site, browser):
    """Wider than a phone's stacked rows (37.5rem) and narrower than the appendix tables, the
    tables scroll in their own box, each row's name in view, and say so above them."""
    page = open_page(browser, aomori_site / "html" / "industry.html", 700)
    try:
        boxes = page.evaluate("""[...document.querySelectorAll('.table-wrap')].map(w =>
            [w.scrollWidth > w.clientWidth, getComputedStyle(w).overflowX, w.getBoundingClientRect().right])""")
        assert any(scrolls for scrolls, _, _ in boxes)  # the appendix tables are wider than 700 px
        for scrolls, overflow, right in boxes:
            assert overflow == "auto" and right <= 700
        sticky = page.evaluate("getComputedStyle(document.querySelector('.appendix-table tbody th')).position")
        assert sticky == "sticky"
    finally:
        page.close()


# ---------------------------------------------------------------- on a phone (issue 15)


PHONE = 390

# What a page shows at its width. Out of sight: inside a box of 1 px or less that hides its
# overflow (the texts kept for screen readers only, and a stacked table's column headers).
LAYOUT = """() => {
  const outOfSight = el => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const r = e.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1 && getComputedStyle(e).overflow !== 'visible') return true;
    }
    return false;
  };
  const shown = el => el.checkVisibility() && !outOfSight(el);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // Every element wider inside than its box (an SVG's own parts are the drawing's business).
  const wide = [...document.body.querySelectorAll('*')]
    .filter(el => !(el.closest('svg') && el.tagName.toLowerCase() !== 'svg') && el.clientWidth > 0 && el.scrollWidth > el.clientWidth && shown(el))
    .map(el => [name(el), el.scrollWidth, el.clientWidth]);
  // Every visible text under 12 CSS px: a chart's at its drawing's scale on screen; a label the
  // style sheet writes before a stacked cell's figure too.
  const small = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !shown(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el.closest('svg')) { const m = el.getScreenCTM(); size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)); }
    if (size < 11.99) small.push([n.textContent.trim().slice(0, 30), size]);
  }
  const labels = [];
  for (const td of document.querySelectorAll('table.stack td[data-label]')) {
    if (!shown(td)) continue;
    const before = getComputedStyle(td, '::before');
    labels.push([td.dataset.label, before.content, parseFloat(before.fontSize)]);
    if (before.content !== 'none' && parseFloat(before.fontSize) < 11.99) small.push([td.dataset.label, parseFloat(before.fontSize)]);
  }
  // Every box that may scroll: whether it does, and whether it says so.
  const boxes = [...document.querySelectorAll('.table-wrap, .chart-scroll')].filter(shown)
    .map(b => { const hint = getComputedStyle(b, '::before');
                return [name(b), b.scrollWidth > b.clientWidth, hint.content !== 'none' && hint.display !== 'none']; });
  return {page: document.documentElement.scrollWidth, wide, small, labels, boxes};
}"""


def layout(browser, path: Path, width: int) -> dict:
    page = open_page(browser, path, width)
    try:
        return page.evaluate(LAYOUT)
    finally:
        page.close()


def test_a_phone_reads_every_page_without_sideways_scrolling(aomori_site, sample_site, browser):
    """Issue 15: at 390 px nothing scrolls sideways, neither the page nor a table or chart in its
    box; every text shown is 12 px or more; a wide table's rows are stacked blocks, each figure
    after its column's name; no 「横にスクロールできます」 is left where nothing scrolls."""
    stacked = 0
    for site in (aomori_site, sample_site):
        for path in pages(site):
            where = f"{site.name}/{path.name} at {PHONE}px"
            got = layout(browser, path, PHONE)
            assert got["page"] <= PHONE, where
            assert got["wide"] == [], (where, got["wide"][:8])
            assert got["small"] == [], (where, got["small"][:8])
            assert [b for b in got["boxes"] if b[1] or b[2]] == [], (where, got["boxes"])
            for label, content, size in got["labels"]:
                # Chromium gives the content as written, the attribute's text in place of attr().
                assert label in content or "attr(data-label)" in content, (where, label, content)
            stacked += len(got["labels"])
    assert stacked > 300  # the appendix tables and the basic targets' table were stacked


@pytest.mark.parametrize("width", [320, 390, 700, 1280])
def test_the_scroll_hint_is_shown_exactly_where_something_scrolls(aomori_site, browser, width):
    scrolled = 0
    for name in ("index.html", "industry.html"):
        got = layout(browser, aomori_site / "html" / name, width)
        assert got["page"] <= width, (name, width)
        for box, scrolls, hint in got["boxes"]:
            assert scrolls == hint, (name, width, box, scrolls, hint)
            scrolled += scrolls
    # At 320 px a phone's chart (355 px) still scrolls; at 700 px the appendix tables do (they stack under 600).
    assert (scrolled > 0) == (width in (320, 700)), (width, scrolled)


def test_stacked_tables_are_still_tables_to_a_screen_reader(aomori_site, sample_site, browser):
    """Laid out as blocks on a phone, a table keeps its table, row, header and cell roles in
    Chromium's accessibility tree, the same tree as on a desktop; the column names written
    before the figures are not read again with them."""
    checked = 0
    for site in (aomori_site, sample_site):
        for path in pages(site):
            trees = {}
            for width in (PHONE, 1280):
                page = open_page(browser, path, width)
                try:
                    tables = page.locator("table.stack")
                    assert page.evaluate("getComputedStyle(document.querySelector('table.stack')).display") == (
                        "block" if width == PHONE else "table")
                    trees[width] = [tables.nth(i).aria_snapshot() for i in range(tables.count())]
                    labels = set(page.evaluate("[...document.querySelectorAll('table.stack td[data-label]')].map(td => td.dataset.label)"))
                finally:
                    page.close()
            assert trees[PHONE] == trees[1280], path.name
            for tree in trees[PHONE]:
                roles = {line.strip().split(" ")[1].rstrip(":") for line in tree.splitlines() if line.strip().startswith("- ")}
                assert {"table", "row", "columnheader", "rowheader", "cell"} <= roles, (path.name, roles)
                cells = [line for line in tree.splitlines() if line.strip().startswith("- cell")]
                assert cells and not [c for c in cells if any(label in c for label in labels)], (path.name, cells[:3])
                checked += 1
    assert checked >= 1 + 8 + 1 + 10  # each site's basic targets' table and every appendix table


def test_print_hides_navigation_and_lets_tables_grow(aomori_site, browser):
    page = open_page(browser, aomori_site / "html" / "industry.html", 1280)
    try:
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('.site-nav')).display") == "none"
        assert page.evaluate("getComputedStyle(document.querySelector('.table-wrap')).overflowX") == "visible"
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF")
    finally:
        page.close()


def test_markup_runs_nothing_in_the_browser(markup_site, browser):
    page = open_page(browser, markup_site / "html" / "index.html", 1280)
    try:
        assert page.evaluate("document.querySelectorAll('script, b, i, [onclick], main img:not(.case-image)').length") == 0
        titles = page.evaluate("[...document.querySelectorAll('.case-title')].map(h => h.textContent)")
        assert MARKUP_TITLE in titles
        assert page.dialogs == []
    finally:
        page.close()
