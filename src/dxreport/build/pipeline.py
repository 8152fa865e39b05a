"""The build pipeline: load → validate → compute → pack model → render → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dxreport.build import executor as parallel

if TYPE_CHECKING:
    from dxreport.render.drawings import Drawings, Known


def file_stem(period: str) -> str:
    # ASCII and carrying the period, as websites need.
    return f"dxreport-{period}"


def build_pack(dataset: str | None, period: str | None, out_dir: Path | None, warn=None, final: bool = False,
               jobs: int | None = None) -> list[Path]:
    """Build one period's pack into ``out_dir`` (default out/PERIOD); ``jobs`` caps
    the processes it renders with (default: the machine's cores, at most two)."""
    from dxreport.build.output import write_pack

    with parallel.helper(jobs) as helper:
        target, files = render_with(helper, dataset, period, out_dir, warn, final)
    # Written only once the helper is stopped: nothing can interrupt the build
    # between writing the pack and saying so.
    return write_pack(target, files)


def render_with(helper: parallel.Helper | None, dataset: str | None, period: str | None, out_dir: Path | None,
                warn=None, final: bool = False) -> tuple[Path, dict[str, bytes]]:
    """The pack's folder and files, with a helper process already started (or None: one process)."""
    p = prepare(dataset, period, out_dir, warn, final)
    return p.target, render_all(p.pack, p.stem, figs=p.figs, findings=p.findings, helper=helper)


@dataclass
class Prepared:
    """A period read, validated and computed: ready to render."""

    pack: Any  # model.Pack
    figs: Any  # figures.Figures
    findings: list | None  # the check's findings for the draft; None for the final copy
    stem: str
    target: Path


def prepare(dataset: str | None, period: str | None, out_dir: Path | None, warn=None, final: bool = False) -> Prepared:
    # Imported here, after any helper process started: it need not wait for them.
    from dxreport.proofread import check
    from dxreport.source import dataset as ds_mod
    from dxreport.source import textcheck
    from dxreport.errors import DatasetError
    from dxreport.compute.figures import compute
    from dxreport.model.assemble import build as build_model

    ds, chosen = ds_mod.load(dataset, period)
    periods = [chosen] + ([ds.period(chosen).previous] if ds.period(chosen).previous else [])
    problems = textcheck.control_characters(ds, periods) + textcheck.glyphs(ds, periods)
    if problems:
        raise DatasetError(problems)
    figs = compute(ds, chosen)
    # The proofreading check: its findings are warnings, the build goes on.
    findings = check.run(ds, chosen, figs=figs)
    for finding in findings if warn else ():
        warn(f"[{finding.severity}] {finding}")
    pack = build_model(figs, ds.root)
    target = out_dir if out_dir is not None else Path("out") / chosen
    return Prepared(pack, figs, None if final else findings, file_stem(chosen), target)


def render_all(pack, stem: str, *, figs=None, findings=None, helper: parallel.Helper | None = None,
               known: Known | None = None) -> dict[str, bytes]:
    """Every format of the pack, from the one pack model and the charts drawn once;
    with a helper process, on two cores; with ``known``, reusing earlier packs' charts."""
    if helper is not None:
        return parallel.render_on_two_cores(helper, pack, stem, figs=figs, findings=findings)
    # Heavy imports only now that the input is known to be good.
    from dxreport.render.charts import ChartSet

    charts = ChartSet(known)
    try:
        pdf = render_pdf(pack, charts, stem)
        word = render_word(pack, charts, stem, findings)
        web = render_web(pack, charts, stem, pdf)
        return assemble(pdf=pdf, word=word, web=web, verification=render_verification(figs, pack, stem))
    finally:
        charts.close()


# Each format on its own, so the two-core build (parallel.py) can share them out.

def render_pdf(pack, charts: Drawings, stem: str) -> dict[str, bytes]:
    from dxreport.render import pdf

    return {f"{stem}.pdf": pdf.render(pack, charts)}


def render_word(pack, charts: Drawings, stem: str, findings) -> dict[str, bytes]:
    from dxreport.render import docx

    finish = None
    if findings:
        # The draft carries the check's findings as Word comments; the final copy does not.
        from dxreport.render import docx_review as review

        def finish(doc, appendix_tables):
            review.add_comments(doc, pack, findings, appendix_tables)
    return {f"{stem}.docx": docx.render(pack, charts, finish)}


def render_web(pack, charts: Drawings, stem: str, pdf: dict[str, bytes], web_fonts: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The web pages (html/) and the open data (CSV, JSON) beside the PDF, which they link with its size."""
    from dxreport.render import html

    (pdf_name, pdf_bytes), = pdf.items()
    return html.render(pack, charts, pdf_name, len(pdf_bytes), stem=stem, web_fonts=web_fonts)


def render_verification(figs, pack, stem: str) -> dict[str, bytes]:
    """The verification sheet (検算表): every figure beside an Excel formula recomputing it."""
    if figs is None:
        return {}
    from dxreport.render import kensan as verify

    return {f"{stem}-kensan.xlsx": verify.render(figs, pack.meta.date)}


def assemble(pdf: dict, word: dict, web: dict, verification: dict) -> dict[str, bytes]:
    # One order whichever way the pack was rendered: the files are written, and listed, in it.
    return {**pdf, **word, **web, **verification}
