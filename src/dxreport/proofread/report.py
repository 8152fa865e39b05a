"""The check's findings for a person (text, grouped by severity) or for a
spreadsheet or another tool (JSON, CSV: one finding a record)."""

from __future__ import annotations

import csv
import io
import json

from dxreport.i18n import _
from dxreport.proofread.findings import SEVERITIES, Finding, severity_label

FIELDS = ("severity", "kind", "subject", "file", "line", "field", "message")


def counts(findings: list[Finding]) -> str:
    """要確認 7件、参考 15件: how many of each severity there are."""
    return _(", ").join(_("{severity} {count}").format(severity=severity_label(s), count=n)
                        for s in SEVERITIES if (n := sum(f.severity == s for f in findings)))


def text(findings: list[Finding]) -> str:
    if not findings:
        return _("no findings")
    lines: list[str] = []
    for sev in SEVERITIES:
        group = [f for f in findings if f.severity == sev]
        if group:
            lines.append(_("{severity} ({count}):").format(severity=severity_label(sev), count=len(group)))
            lines.extend(f"  {f}" for f in group)
    lines.append(_("{count} finding(s): {counts}").format(count=len(findings), counts=counts(findings)))
    return "\n".join(lines)


def _record(f: Finding) -> dict[str, object]:
    return {"severity": f.severity, "kind": f.kind, "subject": f.subject, "file": f.file, "line": f.line,
            "field": f.field, "message": f.message}


def json_lines(findings: list[Finding]) -> str:
    return json.dumps([_record(f) for f in findings], ensure_ascii=False, indent=1) + "\n"


def csv_table(findings: list[Finding]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for f in findings:
        writer.writerow({k: ("" if v is None else v) for k, v in _record(f).items()})
    return buf.getvalue()
