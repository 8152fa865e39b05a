"""All wording of the pack comes from jinja2 templates in ``templates/``.

``wording.j2`` holds one macro per text, so the office changes words (and their
order) without touching code. Data strings reach the macros as plain text;
escaping is each renderer's job, for its own markup.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from dxreport import resources

WORDING = "wording.j2"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text out; renderers escape for their markup
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


class Wording:
    """Calls a macro by name and returns its text, stripped."""

    def __init__(self, template: str = WORDING):
        self._module = environment().get_template(template).module

    def __call__(self, macro_name: str, /, **kwargs: Any) -> str:
        macro = getattr(self._module, macro_name, None)
        if macro is None:
            raise KeyError(f"templates/{WORDING} has no macro {macro_name!r}")
        return str(macro(**kwargs)).strip()

    def lines(self, macro_name: str, /, **kwargs: Any) -> tuple[str, ...]:
        """A macro that writes one item per line."""
        return tuple(line.strip() for line in self(macro_name, **kwargs).splitlines() if line.strip())
