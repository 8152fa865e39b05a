"""The pack's figures as open data, to the government's rule on machine-readable
data (行政データにおける機械可読性に関するルール), beside the web pages.

Four tables, each in a CSV file and a JSON file of the same name:

* ``<stem>.csv`` (e.g. ``dxreport-2025-12.csv``): the intermediate indicators
  of this release, one row per indicator and period (the previous period, then
  this one): the long format, the period in the column 基準月.
* ``<stem>-kpi.csv``: the KPIs of this release, one row per KPI and period.
* ``<stem>-history.csv`` and ``<stem>-kpi-history.csv``: the same tables over
  every period of the dataset up to this one (the time series), periods
  without a press pack of their own among them.

and ``<stem>-columns.csv``, every column of every table with its type and
definition. Each file is one table with one header row; one value per cell,
no line breaks in a cell (the model joins a text's lines); figures are plain
numbers as published (values at their display precision, rates with one
decimal): no thousands separators, no units (those are the 単位 column), ``-``
for negatives, empty where there is no figure. Dates are 西暦 (YYYY-MM); the
as-of notes are published as written (和暦) and in 西暦 beside them. The CSV
is UTF-8 with a BOM (Excel opens it as Japanese) and CRLF line ends; the JSON
has the same rows as objects keyed by the same names, with what the rule asks
to publish with the data: the columns' definitions, the character encoding,
the licence and the update history.

The column names are fixed here, not in the wording, so they stay the same in
every period's files.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Sequence

from dxreport.model.pack import IndicatorPoint, KpiPoint, OpenData, Pack
from dxreport.render.job import RenderJob

TEXT, NUMBER, MONTH = "文字列", "数値", "年月（YYYY-MM）"
ENCODING = "UTF-8（BOM付き）"
LINE_END = "CRLF"


@dataclass(frozen=True)
class Column:
    name: str  # never renamed: data users join the files of several periods by these names
    type: str
    text: str  # the definition published with the data


FIELD_COLUMNS = (
    Column("基準月", MONTH, "データの時点（その月の末日時点）"),
    Column("分野ID", TEXT, "分野の識別子（期をまたいで変わらない）"),
    Column("分野", TEXT, "分野の名称"),
    Column("KPIID", TEXT, "KPIの識別子（期をまたいで変わらない）"),
    Column("KPI", TEXT, "KPIの名称"),
)
INDICATOR_COLUMNS = FIELD_COLUMNS + (
    Column("指標ID", TEXT, "中間指標の識別子（期をまたいで変わらない）"),
    Column("中間指標", TEXT, "中間指標の名称（中間指標はKPIに属する）"),
    Column("単位", TEXT, "目標値と値の単位"),
    Column("目標値", NUMBER, "中間指標の目標値"),
    Column("値", NUMBER, "基準月における中間指標の値（公表した桁数）。データがなければ空欄"),
    Column("値の時点", TEXT, "値の時点・対象期間の注記（公表のとおり、和暦）"),
    Column("値の時点の西暦表記", TEXT, "値の時点・対象期間の注記の年を西暦で表したもの"),
    Column("達成率", NUMBER, "達成率（%、達成率の計算に用いた値÷目標値×100を0～100の範囲とし小数第2位を四捨五入）。値がなければ空欄"),
    Column("達成率の計算に用いた値", NUMBER, "達成率の計算に用いた値（丸める前の値。「値」は公表した桁数に丸めたもの）"),
    Column("データの出所", TEXT, "中間指標のデータの出所（複数行のものは「／」で区切る）"),
)
# A plan whose indicators are not all measured as value ÷ target (one that should
# fall, yearly milestones, reference indicators): its indicator tables say how,
# in these columns after the others (a plan without them keeps the columns above).
METHOD_RATE = Column("達成率", NUMBER, "達成率（%、小数第2位を四捨五入し0～100の範囲とする）。方向がupの指標は達成率の計算に用いた値÷達成率の目標値×100、"
                     "downの指標は（基準値－達成率の計算に用いた値）÷（基準値－達成率の目標値）×100。値がないとき、参考指標は空欄")
METHOD_COLUMNS = (
    Column("方向", TEXT, "up（値の増加をめざす指標）またはdown（値の減少をめざす指標）"),
    Column("基準値", NUMBER, "downの指標の基準値（達成率はここからの減少を測る）。upの指標は空欄"),
    Column("基準値の時点", TEXT, "基準値の時点の注記（公表のとおり、和暦）"),
    Column("達成率の目標値", NUMBER, "基準月の達成率の計算に用いた目標値（年度目標のある指標はその年度の目標値、それ以外は目標値）。参考指標は空欄"),
    Column("年度目標の年度", NUMBER, "達成率の目標値が年度目標のとき、その年度（西暦、4月～翌3月）。目標値（最終目標）のときは空欄"),
    Column("参考指標", TEXT, "参考指標（達成率を計算せず、KPIに含めない）はtrue、それ以外はfalse"),
)
METHOD_INDICATOR_COLUMNS = tuple(METHOD_RATE if c.name == METHOD_RATE.name else c for c in INDICATOR_COLUMNS) + METHOD_COLUMNS
KPI_COLUMNS = FIELD_COLUMNS + (
    Column("単位", TEXT, "KPIの値の単位（%）"),
    Column("KPIの値", NUMBER, "KPIの値（%、属する中間指標の達成率の単純平均、小数第2位を四捨五入）"),
    Column("前期の基準月", MONTH, "前期差の比較の対象とした期。前期がなければ空欄"),
    Column("前期差", NUMBER, "KPIの前期差（ポイント、基準月の値－前期の値）。前期がなければ空欄"),
    Column("中間指標の数", NUMBER, "KPIに属する中間指標の数"),
    Column("値のない中間指標の数", NUMBER, "基準月に値のない中間指標の数（単純平均から除いている）"),
)


def _indicator_row(p: IndicatorPoint) -> tuple[object, ...]:
    return (p.period, p.field_id, p.field, p.kpi_id, p.kpi, p.id, p.name, p.unit, p.target, p.value, p.note,
            p.note_western, p.rate, p.exact_value, p.source, *p.extra)


def _method_row(p: IndicatorPoint) -> tuple[object, ...]:
    # The method's columns after the fixed ones, before those the model adds for the plan (p.extra).
    row = _indicator_row(p)
    fixed = row[:len(row) - len(p.extra)]
    return fixed + (p.direction, p.base, p.base_note, p.goal, p.milestone_year, "true" if p.reference else "false") + tuple(p.extra)


def _kpi_row(p: KpiPoint) -> tuple[object, ...]:
    return (p.period, p.field_id, p.field, p.kpi_id, p.kpi, "%", p.value, p.previous_period, p.diff,
            p.indicators, p.missing, *p.extra)


_TYPES = {"text": TEXT, "number": NUMBER}


def _columns(table: "Table", od: OpenData) -> tuple[Column, ...]:
    """A table's columns: the fixed ones, then those the model adds for this plan."""
    extra = getattr(od, table.extra) if table.extra else ()
    texts = dict(od.column_texts)
    fixed = tuple(Column(c.name, c.type, texts[c.name]) if c.name in texts else c for c in table.columns)
    return fixed + tuple(Column(name, _TYPES[kind], text) for name, kind, text in extra)


@dataclass(frozen=True)
class Table:
    suffix: str  # after the stem: "" keeps the name the first releases' file had
    title: str
    columns: tuple[Column, ...]
    rows: Callable[[OpenData], Sequence[tuple[object, ...]]]
    extra: str = ""  # the OpenData attribute naming the plan's extra columns of this table


def _release(od: OpenData) -> set[str]:
    return {od.period} | ({od.previous_period} if od.previous_period else set())


def _indicator_rows(od: OpenData, points: Sequence[IndicatorPoint]) -> list[tuple[object, ...]]:
    return [(_method_row if od.indicator_methods else _indicator_row)(p) for p in points]


TABLES: tuple[Table, ...] = (
    Table("", "中間指標の値と達成率（今期と前期）", INDICATOR_COLUMNS,
          lambda od: _indicator_rows(od, [p for p in od.indicator_history if p.period in _release(od)]), "indicator_columns"),
    Table("-kpi", "KPIの値（今期と前期）", KPI_COLUMNS,
          lambda od: [_kpi_row(p) for p in od.kpi_history if p.period in _release(od)], "kpi_columns"),
    Table("-history", "中間指標の値と達成率（全期の時系列）", INDICATOR_COLUMNS,
          lambda od: _indicator_rows(od, od.indicator_history), "indicator_columns"),
    Table("-kpi-history", "KPIの値（全期の時系列）", KPI_COLUMNS,
          lambda od: [_kpi_row(p) for p in od.kpi_history], "kpi_columns"),
)
COLUMNS_SUFFIX = "-columns"
DEFINITION_COLUMNS = (
    Column("ファイル", TEXT, "列を持つファイルの名前（CSV。同名のJSONも同じ列を持つ）"),
    Column("列名", TEXT, "列の名前（1行目の見出し）"),
    Column("型", TEXT, "値の型（文字列、数値、年月）"),
    Column("説明", TEXT, "列の定義"),
)


def _plain(value: object) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _json_value(value: object) -> object:
    return None if value == "" or value is None else value


_NUMBER = "\0{}\0"  # a figure's place in the JSON text; no dataset text holds NUL (validation refuses it)
_NUMBER_RE = re.compile(r'"\\u0000(\d+)\\u0000"')


def _dumps(doc: object) -> str:
    """JSON with every figure written from its Decimal, digit for digit: never
    through float, which turns 99999999999999.99 into 99999999999999.98."""
    figures: list[str] = []

    def marked(v: object) -> object:
        if isinstance(v, Decimal):
            figures.append(format(v, "f"))
            return _NUMBER.format(len(figures) - 1)
        if isinstance(v, dict):
            return {k: marked(x) for k, x in v.items()}
        if isinstance(v, list):
            return [marked(x) for x in v]
        return v

    text = json.dumps(marked(doc), ensure_ascii=False, indent=1)
    return _NUMBER_RE.sub(lambda m: figures[int(m.group(1))], text)


def _csv(columns: Sequence[Column], rows: Sequence[tuple[object, ...]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_plain(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


def _json(pack: Pack, od: OpenData, table: Table, csv_name: str, rows: Sequence[tuple[object, ...]]) -> bytes:
    doc = {
        "タイトル": pack.meta.subject,
        "表": table.title,
        "作成者": pack.meta.author,
        "公表日": pack.meta.date.isoformat(),
        "今期の基準月": od.period,
        "前期の基準月": od.previous_period,
        "ライセンス": od.licence or None,
        "ライセンスのURL": od.licence_url or None,
        "CSVファイル": csv_name,
        "CSVの文字コード": ENCODING,
        "CSVの改行": LINE_END,
        "更新履歴": [{"公表日": r.date, "基準月": r.period, "内容": r.text} for r in od.releases],
        "列": [{"名前": c.name, "型": c.type, "説明": c.text} for c in _columns(table, od)],
        "データ": [{c.name: _json_value(v) for c, v in zip(_columns(table, od), row)} for row in rows],
    }
    return (_dumps(doc) + "\n").encode("utf-8")


def file_names(stem: str) -> list[str]:
    """Every open data file's name, in the order they are written."""
    return [f"{stem}{t.suffix}.{ext}" for t in TABLES for ext in ("csv", "json")] + [f"{stem}{COLUMNS_SUFFIX}.csv"]


def render(job: RenderJob) -> dict[str, bytes]:
    od = job.pack.open_data
    assert od is not None, "the pack model carries no open data"
    files: dict[str, bytes] = {}
    definitions: list[tuple[object, ...]] = []
    for table in TABLES:
        rows = table.rows(od)
        if od.indicator_methods and table.columns is INDICATOR_COLUMNS:
            table = Table(table.suffix, table.title, METHOD_INDICATOR_COLUMNS, table.rows, table.extra)
        csv_name = f"{job.stem}{table.suffix}.csv"
        files[csv_name] = _csv(_columns(table, od), rows)
        files[f"{job.stem}{table.suffix}.json"] = _json(job.pack, od, table, csv_name, rows)
        definitions += [(csv_name, c.name, c.type, c.text) for c in _columns(table, od)]
    files[f"{job.stem}{COLUMNS_SUFFIX}.csv"] = _csv(DEFINITION_COLUMNS, definitions)
    return files
