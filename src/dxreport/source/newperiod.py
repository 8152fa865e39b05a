"""Starting a new period: ``dxreport new-period 2026-06``.

The new period file carries every indicator over from the latest (or the given)
period, marked ``updated: false`` until the office enters a fresh figure; its
previous period is the one it was made from; the notice is copied with a date
the office must correct (the first day of the month after the period, marked
要修正); the basic targets keep their known years (not updated this time); there
are no case studies yet. The plan is not touched.
"""

from __future__ import annotations

import io
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from dxreport.source import dataset as ds_mod
from dxreport.i18n import _
from dxreport.errors import UserError
from dxreport.japanese.period import YearMonth
from dxreport.source.schema import Observation, Period, YearValue

NOT_UPDATED = "未更新"
FIX_ME = "要修正"


def _represent_decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    text = format(value, "f")
    if "." not in text:
        return representer.represent_scalar("tag:yaml.org,2002:int", text)
    return representer.represent_scalar("tag:yaml.org,2002:float", text)


def dumper() -> YAML:
    """A round-trip YAML reader and writer: Decimals read and printed exactly, quotes kept,
    nulls written ~, lines never folded. Loading and dumping a shipped file gives it back
    byte for byte."""
    from dxreport.source.yamlfile import ExactConstructor

    y = YAML(typ="rt", pure=True)
    y.Constructor = ExactConstructor
    y.preserve_quotes = True
    y.Representer = type("_DecimalRepresenter", (RoundTripRepresenter,), {})
    y.Representer.add_representer(Decimal, _represent_decimal)
    y.Representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "~"))
    y.width = 100_000
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _flow(items: dict[str, Any]) -> CommentedMap:
    m = CommentedMap(items)
    m.fa.set_flow_style()
    return m


def _observation(obs: Observation) -> CommentedMap:
    return _flow({"value": obs.value, "note": obs.note, "updated": False})


def _year_value(v: YearValue | Decimal | None) -> Any:
    if isinstance(v, YearValue):
        if v.fields:
            return _flow({"fields": _flow(dict(v.fields))})
        return v.value
    return v


def document(new: str, source: Period, plan) -> CommentedMap:
    """The new period's YAML document, made from ``source``."""
    doc = CommentedMap()
    doc["period"] = new
    doc["previous"] = source.period
    doc.yaml_set_start_comment(
        f"{new} の数値。dxreport new-period で {source.period} から作成しました。\n"
        f"updated: false の値は {source.period} から引き継いだ{NOT_UPDATED}の値です。"
        "新しい数値を入れたら updated: false を消してください。"
    )
    if source.notice is not None:
        notice = CommentedMap()
        for key, value in source.notice.model_dump(exclude_defaults=True).items():
            if key == "date":
                value = YearMonth.parse(new).day_after
            notice[key] = CommentedSeq(value) if isinstance(value, list) else value
        notice.yaml_add_eol_comment(f"{FIX_ME}: 発表日を記入してください", "date")
        notice.yaml_set_comment_before_after_key("body", before=f"{FIX_ME}: 本文の時点を確認してください", indent=2)
        doc["notice"] = notice
        doc.yaml_set_comment_before_after_key("notice", before="\n")
    values = CommentedMap()
    for ident in plan.indicators():
        obs = source.values.get(ident) or Observation()
        values[ident] = _observation(obs)
    doc["values"] = values
    doc.yaml_set_comment_before_after_key("values", before="\n")
    if source.basic_targets:
        targets = CommentedMap()
        for ident, bt in source.basic_targets.items():
            entry = CommentedMap()
            entry["updated"] = False
            if bt.years:
                entry["years"] = CommentedMap((year, _year_value(v)) for year, v in sorted(bt.years.items()))
            if bt.note:
                entry["note"] = bt.note
            targets[ident] = entry
        doc["basic_targets"] = targets
        doc.yaml_set_comment_before_after_key("basic_targets", before="\n")
    return doc


def text(doc: CommentedMap) -> str:
    buf = io.StringIO()
    dumper().dump(doc, buf)
    return buf.getvalue()


def create(new: str, dataset: str | None = None, source: str | None = None) -> Path:
    """Write ``periods/NEW.yaml``; returns its path. Refuses to overwrite."""
    if not YearMonth.valid(new):
        raise UserError(_("'{new}' is not a period in the form YYYY-MM (e.g. 2026-06)").format(new=new))
    if source is not None and not YearMonth.valid(source):
        raise UserError(_("--from '{source}' is not a period in the form YYYY-MM (e.g. 2025-12)").format(source=source))
    root, _period = ds_mod.resolve(dataset, None)
    target = root / ds_mod.PERIODS_DIR / f"{new}.yaml"
    if target.exists():
        raise UserError(_("{file} already exists; new-period never overwrites a period").format(file=ds_mod.shown(target)))
    ds, chosen = ds_mod.load(str(root), source)
    if chosen >= new:
        raise UserError(_("the new period {new} must come after {chosen}, the period it is made from").format(new=new, chosen=chosen))
    base = ds.period(chosen)
    if base.notice is None:
        # No notice in the source period: take the latest one published before the new period.
        earlier = [p for name, p in sorted(ds.periods.items()) if name < new and p.notice is not None]
        if earlier:
            base = base.model_copy(update={"notice": earlier[-1].notice})
    content = text(document(new, base, ds.plan))
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{new}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(content)
        try:
            os.link(tmp, target)  # fails if the file appeared meanwhile: never overwrite
        except FileExistsError:
            raise UserError(_("{file} already exists; new-period never overwrites a period").format(file=ds_mod.shown(target))) from None
        except OSError:
            os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    try:
        ds_mod.load(str(root), new)
    except Exception:
        target.unlink()
        raise
    return target
