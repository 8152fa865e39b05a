"""Reading YAML files with exact numbers and the line of every value.

Numbers with a fractional part become ``Decimal`` straight from their source
text (22.87 stays 22.87, never a float), and every key and item keeps its line
so that a problem can name it.

Files are parsed into events by libyaml (ruamel.yaml.clib; ruamel's pure Python
parser where that is missing), and the values built from the events here: the
round-trip loader did the same with line numbers but took ten times as long,
which was most of ``validate``'s time. Building from the events, rather than
from libyaml's composed tree, is also what bounds what a file can ask for:
libyaml's composer recurses in C (a file nested 30,000 levels deep crashed the
process) and expands every alias anew (nine levels of ten aliases, a kilobyte of
text, asked for a billion values). Here nesting stops at ``MAX_DEPTH``, an alias
reuses the value it names and may add at most ``MAX_ALIAS_VALUES`` values in all,
and a value that refers to itself is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.reader import ReaderError

from dxreport.errors import DatasetError, Problem
from dxreport.i18n import _

# What a dataset file may ask of the reader. The real files are tens of KB,
# nested seven levels deep, with texts of a few hundred characters; these are
# far above that and far below what would make validating or building slow.
MAX_FILE_BYTES = 2**20
MAX_DEPTH = 20
MAX_TEXT = 10_000  # characters in one text (a key or a value)
MAX_ALIAS_VALUES = 10_000  # values that aliases may repeat in one file, in all
MAX_PURE_CHARS = 2**18  # the largest file read again by the pure Python parser when libyaml rejects it


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

    __slots__ = ("line", "lines")  # a file may hold a hundred thousand: no __dict__ each
    line: int  # 0-based, as the parser counts
    lines: dict[Any, int]


class Seq(list):
    """A sequence that knows the line of each of its items."""

    __slots__ = ("line", "lines")
    line: int
    lines: list[int]


class Integer(int):
    """An integer typed otherwise than Python writes it (``0042``, ``0120123456``,
    ``1_000``): ``str()`` gives it back as typed. A text field given a number
    takes its ``str()`` (the schema's ``coerce_numbers_to_str``), so a phone number
    or an extension typed without quotes keeps its leading zeros."""

    typed: str

    def __str__(self) -> str:
        return self.typed


class Number(Decimal):
    """A ``Decimal`` typed otherwise than it prints (``1e3``, ``.5``): as ``Integer``."""

    typed: str

    def __str__(self) -> str:
        return self.typed


def _typed(cls: type, value: Any, text: str) -> Any:
    if str(value) == text:
        return value  # most numbers: nothing to keep (and no object per number)
    out = cls(value)
    out.typed = text
    return out


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _TIMESTAMP = _TAG + "str", _TAG + "int", _TAG + "float", _TAG + "timestamp"
_MERGE = _TAG + "merge"
_SCALAR_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_SEQ_TAGS, _MAP_TAGS = {None, "!", _TAG + "seq"}, {None, "!", _TAG + "map"}


# An integer as Python writes it: read by int() directly (0042, 0x1F, 1_000 go through
# ruamel's constructor, which knows their YAML meanings, and keep their text).
_DECIMAL_INT = re.compile(r"-?(0|[1-9][0-9]{0,17})\Z")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _tag_refused(tag: str) -> str:
    return _("the tag {tag} is not allowed in a dataset; remove it").format(tag=_shown_tag(tag))


def _date_reason(error: Exception) -> str | None:
    """Python's reason why a date of the right shape is no date, in the user's language."""
    reason = str(error) if type(error) is ValueError else ""
    if reason == "day is out of range for month":
        return _("day is out of range for month")
    if reason == "month must be in 1..12":
        return _("month must be in 1..12")
    if re.fullmatch(r"year -?\d+ is out of range", reason):
        return _("the year is out of range")
    return None


def _unreadable(tag: str, text: str, error: Exception) -> str:
    """What is wrong with a scalar its tag's type cannot read (2026-02-30, !!int abc)."""
    digits = text.lstrip("+-").replace("_", "").isdigit()
    text = _short(text)
    if tag == _INT:
        if digits:
            return _("'{text}' has too many digits for a number").format(text=text)  # Python's limit: 4,300
        return _("'{text}' is not an integer").format(text=text)
    if tag == _TIMESTAMP:
        reason = _date_reason(error)
        if reason is None:
            return _("'{text}' is not a date; write a date as YYYY-MM-DD, e.g. 2026-02-04").format(text=text)
        return _("'{text}' is not a date ({reason}); write a date as YYYY-MM-DD, e.g. 2026-02-04").format(text=text, reason=reason)
    if tag == _TAG + "bool":
        return _("'{text}' is not true or false").format(text=text)
    return _("'{text}' is not empty (~)").format(text=text)


def _os_reason(error: OSError) -> str:
    import errno

    if error.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied")
    if error.errno == errno.EISDIR:
        return _("it is a folder, not a file")
    return _("the system says: {reason}").format(reason=error.strerror)


# The parser's words for the mistakes people make in YAML by hand, each said again
# in the user's language with what to do; any other is said as the parser says it
# (in English) or, in Japanese, as a syntax error to look for near the line.
_SYNTAX = (
    ("mapping values are not allowed here",
     lambda: _("YAML syntax error: mapping values are not allowed here")),
    ("could not find expected ':'",
     lambda: _("YAML syntax error: could not find expected ':'")),
    ("found character '\\t' that cannot start any token",
     lambda: _("YAML syntax error: found character '\\t' that cannot start any token")),
    ("found character ",
     lambda: _("YAML syntax error: {detail} (put a text that starts with it in quotes)")),
    ("expected <block end>, but found ",
     lambda: _("YAML syntax error: {detail} (the indentation does not line up)")),
    ("expected ',' or ']', but got ",
     lambda: _("YAML syntax error: {detail} (a [ without its ])")),
    ("expected ',' or '}', but got ",
     lambda: _("YAML syntax error: {detail} (a {{ without its }})")),
    ("found unknown escape character ",
     lambda: _("YAML syntax error: {detail} (a backslash in double quotes)")),
    ("found unexpected end of stream",
     lambda: _("YAML syntax error: found unexpected end of stream (a quote without its closing quote?)")),
    ("expected chomping or indentation indicators",
     lambda: _("YAML syntax error: {detail} (after | or >)")),
    ("found undefined alias",
     lambda: _("YAML syntax error: {detail} (an alias * without its anchor &)")),
    ("found duplicate key",
     lambda: _("YAML syntax error: {detail} (a key written twice)")),
)


def _syntax_error(what: str) -> str:
    for start, message in _SYNTAX:
        if what.startswith(start):
            return message().format(detail=what)
    return _("YAML syntax error: {detail}").format(detail=what)


class _Refused(Exception):
    """A file the reader will not go on with: (0-based line, field, message)."""

    def __init__(self, line: int | None, field: str, message: str):
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


class _Builder:
    """The values of one document, built from the parser's events."""

    def __init__(self, parser: Any, resolver: Any, constructor: Any):
        self.next = parser.get_event
        self.resolver = resolver
        self.implicit: dict[str, list] = {}  # first character → (tag, pattern) of the plain scalars it may start
        self.anywhere: list = []  # the patterns for any other first character
        self.constructor = constructor
        self.anchors: dict[str, tuple[Any, int]] = {}  # name → (value, how many values it holds)
        self.open: set[str] = set()  # anchored collections still being read
        self.repeated = 0  # values repeated by aliases so far
        self.path: list[Any] = []  # the keys and indexes down to the value being read
        self.problems: list[tuple[int, str, str]] = []  # scalars that cannot be read: the file goes on

    def field(self) -> str:
        return ".".join(str(p) for p in self.path)

    def document(self) -> Any:
        self.next()  # the stream's start
        event = self.next()
        if event.__class__ is StreamEndEvent:
            return None  # an empty file
        # The patterns of the YAML version in force (known once the document starts).
        table = self.resolver.versioned_resolver
        self.implicit = {first: table.get(first, []) + table.get(None, []) for first in table if first is not None}
        self.anywhere = table.get(None, [])
        value, _size = self.node(self.next(), 1)
        self.next()  # the document's end
        event = self.next()
        if event.__class__ is not StreamEndEvent:
            raise _Refused(event.start_mark.line, "", _("YAML syntax error: expected a single document in the file, but found another document"))
        return value

    def node(self, event: Any, depth: int) -> tuple[Any, int]:
        """The value starting with ``event``, and how many values it holds (aliases expanded)."""
        kind = event.__class__
        if kind is ScalarEvent:
            value = self.scalar(event)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            return value, 1
        if kind is AliasEvent:
            return self.alias(event)
        line = event.start_mark.line
        if depth > MAX_DEPTH:
            raise _Refused(line, self.field(), _("nested more than {depth} levels deep; a dataset needs fewer than ten").format(depth=MAX_DEPTH))
        tag, anchor = event.tag, event.anchor
        if anchor is not None:
            self.open.add(anchor)
        if kind is SequenceStartEvent:
            if tag not in _SEQ_TAGS:
                raise _Refused(line, self.field(), _tag_refused(tag))
            value, size = self.sequence(line, depth)
        elif kind is MappingStartEvent:
            if tag not in _MAP_TAGS:
                raise _Refused(line, self.field(), _tag_refused(tag))
            value, size = self.mapping(line, depth)
        else:  # pragma: no cover - the parser gives nothing else here
            raise _Refused(line, self.field(), _("YAML syntax error: unexpected {what}").format(what=kind.__name__))
        if anchor is not None:
            self.open.discard(anchor)
            self.anchors[anchor] = (value, size)
        return value, size

    def alias(self, event: Any) -> tuple[Any, int]:
        name, line = event.anchor, event.start_mark.line
        if name in self.open:
            raise _Refused(line, self.field(), _("the alias *{name} refers to the value it is part of (a value cannot contain itself)").format(name=name))
        if name not in self.anchors:
            raise _Refused(line, self.field(), _("YAML syntax error: found undefined alias '{name}'").format(name=name))
        value, size = self.anchors[name]
        self.repeated += size
        if self.repeated > MAX_ALIAS_VALUES:
            raise _Refused(line, self.field(), _("aliases (*{name} and others) repeat more than {limit:,} values in this file; "
                                                 "write the values out instead").format(name=name, limit=MAX_ALIAS_VALUES))
        return value, size  # the same object again: repeated, never copied

    def scalar(self, event: Any) -> Any:
        text, tag = event.value, event.tag
        if len(text) > MAX_TEXT:
            self.problems.append((event.start_mark.line, self.field(),
                                  _("a text of {length:,} characters; at most {limit:,} (was a file pasted in?)").format(
                                      length=len(text), limit=MAX_TEXT)))
            return ""
        if tag is None or tag == "!":
            tag = self.resolve(text, event.implicit[0])
            if tag not in _SCALAR_TAGS:  # a plain '=' or '<<' as a value: text, as typed
                return text
        if tag == _STR:
            return text
        if tag == _FLOAT:
            try:
                return _typed(Number, Decimal(text.replace("_", "")), text)
            except InvalidOperation:  # .inf / .nan: left to the schema to reject
                return text
        if tag not in _SCALAR_TAGS:
            self.problems.append((event.start_mark.line, self.field(), _tag_refused(tag)))
            return text
        if tag == _INT and _DECIMAL_INT.match(text):
            return int(text)  # most integers: Python reads them as YAML does, without ruamel's detour
        node = ScalarNode(tag, text, event.start_mark, event.end_mark)
        try:
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        except Exception as e:  # noqa: BLE001 - a scalar its type cannot read (2026-02-30, !!int abc)
            self.problems.append((event.start_mark.line, self.field(), _unreadable(tag, text, e)))
            return text
        return _typed(Integer, value, text) if tag == _INT else value

    def resolve(self, text: str, plain: bool) -> str:
        """The tag of an untagged scalar: what its text looks like if plain (ruamel's
        resolver, its patterns looked up once a file rather than once a scalar)."""
        if plain:
            for tag, pattern in self.implicit.get(text[:1], self.anywhere):
                if pattern.match(text):
                    return str(tag)
        return _STR

    def sequence(self, line: int, depth: int) -> tuple[Seq, int]:
        seq = Seq()
        seq.line, seq.lines = line, []
        size = 1
        path = self.path
        while (event := self.next()).__class__ is not SequenceEndEvent:
            path.append(len(seq))
            value, n = self.node(event, depth + 1)
            path.pop()
            seq.append(value)
            seq.lines.append(event.start_mark.line)
            size += n
        return seq, size

    def mapping(self, line: int, depth: int) -> tuple[Map, int]:
        out = Map()
        out.line, out.lines = line, {}
        merged: set[Any] = set()  # keys taken from '<<: *other': a key written here replaces them
        size = 1
        path = self.path
        while (event := self.next()).__class__ is not MappingEndEvent:
            key_line = event.start_mark.line
            key, is_merge = self.key(event, depth)
            path.append("<<" if is_merge else key)
            value, n = self.node(self.next(), depth + 1)
            size += n
            if is_merge:
                self.merge(out, merged, value, key_line)
            elif key in out and key not in merged:
                raise _Refused(key_line, self.field(), _('YAML syntax error: found duplicate key "{key}"').format(key=_short(str(key))))
            else:
                merged.discard(key)
                out[key], out.lines[key] = value, key_line
            path.pop()
        return out, size

    def key(self, event: Any, depth: int) -> tuple[Any, bool]:
        if event.__class__ is ScalarEvent and (event.tag == _MERGE or (
                event.tag is None and event.value == "<<" and event.implicit[0])):
            return None, True
        if event.__class__ not in (ScalarEvent, AliasEvent):
            raise _Refused(event.start_mark.line, self.field(), _("a key must be a single text or number, not a list or mapping"))
        key, _size = self.node(event, depth + 1)
        if isinstance(key, (dict, list)):
            raise _Refused(event.start_mark.line, self.field(), _("a key must be a single text or number, not a list or mapping"))
        return key, False

    def merge(self, out: Map, merged: set[Any], value: Any, line: int) -> None:
        """'<<: *defaults' (or a list of them): their keys, unless this mapping has them."""
        for source in value if isinstance(value, Seq) else [value]:
            if not isinstance(source, Map):
                raise _Refused(line, self.field(), _("a merge key (<<) takes a mapping or a list of mappings, e.g. '<<: *defaults'"))
            for k, v in source.items():
                if k not in out:
                    out[k], out.lines[k] = v, source.lines.get(k, source.line)
                    merged.add(k)


def _parse(text: str, pure: bool) -> tuple[Any, list[tuple[int, str, str]]]:
    yaml = YAML(typ="safe", pure=pure)
    loader, parser = yaml.get_constructor_parser(text)
    if parser is loader:  # libyaml: one object parses, resolves and constructs
        builder = _Builder(parser, parser, parser)
    else:
        builder = _Builder(parser, yaml.resolver, yaml.constructor)
    try:
        return builder.document(), builder.problems
    finally:
        parser.dispose()


def _document(text: str) -> tuple[Any, list[tuple[int, str, str]]]:
    """The document's values, and the scalars in it that cannot be read."""
    try:
        return _parse(text, pure=False)
    except (YAMLError, ReaderError, ImportError, AttributeError):
        # No libyaml here, or a file it rejects: ruamel's own parser, whose error
        # messages (and treatment of escapes libyaml refuses) are the ones reported.
        # It reads a megabyte in seconds: a file far larger than a dataset's gets libyaml's.
        if len(text) > MAX_PURE_CHARS and _has_libyaml():
            raise
        return _parse(text, pure=True)


def _has_libyaml() -> bool:
    from ruamel.yaml.main import CParser

    return CParser is not None


def _read(path: Path, shown: str) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DatasetError([Problem(shown, None, "", _("file does not exist"))]) from None
    except OSError as e:
        raise DatasetError([Problem(shown, None, "", _("cannot be read: {reason}").format(reason=_os_reason(e)))]) from None
    if len(data) > MAX_FILE_BYTES:
        line = data.count(b"\n", 0, MAX_FILE_BYTES) + 1
        raise DatasetError([Problem(shown, line, "", _("the file is larger than {size} MB from this line on; "
                                                       "dataset files hold tens of KB (was a file pasted in?)").format(
                                                         size=MAX_FILE_BYTES // 2**20))])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DatasetError([Problem(shown, None, "", _("not UTF-8 text ({reason} at byte {start})").format(
            reason=e.reason, start=e.start))]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # as a file read as text


def load(path: Path, shown: str) -> Any:
    """Load one YAML file; problems name the file as ``shown``."""
    text = _read(path, shown)
    try:
        doc, unreadable = _document(text)
    except _Refused as e:
        raise DatasetError([Problem(shown, None if e.line is None else e.line + 1, e.field, e.message)]) from None
    except ReaderError as e:
        # A raw control character: the reader knows only its offset, so count the lines.
        line = text.count("\n", 0, e.position) + 1
        raise DatasetError([Problem(shown, line, "", _("contains the control character U+{code:04X}; remove it").format(
            code=e.character))]) from None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        what = (e.problem or e.context or "invalid YAML").strip()
        what = what.split(" with value ")[0]  # ruamel quotes the whole duplicated value
        raise DatasetError([Problem(shown, line, "", _syntax_error(what))]) from None
    except YAMLError as e:
        raise DatasetError([Problem(shown, None, "", _("YAML error: {error}").format(error=e))]) from None
    problems = [Problem(shown, line + 1, _printable(field), message) for line, field, message in unreadable]
    problems += [
        Problem(shown, line_of(doc, loc), _printable(".".join(str(p) for p in loc)),
                _("contains the control character(s) {codes}; remove them").format(codes=", ".join(f"U+{ord(c):04X}" for c in bad)))
        for loc, bad in _surrogates(doc)
    ]
    if problems:
        raise DatasetError(problems)
    return doc


def _printable(field: str) -> str:
    return field.encode("utf-8", "backslashreplace").decode("utf-8")


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
