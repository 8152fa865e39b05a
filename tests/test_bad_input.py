"""Bad input: exit status 2, one message per problem naming file, line and field; no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fails(*args: str) -> list[str]:
    for command in ("validate", "build"):
        result = run(command, *args)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stdout == "" or command == "validate"
    return [x for x in result.stderr.splitlines() if x.startswith("error: ")]


def test_yaml_syntax_error(dataset_copy):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    replace(period, "consult-count: {value: 218, note: R5～R6の累計}", "consult-count: {value: 218, note: [R5～R6の累計}")
    lines = fails(str(ds))
    assert len(lines) == 1
    assert f"2025-12.yaml:{line_of(period, 'consult-count')}: YAML syntax error" in lines[0]


def test_duplicate_key_is_reported(dataset_copy):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    replace(period, "previous: 2025-09", "previous: 2025-09\nprevious: 2025-06")
    (line,) = fails(str(ds))
    assert "2025-12.yaml:" in line and "duplicate" in line.lower() and "previous" in line


def test_missing_field(dataset_copy):
    ds = dataset_copy()
    plan = ds / "plan.yaml"
    replace(plan, "            target: 375\n", "")
    (line,) = fails(str(ds))
    assert f"plan.yaml:{line_of(plan, 'id: consult-count')}: fields.0.kpis.0.indicators.0.target: required but missing" in line


def test_non_number(dataset_copy):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    replace(period, "consult-count: {value: 218,", "consult-count: {value: 二百十八,")
    (line,) = fails(str(ds))
    assert f"2025-12.yaml:{line_of(period, 'consult-count')}: values.consult-count.value: not a number: '二百十八'" in line


@pytest.mark.parametrize("target", ["0", "-5"])
def test_zero_or_negative_target(dataset_copy, target):
    ds = dataset_copy()
    plan = ds / "plan.yaml"
    replace(plan, "target: 375", f"target: {target}")
    (line,) = fails(str(ds))
    assert f"plan.yaml:{line_of(plan, f'target: {target}')}: fields.0.kpis.0.indicators.0.target:" in line
    assert "greater than 0" in line


def test_unknown_indicator_id(dataset_copy):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    replace(period, "  consult-count: {", "  consult-cuont: {")
    lines = fails(str(ds))
    assert any(f"2025-12.yaml:{line_of(period, 'consult-cuont')}: values.consult-cuont: unknown indicator id 'consult-cuont'" in x for x in lines)
    assert any("no value for indicator 'consult-count'" in x for x in lines)
    assert len(lines) == 2


def test_duplicate_indicator_id(dataset_copy):
    ds = dataset_copy()
    plan = ds / "plan.yaml"
    replace(plan, "- id: sme-talent-share", "- id: consult-count")
    (line,) = fails(str(ds))
    assert "plan.yaml:" in line and "duplicate id 'consult-count'" in line


def test_period_not_yyyy_mm(dataset_copy):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    replace(period, "period: 2025-12", "period: 2025-13")
    lines = fails(str(ds))
    assert any(f"2025-12.yaml:{line_of(period, 'period: 2025-13')}: period: '2025-13' is not a period in the form YYYY-MM" in x for x in lines)


def test_previous_period_missing(dataset_copy):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    replace(period, "previous: 2025-09", "previous: 2025-06")
    (line,) = fails(str(ds))
    assert f"2025-12.yaml:{line_of(period, 'previous: 2025-06')}: previous: period 2025-06 does not exist" in line


def test_file_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere"
    (line,) = fails(str(missing))
    assert str(missing) in line and "does not exist" in line


def test_plan_file_missing(dataset_copy):
    ds = dataset_copy()
    (ds / "plan.yaml").unlink()
    (line,) = fails(str(ds))
    assert "plan.yaml" in line and "does not exist" in line


def test_several_problems_reported_at_once(dataset_copy):
    ds = dataset_copy()
    period = ds / "periods" / "2025-12.yaml"
    replace(period, "consult-count: {value: 218,", "consult-count: {value: abc,")
    replace(period, "previous: 2025-09", "previous: 2025-9")
    lines = fails(str(ds))
    assert len(lines) == 2


def test_failed_build_leaves_previous_output_untouched(dataset_copy, tmp_path):
    ds = dataset_copy()
    out = tmp_path / "out"
    assert run("build", str(ds), "--out", str(out)).returncode == 0
    def snapshot():
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    before = snapshot()
    assert "dxreport-2025-12.pdf" in before
    replace(ds / "periods" / "2025-12.yaml", "consult-count: {value: 218,", "consult-count: {value: abc,")
    assert run("build", str(ds), "--out", str(out)).returncode == 2
    assert snapshot() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", ds.name])  # no staging left behind
