"""The message catalogue: extract every message of the code, merge it into the
Japanese catalogue (keeping its translations) and compile it.

    python tools/messages.py            # update src/dxreport/locale/ja/LC_MESSAGES/dxreport.po and .mo
    python tools/messages.py --check    # exit 1 when the catalogue is not up to date or not complete

Messages are marked in the code with ``_()``, ``ngettext()`` and (help texts)
``N_()``. click's own messages that a user of dxreport can meet (its headings
and usage errors) are taken from click's source, so they are translated too.
A translator edits only the ``.po`` file, then runs this script.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "dxreport"
PO = PACKAGE / "locale" / "ja" / "LC_MESSAGES" / "dxreport.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# click's words that reach dxreport's users (help, usage errors).
CLICK = {
    "Usage:", "Options", "Commands", "Show this message and exit.", "Show the version and exit.",
    "%(prog)s, version %(version)s", "Error: {message}", "Try '{command} {option}' for help.",
    "Invalid value: {message}", "Invalid value for {param_hint}: {message}", "Missing argument", "Missing option",
    "Missing parameter", "Missing {param_type}", "Missing parameter: {param_name}", "No such option {name!r}.",
    "No such command {name!r}.", "Missing command.", "Option {name!r} does not take a value.", "Aborted!",
    "{value!r} is not a valid {number_type}.", "{value} is not in the range {range}.", "default: {default}",
    "env var: {var}", "file", "directory", "path", "{name} {filename!r} is a file.", "{name} {filename!r} is a directory.",
    "{name} {filename!r} does not exist.", "Got unexpected extra argument ({args})", "Option {name!r} requires an argument.",
    "{value!r} is not {choice}.", "Did you mean {possibility}?",
}


def extracted() -> Catalog:
    """Every message the code says, with where it is said."""
    import click

    # Fixed dates: the catalogue's bytes depend on its messages only, not on when it was made.
    catalog = Catalog(locale="ja", domain="dxreport", project="dxreport", charset="utf-8",
                      creation_date=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc),
                      revision_date=dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        catalog.add(message, locations=[(f"src/dxreport/{filename}", lineno)], auto_comments=comments)
    for filename, lineno, message, comments, context in extract_from_dir(
            str(Path(click.__file__).parent), method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)}):
        first = message[0] if isinstance(message, tuple) else message
        if first in CLICK:
            catalog.add(message, locations=[(f"click/{filename}", 0)])
    return catalog


def merged(current: Catalog | None) -> Catalog:
    new = extracted()
    if current is not None:
        for msg in new:
            if msg.id and msg.id in current:
                msg.string = current[msg.id].string
    return new


def po_text(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, sort_output=False, omit_header=False, no_location=False, include_lineno=False)
    return buf.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def read() -> Catalog | None:
    if not PO.is_file():
        return None
    with PO.open("rb") as fh:
        return read_po(fh, locale="ja", domain="dxreport")


def untranslated(catalog: Catalog) -> list[str]:
    out = []
    for msg in catalog:
        if not msg.id:
            continue
        strings = msg.string if isinstance(msg.string, (tuple, list)) else (msg.string,)
        if not all(strings):
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if the catalogue is stale or incomplete")
    args = parser.parse_args()
    current = read()
    catalog = merged(current)
    text, mo = po_text(catalog), mo_bytes(catalog)
    missing = untranslated(catalog)
    if args.check:
        stale = not PO.is_file() or PO.read_bytes() != text or not MO.is_file() or MO.read_bytes() != mo
        for m in missing:
            print(f"untranslated: {m}", file=sys.stderr)
        if stale:
            print("the catalogue is not up to date: run python tools/messages.py", file=sys.stderr)
        return 1 if stale or missing else 0
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(text)
    MO.write_bytes(mo)
    print(f"{len(catalog)} messages, {len(missing)} untranslated: {PO.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
