"""A proofreading finding: what ``check`` reports and the Word draft carries as
a comment. Kept apart from check.py (and its imports), as the two-core build
hands findings to the process that writes the Word draft."""

from __future__ import annotations

from dataclasses import dataclass

from dxreport.errors import located, where
from dxreport.i18n import _


@dataclass(frozen=True)
class About:
    """What a finding is about, as the pack prints it: an indicator's value or
    rate at this period, a KPI, or a text. A renderer that places the thing
    can place the finding beside it."""

    kind: str  # VALUE, RATE, KPI or TEXT
    ref: str  # the indicator id, the KPI id, or the text itself


VALUE, RATE, KPI, TEXT = "value", "rate", "kpi", "text"
ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITIES = (ERROR, WARNING, NOTICE)


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
    # What a proofreader reads in the Word draft: what looks wrong and what to
    # check, without files, ids or severities.
    advice: str = ""

    @property
    def where(self) -> str:
        return where(self.file, self.line, self.field)

    @property
    def severity_label(self) -> str:
        return severity_label(self.severity)

    def __str__(self) -> str:
        return located(self.file, self.line, self.field, f"{self.subject}: {self.message}")


def severity_label(severity: str) -> str:
    return {ERROR: _("error"), WARNING: _("warning"), NOTICE: _("notice")}.get(severity, severity)
