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


def build_pack(dataset: str | None, period: str | None, out_dir: Path | None) -> list[Path]:
    ds, chosen = ds_mod.load(dataset, period)
    periods = [chosen] + ([ds.period(chosen).previous] if ds.period(chosen).previous else [])
    problems = textcheck.control_characters(ds, periods) + textcheck.glyphs(ds, periods)
    if problems:
        raise DatasetError(problems)
    pack = build_model(compute(ds, chosen), ds.root)

    # Heavy imports only now that the input is known to be good.
    from dxreport.charts import ChartSet
    from dxreport.render import pdf

    charts = ChartSet(pack.charts())
    try:
        files = {f"{file_stem(chosen)}.pdf": pdf.render(pack, charts)}
    finally:
        charts.close()
    target = out_dir if out_dir is not None else Path("out") / chosen
    return write_pack(target, files)
