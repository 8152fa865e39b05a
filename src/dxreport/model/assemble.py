"""From computed figures to the pack model: every text formatted once, here."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

from dxreport.japanese import era
from dxreport.japanese.period import YearMonth
from dxreport.japanese import formatting as fmt
from dxreport.compute.figures import BasicTargetFigures, FieldFigures, Figures, IndicatorFigures, KpiFigures
from dxreport.model.pack import (
    AppendixRow,
    AppendixTable,
    BasicTargetPanel,
    BasicTargets,
    CaseStudy,
    Chart,
    ContactRow,
    Dashboard,
    DataRecord,
    Framework,
    IndicatorPoint,
    KpiPoint,
    KpiRow,
    Meta,
    Notice,
    OpenData,
    Pack,
    Release,
    ReviewNote,
    Section,
    Series,
    StructureRow,
    Tile,
    TitlePage,
)
from dxreport.model import marks, scoring
from dxreport.model.marks import circled
from dxreport.model.wording import Wording
from dxreport.source.dataset import Dataset
from dxreport.source.schema import Plan
from dxreport.proofread.findings import Finding

HUNDRED = Decimal(100)
# The release's section numbers (資料編 has none).
SECTION_FRAMEWORK, SECTION_BASIC, SECTION_DASHBOARDS = "1", "2", "3"


def build(fig: Figures, dataset_root: Path, findings: Iterable[Finding] = (), history: Sequence[Figures] = (),
          dataset: Dataset | None = None, revisions: bool = True) -> Pack:
    """The pack model of a period that has a notice; ``findings`` become the
    draft's review comments (none for the final copy). ``history`` is the
    figures of every period of the dataset up to this one, oldest first, ending
    with ``fig`` (the open data's time series); without it, this period alone.
    Given the ``dataset`` the figures came from, the model says where each
    printed text came from (its marks), and with ``revisions`` what changed
    since the previous period."""
    w = Wording()
    plan = fig.plan.plan
    notice_data = fig.period.notice
    # Only a period with a notice has a press pack: the build says so before it gets here.
    assert notice_data is not None, fig.period.period
    now = YearMonth.parse(fig.period.period)
    before = YearMonth.parse(fig.previous.period) if fig.previous else None
    sender = f"{notice_data.department} {notice_data.division}"

    meta = Meta(
        title=w("doc_title", plan=plan),
        subject=w("doc_subject", plan=plan, as_of_long=now.long),
        author=f"{plan.organisation} {notice_data.department}{notice_data.division}",
        language="ja-JP",
        keywords=w.lines("keywords", plan=plan),
        period=fig.period.period,
        date=notice_data.date,
    )

    contact = [ContactRow(w("contact_label"), tuple(x for x in (notice_data.division + " " + notice_data.group, notice_data.contact) if x.strip()))]
    phone_lines = [w("direct", phone=notice_data.phone)]
    if notice_data.extension:
        phone_lines.append(w("extension", ext=notice_data.extension))
    contact.append(ContactRow(w("phone_label"), tuple(phone_lines)))
    if notice_data.press_officer:
        contact.append(ContactRow(w("press_officer_label"), (notice_data.press_officer,)))
    notice = Notice(
        date=era.long_date(notice_data.date),
        addressee=w("addressee"),
        sender=sender,
        title=meta.title,
        body=tuple(notice_data.body),
        link_label=w("link_label", plan=plan) if notice_data.url else "",
        url=notice_data.url,
        box_heading=w("box_heading"),
        contact=tuple(contact),
    )
    title_page = TitlePage(
        title=w("materials_title", plan=plan),
        items=tuple(w("update_item", update=u, as_of=now.short) for u in notice_data.updates),
        date=notice.date,
        sender=sender,
    )

    n_indicators = len(fig.indicators())
    framework = Framework(
        heading=w("framework_heading", plan=plan, number=SECTION_FRAMEWORK, part="1"),
        basic_heading=w("basic_heading"),
        basic_intro=w("basic_intro", plan=plan, count=len(fig.plan.basic_targets)),
        basic_header=tuple(w.lines("basic_header")),  # type: ignore[arg-type]
        basic_rows=tuple((bt.name, bt.detail, bt.frequency, bt.source) for bt in fig.plan.basic_targets),
        kpi_heading=w("kpi_heading"),
        kpi_intro=w("kpi_intro"),
        fields=tuple((w("field_title", field=f.field.name), tuple(k.kpi.name for k in f.kpis)) for f in fig.fields),
        rules=w.lines("rules", plan=plan, fields=len(fig.fields), kpis=len(fig.kpis()), indicators=n_indicators)
        + scoring.rules(w, fig),
        rhythm=w("rhythm", plan=plan),
        url_label=w("plan_url_label", plan=plan) if plan.url else "",
        url=plan.url,
        structure_heading=w("framework_heading", plan=plan, number=SECTION_FRAMEWORK, part="2"),
        structure_header=w.lines("structure_header"),
        structure=tuple(
            StructureRow(w("field_title", field=f.field.name), k.kpi.name, w("indicator_count", count=len(k.indicators)),
                         n == 0, len(f.kpis))
            for f in fig.fields for n, k in enumerate(f.kpis)),
        structure_total=w("structure_total", fields=len(fig.fields), kpis=len(fig.kpis()), indicators=n_indicators),
        flow=w.lines("structure_flow", plan=plan),
    )

    field_names = {f.id: f.name for f in fig.plan.fields}
    panels = tuple(_basic_panel(w, b, field_names, fig.plan.plan.target_year) for b in fig.basic_targets)
    bullets = [w("basic_lead", plan=plan, count=len(panels))]
    for b in fig.basic_targets:
        if b.updated and b.change is not None:
            change_text = fmt.difference(abs(b.change), b.target.decimals, b.target.unit).lstrip("+")
            bullets.append(w("basic_highlight", name=b.target.name, change_text=change_text, direction=b.direction))
    basic = BasicTargets(
        heading=w("basic_section"),
        title=w("basic_title", plan=plan, number=SECTION_BASIC),
        bullets=tuple(bullets),
        panels=panels,
    )

    dashboards = tuple(_dashboard(w, f, fig, now, before, dataset_root) for f in fig.fields)
    appendix = tuple(
        _appendix_table(w, f, n, k, now, before, tile=d.tiles[n - 1], plan=fig.plan)
        for f, d in zip(fig.fields, dashboards)
        for n, k in enumerate(f.kpis, start=1)
    )
    pack = Pack(
        meta=meta,
        notice=notice,
        title_page=title_page,
        framework_section=Section(SECTION_FRAMEWORK, w("framework_section", plan=plan)),
        framework=framework,
        basic_section=Section(SECTION_BASIC, basic.heading),
        basic_targets=basic,
        dashboard_section=Section(SECTION_DASHBOARDS, w("dashboard_section")),
        dashboards=dashboards,
        appendix_section=Section("", w("appendix_section")),
        appendix=appendix,
        legend=_legend(w, fig),
        open_data=_open_data(w, fig, history or (fig,)),
        review=tuple(ReviewNote(f.about, review_text(f)) for f in findings if f.about is not None),
        dataset=plan.name,
        target_mark=w("target_mark"),
    )
    if dataset is None:
        return pack
    before = fig.previous.period if fig.previous else None
    earlier = next((h for h in history if h.period.period == before), None)
    return replace(pack, marks=marks.build(fig, dataset, pack, revisions, earlier))


def _places(value: Decimal) -> int:
    """The decimals a value was entered with (52.47: 2)."""
    return max(0, -int(value.as_tuple().exponent))


def _rate_not_from_print(value: Decimal | None, rate: Decimal | None, ind, goal: Decimal | None = None) -> bool:
    """True when a reader who divides the printed value by the printed target
    gets another rate than the one printed: the rate comes from the unrounded value."""
    from dxreport.japanese import numbers

    target = _shown(ind.target if goal is None else goal, ind.shown_target_decimals)
    base = _shown(ind.base, ind.shown_target_decimals) if ind.falling else None
    divisor = target if base is None else base - target
    if value is None or rate is None or not divisor:
        return False  # a target printed as 0 (0.4 with no decimals), or a base printed as its target, gives no rate to check
    if base is not None:
        shown = numbers.falling_rate(_shown(value, ind.decimals), base, target)
    else:
        shown = numbers.rate(_shown(value, ind.decimals), target)
    return shown != rate


def target_text(w: Wording, i: IndicatorFigures) -> str:
    """The appendix's target cell (A): the target; for a reference indicator
    （参考）; with yearly milestones the milestone each period is measured against
    and the final target; for a falling indicator its base under it."""
    ind = i.indicator
    number = lambda v: fmt.number(v, ind.shown_target_decimals, ind.unit)  # noqa: E731
    if ind.reference:
        return "\n".join(([number(ind.target)] if ind.target is not None else []) + [w("reference_target")])
    lines = []
    used = [(g, y) for g, y in ((i.previous_goal, i.previous_milestone_year), (i.current_goal, i.current_milestone_year))
            if y is not None]
    for goal, year in dict.fromkeys(used):
        lines += [number(goal), w("milestone_year", year=year)]
    lines.append(w("final_target", value=number(ind.target)) if lines else number(ind.target))
    if ind.falling:
        lines.append(w("falling_base", base=number(ind.base)))
        if ind.base_note:
            lines.append(w("base_note", note=ind.base_note))
    return "\n".join(lines)


def _method_notes(w: Wording, k: KpiFigures) -> list[str]:
    """The footnotes that say how the table's indicators other than rising ones are measured."""
    inds = [i.indicator for i in k.indicators]
    notes = []
    if any(i.falling and not i.reference for i in inds):
        notes.append(w("falling_note"))
    if any(i.milestones and not i.reference for i in inds):
        notes.append(w("milestone_note"))
    if any(i.reference for i in inds):
        notes.append(w("reference_note"))
    return notes


def _kpi_absences(kpis) -> set[str | None]:
    """Why the missing values of these KPIs' indicators are missing (None: not entered)."""
    out: set[str | None] = set()
    for k in kpis:
        for i in k.indicators:
            for obs in (i.current, i.previous):
                if obs is not None and obs.value is None:
                    out.add(obs.absent)
    return out


def _missing(w: Wording, absences: set[str | None]) -> str:
    """The legend of a gap: 未入力, 未公表 or 対象外, each once, in that order."""
    order = [None, "unpublished", "not-applicable"]
    return "／".join(w("missing_legend", absent=a) for a in order if a in absences) or w("missing_legend", absent=None)


def _legend(w: Wording, fig: Figures) -> tuple[str, ...]:
    """Section 2's legend: the kinds of gap its panels show."""
    absences = {b.absent for b in fig.basic_targets if not b.years or any(y.value is None for y in b.years)}
    return (_missing(w, absences),) if absences else ()


def review_text(f: Finding) -> str:
    """A comment for the proofreader: what looks wrong and what to check, on the
    figure or text itself (no file, id or severity: those are the check's)."""
    return f.advice or f.message


def _basic_panel(w: Wording, b: BasicTargetFigures, field_names: dict[str, str], target_year: int) -> BasicTargetPanel:
    bt = b.target
    value = lambda v: fmt.number(v, bt.decimals, bt.unit)  # noqa: E731
    categories = tuple(w("year_label", year=y.year) for y in b.years)
    values = tuple(y.value for y in b.years)
    labels = tuple(value(v) for v in values)
    # On the bars a unit other than % is left to the axis label, to keep them short.
    bar_labels = labels if bt.unit == "%" else tuple(fmt.number(v, bt.decimals) for v in values)
    target_label = w("target_line", year=target_year, value=value(bt.target)) if bt.target is not None else None
    notes = []
    if b.latest is not None and b.latest.field_values:
        # The note comes as lines (its "\n"), one field a line, as the release sets it.
        parts = [f"{circled(i)}{field_names.get(f, f)} {value(v)}" for i, (f, v) in enumerate(b.latest.field_values, start=1)]
        notes.append(w("field_mean_note", year=b.latest.year, value=value(b.latest.value), parts=parts))
    change = fmt.difference(b.change, bt.decimals, bt.unit) if b.change is not None else ""
    if b.change_is_stated:
        notes.append(w("stated_change_note", change=change))
    if b.note:
        notes.append(b.note)
    alt_values = "、".join(f"{c} {l}" for c, l in zip(categories, labels)) or w("no_data", absent=b.absent)
    chart = Chart(
        id=f"basic-{bt.id}",
        kind="yearly",
        title=bt.name,
        categories=categories,
        series=(Series(w("series_actual"), values, bar_labels),),
        unit=bt.unit,
        axis_label=bt.unit,
        target_label=target_label,
        target=bt.target,
        missing_label=w("missing_legend", absent=b.absent) if any(v is None for v in values) or not values else None,
        y_max=HUNDRED if bt.unit == "%" else None,
        alt=w("chart_alt_yearly", name=bt.name, values=alt_values, target=target_label or ""),
        table_header=("年度", bt.name),
        table_rows=tuple(zip(categories, labels)),
    )
    return BasicTargetPanel(
        title=bt.name,
        detail=bt.detail,
        source=bt.source,
        updated_label=w("updated_label") if b.updated else "",
        value_text=(w("latest_value", year=b.latest.year, value=value(b.latest.value), change="" if b.change_is_stated else change)
                    if b.latest else ""),
        notes=tuple(notes),
        chart=chart,
    )


def _dashboard(w: Wording, f: FieldFigures, fig: Figures, now: YearMonth, before: YearMonth | None, root: Path) -> Dashboard:
    tiles = tuple(
        Tile(
            name=k.kpi.label or k.kpi.name,
            rate=scoring.rate_text(w, k.current, k.current_grade),
            diff_label=w("diff_label"),
            diff=fmt.points(k.diff),
            components_label=w("components_label"),
            components=k.kpi.components,
            updated_label=w("kpi_updated_label") if before is not None and _updated(k) else "",
        )
        for k in f.kpis
    )
    names = tuple(k.kpi.label or k.kpi.name for k in f.kpis)
    series = []
    if before is not None:
        prev = tuple(k.previous for k in f.kpis)
        series.append(Series(w("period_series", label=before.dotted), prev, tuple(fmt.rate(v) for v in prev)))
    cur = tuple(k.current for k in f.kpis)
    series.append(Series(w("period_series", label=now.dotted), cur, tuple(fmt.rate(v) for v in cur)))
    alt_values = "、".join(
        f"{n} " + "・".join(f"{s.label} {s.labels[i]}" for s in series) for i, n in enumerate(names)
    )
    chart = Chart(
        id=f"field-{f.field.id}",
        kind="compare",
        title=w("compare_title", field=f.field.name),
        categories=names,
        series=tuple(series),
        unit="%",
        axis_label=w("compare_axis"),
        missing_label=_missing(w, _kpi_absences(f.kpis)) if any(v is None for s in series for v in s.values) else None,
        y_max=HUNDRED,
        alt=w("chart_alt_compare", field=f.field.name, values=alt_values),
        table_header=("KPI", *(s.label for s in series)),
        table_rows=tuple((n, *(s.labels[i] for s in series)) for i, n in enumerate(names)),
    )
    cases = tuple(
        CaseStudy(
            title=c.title,
            bullets=tuple(c.bullets),
            image=(root / c.image).resolve() if c.image else None,
            image_alt=c.image_alt or c.title,
            box_title=c.box.title if c.box else "",
            box_lines=tuple(c.box.lines) if c.box else (),
        )
        for c in fig.period.cases.get(f.field.id, [])
    )
    return Dashboard(
        id=f.field.id,
        heading=w("dashboard_heading", plan=fig.plan.plan, field=f.field.name, as_of_long=now.long),
        previous_note=scoring.with_legend(w, w("previous_note", previous=before.dotted) if before else "", fig.plan),
        tiles=tiles,
        chart=chart,
        cases_heading=w("cases_heading", as_of_long=now.long),
        cases=cases,
        no_cases=w("no_cases"),
        title=w("field_title", field=f.field.name),
        continued=w("dashboard_continued", field=f.field.name),
        legend=(w("kpi_updated_legend"),) if any(t.updated_label for t in tiles) else (),
    )


def _observation(value: str, note: str) -> str:
    return f"{value}\n({note})" if note else value


def _changed(i) -> bool:
    """An indicator with a value whose value or as-of note changed since the previous
    period (a value gone missing is no update: its 「－」 and the legend say what it is)."""
    return (i.previous is not None and i.current.value is not None
            and (i.previous.value != i.current.value or i.previous.note != i.current.note))


def _updated(k: KpiFigures) -> bool:
    """A KPI with a value or an as-of note that changed since the previous period."""
    return any(_changed(i) for i in k.indicators)


def _appendix_table(w: Wording, f: FieldFigures, n: int, k: KpiFigures, now: YearMonth, before: YearMonth | None,
                    tile: Tile | None = None, plan: Plan | None = None) -> AppendixTable:
    rows = []
    missing = False
    unrounded: list[str] = []
    for i in k.indicators:
        ind = i.indicator
        for obs, shown_rate, column, goal in ((i.previous, i.previous_rate, before.column if before else "", i.previous_goal),
                                              (i.current, i.current_rate, now.column, i.current_goal)):
            if obs is not None and _rate_not_from_print(obs.value, shown_rate, ind, goal):
                unrounded.append(w("unrounded_note", indicator=ind.name, column=column, value=fmt.number(obs.value, _places(obs.value), ind.unit)))
        if i.previous is not None:
            b = _observation(fmt.number(i.previous.value, ind.decimals, ind.unit), i.previous.note)
        else:
            b = fmt.MISSING
        d = _observation(fmt.number(i.current.value, ind.decimals, ind.unit), i.current.note)
        missing = missing or (i.current_rate is None or (before is not None and i.previous_rate is None) if i.scored else
                              i.current.value is None or (before is not None and (i.previous is None or i.previous.value is None)))
        rows.append(AppendixRow(
            id=ind.id,
            indicator=ind.name,
            target=target_text(w, i),
            previous=b,
            previous_rate=scoring.rate_text(w, i.previous_rate, i.previous_grade),
            current=d,
            current_rate=scoring.rate_text(w, i.current_rate, i.current_grade),
            source=ind.source,
            current_mark=w("figure_changed_mark") if _changed(i) else "",
        ))
    label = w("appendix_label", field=f.field.name, number=circled(n))
    curr = scoring.rate_text(w, k.current, k.current_grade)
    if k.diff is not None:
        curr = w("kpi_current", value=curr, diff=fmt.points(k.diff))
    footnotes = []
    if missing:
        footnotes.append(w("missing_note", legend=_missing(w, _kpi_absences([k]))))
    if k.current_partial or k.previous_partial:
        footnotes.append(w("partial_note", scoring=k.kpi.scoring))
    footnotes += _method_notes(w, k)
    footnotes += unrounded
    if any(r.current_mark for r in rows) and before is not None:
        footnotes.append(w("figure_changed_legend", previous=before.column))
    footnotes += scoring.footnotes(w, k, plan) if plan is not None else []
    return AppendixTable(
        id=f"kpi-{k.kpi.id}",
        kpi_id=k.kpi.id,
        label=label,
        title=k.kpi.name,
        updated_label=w("kpi_updated_label") if before is not None and _updated(k) else "",
        caption=w("appendix_caption", label=label, kpi=k.kpi.name),
        header_top=w.lines("appendix_header_top", previous=before.column if before else "－", current=now.column),
        header_sub=w.lines("appendix_header_sub"),
        rows=tuple(rows),
        kpi_row=KpiRow(scoring.kpi_row_label(w, k.kpi), scoring.rate_text(w, k.previous, k.previous_grade), curr),
        footnotes=tuple(footnotes),
        field_id=f.field.id,
        tile=tile,
    )


def _shown(value: Decimal | None, decimals: int) -> Decimal | None:
    from dxreport.japanese.numbers import round_half_up

    return None if value is None else round_half_up(value, decimals)


OPEN_DATA_LINE_JOIN = "／"


def one_line(text: str) -> str:
    """A text for one cell of the open data: its lines joined (the rule allows
    no line break inside a cell; a データの出所 may hold several lines)."""
    return OPEN_DATA_LINE_JOIN.join(line.strip() for line in text.splitlines() if line.strip())


def _points(w: Wording, fig: Figures) -> tuple[list[IndicatorPoint], list[KpiPoint]]:
    """One period's rows of the long-format tables, from its own figures."""
    indicators: list[IndicatorPoint] = []
    kpis: list[KpiPoint] = []
    period = fig.period.period
    for f in fig.fields:
        for k in f.kpis:
            kpis.append(KpiPoint(
                period=period, field_id=f.field.id, field=one_line(f.field.name), kpi_id=k.kpi.id,
                kpi=one_line(k.kpi.name), value=k.current, previous_period=fig.previous.period if fig.previous else None,
                diff=k.diff, indicators=sum(1 for i in k.indicators if i.scored),
                missing=sum(1 for i in k.indicators if i.scored and i.current_rate is None),
                extra=scoring.kpi_extra(w, fig.plan, k.kpi, k.current_grade),
            ))
            for i in k.indicators:
                ind = i.indicator
                indicators.append(IndicatorPoint(
                    period=period, field_id=f.field.id, field=one_line(f.field.name), kpi_id=k.kpi.id,
                    kpi=one_line(k.kpi.name), id=ind.id, name=one_line(ind.name), unit=ind.unit,
                    target=_shown(ind.target, ind.shown_target_decimals),
                    value=_shown(i.current.value, ind.decimals),
                    exact_value=i.current.value,
                    note=one_line(i.current.note), note_western=era.western_years(one_line(i.current.note)),
                    rate=i.current_rate, source=one_line(ind.source),
                    extra=scoring.indicator_extra(fig.plan, ind.weight, i.current_grade),
                    **_method_point(i),
                ))
    return indicators, kpis


def _open_data(w: Wording, fig: Figures, history: Sequence[Figures]) -> OpenData:
    """The figures as plain numbers, as published: values at their display precision."""
    records: list[DataRecord] = []
    for f in fig.fields:
        for k in f.kpis:
            records.append(DataRecord(
                kind="kpi", field=f.field.name, kpi=k.kpi.name, id=k.kpi.id, unit="%",
                previous=k.previous, current=k.current, diff=k.diff, scoring=k.kpi.scoring,
            ))
            for i in k.indicators:
                ind = i.indicator
                records.append(DataRecord(
                    kind="indicator", field=f.field.name, kpi=k.kpi.name, id=ind.id, name=ind.name, unit=ind.unit,
                    target=_shown(ind.target, ind.shown_target_decimals),
                    previous_value=_shown(i.previous.value, ind.decimals) if i.previous else None,
                    previous_note=i.previous.note if i.previous else "",
                    previous_rate=i.previous_rate,
                    current_value=_shown(i.current.value, ind.decimals),
                    current_note=i.current.note,
                    current_rate=i.current_rate,
                    source=ind.source,
                    exact_target=ind.target,
                    previous_exact=i.previous.value if i.previous else None,
                    current_exact=i.current.value,
                    weight=ind.weight if k.kpi.scoring == scoring.WEIGHTED else None,
                    **_method_record(i),
                ))
    indicator_history: list[IndicatorPoint] = []
    kpi_history: list[KpiPoint] = []
    for h in history:
        ind_points, kpi_points = _points(w, h)
        indicator_history += ind_points
        kpi_history += kpi_points
    releases = tuple(
        Release(h.period.notice.date.isoformat(), h.period.period,
                w("open_data_release", as_of_long=YearMonth.parse(h.period.period).long), era.long_date(h.period.notice.date))
        for h in history if h.period.notice is not None
    )
    plan = fig.plan.plan
    return OpenData(
        fig.plan.plan.name, fig.period.period, fig.previous.period if fig.previous else None, tuple(records),
        indicator_history=tuple(indicator_history), kpi_history=tuple(kpi_history), releases=releases,
        licence=one_line(plan.licence or ""), licence_url=plan.licence_url,
        indicator_columns=scoring.indicator_columns(fig.plan), kpi_columns=scoring.kpi_columns(fig.plan),
        column_texts=scoring.column_texts(fig.plan),
        indicator_methods=any(ind.reference or ind.falling or ind.milestones for ind in fig.plan.indicators().values()),
    )


def _method_point(i: IndicatorFigures) -> dict:
    """How an indicator's rate is measured, for the open data's long format."""
    ind = i.indicator
    return dict(direction=ind.direction, reference=ind.reference, base=_shown(ind.base, ind.shown_target_decimals),
                base_note=one_line(ind.base_note), goal=_shown(i.current_goal, ind.shown_target_decimals),
                milestone_year=i.current_milestone_year)


def _method_record(i: IndicatorFigures) -> dict:
    """The same for the 検算表: the goals each period is measured against, unrounded too."""
    ind = i.indicator
    return dict(direction=ind.direction, reference=ind.reference, base_note=ind.base_note,
                exact_base=ind.base, previous_exact_goal=i.previous_goal, current_exact_goal=i.current_goal,
                previous_milestone_year=i.previous_milestone_year, current_milestone_year=i.current_milestone_year)
