"""The open data to the machine-readability rule: one table per file in the long
format, the time series of every period up to the pack's, the columns' definitions,
the encoding, the licence and the update history published with the data."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import AOMORI, SAMPLE, edit_yaml, run
from published import KPIS, PUBLISHED

TABLES = {"": "指標ID", "-kpi": "KPIID", "-history": "指標ID", "-kpi-history": "KPIID"}


def packs(source: Path) -> dict[str, dict[str, bytes]]:
    """Every period's open data files, keyed by period, names without the stem."""
    from dxreport.build.pipeline import Request, prepare
    from conftest import render_format

    out = {}
    for p in prepare(str(source), None, Request(all_periods=True)):
        files = render_format("opendata", p.job.pack, stem=p.job.stem)
        out[p.period] = {name.removeprefix(p.job.stem): data for name, data in files.items()}
    return out


def table(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or ()), rows


@pytest.fixture(scope="module")
def sample() -> dict[str, dict[str, bytes]]:
    return packs(SAMPLE)


@pytest.fixture(scope="module")
def aomori() -> dict[str, dict[str, bytes]]:
    return packs(AOMORI)


def test_the_files_keep_their_names_and_each_holds_one_table(sample):
    assert set(sample) == {"2025-03", "2025-09", "2026-03"}
    for period, files in sample.items():
        assert sorted(files) == sorted([f"{t}.{e}" for t in TABLES for e in ("csv", "json")] + ["-columns.csv"])
        for t, key in TABLES.items():
            header, rows = table(files[f"{t}.csv"])
            # One header row: no other row repeats it, every row has every column, one row per period and id.
            assert rows and all(list(r) == header and None not in r.values() for r in rows)
            assert all(r["基準月"] != "基準月" for r in rows)
            assert len({(r["基準月"], r[key]) for r in rows}) == len(rows), (period, t)
            assert not any("\n" in v or "\r" in v for r in rows for v in r.values())
            # The period is a column of its own, never a column's name.
            assert not any(c.startswith(("前期の値", "今期")) or c[:4].isdigit() for c in header)


def test_history_holds_every_period_up_to_the_packs_own(sample):
    indicators = 34
    for period, files in sample.items():
        earlier = sorted(p for p in sample if p <= period)
        _, rows = table(files["-history.csv"])
        assert [r["基準月"] for r in rows] == [p for p in earlier for _ in range(indicators)], period
        _, kpis = table(files["-kpi-history.csv"])
        assert sorted({r["基準月"] for r in kpis}) == earlier and len(kpis) == 11 * len(earlier)


def test_a_periods_rows_are_the_same_in_every_later_pack(sample):
    # The 2025-09 figures as its own pack published them, in the 2026-03 pack's history
    # and as the previous period of the 2026-03 release file: the same rows.
    _, own = table(sample["2025-09"][".csv"])
    mine = [r for r in own if r["基準月"] == "2025-09"]
    _, later = table(sample["2026-03"]["-history.csv"])
    _, release = table(sample["2026-03"][".csv"])
    assert mine == [r for r in later if r["基準月"] == "2025-09"] == [r for r in release if r["基準月"] == "2025-09"]
    _, own_kpis = table(sample["2025-09"]["-kpi.csv"])
    _, later_kpis = table(sample["2026-03"]["-kpi-history.csv"])
    assert [r for r in own_kpis if r["基準月"] == "2025-09"] == [r for r in later_kpis if r["基準月"] == "2025-09"]
    # The release files hold this period and the previous one only (2025-03 is in the history).
    assert {r["基準月"] for r in release} == {"2025-09", "2026-03"}


def test_the_history_carries_a_period_without_a_press_pack(aomori):
    assert set(aomori) == {"2025-12"}  # 2025-09 holds figures only
    _, rows = table(aomori["2025-12"]["-history.csv"])
    before = {r["指標ID"]: r for r in rows if r["基準月"] == "2025-09"}
    assert {i: r["達成率"] for i, r in before.items()} == {i: f["prev_rate"] for i, f in PUBLISHED.items()}
    _, kpis = table(aomori["2025-12"]["-kpi-history.csv"])
    assert {r["KPIID"]: r["KPIの値"] for r in kpis if r["基準月"] == "2025-09"} == {k: f["prev"] for k, f in KPIS.items()}
    assert {r["KPIID"]: r["前期差"] for r in kpis if r["基準月"] == "2025-12"} == {k: f["diff"].lstrip("+") for k, f in KPIS.items()}


def test_the_column_definitions_name_every_column_of_every_file(sample):
    files = sample["2026-03"]
    header, rows = table(files["-columns.csv"])
    assert header == ["ファイル", "列名", "型", "説明"]
    for t in TABLES:
        name = f"dxreport-2026-03{t}.csv"
        columns, _ = table(files[f"{t}.csv"])
        assert [r["列名"] for r in rows if r["ファイル"] == name] == columns, t
        doc = json.loads(files[f"{t}.json"])
        assert [(c["名前"], c["型"], c["説明"]) for c in doc["列"]] == [(r["列名"], r["型"], r["説明"]) for r in rows if r["ファイル"] == name]
    assert {r["ファイル"] for r in rows} == {f"dxreport-2026-03{t}.csv" for t in TABLES}
    assert all(r["説明"] and r["型"] in ("文字列", "数値", "年月（YYYY-MM）") for r in rows)


def test_json_states_encoding_licence_and_update_history(sample):
    doc = json.loads(sample["2026-03"]["-history.json"])
    assert doc["CSVの文字コード"] == "UTF-8（BOM付き）" and doc["CSVの改行"] == "CRLF"
    assert doc["ライセンス"] == "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）"
    assert doc["ライセンスのURL"] == "https://creativecommons.org/licenses/by/4.0/deed.ja"
    # One entry per press pack up to this one, with its notice's date.
    assert [(r["公表日"], r["基準月"]) for r in doc["更新履歴"]] == [
        ("2025-05-20", "2025-03"), ("2025-11-18", "2025-09"), ("2026-05-19", "2026-03")]
    assert [r["基準月"] for r in json.loads(sample["2025-09"][".json"])["更新履歴"]] == ["2025-03", "2025-09"]


def test_as_of_notes_are_published_with_their_western_years(sample):
    _, rows = table(sample["2026-03"][".csv"])
    pairs = {(r["値の時点"], r["値の時点の西暦表記"]) for r in rows}
    assert ("R5～R6の累計", "2023～2024の累計") in pairs and ("R7年9月時点", "2025年9月時点") in pairs
    assert all("R" not in west for note, west in pairs if "R" in note)


def test_western_years():
    from dxreport.japanese.era import western_years

    assert western_years("R6年度") == "2024年度"
    assert western_years("令和元年度") == "2019年度" and western_years("H30年") == "2018年"
    assert western_years("R4年労働時間 17.93時間") == "2022年労働時間 17.93時間"
    # Not an era year: letters or digits around it, or no number.
    assert western_years("BR5 R123 DX推進課") == "BR5 R123 DX推進課"


def test_a_later_period_does_not_change_an_earlier_packs_open_data(tmp_path, sample):
    ds = tmp_path / "sample"
    shutil.copytree(SAMPLE, ds)
    (ds / "periods" / "2026-03.yaml").unlink()
    assert packs(ds)["2025-09"] == sample["2025-09"]


def test_the_web_page_shows_licence_and_update_history(sample_pdf):
    from bs4 import BeautifulSoup

    doc = BeautifulSoup((sample_pdf.parent / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    section = doc.select_one(".downloads")
    licence = section.find("a", href="https://creativecommons.org/licenses/by/4.0/deed.ja")
    assert licence is not None and "CC BY 4.0" in licence.get_text()
    table_ = section.find("table")
    assert table_.caption.get_text() == "オープンデータの更新履歴"
    assert [tr.th.get_text() for tr in table_.tbody.find_all("tr")] == ["令和7年5月20日", "令和7年11月18日", "令和8年5月19日"]


def test_a_plan_without_a_licence_builds_with_a_located_warning(tmp_path, aomori_pdf):
    from bs4 import BeautifulSoup

    result = run("validate", str(AOMORI))
    assert result.returncode == 0 and "no licence" not in result.stderr  # validation does not nag
    ds = tmp_path / "aomori"
    shutil.copytree(AOMORI, ds)
    result = run("build", str(ds), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    line = next(i for i, text in enumerate((ds / "plan.yaml").read_text(encoding="utf-8").splitlines(), 1) if text.startswith("plan:"))
    assert f"warning: {ds / 'plan.yaml'}:{line}: plan: no licence: the open data is published without one" in result.stderr
    page = BeautifulSoup((aomori_pdf.parent / "html" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "ライセンス" not in page.select_one(".downloads").get_text()  # nothing claimed that is not there

    def licensed(data):
        data["plan"]["licence"] = "CC BY 4.0"

    edit_yaml(ds / "plan.yaml", licensed)
    result = run("build", str(ds), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "no licence" not in result.stderr
    assert json.loads((tmp_path / "out" / "dxreport-2025-12.json").read_bytes())["ライセンス"] == "CC BY 4.0"


def test_a_licence_that_is_not_text_is_a_located_problem(tmp_path):
    ds = tmp_path / "sample"
    shutil.copytree(SAMPLE, ds)

    def bad(data):
        data["plan"]["licence"] = ["CC BY 4.0"]

    edit_yaml(ds / "plan.yaml", bad)
    result = run("validate", str(ds))
    assert result.returncode == 2
    assert "plan.yaml:" in result.stderr and "plan.licence" in result.stderr, result.stderr


NUMERIC = {"目標値", "値", "達成率", "達成率の計算に用いた値", "KPIの値", "前期差", "中間指標の数", "値のない中間指標の数"}


@pytest.mark.parametrize("which", ["aomori", "sample"])
def test_every_record_is_one_line_of_numbers_as_numbers(which, request):
    from decimal import Decimal

    files = request.getfixturevalue(which)
    checked = 0
    for period, named in files.items():
        for suffix in TABLES:
            data = named[f"{suffix}.csv"]
            assert data.startswith(b"\xef\xbb\xbf")
            header, rows = table(data)
            lines = data.decode("utf-8-sig").split("\r\n")
            assert lines[-1] == "" and len(lines) - 2 == len(rows), "a record broke across lines"
            assert "基準月" in header and not any(p in h for h in header for p in ("前期の値", "今期"))
            for row in rows:
                for name in NUMERIC & set(header):
                    if row[name] != "":
                        Decimal(row[name])  # raises on anything that is not a plain number
                        checked += 1
                if "値の時点" in row:
                    assert "値の時点の西暦表記" in row  # 和暦 never without its 西暦 beside it
    assert checked > 100


@pytest.mark.parametrize("which", ["aomori", "sample"])
def test_each_rate_recomputes_exactly_from_its_row(which, request):
    from decimal import ROUND_HALF_UP, Decimal

    for named in request.getfixturevalue(which).values():
        _, rows = table(named["-history.csv"])
        for row in rows:
            if row["達成率"] == "":
                continue
            raw = Decimal(row["達成率の計算に用いた値"]) / Decimal(row["目標値"]) * 100
            rate = min(max(raw, Decimal(0)), Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            assert rate == Decimal(row["達成率"]), row


def test_the_unrounded_value_is_published_where_the_rate_needs_it(aomori):
    _, rows = table(aomori["2025-12"][".csv"])
    at = {(r["基準月"], r["指標ID"]): r for r in rows}
    telework = next(r for (p, i), r in at.items() if p == "2025-12" and r["値"] == "52.5")
    assert telework["達成率"] == "87.3" and telework["達成率の計算に用いた値"] == "52.47"


def test_json_numbers_are_the_exact_decimals_of_the_csv(sample, aomori):
    from decimal import Decimal

    for files in (sample, aomori):
        for named in files.values():
            for suffix in TABLES:
                doc = json.loads(named[f"{suffix}.json"], parse_float=Decimal)
                _, rows = table(named[f"{suffix}.csv"])
                assert len(doc["データ"]) == len(rows)
                for j, c in zip(doc["データ"], rows):
                    for name, v in j.items():
                        if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
                            assert Decimal(c[name]) == Decimal(v) and str(v) == c[name], (name, v, c[name])


def test_a_figure_too_long_for_a_float_stays_exact(tmp_path, dataset_copy):
    from decimal import Decimal

    root = dataset_copy(SAMPLE)
    file = root / "periods" / "2026-03.yaml"
    text = file.read_text(encoding="utf-8")
    ident = "dx-consult"
    assert text.count("dx-consult: {value: 268,") == 1
    file.write_text(text.replace("dx-consult: {value: 268,", "dx-consult: {value: 99999999999999.99,"), encoding="utf-8")
    out = tmp_path / "pack"
    result = run("build", str(root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    doc = json.loads((out / "dxreport-2026-03.json").read_bytes(), parse_float=Decimal)
    mine = [r for r in doc["データ"] if r["指標ID"] == ident and r["基準月"] == "2026-03"]
    assert mine and mine[0]["達成率の計算に用いた値"] == Decimal("99999999999999.99")
    assert "99999999999999.99" in (out / "dxreport-2026-03.csv").read_text(encoding="utf-8-sig")


def test_json_kpi_figures_are_the_published_ones(aomori):
    """The KPI figures as the JSON has them are the release's (tests/test_published.py: the PDF prints them)."""
    from decimal import Decimal


    doc = json.loads(aomori["2025-12"]["-kpi.json"], parse_float=Decimal)
    now = {r["KPIID"]: r for r in doc["データ"] if r["基準月"] == "2025-12"}
    assert len(now) == 8
    for ident, published in KPIS.items():
        assert now[ident]["KPIの値"] == Decimal(published["curr"]), ident
        assert now[ident]["前期差"] == Decimal(published["diff"]), ident
