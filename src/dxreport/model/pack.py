"""The pack model: everything a renderer needs, already computed and formatted.

It is format-neutral (no points, no pixels, no markup) and it is the only thing
renderers see: a renderer lays these texts out; it never formats a number or
reaches back into the dataset.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from dxreport.proofread.findings import About


@dataclass(frozen=True)
class Meta:
    title: str
    subject: str
    author: str
    language: str
    keywords: tuple[str, ...]
    period: str  # YYYY-MM, used in file names
    date: dt.date  # publication date: output timestamps come from here, never the clock


@dataclass(frozen=True)
class ContactRow:
    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Notice:
    date: str
    addressee: str
    sender: str
    title: str
    body: tuple[str, ...]
    link_label: str
    url: str
    box_heading: str
    contact: tuple[ContactRow, ...]


@dataclass(frozen=True)
class TitlePage:
    title: str
    items: tuple[str, ...]
    date: str
    sender: str


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[Decimal | None, ...]  # one per category; None = no data
    labels: tuple[str, ...]  # the same values as printed


@dataclass(frozen=True)
class Chart:
    """A chart's data and words; drawing it is the charts module's job."""

    id: str  # stable, ASCII: file names and HTML ids
    kind: str  # "yearly" (a basic target by year) or "compare" (KPI rates, two periods)
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    axis_label: str
    target_label: str | None = None
    target: Decimal | None = None
    missing_label: str | None = None  # legend text for gaps, when there are any
    y_max: Decimal | None = None
    alt: str = ""  # a sentence describing the chart and its values
    table_header: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = ()
    narrow: bool = False  # drawn for a phone's width, its text the same size as printed (web pages only)

    def for_phone(self) -> Chart:
        """The same chart drawn narrower, for the web pages on a phone: shown whole at the
        same text size rather than shrunk or scrolled sideways."""
        return replace(self, id=f"{self.id}-narrow", narrow=True)


@dataclass(frozen=True)
class StructureRow:
    """One KPI in section 1's diagram of the plan: its field, its name, how many
    intermediate indicators it is built from."""

    field: str
    kpi: str
    indicators: str  # e.g. 5指標
    first_of_field: bool  # the field's name is printed once, on its first KPI
    field_kpis: int  # how many KPIs the field has (the field cell's height)


@dataclass(frozen=True)
class Framework:
    heading: str
    basic_heading: str
    basic_intro: str
    basic_rows: tuple[tuple[str, str, str, str], ...]  # name, detail, frequency, source
    basic_header: tuple[str, str, str, str]
    kpi_heading: str
    kpi_intro: str
    fields: tuple[tuple[str, tuple[str, ...]], ...]  # field title, KPI names
    rules: tuple[str, ...]
    rhythm: str
    url_label: str = ""  # the plan's page (plan.url), "" when the plan names none
    url: str = ""
    # Page (2): the plan's structure, fields → KPIs → intermediate indicators, and the flow
    # from the indicators' rates to the published dashboard.
    structure_heading: str = ""
    structure_header: tuple[str, ...] = ()
    structure: tuple[StructureRow, ...] = ()
    structure_total: str = ""
    flow: tuple[str, ...] = ()


@dataclass(frozen=True)
class BasicTargetPanel:
    title: str
    detail: str
    source: str
    updated_label: str  # "今回更新" or ""
    value_text: str  # e.g. 2025年度 86.7%
    notes: tuple[str, ...]
    chart: Chart


@dataclass(frozen=True)
class BasicTargets:
    heading: str
    title: str
    bullets: tuple[str, ...]
    panels: tuple[BasicTargetPanel, ...]


@dataclass(frozen=True)
class Tile:
    name: str
    rate: str  # 63.2%
    diff_label: str  # 前期差
    diff: str  # +8.3ポイント (the sign always written)
    components_label: str
    components: str
    updated_label: str = ""  # ※今回更新 when one of the KPI's values changed since the previous period


@dataclass(frozen=True)
class CaseStudy:
    title: str
    bullets: tuple[str, ...]
    image: Path | None = None
    image_alt: str = ""
    box_title: str = ""
    box_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dashboard:
    id: str
    heading: str
    previous_note: str
    tiles: tuple[Tile, ...]
    chart: Chart
    cases_heading: str
    cases: tuple[CaseStudy, ...]
    no_cases: str
    title: str = ""  # the field's title, e.g. 産業・しごと分野 (navigation, page titles)
    legend: tuple[str, ...] = ()  # what the tiles' marks mean, when any tile has one
    continued: str = ""  # over its next page, when it runs on (産業・しごと分野（続き）)


@dataclass(frozen=True)
class AppendixRow:
    """One intermediate indicator's row of a KPI's appendix table, as printed."""

    id: str  # the indicator's id: anchors (web ids, review comments)
    indicator: str
    target: str  # (A)
    previous: str  # (B), its as-of note on a line of its own
    previous_rate: str  # C = B/A×100
    current: str  # (D)
    current_rate: str  # E = D/A×100
    source: str
    current_mark: str = ""  # 前期から更新 when (D) or its as-of note differs from (B): words, not colour alone


@dataclass(frozen=True)
class KpiRow:
    """The last row of an appendix table: the KPI itself."""

    label: str  # KPI(達成率の単純平均)
    previous: str  # the KPI at the previous period
    current: str  # the KPI now, with its 前期差


@dataclass(frozen=True)
class AppendixTable:
    id: str
    kpi_id: str
    label: str  # 産業・しごと分野 KPI①
    title: str  # the KPI's name
    updated_label: str
    caption: str
    header_top: tuple[str, ...]  # first header row (spans are the renderer's layout)
    header_sub: tuple[str, ...]  # second header row
    rows: tuple[AppendixRow, ...]
    kpi_row: KpiRow
    footnotes: tuple[str, ...] = ()
    field_id: str = ""  # the Dashboard.id of the table's field
    tile: Tile | None = None  # the KPI's tile, as on its dashboard, printed beside its table


@dataclass(frozen=True)
class DataRecord:
    """One indicator or one KPI of this period and the previous one as plain
    figures, for the 検算表 (render/kensan.py); the open data files are written
    from the long-format points below.

    Figures are Decimals as published: values and targets at their display
    precision, rates, KPIs and 前期差 rounded half up to one decimal; None where
    there is no figure. Texts are as the dataset has them.
    """

    kind: str  # "indicator" or "kpi"
    field: str  # field name
    kpi: str  # KPI name
    id: str  # indicator id, or the KPI id for a KPI
    name: str = ""  # indicator name ("" for a KPI)
    unit: str = ""  # unit of target and values ("%" for a KPI)
    target: Decimal | None = None
    previous_value: Decimal | None = None
    previous_note: str = ""
    previous_rate: Decimal | None = None
    current_value: Decimal | None = None
    current_note: str = ""
    current_rate: Decimal | None = None
    previous: Decimal | None = None  # KPI at the previous period
    current: Decimal | None = None  # KPI at this period
    diff: Decimal | None = None  # 前期差 in points
    source: str = ""
    # The figures the rates were computed from, unrounded (the 検算表 recomputes
    # every rate from these).
    exact_target: Decimal | None = None
    previous_exact: Decimal | None = None
    current_exact: Decimal | None = None
    # How a KPI is scored ("mean", "weighted", "share-achieved": schema.Kpi.scoring), and
    # an indicator's weight in its weighted KPI (None elsewhere).
    scoring: str = "mean"
    weight: Decimal | None = None
    # How the plan measures the indicator: "up" (rate = value ÷ goal × 100) or
    # "down" (rate = (base − value) ÷ (base − goal) × 100); a reference
    # indicator (参考指標) has no rate. The goal is the target a period is
    # measured against: its 年度's milestone (the year given) or the final target.
    direction: str = "up"
    reference: bool = False
    base_note: str = ""
    exact_base: Decimal | None = None
    previous_exact_goal: Decimal | None = None
    current_exact_goal: Decimal | None = None
    previous_milestone_year: int | None = None
    current_milestone_year: int | None = None


@dataclass(frozen=True)
class IndicatorPoint:
    """One intermediate indicator at one period: a row of the open data's long
    format. Figures as DataRecord's; texts on one line (no line breaks in a cell)."""

    period: str  # YYYY-MM, the period the value is as of
    field_id: str
    field: str
    kpi_id: str
    kpi: str
    id: str
    name: str
    unit: str
    target: Decimal | None
    value: Decimal | None
    exact_value: Decimal | None  # the value as entered, unrounded: the rate is computed from it
    note: str  # the value's own as-of note, as published (R6年度)
    note_western: str  # the same with 西暦 years (2024年度)
    rate: Decimal | None
    source: str
    extra: tuple[object, ...] = ()  # the values of OpenData.indicator_columns
    # How the rate is measured (as DataRecord's): the goal is this period's.
    direction: str = "up"
    reference: bool = False
    base: Decimal | None = None
    base_note: str = ""
    goal: Decimal | None = None
    milestone_year: int | None = None


@dataclass(frozen=True)
class KpiPoint:
    """One KPI at one period: a row of the open data's KPI table."""

    period: str
    field_id: str
    field: str
    kpi_id: str
    kpi: str
    value: Decimal | None  # the mean of its indicators' rates
    previous_period: str | None  # the period 前期差 is taken against
    diff: Decimal | None
    indicators: int  # how many indicators it averages
    missing: int  # how many of them had no rate (left out of the mean)
    extra: tuple[object, ...] = ()  # the values of OpenData.kpi_columns


@dataclass(frozen=True)
class Release:
    """One entry of the open data's update history: a period's press pack."""

    date: str  # the publication date, YYYY-MM-DD
    period: str
    text: str
    date_label: str = ""  # the same date as the web page prints it (令和8年2月4日)


@dataclass(frozen=True)
class OpenData:
    plan: str  # the plan's name
    period: str  # YYYY-MM
    previous_period: str | None
    records: tuple[DataRecord, ...]  # per KPI: the KPI, then its indicators
    # Every period of the dataset up to this one, oldest first, each period's
    # rows in plan order: the time series of the long-format files.
    indicator_history: tuple[IndicatorPoint, ...] = ()
    kpi_history: tuple[KpiPoint, ...] = ()
    releases: tuple[Release, ...] = ()  # the update history, oldest first
    licence: str = ""  # "" when the plan names none
    licence_url: str = ""
    # Columns some plans' tables have beyond the fixed ones (how a KPI is scored, an
    # indicator's weight, the grades): (name, "text" or "number", definition), the
    # rows' values in their ``extra``. None for a plan of simple means without grades.
    indicator_columns: tuple[tuple[str, str, str], ...] = ()
    kpi_columns: tuple[tuple[str, str, str], ...] = ()
    # Definitions of fixed columns as this plan computes them, where they differ
    # from the fixed ones (a KPI not a simple mean): (column name, definition).
    column_texts: tuple[tuple[str, str], ...] = ()
    # Some indicator of the plan is measured otherwise than value ÷ target (one
    # that should fall, yearly milestones, a reference indicator): the files say how.
    indicator_methods: bool = False


@dataclass(frozen=True)
class ReviewNote:
    """A proofreading finding as the Word draft carries it: a comment on the
    figure or text it is about."""

    about: About
    text: str


@dataclass(frozen=True)
class Origin:
    """Where a dataset text came from, so that a correction made in the draft can
    be written back: the file as the dataset names it (relative to its folder) and
    the field path inside it."""

    file: str  # plan.yaml, periods/2025-12.yaml
    field: str  # cases.industry.0.bullets.1
    line: int | None = None  # 1-based, as an editor counts

    def __str__(self) -> str:
        return f"{self.file} {self.field}"


@dataclass(frozen=True)
class Span:
    """A piece of a printed text: a dataset text (with its origin), a computed
    figure (which a reviewer may comment on but never overtype), or wording."""

    text: str
    origin: Origin | None = None
    figure: bool = False
    # The same piece as the previous period printed it, when that differs: the
    # draft shows the change since then. None when unchanged, new, or in the final copy.
    previous: str | None = None


@dataclass(frozen=True)
class Photo:
    """A case study's photo: the image file and its alternative text."""

    path: Path
    alt: str


@dataclass(frozen=True)
class Marks:
    """How the model's printed texts divide into dataset texts, figures and
    wording, by their place in the model: a dotted path of attribute names and
    indices (``dashboards.0.cases.1.bullets.2``, ``appendix.3.rows.0.current_rate``).
    The spans of a path join to the text printed there."""

    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)
    # Who the changes since the previous period are shown as made by, e.g.
    # 前期（2025年9月末時点）との差分; "" when there are none to show (the final copy).
    revision_author: str = ""
    # What the previous period printed that this one does not (a case study, a
    # bullet, a box line since removed), for the draft to show as deleted: by the
    # path of the list it was in (``dashboards.0.cases``,
    # ``dashboards.0.cases.1.bullets``, ``….box_lines``, ``….box_title``), each as
    # (the index in this period's list it goes before, the old item: a text, or a
    # whole CaseStudy). Empty in the final copy.
    removed: dict[str, tuple[tuple[int, str | CaseStudy], ...]] = field(default_factory=dict)
    # The case studies whose photo is not the previous period's (a new case's, a
    # photo added, replaced or dropped), by the case's path: the previous photo,
    # or None where there was none. Empty in the final copy.
    photos: dict[str, Photo | None] = field(default_factory=dict)

    def of(self, path: str) -> tuple[Span, ...] | None:
        return self.spans.get(path)

    def removed_at(self, path: str, index: int) -> list:
        """The old items removed from the list at ``path`` that go before its item ``index``."""
        return [item for at, item in self.removed.get(path, ()) if at == index]


@dataclass(frozen=True)
class Section:
    number: str
    title: str


@dataclass(frozen=True)
class Pack:
    meta: Meta
    notice: Notice
    title_page: TitlePage
    framework_section: Section
    framework: Framework
    basic_section: Section
    basic_targets: BasicTargets
    dashboard_section: Section
    dashboards: tuple[Dashboard, ...]
    appendix_section: Section
    appendix: tuple[AppendixTable, ...]
    legend: tuple[str, ...] = field(default_factory=tuple)  # e.g. －：未入力
    open_data: OpenData | None = None  # the figures as plain numbers (CSV, JSON)
    review: tuple[ReviewNote, ...] = ()  # the draft's review comments; none in the final copy
    marks: Marks = field(default_factory=Marks)  # where each text came from; which are figures
    dataset: str = ""  # the plan's name: a proofread draft is read back only into its own dataset
    target_mark: str = ""  # set before a basic target's name in print (▶), "" for none

    def marked(self, name: str) -> str:
        """A basic target's name as print sets it: after its mark (▶ 労働生産性)."""
        return f"{self.target_mark} {name}" if self.target_mark else name

    def panel_heading(self, p: BasicTargetPanel) -> str:
        """A basic target's panel title as printed (and bookmarked): its name, marked, and its detail."""
        return self.marked(p.title) + (f"（{p.detail}）" if p.detail else "")

    def charts(self) -> list[Chart]:
        return [p.chart for p in self.basic_targets.panels] + [d.chart for d in self.dashboards]
