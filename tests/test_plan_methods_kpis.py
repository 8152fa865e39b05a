"""Issue 21, the KPI half: KPIs scored as a weighted mean or as the share of
indicators that reached their target, and a plan's grade scale printed beside
every rate.

The figures are computed here again, independently of dxreport, from the YAML
files with exact fractions and 四捨五入, and compared with every printed figure
of the PDF, the Word draft, the web pages, the open data and the 検算表 as
LibreOffice recalculates it. The dataset is the sample's, edited so that each
method lands on a rounding edge:

* industry-1, weighted (weights 1, 0.5, 1.5, 1): 2026-03 Σw·rate/Σw = 54.65 → 54.7,
  2025-09 48.05 → 48.1 (half up; half to even, or binary floating point, gives
  54.6 and 48.0); dx-consult 280/400 = 70.0 exactly: grade B, not C.
* industry-2, share achieved (two indicators unpublished, three with a rate):
  2026-03 2/3 = 66.67 → 66.7, 2025-09 1/3 = 33.33 → 33.3; tourism-sns
  149,925/150,000 = 99.95% → 100.0%: it counts as achieved, and is graded A.
  (A share of up to five indicators cannot end in x.x5: 2/3 and 1/3 are its edges.)
* grades: A 達成 from 100, B 概ね順調 from 70, C 遅れ from 0.
"""

from __future__ import annotations

import csv
import os
import io
import re
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import SAMPLE, build_pack, edit_yaml, run

PERIOD, PREVIOUS = "2026-03", "2025-09"
WEIGHTS = {"dx-consult": "1", "dx-hr-share": "0.5", "dx-strategy": "1.5", "dx-seminar": "1"}
GRADES = [("A", "達成", 100), ("B", "概ね順調", 70), ("C", "遅れ", 0)]
UNPUBLISHED = ("rice-labour", "cashless-merchants")


def make_dataset(tmp_path: Path) -> Path:
    root = tmp_path / "methods"
    shutil.copytree(SAMPLE, root)

    def plan(data):
        industry = data["fields"][0]["kpis"]
        industry[0]["scoring"] = "weighted"
        for ind in industry[0]["indicators"]:
            ind["weight"] = float(WEIGHTS[ind["id"]]) if "." in WEIGHTS[ind["id"]] else int(WEIGHTS[ind["id"]])
        industry[1]["scoring"] = "share-achieved"
        data["grades"] = [{"grade": g, "label": label, "min": m} for g, label, m in GRADES]

    edit_yaml(root / "plan.yaml", plan)

    def period(values: dict):
        def change(data):
            for ident, value in values.items():
                obs = data["values"][ident]
                if value is None:
                    obs["value"], obs["absent"], obs["note"] = None, "unpublished", "未公表"
                else:
                    obs["value"] = value
        return change

    edit_yaml(root / "periods" / f"{PERIOD}.yaml", period(
        {"dx-consult": 280, "smart-agri": 3000, "tourism-sns": 149925, "fan-platform": 5, **dict.fromkeys(UNPUBLISHED)}))
    edit_yaml(root / "periods" / f"{PREVIOUS}.yaml", period(
        {"smart-agri": 3000, "tourism-sns": 108651, "fan-platform": 5, **dict.fromkeys(UNPUBLISHED)}))
    return root


# ---------------------------------------------------------------- the figures, independently


def _plain_yaml(path: Path):
    yaml = YAML(typ="safe")
    return yaml.load(path.read_text(encoding="utf-8"))


def _exact(text) -> Fraction:
    # The YAML's number as typed (ruamel reads 0.5 as a float; its text is exact).
    return Fraction(str(text))


def half_up(x: Fraction) -> Fraction:
    """四捨五入 to one decimal, of a non-negative fraction."""
    return Fraction(int(x * 10 + Fraction(1, 2)), 10)


def shown(x: Fraction | None) -> str:
    return "－" if x is None else f"{Decimal(x.numerator) / Decimal(x.denominator):.1f}"


def grade_of(rate: Fraction | None) -> str | None:
    if rate is None:
        return None
    return next(g for g, _label, m in GRADES if rate >= m)


def printed(rate: Fraction | None) -> str:
    """A rate as the pack prints it: 54.7%（C）."""
    return "－" if rate is None else f"{shown(rate)}%（{grade_of(rate)}）"


def expected(root: Path) -> dict:
    """Every indicator's rate and every KPI's figure of both periods, from the YAML alone."""
    plan = _plain_yaml(root / "plan.yaml")
    periods = {p: _plain_yaml(root / "periods" / f"{p}.yaml")["values"] for p in (PREVIOUS, PERIOD)}
    rates: dict[tuple[str, str], Fraction | None] = {}
    kpis: dict[tuple[str, str], Fraction | None] = {}
    methods: dict[str, str] = {}
    for field in plan["fields"]:
        for kpi in field["kpis"]:
            method = kpi.get("scoring", "mean")
            methods[kpi["id"]] = method
            for p, values in periods.items():
                known = []
                for ind in kpi["indicators"]:
                    v = values[ind["id"]].get("value")
                    r = None if v is None else half_up(min(max(_exact(v) / _exact(ind["target"]) * 100, Fraction(0)), Fraction(100)))
                    rates[(p, ind["id"])] = r
                    if r is not None:
                        known.append((r, _exact(ind.get("weight", 1))))
                if not known:
                    kpis[(p, kpi["id"])] = None
                elif method == "weighted":
                    kpis[(p, kpi["id"])] = half_up(sum(w * r for r, w in known) / sum(w for _r, w in known))
                elif method == "share-achieved":
                    kpis[(p, kpi["id"])] = half_up(Fraction(100 * sum(1 for r, _w in known if r == 100), len(known)))
                else:
                    kpis[(p, kpi["id"])] = half_up(sum(r for r, _w in known) / len(known))
    return {"rates": rates, "kpis": kpis, "methods": methods, "plan": plan}


def test_the_edges_are_where_the_docstring_says(tmp_path: Path):
    e = expected(make_dataset(tmp_path))
    k, r = e["kpis"], e["rates"]
    assert (k[(PERIOD, "industry-1")], k[(PREVIOUS, "industry-1")]) == (Fraction("54.7"), Fraction("48.1"))
    assert (k[(PERIOD, "industry-2")], k[(PREVIOUS, "industry-2")]) == (Fraction("66.7"), Fraction("33.3"))
    assert r[(PERIOD, "dx-consult")] == 70 and grade_of(r[(PERIOD, "dx-consult")]) == "B"
    assert r[(PERIOD, "tourism-sns")] == 100 and grade_of(r[(PERIOD, "tourism-sns")]) == "A"
    # Half to even (Python's round) and binary floating point would not get there.
    assert round(54.65, 1) == 54.6 and round(48.05, 1) == 48.0


def points(diff: Fraction | None) -> str:
    if diff is None:
        return "－"
    sign = "+" if diff > 0 else ("▲" if diff < 0 else "±")
    return f"{sign}{shown(abs(diff))}ポイント"


ROW_LABELS = {"mean": "KPI（達成率の単純平均）", "weighted": "KPI（達成率の加重平均）", "share-achieved": "KPI（目標達成指標の割合）"}


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """The dataset, the figures expected of it, and its press pack as built."""
    tmp = tmp_path_factory.mktemp("methods")
    root = make_dataset(tmp)
    out = tmp / "out"
    build_pack(root, PERIOD, out)
    return root, expected(root), out


def _kpis(e: dict):
    """(KPI, its indicators) of the plan, in plan order."""
    return [(k, k["indicators"]) for f in e["plan"]["fields"] for k in f["kpis"]]


def _table_rows(e: dict):
    """Each KPI's appendix table as it should print: its indicators' rate cells, then the KPI row."""
    out = []
    for k, inds in _kpis(e):
        rows = [(printed(e["rates"][(PREVIOUS, i["id"])]), printed(e["rates"][(PERIOD, i["id"])])) for i in inds]
        now, before = e["kpis"][(PERIOD, k["id"])], e["kpis"][(PREVIOUS, k["id"])]
        diff = None if now is None or before is None else now - before
        kpi = (ROW_LABELS[e["methods"][k["id"]]], printed(before), f"{printed(now)}（{points(diff)}）")
        out.append((k, rows, kpi))
    return out


def _flat(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def test_the_pdf_prints_every_rate_kpi_and_grade_as_computed_from_the_yaml(pack):
    import pdfplumber

    root, e, out = pack
    tables = []
    with pdfplumber.open(out / f"dxreport-{PERIOD}.pdf") as pdf:
        for page in pdf.pages:
            tables += [t for t in page.extract_tables() if t and t[0][0] == "中間指標"]
        texts = [page.extract_text() or "" for page in pdf.pages]
    text = "\n".join(texts)
    expect = _table_rows(e)
    assert len(tables) == len(expect) == 11
    for table, (k, rows, kpi) in zip(tables, expect):
        body, last = table[2:-1], table[-1]
        assert [(_flat(r[3]), _flat(r[5])) for r in body] == rows, k["id"]
        assert (_flat(last[0]), _flat(last[3]), _flat(last[4])) == kpi, k["id"]
    flat = _flat(text)
    # The dashboards' tiles: each KPI's rate with its grade, on its field's page.
    for f in e["plan"]["fields"]:
        (page,) = [_flat(t) for t in texts if f"ダッシュボード（{f['name']}分野）" in t]
        figures = [(e["kpis"][(PERIOD, k["id"])], e["kpis"][(PREVIOUS, k["id"])]) for k in f["kpis"]]
        assert _flat("※前期：2025.9末時点　※評価：A 達成（100%以上）／B 概ね順調（70%以上100%未満）／C 遅れ（70%未満）") in page
        # The tiles side by side: their rates on one line, their 前期差 on the next.
        assert "".join(printed(now) for now, _before in figures) in page, f["id"]
        assert "".join(f"前期差{points(now - before)}" for now, before in figures) in page, f["id"]
    # Section 1 says how each KPI is scored and what the grades mean; each table's notes too.
    assert "「県内企業のDX推進状況」は、中間指標の達成率を計画で定めた重みで加重平均して指数化。" in flat
    assert "「あらゆる産業分野のDXの推進状況」は、中間指標のうち達成率100%（目標達成）の指標の割合で指数化。" in flat
    assert "その他のKPIは、中間指標の達成率を単純平均して指数化。" in flat
    scale = "A達成（100%以上）／B概ね順調（70%以上100%未満）／C遅れ（70%未満）"
    assert flat.count(_flat(f"※評価：{scale}")) == 11 + 4  # under each table, and on each dashboard
    assert _flat("重み：サンプル県DX相談窓口への相談件数 1、DX人材を確保している又は確保に取り組んでいる中小企業の割合 0.5、"
                 "専門家の伴走支援によりDX戦略を策定した企業数 1.5、DXセミナー・経営者向け研修に参加した事業者数 1") in flat
    assert "※－の指標を除いた割合" in flat


def _docx_tables(path: Path):
    import docx
    from docx.oxml.ns import qn

    def text(el) -> str:  # every run's text, inside content controls too
        return "".join(t.text or "" for t in el.iter(qn("w:t")))

    d = docx.Document(str(path))
    body = text(d.element.body)
    return [[[text(c._tc) for c in r.cells] for r in t.rows] for t in d.tables], body


def test_the_word_draft_prints_the_same(pack):
    root, e, out = pack
    tables, body = _docx_tables(out / f"dxreport-{PERIOD}.docx")
    appendix = [t for t in tables if t and t[0][0] == "中間指標"]
    expect = _table_rows(e)
    assert len(appendix) == len(expect)
    for table, (k, rows, kpi) in zip(appendix, expect):
        body_rows = table[2:2 + len(rows)]
        assert [(r[3], r[5]) for r in body_rows] == rows, k["id"]
        last = table[2 + len(rows)]
        assert (last[0], last[3], last[4]) == kpi, (k["id"], last)
    for k, _rows, kpi in expect:
        now = e["kpis"][(PERIOD, k["id"])]
        # (a tile's ※今回更新 stands between its name and its rate)
        assert body.replace("※今回更新", "").count(f"{k.get('label', k['name'])}{printed(now)}前期差 ") >= 2, k["id"]
    assert "KPI（達成率の加重平均）" in body and "KPI（目標達成指標の割合）" in body
    assert "※ 評価：A 達成（100%以上）／B 概ね順調（70%以上100%未満）／C 遅れ（70%未満）" in body


def test_the_web_pages_print_the_same(pack):
    from bs4 import BeautifulSoup

    root, e, out = pack
    pages = [BeautifulSoup((out / "html" / f).read_text(encoding="utf-8"), "html.parser") for f in sorted(os.listdir(out / "html"))
             if f.endswith(".html")]
    for k, rows, kpi in _table_rows(e):
        (section,) = [s for p in pages for s in p.select(f"section#kpi-{k['id']}")]
        trs = section.select("tbody tr")
        assert [tuple(_flat(td.get_text()) for td in tr.select("td.rate")) for tr in trs] == rows, k["id"]
        foot = section.select_one("tfoot tr")
        assert (_flat(foot.th.get_text()), *(_flat(td.get_text()) for td in foot.select("td.rate"))) == kpi, k["id"]
        tile = section.select_one(".tile-rate").get_text()
        assert tile == printed(e["kpis"][(PERIOD, k["id"])])
        notes = [p.get_text() for p in section.select("p.note")]
        assert "※ 評価：A 達成（100%以上）／B 概ね順調（70%以上100%未満）／C 遅れ（70%未満）" in notes


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_the_open_data_has_each_kpis_method_value_and_grade_and_each_indicators_weight(pack):
    import json

    root, e, out = pack
    names = {"mean": "達成率の単純平均", "weighted": "達成率の加重平均", "share-achieved": "目標達成指標の割合"}
    kpi_rows = _csv(out / f"dxreport-{PERIOD}-kpi.csv")
    assert len(kpi_rows) == 22
    for r in kpi_rows:
        v = e["kpis"][(r["基準月"], r["KPIID"])]
        assert r["KPIの値"] == shown(v) and r["評価"] == grade_of(v) and r["算定方法"] == names[e["methods"][r["KPIID"]]], r
    doc = json.loads((out / f"dxreport-{PERIOD}-kpi.json").read_text(encoding="utf-8"))
    assert [(d["KPIID"], d["KPIの値"], d["評価"]) for d in doc["データ"]] == [
        (r["KPIID"], float(r["KPIの値"]), r["評価"]) for r in kpi_rows]
    assert [c["名前"] for c in doc["列"]][-2:] == ["算定方法", "評価"]
    # The KPI's value is defined by the method column, not as a simple mean.
    assert "列「算定方法」の方法で算定" in next(c["説明"] for c in doc["列"] if c["名前"] == "KPIの値")
    weights = {i["id"]: str(i.get("weight", "")) for k, inds in _kpis(e) for i in inds}
    rows = _csv(out / f"dxreport-{PERIOD}.csv")
    assert len(rows) == 2 * 34
    for r in rows:
        rate = e["rates"][(r["基準月"], r["指標ID"])]
        assert r["達成率"] == ("" if rate is None else shown(rate)), r
        assert r["評価"] == (grade_of(rate) or "") and r["重み"] == weights[r["指標ID"]], r
    doc = json.loads((out / f"dxreport-{PERIOD}.json").read_text(encoding="utf-8"))
    assert {d["指標ID"]: d["重み"] for d in doc["データ"] if d["重み"] is not None} == {"dx-consult": 1, "dx-hr-share": 0.5,
                                                                                      "dx-strategy": 1.5, "dx-seminar": 1}
    columns = _csv(out / f"dxreport-{PERIOD}-columns.csv")
    assert {(c["ファイル"], c["列名"]) for c in columns} >= {(f"dxreport-{PERIOD}.csv", "重み"), (f"dxreport-{PERIOD}-kpi.csv", "算定方法")}


def test_libreoffice_recalculates_every_method_to_the_printed_kpi(pack, tmp_path: Path):
    from test_verify import _recalculated, _same

    from dxreport.render import kensan

    root, e, out = pack
    wb = _recalculated((out / f"dxreport-{PERIOD}-kensan.xlsx").read_bytes(), tmp_path)
    ws, ks = wb[kensan.RATE_SHEET], wb[kensan.KPI_SHEET]
    order = [i["id"] for _k, inds in _kpis(e) for i in inds]
    for n, ident in enumerate(order):
        r = kensan.FIRST_ROW + n
        assert ws[f"C{r}"].value == ident
        assert ws[f"R{r}"].value == "OK" and ws[f"L{r}"].value == "OK"
    methods = {"mean": "単純平均", "weighted": "加重平均", "share-achieved": "目標達成指標の割合"}
    for n, (k, _inds) in enumerate(_kpis(e)):
        r = kensan.FIRST_ROW + n
        now, before = e["kpis"][(PERIOD, k["id"])], e["kpis"][(PREVIOUS, k["id"])]
        assert ks[f"{kensan.K_METHOD}{r}"].value == methods[e["methods"][k["id"]]]
        # The KPI as LibreOffice computes it from the rate formulas, and as published.
        assert _same(ks[f"O{r}"].value, Decimal(str(float(now)))), (k["id"], ks[f"O{r}"].value, now)
        assert _same(ks[f"H{r}"].value, Decimal(str(float(before)))), (k["id"], ks[f"H{r}"].value, before)
        assert (ks[f"P{r}"].value, ks[f"I{r}"].value, ks[f"S{r}"].value) == ("OK", "OK", "OK"), k["id"]
    assert not [c.coordinate for sheet in (ws, ks) for row in sheet.iter_rows() for c in row if c.value == "NG"]


def test_the_sheets_formulas_follow_the_method(pack):
    import openpyxl

    from dxreport.render import kensan

    root, e, out = pack
    wb = openpyxl.load_workbook(out / f"dxreport-{PERIOD}-kensan.xlsx")
    ks = wb[kensan.KPI_SHEET]
    first = kensan.FIRST_ROW
    # industry-1 weighted over rows 5–8, industry-2 share achieved over rows 9–13, industry-3 a mean.
    assert ks[f"M{first}"].value == "=SUMPRODUCT('達成率'!S5:S8,'達成率'!Q5:Q8)"
    assert ks[f"N{first}"].value == "=SUMPRODUCT('達成率'!S5:S8,ISNUMBER('達成率'!Q5:Q8)*1)"
    assert ks[f"M{first + 1}"].value == "=COUNTIF('達成率'!Q9:Q13,\">=100\")*100"
    assert ks[f"N{first + 1}"].value == "=COUNT('達成率'!Q9:Q13)"
    assert ks[f"M{first + 2}"].value.startswith("=SUM('達成率'!Q14:")
    # The published numerator and denominator: Σw·rate = 218.6 over Σw = 4 (54.65 → 54.7); 2 achieved of 3.
    assert (ks[f"J{first}"].value, ks[f"K{first}"].value, ks[f"L{first}"].value) == (218.6, 4, 54.7)
    assert (ks[f"J{first + 1}"].value, ks[f"K{first + 1}"].value, ks[f"L{first + 1}"].value) == (200, 3, 66.7)
    assert [wb[kensan.RATE_SHEET][f"S{r}"].value for r in range(5, 10)] == [1, 0.5, 1.5, 1, None]


# ---------------------------------------------------------------- validate explains


def _line(path: Path, needle: str, after: str | None = None) -> int:
    """The 1-based line of the first ``needle`` (after the first ``after``)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, x in enumerate(lines) if x.strip() == after) if after else 0
    return next(n for n, x in enumerate(lines[start:], start=start + 1) if x.strip() == needle)


def _errors(root: Path) -> list[str]:
    from test_bad_input import fails

    return fails(str(root))


def _kpi_edit(change):
    def edit(data):
        change(data["fields"][0]["kpis"], data)
    return edit


def _drop_weight(kpis, data):
    del kpis[0]["indicators"][1]["weight"]


def test_a_weighted_kpi_with_an_unweighted_indicator(tmp_path: Path):
    root = make_dataset(tmp_path)
    edit_yaml(root / "plan.yaml", _kpi_edit(_drop_weight))
    (line,) = _errors(root)
    n = _line(root / "plan.yaml", "- id: dx-hr-share")
    assert line == (f"error: {root / 'plan.yaml'}:{n}: fields.0.kpis.0.indicators.1: KPI 'industry-1' is a weighted mean "
                    "(scoring: weighted), but indicator 'dx-hr-share' has no weight: give it 'weight:' (a number greater than 0)")


@pytest.mark.parametrize("weight", [0, -1.5])
def test_a_weight_that_is_not_positive(tmp_path: Path, weight):
    root = make_dataset(tmp_path)
    edit_yaml(root / "plan.yaml", _kpi_edit(lambda kpis, data: kpis[0]["indicators"][2].__setitem__("weight", weight)))
    (line,) = _errors(root)
    n = _line(root / "plan.yaml", f"weight: {weight}")
    assert line == f"error: {root / 'plan.yaml'}:{n}: fields.0.kpis.0.indicators.2.weight: '{weight}' is too small: it must be greater than 0"


def test_a_weight_on_a_kpi_that_is_not_weighted(tmp_path: Path):
    root = make_dataset(tmp_path)
    edit_yaml(root / "plan.yaml", _kpi_edit(lambda kpis, data: kpis[2]["indicators"][0].__setitem__("weight", 2)))
    (line,) = _errors(root)
    n = _line(root / "plan.yaml", "weight: 2", after="- id: women-digital")
    assert line == (f"error: {root / 'plan.yaml'}:{n}: fields.0.kpis.2.indicators.0.weight: indicator 'women-digital' has a "
                    "weight, but KPI 'industry-3' is not a weighted mean: write 'scoring: weighted' on the KPI, or remove the weight")


def _grades(*steps):
    return lambda data: data.__setitem__("grades", [{"grade": g, "label": label, "min": m} for g, label, m in steps])


@pytest.mark.parametrize("steps, item, message", [
    ([("A", "達成", 100), ("B", "概ね順調", 100), ("C", "遅れ", 0)], 1,
     "grades.1.min: grade 'B' starts at 100%, as grade 'A' does: the two overlap; give each grade its own lower bound"),
    ([("A", "達成", 70), ("B", "概ね順調", 100), ("C", "遅れ", 0)], 1,
     "grades.1.min: grade 'B' starts at 100%, above grade 'A' (70%) listed before it: list the grades from the highest to the lowest"),
    ([("A", "達成", 100), ("B", "概ね順調", 70), ("C", "遅れ", 30)], 2,
     "grades.2.min: rates below 30% have no grade: the last (lowest) grade must start at 0"),
    ([("A", "達成", 100), ("B", "概ね順調", 70), ("A", "遅れ", 0)], 2,
     "grades.2.grade: grade 'A' is already defined (grades item 1)"),
])
def test_a_grade_scale_with_a_gap_an_overlap_or_a_duplicate(tmp_path: Path, steps, item, message):
    root = make_dataset(tmp_path)
    edit_yaml(root / "plan.yaml", _grades(*steps))
    (line,) = _errors(root)
    plan = root / "plan.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines()
    items = [n for n, x in enumerate(lines, start=1) if x.startswith("- grade:")]  # each step's first line
    key = message.split(":", 1)[0].rsplit(".", 1)[1]
    n = items[item] if key == "grade" else next(
        n for n in range(items[item], len(lines) + 1) if lines[n - 1].strip() == f"min: {steps[item][2]}")
    assert line == f"error: {plan}:{n}: {message}"


def test_validate_explains_in_japanese_by_default(tmp_path: Path, monkeypatch):
    root = make_dataset(tmp_path)
    edit_yaml(root / "plan.yaml", _kpi_edit(_drop_weight))
    edit_yaml(root / "plan.yaml", _grades(("A", "達成", 100), ("B", "概ね順調", 70), ("C", "遅れ", 30)))
    monkeypatch.delenv("DXREPORT_LANG", raising=False)
    result = run("validate", str(root))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    plan = root / "plan.yaml"
    lines = result.stderr.splitlines()
    assert (f"エラー: {plan} {_line(plan, '- id: dx-hr-share')}行目 fields.0.kpis.0.indicators.1: KPI「industry-1」は加重平均"
            "（scoring: weighted）ですが、中間指標「dx-hr-share」に重みがありません。'weight:'（0より大きい数）を書いてください") in lines
    assert (f"エラー: {plan} {_line(plan, 'min: 30')}行目 grades.2.min: 30%未満の達成率に当たる評価がありません（すき間があります）。"
            "最後（最も低い）の評価の下限は 0 にしてください") in lines


def test_a_weighted_kpi_leaves_an_indicator_without_a_value_out_of_both_sums(tmp_path: Path):
    """dx-hr-share unpublished: (70.0×1 + 40.0×1.5 + 65.2×1) ÷ 3.5 = 55.77 → 55.8, in the
    model as printed and in the 検算表 as LibreOffice recomputes it."""
    from conftest import prepared, render_format
    from test_verify import _recalculated, _same

    from dxreport.render import kensan

    root = make_dataset(tmp_path)

    def unpublished(data):
        data["values"]["dx-hr-share"].update(value=None, absent="unpublished", note="未公表")

    edit_yaml(root / "periods" / f"{PERIOD}.yaml", unpublished)
    e = expected(root)
    now = e["kpis"][(PERIOD, "industry-1")]
    assert now == half_up(Fraction(700 + 600 + 652, 35)) == Fraction("55.8")
    model = prepared(root, PERIOD).job.pack
    table = next(t for t in model.appendix if t.kpi_id == "industry-1")
    assert table.kpi_row.current == f"{printed(now)}（{points(now - e['kpis'][(PREVIOUS, 'industry-1')])}）"
    assert "※ －の指標を除いた平均" in table.footnotes
    (data,) = render_format("kensan", model).values()
    ks = _recalculated(data, tmp_path)[kensan.KPI_SHEET]
    r = kensan.FIRST_ROW
    assert (ks[f"N{r}"].value, ks[f"P{r}"].value) == (3.5, "OK") and _same(ks[f"O{r}"].value, Decimal("55.8"))
