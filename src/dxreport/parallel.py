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
    """The second process, started before the data is read, so that importing
    matplotlib and python-docx overlaps with reading, validating and computing.

    It takes jobs in the order sent: ``draw`` (a pack's charts, handed back as
    SVG, then as PNG if asked) and ``word`` (that pack's Word draft, from the charts
    it drew). Use as a context manager: leaving it stops the helper, whatever
    happened (bad input, an error, Ctrl-C)."""

    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.receiver, sender = ctx.Pipe(duplex=False)
        helper_end, self.to_helper = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_helper_main, args=(helper_end, sender), name="dxreport-charts", daemon=True)
        self.proc.start()
        sender.close()
        helper_end.close()
        self._waiting: dict[tuple[str, int], object] = {}
        # Jobs go out from a thread of their own: while a pack is being sent the
        # helper may be sending a result back, and with both pipes full neither
        # side could go on if one thread did both.
        import queue
        import threading

        self._jobs: queue.Queue = queue.Queue()
        self._sender = threading.Thread(target=self._send_jobs, name="dxreport-jobs", daemon=True)
        self._sender.start()

    def _send_jobs(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                self.to_helper.send(job)
            except OSError:  # the helper is gone: get() reports why
                return

    def __enter__(self) -> "Helper":
        return self

    def __exit__(self, *exc) -> None:
        self._jobs.put(None)
        if not exc[0]:
            self._sender.join()
        self.to_helper.close()
        self.receiver.close()
        if self.proc.is_alive():  # not wanted any more: nothing it makes would be used
            self.proc.terminate()
        self.proc.join()

    def draw(self, key: int, pack, pngs: bool = False) -> None:
        self._jobs.put(("draw", key, pack, pngs))

    def word(self, key: int, stem: str, findings) -> None:
        self._jobs.put(("word", key, stem, findings))

    def get(self, kind: str, key: int):
        """The result of one job, waiting for it if need be (results of others are kept)."""
        while (kind, key) not in self._waiting:
            try:
                what, k, value = self.receiver.recv()
            except EOFError:
                self.proc.join(5)
                raise RuntimeError(f"the chart and Word process ended without its result (exit status {self.proc.exitcode})") from None
            if what == "error":
                raise value
            self._waiting[(what, k)] = value
        return self._waiting.pop((kind, key))


def helper(jobs: int | None):
    """A context giving a helper process when two cores can be used and forking
    is cheap, else None (the pack is rendered in this process)."""
    if workers(jobs) > 1 and can_fork():
        return Helper()
    from contextlib import nullcontext

    return nullcontext(None)


def _helper_main(inbox, outbox) -> None:
    drawn: dict[int, tuple] = {}
    try:
        # What the helper's work needs, imported while the parent reads the data.
        from dxreport import build, charts  # noqa: F401
        from dxreport.render import docx  # noqa: F401

        while True:
            try:
                job = inbox.recv()
            except EOFError:  # no more jobs, or the parent stopped (bad input, an error)
                return
            if job[0] == "draw":
                _, key, pack, pngs = job
                chart_set = charts.ChartSet(pack.charts())
                drawn[key] = (pack, chart_set)
                outbox.send(("svgs", key, {chart.id: chart_set.svg(chart) for chart in pack.charts()}))
                if pngs:  # after the SVG, which the other process needs first
                    outbox.send(("pngs", key, {chart.id: chart_set.png(chart) for chart in pack.charts()}))
            else:
                _, key, stem, findings = job
                pack, chart_set = drawn.pop(key)
                try:
                    outbox.send(("word", key, build.render_word(pack, chart_set, stem, findings)))
                finally:
                    chart_set.close()
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent, which reports it
        try:
            outbox.send(("error", None, _portable(e)))
        except OSError:  # the parent is gone (Ctrl-C)
            pass
    finally:
        for _, chart_set in drawn.values():
            chart_set.close()
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


def _parent_share(helper: Helper, key: int, pack, stem: str, figs, findings, word_here: bool) -> dict[str, bytes]:
    """This process's share of a pack: the PDF, the web pages, the 検算表, and the
    Word draft when ``word_here``; the helper's Word draft otherwise."""
    from dxreport import build
    from dxreport.drawings import Received
    from dxreport.render import html, pdf

    # While the helper draws: what the PDF and the web pages need besides the charts.
    pdf.prepare()
    web_fonts = html.subset_fonts(html.font_chars(pack))
    charts = Received(helper.get("svgs", key))
    pdf_files = build.render_pdf(pack, charts, stem)
    web = build.render_web(pack, charts, stem, pdf_files, web_fonts)
    verification = build.render_verification(figs, pack, stem)
    word = {}
    if word_here:
        charts.pngs = helper.get("pngs", key)
        word = build.render_word(pack, charts, stem, findings)
    return build.assemble(pdf=pdf_files, word=word, web=web, verification=verification)


def render_on_two_cores(helper: Helper, pack, stem: str, *, figs=None, findings=None) -> dict[str, bytes]:
    from dxreport import build

    helper.draw(0, pack)
    helper.word(0, stem, findings)
    files = _parent_share(helper, 0, pack, stem, figs, findings, word_here=False)
    word = helper.get("word", 0)
    return build.assemble(**_split(files), word=word)


def _split(files: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    """A pack's files but its Word draft, by kind, as ``build.assemble`` takes them."""
    pdf = {k: v for k, v in files.items() if k.endswith(".pdf")}
    verification = {k: v for k, v in files.items() if k.endswith("-kensan.xlsx")}
    web = {k: v for k, v in files.items() if k not in pdf and k not in verification and not k.endswith(".docx")}
    return {"pdf": pdf, "web": web, "verification": verification}


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
    if workers(jobs) > 1 and can_fork():
        return _all_on_two_cores(root, periods, out_dir, warn, final)
    n = workers(jobs, tasks=len(periods))
    if n == 1:
        results = [_build_one(root, p, _period_out(out_dir, p), final) for p in periods]
    else:
        # No cheap fork here (Windows, macOS): a process per period, as many at once as there are cores.
        with ProcessPoolExecutor(max_workers=n) as pool:
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


def _all_on_two_cores(root: str, periods: list[str], out_dir: Path | None, warn, final: bool) -> list[Path]:
    """Every period's pack with one helper, the libraries imported once per process."""
    from dxreport import build
    from dxreport.output import write_pack

    with Helper() as two:
        prepared = [build.prepare(root, p, None if out_dir is None else out_dir / p,
                                  (lambda line, p=p: warn(f"{p}: {line}")) if warn else None, final)
                    for p in periods]
        # The helper draws every period's charts, in order, and writes the last
        # period's Word draft (as in a one-period build); this process writes the
        # others' from the PNGs it is sent. Measured, that shares the work about evenly.
        helper_words = {len(prepared) - 1}
        for i, pr in enumerate(prepared):
            two.draw(i, pr.pack, pngs=i not in helper_words)
        two.word(len(prepared) - 1, prepared[-1].stem, prepared[-1].findings)
        done = [_parent_share(two, i, pr.pack, pr.stem, pr.figs, pr.findings, word_here=i not in helper_words)
                for i, pr in enumerate(prepared)]
        words = {i: two.get("word", i) for i in sorted(helper_words)}
    written: list[Path] = []
    for i, (pr, files) in enumerate(zip(prepared, done)):
        written += write_pack(pr.target, build.assemble(**_split(files), word=words.get(i) or _word_of(files)))
    return written


def _word_of(files: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in files.items() if k.endswith(".docx")}


def _period_out(out_dir: Path | None, period: str) -> str | None:
    return str(out_dir / period) if out_dir is not None else None


def _build_one(dataset: str, period: str, out_dir: str | None, final: bool) -> tuple[str, list[str], list[str]]:
    """One period's pack in a worker process; its warnings come back as text."""
    from dxreport.build import build_pack

    warnings: list[str] = []
    written = build_pack(dataset, period, Path(out_dir) if out_dir else None, warn=warnings.append, final=final, jobs=1)
    return period, [str(p) for p in written], warnings
