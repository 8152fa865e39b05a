"""A proofreading finding: what ``check`` reports and the Word draft carries as
a comment. Kept apart from check.py (and its imports), as the two-core build
hands findings to the process that writes the Word draft."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class About:
    """What a finding is about, as the pack prints it: an indicator's value or
    rate at this period, a KPI, or a text. A renderer that places the thing
    can place the finding beside it."""

    kind: str  # VALUE, RATE, KPI or TEXT
    ref: str  # the indicator id, the KPI id, or the text itself


VALUE, RATE, KPI, TEXT = "value", "rate", "kpi", "text"


@dataclass(frozen=True)
class Finding:
    severity: str
    kind: str  # stable name of the check, e.g. "unchanged-value", "foreign-letter"
    subject: str  # the indicator, KPI or text concerned
    file: str
    line: int | None
    field: str  # dotted path inside the file
    message: str
    about: About | None = None

    @property
    def where(self) -> str:
        w = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{w}: {self.field}" if self.field else w

    def __str__(self) -> str:
        return f"{self.where}: {self.subject}: {self.message}"
