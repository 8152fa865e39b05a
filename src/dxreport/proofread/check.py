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

from dxreport.japanese import formatting
from dxreport.proofread.findings import KPI, RATE, TEXT, VALUE, About, Finding
from dxreport.source.dataset import Dataset, Source
from dxreport.compute.figures import Figures, compute

ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITIES = (ERROR, WARNING, NOTICE)
DEFAULT_THRESHOLD = Decimal(15)
OVER_TARGET_FACTOR = Decimal(3)
SIMILARITY = 0.8  # difflib ratio from which two different terms look like one name

# Fields whose text is not prose: addresses, file names, ids.
_NOT_PROSE = {"url", "image", "phone", "extension", "id", "period", "previous", "date"}


def _finding(src: Source, loc: tuple[Any, ...], severity: str, kind: str, subject: str, message: str, about: About) -> Finding:
    p = src.problem(loc, message)
    return Finding(severity, kind, subject, p.file, p.line, p.field, message, about)


# ---------------------------------------------------------------- figures


def _value(v: Decimal | None, ind) -> str:
    return formatting.number(v, ind.decimals, ind.unit) if v is not None else formatting.MISSING


def _with_note(v: Decimal | None, note: str, ind) -> str:
    return f"{_value(v, ind)} ({note})" if note else _value(v, ind)


def figure_findings(ds: Dataset, period: str, figs: Figures, threshold: Decimal = DEFAULT_THRESHOLD) -> list[Finding]:
    src = ds.sources[period]
    prev_name = figs.previous.period if figs.previous else None
    out: list[Finding] = []
    for kpi_figs in figs.kpis():
        for f in kpi_figs.indicators:
            ind = f.indicator
            subject = f"{ind.name} [{ind.id}]"
            cur, prev = f.current, f.previous
            if cur.value is not None and cur.value < 0:
                out.append(_finding(src, ("values", ind.id, "value"), WARNING, "negative-value", subject,
                                    f"negative value {_value(cur.value, ind)}: check the sign", About(VALUE, ind.id)))
            if cur.value is not None and cur.value > ind.target * OVER_TARGET_FACTOR:
                out.append(_finding(src, ("values", ind.id, "value"), WARNING, "over-target", subject,
                                    f"value {_value(cur.value, ind)} is more than {OVER_TARGET_FACTOR}× the target "
                                    f"{formatting.number(ind.target, ind.shown_target_decimals, ind.unit)}: a typo or a wrong unit?", About(VALUE, ind.id)))
            if prev is not None and cur.value is not None and prev.value is not None:
                same_value = cur.value == prev.value
                same_note = cur.note.strip() == prev.note.strip()
                if same_value and same_note:
                    out.append(_finding(src, ("values", ind.id, "value"), NOTICE, "unchanged-value", subject,
                                        f"{_with_note(cur.value, cur.note, ind)} is the same as in {prev_name}: not updated?", About(VALUE, ind.id)))
                elif same_value:
                    out.append(_finding(src, ("values", ind.id, "note"), NOTICE, "note-changed-value-not", subject,
                                        f"the as-of note changed ({prev.note or '—'} → {cur.note or '—'}) but the value "
                                        f"{_value(cur.value, ind)} did not: value not updated?", About(VALUE, ind.id)))
                elif same_note and cur.note.strip():
                    out.append(_finding(src, ("values", ind.id, "note"), NOTICE, "value-changed-note-not", subject,
                                        f"the value changed ({_value(prev.value, ind)} → {_value(cur.value, ind)}) but the "
                                        f"as-of note stayed ({cur.note}): note not updated?", About(VALUE, ind.id)))
            if f.current_rate is not None and f.previous_rate is not None:
                moved = f.current_rate - f.previous_rate
                if abs(moved) > threshold:
                    out.append(_finding(src, ("values", ind.id, "value"), WARNING, "rate-jump", subject,
                                        f"rate moved {formatting.points(moved)} since {prev_name} "
                                        f"({formatting.rate(f.previous_rate)} → {formatting.rate(f.current_rate)}), "
                                        f"more than {threshold} points: a typo?", About(RATE, ind.id)))
    for fi, field_figs in enumerate(figs.fields):
        for ki, k in enumerate(field_figs.kpis):
            if k.diff is not None and abs(k.diff) > threshold:
                out.append(_finding(ds.plan_source, ("fields", fi, "kpis", ki, "name"), WARNING, "kpi-jump",
                                    f"KPI {k.kpi.name} [{k.kpi.id}]",
                                    f"moved {formatting.points(k.diff)} since {prev_name} "
                                    f"({formatting.rate(k.previous)} → {formatting.rate(k.current)}), "
                                    f"more than {threshold} points: a typo?", About(KPI, k.kpi.id)))
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
    name = unicodedata.name(ch, "")
    for script in ("CYRILLIC", "GREEK", "ARMENIAN", "HEBREW", "ARABIC", "THAI", "HANGUL"):
        if name.startswith(script) and unicodedata.category(ch).startswith("L"):
            return script.capitalize()
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
                return f"closing {ch} without an opening {CLOSERS[ch]}"
            if stack[-1] != CLOSERS[ch]:
                return f"{stack[-1]} is closed by {ch}"
            stack.pop()
    if stack:
        return f"{stack[-1]} is never closed (no {BRACKETS[stack[-1]]})"
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
                                            f"the {script} letter {ch} (U+{ord(ch):04X}) inside the Japanese word "
                                            f"{word}: a look-alike typed by mistake?", About(TEXT, text)))
                        break
            for m in HALF_KANA_RE.finditer(text):
                out.append(_finding(src, loc, ERROR, "half-width-katakana", subject,
                                    f"half-width katakana {m.group()}: write it in full width", About(TEXT, text)))
                break
            if HALF_DIGIT_RE.search(text) and FULL_DIGIT_RE.search(text):
                out.append(_finding(src, loc, WARNING, "mixed-digits", subject,
                                    "full-width (０-９) and half-width (0-9) digits mixed in one text", About(TEXT, text)))
            m = DOUBLED_RE.search(text)
            if m:
                out.append(_finding(src, loc, ERROR, "doubled-punctuation", subject,
                                    f"doubled punctuation {m.group()}", About(TEXT, text)))
            problem = _bracket_problem(text)
            if problem:
                out.append(_finding(src, loc, ERROR, "unbalanced-brackets", subject,
                                    f"unbalanced brackets: {problem}", About(TEXT, text)))
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
    _, i1, i2, j1, j2 = changes[0]
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
    _, i1, i2, j1, j2 = changes[0]
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
            other_at = f"{other.file}:{other.line}" if other.line else other.file
            out.append(_finding(src, loc, WARNING, "name-variant", f"{rare} / {common}",
                                f"{rare} ({len(where[rare])}×) and {common} ({len(where[common])}×, first at {other_at}) "
                                "look like one name spelled two ways", About(TEXT, rare)))
    return out


# ---------------------------------------------------------------- all together


def run(ds: Dataset, period: str, threshold: Decimal = DEFAULT_THRESHOLD, figs: Figures | None = None) -> list[Finding]:
    figs = figs if figs is not None else compute(ds, period)
    findings = figure_findings(ds, period, figs, threshold) + text_findings(ds, period) + variant_findings(ds, period)
    order = {s: n for n, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.file, f.line or 0, f.field, f.kind))


def report(findings: list[Finding]) -> str:
    """Findings grouped by severity, for the terminal."""
    if not findings:
        return "no findings"
    lines: list[str] = []
    for sev in SEVERITIES:
        group = [f for f in findings if f.severity == sev]
        if not group:
            continue
        lines.append(f"{sev} ({len(group)}):")
        lines.extend(f"  {f}" for f in group)
    counts = ", ".join(f"{sum(f.severity == s for f in findings)} {s}(s)" for s in SEVERITIES if any(f.severity == s for f in findings))
    lines.append(f"{len(findings)} finding(s): {counts}")
    return "\n".join(lines)
