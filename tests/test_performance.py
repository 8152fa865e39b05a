"""What makes the build fast, checked as behaviour (issue 9); the timings
themselves are measured by benchmarks/bench_build.py, never asserted here."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import AOMORI, ROOT, SAMPLE, build_pack, edit_yaml, prepared, run

HEAVY = ("matplotlib", "reportlab", "docx", "svglib", "fontTools", "openpyxl", "numpy", "PIL")


def imported_by(*args: str) -> list[str]:
    """The heavy libraries a dxreport command imports, run in a fresh process."""
    code = (
        "import sys\n"
        "from dxreport.cli import main\n"
        f"sys.argv = ['dxreport', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r})), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    return eval(proc.stderr.strip().splitlines()[-1])  # noqa: S307 - our own print of a list of names


@pytest.mark.parametrize("command", ["validate", "check", "summary"])
def test_quick_commands_import_no_rendering_library(command):
    assert imported_by(command) == []


def test_two_process_build_leaves_matplotlib_and_numpy_to_the_helper(tmp_path):
    """The process laying out the PDF and web pages imports neither: numpy would
    come in only through openpyxl, for nothing (verify._import_openpyxl)."""
    code = (
        "import sys\n"
        "from dxreport.cli import main\n"
        f"sys.argv = ['dxreport', 'build', '--jobs', '2', '--out', {str(tmp_path / 'out')!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'matplotlib', 'openpyxl'}), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stderr.strip().splitlines()[-1] == "['openpyxl']", proc.stderr[-2000:]


def test_renderers_never_import_matplotlib():
    code = "import sys, dxreport.render.pdf, dxreport.render.docx, dxreport.render.html; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_glyph_coverage_read_from_the_cmap_matches_fonttools():
    from fontTools.ttLib import TTFont

    from dxreport.typeset import fonts

    for face in fonts.FACES:
        font = TTFont(str(fonts.path(face)))
        assert fonts._code_points(fonts.path(face)) == set(font.getBestCmap()), face.file


def test_advance_widths_read_from_the_font_match_fonttools():
    """The Word draft measures its notes with widths read from the font's own tables
    (fonts.advances), not by loading it into reportlab: the same widths as fontTools reads."""
    from fontTools.ttLib import TTFont

    from dxreport.typeset import fonts

    for face in fonts.FACES:
        font = TTFont(str(fonts.path(face)))
        units, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
        want = {cp: metrics[name][0] / units for cp, name in font.getBestCmap().items()}
        assert fonts.advances(face) == want, face.file
    regular = fonts.advances(fonts.REGULAR)
    assert fonts.text_width("各分野 22.5ポイント", fonts.REGULAR, 10.0) == 10.0 * sum(regular[ord(c)] for c in "各分野 22.5ポイント")


def test_each_chart_drawn_once_fonts_registered_once_and_no_system_font(monkeypatch, tmp_path):
    """One process (--jobs 1): every chart is drawn once, saved once as SVG and
    once as PNG for all formats (its phone copy once, as SVG for the web pages);
    each face is registered once; svglib never asks fontconfig for a system font."""
    from matplotlib.figure import Figure
    from reportlab.pdfbase import ttfonts
    from svglib.fonts import FontMap

    from dxreport.render import charts
    from dxreport.typeset import fonts

    drawn, saved, registered = [], [], []
    real_draw, real_save, real_ttf = charts.draw, Figure.savefig, ttfonts.TTFont.__init__
    monkeypatch.setattr(charts, "draw", lambda chart: drawn.append(chart.id) or real_draw(chart))
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: saved.append(k.get("format")) or real_save(self, *a, **k))
    monkeypatch.setattr(ttfonts.TTFont, "__init__", lambda self, name, *a, **k: registered.append(name) or real_ttf(self, name, *a, **k))

    def no_fontconfig(*args, **kwargs):
        raise AssertionError("svglib asked fontconfig for a system font")

    monkeypatch.setattr(FontMap, "use_fontconfig", no_fontconfig)
    from dxreport.render import pdf

    # Registered afresh for this build, whatever an earlier test of this process did.
    fonts.register_reportlab.cache_clear()
    pdf._fonts.cache_clear()
    build_pack(AOMORI, None, tmp_path / "out", jobs=1)
    ids = [c.id for c in prepared(AOMORI).job.pack.charts()]
    phones = [c.for_phone().id for c in prepared(AOMORI).job.pack.charts()]  # the web pages' copies: SVG only
    assert sorted(drawn) == sorted(ids + phones) and len(ids) == 7
    assert sorted(saved) == sorted(["svg"] * 2 * len(ids) + ["png"] * len(ids))
    assert sorted(registered) == sorted(face.name for face in fonts.FACES)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pinned(dataset: str) -> dict[str, str]:
    """The SHA-256 the record (tests/pinned, every period built with --all) holds for a
    dataset's files, by path below its folder of periods."""
    recorded = json.loads((ROOT / "tests" / "pinned" / "outputs.json").read_text(encoding="utf-8"))
    return {k.split("/", 1)[1]: v for k, v in recorded.items() if k.split("/", 1)[0] == dataset}


def hashes(folder: Path, under: str = "") -> dict[str, str]:
    return {under + p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def japanese():
    """Builds in this process in the default language, as the record was made (the Word
    draft's comments are in it); the environment carries it to a spawned helper."""
    from dxreport import i18n

    i18n.use("ja")
    try:
        yield
    finally:
        i18n.use("en")


@pytest.mark.parametrize(("dataset", "period", "jobs"), [(SAMPLE, "2025-09", "1"), (AOMORI, "2025-12", "2")])
def test_a_period_built_alone_has_the_bytes_of_the_same_period_built_with_all(tmp_path, dataset, period, jobs):
    """One period alone, with one process or two, gives what build --all gave for it
    (the record, made with --all on one process and on two)."""
    out = tmp_path / period
    result = subprocess.run([sys.executable, "-m", "dxreport", "build", str(dataset), "--period", period, "--jobs", jobs,
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, DXREPORT_LANG="ja", PYTHONIOENCODING="utf-8"))
    assert result.returncode == 0, result.stderr
    record = {k: v for k, v in pinned(dataset.name).items() if k.startswith(f"{period}/")}
    built = hashes(out, f"{period}/")
    assert len(record) > 10 and built.keys() == record.keys()
    assert [name for name in built if built[name] != record[name]] == []


def test_build_all_without_fork_spawns_its_helper_with_the_same_bytes(tmp_path, monkeypatch, japanese):
    """Where forking is not cheap or safe (Windows, macOS) the helper process is
    spawned instead; here that path is forced, and must give what forking gives
    (the record, made by forked helpers)."""
    from dxreport.build import executor

    monkeypatch.setattr(executor, "can_fork", lambda: False)
    warnings: list[str] = []
    build_pack(SAMPLE, None, tmp_path / "spawned", jobs=2, all_periods=True, warn=warnings.append)
    record, built = pinned("sample"), hashes(tmp_path / "spawned")
    assert len(record) > 30 and built.keys() == record.keys()
    assert [n for n in built if built[n] != record[n]] == []
    assert warnings == []  # the sample names its licence, and every period has a notice


def test_build_all_skips_a_period_that_holds_figures_only(tmp_path):
    result = run("build", str(AOMORI), "--all", "--out", str(tmp_path / "all"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["2025-12"]
    assert "2025-09: not built: the period has no notice" in result.stderr


def test_build_all_with_bad_input_in_one_period_writes_nothing(dataset_copy, tmp_path):
    ds = dataset_copy(SAMPLE)
    edit_yaml(ds / "periods" / "2025-09.yaml", lambda d: d["values"].__setitem__(next(iter(d["values"])), {"value": "多い"}))
    out = tmp_path / "all"
    result = run("build", str(ds), "--all", "--out", str(out))
    assert result.returncode == 2
    assert "2025-09.yaml:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_build_all_refuses_a_period(tmp_path):
    result = run("build", "--all", "--period", "2025-12", "--out", str(tmp_path / "x"))
    assert result.returncode == 2 and "--all builds every period" in result.stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_all_draws_a_chart_unchanged_since_an_earlier_period_once(tmp_path, monkeypatch, jobs):
    """The sample's basic-target charts repeat between periods: --all draws each
    distinct chart once, in one process or shared with the helper (which, forked,
    logs to the same file)."""
    from dxreport.render import charts

    log = tmp_path / "drawn.txt"
    real_draw = charts.draw

    def logged(chart):
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{hash(chart)}\n")
        return real_draw(chart)

    monkeypatch.setattr(charts, "draw", logged)
    build_pack(SAMPLE, None, tmp_path / "all", jobs=jobs, all_periods=True)
    every = [c for p in ("2025-03", "2025-09", "2026-03") for c in prepared(SAMPLE, p).job.pack.charts()]
    distinct = set(every)
    assert len(every) == 24 and len(distinct) < len(every)  # some charts did not change
    drawn = log.read_text(encoding="utf-8").split()
    # Each distinct chart and its copy for the web pages on a phone.
    assert sorted(drawn) == sorted(str(hash(c)) for c in distinct | {c.for_phone() for c in distinct})


def _sleep_then_pid(seconds: float) -> int:
    import os
    import time

    time.sleep(seconds)
    return os.getpid()


def _pid() -> int:
    import os

    return os.getpid()


def test_take_back_runs_here_each_task_the_helper_has_not_started():
    """The build's share-out of Word drafts: once this process is done with its
    own work, every task still waiting for the helper runs here instead, once."""
    import os

    from dxreport.build.executor import Executor

    with Executor(2) as ex:
        busy = ex.submit(_sleep_then_pid, 1.0)
        waiting = [ex.submit(_pid) for _ in range(5)]
        ex.take_back()
        here = [t.result() for t in waiting]
        helper = busy.result()
    assert helper != os.getpid()
    # At most one task can have been handed to the helper behind the busy one.
    assert here.count(os.getpid()) >= 4 and set(here) <= {os.getpid(), helper}
    assert here[-1] == os.getpid()  # taken back from the last


def test_one_process_runs_each_task_when_its_result_is_asked_for():
    import os

    from dxreport.build.executor import Executor

    with Executor(1) as ex:
        task = ex.submit(_pid)
        assert not task.done()
        assert task.result() == os.getpid() and task.done()


class Broken(Exception):
    pass


def test_a_failure_in_the_helper_process_is_reported_and_writes_nothing(monkeypatch, tmp_path):
    """The chart and Word process fails: the build stops with that error, and the
    previous pack stays as it was."""
    from dxreport.render import docx

    out = tmp_path / "pack"
    build_pack(SAMPLE, None, out, jobs=1)
    before = snapshot(out)

    def broken(*args, **kwargs):
        raise Broken("the Word renderer broke")

    monkeypatch.setattr(docx, "render", broken)  # inherited by the forked helper
    with pytest.raises(Broken) as e:
        build_pack(SAMPLE, None, out, jobs=2)
    # Raised in the helper: its traceback comes along.
    assert "the Word renderer broke" in str(e.value.__cause__) and "tasks.py" in str(e.value.__cause__)
    assert snapshot(out) == before


def test_a_failure_while_building_all_periods_writes_nothing(monkeypatch, tmp_path):
    from dxreport.render import docx

    def broken(*args, **kwargs):
        raise Broken("the Word renderer broke")

    monkeypatch.setattr(docx, "render", broken)
    with pytest.raises(Broken):
        build_pack(SAMPLE, None, tmp_path / "all", jobs=2, all_periods=True)
    assert not (tmp_path / "all").exists()


def test_build_all_writes_every_period_or_none(tmp_path):
    """A folder that may not be replaced, found at the last period, stops the
    build before any period's folder is touched."""
    out = tmp_path / "all"
    result = run("build", str(SAMPLE), "--all", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.stem for p in (SAMPLE / "periods").glob("*.yaml"))
    # Each period's warnings are named by period.
    assert "2025-09: proofreading: warning 5, notice 8" in result.stderr
    (out / "2026-03" / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    # A rebuild gives the same bytes, so the folders' identities tell whether one was replaced.
    folders = {p.name: p.stat().st_ino for p in out.iterdir()}
    result = run("build", str(SAMPLE), "--all", "--out", str(out))
    assert result.returncode == 2 and "notes.txt" in result.stderr
    assert snapshot(out) == before
    assert {p.name: p.stat().st_ino for p in out.iterdir()} == folders
    assert sorted(p.name for p in out.iterdir()) == ["2025-03", "2025-09", "2026-03"]  # no staging left


class Odd(Exception):
    """Pickles, but cannot be unpickled (its __init__ wants two arguments)."""

    def __init__(self, a, b):
        super().__init__(a)


def test_a_helper_result_that_cannot_be_read_is_an_error_not_a_hang(monkeypatch, tmp_path):
    from dxreport.render import docx

    def broken(*args, **kwargs):
        raise Odd("one", "two")

    monkeypatch.setattr(docx, "render", broken)  # inherited by the forked helper
    with pytest.raises(RuntimeError):
        build_pack(SAMPLE, None, tmp_path / "pack", jobs=2)
    assert not (tmp_path / "pack").exists()


def test_benchmark_script_runs_and_reports_every_figure(tmp_path):
    """The benchmark is a script, not a timed test: here it only has to run and
    report each figure (its verdict depends on the machine's load)."""
    # build --all of a dataset with one period to build: the same lines, in a third of the time.
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_build.py"), "--runs", "1",
                           "--all-dataset", str(AOMORI)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    for label in ("import floor", "full build", "ratio", "peak RSS", ".pdf", "validate", "check", "summary", "build --all"):
        assert label in proc.stdout, label


def test_benchmark_floor_imports_only_what_a_build_imports(tmp_path):
    """The import floor must not be flattered: each module it imports is one a
    one-process build imports too, and it covers every rendering library."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_build
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    code = (
        "import sys\n"
        "from dxreport.cli import main\n"
        f"sys.argv = ['dxreport', 'build', '--jobs', '1', '--out', {str(tmp_path / 'out')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(sys.modules), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    modules = set(eval(proc.stderr.strip().splitlines()[-1]))  # noqa: S307 - our own print of a list of names
    assert set(bench_build.LIBRARIES) <= modules, set(bench_build.LIBRARIES) - modules
    assert "matplotlib.pyplot" not in modules
    assert set(HEAVY) <= {m.split(".")[0] for m in bench_build.LIBRARIES} | {"numpy"}


def test_a_stopped_helpers_pool_dying_on_a_cancelled_future_prints_nothing():
    """CPython before 3.12 (gh-107219): the pool's thread may die on a future take_back
    cancelled when it finds the stopped helper gone, and print its traceback. While a
    stopped helper's pool shuts down that one error is ignored (as 3.12 ignores it); any
    other thread's error is reported, and that one too outside the shutdown."""
    import threading
    from concurrent.futures import InvalidStateError, process

    from dxreport.build import executor

    def terminate_broken():  # raised where the pool's thread raises it
        raise InvalidStateError("CANCELLED")

    terminate_broken.__code__ = terminate_broken.__code__.replace(co_filename=process.__file__)

    def ours():
        raise InvalidStateError("ours")

    def die(target):
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()

    seen: list[str] = []
    previous, threading.excepthook = threading.excepthook, lambda args: seen.append(str(args.exc_value))
    try:
        with executor._quiet_broken_pool():
            die(terminate_broken)
            die(ours)
        die(terminate_broken)
    finally:
        threading.excepthook = previous
    assert seen == ["ours", "CANCELLED"]
