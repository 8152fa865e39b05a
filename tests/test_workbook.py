"""Data entry in Excel: export-xlsx, import-xlsx, bad workbooks, build from a workbook."""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import AOMORI, SAMPLE, run
from test_newperiod import _same_tree

from dxreport.source import dataset as ds_mod
from dxreport.source import workbook

IND = "産業・しごと"  # Aomori's first field sheet


def _export(root: Path, period: str, out: Path) -> Path:
    result = run("export-xlsx", period, str(root), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# ---------------------------------------------------------------- export


def test_export_is_deterministic(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    a = _export(root, "2025-12", tmp_path / "a.xlsx").read_bytes()
    b, _ = workbook.export(str(root), "2025-12")
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 2, 4, 0, 0, 0)}  # the notice's date


def test_export_layout(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    wb = openpyxl.load_workbook(_export(root, "2025-12", tmp_path / "a.xlsx"))
    assert wb.sheetnames == ["産業・しごと", "暮らし・まち", "行政経営", "記者発表", "事例", "基本目標", "_dxreport"]
    assert wb["_dxreport"].sheet_state == "hidden"
    assert wb["_dxreport"]["B2"].value == root.name  # its name, never its path
    assert wb.properties.creator == "dxreport" and wb.properties.subject == "2025-12"
    ws = wb[IND]
    assert [c.value for c in ws[1]] == list(workbook.IND_HEADERS)
    assert ws.freeze_panes == "A2" and ws.protection.sheet
    row = [c.value for c in ws[2]]
    assert row[0] == "consult-count" and row[4] == 375 and row[7] == 218 and row[8] == "R5～R6の累計"
    assert row[5] is not None  # the previous period's value, read-only
    assert ws["H2"].protection.locked is False and ws["I2"].protection.locked is False
    for col in "ABCDEFG":
        assert ws[f"{col}2"].protection.locked is True
        assert ws[f"{col}2"].fill.fgColor.rgb.endswith(workbook.GREY)
    dvs = ws.data_validations.dataValidation
    assert [(dv.type, str(dv.sqref)) for dv in dvs] == [("decimal", f"H2:H{ws.max_row}"), ("list", f"J2:J{ws.max_row}")]
    assert ws["J2"].value is None and ws["J2"].protection.locked is False
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width > 8
    assert wb["記者発表"]["C2"].value == dt.datetime(2026, 2, 4)
    assert wb["記者発表"]["C2"].protection.locked is False
    for name in ("記者発表", "事例", "基本目標"):
        assert wb[name].protection.sheet and wb[name].freeze_panes == "A2"
    # A precise value keeps its digits (52.47, shown 52.5 in the pack).
    adm = wb["行政経営"]
    assert any(r[7] == 52.47 for r in adm.iter_rows(min_row=2, values_only=True))


# ---------------------------------------------------------------- import


@pytest.mark.parametrize("source,period", [(AOMORI, "2025-12"), (AOMORI, "2025-09"), (SAMPLE, "2026-03"), (SAMPLE, "2025-03")])
def test_untouched_round_trip_changes_nothing(dataset_copy, tmp_path, source, period):
    root = dataset_copy(source)
    path = _export(root, period, tmp_path / "wb.xlsx")
    # Opened and saved again (as a person would in a spreadsheet program), still no change.
    wb = openpyxl.load_workbook(path)
    wb.save(tmp_path / "resaved.xlsx")
    for book in (path, tmp_path / "resaved.xlsx"):
        result = run("import-xlsx", str(book))
        assert result.returncode == 0, result.stderr
        assert "no changes" in result.stdout
        assert _same_tree(root, source) == []


def test_edit_lands_in_the_right_place(dataset_copy, tmp_path):
    root = dataset_copy(SAMPLE)
    path = _export(root, "2026-03", tmp_path / "wb.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["暮らし"]
    row = next(c.row for c in ws["A"] if c.value == "mynacard-insurance")
    ws.cell(row=row, column=8, value=1234.5)
    ws.cell(row=row, column=9, value="R8年3月末")
    wb["行政"]["H2"] = 25.01  # online-procedure, keeping its comment
    wb.save(path)
    file = root / "periods" / "2026-03.yaml"
    before = file.read_text(encoding="utf-8")
    result = run("import-xlsx", str(path))
    assert result.returncode == 0, result.stderr
    after = file.read_text(encoding="utf-8")
    changed = _changed_lines(before, after)
    assert len(changed) == 4, changed
    assert changed[0].startswith("-  mynacard-insurance: {value: ~, note: 未公表, absent: unpublished}")
    assert changed[1].startswith("+  mynacard-insurance: {value: 1234.5, note: R8年3月末}")
    assert "# not available" in changed[1]
    assert changed[3].startswith("+  online-procedure: {value: 25.01, note: R7年12月末時点}")
    assert "# shown 24.9" in changed[3]
    ds, _ = ds_mod.load(str(root), "2026-03")
    assert ds.period("2026-03").values["mynacard-insurance"].value == Decimal("1234.5")
    # Every other file untouched.
    file.write_text(before, encoding="utf-8")
    assert _same_tree(root, SAMPLE) == []


def test_edit_notice_cases_and_basic_targets(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    path = _export(root, "2025-12", tmp_path / "wb.xlsx")
    wb = openpyxl.load_workbook(path)
    notice = wb["記者発表"]
    notice["C2"] = dt.date(2026, 2, 5)
    body_row = next(c.row for c in notice["A"] if c.value == "body")
    notice.cell(row=body_row, column=3, value=notice.cell(row=body_row, column=3).value + "\n追加の段落です。")
    cases = wb["事例"]
    first_empty = next(c.row for c in cases["B"][1:] if c.value is None)
    cases.cell(row=first_empty, column=1, value="行政経営")
    cases.cell(row=first_empty, column=2, value="新しい事例")
    cases.cell(row=first_empty, column=3, value="一行目。\n二行目。")
    targets = wb["基本目標"]
    muni = next(c.row for c in targets["A"] if c.value == "municipal-share")
    year = targets.cell(row=muni, column=4).value
    for col in range(6, 6 + 3):
        targets.cell(row=muni, column=col, value=50)
    wb.save(path)
    file = root / "periods" / "2025-12.yaml"
    before = file.read_text(encoding="utf-8")
    result = run("import-xlsx", str(path))
    assert result.returncode == 0, result.stderr
    after = file.read_text(encoding="utf-8")
    assert "  date: 2026-02-05                 # 令和8年2月4日" in after  # comment kept
    assert _changed_lines(before, after)[:2] == ["-  date: 2026-02-04                 # 令和8年2月4日",
                                                 "+  date: 2026-02-05                 # 令和8年2月4日"]
    ds, _ = ds_mod.load(str(root), "2025-12")
    per = ds.period("2025-12")
    assert per.notice.date == dt.date(2026, 2, 5)
    assert per.notice.body[-1] == "追加の段落です。"
    new_case = per.cases["admin"][-1]
    assert (new_case.title, new_case.bullets) == ("新しい事例", ["一行目。", "二行目。"])
    mv = per.basic_targets["municipal-share"]
    assert mv.updated is True
    assert mv.year_value(year).fields == {"industry": 50, "living": 50, "admin": 50}
    # The comments of the untouched parts survive.
    for line in before.splitlines():
        if line.strip().startswith("#"):
            assert line in after


def test_edit_removes_the_not_updated_mark(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    assert run("new-period", "2026-06", str(root)).returncode == 0
    path = _export(root, "2026-06", tmp_path / "wb.xlsx")
    wb = openpyxl.load_workbook(path)
    wb[IND]["H2"] = 250
    wb.save(path)
    file = root / "periods" / "2026-06.yaml"
    before = file.read_text(encoding="utf-8")
    assert run("import-xlsx", str(path)).returncode == 0
    changed = _changed_lines(before, file.read_text(encoding="utf-8"))
    assert changed == ["-  consult-count: {value: 218, note: R5～R6の累計, updated: false}",
                       "+  consult-count: {value: 250, note: R5～R6の累計}"]


def test_confirming_an_unchanged_value(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    assert run("new-period", "2026-06", str(root)).returncode == 0
    path = _export(root, "2026-06", tmp_path / "wb.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[IND]
    assert [ws.cell(row=r, column=10).value for r in range(2, ws.max_row + 1)] == ["未更新"] * (ws.max_row - 1)
    ws["J3"] = None  # the value is still current: confirmed without a change
    ws["J4"] = "済"
    wb.save(path)
    result = run("import-xlsx", str(path))
    assert result.returncode == 2 and f"{IND}!J4: write 未更新 (not yet updated) or leave the cell empty, not '済'" in result.stderr
    ws["J4"] = "未更新"
    wb.save(path)
    file = root / "periods" / "2026-06.yaml"
    before = file.read_text(encoding="utf-8")
    assert run("import-xlsx", str(path)).returncode == 0
    changed = _changed_lines(before, file.read_text(encoding="utf-8"))
    assert changed == ["-  sme-talent-share: {value: 37.4, note: R7年度, updated: false}",
                       "+  sme-talent-share: {value: 37.4, note: R7年度}"]


# ---------------------------------------------------------------- bad workbooks


def _bad(dataset_copy, tmp_path, edit) -> str:
    """Apply ``edit`` to an exported workbook, import it, expect exit 2 and no file written."""
    root = dataset_copy(AOMORI)
    path = _export(root, "2025-12", tmp_path / "wb.xlsx")
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    result = run("import-xlsx", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert _same_tree(root, AOMORI) == []
    return result.stderr


def test_bad_text_in_a_number_cell(dataset_copy, tmp_path):
    def edit(wb):
        wb[IND]["H3"] = "約40"
        targets = wb["基本目標"]
        muni = next(c.row for c in targets["A"] if c.value == "municipal-share")
        targets.cell(row=muni, column=6, value="abc")
        targets["F2"] = 5  # productivity is not averaged over fields: its field cells are unused
        wb[IND]["H2"] = 300  # a good edit beside the bad ones is not written either
        return muni
    rows = []
    err = _bad(dataset_copy, tmp_path, lambda wb: rows.append(edit(wb)))
    assert f"{IND}!H3: text '約40' in a number cell" in err
    assert f"基本目標!F{rows[0]}: text 'abc' in a number cell" in err
    assert "基本目標!F2: '5' in a cell 'productivity' does not use; leave it empty" in err
    assert len(err.strip().splitlines()) == 3


def test_bad_deleted_row(dataset_copy, tmp_path):
    err = _bad(dataset_copy, tmp_path, lambda wb: wb[IND].delete_rows(3))
    assert f"{IND}!A3: row of indicator 'sme-talent-share'" in err and "missing (deleted?)" in err
    assert len(err.strip().splitlines()) == 1


def test_bad_extra_row(dataset_copy, tmp_path):
    def edit(wb):
        ws = wb[IND]
        ws.append(["consult-count", None, None, None, None, None, None, 5])
        ws.append([None, None, "新しい指標", None, None, None, None, 7])
    err = _bad(dataset_copy, tmp_path, edit)
    ws_rows = 12 + 1  # header + 12 indicators
    assert f"{IND}!A{ws_rows + 1}: extra row: indicator 'consult-count' is already in row 2" in err
    assert f"{IND}!A{ws_rows + 2}: extra row without an indicator id" in err


def test_bad_renamed_and_missing_sheets(dataset_copy, tmp_path):
    def edit(wb):
        wb[IND].title = "産業"
        del wb["事例"]
    err = _bad(dataset_copy, tmp_path, edit)
    assert f"error: wb.xlsx: {IND}: sheet missing" in err.replace(str(tmp_path) + "/", "")
    assert "事例: sheet missing" in err
    assert "産業: unexpected sheet (renamed?)" in err


def test_bad_unknown_indicator_id(dataset_copy, tmp_path):
    err = _bad(dataset_copy, tmp_path, lambda wb: wb[IND].__setitem__("A2", "no-such-indicator"))
    assert f"{IND}!A2: unknown indicator id 'no-such-indicator'" in err
    assert f"{IND}!A2: row of indicator 'consult-count'" in err  # its own row is now missing


def test_bad_formula(dataset_copy, tmp_path):
    err = _bad(dataset_copy, tmp_path, lambda wb: wb[IND].__setitem__("H4", "=F4+1"))
    assert f"{IND}!H4: formula =F4+1 is not allowed" in err
    assert len(err.strip().splitlines()) == 1


def test_bad_merged_cells(dataset_copy, tmp_path):
    err = _bad(dataset_copy, tmp_path, lambda wb: wb["行政経営"].merge_cells("H2:I2"))
    assert "行政経営!H2: merged cells H2:I2" in err


def test_bad_notice_missing_required_items(dataset_copy, tmp_path):
    def edit(wb):
        wb["記者発表"]["C2"] = None  # date
        wb["記者発表"]["C3"] = " "  # department
        wb["記者発表"]["C4"] = "DX推進課(新)"  # a changed division is fine
    err = _bad(dataset_copy, tmp_path, edit)
    assert "記者発表!C2: 発表日 is required; fill it in" in err
    assert "記者発表!C3: 部 is required; fill it in" in err
    assert len(err.strip().splitlines()) == 2


def test_bad_not_a_workbook(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really")
    result = run("import-xlsx", str(fake), str(root))
    assert result.returncode == 2 and "not a readable Excel workbook" in result.stderr
    result = run("import-xlsx", str(tmp_path / "missing.xlsx"), str(root))
    assert result.returncode == 2 and "file does not exist" in result.stderr


def test_bad_value_rejected_by_the_schema(dataset_copy, tmp_path):
    # A value the workbook accepts but the dataset does not (too large): named in the YAML file.
    err = _bad(dataset_copy, tmp_path, lambda wb: wb[IND].__setitem__("H2", 1e16))
    assert "not a usable figure" in err or "too large" in err


# ---------------------------------------------------------------- the full cycle


def test_full_cycle_new_period_export_fill_import_build(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    assert run("new-period", "2026-06", str(root)).returncode == 0
    path = _export(root, "2026-06", tmp_path / "input.xlsx")
    wb = openpyxl.load_workbook(path)
    for name in ("産業・しごと", "暮らし・まち", "行政経営"):
        ws = wb[name]
        for row in ws.iter_rows(min_row=2):
            if isinstance(row[7].value, (int, float)):
                row[7].value = row[7].value + 1
                row[8].value = "R8年6月末"
    wb["記者発表"]["C2"] = dt.date(2026, 8, 5)
    wb.save(path)
    # Build straight from the workbook (imported into a temporary copy: the dataset is untouched).
    snapshot = tmp_path / "snapshot"
    shutil.copytree(root, snapshot)
    out_wb = tmp_path / "pack-from-workbook"
    result = run("build", str(path), "--out", str(out_wb))
    assert result.returncode == 0, result.stderr
    assert (out_wb / "dxreport-2026-06.pdf").is_file()
    assert _same_tree(root, snapshot) == []
    # Import, then build the dataset itself.
    result = run("import-xlsx", str(path))
    assert result.returncode == 0, result.stderr
    ds, _ = ds_mod.load(str(root), "2026-06")
    per = ds.period("2026-06")
    assert per.notice.date == dt.date(2026, 8, 5)
    assert per.values["consult-count"].value == 219 and per.values["consult-count"].updated
    out = tmp_path / "pack"
    result = run("build", str(root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "dxreport-2026-06.pdf").is_file()
    # The open data's time series too: the workbook's hidden sheet names the dataset,
    # whose every period the build from the workbook reads.
    open_data = sorted(p.name for p in out.glob("dxreport-2026-06*.[cj]s*"))
    assert "dxreport-2026-06-history.csv" in open_data and len(open_data) == 9
    assert [n for n in open_data if (out / n).read_bytes() != (out_wb / n).read_bytes()] == []
    periods = {line.split(",")[0] for line in (out_wb / "dxreport-2026-06-history.csv").read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert periods == {"2025-09", "2025-12", "2026-06"}


def test_workbooks_are_read_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML, "install defusedxml: openpyxl then guards against XML bombs"


def test_build_from_a_workbook_checks_its_period(dataset_copy, tmp_path):
    root = dataset_copy(AOMORI)
    path = _export(root, "2025-12", tmp_path / "wb.xlsx")
    result = run("build", str(path), "--period", "2025-09", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "holds period 2025-12, but --period 2025-09 was given" in result.stderr
    shutil.rmtree(root)
    result = run("build", str(path), "--out", str(tmp_path / "out"), cwd=tmp_path)  # no data/ of the same name here
    assert result.returncode == 2 and "names the dataset 'aomori'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_workbook_holds_no_absolute_path(dataset_copy, tmp_path):
    """It goes to other departments: no user's folder names in it, in any cell of
    any sheet (the hidden one too) nor in the package's XML; it still finds its way
    back to the dataset it was written from."""
    import zipfile

    root = dataset_copy(AOMORI)
    path = _export(root, "2025-12", tmp_path / "wb.xlsx")
    leaks = [str(root.resolve()), str(tmp_path.resolve()), str(Path.home()), "/tmp/", "/root"]
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and any(x in value for x in leaks)), (ws.title, value)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8", "replace")
            assert not any(x in text for x in leaks), name
    assert dict(r for r in wb[workbook.META_SHEET].iter_rows(values_only=True))["dataset"] == "aomori"
    result = run("import-xlsx", str(path))
    assert result.returncode == 0 and "no changes" in result.stdout, result.stderr


def test_a_workbook_whose_dataset_cannot_be_found_says_how_to_name_it(tmp_path):
    (tmp_path / "far").mkdir()
    path = _export(AOMORI, "2025-12", tmp_path / "far" / "wb.xlsx")
    moved = tmp_path / "elsewhere.xlsx"
    path.rename(moved)
    result = run("import-xlsx", str(moved), cwd=tmp_path)
    assert result.returncode == 2
    assert "names the dataset 'aomori'" in result.stderr and "import-xlsx" in result.stderr
