"""Data entry in Excel: the input workbook of one period, and reading it back.

``export`` writes one sheet per field (the indicators: previous value and note
read-only and greyed, current value and note to fill), a sheet for the notice,
one for the case studies and one for the basic targets, plus a hidden sheet
naming the dataset folder and the period. ``import_`` reads a filled workbook
back into the period's YAML file with ruamel's round-trip loader, so comments and
layout survive: a value that did not change is not touched, and an export
followed by an import with no edits changes no file at all. Column J (未更新)
shows the values new-period carried over (``updated: false``); a changed value or
note, or clearing the cell, drops the mark.

A bad workbook (text in a number cell, a deleted or extra row, a renamed or
missing sheet, an unknown id, a formula, a merged cell) raises DatasetError with
one problem per mistake naming the sheet and cell, and nothing is written.
Workbooks are read with defusedxml installed, which openpyxl then uses against
XML bombs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from dxreport.stablezip import stable_workbook
from dxreport.japanese.period import YearMonth
from dxreport.source import dataset as ds_mod
from dxreport.source import yamlfile
from dxreport.i18n import _
from dxreport.errors import DatasetError, Problem, UserError
from dxreport.source.newperiod import dumper
from dxreport.source.schema import FIGURE_LIMIT

FORMAT = "dxreport-input-1"
META_SHEET = "_dxreport"
NOTICE_SHEET = "記者発表"
CASES_SHEET = "事例"
TARGETS_SHEET = "基本目標"
CASE_ROWS = 20  # empty rows offered for new case studies

IND_HEADERS = ("指標ID", "KPI", "中間指標", "単位", "目標値", "前期の値", "前期の時点", "今期の値", "今期の時点", "未更新")
IND_VALUE, IND_NOTE, IND_STALE = 8, 9, 10  # columns H, I and J
STALE = "未更新"  # J: the value was carried over by new-period (updated: false); clear it to confirm
NOTICE_HEADERS = ("キー", "項目", "内容")
NOTICE_KEYS = (
    ("date", "発表日"), ("department", "部"), ("division", "課"), ("group", "グループ"),
    ("contact", "担当者"), ("phone", "電話番号(直通)"), ("extension", "内線"),
    ("press_officer", "報道監"), ("url", "ホームページ"), ("body", "本文(段落ごとに改行)"),
    ("updates", "更新内容(1行に1つ)"),
)
NOTICE_LISTS = ("body", "updates")
NOTICE_REQUIRED = ("date", "department", "division", "contact", "phone", "body")
CASE_HEADERS = ("分野", "タイトル", "本文(1行に1項目)", "画像ファイル", "画像の説明")
CASE_KEYS = ("title", "bullets", "image", "image_alt")
TARGET_HEADERS = ("基本目標ID", "基本目標", "単位", "年度", "値")

GREY = "D9D9D9"
INPUT = "FFF9E5"
HEADER = "DDEBF7"


def sheet_title(name: str) -> str:
    bad = '[]:*?/\\'
    clean = "".join("・" if c in bad else c for c in name).strip("'") or "分野"
    return clean[:31]


def field_sheets(plan) -> dict[str, Any]:
    """Sheet name → field, in plan order; names made unique and never a fixed sheet's."""
    out: dict[str, Any] = {}
    taken = {META_SHEET, NOTICE_SHEET, CASES_SHEET, TARGETS_SHEET}
    for f in plan.fields:
        name = sheet_title(f.name)
        n = 2
        while name in taken:
            suffix = f"({n})"
            name = sheet_title(f.name)[: 31 - len(suffix)] + suffix
            n += 1
        taken.add(name)
        out[name] = f
    return out


def _years_for(bt_values, period: str) -> list[int]:
    fy = YearMonth.parse(period).fiscal_year
    known = set(bt_values.years) if bt_values is not None else set()
    return sorted(known | {fy - 1, fy})


# ---------------------------------------------------------------- export


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n")), default=0)


def _number(v: Decimal | None) -> int | Decimal | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() and v.as_tuple().exponent >= 0 else v


def export(dataset: str | None, period: str | None) -> tuple[bytes, str]:
    """The input workbook's bytes (the same for the same data) and its period."""
    from openpyxl import Workbook

    ds, chosen = ds_mod.load(dataset, period)
    per = ds.period(chosen)
    prev = ds.previous(chosen)
    wb = Workbook()
    wb.remove(wb.active)
    for name, f in field_sheets(ds.plan).items():
        _indicator_sheet(wb.create_sheet(name), f, per, prev)
    _notice_sheet(wb.create_sheet(NOTICE_SHEET), per)
    _cases_sheet(wb.create_sheet(CASES_SHEET), ds.plan, per)
    _targets_sheet(wb.create_sheet(TARGETS_SHEET), ds.plan, per)
    meta = wb.create_sheet(META_SHEET)
    # The dataset by its folder's name and its plan's name, never its path: the
    # workbook travels to other departments, and a path tells them a user's folders.
    for row in (("format", FORMAT), ("dataset", ds.root.resolve().name), ("plan", ds.plan.plan.name), ("period", chosen)):
        meta.append(row)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True

    date = per.notice.date if per.notice else YearMonth.parse(chosen).first_day
    wb.properties.subject = chosen
    wb.properties.keywords = f"{FORMAT} {ds.root.name} {chosen}"
    return stable_workbook(wb, date, f"{ds.plan.plan.name} {chosen} 入力用"), chosen


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="A6A6A6")
    return {
        "header": dict(font=Font(bold=True), fill=PatternFill("solid", fgColor=HEADER),
                       alignment=Alignment(vertical="center", wrap_text=True), border=Border(bottom=thin)),
        "locked": dict(fill=PatternFill("solid", fgColor=GREY), font=Font(color="404040"),
                       protection=Protection(locked=True), alignment=Alignment(vertical="top", wrap_text=True)),
        "input": dict(fill=PatternFill("solid", fgColor=INPUT), protection=Protection(locked=False),
                      alignment=Alignment(vertical="top", wrap_text=True)),
    }


def _put(ws, row: int, col: int, value: Any, style: dict, fmt: str | None = None):
    cell = ws.cell(row=row, column=col, value=value)
    for k, v in style.items():
        setattr(cell, k, v)
    if fmt:
        cell.number_format = fmt
    return cell


def _header(ws, headers: tuple[str, ...], widths: dict[int, int] | None = None) -> None:
    st = _styles()
    for col, h in enumerate(headers, 1):
        _put(ws, 1, col, h, st["header"])
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be changed
    ws.protection.formatRows = False


def _fit(ws, max_width: int = 60) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _width(cell.value))
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 8), max_width)


def _number_validation(ws, ref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="decimal", operator="between", formula1=str(-FIGURE_LIMIT + 1), formula2=str(FIGURE_LIMIT - 1),
                        allow_blank=True, showErrorMessage=True, errorTitle="数値ではありません",
                        error="数値を入力してください(数値がない場合は空欄)。")
    ws.add_data_validation(dv)
    dv.add(ref)


def _fmt(decimals: int) -> str:
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def _indicator_sheet(ws, f, per, prev) -> None:
    st = _styles()
    _header(ws, IND_HEADERS)
    row = 2
    for k in f.kpis:
        for ind in k.indicators:
            cur = per.values.get(ind.id)
            old = prev.values.get(ind.id) if prev else None
            _put(ws, row, 1, ind.id, st["locked"])
            _put(ws, row, 2, k.label or k.name, st["locked"])
            _put(ws, row, 3, ind.name, st["locked"])
            _put(ws, row, 4, ind.unit, st["locked"])
            _put(ws, row, 5, _number(ind.target), st["locked"], _fmt(ind.shown_target_decimals))
            _put(ws, row, 6, _number(old.value) if old else None, st["locked"], "General")
            _put(ws, row, 7, old.note if old else None, st["locked"], "@")
            _put(ws, row, IND_VALUE, _number(cur.value) if cur else None, st["input"], "General")
            _put(ws, row, IND_NOTE, (cur.note or None) if cur else None, st["input"], "@")
            _put(ws, row, IND_STALE, STALE if cur and not cur.updated else None, st["input"], "@")
            row += 1
    _fit(ws)
    if row > 2:
        from openpyxl.worksheet.datavalidation import DataValidation

        _number_validation(ws, f"H2:H{row - 1}")
        dv = DataValidation(type="list", formula1=f'"{STALE}"', allow_blank=True, showErrorMessage=True,
                            errorTitle=STALE, error=f"{STALE} と書くか空欄にしてください。")
        ws.add_data_validation(dv)
        dv.add(f"J2:J{row - 1}")


def _notice_sheet(ws, per) -> None:
    st = _styles()
    _header(ws, NOTICE_HEADERS)
    notice = per.notice
    for row, (key, label) in enumerate(NOTICE_KEYS, 2):
        value = getattr(notice, key) if notice else None
        if isinstance(value, list):
            value = "\n".join(value)
        _put(ws, row, 1, key, st["locked"])
        _put(ws, row, 2, label, st["locked"])
        _put(ws, row, 3, value or None, st["input"], "yyyy-mm-dd" if key == "date" else "@")
    _fit(ws, max_width=100)


def _cases_sheet(ws, plan, per) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    st = _styles()
    _header(ws, CASE_HEADERS)
    row = 2
    for f in plan.fields:
        for case in per.cases.get(f.id, []):
            _put(ws, row, 1, f.name, st["input"], "@")
            _put(ws, row, 2, case.title, st["input"], "@")
            _put(ws, row, 3, "\n".join(case.bullets) or None, st["input"], "@")
            _put(ws, row, 4, case.image, st["input"], "@")
            _put(ws, row, 5, case.image_alt or None, st["input"], "@")
            row += 1
    last = row + CASE_ROWS - 1
    for r in range(row, last + 1):
        for c in range(1, len(CASE_HEADERS) + 1):
            _put(ws, r, c, None, st["input"], "@")
    _fit(ws, max_width=80)
    names = ",".join(f.name.replace(",", "、") for f in plan.fields)
    if len(names) < 250:
        dv = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True, showErrorMessage=True,
                            errorTitle="分野", error="一覧から分野を選んでください。")
        ws.add_data_validation(dv)
        dv.add(f"A2:A{last}")


def _targets_sheet(ws, plan, per) -> None:
    st = _styles()
    fields = [f for f in plan.fields if any(f.id in bt.fields for bt in plan.basic_targets)]
    _header(ws, TARGET_HEADERS + tuple(f.name for f in fields))
    row = 2
    for bt in plan.basic_targets:
        values = per.basic_targets.get(bt.id)
        for year in _years_for(values, per.period):
            yv = values.year_value(year) if values else None
            _put(ws, row, 1, bt.id, st["locked"])
            _put(ws, row, 2, bt.name, st["locked"])
            _put(ws, row, 3, bt.unit, st["locked"])
            _put(ws, row, 4, year, st["locked"], "0")
            if bt.fields:
                _put(ws, row, 5, None, st["locked"])
            else:
                _put(ws, row, 5, _number(yv.value) if yv else None, st["input"], "General")
            for col, f in enumerate(fields, 6):
                if f.id in bt.fields:
                    _put(ws, row, col, _number(yv.fields.get(f.id)) if yv else None, st["input"], "General")
                else:
                    _put(ws, row, col, None, st["locked"])
            row += 1
    _fit(ws)
    if row > 2:
        from openpyxl.utils import get_column_letter

        _number_validation(ws, f"E2:{get_column_letter(max(5, 5 + len(fields)))}{row - 1}")


# ---------------------------------------------------------------- import


@dataclass
class _Reader:
    """Collects the problems of one workbook."""

    shown: str
    problems: list[Problem]

    def add(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(Problem(self.shown, None, f"{sheet}!{cell}" if cell else sheet, message))


def _open(path: Path, shown: str):
    from openpyxl import load_workbook

    if not path.is_file():
        raise DatasetError([Problem(shown, None, "", _("file does not exist"))])
    try:
        return load_workbook(path, data_only=False, rich_text=False)
    except Exception as e:  # noqa: BLE001 - a zip, XML or format error: not a workbook we can read
        raise DatasetError([Problem(shown, None, "", _("not a readable Excel workbook (.xlsx): {kind}: {error}").format(kind=type(e).__name__, error=e))]) from None


def workbook_info(path: Path) -> tuple[Path, str]:
    """The dataset folder and period the workbook names in its hidden sheet."""
    shown = ds_mod.shown(path)
    wb = _open(path, shown)
    return _meta(wb, shown, path)


def _meta_rows(wb, shown: str) -> dict[str, object]:
    if META_SHEET not in wb.sheetnames:
        raise DatasetError([Problem(shown, None, META_SHEET, _("hidden sheet missing: this is not a workbook written by dxreport export-xlsx"))])
    meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0] is not None}
    if meta.get("format") != FORMAT or not meta.get("dataset") or not meta.get("period"):
        raise DatasetError([Problem(shown, None, META_SHEET, _("hidden sheet does not name the format {FORMAT}, the dataset and the period").format(FORMAT=FORMAT))])
    return meta


def _meta(wb, shown: str, path: Path) -> tuple[Path, str]:
    meta = _meta_rows(wb, shown)
    return _find_dataset(str(meta["dataset"]), meta.get("plan"), path, shown), str(meta["period"])


def _find_dataset(name: str, plan: object, workbook: Path, shown: str) -> Path:
    """The dataset folder a workbook names by its name: beside the workbook, in a
    data/ folder beside it, or in the current folder's data/ (where dxreport runs).
    A workbook written before names an absolute path, which is taken as it is."""
    named = Path(name)
    if named.is_absolute():
        return named
    here, wb_dir = Path.cwd(), workbook.resolve().parent
    candidates = [wb_dir / name, wb_dir / "data" / name, here / "data" / name, here / name]
    for folder in candidates:
        if (folder / ds_mod.PLAN_FILE).is_file() and (plan is None or _plan_name(folder) in (str(plan), None)):
            return folder
    raise UserError(
        _("{shown} names the dataset '{name}', and no folder of that name holding its plan was found "
          "beside the workbook or in data/; name the dataset folder after the workbook "
          "(e.g. dxreport import-xlsx {shown} data/{name})").format(shown=shown, name=name)
    )


def _plan_name(folder: Path) -> str | None:
    """The plan's name (its file is validated in full later)."""
    try:
        raw = yamlfile.load(folder / ds_mod.PLAN_FILE, ds_mod.shown(folder / ds_mod.PLAN_FILE))
    except DatasetError:
        return None
    plan = raw.get("plan") if isinstance(raw, dict) else None
    return str(plan.get("name")) if isinstance(plan, dict) and plan.get("name") else None


def _cell_number(r: _Reader, sheet: str, cell) -> tuple[bool, Decimal | None]:
    v = cell.value
    if v is None or (isinstance(v, str) and not v.strip()):
        return True, None
    if isinstance(v, str) and v.startswith("=") or type(v).__name__ in ("ArrayFormula", "DataTableFormula"):
        return False, None  # a formula: reported once, by _check_structure
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.datetime, dt.time)):
        r.add(sheet, cell.coordinate, _("{v!r} is not a number; enter a number or leave the cell empty").format(v=v))
        return False, None
    if isinstance(v, int):
        d = Decimal(v)
    elif isinstance(v, float):
        d = Decimal(repr(v))
    elif isinstance(v, Decimal):
        d = v
    else:
        r.add(sheet, cell.coordinate, _("text '{v}' in a number cell; enter a number or leave the cell empty").format(v=v))
        return False, None
    if not d.is_finite() or abs(d) >= FIGURE_LIMIT:
        r.add(sheet, cell.coordinate, _("{v} is not a usable figure (at most 15 digits)").format(v=v))
        return False, None
    return True, d


def _cell_text(cell) -> str:
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return format(Decimal(repr(v)).normalize(), "f")
    if isinstance(v, (dt.datetime,)):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(cell) -> list[str]:
    return [line.strip() for line in _cell_text(cell).split("\n") if line.strip()]


def _check_structure(r: _Reader, wb, expected: list[str]) -> None:
    from openpyxl.cell.cell import TYPE_FORMULA

    names = list(wb.sheetnames)
    for name in expected:
        if name not in names:
            r.add(name, "", _("sheet missing (renamed or deleted?); every sheet of the exported workbook must stay with its name"))
    for name in names:
        if name not in expected and name != META_SHEET:
            r.add(name, "", _("unexpected sheet (renamed?); the workbook's sheets are {sheets}").format(sheets=", ".join(expected)))
    for ws in wb.worksheets:
        for rng in sorted(ws.merged_cells.ranges, key=str):
            r.add(ws.title, rng.coord.split(":")[0], _("merged cells {coord}; unmerge them").format(coord=rng.coord))
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == TYPE_FORMULA or (isinstance(cell.value, str) and cell.value.startswith("=")) \
                        or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula"):
                    text = getattr(cell.value, "text", cell.value)
                    r.add(ws.title, cell.coordinate, _("formula {text} is not allowed; type the value itself").format(text=text))


def _check_header(r: _Reader, ws, headers: tuple[str, ...]) -> bool:
    from openpyxl.utils import get_column_letter

    ok = True
    for col, h in enumerate(headers, 1):
        got = ws.cell(row=1, column=col).value
        if got != h:
            r.add(ws.title, f"{get_column_letter(col)}1", _("header should be '{h}', found '{found}' (a column inserted, deleted or renamed?)").format(h=h, found=got or ''))
            ok = False
    extra = [c for c in ws[1][len(headers):] if c.value not in (None, "")]
    for c in extra:
        r.add(ws.title, c.coordinate, _("unexpected column '{value}'").format(value=c.value))
        ok = False
    return ok


def _rows(ws, width: int) -> Iterator[tuple[int, tuple]]:
    """Rows below the header that hold anything in the first ``width`` columns."""
    for row in ws.iter_rows(min_row=2, max_col=max(width, ws.max_column)):
        if any(c.value not in (None, "") for c in row):
            yield row[0].row, row


def _same_number(a: Any, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return Decimal(str(a)) == b
    except InvalidOperation:
        return False


def _yaml_number(d: Decimal | None) -> Any:
    return _number(d)


def import_(path: str | Path, dataset: str | None = None, *, write: bool = True) -> tuple[Path, list[Path]]:
    """Read a filled workbook back into its period file. Returns (dataset root, changed files)."""
    path = Path(path)
    shown = ds_mod.shown(path)
    wb = _open(path, shown)
    if dataset:
        root, period = ds_mod.resolve(dataset, None)[0], str(_meta_rows(wb, shown)["period"])
    else:
        root, period = _meta(wb, shown, path)
    ds, _chosen = ds_mod.load(str(root), period)
    per = ds.period(period)
    source = ds.sources[period]
    r = _Reader(shown, [])
    sheets = field_sheets(ds.plan)
    expected = list(sheets) + [NOTICE_SHEET, CASES_SHEET, TARGETS_SHEET]
    _check_structure(r, wb, expected)

    y = dumper()
    text = source.path.read_text(encoding="utf-8")
    doc = y.load(text)
    if not isinstance(doc, CommentedMap):
        raise DatasetError([Problem(source.shown, 1, "", _("expected a mapping at the top of the file"))])

    indicators = ds.plan.indicators()
    sheet_of = {i.id: name for name, f in sheets.items() for k in f.kpis for i in k.indicators}
    for name, f in sheets.items():
        if name in wb.sheetnames:
            _read_indicators(r, wb[name], name, f, sheet_of, indicators, doc)
    if NOTICE_SHEET in wb.sheetnames:
        _read_notice(r, wb[NOTICE_SHEET], doc)
    if CASES_SHEET in wb.sheetnames:
        _read_cases(r, wb[CASES_SHEET], ds.plan, per, doc)
    if TARGETS_SHEET in wb.sheetnames:
        _read_targets(r, wb[TARGETS_SHEET], ds.plan, per, doc)
    if r.problems:
        raise DatasetError(r.problems)

    buf = io.StringIO()
    y.dump(doc, buf)
    new_text = buf.getvalue()
    if new_text == text:
        return root, []
    _validate_elsewhere(ds.root, period, new_text, source)
    if write:
        _atomic_write(source.path, new_text)
    return root, [source.path]


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _validate_elsewhere(root: Path, period: str, new_text: str, source) -> None:
    """Check the changed period file in a temporary copy of the dataset; problems name the real file."""
    with tempfile.TemporaryDirectory(prefix="dxreport-import-") as tmp:
        copy = Path(tmp) / root.name
        shutil.copytree(root, copy)
        (copy / ds_mod.PERIODS_DIR / f"{period}.yaml").write_text(new_text, encoding="utf-8")
        try:
            ds_mod.load(str(copy), period)
        except DatasetError as e:
            raise DatasetError([Problem(source.shown, p.line, p.field, p.message) for p in e.problems]) from None


def _read_indicators(r: _Reader, ws, name: str, f, sheet_of, indicators, doc) -> None:
    if not _check_header(r, ws, IND_HEADERS):
        return
    expected = [i.id for k in f.kpis for i in k.indicators]
    seen: dict[str, int] = {}
    values = doc.get("values")
    if not isinstance(values, CommentedMap):
        values = CommentedMap()
        doc["values"] = values
    for row_no, row in _rows(ws, len(IND_HEADERS)):
        ident = _cell_text(row[0])
        if not ident:
            r.add(name, f"A{row_no}", _("extra row without an indicator id; rows cannot be added to this sheet"))
            continue
        if ident not in indicators:
            r.add(name, f"A{row_no}", _("unknown indicator id '{ident}'").format(ident=ident))
            continue
        if sheet_of[ident] != name:
            r.add(name, f"A{row_no}", _("indicator '{ident}' belongs on sheet {sheet}").format(ident=ident, sheet=sheet_of[ident]))
            continue
        if ident in seen:
            r.add(name, f"A{row_no}", _("extra row: indicator '{ident}' is already in row {row}").format(ident=ident, row=seen[ident]))
            continue
        seen[ident] = row_no
        for cell in row[len(IND_HEADERS):]:
            if cell.value not in (None, ""):
                r.add(name, cell.coordinate, _("a value outside the table's columns"))
        ok, value = _cell_number(r, name, row[IND_VALUE - 1])
        note = _cell_text(row[IND_NOTE - 1])
        stale = _cell_text(row[IND_STALE - 1])
        if stale not in ("", STALE):
            r.add(name, row[IND_STALE - 1].coordinate, _("write {STALE} (not yet updated) or leave the cell empty, not '{stale}'").format(STALE=STALE, stale=stale))
            ok = False
        if not ok:
            continue
        obs = values.get(ident)
        if not isinstance(obs, CommentedMap):
            obs = CommentedMap([("value", None), ("note", "")])
            obs.fa.set_flow_style()
            values[ident] = obs
        changed = False
        if not _same_number(obs.get("value"), value):
            obs["value"] = _yaml_number(value)
            changed = True
        if value is not None and "absent" in obs:
            del obs["absent"]  # a value entered: it is no longer unpublished or not applicable
        if str(obs.get("note") or "") != note:
            obs["note"] = note
            changed = True
        if changed or not stale:
            if "updated" in obs and obs["updated"] is not True:
                del obs["updated"]
        elif obs.get("updated", True) is not False:
            obs["updated"] = False
    for n, ident in enumerate(expected):
        if ident not in seen:
            r.add(name, f"A{n + 2}", _("row of indicator '{ident}' ({name}) is missing (deleted?)").format(ident=ident, name=indicators[ident].name))


def _read_notice(r: _Reader, ws, doc) -> None:
    if not _check_header(r, ws, NOTICE_HEADERS):
        return
    rows = dict(_rows(ws, len(NOTICE_HEADERS)))
    got: dict[str, Any] = {}
    for n, (key, label) in enumerate(NOTICE_KEYS, 2):
        row = rows.pop(n, None)
        if row is None or _cell_text(row[0]) != key:
            r.add(ws.title, f"A{n}", _("row '{key}' ({label}) is missing or moved; rows cannot be deleted, moved or added").format(key=key, label=label))
            continue
        cell = row[2]
        if key == "date":
            v = cell.value
            if isinstance(v, dt.datetime):
                got[key] = v.date()
            elif isinstance(v, dt.date):
                got[key] = v
            elif v in (None, ""):
                got[key] = None
            else:
                try:
                    got[key] = dt.date.fromisoformat(_cell_text(cell))
                except ValueError:
                    r.add(ws.title, cell.coordinate, _("'{v}' is not a date (YYYY-MM-DD)").format(v=v))
        elif key in NOTICE_LISTS:
            got[key] = _lines(cell)
        else:
            got[key] = _cell_text(cell)
    for n in sorted(rows):
        r.add(ws.title, f"A{n}", _("extra row; the notice sheet has a fixed list of items"))
    if r.problems:
        return
    if isinstance(doc.get("notice"), CommentedMap) or any(got.values()):
        for n, (key, label) in enumerate(NOTICE_KEYS, 2):
            if key in NOTICE_REQUIRED and not got.get(key):
                r.add(ws.title, f"C{n}", _("{label} is required; fill it in").format(label=label))
        if r.problems:
            return
    notice = doc.get("notice")
    if not isinstance(notice, CommentedMap):
        if not any(got.values()):
            return
        notice = CommentedMap()
        doc["notice"] = notice
    for key, _label in NOTICE_KEYS:
        new = got[key]
        old = notice.get(key)
        if key in NOTICE_LISTS:
            old_list = [str(x) for x in old] if isinstance(old, list) else []
            if old_list == new:
                continue
            if not new:
                if key in notice:
                    del notice[key]
                continue
            if not isinstance(old, CommentedSeq):
                notice[key] = CommentedSeq(new)
                continue
            for i, line in enumerate(new):
                if i < len(old):
                    if str(old[i]) != line:
                        old[i] = line
                else:
                    old.append(line)
            del old[len(new):]
        elif key == "date":
            if new != old:
                if new is None:
                    notice.pop(key, None)
                else:
                    notice[key] = new
        else:
            old_text = "" if old is None else str(old)
            if old_text != new:
                if not new:
                    notice.pop(key, None)
                else:
                    notice[key] = new


def _read_cases(r: _Reader, ws, plan, per, doc) -> None:
    if not _check_header(r, ws, CASE_HEADERS):
        return
    by_name = {f.name: f.id for f in plan.fields}
    by_id = {f.id: f.id for f in plan.fields}
    got: dict[str, list[dict[str, Any]]] = {f.id: [] for f in plan.fields}
    for row_no, row in _rows(ws, len(CASE_HEADERS)):
        field_text = _cell_text(row[0])
        fid = by_name.get(field_text) or by_id.get(field_text)
        if fid is None:
            r.add(ws.title, f"A{row_no}", _("unknown field '{field_text}'; choose one of {fields}").format(field_text=field_text, fields=', '.join(by_name)) if field_text
                  else "a case study needs its field")
            continue
        title = _cell_text(row[1])
        if not title:
            r.add(ws.title, f"B{row_no}", _("a case study needs a title"))
            continue
        for cell in row[len(CASE_HEADERS):]:
            if cell.value not in (None, ""):
                r.add(ws.title, cell.coordinate, _("a value outside the table's columns"))
        got[fid].append({"title": title, "bullets": _lines(row[2]), "image": _cell_text(row[3]) or None,
                         "image_alt": _cell_text(row[4])})
    if r.problems:
        return
    old = {fid: [{"title": c.title, "bullets": list(c.bullets), "image": c.image, "image_alt": c.image_alt} for c in cases]
           for fid, cases in per.cases.items()}
    if {k: v for k, v in got.items() if v} == {k: v for k, v in old.items() if v}:
        return
    cases = doc.get("cases")
    if not isinstance(cases, CommentedMap):
        cases = CommentedMap()
        doc["cases"] = cases
    for f in plan.fields:
        new = got[f.id]
        seq = cases.get(f.id)
        if not new:
            if f.id in cases:
                del cases[f.id]
            continue
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq()
            cases[f.id] = seq
        for i, case in enumerate(new):
            if i >= len(seq):
                seq.append(CommentedMap())
            _update_case(seq[i], case)
        del seq[len(new):]
    if not cases:
        del doc["cases"]


def _update_case(m: CommentedMap, case: dict[str, Any]) -> None:
    if str(m.get("title", "")) != case["title"]:
        m["title"] = case["title"]
    old_bullets = [str(b) for b in m.get("bullets") or []]
    if old_bullets != case["bullets"]:
        seq = m.get("bullets")
        if isinstance(seq, CommentedSeq) and case["bullets"]:
            for i, line in enumerate(case["bullets"]):
                if i < len(seq):
                    if str(seq[i]) != line:
                        seq[i] = line
                else:
                    seq.append(line)
            del seq[len(case["bullets"]):]
        elif case["bullets"]:
            m["bullets"] = CommentedSeq(case["bullets"])
        else:
            m.pop("bullets", None)
    for key in ("image", "image_alt"):
        new = case[key] or None
        old = m.get(key) or None
        if new != (str(old) if old is not None else None):
            if new is None:
                m.pop(key, None)
            else:
                m[key] = new


def _read_targets(r: _Reader, ws, plan, per, doc) -> None:
    fields = [f for f in plan.fields if any(f.id in bt.fields for bt in plan.basic_targets)]
    if not _check_header(r, ws, TARGET_HEADERS + tuple(f.name for f in fields)):
        return
    targets = {bt.id: bt for bt in plan.basic_targets}
    expected = [(bt.id, year) for bt in plan.basic_targets for year in _years_for(per.basic_targets.get(bt.id), per.period)]
    seen: dict[tuple[str, int], int] = {}
    got: dict[tuple[str, int], Any] = {}
    for row_no, row in _rows(ws, len(TARGET_HEADERS) + len(fields)):
        ident = _cell_text(row[0])
        year = row[3].value
        if ident not in targets:
            r.add(ws.title, f"A{row_no}", _("unknown basic target id '{ident}'").format(ident=ident) if ident else _("extra row without a basic target id"))
            continue
        if not isinstance(year, int) or (ident, year) not in expected:
            r.add(ws.title, f"D{row_no}", _("extra row: year '{year}' is not one of this sheet's years for '{ident}'").format(year=year, ident=ident))
            continue
        if (ident, year) in seen:
            r.add(ws.title, f"A{row_no}", _("extra row: '{ident}' {year} is already in row {row}").format(ident=ident, year=year, row=seen[(ident, year)]))
            continue
        seen[(ident, year)] = row_no
        bt = targets[ident]
        unused = [row[4]] if bt.fields else []
        unused += [row[col - 1] for col, f in enumerate(fields, 6) if f.id not in bt.fields]
        unused += list(row[len(TARGET_HEADERS) + len(fields):])
        for cell in unused:
            if cell.value not in (None, ""):
                r.add(ws.title, cell.coordinate, _("'{value}' in a cell '{ident}' does not use; leave it empty").format(value=cell.value, ident=ident))
        if bt.fields:
            vals = {}
            for col, f in enumerate(fields, 6):
                if f.id in bt.fields:
                    ok, v = _cell_number(r, ws.title, row[col - 1])
                    vals[f.id] = v
            got[(ident, year)] = vals
        else:
            ok, v = _cell_number(r, ws.title, row[4])
            got[(ident, year)] = v
    for n, key in enumerate(expected):
        if key not in seen:
            r.add(ws.title, f"A{n + 2}", _("row of basic target '{ident}' {year} is missing (deleted?)").format(ident=key[0], year=key[1]))
    if r.problems:
        return
    bts = doc.get("basic_targets")
    for (ident, year), new in got.items():
        bt = targets[ident]
        values = per.basic_targets.get(ident)
        yv = values.year_value(year) if values else None
        if bt.fields:
            old = {f: (yv.fields.get(f) if yv else None) for f in bt.fields}
            if all(_same_number(old[f], new.get(f)) for f in bt.fields):
                continue
        else:
            if _same_number(yv.value if yv else None, new):
                continue
        if not isinstance(bts, CommentedMap):
            bts = CommentedMap()
            doc["basic_targets"] = bts
        entry = bts.get(ident)
        if not isinstance(entry, CommentedMap):
            entry = CommentedMap()
            bts[ident] = entry
        if entry.get("updated") is not True:
            entry["updated"] = True
        years = entry.get("years")
        if not isinstance(years, CommentedMap):
            years = CommentedMap()
            entry["years"] = years
        key = next((k for k in years if str(k) == str(year)), None)
        if bt.fields:
            node = years.get(key) if key is not None else None
            if isinstance(node, CommentedMap) and isinstance(node.get("fields"), CommentedMap):
                for f in bt.fields:
                    if not _same_number(node["fields"].get(f), new.get(f)):
                        node["fields"][f] = _yaml_number(new.get(f))
                continue
            inner = CommentedMap((f, _yaml_number(new.get(f))) for f in bt.fields)
            inner.fa.set_flow_style()
            value = CommentedMap([("fields", inner)])
            value.fa.set_flow_style()
        else:
            node = years.get(key) if key is not None else None
            if isinstance(node, CommentedMap) and "value" in node:
                node["value"] = _yaml_number(new)
                continue
            value = _yaml_number(new)
        if key is not None:
            years[key] = value
        else:
            pos = sum(1 for k in years if int(k) < year)
            years.insert(pos, year, value)


# ---------------------------------------------------------------- build from a workbook


def is_workbook(target: str | None) -> bool:
    return bool(target) and str(target).lower().endswith(".xlsx")


@contextlib.contextmanager
def dataset_for_build(target: str | None, period: str | None) -> Iterator[tuple[str | None, str | None]]:
    """A dataset and period to build: the target itself, or, for a workbook, a
    temporary copy of the dataset it names with the workbook imported into it."""
    if not is_workbook(target):
        yield target, period
        return
    path = Path(str(target))
    named_root, wb_period = workbook_info(path)
    if period and period != wb_period:
        raise UserError(_("{workbook} holds period {wb_period}, but --period {period} was given").format(workbook=ds_mod.shown(path), wb_period=wb_period, period=period))
    if not (named_root / ds_mod.PLAN_FILE).is_file():
        raise UserError(_("{workbook} names the dataset folder {named_root}, which does not exist or holds no {plan_file}").format(workbook=ds_mod.shown(path), named_root=named_root, plan_file=ds_mod.PLAN_FILE))
    with tempfile.TemporaryDirectory(prefix="dxreport-build-") as tmp:
        copy = Path(tmp) / named_root.name
        shutil.copytree(named_root, copy)
        import_(path, str(copy))
        yield str(copy), wb_period
