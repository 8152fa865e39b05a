"""Where the bundled fonts and templates are.

In an installed wheel they travel inside the package (``_resources/``); in a
source checkout or an editable install they are the repository's top-level
``fonts/`` and ``templates/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def folder(name: str) -> Path:
    for candidate in (_PACKAGE / "_resources" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"dxreport's {name}/ folder is missing from this installation")


def fonts() -> Path:
    return folder("fonts")


def templates() -> Path:
    return folder("templates")
