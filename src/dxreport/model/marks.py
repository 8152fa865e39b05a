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
draft's tracked changes: against the previous period's own figures (its 前期差,
its basic targets) and texts (its notice, as-of notes and case studies, a case
paired with the most alike one of that period). What that period printed and
this one does not (a case study, a bullet, a box line) is kept apart, for the
draft to show as deleted. The final copy has none of either.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from decimal import Decimal
from typing import Any, Callable, Sequence

from dxreport.compute.figures import BasicTargetFigures, Figures, KpiFigures
from dxreport.japanese import formatting as fmt
from dxreport.japanese.period import YearMonth
from dxreport.model import scoring
from dxreport.model.pack import CaseStudy, Marks, Origin, Pack, Photo, Span
from dxreport.model.wording import Wording
from dxreport.source import yamlfile
from dxreport.typeset import kinsoku
from dxreport.source.dataset import PERIODS_DIR, PLAN_FILE, Dataset
from dxreport.source.schema import Case, Grade

# Stand-ins for the pieces while a macro is worded: characters of Unicode's
# private use area, which no wording holds.
_FIRST_STAND_IN = 0xE000

Piece = Span | tuple[Span, ...]


def circled(n: int) -> str:
    """①..⑳, then (21): KPI numbers as the prefecture prints them."""
    return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"


def align(old: Sequence[Any], new: Sequence[Any], key: Callable[[Any], Any] = lambda x: x,
          likeness: Callable[[Any, Any], float] | None = None) -> tuple[dict[int, int], list[tuple[int, int]]]:
    """Old items and new paired up, the previous period's list against this one's:
    equal items, and within a run of differing ones the changed texts: without
    ``likeness`` those in the same place, with it each old item and the most like
    new one after the last pairing (an old item like none is removed). Returns
    {new index: old index} and the old items left over, each as (the new index it
    goes before, old index)."""
    pairs: dict[int, int] = {}
    gone: list[tuple[int, int]] = []
    ops = difflib.SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        if op == "equal" or likeness is None:
            for k in range(i2 - i1):
                if j1 + k < j2:
                    pairs[j1 + k] = i1 + k
                else:
                    gone.append((j2, i1 + k))
            continue
        mine: list[tuple[int, int | None]] = []  # (old index, the new one it is paired with)
        start = j1
        for i in range(i1, i2):
            scores = [(likeness(old[i], new[j]), -j) for j in range(start, j2)]
            best = max(scores, default=(0.0, 0))
            if best[0] > 0:
                pairs[-best[1]] = i
                start = -best[1] + 1
                mine.append((i, -best[1]))
            else:
                mine.append((i, None))
        for n, (i, j) in enumerate(mine):
            if j is None:
                later = [x for _i, x in mine[n + 1:] if x is not None]
                gone.append((later[0] if later else j2, i))
    return pairs, gone


def _case_text(c: Case) -> str:
    return "\n".join([c.title, *c.bullets, *((c.box.title, *c.box.lines) if c.box else ())])


def _likeness(a: Case, b: Case) -> float:
    """How much of a case study is the same one, changed (0: another case)."""
    title = difflib.SequenceMatcher(None, a.title, b.title, autojunk=False).ratio()
    text = difflib.SequenceMatcher(None, _case_text(a), _case_text(b), autojunk=False).ratio()
    return max(title, text) if title >= 0.6 or text >= 0.5 else 0.0


def printed(pack: Pack, path: str) -> Any:
    """The model's value at a dotted path (attribute names and indices)."""
    node: Any = pack
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


class _Maker:
    def __init__(self, fig: Figures, ds: Dataset, w: Wording, revisions: bool, earlier: Figures | None = None):
        self.fig, self.ds, self.w, self.revisions = fig, ds, w, revisions
        self.spans: dict[str, tuple[Span, ...]] = {}
        self.removed: dict[str, list[tuple[int, str | CaseStudy]]] = {}
        self.photos: dict[str, Photo | None] = {}
        self.now = fig.period.period
        self.before = fig.previous.period if fig.previous else None
        # The previous period's own figures (its 前期差, its basic targets), when the
        # changes since then are shown.
        self.earlier = earlier if revisions and self.before is not None else None
        self.earlier_kpis: dict[str, KpiFigures] = {k.kpi.id: k for k in earlier.kpis()} if self.earlier else {}

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

    def rate(self, rate: Decimal | None, grade: Grade | None) -> str:
        """A rate as printed: with its grade when the plan grades (model/scoring.py)."""
        return scoring.rate_text(self.w, rate, grade)

    def figure(self, text: str, previous: str | None = None) -> Span:
        return Span(text, figure=True, previous=self._changed(text, previous))

    def _changed(self, text: str, previous: str | None) -> str | None:
        return previous if self.revisions and previous is not None and previous != text else None

    def fresh(self, spans: tuple[Span, ...], skip: Span | None = None) -> tuple[Span, ...]:
        """Pieces the previous period did not print at all (but ``skip``): each shown
        as inserted, the wording between them too."""
        if self.earlier is None:
            return spans
        return tuple(s if s is skip or not s.text else replace(s, previous="") for s in spans)

    def year(self, year: int, before: int | None) -> int | Span:
        """A year printed in wording, as a piece of its own where it changed since the previous period."""
        return Span(str(year), previous=str(before)) if self.earlier is not None and before is not None and before != year else year

    def gone(self, path: str, index: int, item: str | CaseStudy) -> None:
        if self.revisions and self.before is not None:
            self.removed.setdefault(path, []).append((index, item))

    def worded(self, macro: str, before: dict[str, Any] | None = None, **kwargs: Any) -> tuple[Span, ...]:
        """A macro's text with the pieces given for some of its arguments kept apart.
        ``before``: the plain arguments as the previous period gave them (a direction
        that turned, an as-of month), when the changes are shown: the wording they
        change is a piece of its own, the previous period's wording deleted."""
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
        text = self.w(macro, **args)
        old = self.w(macro, **{**args, **before}) if before and self.earlier is not None else text
        out: list[Span] = []

        def expand(part: str, fresh: bool = False) -> None:
            plain = ""
            for ch in part:
                if ch in stand_ins:
                    if plain:
                        out.append(Span(plain, previous="" if fresh else None))
                        plain = ""
                    out.extend(replace(s, previous="") if fresh and s.text else s for s in stand_ins[ch])
                else:
                    plain += ch
            if plain:
                out.append(Span(plain, previous="" if fresh else None))

        def as_before(part: str) -> str:
            return "".join("".join(s.text if s.previous is None else s.previous for s in stand_ins[ch])
                           if ch in stand_ins else ch for ch in part)

        if old == text:
            expand(text)
        else:
            # Compared phrase by phrase (kinsoku's words), never character by character,
            # so that a turned 増加 → 減少 is one word deleted and one inserted.
            a, b = kinsoku.atoms(old, words=True), kinsoku.atoms(text, words=True)
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
                new_part = "".join(b[j1:j2])
                if op == "equal":
                    expand(new_part)
                    continue
                gone = as_before("".join(a[i1:i2]))
                if any(ch in stand_ins for ch in new_part):
                    if gone:
                        out.append(Span("", previous=gone))
                    expand(new_part, fresh=True)
                else:
                    out.append(Span(new_part, previous=gone))
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
        # The title page's items against the previous period's: its as-of month, and the items it had.
        old_updates = list(before.updates) if before is not None else None
        old_as_of = {"as_of": YearMonth.parse(self.before).short} if self.before else None
        for i, u in enumerate(n.updates):
            had = old_updates[i] if old_updates is not None and i < len(old_updates) else None
            spans = self.worded("update_item", before=old_as_of if had is not None else None,
                                update=self.text(u, now, "notice", "updates", i, previous=had), as_of=as_of)
            self.put(f"title_page.items.{i}", *(spans if had is not None or old_updates is None else self.fresh(spans)))
        for old in (old_updates or [])[len(n.updates):]:
            self.gone("title_page.items", len(n.updates), self.w("update_item", update=old, as_of=old_as_of["as_of"] if old_as_of else ""))

    def framework(self) -> None:
        for r, bt in enumerate(self.fig.plan.basic_targets):
            for c, key in enumerate(("name", "detail", "frequency", "source")):
                self.put(f"framework.basic_rows.{r}.{c}", self.text(getattr(bt, key), None, "basic_targets", r, key))
        for f_i, f in enumerate(self.fig.fields):
            for k_i, k in enumerate(f.kpis):
                self.put(f"framework.fields.{f_i}.1.{k_i}", self.text(k.kpi.name, None, "fields", f_i, "kpis", k_i, "name"))
        row = 0
        for f_i, f in enumerate(self.fig.fields):
            for k_i, k in enumerate(f.kpis):
                self.put(f"framework.structure.{row}.kpi", self.text(k.kpi.name, None, "fields", f_i, "kpis", k_i, "name"))
                row += 1

    def basic_targets(self) -> None:
        plan_bts = self.fig.plan.basic_targets
        bullet = 1  # after the lead sentence
        for b_i, b in enumerate(self.fig.basic_targets):
            bt = b.target
            # The same basic target as the previous period computed it (the plan is one for every period).
            eb: BasicTargetFigures | None = self.earlier.basic_targets[b_i] if self.earlier is not None else None
            name = self.text(bt.name, None, "basic_targets", b_i, "name")
            if b.updated and b.change is not None:
                direction = b.direction
                change_text = fmt.difference(abs(b.change), bt.decimals, bt.unit).lstrip("+")
                had = eb is not None and eb.updated and eb.change is not None
                old = fmt.difference(abs(eb.change), bt.decimals, bt.unit).lstrip("+") if had and eb and eb.change is not None else None
                # The previous period's direction, where it turned (増加 → 減少): its word deleted, the new inserted.
                turned = {"direction": eb.direction} if had and eb is not None else None
                spans = self.worded("basic_highlight", before=turned, name=name,
                                    change_text=self.figure(change_text, old), direction=direction)
                self.put(f"basic_targets.bullets.{bullet}", *(spans if had else self.fresh(spans)))
                bullet += 1
            elif eb is not None and eb.updated and eb.change is not None:
                # The previous period's highlight of this target, which this one does not print: deleted.
                direction = eb.direction
                old = fmt.difference(abs(eb.change), bt.decimals, bt.unit).lstrip("+")
                self.gone("basic_targets.bullets", bullet, self.w("basic_highlight", name=bt.name, change_text=old, direction=direction))
            at = f"basic_targets.panels.{b_i}"
            self.put(f"{at}.title", name)
            self.put(f"{at}.detail", self.text(bt.detail, None, "basic_targets", b_i, "detail"))
            self.put(f"{at}.source", self.text(bt.source, None, "basic_targets", b_i, "source"))
            value = lambda v: fmt.number(v, bt.decimals, bt.unit)  # noqa: E731
            change = fmt.difference(b.change, bt.decimals, bt.unit) if b.change is not None else ""
            el = eb.latest if eb is not None else None  # the previous period's latest value
            old_change = (fmt.difference(eb.change, bt.decimals, bt.unit)
                          if eb is not None and eb.change is not None and not eb.change_is_stated else "")
            if b.latest is not None:
                shown = "" if b.change_is_stated or not change else change
                year = self.year(b.latest.year, el.year if el else None)
                value_figure = self.figure(value(b.latest.value), value(el.value) if el else None)
                spans = self.worded("latest_value", year=year, value=value_figure,
                                    change=self.figure(shown, old_change if old_change else None) if shown else "")
                if el is None:
                    spans = self.fresh(spans)
                elif shown and not old_change:  # the change is new: （前年度比 …） inserted after the value
                    spans = spans[: spans.index(value_figure) + 1] + self.fresh(spans[spans.index(value_figure) + 1:])
                self.put(f"{at}.value_text", *spans)
            notes = 0
            if b.latest is not None and b.latest.field_values:
                fields = {f.id: (i, f.name) for i, f in enumerate(self.fig.plan.fields)}
                old_fields = dict(el.field_values) if el is not None else {}
                parts: list[tuple[Span, ...]] = []  # one field a line
                for n, (fid, v) in enumerate(b.latest.field_values, start=1):
                    where = fields.get(fid)
                    label = self.text(where[1], None, "fields", where[0], "name") if where else Span(fid)
                    old_v = value(old_fields[fid]) if fid in old_fields else None
                    parts.append((Span(circled(n)), label, Span(" "), self.figure(value(v), old_v)))
                year = self.year(b.latest.year, el.year if el else None)
                spans = self.worded(
                    "field_mean_note", year=year, value=self.figure(value(b.latest.value), value(el.value) if el else None),
                    parts=parts)
                self.put(f"{at}.notes.{notes}", *(spans if el is not None and el.field_values else self.fresh(spans)))
                notes += 1
            if b.change_is_stated:
                stated = eb is not None and eb.change_is_stated and eb.change is not None
                old = fmt.difference(eb.change, bt.decimals, bt.unit) if stated and eb is not None else None
                spans = self.worded("stated_change_note", change=self.figure(change, old))
                self.put(f"{at}.notes.{notes}", *(spans if stated else self.fresh(spans)))
                notes += 1
            if b.note:
                self.put(f"{at}.notes.{notes}", self.text(b.note, self.now, "basic_targets", bt.id, "note",
                                                          previous=eb.note if eb is not None else None))
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
                self.put(f"{at}.rate", self.figure(self.rate(k.current, k.current_grade),
                                                   self.rate(k.previous, k.previous_grade) if self.before else None))
                ek = self.earlier_kpis.get(k.kpi.id)
                self.put(f"{at}.diff", self.figure(fmt.points(k.diff), fmt.points(ek.diff) if ek is not None else None))
                self.put(f"{at}.components", self.text(k.kpi.components, None, *kpi_loc, "components"))
            cases = cases_of.get(f.field.id, [])
            # The previous period's case studies of the field, when the changes are shown.
            old_cases = self.fig.previous.cases.get(f.field.id, []) if self.revisions and self.fig.previous else None
            pairs, gone = align(old_cases or [], cases, key=lambda c: c.title, likeness=_likeness)
            for where, i in gone:
                o = (old_cases or [])[i]
                photo = self._photo(o)
                self.gone(f"dashboards.{d_i}.cases", where, CaseStudy(
                    o.title, tuple(o.bullets), image=photo.path if photo else None, image_alt=photo.alt if photo else "",
                    box_title=o.box.title if o.box else "", box_lines=tuple(o.box.lines) if o.box else ()))
            for c_i, c in enumerate(cases):
                old = (old_cases or [])[pairs[c_i]] if c_i in pairs else None
                self._case(f"dashboards.{d_i}.cases.{c_i}", ("cases", f.field.id, c_i), c, old, new=old_cases is not None and old is None)

    def _case(self, at: str, loc: tuple, c: Case, old: Case | None, new: bool) -> None:
        """A case study's texts; against the previous period's ``old`` one, or all
        inserted when it is ``new``."""
        def before(text: str | None) -> str | None:
            return "" if new else text

        self.put(f"{at}.title", self.text(c.title, self.now, *loc, "title", previous=before(old.title if old else None)))
        self._lines(f"{at}.bullets", c.bullets, old.bullets if old else [] if new else None, (*loc, "bullets"))
        old_box = old.box if old else None
        if c.box:
            self.put(f"{at}.box_title", self.text(c.box.title, self.now, *loc, "box", "title",
                                                 previous=before(old_box.title if old_box else ("" if old else None))))
            self._lines(f"{at}.box_lines", c.box.lines, old_box.lines if old_box else ([] if old or new else None),
                        (*loc, "box", "lines"))
        elif old_box:
            self.gone(f"{at}.box_title", 0, old_box.title)
            for line in old_box.lines:
                self.gone(f"{at}.box_lines", 0, line)
        # The photo: a new case's, or one that is not the photo the previous period's case had.
        if self.revisions and self.before is not None and (new or old is not None) and (old.image if old else None) != c.image:
            self.photos[at] = self._photo(old) if old is not None else None

    def _photo(self, c: Case) -> Photo | None:
        return Photo((self.ds.root / c.image).resolve(), c.image_alt or c.title) if c.image else None

    def _lines(self, at: str, lines: Sequence[str], old: Sequence[str] | None, loc: tuple) -> None:
        """A list of texts (bullets, box lines) against the previous period's (None: not compared)."""
        pairs, gone = align(old or [], lines) if old is not None else ({}, [])
        for where, i in gone:
            self.gone(at, where, (old or [])[i])
        for j, x in enumerate(lines):
            previous = (old[pairs[j]] if j in pairs else "") if old is not None else None
            self.put(f"{at}.{j}", self.text(x, self.now, *loc, j, previous=previous))

    def _observation(self, value: Span, note: Span) -> tuple[Span | str, ...]:
        return (value, "\n(", note, ")") if note.text else (value,)

    def appendix(self, pack: Pack) -> None:
        a_i = 0
        for f_i, f in enumerate(self.fig.fields):
            for k_i, k in enumerate(f.kpis):
                at = f"appendix.{a_i}"
                table = pack.appendix[a_i]
                # The KPI's tile beside its table: the same texts and figures as on its dashboard.
                for key in ("name", "rate", "diff", "components"):
                    tile = self.spans.get(f"dashboards.{f_i}.tiles.{k_i}.{key}")
                    if tile is not None:
                        self.spans[f"{at}.tile.{key}"] = tile
                name = self.text(k.kpi.name, None, "fields", f_i, "kpis", k_i, "name")
                self.put(f"{at}.title", name)
                self.put(f"{at}.caption", self.worded("appendix_caption", label=table.label, kpi=name))
                for r_i, i in enumerate(k.indicators):
                    ind = i.indicator
                    row = f"{at}.rows.{r_i}"
                    loc = ("fields", f_i, "kpis", k_i, "indicators", r_i)
                    self.put(f"{row}.indicator", self.text(ind.name, None, *loc, "name"))
                    self.put(f"{row}.target", self.figure(table.rows[r_i].target))
                    prev_value = fmt.number(i.previous.value, ind.decimals, ind.unit) if i.previous is not None else None
                    if i.previous is not None and self.before is not None:
                        self.put(f"{row}.previous", *self._observation(
                            self.figure(prev_value or ""), self.text(i.previous.note, self.before, "values", ind.id, "note")))
                    else:
                        self.put(f"{row}.previous", self.figure(fmt.MISSING))
                    self.put(f"{row}.previous_rate", self.figure(self.rate(i.previous_rate, i.previous_grade)))
                    old_note = i.previous.note if i.previous is not None else None
                    self.put(f"{row}.current", *self._observation(
                        self.figure(fmt.number(i.current.value, ind.decimals, ind.unit), prev_value),
                        self.text(i.current.note, self.now, "values", ind.id, "note", previous=old_note if old_note else None)))
                    self.put(f"{row}.current_rate", self.figure(
                        self.rate(i.current_rate, i.current_grade),
                        self.rate(i.previous_rate, i.previous_grade) if self.before else None))
                    self.put(f"{row}.source", self.text(ind.source, None, *loc, "source"))
                kpi = f"{at}.kpi_row"
                self.put(f"{kpi}.previous", self.figure(self.rate(k.previous, k.previous_grade)))
                current = self.figure(self.rate(k.current, k.current_grade),
                                      self.rate(k.previous, k.previous_grade) if self.before else None)
                if k.diff is not None:
                    ek = self.earlier_kpis.get(k.kpi.id)
                    had = ek is not None and ek.diff is not None
                    diff = self.figure(fmt.points(k.diff), fmt.points(ek.diff) if ek is not None and had else None)
                    spans = self.worded("kpi_current", value=current, diff=diff)
                    # The previous period printed no 前期差 here: （…） inserted.
                    self.put(f"{kpi}.current", *(spans if had or ek is None else self.fresh(spans, skip=current)))
                else:
                    self.put(f"{kpi}.current", current)
                a_i += 1


def build(fig: Figures, ds: Dataset, pack: Pack, revisions: bool = True, earlier: Figures | None = None) -> Marks:
    """The marks of ``pack``, made from ``fig``; without ``revisions`` no piece
    carries its previous text (the final copy shows no changes). ``earlier`` is
    the previous period's figures (computed here when not given)."""
    w = Wording()
    if revisions and fig.previous is not None and (earlier is None or earlier.period.period != fig.previous.period):
        from dxreport.compute.figures import compute

        earlier = compute(ds, fig.previous.period)
    m = _Maker(fig, ds, w, revisions, earlier)
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
    removed = {path: tuple(items) for path, items in m.removed.items()} if author else {}
    return Marks(m.spans, author, removed, m.photos if author else {})
