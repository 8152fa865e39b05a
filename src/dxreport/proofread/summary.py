"""A plain-text summary of the figures, for the terminal."""

from __future__ import annotations

import unicodedata

from dxreport.japanese import formatting as fmt
from dxreport.compute.figures import Figures


def width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cols: int, right: bool = False) -> str:
    gap = " " * max(cols - width(text), 0)
    return gap + text if right else text + gap


def table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    cols = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(pad(c, cols[i], i in right) for i, c in enumerate(r)).rstrip()  # noqa: E731
    return [line(header), "  ".join("-" * c for c in cols), *(line(r) for r in rows)]


def render(fig: Figures) -> str:
    prev = fig.previous.period if fig.previous else "－"
    out = [f"{fig.plan.plan.name}  {fig.period.period}（前期 {prev}）", ""]
    out.append("KPI")
    rows = [
        [f.field.name, k.kpi.name, fmt.rate(k.previous), fmt.rate(k.current), fmt.points(k.diff)]
        for f in fig.fields
        for k in f.kpis
    ]
    out += table(["分野", "KPI", f"{prev}", fig.period.period, "前期差"], rows, {2, 3, 4})
    out += ["", "中間指標"]
    rows = []
    for k in fig.kpis():
        for i in k.indicators:
            ind = i.indicator
            prev_value = fmt.number(i.previous.value, ind.decimals, ind.unit) if i.previous else "－"
            rows.append([
                ind.id,
                fmt.number(ind.target, ind.shown_target_decimals, ind.unit),
                prev_value,
                fmt.rate(i.previous_rate),
                fmt.number(i.current.value, ind.decimals, ind.unit),
                fmt.rate(i.current_rate),
            ])
    out += table(["id", "目標値(A)", "前期値(B)", "C", "今期値(D)", "E"], rows, {1, 2, 3, 4, 5})
    return "\n".join(out)
