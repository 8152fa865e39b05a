"""How official Japanese documents write and round: the era calendar, periods and
fiscal years, 四捨五入, ▲ for negatives and ポイント for differences."""
