"""How the pack words a plan's way of scoring its KPIs and its grades.

A KPI is scored by its plan's method (``Kpi.scoring``: the simple mean of its
indicators' rates, a weighted mean, or the share of indicators that reached
their target; computed in ``compute/figures.py``), and a plan may grade every
rate on its evaluation scale (``Plan.grades``). Here both are worded, from
``templates/wording.j2``: the appendix's KPI row label, the notes under its
table, the rates printed with their grade, section 1's rules and the open
data's extra columns. A plan with simple means only and no grades prints what
it always did: nothing here adds a word to it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from dxreport.compute.figures import Figures, KpiFigures
from dxreport.japanese import formatting as fmt
from dxreport.model.wording import Wording
from dxreport.source.schema import Grade, Kpi, Plan

MEAN, WEIGHTED, SHARE = "mean", "weighted", "share-achieved"


def plain(value: Decimal) -> str:
    """A plan's own figure (a weight, a grade's bound) as written: 2, 0.5, 70."""
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def rate_text(w: Wording, rate: Decimal | None, grade: Grade | None) -> str:
    """A published rate, with its grade beside it when the plan grades: 63.2%（B）."""
    shown = fmt.rate(rate)
    return w("graded_rate", rate=shown, grade=grade.grade) if grade is not None else shown


def kpi_row_label(w: Wording, kpi: Kpi) -> str:
    return w("kpi_row_label", scoring=kpi.scoring)


def steps(w: Wording, grades: Sequence[Grade], sep: str = "／") -> str:
    """The scale in words: A 達成（100%以上）／B 概ね順調（70%以上100%未満）／C 遅れ（70%未満）."""
    out = []
    for n, g in enumerate(grades):
        below = plain(grades[n - 1].min) if n > 0 else ""
        out.append(w("grade_step", grade=g.grade, label=g.label, min=plain(g.min), below=below))
    return sep.join(out)


def rules(w: Wording, fig: Figures) -> tuple[str, ...]:
    """Section 1's rules on scoring and grades: none for a plan of simple means without grades."""
    kpis = fig.kpis()
    out: list[str] = []
    methods = {k.kpi.scoring for k in kpis}
    if methods != {MEAN}:
        for method in (WEIGHTED, SHARE, MEAN):
            named = [k.kpi for k in kpis if k.kpi.scoring == method]
            if named:
                names = "".join(f"「{k.label or k.name}」" for k in named)
                out.append(w("scoring_rule", scoring=method, kpis=names, others=method == MEAN))
    grades = fig.plan.grades
    if grades:
        out.append(w("grades_rule", steps=steps(w, grades, "・"), count=len(grades)))
    return tuple(out)


def with_legend(w: Wording, note: str, plan: Plan) -> str:
    """A dashboard's note line (※前期：…), with the grade scale's legend after it when the plan grades."""
    if not plan.grades:
        return note
    return w("dashboard_note", note=note, steps=steps(w, plan.grades))


def footnotes(w: Wording, k: KpiFigures, plan: Plan) -> list[str]:
    """The notes under a KPI's appendix table on its method and the grades."""
    out = []
    if k.kpi.scoring == WEIGHTED:
        weights = "、".join(w("weight_item", indicator=i.name, weight=plain(i.weight)) for i in k.kpi.indicators
                           if i.weight is not None)
        out.append(w("weights_note", weights=weights))
    elif k.kpi.scoring == SHARE:
        out.append(w("share_note"))
    if plan.grades:
        out.append(w("grade_legend", steps=steps(w, plan.grades)))
    return out


# The open data's extra columns, in the tables of a plan that needs them (a plan of
# simple means without grades has none, and its files stay as they were): the
# column's name, "text" or "number", its definition.
SCORING_COLUMN = ("算定方法", "text", "KPIの値の算定方法（達成率の単純平均、達成率の加重平均、目標達成指標の割合）")
KPI_GRADE_COLUMN = ("評価", "text", "KPIの値の計画の評価区分による評価。値がなければ空欄")
WEIGHT_COLUMN = ("重み", "number", "加重平均で算定するKPIにおける中間指標の重み。加重平均でないKPIの指標は空欄")
GRADE_COLUMN = ("評価", "text", "達成率の計画の評価区分による評価。達成率がなければ空欄")


def kpi_columns(plan: Plan) -> tuple[tuple[str, str, str], ...]:
    methods = {k.scoring for f in plan.fields for k in f.kpis}
    return ((SCORING_COLUMN,) if methods != {MEAN} else ()) + ((KPI_GRADE_COLUMN,) if plan.grades else ())


def indicator_columns(plan: Plan) -> tuple[tuple[str, str, str], ...]:
    weighted = any(k.scoring == WEIGHTED for f in plan.fields for k in f.kpis)
    return ((WEIGHT_COLUMN,) if weighted else ()) + ((GRADE_COLUMN,) if plan.grades else ())


def kpi_extra(w: Wording, plan: Plan, kpi: Kpi, grade: Grade | None) -> tuple[object, ...]:
    """A KPI row's values of ``kpi_columns``."""
    out: list[object] = []
    for column in kpi_columns(plan):
        out.append(w("scoring_name", scoring=kpi.scoring) if column is SCORING_COLUMN else (grade.grade if grade else None))
    return tuple(out)


def indicator_extra(plan: Plan, weight: Decimal | None, grade: Grade | None) -> tuple[object, ...]:
    """An indicator row's values of ``indicator_columns``."""
    return tuple(weight if column is WEIGHT_COLUMN else (grade.grade if grade else None)
                 for column in indicator_columns(plan))


def column_texts(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The fixed KPI columns' definitions for a plan with KPIs scored otherwise than by the simple mean."""
    if {k.scoring for f in plan.fields for k in f.kpis} == {MEAN}:
        return ()
    return (("KPIの値", "KPIの値（%、属する中間指標の達成率から列「算定方法」の方法で算定し、小数第2位を四捨五入）"),
            ("値のない中間指標の数", "基準月に値のない中間指標の数（KPIの算定から除いている）"))
