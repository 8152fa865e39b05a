"""dxreport diff OLD NEW: every figure and text that changed, was added or was removed."""

from __future__ import annotations

from pathlib import Path

from conftest import AOMORI, run
from dxreport.proofread import diff
from test_check import FIRST, PLAN, SECOND, crafted  # noqa: F401 - the fixture


def test_two_periods_of_aomori():
    result = run("diff", str(AOMORI / "periods" / "2025-09.yaml"), str(AOMORI / "periods" / "2025-12.yaml"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # A value with its note, its computed rate and the KPI.
    assert "~ value 首都圏デジタル人材との交流会参加者数 [talent-exchange]: 209人 (R6年度) → 382人 (R6～R7の累計)" in out
    assert "~ rate 首都圏デジタル人材との交流会参加者数 [talent-exchange]: 46.4% → 84.9%" in out
    assert "~ KPI 県内企業のDXの推進状況 [industry-1]: 54.9% → 63.2%" in out
    assert "~ value 給与1万円当たり労働時間の減少率(R4年の値との比較) [hours-per-wage-cut]: ▲0.3% (R5年) → 3.9% (R6年)" in out
    # Unchanged figures are not listed.
    assert "[consult-count]" not in out
    # Texts of the period: the notice exists only in 2025-12.
    assert "+ notice › date: 2026-02-04" in out
    assert "~ period: 2025-09 → 2025-12" in out
    assert out.rstrip().splitlines()[-1].endswith("removed")


def test_same_dataset_has_no_differences():
    result = run("diff", str(AOMORI), str(AOMORI / "periods" / "2025-12.yaml"))
    assert result.returncode == 0, result.stderr
    assert "no differences" in result.stdout


def test_changed_added_removed_between_datasets(crafted, tmp_path: Path):  # noqa: F811
    old = crafted()
    new = tmp_path / "new"
    import shutil

    shutil.copytree(old, new)
    plan = PLAN.replace("target: 400", "target: 500").replace(
        "          - id: training\n            name: 研修の参加企業数\n            unit: 社\n            target: 200\n            source: 総合政策部調べ\n", "")
    plan = plan.replace("            target: 1000\n", "            target: 1000\n          - id: events\n            name: 研修会の開催回数\n            unit: 回\n            target: 10\n")
    (new / "plan.yaml").write_text(plan, encoding="utf-8")
    second = SECOND.replace("  training: {value: 60, note: R6年度}\n", "  events: {value: 4, note: R6年度}\n").replace(
        "県内企業の相談に応じる窓口を開設した。", "県内企業の相談に応じる窓口を開設し、予約制とした。")
    (new / "periods" / "2025-09.yaml").write_text(second, encoding="utf-8")
    first = FIRST.replace("  training: {value: 50, note: R5年度}\n", "  events: {value: 2, note: R5年度}\n")
    (new / "periods" / "2025-03.yaml").write_text(first, encoding="utf-8")

    cmp = diff.compare(str(old), str(new))
    lines = [str(c) for c in cmp.changes]
    assert "~ fields › 産業・しごと [industry] › kpis › 県内企業のDXの推進状況 [industry-1] › indicators › 県内企業の相談件数 [consult] › target: 400 → 500" in lines
    assert "~ rate 県内企業の相談件数 [consult]: 30.0% → 24.0%" in lines
    assert "- value 研修の参加企業数 [training]: 60社 (R6年度)" in lines
    assert "+ value 研修会の開催回数 [events]: 4回 (R6年度)" in lines
    assert "+ rate 研修会の開催回数 [events]: 40.0%" in lines
    assert any(line.startswith("- fields › 産業・しごと [industry]") and "研修の参加企業数 [training] › target: 200" in line for line in lines)
    assert "~ cases › industry › 「県がデジタル相談窓口を開設」 › bullets [1]: 県内企業の相談に応じる窓口を開設した。 → 県内企業の相談に応じる窓口を開設し、予約制とした。" in lines
    text = diff.render(cmp)
    assert text.startswith(f"{cmp.old_name} → {cmp.new_name}")
    assert "figures (values, rates, KPIs)" in text and "plan (" in text and "period texts (" in text


def test_bad_side_is_exit_2(tmp_path: Path):
    result = run("diff", str(AOMORI), str(tmp_path / "nothing"))
    assert result.returncode == 2 and "does not exist" in result.stderr
