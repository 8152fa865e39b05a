"""Every figure of the pack, computed once from the dataset.

Renderers never see this module's inputs; the pack model is built from the
objects here, and every format prints the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from dxreport.japanese import numbers
from dxreport.japanese.period import YearMonth
from dxreport.source.dataset import Dataset
from dxreport.source.schema import BasicTarget, FieldDef, Grade, Indicator, Kpi, Observation, Period, Plan


@dataclass(frozen=True)
class IndicatorFigures:
    indicator: Indicator
    previous: Observation | None  # None when there is no previous period
    current: Observation
    previous_rate: Decimal | None
    current_rate: Decimal | None
    # The plan's grade of each rate (None: no rate, or the plan has no grades).
    previous_grade: Grade | None = None
    current_grade: Grade | None = None
    # The target each period's rate is measured against (a yearly milestone, or
    # the final target) and the milestone's 年度 (None: the final target). None
    # for a reference indicator, which has no rate.
    previous_goal: Decimal | None = None
    current_goal: Decimal | None = None
    previous_milestone_year: int | None = None
    current_milestone_year: int | None = None

    @property
    def scored(self) -> bool:
        """Counted in its KPI: every indicator but a reference one (参考指標)."""
        return not self.indicator.reference


@dataclass(frozen=True)
class KpiFigures:
    kpi: Kpi
    indicators: tuple[IndicatorFigures, ...]
    previous: Decimal | None
    current: Decimal | None
    diff: Decimal | None
    # True when some indicator has no value, so the mean is over fewer rates.
    current_partial: bool
    previous_partial: bool
    previous_grade: Grade | None = None
    current_grade: Grade | None = None


@dataclass(frozen=True)
class FieldFigures:
    field: FieldDef
    kpis: tuple[KpiFigures, ...]


@dataclass(frozen=True)
class YearFigure:
    year: int
    value: Decimal | None
    field_values: tuple[tuple[str, Decimal | None], ...]  # (field id, value) when a mean of fields


@dataclass(frozen=True)
class BasicTargetFigures:
    target: BasicTarget
    years: tuple[YearFigure, ...]  # ascending, gaps kept as None values
    latest: YearFigure | None  # the latest year with a value
    change: Decimal | None  # latest year against the year before
    change_is_stated: bool  # the change was published, not computed from values
    updated: bool
    note: str
    absent: str | None = None  # why missing years are missing, when the data says so

    @property
    def direction(self) -> str | None:
        """How the latest year moved, as the highlight words it: up, down or flat (None: no change known)."""
        if self.change is None:
            return None
        return "up" if self.change > 0 else ("down" if self.change < 0 else "flat")


@dataclass(frozen=True)
class Figures:
    plan: Plan
    period: Period
    previous: Period | None
    fields: tuple[FieldFigures, ...]
    basic_targets: tuple[BasicTargetFigures, ...]

    def kpis(self) -> list[KpiFigures]:
        return [k for f in self.fields for k in f.kpis]

    def indicators(self) -> list[IndicatorFigures]:
        return [i for k in self.kpis() for i in k.indicators]


def goal_of(ind: Indicator, period: Period) -> tuple[Decimal | None, int | None]:
    """The target a period is measured against and its milestone's 年度: the
    milestone of the 年度 (April–March) the period's month falls in (or the next
    later one), else the final target. None for a reference indicator."""
    if ind.reference:
        return None, None
    return ind.goal(YearMonth.parse(period.period).fiscal_year)


def indicator_rate(ind: Indicator, value: Decimal | None, goal: Decimal | None) -> Decimal | None:
    """One period's achievement rate, as the plan defines it for the indicator."""
    if ind.reference or goal is None:
        return None
    if ind.falling:
        assert ind.base is not None, ind.id  # validation refuses a falling indicator without a base
        return numbers.falling_rate(value, ind.base, goal)
    return numbers.rate(value, goal)


def _indicator(ind: Indicator, cur: Period, prev: Period | None, grades: Sequence[Grade] = ()) -> IndicatorFigures:
    c = cur.values[ind.id]
    p = prev.values.get(ind.id) if prev else None
    c_goal, c_year = goal_of(ind, cur)
    p_goal, p_year = goal_of(ind, prev) if prev else (None, None)
    previous_rate = indicator_rate(ind, p.value, p_goal) if p else None
    current_rate = indicator_rate(ind, c.value, c_goal)
    return IndicatorFigures(
        indicator=ind,
        previous=p,
        current=c,
        previous_rate=previous_rate,
        current_rate=current_rate,
        previous_grade=grade(previous_rate, grades),
        current_grade=grade(current_rate, grades),
        previous_goal=p_goal if p else None,
        current_goal=c_goal,
        previous_milestone_year=p_year if p else None,
        current_milestone_year=c_year,
    )


ACHIEVED = numbers.HUNDRED  # a published rate of 100.0%: the target (or milestone) reached


def grade(rate: Decimal | None, grades: Sequence[Grade]) -> Grade | None:
    """The grade of a published rate: the first (highest) step whose lower bound it reaches."""
    if rate is None:
        return None
    return next((g for g in grades if rate >= g.min), None)


def score(kpi: Kpi, rates: Sequence[Decimal | None], indicators: Sequence[Indicator] | None = None) -> Decimal | None:
    """The KPI from its indicators' published rates (in the order of ``indicators``,
    the KPI's own by default), by the KPI's scoring method, rounded half up to 0.1;
    None when no indicator has a rate."""
    if kpi.scoring == "mean":
        return numbers.mean(rates)
    known = [(ind, r) for ind, r in zip(kpi.indicators if indicators is None else indicators, rates) if r is not None]
    if not known:
        return None
    if kpi.scoring == "weighted":
        total = sum((ind.weight * r for ind, r in known), numbers.ZERO)  # type: ignore[operator]
        weights = sum((ind.weight for ind, _r in known), numbers.ZERO)  # type: ignore[misc]
        return numbers.round_half_up(total / weights)
    achieved = sum(1 for _ind, r in known if r >= ACHIEVED)
    return numbers.round_half_up(Decimal(achieved) * numbers.HUNDRED / len(known))


def _kpi(kpi: Kpi, cur: Period, prev: Period | None, grades: Sequence[Grade] = ()) -> KpiFigures:
    inds = tuple(_indicator(i, cur, prev, grades) for i in kpi.indicators)
    scored = [i for i in inds if i.scored]  # a reference indicator (参考指標) is not scored
    scored_inds = [i.indicator for i in scored]
    current = score(kpi, [i.current_rate for i in scored], scored_inds)
    previous = score(kpi, [i.previous_rate for i in scored], scored_inds) if prev else None
    return KpiFigures(
        kpi=kpi,
        indicators=inds,
        previous=previous,
        current=current,
        diff=numbers.difference(current, previous),
        current_partial=any(i.current_rate is None for i in scored),
        previous_partial=prev is not None and any(i.previous_rate is None for i in scored),
        previous_grade=grade(previous, grades),
        current_grade=grade(current, grades),
    )


def _basic_target(bt: BasicTarget, cur: Period) -> BasicTargetFigures:
    values = cur.basic_targets.get(bt.id)
    if values is None:
        return BasicTargetFigures(bt, (), None, None, False, False, "")
    years: list[YearFigure] = []
    span = sorted(values.years)
    for year in range(span[0], span[-1] + 1) if span else ():
        yv = values.year_value(year)
        if yv is None:
            years.append(YearFigure(year, None, ()))
        elif yv.fields:
            fv = tuple((f, yv.fields.get(f)) for f in bt.fields if f in yv.fields)
            known = [v for _, v in fv if v is not None]
            # A mean over some fields only would be a different figure: show none.
            value = numbers.mean(known, bt.decimals) if len(known) == len(bt.fields) else None
            years.append(YearFigure(year, value, fv))
        else:
            years.append(YearFigure(year, yv.value, ()))
    known = [y for y in years if y.value is not None]
    latest = known[-1] if known else None
    change, stated = None, False
    if latest is not None:
        before = next((y for y in years if y.year == latest.year - 1), None)
        if before is not None and before.value is not None:
            change = numbers.round_half_up(latest.value, bt.decimals) - numbers.round_half_up(before.value, bt.decimals)
    if change is None and values.stated_change is not None:
        change, stated = values.stated_change, True
    return BasicTargetFigures(bt, tuple(years), latest, change, stated, values.updated, values.note, values.absent)


def compute(ds: Dataset, period: str) -> Figures:
    cur = ds.period(period)
    prev = ds.previous(period)
    fields = tuple(FieldFigures(f, tuple(_kpi(k, cur, prev, ds.plan.grades) for k in f.kpis)) for f in ds.plan.fields)
    bts = tuple(_basic_target(bt, cur) for bt in ds.plan.basic_targets)
    return Figures(ds.plan, cur, prev, fields, bts)
