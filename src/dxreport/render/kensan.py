"""The verification sheet (検算表): every figure of the pack beside a live Excel
formula computing it again from the cells, so a checker sees Excel agree.

Sheet 達成率: per indicator and period, value ÷ target × 100, the same clamped to
0–100, rounded half up to one decimal (the published rate), then the formula
=ROUND(MIN(MAX(value/target*100,0),100),1) and whether the two agree. Excel's
ROUND rounds half away from zero, which is 四捨五入 for the (clamped, never
negative) rates.

Sheet KPI: per KPI and period the sum and count of its published rates and their
mean (the KPI), each beside SUM/COUNT/ROUND formulas over the rate formulas, and
the 前期差 beside its formula. A KPI scored otherwise (DataRecord.scoring) is
recomputed as ROUND(numerator ÷ denominator, 1) too: a weighted mean from
SUMPRODUCT over the weights (column S of 達成率, in a plan with a weighted KPI),
the share achieved from COUNTIF(rates, ">=100") × 100 over COUNT; the sheet then
names each KPI's method (column T). A plan of simple means prints as it always did.

The bytes are deterministic: the workbook's dates come from the pack's date and
the zip is rewritten with fixed timestamps.
"""

from __future__ import annotations

from decimal import Decimal

from dxreport.japanese import numbers
from dxreport.model.pack import DataRecord, OpenData
from dxreport.render.job import RenderJob
from dxreport.stablezip import stable_workbook

RATE_SHEET = "達成率"
KPI_SHEET = "KPI"
HEADER_ROW = 4  # rows 1–3: title and how to read the sheet
FIRST_ROW = HEADER_ROW + 1

# 達成率 columns
C_FIELD, C_KPI, C_ID, C_NAME, C_UNIT, C_TARGET = "A", "B", "C", "D", "E", "F"
# per period: value, ÷target×100, clamped, rounded (published), formula, check
PREV_COLS = ("G", "H", "I", "J", "K", "L")
CUR_COLS = ("M", "N", "O", "P", "Q", "R")
# KPI columns: field, KPI, then per period sum, count, KPI, Σ formula, count formula, KPI formula, check; then 前期差
K_PREV = ("C", "D", "E", "F", "G", "H", "I")
K_CUR = ("J", "K", "L", "M", "N", "O", "P")
K_DIFF = ("Q", "R", "S")  # published 前期差, formula, check
C_WEIGHT = "S"  # 達成率: an indicator's weight, in a plan with a weighted KPI
K_METHOD = "T"  # KPI: how the KPI is scored, in a plan with KPIs scored otherwise than by the simple mean

# How each way of scoring a KPI (DataRecord.scoring) is recomputed: the KPI is
# ROUND(numerator ÷ denominator, 1), the numerator and the denominator formulas
# over the rate formulas (rates) and the weights.
METHODS = {
    "mean": ("単純平均", "=SUM({rates})", "=COUNT({rates})"),
    "weighted": ("加重平均", "=SUMPRODUCT({weights},{rates})", "=SUMPRODUCT({weights},ISNUMBER({rates})*1)"),
    "share-achieved": ("目標達成指標の割合", '=COUNTIF({rates},">=100")*100', "=COUNT({rates})"),
}
METHODS_NOTE = ("KPI = ROUND(分子 ÷ 分母, 1)。単純平均：分子 = 達成率(四捨五入後)の合計、分母 = 個数。"
                "加重平均：分子 = 重み × 達成率の合計、分母 = 達成率のある指標の重みの合計。"
                "目標達成指標の割合：分子 = 達成率100.0%の指標の数 × 100、分母 = 達成率のある指標の数。前期差 = 今期 − 前期")


def _numerator(method: str, rates: list[Decimal], weights: list[Decimal | None]) -> tuple[Decimal, Decimal]:
    """The published numerator and denominator of a KPI from its known rates (and their weights)."""
    if method == "weighted":
        return (sum((w * r for w, r in zip(weights, rates)), numbers.ZERO),  # type: ignore[operator]
                sum((w for w in weights), numbers.ZERO))  # type: ignore[misc]
    if method == "share-achieved":
        return Decimal(sum(1 for r in rates if r >= numbers.HUNDRED)) * numbers.HUNDRED, Decimal(len(rates))
    return sum(rates, numbers.ZERO), Decimal(len(rates))
# A plan with indicators measured otherwise (falling, yearly milestones, reference):
# after the columns above, each indicator's direction, base and the goal each
# period's rate is measured against; the rate formulas take the goal from here.
C_DIRECTION, C_BASE, C_PREV_GOAL, C_CUR_GOAL = "T", "U", "V", "W"  # after the weight (S)
INDICATOR_METHODS_NOTE = ("方向がdownの指標(減少をめざす)の達成率 = (基準値 − 値) ÷ (基準値 − 目標) × 100。"
                "目標は各期の達成率の目標(年度目標があればその期の年度の目標)。参考指標は達成率を計算しない。")


def _num(v: Decimal | None):
    """A cell value: int when whole, float otherwise (xlsx stores doubles)."""
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() else float(v)


def _rate_formula(value: str, target: str) -> str:
    return f'=IF({value}="","",ROUND(MIN(MAX({value}/{target}*100,0),100),1))'


def _falling_formula(value: str, base: str, goal: str) -> str:
    return f'=IF({value}="","",ROUND(MIN(MAX(({base}-{value})/({base}-{goal})*100,0),100),1))'


def _check_formula(published: str, formula: str) -> str:
    return f'=IF(AND({published}="",{formula}=""),"OK",IF({published}={formula},"OK","NG"))'


def _steps(value: Decimal | None, target: Decimal | None,
           base: Decimal | None = None) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    if value is None or target is None:
        return None, None, None
    raw = (value / target if base is None else (base - value) / (base - target)) * numbers.HUNDRED
    clamped = min(max(raw, numbers.ZERO), numbers.HUNDRED)
    return raw, clamped, numbers.round_half_up(clamped)


def _import_openpyxl() -> None:
    """openpyxl, imported without numpy when numpy is not loaded yet.

    openpyxl imports numpy, if installed, only to accept numpy numbers in cells,
    which this sheet never has. In the two-process build this process has no other
    use for numpy, and importing it would cost about 0.08 s of the build's critical
    path. (A None entry in sys.modules makes an import fail; it is removed at once,
    so a later ``import numpy`` (matplotlib's, in a one-process build) works as usual.)
    """
    import sys

    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]
    try:
        import openpyxl  # noqa: F401
        import openpyxl.writer.excel  # noqa: F401
    finally:
        del sys.modules["numpy"]


def _kpis(od: OpenData) -> list[tuple[DataRecord, list[DataRecord]]]:
    """Each KPI's record with its indicators' (the records come KPI first, then its indicators)."""
    out: list[tuple[DataRecord, list[DataRecord]]] = []
    for r in od.records:
        if r.kind == "kpi":
            out.append((r, []))
        else:
            out[-1][1].append(r)
    return out


def workbook(od: OpenData):
    _import_openpyxl()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    formula_fill = PatternFill("solid", fgColor="FFF2CC")
    prev_name = od.previous_period or "前期なし"
    cur_name = od.period

    wb = Workbook()
    ws = wb.active
    ws.title = RATE_SHEET
    ws["A1"] = f"{od.plan} 検算表 {cur_name}(前期 {prev_name})"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = ("達成率 = 値 ÷ 目標 × 100 を 0〜100 に収め、小数第1位に四捨五入。"
                "黄色の列は同じ計算をするExcelの式。一致がOKならdxreportの数値と式が同じ。")
    methods = {k.scoring for k, _i in _kpis(od)}
    weighted = "weighted" in methods
    if methods == {"mean"}:
        ws["A3"] = "値が空欄の指標(未入力・未公表・対象外)は計算しない。KPI = 達成率の合計 ÷ 個数 を四捨五入(KPIシート)。"
    else:
        ws["A3"] = "値が空欄の指標(未入力・未公表・対象外)は計算しない。KPIの算定方法と式はKPIシートのとおり。"
    if od.indicator_methods:
        ws["A3"] = f"{ws['A3'].value}{INDICATOR_METHODS_NOTE}"
    methods_ind = od.indicator_methods
    headers = {C_FIELD: "分野", C_KPI: "KPI", C_ID: "指標ID", C_NAME: "中間指標", C_UNIT: "単位", C_TARGET: "目標(A)"}
    for label, cols in ((prev_name, PREV_COLS), (cur_name, CUR_COLS)):
        for col, h in zip(cols, ("値", "値÷目標×100", "0〜100に収める", "達成率(四捨五入)", "Excelの式", "一致")):
            headers[col] = f"{label} {h}"
    if weighted:
        headers[C_WEIGHT] = "重み(加重平均のKPI)"
    if methods_ind:
        for col, h in ((C_DIRECTION, "方向"), (C_BASE, "基準値"), (C_PREV_GOAL, f"{prev_name} 達成率の目標"),
                       (C_CUR_GOAL, f"{cur_name} 達成率の目標")):
            headers[col] = h
    for col, h in headers.items():
        c = ws[f"{col}{HEADER_ROW}"]
        c.value, c.font, c.fill = h, bold, head_fill
        c.alignment = Alignment(wrap_text=True, vertical="top")

    kpi_ranges: list[tuple[DataRecord, list[DataRecord], int, int]] = []  # (KPI, its indicators, first row, last row)
    row = FIRST_ROW
    for k, indicators in _kpis(od):
        first = row
        for i in indicators:
            ws[f"{C_FIELD}{row}"] = i.field
            ws[f"{C_KPI}{row}"] = i.kpi
            ws[f"{C_ID}{row}"] = i.id
            ws[f"{C_NAME}{row}"] = i.name
            ws[f"{C_UNIT}{row}"] = i.unit
            ws[f"{C_TARGET}{row}"] = _num(i.exact_target)
            if i.weight is not None:
                ws[f"{C_WEIGHT}{row}"] = _num(i.weight)
            if methods_ind:
                ws[f"{C_DIRECTION}{row}"] = i.direction + ("(参考指標)" if i.reference else "")
                ws[f"{C_BASE}{row}"] = _num(i.exact_base)
            for value, published, cols, goal, goal_col in (
                    (i.previous_exact, i.previous_rate, PREV_COLS, i.previous_exact_goal, C_PREV_GOAL),
                    (i.current_exact, i.current_rate, CUR_COLS, i.current_exact_goal, C_CUR_GOAL)):
                if cols is PREV_COLS and od.previous_period is None:
                    continue
                v, r, cl, pub, fo, ok = (f"{c}{row}" for c in cols)
                if methods_ind:
                    ws[f"{goal_col}{row}"] = _num(goal)
                    if i.reference:  # no rate: nothing to compute, nothing in the KPI's SUM and COUNT
                        ws[v] = _num(value)
                        ws[ok] = "参考"
                        continue
                    raw, clamped, rounded = _steps(value, goal, i.exact_base)
                else:
                    raw, clamped, rounded = _steps(value, i.exact_target)
                assert rounded == published, (i.id, rounded, published)
                ws[v] = _num(value)
                ws[r] = _num(raw)
                ws[r].number_format = "0.0000"
                ws[cl] = _num(clamped)
                ws[cl].number_format = "0.0000"
                ws[pub] = _num(published)
                ws[pub].number_format = "0.0"
                if not methods_ind:
                    ws[fo] = _rate_formula(v, f"{C_TARGET}{row}")
                elif i.exact_base is not None:
                    ws[fo] = _falling_formula(v, f"{C_BASE}{row}", f"{goal_col}{row}")
                else:
                    ws[fo] = _rate_formula(v, f"{goal_col}{row}")
                ws[fo].number_format = "0.0"
                ws[fo].fill = formula_fill
                ws[ok] = _check_formula(pub, fo)
            row += 1
        kpi_ranges.append((k, indicators, first, row - 1))
    ws.freeze_panes = f"E{FIRST_ROW}"
    for col, width in ((C_FIELD, 14), (C_KPI, 28), (C_ID, 18), (C_NAME, 44)):
        ws.column_dimensions[col].width = width

    ks = wb.create_sheet(KPI_SHEET)
    if methods == {"mean"}:
        ks["A1"] = "KPI = 中間指標の達成率(四捨五入後)の単純平均、小数第1位に四捨五入。前期差 = 今期 − 前期"
    else:
        ks["A1"] = METHODS_NOTE
    parts = ("達成率の合計", "個数", "KPI", "合計の式", "個数の式") if methods == {"mean"} else ("分子", "分母", "KPI", "分子の式", "分母の式")
    ks["A1"].font = bold
    ks["A2"] = "合計・個数・KPIの右の黄色の列は、達成率シートのExcelの式の列から計算し直したもの。"
    kheaders = {"A": "分野", "B": "KPI"}
    for label, cols in ((prev_name, K_PREV), (cur_name, K_CUR)):
        for col, h in zip(cols, (*parts, "KPIの式", "一致")):
            kheaders[col] = f"{label} {h}"
    for col, h in zip(K_DIFF, ("前期差(ポイント)", "前期差の式", "一致")):
        kheaders[col] = h
    if methods != {"mean"}:
        kheaders[K_METHOD] = "算定方法"
    for col, h in kheaders.items():
        c = ks[f"{col}{HEADER_ROW}"]
        c.value, c.font, c.fill = h, bold, head_fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
    krow = FIRST_ROW
    for k, indicators, first, last in kpi_ranges:
        ks[f"A{krow}"] = k.field
        ks[f"B{krow}"] = k.kpi
        label, numerator, denominator = METHODS[k.scoring]
        if methods != {"mean"}:
            ks[f"{K_METHOD}{krow}"] = label
        for rates, published, cols, rcols in (
            ([i.previous_rate for i in indicators], k.previous, K_PREV, PREV_COLS),
            ([i.current_rate for i in indicators], k.current, K_CUR, CUR_COLS),
        ):
            if cols is K_PREV and od.previous_period is None:
                continue
            known = [r for r in rates if r is not None]
            weights = [i.weight for i, r in zip(indicators, rates) if r is not None]
            s, n, kpi, fs, fn, fk, ok = (f"{c}{krow}" for c in cols)
            top, bottom = _numerator(k.scoring, known, weights)
            ks[s] = _num(top) if known else None
            ks[s].number_format = "0.0"
            ks[n] = _num(bottom)
            ks[kpi] = _num(published)
            ks[kpi].number_format = "0.0"
            span = f"'{RATE_SHEET}'!{rcols[4]}{first}:{rcols[4]}{last}"
            weight_span = f"'{RATE_SHEET}'!{C_WEIGHT}{first}:{C_WEIGHT}{last}"
            ks[fs] = numerator.format(rates=span, weights=weight_span)
            ks[fs].number_format = "0.0"
            ks[fn] = denominator.format(rates=span, weights=weight_span)
            ks[fk] = f'=IF({fn}=0,"",ROUND({fs}/{fn},1))'
            ks[fk].number_format = "0.0"
            for c in (fs, fn, fk):
                ks[c].fill = formula_fill
            ks[ok] = _check_formula(kpi, fk)
        d, fd, ok = (f"{c}{krow}" for c in K_DIFF)
        ks[d] = _num(k.diff)
        ks[d].number_format = "+0.0;-0.0;0.0"
        if od.previous_period is not None:
            now, before = f"{K_CUR[5]}{krow}", f"{K_PREV[5]}{krow}"
            ks[fd] = f'=IF(OR({now}="",{before}=""),"",ROUND({now}-{before},1))'
            ks[fd].number_format = "+0.0;-0.0;0.0"
            ks[fd].fill = formula_fill
            ks[ok] = _check_formula(d, fd)
        krow += 1
    ks.column_dimensions["A"].width = 14
    ks.column_dimensions["B"].width = 34
    ks.freeze_panes = f"C{FIRST_ROW}"
    return wb


def render(job: RenderJob) -> dict[str, bytes]:
    """The workbook, the same bytes for the same figures and date."""
    od, date = job.pack.open_data, job.pack.meta.date
    assert od is not None, "the pack model carries no figures"
    _import_openpyxl()
    return {f"{job.stem}-kensan.xlsx": stable_workbook(workbook(od), date, f"検算表 {od.period}")}
