"""Problems the user can fix, reported together with where they are."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None  # 1-based; None when the problem is the whole file
    field: str  # dotted path inside the file, e.g. values.consult-count.value
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


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
