"""Office packages (DOCX, XLSX) with the same bytes on every build.

python-docx and openpyxl stamp each zip member with the clock; rewriting the
package with one fixed date, attribute set and the original member order makes
the output depend on the dataset only.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def stable_zip(data: bytes, when: dt.date) -> bytes:
    """The same package, every member dated ``when`` (a date or a datetime)."""
    stamp = (max(when.year, 1980), when.month, when.day) + (
        (when.hour, when.minute, when.second) if isinstance(when, dt.datetime) else (0, 0, 0)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 0
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def stable_workbook(wb, when: dt.date, title: str) -> bytes:
    """An openpyxl workbook's bytes, dated ``when`` throughout and written by dxreport:
    the same workbook, the same bytes."""
    from openpyxl.writer.excel import ExcelWriter

    stamp = dt.datetime(when.year, when.month, when.day)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "dxreport"
    wb.properties.lastModifiedBy = "dxreport"
    wb.properties.title = title
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not openpyxl's save_workbook, which stamps the clock
    return stable_zip(buf.getvalue(), stamp)
