"""The arithmetic and the way figures are written."""

import datetime as dt
from decimal import Decimal as D

import pytest

from dxreport.japanese import era
from dxreport.japanese import formatting
from dxreport.japanese import numbers


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        ("37.4", "80", "46.8"),  # 46.75: half up, where round() would give 46.7
        ("9896962", "87974100", "11.2"),  # 11.2499…
        ("22.87", "37.8", "60.5"),  # a precise source value shown as 22.9
        ("60", "60", "100.0"),  # exactly the target
        ("60.0", "45.4", "100.0"),  # above the target is clamped
        ("-0.3", "14.6", "0.0"),  # a negative value is clamped to 0
        ("0.0005", "1", "0.1"),  # 0.05 → 0.1
        ("0.00049", "1", "0.0"),
    ],
)
def test_rate_rounds_half_up_and_clamps(value, target, expected):
    assert numbers.rate(D(value), D(target)) == D(expected)


def test_rate_of_missing_value_is_missing():
    assert numbers.rate(None, D(10)) is None


def test_kpi_is_mean_of_displayed_rates_rounded_half_up():
    # 60.5 + 34.3 + 45.0 = 139.8 / 3 = 46.6
    assert numbers.mean([D("60.5"), D("34.3"), D("45.0")]) == D("46.6")
    # 0.05 boundary: (10.0 + 10.1) / 2 = 10.05 → 10.1
    assert numbers.mean([D("10.0"), D("10.1")]) == D("10.1")
    assert numbers.mean([D("10.0"), None, D("20.0")]) == D("15.0")
    assert numbers.mean([None, None]) is None


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "text"),
    [
        (D("87974100"), 0, "枚", "87,974,100枚"),
        (D("-0.3"), 1, "%", "▲0.3%"),
        (D("22.87"), 1, "%", "22.9%"),
        (D("46.75"), 1, "%", "46.8%"),
        (D("1827"), 0, "円", "1,827円"),
        (None, 1, "%", "－"),
    ],
)
def test_number_formatting(value, decimals, unit, text):
    assert formatting.number(value, decimals, unit) == text


def test_points_always_carry_a_sign():
    assert formatting.points(D("8.3")) == "+8.3ポイント"
    assert formatting.points(D("-1.7")) == "▲1.7ポイント"
    assert formatting.points(D("0")) == "±0.0ポイント"
    assert formatting.points(None) == "－"


def test_era_dates():
    assert era.long_date(dt.date(2026, 2, 4)) == "令和8年2月4日"
    assert era.long_date(dt.date(2019, 5, 1)) == "令和元年5月1日"
    assert era.long_date(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert era.month_end_label(2025, 12) == "R7.12末"
    assert era.month_end_label(2026, 3) == "R8.3末"
    assert era.fiscal_year_label(2024) == "R6年度"
    assert era.month_end_long(2025, 9) == "2025年9月末"
