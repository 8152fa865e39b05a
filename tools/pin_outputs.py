"""Record the SHA-256 of every file the shipped datasets' packs hold.

The record (tests/pinned/outputs.json) is what tests/test_pinned_outputs.py
compares every build with: a change that is meant to change the output is
followed by running this script, deliberately, and committing the new record
with it, so that the diff of the record shows which files changed.

    .venv/bin/python tools/pin_outputs.py          # rewrite the record
    .venv/bin/python tools/pin_outputs.py --check  # compare only (exit 1 on a difference)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "pinned" / "outputs.json"
DATASETS = ("aomori", "sample", "example")


def build_hashes(jobs: int, out: Path) -> dict[str, str]:
    """Every period of every shipped dataset built with ``jobs`` processes: {dataset/period/file: sha256}."""
    hashes: dict[str, str] = {}
    # The default language: the Word draft's review comments are in it.
    env = dict(os.environ, PYTHONIOENCODING="utf-8", DXREPORT_LANG="ja")
    for name in DATASETS:
        target = out / name
        proc = subprocess.run(
            [sys.executable, "-m", "dxreport", "build", str(ROOT / "data" / name), "--all", "--jobs", str(jobs), "--out", str(target)],
            cwd=ROOT, capture_output=True, text=True, env=env, timeout=600,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"build of {name} with --jobs {jobs} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        for path in sorted(target.rglob("*")):
            if path.is_file():
                hashes[f"{name}/{path.relative_to(target).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def differences(recorded: dict[str, str], built: dict[str, str]) -> list[str]:
    out = [f"missing: {k}" for k in sorted(recorded.keys() - built.keys())]
    out += [f"new: {k}" for k in sorted(built.keys() - recorded.keys())]
    out += [f"changed: {k}" for k in sorted(recorded.keys() & built.keys()) if recorded[k] != built[k]]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the record instead of rewriting it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = build_hashes(1, Path(tmp) / "one")
        two = build_hashes(2, Path(tmp) / "two")
    if one != two:
        print("one and two processes differ:\n" + "\n".join(differences(one, two)), file=sys.stderr)
        return 1
    if args.check:
        diff = differences(json.loads(RECORD.read_text(encoding="utf-8")), one)
        print("\n".join(diff) or "every file as recorded")
        return 1 if diff else 0
    RECORD.parent.mkdir(parents=True, exist_ok=True)
    RECORD.write_text(json.dumps(one, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(one)} files in {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
