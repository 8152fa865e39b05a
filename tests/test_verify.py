"""The verification sheet (検算表): live formulas that Excel (here LibreOffice) recomputes
to the same figures dxreport prints."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import AOMORI, SAMPLE, prepared, render_format, run
from dxreport.compute.figures import compute
from dxreport.render import kensan as verify
from dxreport.source import dataset

DATE = dt.date(2026, 2, 4)


def figures(root: Path, period: str | None = None):
    ds, chosen = dataset.load(str(root), period)
    return compute(ds, chosen)


def sheet(root: Path, date: dt.date = DATE, period: str | None = None) -> bytes:
    """The 検算表 of a period's pack model, dated ``date``."""
    import dataclasses

    pack = prepared(root, period).job.pack
    pack = dataclasses.replace(pack, meta=dataclasses.replace(pack.meta, date=date))
    (data,) = render_format("kensan", pack).values()
    return data


def _load(data: bytes, data_only: bool = False):
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)


def test_bytes_are_deterministic_and_dated_from_the_pack():
    a = sheet(AOMORI)
    assert a == sheet(AOMORI)
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 2, 4, 0, 0, 0)}
        names = z.namelist()
        core = z.read("docProps/core.xml").decode()
    assert names[0] == "[Content_Types].xml" or "[Content_Types].xml" in names
    assert "2026-02-04T00:00:00Z" in core and core.count("2026-02-04T00:00:00Z") == 2
    assert sheet(AOMORI, dt.date(2026, 2, 5)) != a


def test_every_rate_kpi_and_diff_has_its_figure_and_formula():
    figs = figures(AOMORI)
    wb = _load(sheet(AOMORI))
    ws, ks = wb[verify.RATE_SHEET], wb[verify.KPI_SHEET]
    inds = figs.indicators()
    rows = list(range(verify.FIRST_ROW, verify.FIRST_ROW + len(inds)))
    assert [ws[f"C{r}"].value for r in rows] == [i.indicator.id for i in inds]
    assert ws[f"C{rows[-1] + 1}"].value is None
    # sme-talent-share 37.4 / 80: 46.75, rounded half up to 46.8 (not 46.7, half to even)
    r = rows[[i.indicator.id for i in inds].index("sme-talent-share")]
    assert ws[f"M{r}"].value == 37.4 and ws[f"N{r}"].value == 46.75 and ws[f"P{r}"].value == 46.8
    assert ws[f"Q{r}"].value == f'=IF(M{r}="","",ROUND(MIN(MAX(M{r}/F{r}*100,0),100),1))'
    # online-pref keeps its source precision 22.87 (shown 22.9%): rate 60.5, not 60.6
    r = rows[[i.indicator.id for i in inds].index("online-pref")]
    assert ws[f"G{r}"].value == 22.87 and ws[f"J{r}"].value == 60.5
    kpis = figs.kpis()
    krows = range(verify.FIRST_ROW, verify.FIRST_ROW + len(kpis))
    assert [ks[f"B{r}"].value for r in krows] == [k.kpi.name for k in kpis]
    first = ks[f"B{verify.FIRST_ROW}"].row
    assert ks[f"L{first}"].value == 63.2 and ks[f"K{first}"].value == 5 and ks[f"J{first}"].value == 315.8
    assert ks[f"M{first}"].value.startswith("=SUM('達成率'!Q5:Q9")
    assert ks[f"Q{first}"].value == 8.3 and ks[f"R{first}"].value.startswith("=IF(")


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice is not installed")
    return exe


def _recalculated(data: bytes, tmp_path: Path):
    """The workbook as LibreOffice Calc recalculates and saves it."""
    exe = _soffice()
    src = tmp_path / "in" / "kensan.xlsx"
    src.parent.mkdir()
    src.write_bytes(data)
    out = tmp_path / "out"
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                             "--outdir", str(out), str(src)], capture_output=True, text=True, timeout=180)
    converted = out / "kensan.xlsx"
    if not converted.exists():
        if "could not be loaded" in result.stdout + result.stderr:
            pytest.skip("LibreOffice Calc (libreoffice-calc) is not installed")
        raise AssertionError(result.stdout + result.stderr)
    return _load(converted.read_bytes(), data_only=True)


def _f(v: Decimal | None):
    return None if v is None else float(v)


def _same(formula_result, figure: Decimal | None) -> bool:
    if figure is None:
        return formula_result in (None, "")
    return isinstance(formula_result, (int, float)) and abs(formula_result - float(figure)) < 1e-9


@pytest.mark.parametrize("root, period", [(AOMORI, "2025-12"), (SAMPLE, None)])
def test_libreoffice_recalculation_equals_the_computed_figures(tmp_path: Path, root: Path, period: str | None):
    figs = figures(root, period)
    wb = _recalculated(sheet(root, DATE, period), tmp_path)
    ws, ks = wb[verify.RATE_SHEET], wb[verify.KPI_SHEET]
    checked = 0
    for n, i in enumerate(figs.indicators()):
        r = verify.FIRST_ROW + n
        assert ws[f"C{r}"].value == i.indicator.id
        assert _same(ws[f"Q{r}"].value, i.current_rate), (i.indicator.id, ws[f"Q{r}"].value, i.current_rate)
        assert ws[f"R{r}"].value == "OK"
        if figs.previous is not None:
            assert _same(ws[f"K{r}"].value, i.previous_rate), (i.indicator.id, ws[f"K{r}"].value, i.previous_rate)
            assert ws[f"L{r}"].value == "OK"
        checked += 1
    for n, k in enumerate(figs.kpis()):
        r = verify.FIRST_ROW + n
        assert _same(ks[f"O{r}"].value, k.current), (k.kpi.id, ks[f"O{r}"].value, k.current)
        assert ks[f"N{r}"].value == sum(1 for i in k.indicators if i.current_rate is not None)
        assert ks[f"P{r}"].value == "OK"
        if figs.previous is not None:
            assert _same(ks[f"H{r}"].value, k.previous)
            assert _same(ks[f"R{r}"].value, k.diff), (k.kpi.id, ks[f"R{r}"].value, k.diff)
            assert ks[f"S{r}"].value == "OK"
    assert checked == len(figs.indicators()) > 0
    # No check cell anywhere says NG.
    assert not [c.coordinate for sheet in (ws, ks) for row in sheet.iter_rows() for c in row if c.value == "NG"]


def test_build_writes_the_sheet_beside_the_pack_and_warns_findings(tmp_path: Path):
    out = tmp_path / "pack"
    result = run("build", str(AOMORI), "--out", str(out), "-v")
    assert result.returncode == 0, result.stderr
    written = out / "dxreport-2025-12-kensan.xlsx"
    assert written.is_file() and f"wrote {out}" in result.stdout and "dxreport-2025-12-kensan.xlsx (14 KB)" in result.stdout
    assert written.read_bytes() == sheet(AOMORI)
    # The check runs as part of the build; with -v its findings are listed.
    assert "notice: " in result.stderr
    assert "218件 (R5～R6の累計) is the same as in 2025-09" in result.stderr
