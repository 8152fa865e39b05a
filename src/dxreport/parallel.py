"""Using both cores: one pack rendered by two processes, and ``build --all``
building its periods side by side.

One pack: the build forks a helper before it reads the data, so the helper
imports matplotlib and python-docx while the parent reads, validates and
computes. Given the pack model, the helper draws the charts, hands their SVG
back at once, then makes the PNGs and the Word draft. Meanwhile the parent readies
reportlab and cuts the web fonts, then lays out the PDF and the web pages from
the SVG, and writes the 検算表. Each chart is still drawn once; nothing is computed twice.
Both halves take about the same time, which is the point of this split.

Forking keeps the parent's imports and pack model in the child for free, so it
is used only where fork is safe and cheap (Linux). Elsewhere (Windows, macOS)
the pack is rendered in one process, with the same bytes.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from dxreport.errors import UserError


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers(jobs: int | None, tasks: int = 2) -> int:
    """Processes to use: ``jobs`` if given, else one per core, never more than tasks."""
    if jobs is not None and jobs < 1:
        raise UserError(f"--jobs must be 1 or more, not {jobs}")
    return max(1, min(jobs if jobs is not None else cores(), tasks))


def can_fork() -> bool:
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


# ---------------------------------------------------------------- one pack, two processes


class Helper:
    """The second process of a one-pack build, started before the data is read,
    so that importing matplotlib and python-docx overlaps with reading,
    validating and computing. Use as a context manager: leaving it stops the
    helper, whatever happened (bad input, an error, Ctrl-C)."""

    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.receiver, sender = ctx.Pipe(duplex=False)
        helper_end, self.to_helper = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_helper_main, args=(helper_end, sender), name="dxreport-charts", daemon=True)
        self.proc.start()
        sender.close()
        helper_end.close()

    def __enter__(self) -> "Helper":
        return self

    def __exit__(self, *exc) -> None:
        self.to_helper.close()
        self.receiver.close()
        if self.proc.is_alive():  # not wanted any more: nothing it makes would be used
            self.proc.terminate()
        self.proc.join()

    def receive(self, kind: str):
        try:
            what, value = self.receiver.recv()
        except EOFError:
            self.proc.join(5)
            raise RuntimeError(f"the chart and Word process ended without its result (exit status {self.proc.exitcode})") from None
        if what == "error":
            raise value
        assert what == kind, f"expected {kind} from the chart and Word process, got {what}"
        return value


def helper(jobs: int | None):
    """A context giving a helper process when two cores can be used and forking
    is cheap, else None (the pack is rendered in this process)."""
    if workers(jobs) > 1 and can_fork():
        return Helper()
    from contextlib import nullcontext

    return nullcontext(None)


def _helper_main(inbox, outbox) -> None:
    try:
        # What the helper's work needs, imported while the parent reads the data.
        from dxreport import build, charts  # noqa: F401
        from dxreport.render import docx  # noqa: F401

        try:
            pack, stem, findings = inbox.recv()
        except EOFError:  # the parent stopped before it had a pack (bad input, an error)
            return
        chart_set = charts.ChartSet(pack.charts())
        try:
            outbox.send(("svgs", {chart.id: chart_set.svg(chart) for chart in pack.charts()}))
            files = build.render_word(pack, chart_set, stem, findings)
        finally:
            chart_set.close()
        outbox.send(("files", files))
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent, which reports it
        try:
            outbox.send(("error", _portable(e)))
        except OSError:  # the parent is gone (Ctrl-C)
            pass
    finally:
        inbox.close()
        outbox.close()


def _portable(e: BaseException) -> BaseException:
    """The exception as it can cross to the parent, carrying the child's traceback."""
    import pickle

    e.add_note("in the chart and Word process:\n" + "".join(traceback.format_exception(e)))
    try:
        pickle.dumps(e)
        return e
    except Exception:  # noqa: BLE001 - an exception that cannot be pickled still gets reported
        return RuntimeError("".join(traceback.format_exception(e)))


def render_on_two_cores(helper: Helper, pack, stem: str, *, figs=None, findings=None) -> dict[str, bytes]:
    from dxreport import build
    from dxreport.drawings import Received

    helper.to_helper.send((pack, stem, findings))
    # While the helper draws: what the PDF and the web pages need besides the charts.
    from dxreport.render import html, pdf

    pdf.prepare()
    web_fonts = html.subset_fonts(html.font_chars(pack))
    charts = Received(helper.receive("svgs"))
    pdf_files = build.render_pdf(pack, charts, stem)
    web = build.render_web(pack, charts, stem, pdf_files, web_fonts)
    verification = build.render_verification(figs, pack, stem)
    word = helper.receive("files")
    return build.assemble(pdf_files, word, web, verification)


# ---------------------------------------------------------------- build --all


def build_all(dataset: str | None, out_dir: Path | None, warn=None, final: bool = False,
              jobs: int | None = None) -> list[Path]:
    """Every period of the dataset, each into OUT/PERIOD (default out/PERIOD), the
    periods shared out over the cores. Every period is validated before any is
    built: bad input anywhere writes nothing."""
    from concurrent.futures import ProcessPoolExecutor

    from dxreport import dataset as ds_mod
    from dxreport import textcheck
    from dxreport.errors import DatasetError

    ds, _ = ds_mod.load(dataset, all_periods=True)
    problems = textcheck.control_characters(ds, sorted(ds.periods)) + textcheck.glyphs(ds, sorted(ds.periods))
    if problems:
        raise DatasetError(problems)
    # A period without a notice holds figures only (the previous period's values for
    # 前期差): it has no press pack of its own.
    periods = sorted(p for p, per in ds.periods.items() if per.notice is not None)
    for p in sorted(set(ds.periods) - set(periods)):
        if warn:
            warn(f"{p}: not built: the period has no notice (it holds figures only)")
    if not periods:
        raise UserError(f"{ds.root}: no period has a notice, so there is no press pack to build")
    root = str(ds.root)
    n = workers(jobs, tasks=len(periods))
    results = []
    if n == 1:
        results = [_build_one(root, p, _period_out(out_dir, p), final) for p in periods]
    else:
        import multiprocessing

        # fork where it is cheap (the workers start with this process's imports); elsewhere the default.
        ctx = multiprocessing.get_context("fork") if can_fork() else None
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            futures = [pool.submit(_build_one, root, p, _period_out(out_dir, p), final) for p in periods]
            try:
                results = [f.result() for f in futures]
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
    written: list[Path] = []
    for period, paths, warnings in results:
        for line in warnings if warn else ():
            warn(f"{period}: {line}")
        written += [Path(p) for p in paths]
    return written


def _period_out(out_dir: Path | None, period: str) -> str | None:
    return str(out_dir / period) if out_dir is not None else None


def _build_one(dataset: str, period: str, out_dir: str | None, final: bool) -> tuple[str, list[str], list[str]]:
    """One period's pack in a worker process; its warnings come back as text."""
    from dxreport.build import build_pack

    warnings: list[str] = []
    written = build_pack(dataset, period, Path(out_dir) if out_dir else None, warn=warnings.append, final=final, jobs=1)
    return period, [str(p) for p in written], warnings
