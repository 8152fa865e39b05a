"""The build, for one period or all of them: load → validate → compute →
pack model → render → write.

``build`` is the one orchestrator: the CLI parses its arguments into a
``Request`` and calls it. The input is read and validated once, by the same
function ``dxreport validate`` runs (source/dataset.py), so the build refuses
nothing that ``validate`` accepts. Each period's figures are computed once and
made into the pack model, which is all the renderers see; the renderers
(render/registry.py) run on two cores when there are two, and the packs are
written all at once, or not at all, only after the helper process has stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from dxreport.build import executor, output, tasks
from dxreport.errors import DatasetError, Problem, UserError
from dxreport.i18n import _
from dxreport.render import registry
from dxreport.render.job import RenderJob

Warn = Callable[[str], None]
# Told each period's proofreading findings: (the period, when building all of them; the findings).
Told = Callable[[str | None, list], None]


@dataclass(frozen=True)
class Request:
    source: str | None = None  # a dataset folder, one of its period files or an input workbook; None: data/index.yaml's
    period: str | None = None  # YYYY-MM; None: the latest
    out: Path | None = None  # the pack's folder (one period) or the folder of the periods' folders (all)
    all_periods: bool = False
    final: bool = False  # the copy to publish: no review comments in the Word draft
    jobs: int | None = None  # processes to use; None: one per core, two at most


@dataclass(frozen=True)
class Prepared:
    """One period read, validated, computed and made into its pack model."""

    period: str
    target: Path
    job: RenderJob


def file_stem(period: str) -> str:
    # ASCII and carrying the period, as websites need.
    return f"dxreport-{period}"


def build(request: Request, warn: Warn | None = None, findings: Told | None = None) -> list[Path]:
    """Build the packs the request names; return every file written."""
    if request.all_periods and request.period:
        raise UserError(_("--all builds every period: leave out --period"))
    # The helper starts first, so it imports its libraries while this process reads the data
    # (the readers' own imports, openpyxl among them, come after: they take a third of a second).
    with executor.start(request.jobs, tasks.warm) as ex:
        from dxreport.source.workbook import dataset_for_build, is_workbook

        if request.all_periods and is_workbook(request.source):
            raise UserError(_("--all builds a dataset folder's periods; a workbook holds one period: leave out --all"))
        with dataset_for_build(request.source, request.period) as (source, period):
            prepared = prepare(source, period, request, warn, findings)
            output.check([p.target for p in prepared])
            files = render(ex, [p.job for p in prepared])
    # Written only once the helper has stopped: nothing can interrupt the build
    # between writing the packs and saying so.
    return output.write_packs([(p.target, f) for p, f in zip(prepared, files)])


def prepare(source: str | None, period: str | None, request: Request, warn: Warn | None = None,
            told: Told | None = None) -> list[Prepared]:
    """The periods to build, each as its pack model; bad input anywhere stops here."""
    # Imported only now: the helper process need not wait for it.
    from dxreport.source import dataset

    ds, chosen = dataset.load(source, period)
    return prepare_loaded(ds, chosen, request, warn, told)


def prepare_loaded(ds, chosen: str, request: Request, warn: Warn | None = None, told: Told | None = None) -> list[Prepared]:
    """``prepare`` for a dataset already loaded (``source.dataset.load``) with its
    chosen period: also how ``dxreport absorb`` makes the draft it compares a
    proofread one with, so that the two cannot differ."""
    from dxreport.compute.figures import compute
    from dxreport.model import assemble
    from dxreport.proofread import check

    periods = _periods(ds, chosen, request.all_periods, warn)
    if warn and not ds.plan.plan.licence:
        warn(str(ds.plan_source.problem(("plan",), _("no licence: the open data is published without one (add 'licence:', e.g. CC BY 4.0, once the office has decided it)"))))
    # Each period's figures once: a pack's open data holds the time series of
    # every period up to its own, a period without a notice among them.
    every = {p: compute(ds, p) for p in sorted(ds.periods) if p <= max(periods)}
    out: list[Prepared] = []
    for p in periods:
        figs = every[p]
        # The proofreading check: its findings are advice, the build goes on.
        findings = check.run(ds, p, figs=figs)
        if request.final:
            gaps = [f for f in findings if f.kind == check.GAP]
            if gaps:
                # The copy to publish must lack nothing the release prints: each gap named where it is.
                raise DatasetError([Problem(f.file, f.line, f.field, _("the final copy cannot be built: {gap}").format(gap=f"{f.subject}: {f.message}"))
                                    for f in gaps])
        if told:
            told(p if request.all_periods else None, findings)
        history = [f for q, f in every.items() if q <= p]
        # The final copy carries neither the check's findings nor the changes since the previous period.
        pack = assemble.build(figs, ds.root, () if request.final else findings, history, ds, revisions=not request.final)
        out.append(Prepared(p, _target(request, p), RenderJob(pack, file_stem(p))))
    return out


def _periods(ds, chosen: str, all_periods: bool, warn: Warn | None) -> list[str]:
    if not all_periods:
        if ds.period(chosen).notice is None:
            raise DatasetError([ds.sources[chosen].problem(("notice",), _("the period has no notice: add one to build its press pack"))])
        return [chosen]
    # A period without a notice holds figures only (the previous period's values
    # for 前期差): it has no press pack of its own.
    periods = sorted(p for p, per in ds.periods.items() if per.notice is not None)
    for p in sorted(set(ds.periods) - set(periods)):
        if warn:
            warn(_("{period}: not built: the period has no notice (it holds figures only)").format(period=p))
    if not periods:
        raise UserError(_("{dataset}: no period has a notice, so there is no press pack to build").format(dataset=ds.root))
    return periods


def _target(request: Request, period: str) -> Path:
    if request.all_periods:
        return (request.out if request.out is not None else Path("out")) / period
    return request.out if request.out is not None else Path("out") / period


def render(ex: executor.Executor, jobs: list[RenderJob]) -> list[dict[str, bytes]]:
    """Every format of every pack, from the pack models and the charts drawn once.

    Where the charts are drawn (the helper, when there is one) the renderers that
    want them as PNG run too; this process runs the others, doing first what needs
    no chart while the helper draws. The files come out in the registry's order.
    """
    try:
        return _render(ex, jobs)
    finally:
        tasks.forget()  # this build's drawings, in this process


def _render(ex: executor.Executor, jobs: list[RenderJob]) -> list[dict[str, bytes]]:
    there = [r for r in registry.RENDERERS if r.drawings == registry.PNG]
    here = registry.in_order(r.name for r in registry.RENDERERS if r not in there)
    several = len(jobs) > 1
    svgs, phones, pngs = [], [], []
    for job in jobs:
        charts = tuple(job.pack.charts())
        svgs.append(ex.submit(tasks.draw, charts, registry.SVG))
        # The web pages' phone copies, SVG only (Word and the PDF show the printed ones), in a
        # task of their own: the PDF is laid out while they are drawn.
        phones.append(ex.submit(tasks.draw, tuple(c.for_phone() for c in charts), registry.SVG))
        # With several packs this process may write some of the Word drafts
        # (take_back below): it needs their PNGs for that.
        pngs.append(ex.submit(tasks.draw, charts, registry.PNG) if several and ex.parallel else None)
    far = [{r.name: ex.submit(tasks.render, r.name, job) for r in there} for job in jobs]

    made: list[dict[str, dict[str, bytes]]] = [{} for _job in jobs]
    ready: set[int] = set()

    def without_charts(i: int) -> None:
        if i in ready:
            return
        ready.add(i)
        for r in here:
            tasks.prepare(r.name, jobs[i])
            if r.drawings is None and not r.needs:
                made[i][r.name] = tasks.render(r.name, jobs[i])

    for i, job in enumerate(jobs):
        without_charts(i)
        # Rather than wait for this pack's charts: the next packs' share that needs none.
        for j in range(i + 1, len(jobs)):
            if svgs[i].done():
                break
            without_charts(j)
        drawings = _received(svgs[i], phones[i])
        for r in here:
            if r.name in made[i]:
                continue
            given = {name: len(data) for need in r.needs for name, data in _files(made[i], far[i], need).items()}
            made[i][r.name] = tasks.render(r.name, replace(job, drawings=drawings if r.drawings else None, given=given))
    if several and ex.parallel:
        from dxreport.render.drawings import MEMO

        for job, task in zip(jobs, pngs):
            MEMO.add(job.pack.charts(), pngs=task.result())
        ex.take_back()  # the drafts the helper has not started: written here, from those PNGs
    for i in range(len(jobs)):
        for r in there:
            made[i][r.name] = far[i][r.name].result()
    return [{name: data for r in registry.RENDERERS for name, data in made[i][r.name].items()} for i in range(len(jobs))]


def _received(*parts: executor.Task):
    from dxreport.render.drawings import Received

    # Each part is waited for only when a renderer first asks for one of its charts.
    return Received(later=[part.result for part in parts])


def _files(made: dict[str, dict[str, bytes]], far: dict, name: str) -> dict[str, bytes]:
    return made[name] if name in made else far[name].result()
