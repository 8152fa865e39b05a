"""The build pipeline: load → validate → compute → pack model → render → write."""

from __future__ import annotations

from pathlib import Path

from dxreport import dataset as ds_mod
from dxreport import textcheck
from dxreport.errors import DatasetError
from dxreport.figures import compute
from dxreport.output import write_pack
from dxreport.pack import build as build_model


def file_stem(period: str) -> str:
    # ASCII and carrying the period, as websites need.
    return f"dxreport-{period}"


def build_pack(dataset: str | None, period: str | None, out_dir: Path | None, warn=None, final: bool = False) -> list[Path]:
    ds, chosen = ds_mod.load(dataset, period)
    periods = [chosen] + ([ds.period(chosen).previous] if ds.period(chosen).previous else [])
    problems = textcheck.control_characters(ds, periods) + textcheck.glyphs(ds, periods)
    if problems:
        raise DatasetError(problems)
    figs = compute(ds, chosen)
    # The proofreading check: its findings are warnings, the build goes on.
    from dxreport import check

    findings = check.run(ds, chosen, figs=figs)
    for finding in findings if warn else ():
        warn(f"[{finding.severity}] {finding}")
    pack = build_model(figs, ds.root)

    # Heavy imports only now that the input is known to be good.
    from dxreport.charts import ChartSet

    charts = ChartSet(pack.charts())
    try:
        files = render_all(pack, charts, file_stem(chosen), figs=figs, findings=None if final else findings)
    finally:
        charts.close()
    target = out_dir if out_dir is not None else Path("out") / chosen
    return write_pack(target, files)


def render_all(pack, charts, stem: str, *, figs=None, findings=None) -> dict[str, bytes]:
    """Every format of the pack, from the one pack model and the charts drawn once."""
    from dxreport.render import docx, html, pdf

    files: dict[str, bytes] = {}
    pdf_name = f"{stem}.pdf"
    files[pdf_name] = pdf.render(pack, charts)
    finish = None
    if findings:
        # The draft carries the check's findings as Word comments; the final copy does not.
        from dxreport import review

        def finish(doc):
            review.add_comments(doc, pack, findings)
    files[f"{stem}.docx"] = docx.render(pack, charts, finish)
    # The web pages (html/) and the open data (CSV, JSON) beside the PDF, which they link with its size.
    files.update(html.render(pack, charts, pdf_name, len(files[pdf_name]), stem=stem))
    if figs is not None:
        # The verification sheet (検算表): every figure beside an Excel formula recomputing it.
        from dxreport import verify

        files[f"{stem}-kensan.xlsx"] = verify.render(figs, pack.meta.date)
    return files
