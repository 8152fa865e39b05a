"""Reading YAML files with exact numbers and the line of every value.

Numbers with a fractional part become ``Decimal`` straight from their source
text (22.87 stays 22.87, never a float), and every key and item keeps its line
so that a problem can name it.

Files are composed into nodes by libyaml (ruamel.yaml.clib; ruamel's pure
Python parser where that is missing), and the values built from the nodes
here: the round-trip loader did the same with line numbers but took ten times
as long, which was most of ``validate``'s time.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from dxreport.errors import DatasetError, Problem


class ExactConstructor(RoundTripConstructor):
    """The round-trip constructor with exact numbers, for rewriting files (new-period)."""


def _construct_decimal(constructor: RoundTripConstructor, node: Any) -> Any:
    text = str(constructor.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:  # .inf / .nan: leave them to the schema to reject
        return text


ExactConstructor.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


class Map(dict):
    """A mapping that knows the line of each of its keys."""

    line: int = 0  # 0-based, as the parser counts
    lines: dict[Any, int]


class Seq(list):
    """A sequence that knows the line of each of its items."""

    line: int = 0
    lines: list[int]


def _compose(text: str) -> tuple[Any, Any]:
    """The document's root node, and a constructor for its scalars."""
    try:
        fast = YAML(typ="safe", pure=False)
        return fast.compose(text), fast.constructor
    except (YAMLError, ReaderError, ImportError, AttributeError):
        # No libyaml here, or a file it rejects: ruamel's own parser, whose error
        # messages (and treatment of escapes libyaml refuses) are the ones reported.
        pure = YAML(typ="safe", pure=True)
        return pure.compose(text), pure.constructor


_STR, _FLOAT, _MERGE = "tag:yaml.org,2002:str", "tag:yaml.org,2002:float", "tag:yaml.org,2002:merge"


class _Duplicate(Exception):
    def __init__(self, line: int, key: Any):
        self.line, self.key = line, key


def _build(node: Any, scalars: Any) -> Any:
    if isinstance(node, MappingNode):
        out = Map()
        out.line, out.lines = node.start_mark.line, {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:  # "<<: *defaults": the named mapping(s), under the keys given here
                sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
                for src in sources:
                    merged = _build(src, scalars)
                    for k, v in (merged.items() if isinstance(merged, dict) else ()):
                        if k not in out:
                            out[k], out.lines[k] = v, merged.lines.get(k, src.start_mark.line)
                continue
            key = _build(key_node, scalars)
            if isinstance(key, (dict, list)):
                key = str(key)
            if key in out and key_node.start_mark.line != out.lines.get(key):
                raise _Duplicate(key_node.start_mark.line, key)
            out[key] = _build(value_node, scalars)
            out.lines[key] = key_node.start_mark.line
        return out
    if isinstance(node, SequenceNode):
        seq = Seq(_build(item, scalars) for item in node.value)
        seq.line, seq.lines = node.start_mark.line, [item.start_mark.line for item in node.value]
        return seq
    if node.tag == _STR:
        return node.value
    if node.tag == _FLOAT:
        return _construct_decimal(scalars, node)
    return scalars.construct_object(node, deep=True)


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
        node, scalars = _compose(text)
        doc = None if node is None else _build(node, scalars)
    except _Duplicate as e:
        raise DatasetError([Problem(shown, e.line + 1, "", f"YAML syntax error: found duplicate key \"{e.key}\"")]) from None
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
        if isinstance(node, Map):
            match = _map_key(node, key)
            if match is None:
                break
            line = node.lines.get(match, line)
            node = node[match]
        elif isinstance(node, Seq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lines[key]
            node = node[key]
        else:
            break
    if line is None and isinstance(root, (Map, Seq)):
        line = root.line
    return None if line is None else line + 1


def _map_key(node: Map, key: Any) -> Any:
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
