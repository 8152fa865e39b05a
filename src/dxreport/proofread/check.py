"""The proofreading check: what a colleague approving the pack should look at.

Each finding names the indicator (or the text) and where it is in the dataset
(file:line: field). Findings are advice, not errors: the pack still builds.
This module must stay light (no matplotlib, no reportlab): ``dxreport check``
answers at once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from decimal import Decimal
from typing import Any, Iterator

from dxreport.errors import where as place_of
from dxreport.i18n import _
from dxreport.japanese import formatting
from dxreport.proofread.findings import ERROR, KPI, NOTICE, RATE, SEVERITIES, TEXT, VALUE, WARNING, About, Finding
from dxreport.source.dataset import Dataset, Source
from dxreport.compute.figures import Figures, compute

DEFAULT_THRESHOLD = Decimal(15)
OVER_TARGET_FACTOR = Decimal(3)
SIMILARITY = 0.8  # difflib ratio from which two different terms look like one name

# Fields whose text is not prose: addresses, file names, ids.
_NOT_PROSE = {"url", "image", "phone", "extension", "id", "period", "previous", "date"}


def _finding(src: Source, loc: tuple[Any, ...], severity: str, kind: str, subject: str, message: str, about: About,
             advice: str = "") -> Finding:
    p = src.problem(loc, message)
    return Finding(severity, kind, subject, p.file, p.line, p.field, message, about, advice)


# ---------------------------------------------------------------- figures


def _value(v: Decimal | None, ind) -> str:
    return formatting.number(v, ind.decimals, ind.unit) if v is not None else formatting.MISSING


def _with_note(v: Decimal | None, note: str, ind) -> str:
    return f"{_value(v, ind)} ({note})" if note else _value(v, ind)


def _moved(points: Decimal) -> str:
    """For the proofreader: 38.5ポイント上昇 / 低下, the size without a sign."""
    size = formatting.points(abs(points)).lstrip("+")
    return (_("up {points}") if points > 0 else _("down {points}")).format(points=size)


def figure_findings(ds: Dataset, period: str, figs: Figures, threshold: Decimal = DEFAULT_THRESHOLD) -> list[Finding]:
    src = ds.sources[period]
    prev_name = figs.previous.period if figs.previous else None
    out: list[Finding] = []
    for kpi_figs in figs.kpis():
        for f in kpi_figs.indicators:
            ind = f.indicator
            subject = f"{ind.name} [{ind.id}]"
            cur, prev = f.current, f.previous
            value = _value(cur.value, ind)
            note = cur.note or "—"
            if cur.value is not None and cur.value < 0:
                out.append(_finding(src, ("values", ind.id, "value"), WARNING, "negative-value", subject,
                                    _("negative value {value}: check the sign").format(value=value), About(VALUE, ind.id),
                                    _("The value {value} is negative. Please check its sign.").format(value=value)))
            if cur.value is not None and not ind.falling and ind.target is not None and cur.value > ind.target * OVER_TARGET_FACTOR:
                target = formatting.number(ind.target, ind.shown_target_decimals, ind.unit)
                out.append(_finding(src, ("values", ind.id, "value"), WARNING, "over-target", subject,
                                    _("value {value} is more than {factor}× the target {target}: a typo or a wrong unit?").format(
                                        value=value, factor=OVER_TARGET_FACTOR, target=target), About(VALUE, ind.id),
                                    _("The value {value} is more than {factor} times the target {target}. Please check the figure and its unit.").format(
                                        value=value, factor=OVER_TARGET_FACTOR, target=target)))
            if prev is not None and cur.value is not None and prev.value is not None:
                same_value = cur.value == prev.value
                same_note = cur.note.strip() == prev.note.strip()
                if same_value and same_note:
                    out.append(_finding(src, ("values", ind.id, "value"), NOTICE, "unchanged-value", subject,
                                        _("{value} is the same as in {previous}: not updated?").format(
                                            value=_with_note(cur.value, cur.note, ind), previous=prev_name), About(VALUE, ind.id),
                                        _("The value and its as-of note ({note}) are the same as in the previous period. Please check whether they were updated.").format(note=note)))
                elif same_value:
                    out.append(_finding(src, ("values", ind.id, "note"), NOTICE, "note-changed-value-not", subject,
                                        _("the as-of note changed ({before} → {after}) but the value {value} did not: value not updated?").format(
                                            before=prev.note or "—", after=note, value=value), About(VALUE, ind.id),
                                        _("The as-of note changed to {after}, but the value {value} is the same as before. Please check the value.").format(
                                            after=note, value=value)))
                elif same_note and cur.note.strip():
                    out.append(_finding(src, ("values", ind.id, "note"), NOTICE, "value-changed-note-not", subject,
                                        _("the value changed ({before} → {after}) but the as-of note stayed ({note}): note not updated?").format(
                                            before=_value(prev.value, ind), after=value, note=cur.note), About(VALUE, ind.id),
                                        _("The value changed to {after}, but the as-of note ({note}) is the same as before. Please check the note.").format(
                                            after=value, note=cur.note)))
            if f.current_rate is not None and f.previous_rate is not None:
                moved = f.current_rate - f.previous_rate
                if abs(moved) > threshold:
                    out.append(_finding(src, ("values", ind.id, "value"), WARNING, "rate-jump", subject,
                                        _("rate moved {points} since {previous} ({before} → {after}), more than {threshold} points: a typo?").format(
                                            points=formatting.points(moved), previous=prev_name, before=formatting.rate(f.previous_rate),
                                            after=formatting.rate(f.current_rate), threshold=threshold), About(RATE, ind.id),
                                        _("The rate is {moved} since the previous period. Please check the value ({value}) and its as-of note ({note}).").format(
                                            moved=_moved(moved), value=value, note=note)))
    for fi, field_figs in enumerate(figs.fields):
        for ki, k in enumerate(field_figs.kpis):
            if k.diff is not None and abs(k.diff) > threshold:
                out.append(_finding(ds.plan_source, ("fields", fi, "kpis", ki, "name"), WARNING, "kpi-jump",
                                    _("KPI {name} [{id}]").format(name=k.kpi.name, id=k.kpi.id),
                                    _("moved {points} since {previous} ({before} → {after}), more than {threshold} points: a typo?").format(
                                        points=formatting.points(k.diff), previous=prev_name, before=formatting.rate(k.previous),
                                        after=formatting.rate(k.current), threshold=threshold), About(KPI, k.kpi.id),
                                    _("The KPI is {moved} since the previous period. Please check the values of its indicators.").format(
                                        moved=_moved(k.diff))))
    return out


# ---------------------------------------------------------------- texts


def _texts(raw: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every prose string of a document (values only, never keys or ids)."""
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(k, str) and k in _NOT_PROSE:
                continue
            yield from _texts(v, loc + (k,))
    elif isinstance(raw, list):
        for i, v in enumerate(raw):
            yield from _texts(v, loc + (i,))
    elif isinstance(raw, str):
        yield loc, str(raw)


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff"


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "々〆"


def _is_japanese(ch: str) -> bool:
    return _is_kana(ch) or _is_kanji(ch)


def _foreign_script(ch: str) -> str | None:
    """The script's name, in the user's language, of a letter of another script."""
    name = unicodedata.name(ch, "")
    names = {"CYRILLIC": _("Cyrillic"), "GREEK": _("Greek"), "ARMENIAN": _("Armenian"), "HEBREW": _("Hebrew"),
             "ARABIC": _("Arabic"), "THAI": _("Thai"), "HANGUL": _("Hangul")}
    for script, shown in names.items():
        if name.startswith(script) and unicodedata.category(ch).startswith("L"):
            return shown
    return None


_WORD_RE = re.compile(r"[^\s\W_]+|ー", re.UNICODE)
HALF_KANA_RE = re.compile(r"[\uff61-\uff9f]+")
HALF_DIGIT_RE = re.compile(r"[0-9]")
FULL_DIGIT_RE = re.compile(r"[０-９]")
DOUBLED_RE = re.compile(r"[、。，．][、。，．]|,,|！！|？？")
BRACKETS = {"(": ")", "（": "）", "「": "」", "『": "』", "【": "】", "[": "]", "［": "］", "〔": "〕", "{": "}", "｛": "｝", "〈": "〉", "《": "》", "＜": "＞"}
CLOSERS = {v: k for k, v in BRACKETS.items()}


def _words(text: str) -> Iterator[str]:
    word = ""
    for ch in text:
        if unicodedata.category(ch)[0] in "LM" or ch == "ー":
            word += ch
        else:
            if word:
                yield word
            word = ""
    if word:
        yield word


def _bracket_problem(text: str) -> str | None:
    stack: list[str] = []
    for ch in text:
        if ch in BRACKETS:
            stack.append(ch)
        elif ch in CLOSERS:
            if not stack:
                return _("closing {closer} without an opening {opener}").format(closer=ch, opener=CLOSERS[ch])
            if stack[-1] != CLOSERS[ch]:
                return _("{opener} is closed by {closer}").format(opener=stack[-1], closer=ch)
            stack.pop()
    if stack:
        return _("{opener} is never closed (no {closer})").format(opener=stack[-1], closer=BRACKETS[stack[-1]])
    return None


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text_sources(ds: Dataset, period: str) -> list[Source]:
    return [ds.plan_source] + ([ds.sources[period]] if period in ds.sources else [])


def text_findings(ds: Dataset, period: str) -> list[Finding]:
    out: list[Finding] = []
    for src in _text_sources(ds, period):
        for loc, text in _texts(src.raw):
            subject = f"「{_short(text)}」"
            for word in _words(text):
                if not any(_is_japanese(c) for c in word):
                    continue
                for ch in word:
                    script = _foreign_script(ch)
                    if script:
                        out.append(_finding(src, loc, ERROR, "foreign-letter", subject,
                                            _("the {script} letter {letter} (U+{code:04X}) inside the Japanese word {word}: a look-alike typed by mistake?").format(
                                                script=script, letter=ch, code=ord(ch), word=word), About(TEXT, text),
                                            _("「{word}」 contains the {script} letter 「{letter}」, which looks like a Japanese one. Please retype it.").format(
                                                word=word, script=script, letter=ch)))
                        break
            for m in HALF_KANA_RE.finditer(text):
                out.append(_finding(src, loc, ERROR, "half-width-katakana", subject,
                                    _("half-width katakana {text}: write it in full width").format(text=m.group()), About(TEXT, text),
                                    _("「{text}」 is half-width katakana. Please write it in full width.").format(text=m.group())))
                break
            if HALF_DIGIT_RE.search(text) and FULL_DIGIT_RE.search(text):
                out.append(_finding(src, loc, WARNING, "mixed-digits", subject,
                                    _("full-width (０-９) and half-width (0-9) digits mixed in one text"), About(TEXT, text),
                                    _("Full-width and half-width digits are mixed in this text. Please use one width.")))
            m = DOUBLED_RE.search(text)
            if m:
                out.append(_finding(src, loc, ERROR, "doubled-punctuation", subject,
                                    _("doubled punctuation {text}").format(text=m.group()), About(TEXT, text),
                                    _("「{text}」: the punctuation is doubled. Please remove one.").format(text=m.group())))
            problem = _bracket_problem(text)
            if problem:
                out.append(_finding(src, loc, ERROR, "unbalanced-brackets", subject,
                                    _("unbalanced brackets: {problem}").format(problem=problem), About(TEXT, text),
                                    _("The brackets do not pair up ({problem}). Please check them.").format(problem=problem)))
    return out


# ---------------------------------------------------------------- names spelled two ways

# Only names and running text are searched for terms; notes and sources hold
# dates and department names that differ on purpose.
_TERM_FIELDS = {"name", "label", "components", "detail", "title", "bullets", "body", "updates", "lines"}
_TERM_RE = re.compile(r"[\u30a0-\u30ff\u4e00-\u9fff\u3400-\u4dbf々A-Za-zＡ-Ｚａ-ｚー]+")


_PART_RE = re.compile(r"[\u30a0-\u30ffー]+|[\u4e00-\u9fff\u3400-\u4dbf々]+|[A-Za-zＡ-Ｚａ-ｚ]+")


def _terms(text: str) -> Iterator[str]:
    """Runs of katakana, kanji and latin letters: hiragana particles and
    punctuation separate the terms of a Japanese name."""
    for m in _TERM_RE.finditer(text):
        term = m.group()
        # A compound and the pairs of neighbouring parts it is made of, split where
        # the script changes: 首都圏デジタル人材 → 首都圏デジタル, デジタル人材.
        parts = [p.group() for p in _PART_RE.finditer(term)]
        pairs = ["".join(parts[i:i + 2]) for i in range(len(parts) - 1)] if len(parts) > 2 else []
        for t in dict.fromkeys([term, *pairs]):
            if len(t) >= 4 and any(_is_japanese(c) for c in t):
                yield t


def _wants_terms(loc: tuple[Any, ...]) -> bool:
    return any(isinstance(p, str) and p in _TERM_FIELDS for p in loc)


_PLACE_SUFFIXES = set("都道府県市区町村")


def _different_places(sm: difflib.SequenceMatcher, a: str, b: str) -> bool:
    """サンプル市 and サンプル県 are two places, not one name spelled two ways."""
    changes = [op for op in sm.get_opcodes() if op[0] != "equal"]
    if len(changes) != 1:
        return False
    _op, i1, i2, j1, j2 = changes[0]
    return {a[i1:i2], b[j1:j2]} - {""} <= _PLACE_SUFFIXES  # 青森DX / 青森県DX, テスト市 / テスト県


def _other_word(sm: difflib.SequenceMatcher) -> bool:
    """インターネット上 / インターネット公開: one part replaced by a longer or shorter
    one is another word; a misspelling swaps letters one for one (人材 / 人財)."""
    changes = [op for op in sm.get_opcodes() if op[0] != "equal"]
    return len(changes) == 1 and changes[0][0] == "replace" and changes[0][2] - changes[0][1] != changes[0][4] - changes[0][3]


def _added_word(sm: difflib.SequenceMatcher) -> bool:
    """遠隔授業 and 遠隔合同授業: one word (two or more letters) added in one place
    names another thing; スマート農機 / スマート農業機械 differ in scattered letters."""
    changes = [op for op in sm.get_opcodes() if op[0] != "equal"]
    if len(changes) != 1 or changes[0][0] not in ("insert", "delete"):
        return False
    _op, i1, i2, j1, j2 = changes[0]
    return max(i2 - i1, j2 - j1) >= 2


def variant_findings(ds: Dataset, period: str) -> list[Finding]:
    """The same name spelled two ways: two different terms that are nearly the
    same (difflib ratio ≥ SIMILARITY), neither a part of the other."""
    where: dict[str, list[tuple[Source, tuple[Any, ...]]]] = {}
    for src in _text_sources(ds, period):
        for loc, text in _texts(src.raw):
            if not _wants_terms(loc):
                continue
            for term in _terms(text):
                where.setdefault(term, []).append((src, loc))
    terms = sorted(where)
    out: list[Finding] = []
    for i, a in enumerate(terms):
        for b in terms[i + 1:]:
            if a in b or b in a or a[0] != b[0]:
                continue
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            if sm.ratio() < SIMILARITY or _different_places(sm, a, b) or _added_word(sm) or _other_word(sm):
                continue
            # Report the rarer spelling (at its first place), naming the other.
            rare, common = (a, b) if len(where[a]) <= len(where[b]) else (b, a)
            src, loc = where[rare][0]
            osrc, oloc = where[common][0]
            other = osrc.problem(oloc, "")
            other_at = place_of(other.file, other.line)
            out.append(_finding(src, loc, WARNING, "name-variant", f"{rare} / {common}",
                                _("{rare} ({rare_count}×) and {common} ({common_count}×, first at {other}) look like one name spelled two ways").format(
                                    rare=rare, rare_count=len(where[rare]), common=common, common_count=len(where[common]), other=other_at),
                                About(TEXT, rare),
                                _("「{rare}」 is also written 「{common}」 elsewhere in the pack. Please use one spelling.").format(rare=rare, common=common)))
    return out


# ---------------------------------------------------------------- what the release needs

GAP = "missing-for-release"


def release_gaps(ds: Dataset, period: str, figs: Figures) -> list[Finding]:
    """What the published pack would lack: ``build --final`` refuses a pack with
    any of these; the draft builds and carries them as findings."""
    src = ds.sources[period]
    out: list[Finding] = []
    for b in figs.basic_targets:
        if b.updated and b.latest is None and b.absent is None:
            msg = _("marked as updated (今回更新), but no yearly value is entered: its chart would show none")
            advice = _("This basic target is marked as updated, but its values have not been entered. Enter them in the data (years:).")
            out.append(_finding(src, ("basic_targets", b.target.id), ERROR, GAP, b.target.name, msg, About(TEXT, b.target.name), advice))
    notice = figs.period.notice
    if notice is not None:
        if not notice.url:
            out.append(_finding(src, ("notice",), ERROR, GAP, "notice.url",
                                _("the notice gives no web address (url:): the release prints one under its body"),
                                About(TEXT, notice.body[-1]), _("The web address of the dashboard is missing. Enter it in the data (notice.url).")))
        if not notice.updates:
            out.append(_finding(src, ("notice",), ERROR, GAP, "notice.updates",
                                _("the notice lists no updates (updates:): the title page would list none"),
                                About(TEXT, notice.body[-1]), _("What this release updates is missing. Enter it in the data (notice.updates).")))
    return out


# ---------------------------------------------------------------- all together


def run(ds: Dataset, period: str, threshold: Decimal = DEFAULT_THRESHOLD, figs: Figures | None = None) -> list[Finding]:
    figs = figs if figs is not None else compute(ds, period)
    findings = (release_gaps(ds, period, figs) + figure_findings(ds, period, figs, threshold)
                + text_findings(ds, period) + variant_findings(ds, period))
    order = {s: n for n, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.file, f.line or 0, f.field, f.kind))
