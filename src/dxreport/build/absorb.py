"""``dxreport absorb``: a proofread Word draft read back into its dataset.

The draft is compared with the draft the dataset makes now (its pack model made
by the build's own ``pipeline.prepare_loaded``, rendered here with blank charts
by the same Word renderer, and read by the same reader): its
content controls one by one, by their tags, and its tables by their shapes.
A dataset text that differs is a correction, reported as a diff naming its file,
line and field, with the reviewers' tracked changes in it (read as accepted);
the changes since the previous period that the build put in are not the
reviewers' and are left out. A changed figure, a deleted or retagged control or
a changed table is an error: nothing is reported as absorbed and nothing written.
With ``apply`` the corrections are written into the YAML files, round trip.
"""

from __future__ import annotations

import difflib
import os
import shutil
import struct
import tempfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from dxreport.build.absorb_messages import say
from dxreport.errors import DatasetError, Problem
from dxreport.model.pack import Chart, Origin, Pack


@dataclass
class Change:
    origin: Origin
    old: str
    new: str
    places: list[str]
    revisions: list = field(default_factory=list)


@dataclass
class Result:
    lines: list[str]
    changes: list[Change]
    written: list[Path]


class _Blank:
    """Every chart as one white pixel: absorb compares texts and tables, not pictures."""

    PNG = (b"\x89PNG\r\n\x1a\n"
           + b"".join(struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
                      for t, d in ((b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)),
                                   (b"IDAT", zlib.compress(b"\x00\xff")), (b"IEND", b""))))

    def svg(self, chart: Chart) -> str:
        raise NotImplementedError

    def png(self, chart: Chart) -> bytes:
        return self.PNG


def _fail(draft: str, messages: list[str]) -> DatasetError:
    return DatasetError([Problem(draft, None, "", m) for m in messages])


def _expected(pack: Pack, tmp: Path):
    from dxreport.render import docx, docx_read

    path = tmp / "expected.docx"
    path.write_bytes(docx.DocxRenderer(pack, _Blank()).render())
    return docx_read.read(path)


def _retagged(want: list, got: list) -> list | None:
    """The controls of a copy that lost every tag and lock (LibreOffice keeps the
    controls, in order, and wraps each one's content in another, untagged), each
    given the tag and lock of the control in the same place of the draft as built;
    None when they cannot be told apart so: not as many, or a control's text found
    elsewhere than in its place (as a lost or an added control would shift them)."""
    outer = [c for c in got if not c.inside]
    if len(outer) != len(want):
        return None
    ops = difflib.SequenceMatcher(None, [c.text for c in want], [c.text for c in outer], autojunk=False).get_opcodes()
    if any(op not in ("equal", "replace") or i2 - i1 != j2 - j1 for op, i1, i2, j1, j2 in ops):
        return None
    return [replace(g, tag=e.tag, locked=e.locked) for e, g in zip(want, outer)]


def absorb(draft_file: str, dataset: str | None = None, apply: bool = False) -> Result:
    from dxreport.build import pipeline
    from dxreport.render import docx_review
    from dxreport.render.docx_controls import FIGURE_TAG
    from dxreport.render.docx_read import DraftError, read
    from dxreport.source import dataset as ds_mod

    path = Path(draft_file)
    shown = ds_mod.shown(path)
    try:
        got = read(path)
    except DraftError as e:
        raise _fail(shown, [say(e.kind, detail=e.detail)]) from None
    if got.identifier is None:
        raise _fail(shown, [say("not_ours")])
    untagged = bool(got.controls) and all(c.tag is None for c in got.controls)
    theirs, period = got.identifier
    root, named = ds_mod.resolve(dataset, None)
    if named is not None and named != period:
        raise _fail(shown, [say("wrong_period", period=period, named=named)])
    ds, _chosen = ds_mod.load(str(root))  # every file is read and checked, whichever period is chosen
    from dxreport.render.docx_controls import dataset_token

    if dataset_token(ds.plan.plan.name) != theirs:
        raise _fail(shown, [say("other_dataset", theirs=theirs, ours=ds.plan.plan.name)])
    if period not in ds.periods or ds.period(period).notice is None:
        raise _fail(shown, [say("other_period", period=period)])
    # The pack model as `dxreport build` makes it (the draft, not the final copy).
    pack = pipeline.prepare_loaded(ds, period, pipeline.Request(source=str(root), period=period))[0].job.pack
    with tempfile.TemporaryDirectory(prefix="dxreport-absorb-") as tmp:
        want = _expected(replace(pack, review=()), Path(tmp))
    if untagged:  # a copy saved by LibreOffice: its controls are known by their order
        got.controls = _retagged(want.controls, got.controls)
        if got.controls is None:
            raise _fail(shown, [say("tags_lost")])

    errors: list[str] = []
    if len(want.tables) != len(got.tables):
        errors.append(say("tables_count", expected=len(want.tables), found=len(got.tables)))
    else:
        errors += [say("table_changed", place=wp) for (wp, ws), (_gp, gs) in zip(want.tables, got.tables) if ws != gs]

    origins = {str(s.origin): s.origin for spans in pack.marks.spans.values() for s in spans if s.origin is not None}

    def described(tag: str | None) -> str:
        o = origins.get(tag or "")
        if o is None:
            return say("origin_figure")
        return f"{o.file}:{o.line} {o.field}" if o.line else f"{o.file} {o.field}"

    ours = pack.marks.revision_author
    changes: dict[str, Change] = {}
    conflicting: dict[str, set[str]] = {}
    matcher = difflib.SequenceMatcher(None, [c.tag for c in want.controls], [c.tag for c in got.controls], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for e, g in zip(want.controls[i1:i2], got.controls[j1:j2]):
                if e.tag and e.tag.startswith(FIGURE_TAG + " "):
                    if g.text != e.text:
                        errors.append(say("figure_changed", place=e.place, old=e.text, new=g.text))
                    continue
                if g.text == e.text or e.tag not in origins:
                    continue
                c = changes.setdefault(e.tag, Change(origins[e.tag], e.text, g.text, []))
                conflicting.setdefault(e.tag, set()).add(g.text)
                c.new = g.text
                c.places.append(g.place)
                c.revisions += [r for r in g.revisions if r.author != ours]
            continue
        for e in want.controls[i1:i2]:
            errors.append(say("control_deleted", place=e.place, old=e.text, origin=described(e.tag)))
        for g in got.controls[j1:j2]:
            errors.append(say("control_added", place=g.place, tag=g.tag or ""))
    for tag, texts in conflicting.items():
        if len(texts) > 1:
            errors.append(say("conflict", origin=described(tag), texts="／".join(f"「{t}」" for t in sorted(texts))))
    if errors:
        raise _fail(shown, errors)

    lines: list[str] = []
    for c in changes.values():
        o = c.origin
        lines.append(say("change", file=o.file, line=o.line, field=o.field) if o.line else say("change_no_line", file=o.file, field=o.field))
        lines += [say("old", text=x) for x in c.old.split("\n")] + [say("new", text=x) for x in c.new.split("\n")]
        lines += [say("at", place=p) for p in c.places]
        for r in c.revisions:
            lines.append(say("revision_ins" if r.kind == "ins" else "revision_del", author=r.author, date=r.date, text=r.text))
        if not c.revisions:
            lines.append(say("untracked"))
    comments = [c for c in got.comments if not docx_review.is_ours(c.author)]
    for c in comments:
        lines.append(say("comment", author=c.author, date=c.date, text=c.text))
        tags = [t for t in dict.fromkeys(c.tags)]
        if tags:
            lines.append(say("comment_on", anchored=c.anchored, origin="、".join(described(t) for t in tags)))
        else:
            lines.append(say("comment_on_text", anchored=c.anchored))
    lines.append(say("summary", changes=len(changes), comments=len(comments), draft=shown))
    written: list[Path] = []
    if not changes:
        lines.append(say("nothing"))
    elif apply:
        written = _apply(ds.root, period, list(changes.values()), shown)
        lines += [say("wrote", file=ds_mod.shown(p)) for p in written]
    else:
        lines.append(say("to_apply"))
    return Result(lines, list(changes.values()), written)


def _apply(root: Path, period: str, changes: list[Change], shown: str) -> list[Path]:
    """Write the corrections into their files, all of them or, if the dataset
    would then be refused, none."""
    from dxreport.source import dataset as ds_mod
    from dxreport.source.yamledit import rewrite

    by_file: dict[str, list[tuple[str, str]]] = {}
    for c in changes:
        by_file.setdefault(c.origin.file, []).append((c.origin.field, c.new))
    new = {name: rewrite(root / name, edits) for name, edits in by_file.items()}
    with tempfile.TemporaryDirectory(prefix="dxreport-absorb-") as tmp:
        trial = Path(tmp) / root.name
        shutil.copytree(root, trial)
        for name, data in new.items():
            (trial / name).write_bytes(data)
        try:
            ds_mod.load(str(trial), period)
        except DatasetError as e:
            raise _fail(shown, [say("invalid_after", problem=str(p).replace(str(trial), root.name)) for p in e.problems]) from None
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in new.items():
            target = root / name
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            shutil.copymode(target, tmp_name)
            staged.append((tmp_name, target))
        for tmp_name, target in staged:
            os.replace(tmp_name, target)
    finally:
        for tmp_name, _target in staged:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
    return [t for _tmp, t in staged]
