"""How fast the pack builds, against the time it takes to import its libraries.

    python benchmarks/bench_build.py [--runs N] [--dataset DIR]

Every run is a cold, whole process (``dxreport build`` into a temporary folder:
PDF, Word, web pages, open data, 検算表), alternated with a bare import of the
libraries the build uses, so both see the same machine. Reported: wall time
(median and best of the runs), CPU time, the largest process's peak RSS and
the peak total RSS of all its processes, the output sizes, the import floor,
the ratio, and the times of ``validate``, ``check`` and ``summary`` and of
``build --all`` on one and on two processes. Exit status 1 if a target is
missed (issue 9): build ≤ 1.5 × floor, RSS ≤ 250 MiB, PDF ≤ 400 KB,
validate/check/summary < 0.3 s each without matplotlib or reportlab.

A benchmark, not a test: timings vary with the machine and its load, so the
test suite never asserts them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every third-party library a build imports, by the modules it imports (matplotlib
# without pyplot, as charts.py uses it): the floor no build can go below.
LIBRARIES = (
    "matplotlib.figure", "matplotlib.backends.backend_agg", "matplotlib.backends.backend_svg",
    "reportlab.platypus", "reportlab.graphics.shapes", "svglib.svglib", "docx",
    "jinja2", "fontTools.subset", "openpyxl", "pydantic", "ruamel.yaml", "click", "PIL.Image",
)
MiB = 1024 * 1024


def dxreport(*args: str) -> list[str]:
    return [sys.executable, "-m", "dxreport", *args]


def _tree_rss(root_pid: int) -> int:
    """The RSS of a process and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def timed(cmd: list[str], cwd: Path = ROOT, total_rss: bool = False) -> dict:
    """Run a command as a fresh process: wall, CPU, the largest process's peak RSS and,
    with ``total_rss``, the peak RSS of all its processes together (sampled from /proc,
    which costs CPU: not on the runs that are timed)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_total = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_total
        while not done.is_set():
            try:
                peak_total = max(peak_total, _tree_rss(proc.pid))
            except OSError:
                pass
            done.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    if total_rss and Path("/proc").is_dir():
        sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and "check" not in cmd):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode(errors='replace')}")
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        # ru_maxrss of waited-for children: the largest single process, in KiB on Linux.
        "rss": after.ru_maxrss * 1024,
        "rss_total": peak_total,
    }


def imports_of(cmd: list[str]) -> set[str]:
    """The top-level modules a command imports (python -X importtime)."""
    proc = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], cwd=ROOT, capture_output=True, text=True)
    mods = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            mods.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return mods


def sizes(folder: Path) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            key = "html/" if p.relative_to(folder).parts[0] == "html" else p.suffix or p.name
            out[key] = out.get(key, 0) + p.stat().st_size
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="runs of each measurement (default 7)")
    ap.add_argument("--dataset", help="dataset folder (default: the one data/index.yaml names)")
    ap.add_argument("--all-dataset", default=str(ROOT / "data" / "sample"),
                    help="dataset for build --all, with several periods to build (default: data/sample)")
    args = ap.parse_args()
    ds = [args.dataset] if args.dataset else []
    work = Path(tempfile.mkdtemp(prefix="dxreport-bench-"))
    failures: list[str] = []
    try:
        floor, builds = [], []
        out = work / "pack"
        for _ in range(args.runs):
            floor.append(timed([sys.executable, "-c", "import " + ", ".join(LIBRARIES)]))
            builds.append(timed(dxreport("build", *ds, "--out", str(out))))
        f_wall = statistics.median(r["wall"] for r in floor)
        b_wall = statistics.median(r["wall"] for r in builds)
        ratio = b_wall / f_wall
        rss = max(r["rss"] for r in builds)
        rss_total = timed(dxreport("build", *ds, "--out", str(out)), total_rss=True)["rss_total"]
        print(f"cores: {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count()}, "
              f"runs: {args.runs}, python {sys.version.split()[0]}")
        print(f"import floor   {f_wall:6.2f} s median, {min(r['wall'] for r in floor):.2f} s best  ({len({m.split('.')[0] for m in LIBRARIES})} libraries)")
        print(f"full build     {b_wall:6.2f} s median, {min(r['wall'] for r in builds):.2f} s best, "
              f"CPU {statistics.median(r['cpu'] for r in builds):.2f} s")
        print(f"ratio          {ratio:6.2f} × the import floor (target ≤ 1.5)")
        print(f"peak RSS       {rss / MiB:6.0f} MiB largest process (target ≤ 250), {rss_total / MiB:.0f} MiB all processes together")
        for key, size in sizes(out).items():
            print(f"  {key:14s} {size / 1024:8.0f} KB")
        pdf = sum(p.stat().st_size for p in out.glob("*.pdf"))
        if ratio > 1.5:
            failures.append(f"build is {ratio:.2f} × the import floor")
        if rss > 250 * MiB:
            failures.append(f"peak RSS {rss / MiB:.0f} MiB")
        if pdf > 400 * 1024:
            failures.append(f"PDF {pdf / 1024:.0f} KB")

        for command in ("validate", "check", "summary"):
            cmd = dxreport(command, *ds)
            t = statistics.median(timed(cmd)["wall"] for _ in range(args.runs))
            heavy = sorted(imports_of(cmd) & {"matplotlib", "reportlab", "docx", "svglib", "fontTools", "openpyxl"})
            print(f"{command:14s} {t:6.2f} s{'  imports ' + ', '.join(heavy) if heavy else ''}")
            if t >= 0.3 or heavy:
                failures.append(f"{command} takes {t:.2f} s{' and imports ' + ', '.join(heavy) if heavy else ''}")

        many = args.all_dataset
        ones, twos = [], []
        for _ in range(max(1, args.runs // 2)):  # alternated, as above: both see the same machine
            ones.append(timed(dxreport("build", many, "--all", "--jobs", "1", "--out", str(work / "all1")))["wall"])
            twos.append(timed(dxreport("build", many, "--all", "--jobs", "2", "--out", str(work / "all2")))["wall"])
        one, two = statistics.median(ones), statistics.median(twos)
        periods = len([p for p in (work / "all2").iterdir() if p.is_dir()])
        print(f"build --all    {one:6.2f} s on one process, {two:.2f} s on two: {one / two:.2f}× ({periods} periods of {Path(many).name})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print(f"MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
