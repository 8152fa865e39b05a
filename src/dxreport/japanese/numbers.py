"""The arithmetic of the pack: rates, means and differences, in Decimal.

Every published figure is rounded half up (四捨五入) to one decimal. Python's
``round`` and float formatting round half to even and would print 46.75 as 46.7,
so nothing here touches floats.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

ONE_DECIMAL = Decimal("0.1")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def round_half_up(x: Decimal, decimals: int = 1) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def rate(value: Decimal | None, target: Decimal) -> Decimal | None:
    """Achievement rate: value ÷ target × 100, clamped to 0–100, one decimal."""
    if value is None:
        return None
    raw = value / target * HUNDRED
    return round_half_up(min(max(raw, ZERO), HUNDRED))


def falling_rate(value: Decimal | None, base: Decimal, target: Decimal) -> Decimal | None:
    """Achievement rate of an indicator that should fall, from its base value
    towards its target: (base − value) ÷ (base − target) × 100, clamped to 0–100,
    one decimal. The base is above the target (validation sees to it)."""
    if value is None:
        return None
    raw = (base - value) / (base - target) * HUNDRED
    return round_half_up(min(max(raw, ZERO), HUNDRED))


def mean(values: Iterable[Decimal | None], decimals: int = 1) -> Decimal | None:
    """Simple mean of the known values, rounded half up; None when none is known.

    The KPI is the mean of the *displayed* rates, so a reader with a calculator
    arrives at the published figure.
    """
    known = [v for v in values if v is not None]
    if not known:
        return None
    return round_half_up(sum(known, ZERO) / len(known), decimals)


def difference(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return current - previous
