"""Problems the user can fix, reported together with where they are."""

from __future__ import annotations

from dataclasses import dataclass

from dxreport.i18n import _


def where(file: str, line: int | None, field: str = "") -> str:
    """A place in the input as the user finds it: the file, its line, the field."""
    place = file if line is None else _("{file}:{line}").format(file=file, line=line)
    return _("{place}: {field}").format(place=place, field=field) if field else place


def located(file: str, line: int | None, field: str, message: str) -> str:
    return f"{where(file, line, field)}: {message}"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based; None when the problem is the whole file
    field: str  # dotted path inside the file, e.g. values.consult-count.value
    message: str

    def __str__(self) -> str:
        return located(self.file, self.line, self.field, self.message)


class DatasetError(Exception):
    """Bad input: exit status 2, one message per problem, nothing written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __reduce__(self):
        # Rebuilt from its problems when it crosses from a worker process.
        return (type(self), (self.problems,), self.__dict__)


class UserError(Exception):
    """Any other mistake in how dxreport was called (exit status 2)."""
