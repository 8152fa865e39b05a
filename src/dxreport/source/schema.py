"""The dataset's schema: what a plan file and a period file may hold.

A dataset is a folder with one ``plan.yaml`` (the plan, defined once) and one
file per period under ``periods/`` (``2025-12.yaml``). Everything the pack shows
comes from these two kinds of file; nothing about any prefecture lives in code.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from dxreport.i18n import _
from dxreport.japanese.period import YearMonth
from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag,
                      field_validator, model_validator)

ID_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"

Id = Annotated[str, Field(pattern=ID_RE, max_length=64)]
Text = Annotated[str, Field(min_length=1)]
# Figures are printed in full and rounded in Decimal's 28 significant digits: a
# number of 10^15 or more (a typo, or 1e400) cannot be a KPI value, so it is
# rejected rather than overflowing the arithmetic.
FIGURE_LIMIT = Decimal(10) ** 15


def full_width_number(text: str) -> bool:
    """A number typed in full-width (or other non-ASCII) digits: ３８２, ３８．２, －５."""
    if text.isascii():
        return False
    plain = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()
    if not plain.isascii() or not any(c.isdigit() for c in plain):
        return False
    try:
        Decimal(plain.replace(",", ""))
    except InvalidOperation:
        return False
    return True


def _ascii_figure(v: Any) -> Any:
    # Decimal() reads any script's digits: ３８２ would pass as 382, unseen. The office
    # types half-width digits (and so do the tools that read its open data).
    if isinstance(v, str) and not v.isascii():
        shown = v if len(v) <= 40 else v[:39] + "…"
        if full_width_number(v):
            raise ValueError(_("'{text}' is written in full-width digits; type it in half-width digits").format(text=shown))
        raise ValueError(_("not a number: '{text}'").format(text=shown))
    return v


def _sane_figure(v: Decimal) -> Decimal:
    if v.is_finite() and abs(v) >= FIGURE_LIMIT:
        raise ValueError(_("is too large: figures must be smaller than 1,000,000,000,000,000 (10^15)"))
    return v


Figure = Annotated[Decimal, BeforeValidator(_ascii_figure), AfterValidator(_sane_figure)]

# What one list may hold (fields, KPIs in a field, indicators in a KPI, cases in a
# field, bullets, paragraphs…), and the indicators a plan may have in all: far more
# than any plan has (Aomori's: 4 fields, 12 KPIs, 40 indicators), and a pack still
# built in seconds (400 indicators: 6 s; the 8,000 a 1 MB plan could hold: minutes).
MAX_ITEMS = 30
MAX_INDICATORS = 500

# The years a pack can be about: from the first year of Heisei (the era table goes
# back further) to 2100. A year typed 20025 would otherwise validate and then ask
# the build for a chart of 18,000 bars.
FIRST_YEAR, LAST_YEAR = 1989, 2100
YEARS = f"{FIRST_YEAR}–{LAST_YEAR}"


def _sane_year(v: int) -> int:
    if not FIRST_YEAR <= v <= LAST_YEAR:
        raise ValueError(_("the year {year} is outside {years}").format(year=v, years=YEARS))
    return v


def _no_number_date(v: Any) -> Any:
    # pydantic reads a number as seconds since 1970: 20260519 would be a date in 1970.
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        raise ValueError(_("'{value}' is a number, not a date; write a date as YYYY-MM-DD, e.g. 2026-02-04").format(value=v))
    return v


def _sane_date(v: dt.date) -> dt.date:
    if not FIRST_YEAR <= v.year <= LAST_YEAR:
        raise ValueError(_("the date {date} is outside the years {years}").format(date=v.isoformat(), years=YEARS))
    return v


Year = Annotated[int, AfterValidator(_sane_year)]
Date = Annotated[dt.date, BeforeValidator(_no_number_date), AfterValidator(_sane_date)]


class Strict(BaseModel):
    # Unknown keys are typos in a hand-edited file: reject them rather than ignore.
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


# ---------------------------------------------------------------- the plan


Direction = Literal["up", "down"]


class Indicator(Strict):
    id: Id
    name: Text
    unit: str = ""
    # Read before the target: whether a target is needed, and which, depends on them.
    reference: bool = Field(default=False, description="参考指標: shown, but no target needed, no rate, not in the KPI")
    direction: Direction = Field(default="up", description="up: higher is better; down: the value should fall")
    target: Figure | None = Field(default=None, validate_default=True)
    base: Figure | None = Field(default=None, description="down: the base value the rate is measured from")
    base_note: str = Field(default="", description="down: the base value's as-of note, e.g. R5年度")
    milestones: dict[Year, Figure] = Field(default_factory=dict, description="yearly milestones by 年度, e.g. {2025: 100}")
    decimals: int = Field(default=0, ge=0, le=4, description="decimals shown for values")
    target_decimals: int | None = Field(default=None, ge=0, le=4)
    source: str = ""
    weight: Figure | None = Field(default=None, gt=0, description="its weight in a KPI scored as a weighted mean")

    @field_validator("target", mode="after")
    @classmethod
    def _target_needed(cls, v: Decimal | None, info) -> Decimal | None:
        # A rising indicator's rate divides by its target: it must be above 0. A
        # falling one's target may be 0 (待機児童ゼロ); a reference one needs none.
        reference = info.data.get("reference", False)
        direction = info.data.get("direction", "up")
        if v is None:
            if not reference:
                raise ValueError(_("required but missing"))
        elif direction == "up" and not reference and v <= 0:
            raise ValueError(_("'{value}' is too small: it must be greater than {limit}").format(value=v, limit=0))
        return v

    @field_validator("milestones", mode="after")
    @classmethod
    def _milestones_positive(cls, v: dict[int, Decimal], info) -> dict[int, Decimal]:
        if info.data.get("direction", "up") == "up":
            for year, m in v.items():
                if m <= 0:
                    raise ValueError(_("the milestone for {year} is {value}: a milestone of a rising indicator must be greater than 0").format(
                        year=year, value=m))
        return v

    @property
    def shown_target_decimals(self) -> int:
        return self.decimals if self.target_decimals is None else self.target_decimals

    @property
    def falling(self) -> bool:
        return self.direction == "down"

    def goal(self, fiscal_year: int) -> tuple[Decimal | None, int | None]:
        """The target a period of the 年度 ``fiscal_year`` is measured against, and
        the milestone's year (None when it is the final target). A year without a
        milestone of its own is measured against the next later milestone; a year
        after the last milestone, against the final target."""
        later = sorted(y for y in self.milestones if y >= fiscal_year)
        if later:
            return self.milestones[later[0]], later[0]
        return self.target, None


# How a KPI is scored from its indicators' published rates (each rounded to 0.1):
# mean: their simple mean; weighted: Σ(weight × rate) ÷ Σweight over the indicators
# with a rate (each indicator's ``weight``); share-achieved: the share (%) of the
# indicators with a rate whose published rate is 100.0 (target reached). Each is
# rounded half up (四捨五入) to 0.1. Indicators without a value are left out.
Scoring = Literal["mean", "weighted", "share-achieved"]
SCORINGS: tuple[str, ...] = ("mean", "weighted", "share-achieved")


class Grade(Strict):
    """One step of a plan's evaluation scale: a rate (%) of ``min`` or more, up to
    the next higher step's ``min`` (not included), earns this grade."""

    grade: Annotated[str, Field(min_length=1, max_length=8)]
    label: str = Field(default="", description="what the grade means, e.g. 概ね順調")
    min: Figure = Field(ge=0, le=100, description="the lowest rate (%) of this grade, included")


class Kpi(Strict):
    id: Id
    name: Text
    label: str | None = Field(default=None, description="shorter name for the dashboard tile")
    components: str = ""
    scoring: Scoring = Field(default="mean", description="how the KPI is scored from its indicators' rates")
    indicators: list[Indicator] = Field(min_length=1, max_length=MAX_ITEMS)


class FieldDef(Strict):
    id: Id
    name: Text
    kpis: list[Kpi] = Field(min_length=1, max_length=MAX_ITEMS)


class BasicTarget(Strict):
    id: Id
    name: Text
    detail: str = ""
    unit: str = ""
    decimals: int = Field(default=1, ge=0, le=4)
    frequency: str = ""
    source: str = ""
    target: Figure | None = None
    fields: list[Id] = Field(default_factory=list, description="value is the mean of these fields' values")


class PlanInfo(Strict):
    name: Text
    organisation: Text
    target_year: int = Field(ge=2000, le=2100)
    vision_year: int | None = Field(default=None, ge=2000, le=2100)
    url: str = ""
    short_name: str | None = Field(default=None, description="how running text names the plan, e.g. DX推進プラン")
    this_name: str | None = Field(
        default=None, description="how running text names the plan in its own words, e.g. 本プラン; if not given, 本 and the kind its name ends in (プラン, 計画, 戦略, ...)")
    self_name: str | None = Field(
        default=None, description="how running text names the organisation itself, e.g. 県 (県ホームページ, 県民); the organisation's name if not given")
    publication_months: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=list, description="months the progress is published in, e.g. [2, 8]")
    licence: str | None = Field(
        default=None, description="the open data's licence as published, e.g. CC BY 4.0; the office decides it")
    licence_url: str = Field(default="", description="where the licence's terms are, e.g. its deed")

    @property
    def called(self) -> str:
        return self.short_name or self.name

    @property
    def calls_itself(self) -> str:
        return self.self_name or self.organisation


class Plan(Strict):
    plan: PlanInfo
    basic_targets: list[BasicTarget] = Field(default_factory=list, max_length=MAX_ITEMS)
    fields: list[FieldDef] = Field(min_length=1, max_length=MAX_ITEMS)
    # The evaluation scale, highest grade first; each KPI's and indicator's rate is
    # printed with its grade. Empty: no grades. (source/dataset.py checks the steps.)
    grades: list[Grade] = Field(default_factory=list, max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Plan":
        seen: dict[str, str] = {}
        problems = []
        for kind, ident in self._all_ids():
            if ident in seen:
                problems.append(_("duplicate id '{ident}' ({kind}; already used by a {other})").format(
                    ident=ident, kind=kind, other=seen[ident]))
            seen.setdefault(ident, kind)
        count = sum(len(k.indicators) for f in self.fields for k in f.kpis)
        if count > MAX_INDICATORS:
            problems.append(_("the plan has {count:,} indicators; at most {limit} (a pack of more would take minutes to build)").format(
                count=count, limit=MAX_INDICATORS))
        field_ids = {f.id for f in self.fields}
        for bt in self.basic_targets:
            for f in bt.fields:
                if f not in field_ids:
                    problems.append(_("basic target '{target}' averages unknown field '{field}'").format(target=bt.id, field=f))
        if problems:
            raise ValueError(_("; ").join(problems))
        return self

    def _all_ids(self):
        for bt in self.basic_targets:
            yield _("basic target"), bt.id
        for f in self.fields:
            yield _("field"), f.id
            for k in f.kpis:
                yield _("KPI"), k.id
                for i in k.indicators:
                    yield _("indicator"), i.id

    def indicators(self) -> dict[str, Indicator]:
        return {i.id: i for f in self.fields for k in f.kpis for i in k.indicators}


# ---------------------------------------------------------------- a period


# Why a value is missing, when the data says so: the figure is not published (yet),
# or the indicator does not apply. Without it a missing value is one not entered.
Absent = Literal["unpublished", "not-applicable"]


class Observation(Strict):
    value: Figure | None = Field(default=None, description="empty when not available")
    absent: Absent | None = Field(default=None, description="why the value is missing: unpublished or not-applicable")
    note: str = Field(default="", description="the observation's own as-of note, e.g. R6年度")
    updated: bool = Field(default=True, description="false: carried over by new-period, not yet updated")

    @model_validator(mode="after")
    def _absent_only_without_value(self) -> "Observation":
        if self.value is not None and self.absent is not None:
            raise ValueError(_("has a value and says it is absent ({absent}): leave out 'absent' or the value").format(absent=self.absent))
        return self


class YearValue(Strict):
    value: Figure | None = None
    fields: dict[Id, Figure | None] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_of(self) -> "YearValue":
        if self.value is not None and self.fields:
            raise ValueError(_("give either 'value' or 'fields', not both"))
        return self


# A year's value: a number, or a mapping of one value or the fields' values. Told
# apart by the input's shape, so that a mistake in either is reported once, as
# that shape's mistake (not once for each thing the value might have been).
YEAR_TAGS = ("[mapping]", "[number]")
YearOf = Annotated[
    Annotated[YearValue, Tag(YEAR_TAGS[0])] | Annotated[Figure, Tag(YEAR_TAGS[1])],
    Discriminator(lambda v: YEAR_TAGS[0] if isinstance(v, (dict, YearValue)) else YEAR_TAGS[1]),
]


class BasicTargetValues(Strict):
    updated: bool = False
    absent: Absent | None = Field(default=None, description="why its missing values are missing: unpublished or not-applicable")
    years: dict[Year, YearOf | None] = Field(default_factory=dict)
    stated_change: Figure | None = Field(
        default=None,
        description="a published year-on-year change, used only where the yearly values are unknown",
    )
    note: str = ""

    def year_value(self, year: int) -> YearValue | None:
        v = self.years.get(year)
        if v is None:
            return None
        return v if isinstance(v, YearValue) else YearValue(value=v)


class Box(Strict):
    title: str = ""
    lines: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)


class Case(Strict):
    title: Text
    bullets: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    image: str | None = None
    image_alt: str = ""
    box: Box | None = None


class Notice(Strict):
    date: Date
    department: Text
    division: Text
    group: str = ""
    contact: Text
    phone: Text
    extension: str = ""
    press_officer: str = ""
    url: str = ""
    body: list[Text] = Field(min_length=1, max_length=MAX_ITEMS)
    updates: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS, description="what this release updates")


class Period(Strict):
    period: str
    previous: str | None = None
    notice: Notice | None = None
    values: dict[Id, Observation] = Field(default_factory=dict)
    basic_targets: dict[Id, BasicTargetValues] = Field(default_factory=dict)
    cases: dict[Id, Annotated[list[Case], Field(max_length=MAX_ITEMS)]] = Field(default_factory=dict)

    @field_validator("period", "previous")
    @classmethod
    def _period_format(cls, v: str | None) -> str | None:
        if v is not None:
            month = YearMonth.parse(v)
            if not FIRST_YEAR <= month.year <= LAST_YEAR:
                raise ValueError(_("the period {period} is outside the years {years}").format(period=v, years=YEARS))
        return v

    @model_validator(mode="after")
    def _previous_is_earlier(self) -> "Period":
        if self.previous is not None and self.previous >= self.period:
            raise ValueError(_("previous period {previous} is not before {period}").format(previous=self.previous, period=self.period))
        return self
