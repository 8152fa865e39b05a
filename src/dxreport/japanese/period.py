"""A period: the month whose end the data is as of (2025-12), and every way
the pack writes it. Parsed once here, wherever it comes from (a file name, a
field, the command line)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dxreport.i18n import _
from dxreport.japanese import era

_FORM = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class YearMonth:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "YearMonth":
        """``2025-12``; anything else is a ValueError saying the form."""
        m = _FORM.match(text) if isinstance(text, str) else None
        if m is None:
            raise ValueError(_("'{text}' is not a period in the form YYYY-MM (e.g. 2025-12)").format(text=text))
        return cls(int(m.group(1)), int(m.group(2)))

    @staticmethod
    def valid(text: str) -> bool:
        return isinstance(text, str) and _FORM.match(text) is not None

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def day_after(self) -> dt.date:
        """The first day after the period's month."""
        return dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)

    @property
    def fiscal_year(self) -> int:
        """The 年度 (April to March) the month falls in."""
        return self.year if self.month >= 4 else self.year - 1

    @property
    def short(self) -> str:
        """R7.12末: the as-of label."""
        return era.month_end_label(self.year, self.month)

    @property
    def long(self) -> str:
        """2025年12月末: running text."""
        return era.month_end_long(self.year, self.month)

    @property
    def dotted(self) -> str:
        """2025.12末: the dashboards' note on the previous period."""
        return f"{self.year}.{self.month}末"

    @property
    def column(self) -> str:
        """2025.12月末: the appendix's column headers."""
        return f"{self.year}.{self.month}月末"
