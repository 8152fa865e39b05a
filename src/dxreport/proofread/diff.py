"""``dxreport diff OLD NEW``: what changed between two datasets or two periods.

Each side is a dataset folder (its latest period) or one period file. Every
figure (value with its as-of note, computed rate, KPI and 前期差) and every text
of the plan and of the period is compared; list items carrying an ``id`` are
matched by id, so reordering is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from dxreport.source import dataset as ds_mod
from dxreport.i18n import _
from dxreport.japanese import formatting
from dxreport.compute.figures import Figures, compute

CHANGED, ADDED, REMOVED = "changed", "added", "removed"
_MARK = {CHANGED: "~", ADDED: "+", REMOVED: "-"}


@dataclass(frozen=True)
class Change:
    kind: str  # changed / added / removed
    section: str  # plan / period / figures
    label: str  # what it is, readable
    old: str | None
    new: str | None

    def __str__(self) -> str:
        if self.kind == CHANGED:
            return f"{_MARK[self.kind]} {self.label}: {self.old} → {self.new}"
        return f"{_MARK[self.kind]} {self.label}: {self.new if self.kind == ADDED else self.old}"


@dataclass(frozen=True)
class Comparison:
    old_name: str
    new_name: str
    changes: tuple[Change, ...]


def _scalar(v: Any) -> str:
    if v is None:
        return "~"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _flatten(node: Any, key: tuple[str, ...] = (), label: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str, str]]:
    """(matching key, readable label, value) for every scalar of a document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _flatten(v, key + (str(k),), label + (str(k),))
    elif isinstance(node, list):
        if node and all(not isinstance(v, (dict, list)) for v in node) and all(isinstance(v, str) for v in node):
            # A list of texts (bullets, body paragraphs): matched by position.
            for i, v in enumerate(node):
                yield key + (f"#{i}",), " › ".join(label) + f" [{i + 1}]", _scalar(v)
            return
        for i, v in enumerate(node):
            if isinstance(v, dict) and "id" in v:
                name = v.get("name") or v["id"]
                yield from _flatten({k: x for k, x in v.items() if k != "id"}, key + (f"id={v['id']}",), label + (f"{name} [{v['id']}]",))
            elif isinstance(v, dict) and "title" in v:
                yield from _flatten(v, key + (f"title={v['title']}",), label + (f"「{v['title']}」",))
            else:
                yield from _flatten(v, key + (f"#{i}",), label + (f"[{i + 1}]",))
    else:
        yield key, " › ".join(label), _scalar(node)


def _compare_maps(section: str, old: dict, new: dict) -> list[Change]:
    out: list[Change] = []
    for k in list(old) + [k for k in new if k not in old]:
        if k not in new:
            out.append(Change(REMOVED, section, old[k][0], old[k][1], None))
        elif k not in old:
            out.append(Change(ADDED, section, new[k][0], None, new[k][1]))
        elif old[k][1] != new[k][1]:
            out.append(Change(CHANGED, section, new[k][0], old[k][1], new[k][1]))
    return out


def _doc_map(raw: Any, skip: tuple[str, ...] = ()) -> dict[tuple[str, ...], tuple[str, str]]:
    plain = {k: v for k, v in raw.items() if k not in skip} if isinstance(raw, dict) else raw
    return {key: (label, value) for key, label, value in _flatten(plain)}


def _figure_map(figs: Figures) -> dict[tuple[str, ...], tuple[str, str]]:
    out: dict[tuple[str, ...], tuple[str, str]] = {}
    for f in figs.fields:
        for k in f.kpis:
            for i in k.indicators:
                ind = i.indicator
                value = formatting.number(i.current.value, ind.decimals, ind.unit)
                if i.current.note:
                    value += f" ({i.current.note})"
                out[("value", ind.id)] = (_("value {name} [{id}]").format(name=ind.name, id=ind.id), value)
                out[("rate", ind.id)] = (_("rate {name} [{id}]").format(name=ind.name, id=ind.id), formatting.rate(i.current_rate))
            out[("kpi", k.kpi.id)] = (_("KPI {name} [{id}]").format(name=k.kpi.name, id=k.kpi.id), formatting.rate(k.current))
            out[("kpi-diff", k.kpi.id)] = (f"前期差 {k.kpi.name} [{k.kpi.id}]", formatting.points(k.diff))
    for b in figs.basic_targets:
        for y in b.years:
            out[("basic", b.target.id, str(y.year))] = (
                _("basic target {name} [{id}] {year}").format(name=b.target.name, id=b.target.id, year=y.year),
                formatting.number(y.value, b.target.decimals, b.target.unit))
        if b.change is not None:
            out[("basic-change", b.target.id)] = (
                _("basic target {name} [{id}] change").format(name=b.target.name, id=b.target.id),
                formatting.difference(b.change, b.target.decimals, b.target.unit))
    return out


def compare(old: str, new: str) -> Comparison:
    ods, operiod = ds_mod.load(old)
    nds, nperiod = ds_mod.load(new)
    changes: list[Change] = []
    changes += _compare_maps("plan", _doc_map(ods.plan_source.raw), _doc_map(nds.plan_source.raw))
    changes += _compare_maps("figures", _figure_map(compute(ods, operiod)), _figure_map(compute(nds, nperiod)))
    # The values are compared as figures above; the rest of the period file as text.
    changes += _compare_maps("period", _doc_map(ods.sources[operiod].raw, ("values",)),
                             _doc_map(nds.sources[nperiod].raw, ("values",)))
    return Comparison(f"{ods.sources[operiod].shown}", f"{nds.sources[nperiod].shown}", tuple(changes))


def render(cmp: Comparison) -> str:
    titles = {"figures": _("figures (values, rates, KPIs)"), "plan": _("plan"), "period": _("period texts")}
    lines = [f"{cmp.old_name} → {cmp.new_name}"]
    if not cmp.changes:
        lines.append(_("no differences"))
        return "\n".join(lines)
    for section in ("figures", "plan", "period"):
        group = [c for c in cmp.changes if c.section == section]
        if group:
            lines.append(_("{section} ({count}):").format(section=titles[section], count=len(group)))
            lines.extend(f"  {c}" for c in group)
    counts = {k: sum(c.kind == k for c in cmp.changes) for k in (CHANGED, ADDED, REMOVED)}
    lines.append(_("{changed} changed, {added} added, {removed} removed").format(
        changed=counts[CHANGED], added=counts[ADDED], removed=counts[REMOVED]))
    return "\n".join(lines)
