"""Changing texts of a dataset file in place, as a person editing it would:
every comment, the key order, each value's quoting and the file's line endings
kept (a ruamel.yaml round trip with new-period's reader and writer)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml.scalarstring import ScalarString

from dxreport.source.newperiod import dumper


def _key(node: Any, part: str) -> Any:
    if isinstance(node, list):
        return int(part)
    if part in node:
        return part
    for k in node:  # a key YAML read as a number
        if str(k) == part:
            return k
    raise KeyError(part)


def rewrite(path: Path, changes: Iterable[tuple[str, str]]) -> bytes:
    """The bytes of ``path`` with each (dotted field path, new text) set."""
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    crlf = "\r\n" in text
    y = dumper()
    doc = y.load(text.replace("\r\n", "\n") if crlf else text)
    for field, new in changes:
        parts = field.split(".")
        node = doc
        for part in parts[:-1]:
            node = node[_key(node, part)]
        key = _key(node, parts[-1])
        old = node[key]
        # The same style of scalar as before: a quoted text stays quoted the same way.
        node[key] = type(old)(new) if isinstance(old, ScalarString) else new
    buf = io.StringIO()
    y.dump(doc, buf)
    out = buf.getvalue()
    if crlf:
        out = out.replace("\n", "\r\n")
    return out.encode("utf-8")
