"""How long ``dxreport validate`` takes, and how much memory, on hostile input.

    python benchmarks/bench_validate.py [--runs N] [--only NAME]

Each case is a period file (or plan) under 1 MB written to a copy of the sample
dataset: deep nesting, alias bombs, a megabyte-long text, a hundred thousand
unknown keys or bad values, and so on. Every run is a cold, whole process; its
wall time and peak RSS (``wait4``) are reported, the worst of the runs kept.
Exit status 1 if a case exceeds 5 s or 200 MiB, or ends other than with status
0 or 2 (a traceback, a crash, a signal) — the targets of issue 20.

A benchmark, not a test: timings vary with the machine and its load, so the
test suite never asserts them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
LATEST = "periods/2026-03.yaml"
MiB = 1024 * 1024
LIMIT = MiB  # every case is smaller than this
TIME_LIMIT, RSS_LIMIT = 5.0, 200 * MiB


def _fill(unit: str, head: str = "", tail: str = "") -> str:
    """``head`` + as many ``unit`` as keep it under 1 MB + ``tail``."""
    room = LIMIT - 1024 - len((head + tail).encode("utf-8"))
    return head + unit * (room // len(unit.encode("utf-8"))) + tail


def _period(extra: str) -> str:
    return (SAMPLE / LATEST).read_text(encoding="utf-8") + extra


def _laughs(levels: int, width: int) -> str:
    lines = ["lol:", "  l0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    lines += [f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * width) + "]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def cases() -> dict[str, tuple[str, Callable[[], str]]]:
    """name → (file in the dataset, what to write in it). Made one at a time, so that
    this process stays small: a child's peak RSS (wait4) counts its parent's at the fork."""
    return {
        "shipped sample (reference)": (LATEST, lambda: _period("")),
        "flow nesting [[[…": (LATEST, lambda: _fill("[", "deep: ")),
        "flow nesting {a: {a: …": (LATEST, lambda: _fill("{a: ", "deep: ")),
        "block nesting - - - …": (LATEST, lambda: _fill("- ", "deep:\n  ")),
        "billion laughs (9 × 10)": (LATEST, lambda: _period(_laughs(9, 10))),
        "alias fan-out (one anchor, 250k aliases)": (LATEST, lambda: _fill(" *a,", "x: &a [1]\ny: [", " 1]\n")),
        "recursive alias": (LATEST, lambda: _period("g: &g [1, *g]\n")),
        "one text of 1 MB": (LATEST, lambda: _fill("長", 'note: "', '"\n')),
        "90k unknown top-level keys": (LATEST, lambda: _period("".join(f"k{n}: 1\n" for n in range(90_000)))),
        "40k unknown indicator ids": (LATEST, lambda: _period("").replace("values:\n", "values:\n" + "".join(
            f"  x{n}: {{value: 1}}\n" for n in range(40_000)), 1)),
        "250k integers in a list": (LATEST, lambda: _fill("1, ", "numbers: [", "1]\n")),
        "80k bad dates": (LATEST, lambda: _fill("2026-02-30, ", "dates: [", "2026-01-01]\n")),
        "110k bad !!int": (LATEST, lambda: _fill("!!int x, ", "ints: [", "1]\n")),
        "35k explicit !!python tags": (LATEST, lambda: _fill("!!python/name:os.system x, ", "tags: [", "1]\n")),
        "100k surrogate escapes (libyaml refuses them)": (LATEST, lambda: _fill('"\\ud800", ', "s: [", '"a"]\n')),
        "surrogate escapes in 250 KB (the pure parser)": (LATEST, lambda: _period("s: [" + '"\\ud800", ' * 25_000 + '"a"]\n')),
        "syntax error after 1 MB": (LATEST, lambda: _fill("- {a: b}\n", "items:\n", "- [\n")),
        "110k lines of one-key mappings": (LATEST, lambda: _fill("- {a: b}\n", "items:\n")),
        "huge exponents": (LATEST, lambda: _fill("1e999999999, ", "big: [", "1]\n")),
        "4,000-digit integers": (LATEST, lambda: _fill("9" * 4000 + ", ", "big: [", "1]\n")),
        "long plain scalar lines": (LATEST, lambda: _period("").replace("values:\n", "values:\n" + "".join(
            f"  x{n}: {{value: 1, note: {'あ' * 3000}}}\n" for n in range(100)), 1)),
        "plan with 5,000 indicators": ("plan.yaml", lambda: _plan_with(5_000)),
        "a mapping of 25k keys merged": (LATEST, lambda: _period(
            "m: &m {" + ", ".join(f"k{n}: {n}" for n in range(25_000)) + "}\nn: {<<: *m}\n")),
    }


def _plan_with(count: int) -> str:
    text = (SAMPLE / "plan.yaml").read_text(encoding="utf-8")
    marker = "        indicators:\n"
    extra = "".join(f"          - {{id: extra-{n}, name: 指標{n}, unit: 件, target: 10}}\n" for n in range(count))
    return text.replace(marker, marker + extra, 1)


def run_case(root: Path, name: str, relative: str, text: str) -> tuple[float, int, int, str]:
    data = text.encode("utf-8")
    (root / relative).write_bytes(data)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "dxreport", "validate", str(root)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    head, lines = b"", 0  # only the first line kept: this process must stay small
    assert proc.stderr is not None
    while chunk := proc.stderr.read(1 << 16):
        if len(head) < 400:
            head += chunk[:400]
        lines += chunk.count(b"\n")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    first = head.decode("utf-8", "replace").split("\n")[0]
    return elapsed, usage.ru_maxrss * 1024, proc.returncode, f"{lines} line(s): {first[:110]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        print(f"{'case':44} {'size':>8} {'time':>7} {'RSS':>8} {'exit':>4}  first message")
        for name, (relative, make) in cases().items():
            if args.only and args.only not in name:
                continue
            text = make()
            root = Path(tmp) / "sample"
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(SAMPLE, root)
            size = len(text.encode("utf-8"))
            assert size < LIMIT, (name, size)
            worst = (0.0, 0, 0, "")
            for _ in range(args.runs):
                result = run_case(root, name, relative, text)
                worst = max(worst, result, key=lambda r: (r[0], r[1]))
                if result[2] not in (0, 2):
                    worst = result
                    break
            del text
            elapsed, rss, code, said = worst
            bad = code not in (0, 2) or elapsed > TIME_LIMIT or rss > RSS_LIMIT
            failed |= bad
            print(f"{name:44} {size / 1024:7.0f}K {elapsed:6.2f}s {rss / MiB:6.0f}Mi {code:>4}  {said}{'  <-- over' if bad else ''}")
    print(f"targets: every case under {TIME_LIMIT:g} s and {RSS_LIMIT // MiB} MiB, exit status 0 or 2: "
          + ("missed" if failed else "met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
