"""Reading YAML files with exact numbers and the line of every value.

Numbers with a fractional part become ``Decimal`` straight from their source
text (22.87 stays 22.87, never a float), and the round-trip loader keeps the
position of every key so that a problem can name its line.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from dxreport.errors import DatasetError, Problem


class _ExactConstructor(RoundTripConstructor):
    pass


def _construct_decimal(constructor: RoundTripConstructor, node: Any) -> Any:
    text = str(constructor.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf / .nan: leave them to the schema to reject
        return text


_ExactConstructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _yaml() -> YAML:
    y = YAML(typ="rt", pure=True)
    y.Constructor = _ExactConstructor
    y.allow_duplicate_keys = False
    return y


def load(path: Path, shown: str) -> Any:
    """Load one YAML file; problems name the file as ``shown``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DatasetError([Problem(shown, None, "", "file does not exist")]) from None
    except UnicodeDecodeError as e:
        raise DatasetError([Problem(shown, None, "", f"not UTF-8 text ({e.reason} at byte {e.start})")]) from None
    except OSError as e:
        raise DatasetError([Problem(shown, None, "", f"cannot be read: {e.strerror}")]) from None
    try:
        doc = _yaml().load(text)
    except ReaderError as e:
        # A raw control character: the reader knows only its offset, so count the lines.
        line = text.count("\n", 0, e.position) + 1
        raise DatasetError([Problem(shown, line, "", f"contains the control character U+{e.character:04X}; remove it")]) from None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (e.problem or e.context or "invalid YAML").strip()
        what = what.split(" with value ")[0]  # ruamel quotes the whole duplicated value
        raise DatasetError([Problem(shown, line, "", f"YAML syntax error: {what}")]) from None
    except YAMLError as e:
        raise DatasetError([Problem(shown, None, "", f"YAML error: {e}")]) from None
    surrogates = [
        Problem(shown, line_of(doc, loc), ".".join(str(p) for p in loc).encode("utf-8", "backslashreplace").decode("utf-8"),
                f"contains the control character(s) {', '.join(f'U+{ord(c):04X}' for c in bad)}; remove them")
        for loc, bad in _surrogates(doc)
    ]
    if surrogates:
        raise DatasetError(surrogates)
    return doc


def _surrogates(node: Any, loc: tuple[Any, ...] = ()):
    """Strings holding lone surrogates (written as "\\ud800" escapes): no text can carry
    them, so they are reported here, before the schema sees them, as control characters."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _surrogates(k, loc + (k,))
            yield from _surrogates(v, loc + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _surrogates(v, loc + (i,))
    elif isinstance(node, str):
        bad = sorted({c for c in node if "\ud800" <= c <= "\udfff"})
        if bad:
            yield loc, bad


def line_of(root: Any, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the deepest node along ``loc`` that the document has."""
    node, line = root, None
    for key in loc:
        if isinstance(node, CommentedMap):
            match = _map_key(node, key)
            if match is None:
                break
            try:
                line = node.lc.key(match)[0] + 1
            except (KeyError, TypeError, AttributeError):
                pass
            node = node[match]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            try:
                line = node.lc.item(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                pass
            node = node[key]
        else:
            break
    if line is None and hasattr(root, "lc"):
        line = (root.lc.line or 0) + 1
    return line


def _map_key(node: CommentedMap, key: Any) -> Any:
    if key in node:
        return key
    for k in node:  # pydantic reports dict keys as text; YAML may hold them as int
        if str(k) == str(key):
            return k
    return None


def plain(data: Any) -> Any:
    """The document as plain dicts and lists, for the schema."""
    if isinstance(data, dict):
        return {k: plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, str):
        return str(data)
    return data
