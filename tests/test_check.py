"""dxreport check: each finding kind fires on a crafted dataset and stays silent on a clean one."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import AOMORI, run
from dxreport.proofread import check
from dxreport.source import dataset

PLAN = """\
plan:
  name: テスト県DX推進プラン
  organisation: テスト県
  target_year: 2028
fields:
  - id: industry
    name: 産業・しごと
    kpis:
      - id: industry-1
        name: 県内企業のDXの推進状況
        components: 県内企業の相談件数、研修の参加企業数など
        indicators:
          - id: consult
            name: 県内企業の相談件数
            unit: 件
            target: 400
            source: 総合政策部調べ
          - id: training
            name: 研修の参加企業数
            unit: 社
            target: 200
            source: 総合政策部調べ
  - id: admin
    name: 行政経営
    kpis:
      - id: admin-1
        name: 職員の育成状況
        components: 受講者数
        indicators:
          - id: staff
            name: 受講者数
            unit: 人
            target: 1000
"""

FIRST = """\
period: 2025-03
values:
  consult: {value: 100, note: R5年度}
  training: {value: 50, note: R5年度}
  staff: {value: 300, note: R5年度}
"""

SECOND = """\
period: 2025-09
previous: 2025-03
values:
  consult: {value: 120, note: R6年度}
  training: {value: 60, note: R6年度}
  staff: {value: 350, note: R6年度}
cases:
  industry:
    - title: 県がデジタル相談窓口を開設
      bullets:
        - 県内企業の相談に応じる窓口を開設した。
"""


@pytest.fixture
def crafted(tmp_path: Path):
    """A clean dataset; ``make(plan=..., second=...)`` writes it with some texts replaced."""

    def make(plan: str = PLAN, first: str = FIRST, second: str = SECOND) -> Path:
        root = tmp_path / "crafted"
        (root / "periods").mkdir(parents=True, exist_ok=True)
        (root / "plan.yaml").write_text(plan, encoding="utf-8")
        (root / "periods" / "2025-03.yaml").write_text(first, encoding="utf-8")
        (root / "periods" / "2025-09.yaml").write_text(second, encoding="utf-8")
        return root

    return make


def findings(root: Path, threshold: Decimal = check.DEFAULT_THRESHOLD) -> list[check.Finding]:
    ds, period = dataset.load(str(root))
    return check.run(ds, period, threshold)


def kinds(found: list[check.Finding]) -> set[str]:
    return {f.kind for f in found}


def test_clean_dataset_has_no_findings(crafted):
    root = crafted()
    assert findings(root) == []
    result = run("check", str(root))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


def test_unchanged_value_and_note(crafted):
    root = crafted(second=SECOND.replace("consult: {value: 120, note: R6年度}", "consult: {value: 100, note: R5年度}"))
    found = [f for f in findings(root) if f.kind == "unchanged-value"]
    assert len(found) == 1
    f = found[0]
    assert f.severity == check.NOTICE and "県内企業の相談件数" in f.subject
    assert (f.file.endswith("2025-09.yaml"), f.line, f.field) == (True, 4, "values.consult.value")
    assert "100件 (R5年度)" in f.message and "2025-03" in f.message


def test_note_unchanged_while_value_changed(crafted):
    root = crafted(second=SECOND.replace("training: {value: 60, note: R6年度}", "training: {value: 60, note: R5年度}"))
    found = [f for f in findings(root) if f.kind == "value-changed-note-not"]
    assert [(f.line, f.field) for f in found] == [(5, "values.training.note")]
    assert "50社 → 60社" in found[0].message


def test_note_changed_while_value_unchanged(crafted):
    root = crafted(second=SECOND.replace("staff: {value: 350, note: R6年度}", "staff: {value: 300, note: R6年度}"))
    found = [f for f in findings(root) if f.kind == "note-changed-value-not"]
    assert [f.field for f in found] == ["values.staff.note"]
    assert "R5年度 → R6年度" in found[0].message


def test_rate_and_kpi_jump_with_threshold(crafted):
    # consult 100 → 300 of 400: rate 25.0 → 75.0, KPI (25.0+25.0)/2=25.0 → (75.0+30.0)/2=52.5
    root = crafted(second=SECOND.replace("consult: {value: 120,", "consult: {value: 300,"))
    found = findings(root)
    rate = [f for f in found if f.kind == "rate-jump"]
    kpi = [f for f in found if f.kind == "kpi-jump"]
    assert [f.field for f in rate] == ["values.consult.value"]
    assert "+50.0ポイント" in rate[0].message
    assert [f.field for f in kpi] == ["fields.0.kpis.0.name"] and kpi[0].file.endswith("plan.yaml")
    assert "+27.5ポイント" in kpi[0].message
    # A higher threshold silences both; a lower one catches smaller moves.
    assert not kinds(findings(root, Decimal(60))) & {"rate-jump", "kpi-jump"}
    assert "rate-jump" in kinds(findings(crafted(), Decimal(4)))  # consult 25.0 → 30.0
    result = run("check", str(root), "--threshold", "60")
    assert result.returncode == 0, result.stdout


def test_over_target_and_negative(crafted):
    root = crafted(second=SECOND.replace("consult: {value: 120,", "consult: {value: 1201,")
                   .replace("training: {value: 60,", "training: {value: -3,"))
    found = findings(root)
    over = [f for f in found if f.kind == "over-target"]
    neg = [f for f in found if f.kind == "negative-value"]
    assert [f.field for f in over] == ["values.consult.value"] and "1,201件" in over[0].message
    assert [f.field for f in neg] == ["values.training.value"] and "▲3社" in neg[0].message
    # Exactly three times the target is not yet suspicious.
    assert "over-target" not in kinds(findings(crafted(second=SECOND.replace("consult: {value: 120,", "consult: {value: 1200,"))))


@pytest.mark.parametrize("bad, kind", [
    ("県内企業のデジタルデバйド相談件数", "foreign-letter"),   # Cyrillic й
    ("県内企業のデジタルデバαド相談件数", "foreign-letter"),   # Greek α
    ("県内企業のﾃﾞｼﾞﾀﾙ相談件数", "half-width-katakana"),
    ("県内企業の相談件数(R5年度は１0件)", "mixed-digits"),
    ("県内企業の、、相談件数", "doubled-punctuation"),
    ("県内企業の相談件数。。", "doubled-punctuation"),
    ("県内企業の相談件数(DX総合窓口", "unbalanced-brackets"),
    ("「県内企業の相談件数」」", "unbalanced-brackets"),
    ("県内企業の相談件数(DX総合窓口」", "unbalanced-brackets"),
])
def test_text_problems(crafted, bad: str, kind: str):
    root = crafted(plan=PLAN.replace("name: 県内企業の相談件数", f"name: {bad}"))
    found = [f for f in findings(root) if f.kind == kind]
    assert len(found) == 1, found
    f = found[0]
    assert f.file.endswith("plan.yaml") and f.line == 14 and f.field == "fields.0.kpis.0.indicators.0.name"
    assert f.severity in (check.ERROR, check.WARNING)


def test_text_problems_in_period_texts(crafted):
    root = crafted(second=SECOND.replace("窓口を開設した。", "窓口を開設した。。"))
    found = [f for f in findings(root) if f.kind == "doubled-punctuation"]
    assert [f.field for f in found] == ["cases.industry.0.bullets.0"]
    assert found[0].file.endswith("2025-09.yaml") and found[0].line == 11


def test_latin_words_and_greek_alone_are_not_flagged(crafted):
    # English words, URLs and a Greek letter outside Japanese words are fine.
    root = crafted(plan=PLAN.replace("name: 県内企業の相談件数", "name: 県内企業の相談件数 (DX window, α test)"))
    assert findings(root) == []


@pytest.mark.parametrize("a, b", [
    ("デジタル人材", "デジタル人財"),
    ("スマート農機", "スマート農業機械"),
    ("スマート農機", "スマート農業機"),
])
def test_same_name_spelled_two_ways(crafted, a: str, b: str):
    plan = PLAN.replace("name: 研修の参加企業数", f"name: {a}の研修の参加企業数").replace(
        "components: 受講者数", f"components: {b}の受講者数")
    found = [f for f in findings(crafted(plan=plan)) if f.kind == "name-variant"]
    assert len(found) == 1, found
    assert {a, b} <= set(found[0].subject.split(" / "))
    assert found[0].file.endswith("plan.yaml") and found[0].line in (19, 28)


def test_similar_but_different_names_are_not_variants(crafted):
    # A term and a longer compound holding it, and two places, are different names.
    plan = PLAN.replace("name: 研修の参加企業数", "name: デジタル人材の研修の参加企業数").replace(
        "components: 受講者数", "components: デジタル人材育成の受講者数、テスト市とテスト県、遠隔授業と遠隔合同授業、"
        "インターネット上とインターネット公開、青森DXと青森県DX")
    assert [f for f in findings(crafted(plan=plan)) if f.kind == "name-variant"] == []


def test_shipped_aomori_reports_its_unchanged_figures():
    result = run("check", str(AOMORI), "--period", "2025-12")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "data/aomori/periods/2025-12.yaml:28: values.consult-count.value:" in out
    assert "218件 (R5～R6の累計) is the same as in 2025-09" in out
    assert "values.ict-construction.note" in out  # value changed, note R6年度 did not
    assert "values.fan-platform-groups.note" in out  # note changed, value 3 did not
    # The seed's two spellings, found by similarity.
    assert "デジタル人材 / デジタル人財" in out and "基本研修時 / 基礎研修時" in out
    assert "data/aomori/plan.yaml:96: fields.0.kpis.0.indicators.3.name: デジタル人材 / デジタル人財" in out
    # Grouped by severity, warnings before notices.
    assert out.index("warning (") < out.index("notice (")


def test_check_stays_light():
    code = (
        "import sys\n"
        "from dxreport.cli import main\n"
        "try:\n"
        f"    main(['check', {str(AOMORI)!r}])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 1, e.code\n"
        "heavy = [m for m in ('matplotlib', 'reportlab', 'docx', 'openpyxl') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_bad_dataset_is_exit_2(crafted):
    root = crafted(second=SECOND.replace("value: 120", "value: many"))
    result = run("check", str(root))
    assert result.returncode == 2 and "2025-09.yaml:4" in result.stderr
