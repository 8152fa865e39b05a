"""``validate`` refuses exactly what ``build`` refuses, with the same messages
(issue 14, item 3): every refused input of the hostile and message suites, run
through both commands."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE
from test_messages_source import HOSTILE


def _errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error")]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_validate_and_build_refuse_alike(tmp_path: Path, case: str) -> None:
    from dxreport.cli import main

    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    HOSTILE[case](root)
    runner = CliRunner()
    validated = runner.invoke(main, ["validate", str(root)])
    out = tmp_path / "out"
    built = runner.invoke(main, ["build", str(root), "--out", str(out), "--jobs", "1"])
    assert validated.exit_code == built.exit_code == 2, (validated.output[-500:], built.output[-500:])
    said = _errors(validated.output)
    assert said and said == _errors(built.output)
    assert not out.exists()  # nothing written
