"""Every output file of the shipped datasets' packs, every period, built with one
and with two processes, has the bytes recorded in tests/pinned/outputs.json.

A change meant to change the output rewrites the record on purpose
(`python tools/pin_outputs.py`) and commits it with the change; any other
difference is a regression this test names file by file."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import pin_outputs  # noqa: E402


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_output_file_has_its_recorded_bytes(jobs, tmp_path):
    recorded = json.loads(pin_outputs.RECORD.read_text(encoding="utf-8"))
    built = pin_outputs.build_hashes(jobs, tmp_path)
    assert {k.split("/")[0] for k in recorded} == set(pin_outputs.DATASETS)
    assert pin_outputs.differences(recorded, built) == []
