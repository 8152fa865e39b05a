"""Fill the Japanese catalogue's empty translations from a Python file holding
``JA = {msgid: msgstr}`` (for a translator's batch of work), then recompile.

    python tools/translate.py FILE.py
"""

from __future__ import annotations

import runpy
import sys

import messages


def main(path: str) -> int:
    table = runpy.run_path(path)["JA"]
    catalog = messages.merged(messages.read())
    filled = 0
    for msg in catalog:
        if not msg.id:
            continue
        key = tuple(msg.id) if isinstance(msg.id, (tuple, list)) else msg.id
        if key in table:
            value = table[key]
            msg.string = tuple(value) if isinstance(value, tuple) else value
            filled += 1
    messages.PO.write_bytes(messages.po_text(catalog))
    messages.MO.write_bytes(messages.mo_bytes(catalog))
    print(f"{filled} translations set; untranslated: {len(messages.untranslated(catalog))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
