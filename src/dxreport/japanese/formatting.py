"""How figures are written in the pack: ▲ for negatives, ポイント for differences,
thousands grouped, units after the number."""

from __future__ import annotations

from decimal import Decimal

from dxreport.japanese.numbers import round_half_up

NEGATIVE = "▲"
NEGATIVE_SPOKEN = "マイナス"  # what a screen reader should say for ▲ (it reads the shape's name)
MISSING = "－"


def number(value: Decimal | None, decimals: int = 0, unit: str = "") -> str:
    """87974100 → 87,974,100枚; -0.3 → ▲0.3%; None → －."""
    if value is None:
        return MISSING
    shown = round_half_up(value, decimals)
    sign = NEGATIVE if shown < 0 else ""
    return f"{sign}{abs(shown):,.{decimals}f}{unit}"


def rate(value: Decimal | None) -> str:
    return number(value, 1, "%")


def points(diff: Decimal | None, decimals: int = 1) -> str:
    """+8.3ポイント, ▲1.2ポイント, ±0.0ポイント: the sign is always written."""
    if diff is None:
        return MISSING
    shown = round_half_up(diff, decimals)
    if shown > 0:
        sign = "+"
    elif shown < 0:
        sign = NEGATIVE
    else:
        sign = "±"
    return f"{sign}{abs(shown):,.{decimals}f}ポイント"


def difference(diff: Decimal | None, decimals: int, unit: str) -> str:
    """A change in a non-percentage unit: +1,200千円, ▲3件."""
    if unit == "%":
        return points(diff, decimals)
    if diff is None:
        return MISSING
    shown = round_half_up(diff, decimals)
    sign = "+" if shown > 0 else (NEGATIVE if shown < 0 else "±")
    return f"{sign}{abs(shown):,.{decimals}f}{unit}"
