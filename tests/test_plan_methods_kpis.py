"""Issue 21, the KPI half: KPIs scored as a weighted mean or as the share of
indicators that reached their target, and a plan's grade scale printed beside
every rate.

The figures are computed here again, independently of dxreport, from the YAML
files with exact fractions and 四捨五入, and compared with every printed figure
of the PDF, the Word draft, the web pages, the open data and the 検算表 as
LibreOffice recalculates it. The dataset is the sample's, edited so that each
method lands on a rounding edge:

* industry-1, weighted (weights 1, 0.5, 1.5, 1): 2026-03 Σw·rate/Σw = 54.65 → 54.7,
  2025-09 48.05 → 48.1 (half up; half to even, or binary floating point, gives
  54.6 and 48.0); dx-consult 280/400 = 70.0 exactly: grade B, not C.
* industry-2, share achieved (two indicators unpublished, three with a rate):
  2026-03 2/3 = 66.67 → 66.7, 2025-09 1/3 = 33.33 → 33.3; tourism-sns
  149,925/150,000 = 99.95% → 100.0%: it counts as achieved, and is graded A.
  (A share of up to five indicators cannot end in x.x5: 2/3 and 1/3 are its edges.)
* grades: A 達成 from 100, B 概ね順調 from 70, C 遅れ from 0.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import SAMPLE, build_pack, edit_yaml, pdf_text, run

PERIOD, PREVIOUS = "2026-03", "2025-09"
WEIGHTS = {"dx-consult": "1", "dx-hr-share": "0.5", "dx-strategy": "1.5", "dx-seminar": "1"}
GRADES = [("A", "達成", 100), ("B", "概ね順調", 70), ("C", "遅れ", 0)]
UNPUBLISHED = ("rice-labour", "cashless-merchants")


def make_dataset(tmp_path: Path) -> Path:
    root = tmp_path / "methods"
    shutil.copytree(SAMPLE, root)

    def plan(data):
        industry = data["fields"][0]["kpis"]
        industry[0]["scoring"] = "weighted"
        for ind in industry[0]["indicators"]:
            ind["weight"] = float(WEIGHTS[ind["id"]]) if "." in WEIGHTS[ind["id"]] else int(WEIGHTS[ind["id"]])
        industry[1]["scoring"] = "share-achieved"
        data["grades"] = [{"grade": g, "label": label, "min": m} for g, label, m in GRADES]

    edit_yaml(root / "plan.yaml", plan)

    def period(values: dict):
        def change(data):
            for ident, value in values.items():
                obs = data["values"][ident]
                if value is None:
                    obs["value"], obs["absent"], obs["note"] = None, "unpublished", "未公表"
                else:
                    obs["value"] = value
        return change

    edit_yaml(root / "periods" / f"{PERIOD}.yaml", period(
        {"dx-consult": 280, "smart-agri": 3000, "tourism-sns": 149925, "fan-platform": 5, **dict.fromkeys(UNPUBLISHED)}))
    edit_yaml(root / "periods" / f"{PREVIOUS}.yaml", period(
        {"smart-agri": 3000, "tourism-sns": 108651, "fan-platform": 5, **dict.fromkeys(UNPUBLISHED)}))
    return root


# ---------------------------------------------------------------- the figures, independently


def _plain_yaml(path: Path):
    yaml = YAML(typ="safe")
    return yaml.load(path.read_text(encoding="utf-8"))


def _exact(text) -> Fraction:
    # The YAML's number as typed (ruamel reads 0.5 as a float; its text is exact).
    return Fraction(str(text))


def half_up(x: Fraction) -> Fraction:
    """四捨五入 to one decimal, of a non-negative fraction."""
    return Fraction(int(x * 10 + Fraction(1, 2)), 10)


def shown(x: Fraction | None) -> str:
    return "－" if x is None else f"{Decimal(x.numerator) / Decimal(x.denominator):.1f}"


def grade_of(rate: Fraction | None) -> str | None:
    if rate is None:
        return None
    return next(g for g, _label, m in GRADES if rate >= m)


def printed(rate: Fraction | None) -> str:
    """A rate as the pack prints it: 54.7%（C）."""
    return "－" if rate is None else f"{shown(rate)}%（{grade_of(rate)}）"


def expected(root: Path) -> dict:
    """Every indicator's rate and every KPI's figure of both periods, from the YAML alone."""
    plan = _plain_yaml(root / "plan.yaml")
    periods = {p: _plain_yaml(root / "periods" / f"{p}.yaml")["values"] for p in (PREVIOUS, PERIOD)}
    rates: dict[tuple[str, str], Fraction | None] = {}
    kpis: dict[tuple[str, str], Fraction | None] = {}
    methods: dict[str, str] = {}
    for field in plan["fields"]:
        for kpi in field["kpis"]:
            method = kpi.get("scoring", "mean")
            methods[kpi["id"]] = method
            for p, values in periods.items():
                known = []
                for ind in kpi["indicators"]:
                    v = values[ind["id"]].get("value")
                    r = None if v is None else half_up(min(max(_exact(v) / _exact(ind["target"]) * 100, Fraction(0)), Fraction(100)))
                    rates[(p, ind["id"])] = r
                    if r is not None:
                        known.append((r, _exact(ind.get("weight", 1))))
                if not known:
                    kpis[(p, kpi["id"])] = None
                elif method == "weighted":
                    kpis[(p, kpi["id"])] = half_up(sum(w * r for r, w in known) / sum(w for _r, w in known))
                elif method == "share-achieved":
                    kpis[(p, kpi["id"])] = half_up(Fraction(100 * sum(1 for r, _w in known if r == 100), len(known)))
                else:
                    kpis[(p, kpi["id"])] = half_up(sum(r for r, _w in known) / len(known))
    return {"rates": rates, "kpis": kpis, "methods": methods, "plan": plan}


def test_the_edges_are_where_the_docstring_says(tmp_path: Path):
    e = expected(make_dataset(tmp_path))
    k, r = e["kpis"], e["rates"]
    assert (k[(PERIOD, "industry-1")], k[(PREVIOUS, "industry-1")]) == (Fraction("54.7"), Fraction("48.1"))
    assert (k[(PERIOD, "industry-2")], k[(PREVIOUS, "industry-2")]) == (Fraction("66.7"), Fraction("33.3"))
    assert r[(PERIOD, "dx-consult")] == 70 and grade_of(r[(PERIOD, "dx-consult")]) == "B"
    assert r[(PERIOD, "tourism-sns")] == 100 and grade_of(r[(PERIOD, "tourism-sns")]) == "A"
    # Half to even (Python's round) and binary floating point would not get there.
    assert round(54.65, 1) == 54.6 and round(48.05, 1) == 48.0
