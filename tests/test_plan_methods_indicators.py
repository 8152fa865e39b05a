"""Indicators a plan defines otherwise than value ÷ target (issue 21): falling
indicators measured from a base, yearly milestones, reference indicators.

Every figure is computed here independently, from the YAML alone, with
``fractions.Fraction`` and 四捨五入 (ROUND_HALF_UP), and compared with every
place it is printed: the PDF's appendix tables and tiles, the Word draft's
tables (content controls included), the web pages, the open data and the
検算表 as LibreOffice recalculates it. The shipped example hits the rounding
edges (x.x5) of each method; a variant of it, made here, hits others (the next
later milestone, the final target after the last milestone, a clamp at 100).
"""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import DATA, run

EXAMPLE = DATA / "example"
PERIOD, PREVIOUS = "2026-09", "2026-03"
MISSING = "－"


# ---------------------------------------------------------------- the figures, from the YAML alone


def _load(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _fr(v) -> Fraction:
    return Fraction(str(v))


def _half_up(x: Fraction, places: int = 1) -> Decimal:
    """四捨五入 of an exact fraction: Decimal's ROUND_HALF_UP on its exact decimal
    expansion (to two more places than needed, then the tie decided on the exact remainder)."""
    scaled = x * 10 ** places
    floor = math.floor(scaled)
    rest = scaled - floor
    digits = Decimal(floor) + (Decimal("0.5") if rest == Fraction(1, 2) else Decimal("0.9") if rest > Fraction(1, 2) else Decimal(0))
    return (digits.quantize(Decimal(1), rounding=ROUND_HALF_UP) / Decimal(10 ** places)).quantize(Decimal(1).scaleb(-places))


def _fiscal_year(period: str) -> int:
    year, month = (int(x) for x in period.split("-"))
    return year if month >= 4 else year - 1


def _goal(ind: dict, period: str) -> tuple[Fraction, int | None]:
    fy = _fiscal_year(period)
    later = sorted(int(y) for y in (ind.get("milestones") or {}) if int(y) >= fy)
    if later:
        return _fr(ind["milestones"][later[0]]), later[0]
    return _fr(ind["target"]), None


def _raw_rate(ind: dict, value, period: str) -> Fraction | None:
    if ind.get("reference") or value is None:
        return None
    goal, _year = _goal(ind, period)
    v = _fr(value)
    if ind.get("direction") == "down":
        base = _fr(ind["base"])
        raw = (base - v) / (base - goal) * 100
    else:
        raw = v / goal * 100
    return min(max(raw, Fraction(0)), Fraction(100))


def expected(root: Path) -> dict:
    plan = _load(root / "plan.yaml")
    values = {p: _load(root / "periods" / f"{p}.yaml")["values"] for p in (PREVIOUS, PERIOD)}
    inds, kpis = {}, {}
    for field in plan["fields"]:
        for kpi in field["kpis"]:
            rates = {p: [] for p in values}
            weights = {p: [] for p in values}
            for ind in kpi["indicators"]:
                row = {"ind": ind, "raw": {}, "rate": {}}
                for p in values:
                    raw = _raw_rate(ind, values[p][ind["id"]]["value"], p)
                    row["raw"][p] = raw
                    row["rate"][p] = None if raw is None else _half_up(raw)
                    if not ind.get("reference") and row["rate"][p] is not None:
                        rates[p].append(row["rate"][p])
                        weights[p].append(Fraction(str(ind.get("weight", 1))))
                inds[ind["id"]] = row
            # The KPI by its scoring (the simple mean unless the plan says otherwise), from the published rates.
            scoring = kpi.get("scoring", "mean")

            def scored(rs, ws):
                if not rs:
                    return None
                if scoring == "weighted":
                    return _half_up(sum((Fraction(r) * w for r, w in zip(rs, ws)), Fraction(0)) / sum(ws, Fraction(0)))
                if scoring == "share-achieved":
                    return _half_up(Fraction(100 * sum(1 for r in rs if r >= 100), len(rs)))
                return _half_up(sum((Fraction(r) for r in rs), Fraction(0)) / len(rs))

            means = {p: scored(rates[p], weights[p]) for p in values}
            kpis[kpi["id"]] = {"name": kpi["name"], "value": means,
                               "diff": means[PERIOD] - means[PREVIOUS], "count": len(kpi["indicators"]),
                               "scored": sum(1 for i in kpi["indicators"] if not i.get("reference")),
                               # the 検算表's denominator: the weights of the rates, or their number
                               "denominator": (sum(weights[PERIOD], Fraction(0)) if scoring == "weighted" else len(rates[PERIOD]))}
    return {"plan": plan, "indicators": inds, "kpis": kpis}


def _grades() -> list[tuple[str, Decimal]]:
    """The example plan's grade scale, read here: (grade, lower bound), highest first."""
    plan = _load(EXAMPLE / "plan.yaml")
    return [(g["grade"], Decimal(str(g["min"]))) for g in plan.get("grades", [])]


def pct(rate: Decimal | None) -> str:
    """A rate as printed: with its grade, where the plan grades."""
    if rate is None:
        return MISSING
    grade = next((g for g, low in _grades() if rate >= low), None)
    return f"{rate:.1f}%" + (f"（{grade}）" if grade else "")


def points(diff: Decimal) -> str:
    return f"{'+' if diff > 0 else '▲' if diff < 0 else '±'}{abs(diff):.1f}ポイント"


def _number(v, decimals: int, unit: str) -> str:
    return f"{_half_up(_fr(v), decimals):,.{decimals}f}{unit}"


def target_lines(ind: dict, e: dict) -> list[str]:
    """What the appendix's target cell should say, line by line."""
    places = ind.get("target_decimals", ind.get("decimals", 0))
    unit = ind.get("unit", "")
    if ind.get("reference"):
        return ([_number(ind["target"], places, unit)] if ind.get("target") is not None else []) + ["（参考）"]
    lines = []
    used = []
    for p in (PREVIOUS, PERIOD):
        goal, year = _goal(ind, p)
        if year is not None and (goal, year) not in used:
            used.append((goal, year))
    for goal, year in used:
        lines += [_number(goal, places, unit), f"（{year}年度）"]
    lines.append(f"最終 {_number(ind['target'], places, unit)}" if lines else _number(ind["target"], places, unit))
    if ind.get("direction") == "down":
        lines.append(f"基準 {_number(ind['base'], places, unit)}")
        if ind.get("base_note"):
            lines.append(f"（{ind['base_note']}）")
    return lines


# ---------------------------------------------------------------- the datasets and their packs


def variant(tmp: Path) -> Path:
    """The example with other edges: a falling rate of 96.25 and 37.5, a period
    measured against the next later milestone (no milestone of its own 年度),
    one against the final target after the last milestone, a rate clamped at 100."""
    root = tmp / "variant"
    shutil.copytree(EXAMPLE, root)
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    for old, new in (
        ("            base: 45\n", "            base: 80\n"),
        ("            base: 12\n", "            base: 12\n"),
        ("            target: 6\n", "            target: 4\n"),
        ("milestones: {2025: 1000, 2026: 2000, 2027: 3000}", "milestones: {2026: 800, 2027: 3000}"),
        ("milestones: {2025: 30, 2026: 40, 2027: 50}", "milestones: {2025: 30}"),
    ):
        assert old in text, old
        text = text.replace(old, new)
    plan.write_text(text, encoding="utf-8")
    cur = root / "periods" / f"{PERIOD}.yaml"
    text = cur.read_text(encoding="utf-8")
    for old, new in (("waiting-children: {value: 19,", "waiting-children: {value: 3,"),
                     ("traffic-deaths: {value: 8,", "traffic-deaths: {value: 9,")):
        assert old in text, old
        text = text.replace(old, new)
    cur.write_text(text, encoding="utf-8")
    prev = root / "periods" / f"{PREVIOUS}.yaml"
    text = prev.read_text(encoding="utf-8").replace("traffic-deaths: {value: 13,", "traffic-deaths: {value: 11,")
    prev.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=["example", "variant"])
def pack(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    root = EXAMPLE if request.param == "example" else variant(tmp)
    out = tmp / "out"
    result = run("build", str(root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return root, out, expected(root)


def test_the_datasets_hit_the_rounding_edges(tmp_path):
    """The shipped example's rates sit on x.x5 for each method (half up, not half to even)."""
    e = expected(EXAMPLE)
    edges = {(i, p) for i, row in e["indicators"].items() for p, raw in row["raw"].items()
             if raw is not None and (raw * 100) % 10 == 5 and (raw * 100).denominator == 1}
    ids = {i for i, _p in edges}
    assert {"counter-wait", "childcare-e-apply", "online-share", "convenience-store", "genai-use", "disaster-app"} <= ids
    assert e["indicators"]["counter-wait"]["rate"][PERIOD] == Decimal("40.5")  # falling: 40.45
    assert e["indicators"]["childcare-e-apply"]["rate"][PERIOD] == Decimal("67.9")  # milestone: 67.85
    assert e["indicators"]["online-share"]["rate"][PERIOD] == Decimal("83.3")  # milestone: 83.25
    assert e["indicators"]["traffic-deaths"]["rate"][PREVIOUS] == Decimal("0.0")  # above its base: clamped
    assert e["kpis"]["living-2"]["value"][PREVIOUS] == Decimal("16.5")  # the KPI's mean: 16.45
    assert e["indicators"]["childcare-app"]["rate"][PERIOD] is None
    v = expected(variant(tmp_path))
    assert v["indicators"]["waiting-children"]["rate"][PERIOD] == Decimal("96.3")  # (80 − 3) ÷ 80: 96.25
    assert v["indicators"]["childcare-e-apply"]["rate"][PREVIOUS] == Decimal("91.6")  # 733 ÷ 800 (2026's milestone)
    assert v["indicators"]["childcare-e-apply"]["rate"][PERIOD] == Decimal("100.0")  # clamped
    assert v["indicators"]["online-share"]["rate"][PERIOD] == Decimal("55.5")  # the final target after the last milestone


def _pdf_tables(path: Path) -> list[list[list[str | None]]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [t for page in pdf.pages for t in page.extract_tables()], "\n".join(p.extract_text() or "" for p in pdf.pages)


def _rows_by_name(tables, e) -> dict[str, list[str]]:
    names = {row["ind"]["name"]: i for i, row in e["indicators"].items()}
    found = {}
    for t in tables:
        for row in t:
            cells = [(c or "").strip() for c in row]
            if cells and cells[0].replace("\n", "") in names:
                found[names[cells[0].replace("\n", "")]] = cells
    return found


def _kpi_rows(tables) -> list[list[str]]:
    return [[(c or "").strip() for c in row] for t in tables for row in t if row and (row[0] or "").startswith("KPI（")]


def test_pdf_prints_every_rate_target_and_kpi(pack):
    root, out, e = pack
    tables, text = _pdf_tables(out / f"dxreport-{PERIOD}.pdf")
    rows = _rows_by_name(tables, e)
    assert set(rows) == set(e["indicators"])
    for ident, row in e["indicators"].items():
        cells = rows[ident]
        assert cells[1].split("\n") == target_lines(row["ind"], e), ident
        # (in the narrow rate column a grade may go under its rate: 100.0% / （A）)
        assert cells[3].replace("\n", "") == pct(row["rate"][PREVIOUS]), ident
        assert cells[5].replace("\n", "") == pct(row["rate"][PERIOD]), ident
    kpi_rows = _kpi_rows(tables)
    assert len(kpi_rows) == len(e["kpis"])
    for k, cells in zip(e["kpis"].values(), kpi_rows):
        assert cells[3] == pct(k["value"][PREVIOUS])
        assert cells[4] == f"{pct(k['value'][PERIOD])}（{points(k['diff'])}）"
        # the tiles (dashboards and appendix) print the KPI and its 前期差
        assert f"{pct(k['value'][PERIOD])}" in text and f"前期差 {points(k['diff'])}" in text
    assert "※ （参考）の指標は参考指標で、達成率を計算せず、KPIの平均に含めていません。" in text
    assert "（基準－値）÷（基準－目標値）×100" in text


def _cell_text(cell) -> str:
    """A cell's text with its changes accepted: the renderer's layout breaks (docx_lines) are not text."""
    from docx.oxml.ns import qn

    from conftest import is_layout_break

    out = []
    for el in cell._tc.iter():
        if el.tag == qn("w:p") and out:
            out.append("\n")
        elif el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag in (qn("w:br"), qn("w:cr")) and not is_layout_break(el) and not any(a.tag == qn("w:del") for a in el.iterancestors()):
            out.append("\n")
    return "".join(out).strip()


def test_word_draft_prints_every_rate_target_and_kpi(pack):
    import docx

    root, out, e = pack
    doc = docx.Document(str(out / f"dxreport-{PERIOD}.docx"))
    names = {row["ind"]["name"]: i for i, row in e["indicators"].items()}
    seen, kpi_rows = {}, []
    for table in doc.tables:
        for row in table.rows:
            cells = []
            for c in row.cells:
                if not cells or c._tc is not cells[-1][0]._tc:
                    cells.append((c, _cell_text(c)))
            texts = [t for _c, t in cells]
            if texts and texts[0] in names:
                seen[names[texts[0]]] = texts
            elif texts and texts[0].startswith("KPI（"):
                kpi_rows.append(texts)
    assert set(seen) == set(e["indicators"])
    for ident, row in e["indicators"].items():
        texts = seen[ident]
        assert [x for x in texts[1].split("\n") if x] == target_lines(row["ind"], e), ident
        assert texts[3] == pct(row["rate"][PREVIOUS]) and texts[5] == pct(row["rate"][PERIOD]), (ident, texts)
    assert len(kpi_rows) == len(e["kpis"])
    for k, texts in zip(e["kpis"].values(), kpi_rows):
        assert pct(k["value"][PREVIOUS]) in texts
        assert f"{pct(k['value'][PERIOD])}（{points(k['diff'])}）" in texts


def test_web_pages_print_every_rate_target_and_kpi(pack):
    from bs4 import BeautifulSoup

    root, out, e = pack
    rows = {}
    kpi_rows = []
    for page in sorted((out / "html").glob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tr in soup.select("table.appendix-table tbody tr"):
            rows[tr["id"]] = [c.get_text("\n", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in soup.select("table.appendix-table tr.kpi-row"):
            kpi_rows.append([c.get_text("", strip=True) for c in tr.find_all(["th", "td"])])  # ▲ is a span of its own
    assert set(rows) == set(e["indicators"])
    for ident, row in e["indicators"].items():
        cells = rows[ident]
        assert cells[1].split("\n") == target_lines(row["ind"], e), ident
        assert cells[3] == pct(row["rate"][PREVIOUS]) and cells[5] == pct(row["rate"][PERIOD]), ident
    by_kpi = {tuple(r) for r in kpi_rows}
    for k in e["kpis"].values():
        assert any(pct(k["value"][PREVIOUS]) in r and f"{pct(k['value'][PERIOD])}（{points(k['diff'])}）" in r for r in by_kpi)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def _plain(d: Decimal | None) -> str:
    return "" if d is None else format(d, "f")


def test_open_data_carries_rates_directions_bases_and_milestones(pack):
    import json

    root, out, e = pack
    rows = _csv(out / f"dxreport-{PERIOD}.csv")
    assert len(rows) == 2 * len(e["indicators"])
    for r in rows:
        row = e["indicators"][r["指標ID"]]
        ind, period = row["ind"], r["基準月"]
        assert r["達成率"] == _plain(row["rate"][period]), (r["指標ID"], period)
        assert r["方向"] == ind.get("direction", "up")
        assert r["参考指標"] == ("true" if ind.get("reference") else "false")
        places = ind.get("target_decimals", ind.get("decimals", 0))
        assert r["基準値"] == ("" if ind.get("base") is None else _plain(_half_up(_fr(ind["base"]), places)))
        if ind.get("reference"):
            assert r["達成率の目標値"] == "" and r["年度目標の年度"] == ""
        else:
            goal, year = _goal(ind, period)
            assert r["達成率の目標値"] == _plain(_half_up(goal, places)) and r["年度目標の年度"] == ("" if year is None else str(year))
    doc = json.loads((out / f"dxreport-{PERIOD}.json").read_text(encoding="utf-8"))
    names = [c["名前"] for c in doc["列"]]  # the method's columns, then any the plan's scoring adds (重み)
    at = names.index("方向")
    assert names[at:at + 6] == ["方向", "基準値", "基準値の時点", "達成率の目標値", "年度目標の年度", "参考指標"]
    for r in doc["データ"]:
        rate = e["indicators"][r["指標ID"]]["rate"][r["基準月"]]
        assert (r["達成率"] is None) if rate is None else Decimal(str(r["達成率"])) == rate
    for r in _csv(out / f"dxreport-{PERIOD}-kpi.csv"):
        k = e["kpis"][r["KPIID"]]
        assert r["KPIの値"] == _plain(k["value"][r["基準月"]])
        assert r["中間指標の数"] == str(k["scored"])  # a reference indicator is not averaged
        if r["基準月"] == PERIOD:
            assert r["前期差"] == _plain(k["diff"])


def test_kensan_recalculated_by_libreoffice_equals_the_figures(pack, tmp_path):
    from test_verify import _recalculated

    from dxreport.render import kensan

    root, out, e = pack
    wb = _recalculated((out / f"dxreport-{PERIOD}-kensan.xlsx").read_bytes(), tmp_path)
    ws, ks = wb[kensan.RATE_SHEET], wb[kensan.KPI_SHEET]
    order = [i for i in e["indicators"]]
    for n, ident in enumerate(order):
        r = kensan.FIRST_ROW + n
        assert ws[f"C{r}"].value == ident
        row = e["indicators"][ident]
        for period, formula, check in ((PREVIOUS, "K", "L"), (PERIOD, "Q", "R")):
            rate = row["rate"][period]
            got = ws[f"{formula}{r}"].value
            if rate is None:
                assert got in (None, ""), (ident, got)
                assert ws[f"{check}{r}"].value == "参考"
            else:
                assert isinstance(got, (int, float)) and abs(got - float(rate)) < 1e-9, (ident, period, got, rate)
                assert ws[f"{check}{r}"].value == "OK"
    for n, k in enumerate(e["kpis"].values()):
        r = kensan.FIRST_ROW + n
        assert abs(ks[f"O{r}"].value - float(k["value"][PERIOD])) < 1e-9
        assert abs(ks[f"H{r}"].value - float(k["value"][PREVIOUS])) < 1e-9
        assert abs(ks[f"R{r}"].value - float(k["diff"])) < 1e-9
        assert ks[f"N{r}"].value == k["denominator"]
        assert ks[f"P{r}"].value == "OK" and ks[f"S{r}"].value == "OK"


# ---------------------------------------------------------------- validate explains a plan that does not add up


def _broken(tmp_path: Path, edits: list[tuple[str, str]]) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(EXAMPLE, root)
    plan = root / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    plan.write_text(text, encoding="utf-8")
    return root


def _line(root: Path, needle: str) -> int:
    lines = (root / "plan.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


CASES = [
    ("no-base", [("            base: 45\n            base_note: R5年4月1日\n", "")], "direction: down          #",
     "fields.0.kpis.0.indicators.0.direction",
     "a falling indicator (direction: down) needs its base value",
     "減少をめざす指標（direction: down）には基準値が必要です"),
    ("base-equals-target", [("            base: 12\n", "            base: 6\n")], "base: 6",
     "fields.0.kpis.1.indicators.0.base",
     "the base 6 equals the target: the rate (base − value) ÷ (base − target) would divide by zero",
     "基準値 6 が目標値と同じです"),
    ("base-below-target", [("            base: 32\n", "            base: 10\n")], "base: 10",
     "fields.1.kpis.0.indicators.0.base",
     "the base 10 is below the target (12): a falling indicator (direction: down) starts above its target",
     "基準値 10 が目標値（12）を下回っています"),
    ("milestone-after-the-plan", [("{2025: 30, 2026: 40, 2027: 50}", "{2025: 30, 2026: 40,\n              2029: 50}")], "2029: 50",
     "fields.1.kpis.0.indicators.1.milestones.2029",
     "the milestone year 2029 is outside the plan: its periods run from the fiscal year 2025 to the target year 2028",
     "年度目標の年度 2029 がプランの期間外です。期間は2025年度から目標年の2028年度までです"),
    ("milestone-before-the-periods", [("{2025: 1000, 2026: 2000, 2027: 3000}", "{2024: 500, 2026: 2000}")], "2024: 500",
     "fields.0.kpis.0.indicators.1.milestones.2024",
     "the milestone year 2024 is outside the plan",
     "年度目標の年度 2024 がプランの期間外です"),
    ("reference-with-milestones", [("            reference: true          # 参考指標: shown, no target, no rate, not in the KPI\n",
                                    "            reference: true\n            milestones: {2026: 6000}\n")], "milestones: {2026: 6000}",
     "fields.0.kpis.0.indicators.3.milestones",
     "a reference indicator (reference: true) has no rate, so it takes no milestones",
     "参考指標（reference: true）には達成率がないため、年度目標（milestones）は書けません"),
    ("rising-target-zero", [("            target: 120\n", "            target: 0  # rising\n")], "target: 0  # rising",
     "fields.0.kpis.0.indicators.2.target", "'0' is too small: it must be greater than 0", "「0」は使えません。0より大きい値を入力してください。"),
]


@pytest.mark.parametrize("name, edits, needle, field, english, japanese", CASES, ids=[c[0] for c in CASES])
def test_validate_explains_with_file_and_line(tmp_path, name, edits, needle, field, english, japanese):
    root = _broken(tmp_path, edits)
    line = _line(root, needle)
    result = run("validate", str(root))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"plan.yaml:{line}: {field}: {english}" in result.stderr, result.stderr
    # The default language (no DXREPORT_LANG): Japanese.
    env = {k: v for k, v in os.environ.items() if k not in ("DXREPORT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")}
    ja = subprocess.run([sys.executable, "-m", "dxreport", "validate", str(root)], capture_output=True, text=True,
                        env=dict(env, PYTHONIOENCODING="utf-8"), timeout=300)
    assert ja.returncode == 2
    assert f"plan.yaml {line}行目 {field}: {japanese}" in ja.stderr, ja.stderr


def test_a_target_of_zero_is_valid_only_for_a_falling_indicator():
    result = run("validate", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "target: 0" in (EXAMPLE / "plan.yaml").read_text(encoding="utf-8")
