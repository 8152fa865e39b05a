"""Using both cores: one pack rendered by two processes, and ``build --all``
rendering every period with the same two.

One pack: the build forks a helper before it reads the data, so the helper
imports matplotlib and python-docx while the parent reads, validates and
computes. Given the pack model, the helper draws the charts, hands their SVG
back at once, then makes the PNGs and the Word draft. Meanwhile the parent readies
reportlab, cuts the web fonts and writes the 検算表, then lays out the PDF and the
web pages from the SVG. Each chart is still drawn once; nothing is computed twice.
Both halves take about the same time, which is the point of this split.

``build --all``: the same helper draws every period's charts in turn (a chart
unchanged since an earlier period is not drawn again), the parent makes each
period's PDF and web pages as its charts arrive, and the Word drafts are shared
out from both ends (``_Claims``), so that neither process waits for long.

Forking keeps the parent's imports and pack model in the child for free, so it
is used only where fork is safe and cheap (Linux). Elsewhere (Windows, macOS)
a pack is rendered in one process, with the same bytes, and ``build --all``
builds a period per process.
"""

from __future__ import annotations

import os
import sys
import traceback
from dataclasses import dataclass
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
        # Word drafts shared out from both ends (build --all): this process claims
        # them from the front, the helper from the back, so they meet wherever
        # their other work lets them.
        self._words = _Claims(ctx)
        self.proc = ctx.Process(target=_helper_main, args=(helper_end, sender, (self.receiver, self.to_helper), self._words),
                                name="dxreport-charts", daemon=True)
        self.proc.start()
        sender.close()
        helper_end.close()
        # Jobs go out from a thread of their own, and results are taken in by
        # another as soon as they come: neither process ever waits for the other
        # to empty a pipe (the SVGs and Word drafts are larger than a pipe holds).
        import queue
        import threading

        self._jobs: queue.Queue = queue.Queue()
        self._results: dict[tuple[str, int], object] = {}
        self._failure: BaseException | None = None
        self._ended = False
        self._arrived = threading.Condition()
        self._sender = threading.Thread(target=self._send_jobs, name="dxreport-jobs", daemon=True)
        self._receiver = threading.Thread(target=self._take_results, name="dxreport-results", daemon=True)
        self._sender.start()
        self._receiver.start()

    def _send_jobs(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                self.to_helper.send(job)
            except OSError:  # the helper is gone: get() reports why
                return
            except BaseException as e:  # noqa: BLE001 - a job that cannot be sent: get() raises it
                self._fail(e)
                return

    def _fail(self, e: BaseException) -> None:
        with self._arrived:
            if self._failure is None:
                self._failure = e
            self._arrived.notify_all()

    def _take_results(self) -> None:
        while True:
            try:
                what, key, value = self.receiver.recv()
            except (EOFError, OSError):
                what, key, value = "ended", None, None
            except BaseException as e:  # noqa: BLE001 - a result that cannot be read (unpickled): get() raises it
                self._fail(RuntimeError(f"a result of the chart and Word process could not be read: {e!r}"))
                return
            with self._arrived:
                if what == "ended":
                    self._ended = True
                elif what == "error":
                    self._failure = value
                else:
                    self._results[(what, key)] = value
                self._arrived.notify_all()
            if what in ("ended", "error"):
                return

    def __enter__(self) -> "Helper":
        return self

    def __exit__(self, *exc) -> None:
        self._jobs.put(None)
        if exc[0] is None:
            self._sender.join()  # every job is out
            self.to_helper.close()  # and the helper, reading the end of its jobs, leaves
            self.proc.join(5)
        if self.proc.is_alive():  # not wanted any more: nothing it makes would be used
            self.proc.terminate()
        self.proc.join()
        self._sender.join()
        self._receiver.join()  # the helper's end of the pipe is closed now
        self.to_helper.close()
        self.receiver.close()

    def draw(self, key: int, pack, pngs: bool = False) -> None:
        self._jobs.put(("draw", key, pack, pngs))

    def word(self, key: int, stem: str, findings) -> None:
        self._jobs.put(("word", key, stem, findings))

    def share_words(self, jobs: list[tuple[str, list | None]]) -> None:
        """The Word drafts (stem, findings) of packs drawn before (keys 0, 1, …): the
        helper writes them from the last back, once it has drawn everything;
        this process ``claim``s the others from the first on."""
        self._words.open(len(jobs))
        self._jobs.put(("words", None, jobs))

    def claim(self, key: int) -> bool:
        """Whether this process writes that Word draft (else the helper does)."""
        return self._words.from_front(key)

    def has(self, kind: str, key: int | None) -> bool:
        """Whether the result of a job is there (or the helper failed: get tells why)."""
        with self._arrived:
            return (kind, key) in self._results or self._failure is not None or self._ended

    def get(self, kind: str, key: int | None):
        """The result of one job, waiting for it if need be."""
        with self._arrived:
            while (kind, key) not in self._results and self._failure is None and not self._ended:
                self._arrived.wait()
            if (kind, key) in self._results:
                return self._results.pop((kind, key))
            if self._failure is not None:
                raise self._failure
        self.proc.join(5)
        raise RuntimeError(f"the chart and Word process ended without its result (exit status {self.proc.exitcode})")


class _Claims:
    """Two counters in memory shared by both processes: drafts below ``front``
    are this process's, from ``back`` on the helper's."""

    def __init__(self, ctx) -> None:
        self.lock = ctx.Lock()
        self.front = ctx.RawValue("i", 0)
        self.back = ctx.RawValue("i", 0)

    def open(self, count: int) -> None:
        with self.lock:
            self.front.value, self.back.value = 0, count

    def from_front(self, key: int) -> bool:
        # The helper holds the lock for microseconds; waiting longer means it died
        # holding it (killed), and nothing would ever release it.
        if not self.lock.acquire(timeout=30):
            raise RuntimeError("the chart and Word process stopped answering")
        try:
            if key < self.back.value:
                self.front.value = key + 1
                return True
            return False
        finally:
            self.lock.release()

    def from_back(self) -> int | None:
        with self.lock:
            if self.back.value > self.front.value:
                self.back.value -= 1
                return self.back.value
            return None


def helper(jobs: int | None):
    """A context giving a helper process when two cores can be used and forking
    is cheap, else None (the pack is rendered in this process)."""
    if workers(jobs) > 1 and can_fork():
        return Helper()
    from contextlib import nullcontext

    return nullcontext(None)


def _helper_main(inbox, outbox, parent_ends, words: _Claims) -> None:
    # The parent's ends of the pipes came along with the fork: closed, so that the
    # parent closing its job pipe is seen here as the end of the jobs.
    for end in parent_ends:
        end.close()
    drawn: dict[int, tuple] = {}
    try:
        # What the helper's work needs, imported while the parent reads the data.
        from dxreport.build import pipeline as build  # noqa: F401
        from dxreport.render import charts  # noqa: F401
        from dxreport.render.drawings import Known
        from dxreport.render import docx  # noqa: F401

        known = Known()  # a build --all's periods share their unchanged charts

        while True:
            try:
                job = inbox.recv()
            except EOFError:  # no more jobs, or the parent stopped (bad input, an error)
                return
            if job[0] == "draw":
                _, key, pack, pngs = job
                chart_set = charts.ChartSet(known)
                drawn[key] = (pack, chart_set)
                outbox.send(("svgs", key, {chart.id: chart_set.svg(chart) for chart in pack.charts()}))
                if pngs:  # after the SVG, which the other process needs first
                    outbox.send(("pngs", key, {chart.id: chart_set.png(chart) for chart in pack.charts()}))
                    # Both drawings are kept (known): the figures are not needed again.
                    chart_set.close()
            elif job[0] == "word":
                _, key, stem, findings = job
                pack, chart_set = drawn.pop(key)
                try:
                    outbox.send(("word", key, build.render_word(pack, chart_set, stem, findings)))
                finally:
                    chart_set.close()
            else:  # "words": as many as the other process has not claimed, from the last back
                _, _, jobs = job
                while (key := words.from_back()) is not None:
                    stem, findings = jobs[key]
                    pack, chart_set = drawn[key]
                    outbox.send(("word", key, build.render_word(pack, chart_set, stem, findings)))
                outbox.send(("words", None, None))
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


@dataclass
class Unillustrated:
    """What this process makes of a pack before its charts come: the web pages'
    font subsets and the 検算表, neither of which needs a chart."""

    web_fonts: dict[str, bytes]
    verification: dict[str, bytes]


def unillustrated(pack, stem: str, figs) -> Unillustrated:
    from dxreport.build import pipeline as build
    from dxreport.render import html, pdf

    pdf.prepare()  # reportlab and the fonts, once per process
    return Unillustrated(html.subset_fonts(html.font_chars(pack)), build.render_verification(figs, pack, stem))


def render_on_two_cores(helper: Helper, pack, stem: str, *, figs=None, findings=None) -> dict[str, bytes]:
    """One pack: the helper draws the charts and writes the Word draft; this
    process makes the PDF, the web pages and the 検算表."""
    from dxreport.build import pipeline as build
    from dxreport.render.drawings import Received

    helper.draw(0, pack)
    helper.word(0, stem, findings)
    ready = unillustrated(pack, stem, figs)  # while the helper draws
    charts = Received(helper.get("svgs", 0))
    pdf_files = build.render_pdf(pack, charts, stem)
    web = build.render_web(pack, charts, stem, pdf_files, ready.web_fonts)
    return build.assemble(pdf=pdf_files, word=helper.get("word", 0), web=web, verification=ready.verification)


# ---------------------------------------------------------------- build --all


def build_all(dataset: str | None, out_dir: Path | None, warn=None, final: bool = False,
              jobs: int | None = None) -> list[Path]:
    """Every period of the dataset, each into OUT/PERIOD (default out/PERIOD), the
    periods shared out over the cores. Every period is validated before any is
    built: bad input anywhere writes nothing."""
    from concurrent.futures import ProcessPoolExecutor

    from dxreport.source import dataset as ds_mod
    from dxreport.source import textcheck
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
        return _all_in_one_process(root, periods, out_dir, warn, final)
    # No cheap fork here (Windows, macOS): a process per period, as many at once as there are cores.
    with ProcessPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(_render_one, root, p, _period_out(out_dir, p), final) for p in periods]
        try:
            results = [f.result() for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    for period, _, _, warnings in results:
        for line in warnings if warn else ():
            warn(f"{period}: {line}")
    from dxreport.build.output import write_packs

    return write_packs([(target, files) for _, target, files, _ in results])


def _prepare_all(root: str, periods: list[str], out_dir: Path | None, warn, final: bool) -> list:
    from dxreport.build import pipeline as build

    return [build.prepare(root, p, None if out_dir is None else out_dir / p,
                          (lambda line, p=p: warn(f"{p}: {line}")) if warn else None, final)
            for p in periods]


def _write_all(prepared: list, files: list[dict[str, bytes]]) -> list[Path]:
    # Only once every pack is rendered, and all or none (output.write_packs).
    from dxreport.build.output import write_packs

    return write_packs([(pr.target, f) for pr, f in zip(prepared, files)])


def _all_in_one_process(root: str, periods: list[str], out_dir: Path | None, warn, final: bool) -> list[Path]:
    from dxreport.build import pipeline as build
    from dxreport.render.drawings import Known

    prepared = _prepare_all(root, periods, out_dir, warn, final)
    known = Known()
    return _write_all(prepared, [build.render_all(pr.pack, pr.stem, figs=pr.figs, findings=pr.findings, known=known)
                                 for pr in prepared])


def _all_on_two_cores(root: str, periods: list[str], out_dir: Path | None, warn, final: bool) -> list[Path]:
    """Every period's pack with one helper, the libraries imported once per process.

    The helper draws every period's charts, in order; this process makes the PDF
    and web pages of each as its charts come, and their Word drafts from the first
    on, while the helper, once it has drawn everything, writes them from the last
    back: each process does as much as its other work leaves time for.
    """
    from dxreport.build import pipeline as build
    from dxreport.render.drawings import Received

    with Helper() as two:
        prepared = _prepare_all(root, periods, out_dir, warn, final)
        last = len(prepared) - 1
        for i, pr in enumerate(prepared):
            two.draw(i, pr.pack, pngs=True)
        two.share_words([(pr.stem, pr.findings) for pr in prepared])
        ready: dict[int, Unillustrated] = {}
        parts: list[dict] = []
        for i, pr in enumerate(prepared):
            # Rather than wait for this period's charts: the next periods' share
            # that needs none (while the helper imports its libraries, mostly).
            for j in range(i, last + 1):
                if j not in ready and (j == i or not two.has("svgs", i)):
                    ready[j] = unillustrated(prepared[j].pack, prepared[j].stem, prepared[j].figs)
            charts = Received(two.get("svgs", i))
            pdf_files = build.render_pdf(pr.pack, charts, pr.stem)
            parts.append({"pdf": pdf_files, "verification": ready[i].verification,
                          "web": build.render_web(pr.pack, charts, pr.stem, pdf_files, ready[i].web_fonts)})
            if two.claim(i):
                charts.pngs = two.get("pngs", i)
                parts[i]["word"] = build.render_word(pr.pack, charts, pr.stem, pr.findings)
        two.get("words", None)  # the helper has written its share
        for j, part in enumerate(parts):
            if "word" not in part:
                part["word"] = two.get("word", j)
    return _write_all(prepared, [build.assemble(**part) for part in parts])


def _period_out(out_dir: Path | None, period: str) -> str | None:
    return str(out_dir / period) if out_dir is not None else None


def _render_one(dataset: str, period: str, out_dir: str | None, final: bool) -> tuple[str, Path, dict[str, bytes], list[str]]:
    """One period's pack rendered in a worker process: its folder, files and warnings."""
    from dxreport.build.pipeline import render_with

    warnings: list[str] = []
    target, files = render_with(None, dataset, period, Path(out_dir) if out_dir else None, warn=warnings.append, final=final)
    return period, target, files, warnings
