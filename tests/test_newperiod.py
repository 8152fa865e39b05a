"""dxreport new-period: the next period's file, carried over and marked not yet updated."""

from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

from conftest import AOMORI, SAMPLE, run

from dxreport.source import dataset as ds_mod


def _same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only (recursively)."""
    cmp = filecmp.dircmp(a, b)
    out = [str(Path(a, n)) for n in cmp.left_only + cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    out += [str(Path(a, n)) for n in mismatch + errors]
    for sub in cmp.common_dirs:
        out += _same_tree(a / sub, b / sub)
    return out


def test_new_period_carries_everything_over(dataset_copy):
    root = dataset_copy(AOMORI)
    result = run("new-period", "2026-06", str(root))
    assert result.returncode == 0, result.stderr
    path = root / "periods" / "2026-06.yaml"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    # Only the new file: the plan and the other periods are untouched.
    (path).rename(root.parent / "new.yaml")
    assert _same_tree(root, AOMORI) == []
    (root.parent / "new.yaml").rename(path)

    ds, chosen = ds_mod.load(str(root), "2026-06")
    new, old = ds.period("2026-06"), ds.period("2025-12")
    assert chosen == "2026-06" and new.previous == "2025-12"
    assert set(new.values) == set(ds.plan.indicators())
    for ident, obs in new.values.items():
        assert obs.updated is False
        assert (obs.value, obs.note) == (old.values[ident].value, old.values[ident].note)
    assert all(o.updated for o in old.values.values())  # existing data: updated by default
    # The notice: copied, dated the first day after the period, marked 要修正.
    assert new.notice.date == dt.date(2026, 7, 1)
    assert new.notice.model_dump(exclude={"date"}) == old.notice.model_dump(exclude={"date"})
    assert "date: 2026-07-01  # 要修正" in text
    assert new.cases == {}
    assert set(new.basic_targets) == set(old.basic_targets)
    assert all(not bt.updated and bt.stated_change is None for bt in new.basic_targets.values())
    assert "# 未更新" not in text and "updated: false" in text
    # Exact values are written as they were stored (52.47 stays 52.47, 60.0 stays 60.0).
    assert "muni-telework: {value: 52.47, note: R6年度, updated: false}" in text
    assert "mynaportal-26: {value: 60.0, note: R6年度, updated: false}" in text
    assert run("validate", str(root)).returncode == 0


def test_new_period_from_an_earlier_period(dataset_copy):
    root = dataset_copy(AOMORI)
    result = run("new-period", "2026-03", str(root), "--from", "2025-09")
    assert result.returncode == 0, result.stderr
    ds, _ = ds_mod.load(str(root), "2026-03")
    new, old = ds.period("2026-03"), ds.period("2025-09")
    assert new.previous == "2025-09"
    assert {k: v.value for k, v in new.values.items()} == {k: v.value for k, v in old.values.items()}
    # 2025-09 has no notice: the latest one (2025-12's) is copied, dated afresh.
    assert new.notice.date == dt.date(2026, 4, 1)
    latest, _ = ds_mod.load(str(root), "2025-12")
    assert new.notice.body == latest.period("2025-12").notice.body


def test_new_period_keeps_known_basic_target_years(dataset_copy):
    root = dataset_copy(SAMPLE)
    assert run("new-period", "2026-09", str(root)).returncode == 0
    ds, _ = ds_mod.load(str(root), "2026-09")
    new, old = ds.period("2026-09"), ds.period("2026-03")
    for ident, bt in old.basic_targets.items():
        assert new.basic_targets[ident].years == bt.years
        assert new.basic_targets[ident].note == bt.note
        assert new.basic_targets[ident].updated is False
    text = (root / "periods" / "2026-09.yaml").read_text(encoding="utf-8")
    assert "      2021: ~\n" in text
    assert "mynacard-insurance: {value: ~, note: 未公表, updated: false}" in text
    assert "cases" not in text


def test_new_period_never_overwrites(dataset_copy):
    root = dataset_copy(AOMORI)
    assert run("new-period", "2026-06", str(root)).returncode == 0
    path = root / "periods" / "2026-06.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    before = path.read_bytes()
    result = run("new-period", "2026-06", str(root))
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert path.read_bytes() == before
    result = run("new-period", "2025-12", str(root))
    assert result.returncode == 2 and "already exists" in result.stderr


def test_new_period_bad_arguments(dataset_copy):
    root = dataset_copy(AOMORI)
    for args, says in (
        (("2026-13",), "not a period"),
        (("2025-10", "--from", "2025-12"), "must come after"),
        (("2026-06", "--from", "2024-12"), "file does not exist"),
        (("2026-06", "--from", "12-2025"), "not a period"),
    ):
        result = run("new-period", args[0], str(root), *args[1:])
        assert result.returncode == 2, (args, result.stderr)
        assert says in result.stderr, (args, result.stderr)
    assert _same_tree(root, AOMORI) == []
