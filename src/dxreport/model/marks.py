"""Where each printed text of the pack came from, and which are figures.

The Word draft is proofread and read back (``dxreport absorb``): every text it
prints from the dataset must say which file and field it came from, and every
computed figure must be known as one, so that the draft can let a reviewer
correct the first and only comment on the second. This module divides the pack
model's texts into those pieces (``Span``), by their place in the model, and
checks that the pieces join to exactly the text the model prints there: a
change to the wording or the formatting that this module does not follow stops
the build instead of mislabelling a text.

The pieces also carry the previous period's text where it differs, for the
draft's tracked changes; the final copy has none.
"""

from __future__ import annotations

from typing import Any

from dxreport.compute.figures import Figures
from dxreport.japanese import formatting as fmt
from dxreport.japanese.period import YearMonth
from dxreport.model.pack import Marks, Origin, Pack, Span
from dxreport.model.wording import Wording
from dxreport.source import yamlfile
from dxreport.source.dataset import PERIODS_DIR, PLAN_FILE, Dataset

# Stand-ins for the pieces while a macro is worded: characters of Unicode's
# private use area, which no wording holds.
_FIRST_STAND_IN = 0xE000

Piece = Span | tuple[Span, ...]


def circled(n: int) -> str:
    """①..⑳, then (21): KPI numbers as the prefecture prints them."""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def printed(pack: Pack, path: str) -> Any:
    """The model's value at a dotted path (attribute names and indices)."""
    node: Any = pack
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


class _Maker:
    def __init__(self, fig: Figures, ds: Dataset, w: Wording, revisions: bool):
        self.fig, self.ds, self.w, self.revisions = fig, ds, w, revisions
        self.spans: dict[str, tuple[Span, ...]] = {}
        self.now = fig.period.period
        self.before = fig.previous.period if fig.previous else None

    # ------------------------------------------------------------ pieces
    def origin(self, period: str | None, *loc: Any) -> Origin:
        """The origin of a field of the plan (period None) or of a period's file."""
        if period is None:
            file, raw = PLAN_FILE, self.ds.plan_source.raw
        else:
            file, raw = f"{PERIODS_DIR}/{period}.yaml", self.ds.sources[period].raw
        return Origin(file, ".".join(str(p) for p in loc), yamlfile.line_of(raw, loc))

    def text(self, text: str, period: str | None, *loc: Any, previous: str | None = None) -> Span:
        return Span(text, self.origin(period, *loc), previous=self._changed(text, previous))

    def figure(self, text: str, previous: str | None = None) -> Span:
        return Span(text, figure=True, previous=self._changed(text, previous))

    def _changed(self, text: str, previous: str | None) -> str | None:
        return previous if self.revisions and previous is not None and previous != text else None

    def worded(self, macro: str, **kwargs: Any) -> tuple[Span, ...]:
        """A macro's text with the pieces given for some of its arguments kept apart."""
        args: dict[str, Any] = {}
        stand_ins: dict[str, tuple[Span, ...]] = {}

        def stand_in(value: Span | tuple) -> str:
            mark = chr(_FIRST_STAND_IN + len(stand_ins))
            stand_ins[mark] = (value,) if isinstance(value, Span) else value
            return mark

        for name, value in kwargs.items():
            if isinstance(value, (Span, tuple)):
                args[name] = stand_in(value)
            elif isinstance(value, list):  # a list the macro writes item by item (one a line)
                args[name] = [stand_in(x) for x in value]
            else:
                args[name] = value
        out: list[Span] = []
        plain = ""
        for ch in self.w(macro, **args):
            if ch in stand_ins:
                if plain:
                    out.append(Span(plain))
                    plain = ""
                out.extend(stand_ins[ch])
            else:
                plain += ch
        if plain:
            out.append(Span(plain))
        return tuple(out)

    def put(self, path: str, *pieces: Piece | str) -> None:
        spans: list[Span] = []
        for p in pieces:
            if isinstance(p, str):
                if p:
                    spans.append(Span(p))
            elif isinstance(p, Span):
                spans.append(p)
            else:
                spans.extend(p)
        # An empty dataset text prints nothing and has no place to be corrected in.
        self.spans[path] = tuple(s for s in spans if s.text or s.previous)

    # ------------------------------------------------------------ the pack's parts
    def notice(self) -> None:
        n = self.fig.period.notice
        assert n is not None
        now = self.now
        before = self.fig.previous.notice if self.fig.previous else None
        sender = (self.text(n.department, now, "notice", "department"), " ", self.text(n.division, now, "notice", "division"))
        self.put("notice.sender", *sender)
        self.put("title_page.sender", *sender)
        for i, line in enumerate(n.body):
            old = before.body[i] if before is not None and i < len(before.body) else None
            self.put(f"notice.body.{i}", self.text(line, now, "notice", "body", i, previous=old))
        group = (self.text(n.group, now, "notice", "group"),) if n.group else ()
        self.put("notice.contact.0.lines.0", self.text(n.division, now, "notice", "division"), " ", *group)
        self.put("notice.contact.0.lines.1", self.text(n.contact, now, "notice", "contact"))
        self.put("notice.contact.1.lines.0", self.worded("direct", phone=self.text(n.phone, now, "notice", "phone")))
        if n.extension:
            self.put("notice.contact.1.lines.1", self.worded("extension", ext=self.text(n.extension, now, "notice", "extension")))
        if n.press_officer:
            self.put("notice.contact.2.lines.0", self.text(n.press_officer, now, "notice", "press_officer"))
        as_of = YearMonth.parse(now).short
        for i, u in enumerate(n.updates):
            self.put(f"title_page.items.{i}", self.worded("update_item", update=self.text(u, now, "notice", "updates", i), as_of=as_of))

    def framework(self) -> None:
        for r, bt in enumerate(self.fig.plan.basic_targets):
            for c, key in enumerate(("name", "detail", "frequency", "source")):
                self.put(f"framework.basic_rows.{r}.{c}", self.text(getattr(bt, key), None, "basic_targets", r, key))
        for f_i, f in enumerate(self.fig.fields):
            for k_i, k in enumerate(f.kpis):
                self.put(f"framework.fields.{f_i}.1.{k_i}", self.text(k.kpi.name, None, "fields", f_i, "kpis", k_i, "name"))

    def basic_targets(self) -> None:
        plan_bts = self.fig.plan.basic_targets
        bullet = 1  # after the lead sentence
        for b_i, b in enumerate(self.fig.basic_targets):
            bt = b.target
            name = self.text(bt.name, None, "basic_targets", b_i, "name")
            if b.updated and b.change is not None:
                direction = "up" if b.change > 0 else ("down" if b.change < 0 else "flat")
                change_text = fmt.difference(abs(b.change), bt.decimals, bt.unit).lstrip("+")
                self.put(f"basic_targets.bullets.{bullet}",
                         self.worded("basic_highlight", name=name, change_text=self.figure(change_text), direction=direction))
                bullet += 1
            at = f"basic_targets.panels.{b_i}"
            self.put(f"{at}.title", name)
            self.put(f"{at}.detail", self.text(bt.detail, None, "basic_targets", b_i, "detail"))
            self.put(f"{at}.source", self.text(bt.source, None, "basic_targets", b_i, "source"))
            value = lambda v: fmt.number(v, bt.decimals, bt.unit)  # noqa: E731
            change = fmt.difference(b.change, bt.decimals, bt.unit) if b.change is not None else ""
            if b.latest is not None:
                self.put(f"{at}.value_text", self.worded(
                    "latest_value", year=b.latest.year, value=self.figure(value(b.latest.value)),
                    change="" if b.change_is_stated or not change else self.figure(change)))
            notes = 0
            if b.latest is not None and b.latest.field_values:
                fields = {f.id: (i, f.name) for i, f in enumerate(self.fig.plan.fields)}
                parts: list[tuple[Span, ...]] = []  # one field a line
                for n, (fid, v) in enumerate(b.latest.field_values, start=1):
                    where = fields.get(fid)
                    label = self.text(where[1], None, "fields", where[0], "name") if where else Span(fid)
                    parts.append(tuple(p if isinstance(p, Span) else Span(p) for p in (Span(circled(n)), label, Span(" "), self.figure(value(v)))))
                self.put(f"{at}.notes.{notes}", self.worded(
                    "field_mean_note", year=b.latest.year, value=self.figure(value(b.latest.value)), parts=parts))
                notes += 1
            if b.change_is_stated:
                self.put(f"{at}.notes.{notes}", self.worded("stated_change_note", change=self.figure(change)))
                notes += 1
            if b.note:
                self.put(f"{at}.notes.{notes}", self.text(b.note, self.now, "basic_targets", bt.id, "note"))
            assert plan_bts[b_i] is bt

    def dashboards(self) -> None:
        cases_of = self.fig.period.cases
        for d_i, f in enumerate(self.fig.fields):
            f_i = d_i
            for t_i, k in enumerate(f.kpis):
                at = f"dashboards.{d_i}.tiles.{t_i}"
                kpi_loc = ("fields", f_i, "kpis", t_i)
                if k.kpi.label:
                    self.put(f"{at}.name", self.text(k.kpi.label, None, *kpi_loc, "label"))
                else:
                    self.put(f"{at}.name", self.text(k.kpi.name, None, *kpi_loc, "name"))
                self.put(f"{at}.rate", self.figure(fmt.rate(k.current), fmt.rate(k.previous) if self.before else None))
                self.put(f"{at}.diff", self.figure(fmt.points(k.diff)))
                self.put(f"{at}.components", self.text(k.kpi.components, None, *kpi_loc, "components"))
            for c_i, c in enumerate(cases_of.get(f.field.id, [])):
                at = f"dashboards.{d_i}.cases.{c_i}"
                loc = ("cases", f.field.id, c_i)
                self.put(f"{at}.title", self.text(c.title, self.now, *loc, "title"))
                for j, x in enumerate(c.bullets):
                    self.put(f"{at}.bullets.{j}", self.text(x, self.now, *loc, "bullets", j))
                if c.box:
                    self.put(f"{at}.box_title", self.text(c.box.title, self.now, *loc, "box", "title"))
                    for j, x in enumerate(c.box.lines):
                        self.put(f"{at}.box_lines.{j}", self.text(x, self.now, *loc, "box", "lines", j))

    def _observation(self, value: Span, note: Span) -> tuple[Span | str, ...]:
        return (value, "\n(", note, ")") if note.text else (value,)

    def appendix(self, pack: Pack) -> None:
        a_i = 0
        for f_i, f in enumerate(self.fig.fields):
            for k_i, k in enumerate(f.kpis):
                at = f"appendix.{a_i}"
                table = pack.appendix[a_i]
                name = self.text(k.kpi.name, None, "fields", f_i, "kpis", k_i, "name")
                self.put(f"{at}.title", name)
                self.put(f"{at}.caption", self.worded("appendix_caption", label=table.label, kpi=name))
                for r_i, i in enumerate(k.indicators):
                    ind = i.indicator
                    row = f"{at}.rows.{r_i}"
                    loc = ("fields", f_i, "kpis", k_i, "indicators", r_i)
                    self.put(f"{row}.indicator", self.text(ind.name, None, *loc, "name"))
                    self.put(f"{row}.target", self.figure(fmt.number(ind.target, ind.shown_target_decimals, ind.unit)))
                    prev_value = fmt.number(i.previous.value, ind.decimals, ind.unit) if i.previous is not None else None
                    if i.previous is not None and self.before is not None:
                        self.put(f"{row}.previous", *self._observation(
                            self.figure(prev_value or ""), self.text(i.previous.note, self.before, "values", ind.id, "note")))
                    else:
                        self.put(f"{row}.previous", self.figure(fmt.MISSING))
                    self.put(f"{row}.previous_rate", self.figure(fmt.rate(i.previous_rate)))
                    old_note = i.previous.note if i.previous is not None else None
                    self.put(f"{row}.current", *self._observation(
                        self.figure(fmt.number(i.current.value, ind.decimals, ind.unit), prev_value),
                        self.text(i.current.note, self.now, "values", ind.id, "note", previous=old_note if old_note else None)))
                    self.put(f"{row}.current_rate", self.figure(
                        fmt.rate(i.current_rate), fmt.rate(i.previous_rate) if self.before else None))
                    self.put(f"{row}.source", self.text(ind.source, None, *loc, "source"))
                kpi = f"{at}.kpi_row"
                self.put(f"{kpi}.previous", self.figure(fmt.rate(k.previous)))
                current = self.figure(fmt.rate(k.current), fmt.rate(k.previous) if self.before else None)
                if k.diff is not None:
                    self.put(f"{kpi}.current", self.worded("kpi_current", value=current, diff=self.figure(fmt.points(k.diff))))
                else:
                    self.put(f"{kpi}.current", current)
                a_i += 1


def build(fig: Figures, ds: Dataset, pack: Pack, revisions: bool = True) -> Marks:
    """The marks of ``pack``, made from ``fig``; without ``revisions`` no piece
    carries its previous text (the final copy shows no changes)."""
    w = Wording()
    m = _Maker(fig, ds, w, revisions)
    m.notice()
    m.framework()
    m.basic_targets()
    m.dashboards()
    m.appendix(pack)
    for path, spans in m.spans.items():
        text = printed(pack, path)
        joined = "".join(s.text for s in spans)
        if joined != text:
            raise AssertionError(f"the marks of {path} read {joined!r}, but the pack prints {text!r}")
    author = w("revision_author", previous=YearMonth.parse(m.before).long) if revisions and m.before else ""
    return Marks(m.spans, author)
