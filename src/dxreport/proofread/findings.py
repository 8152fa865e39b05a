"""A proofreading finding: what ``check`` reports and the Word draft carries as
a comment. Kept apart from check.py (and its imports), as the two-core build
hands findings to the process that writes the Word draft."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    severity: str
    kind: str  # stable name of the check, e.g. "unchanged-value", "foreign-letter"
    subject: str  # the indicator, KPI or text concerned
    file: str
    line: int | None
    field: str  # dotted path inside the file
    message: str
    # What a Word comment anchors on: an indicator id, a KPI id, or the text itself.
    anchor: str = ""

    @property
    def where(self) -> str:
        w = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{w}: {self.field}" if self.field else w

    def __str__(self) -> str:
        return f"{self.where}: {self.subject}: {self.message}"
