"""Japanese era dates: 令和8年2月4日, R7.12末, R6年度."""

from __future__ import annotations

import datetime as dt
import re

# (first day, name, initial). Calendar facts, not configuration.
ERAS: tuple[tuple[dt.date, str, str], ...] = (
    (dt.date(2019, 5, 1), "令和", "R"),
    (dt.date(1989, 1, 8), "平成", "H"),
    (dt.date(1926, 12, 25), "昭和", "S"),
)


def _era(day: dt.date) -> tuple[str, str, int]:
    for start, name, initial in ERAS:
        if day >= start:
            return name, initial, day.year - start.year + 1
    raise ValueError(f"{day} is before the eras dxreport knows")


def long_date(day: dt.date) -> str:
    """令和8年2月4日 (元年 for the first year, as official documents write it)."""
    name, _, year = _era(day)
    year_text = "元" if year == 1 else str(year)
    return f"{name}{year_text}年{day.month}月{day.day}日"


def month_end_label(year: int, month: int) -> str:
    """R7.12末: the short as-of label of a period."""
    _, initial, era_year = _era(_last_day(year, month))
    return f"{initial}{era_year}.{month}末"


def month_end_long(year: int, month: int) -> str:
    """2025年12月末: the Western form used in running text."""
    return f"{year}年{month}月末"


def fiscal_year_label(fiscal_year: int) -> str:
    """R6年度: the fiscal year that starts in April of ``fiscal_year``."""
    _, initial, era_year = _era(dt.date(fiscal_year, 4, 1))
    return f"{initial}{era_year}年度"


def _last_day(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


# An era year in a note: R6, 令和6, 令和元, H30. Not inside a word or a number
# (ASCII letters or digits before it, digits after it).
_ERA_YEAR = re.compile(r"(?<![A-Za-z0-9])(令和|平成|昭和|R|H|S)(元|\d{1,2})(?![0-9])")


def western_years(text: str) -> str:
    """The text with its era years in 西暦: R5～R6の累計 → 2023～2024の累計,
    R7年9月時点 → 2025年9月時点 (the machine-readability rule wants 西暦 beside 和暦)."""
    starts = {key: start.year - 1 for start, name, initial in ERAS for key in (name, initial)}

    def western(m: re.Match[str]) -> str:
        year = 1 if m.group(2) == "元" else int(m.group(2))
        return str(starts[m.group(1)] + year)

    return _ERA_YEAR.sub(western, text)
