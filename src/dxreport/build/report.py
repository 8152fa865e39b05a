"""What a build says on the terminal: short by default.

What was written (each pack's files and sizes), then one line with the
proofreading findings' counts and where to see them; every finding only with
``--verbose`` (or from ``dxreport check``). ``--all`` says one line per period.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from dxreport.i18n import _
from dxreport.proofread import report as findings_report


def size(n: int) -> str:
    kb = max(1, (n + 512) // 1024)
    return _("{kb:,} KB").format(kb=kb)


def written(paths: list[Path]) -> list[str]:
    """One line per pack: its folder, then each file with its size (the web
    pages' folder as one entry)."""
    packs: dict[Path, dict[str, int]] = {}
    for path in paths:
        folder = next((p for p in path.parents if (p / ".dxreport-pack.json").is_file()), path.parent)
        top = path.relative_to(folder).parts[0]
        entry = top + "/" if len(path.relative_to(folder).parts) > 1 else top
        packs.setdefault(folder, {})
        packs[folder][entry] = packs[folder].get(entry, 0) + path.stat().st_size
    return [_("wrote {folder}: {files}").format(folder=folder, files=_(", ").join(
        _("{name} ({size})").format(name=name, size=size(n)) for name, n in files.items()))
        for folder, files in packs.items()]


class Console:
    def __init__(self, echo: Callable[[str], None], verbose: bool = False) -> None:
        self.echo = echo
        self.verbose = verbose
        self.found: list[tuple[str | None, list]] = []

    def warning(self, line: str) -> None:
        self.echo(_("warning: {message}").format(message=line))

    def findings(self, period: str | None, found: list) -> None:
        self.found.append((period, found))
        if self.verbose:
            for f in found:
                line = _("{severity}: {finding}").format(severity=f.severity_label, finding=f)
                self.echo(f"{period}: {line}" if period else line)

    def closing(self) -> list[str]:
        out = []
        for period, found in self.found:
            if not found:
                line = _("proofreading: no findings")
            elif self.verbose:
                line = _("proofreading: {counts}").format(counts=findings_report.counts(found))
            else:
                line = _("proofreading: {counts} (the list: dxreport check, or build -v)").format(counts=findings_report.counts(found))
            out.append(f"{period}: {line}" if period else line)
        return out
