"""The pack's figures as open data: ``<stem>.csv`` and ``<stem>.json``
(e.g. ``dxreport-2025-12.csv``) beside the web pages.

Open data: one table holds both kinds of row, told apart by 種別.

* 種別 ``中間指標``: one row per intermediate indicator, with 分野, KPI (the KPI
  it belongs to), 指標ID, 中間指標, 単位, 目標値, and for each period (前期, 今期)
  its month (…の基準月, YYYY-MM), the value, the value's own as-of note (…の時点)
  and the rate (…の達成率); データの出所.
* 種別 ``KPI``: one row per KPI, with 分野, KPI, 指標ID (the KPI's id), 単位 ``%``,
  the months, and the KPI (達成率の単純平均) in 前期 and 今期 with 前期差 in points.

Columns a row's kind does not use are empty. Figures are plain numbers as
published (values at their display precision, rates with one decimal): no
thousands separators, no units, ``-`` for negatives. The column names are fixed
here, not in the wording, so they stay the same in every period's files. The CSV
is UTF-8 with a BOM (Excel opens it as Japanese) and CRLF line ends; the JSON has
the same rows as objects keyed by the same names, plus the pack's title and
months and a description of every column.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from dxreport.model.pack import DataRecord, Pack
from dxreport.render.job import RenderJob

# name, description: the open data's columns, in order. Never rename one: data users
# join files of several periods by these names.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("種別", "「中間指標」または「KPI」"),
    ("分野", "分野の名称"),
    ("KPI", "KPIの名称（中間指標の行では、その中間指標が属するKPI）"),
    ("指標ID", "中間指標またはKPIの識別子（期をまたいで変わらない）"),
    ("中間指標", "中間指標の名称（KPIの行では空欄）"),
    ("単位", "目標値と値の単位（KPIの行では%）"),
    ("目標値", "中間指標の目標値"),
    ("前期の基準月", "前期のデータの時点（年-月末）"),
    ("前期の値", "前期の値"),
    ("前期の時点", "前期の値の時点・対象期間の注記"),
    ("前期の達成率", "前期の達成率（%、値÷目標値×100、0～100の範囲で小数第2位を四捨五入）"),
    ("今期の基準月", "今期のデータの時点（年-月末）"),
    ("今期の値", "今期の値"),
    ("今期の時点", "今期の値の時点・対象期間の注記"),
    ("今期の達成率", "今期の達成率（%、算出方法は前期と同じ）"),
    ("前期", "前期のKPI（%、中間指標の達成率の単純平均）"),
    ("今期", "今期のKPI（%、中間指標の達成率の単純平均）"),
    ("前期差", "KPIの前期差（ポイント、今期－前期）"),
    ("データの出所", "中間指標のデータの出所"),
)
COLUMN_NAMES = tuple(name for name, _ in COLUMNS)
KINDS = {"indicator": "中間指標", "kpi": "KPI"}


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    # A Decimal with up to 15 significant digits round-trips through float's shortest repr.
    return int(value) if value.as_tuple().exponent >= 0 else float(value)


def _row(r: DataRecord, period: str, previous: str | None) -> dict[str, object]:
    indicator = r.kind == "indicator"
    return {
        "種別": KINDS[r.kind],
        "分野": r.field,
        "KPI": r.kpi,
        "指標ID": r.id,
        "中間指標": r.name,
        "単位": r.unit,
        "目標値": r.target,
        "前期の基準月": previous or "",
        "前期の値": r.previous_value,
        "前期の時点": r.previous_note,
        "前期の達成率": r.previous_rate,
        "今期の基準月": period,
        "今期の値": r.current_value,
        "今期の時点": r.current_note,
        "今期の達成率": r.current_rate,
        "前期": None if indicator else r.previous,
        "今期": None if indicator else r.current,
        "前期差": None if indicator else r.diff,
        "データの出所": r.source,
    }


def open_data_csv(pack: Pack) -> bytes:
    od = pack.open_data
    assert od is not None, "the pack model carries no open data"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for r in od.records:
        row = _row(r, od.period, od.previous_period)
        writer.writerow([_plain(v) if isinstance(v, Decimal) or v is None else v for v in row.values()])
    return buf.getvalue().encode("utf-8-sig")


def open_data_json(pack: Pack) -> bytes:
    od = pack.open_data
    assert od is not None, "the pack model carries no open data"
    rows = []
    for r in od.records:
        row = _row(r, od.period, od.previous_period)
        rows.append({k: (_json_number(v) if isinstance(v, Decimal) or v is None else v) for k, v in row.items()})
    doc = {
        "タイトル": pack.meta.subject,
        "作成者": pack.meta.author,
        "公表日": pack.meta.date.isoformat(),
        "今期の基準月": od.period,
        "前期の基準月": od.previous_period,
        "列": [{"名前": name, "説明": text} for name, text in COLUMNS],
        "データ": rows,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def render(job: RenderJob) -> dict[str, bytes]:
    return {f"{job.stem}.csv": open_data_csv(job.pack), f"{job.stem}.json": open_data_json(job.pack)}
