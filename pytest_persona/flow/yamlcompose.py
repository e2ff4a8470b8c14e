"""The positioned YAML tree and the bounded composer that builds it from parser events.

Kept apart from :mod:`yamlsource` (the public face) so each module stays small. The
composer is iterative (an explicit stack, never recursion) and checks every limit as
events arrive, so a hostile file is rejected before it is fully read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn

import yaml

from .errors import Diagnostic, FlowError
from .model import Position

Scalar = str | int | float | bool | None
PathPart = str | int
KeyPath = tuple[PathPart, ...]

_TAG = "tag:yaml.org,2002:"
_TEXT_TAGS = frozenset({_TAG + "str", _TAG + "timestamp", _TAG + "value", _TAG + "merge"})
_MAP_TAGS = frozenset({None, "!", _TAG + "map"})
_SEQ_TAGS = frozenset({None, "!", _TAG + "seq"})
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, eq=False)
class ScalarNode:
    """A scalar: its resolved value, the text as written, and whether it was unquoted."""

    value: Scalar
    text: str
    plain: bool
    pos: Position
    size: int = 1
    height: int = 0


@dataclass(frozen=True, eq=False)
class SeqNode:
    items: tuple[Node, ...]
    pos: Position
    size: int = 1
    height: int = 1


@dataclass(frozen=True, eq=False)
class Entry:
    key: str
    key_pos: Position
    value: Node


@dataclass(frozen=True, eq=False)
class MapNode:
    """A mapping in file order (merged keys first); keys are unique strings."""

    entries: tuple[Entry, ...]
    pos: Position
    size: int = 1
    height: int = 1

    def entry(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None

    def get(self, key: str) -> Node | None:
        found = self.entry(key)
        return None if found is None else found.value

    def keys(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.entries)

    def __contains__(self, key: object) -> bool:
        return any(entry.key == key for entry in self.entries)


Node = ScalarNode | SeqNode | MapNode


def format_path(parts: KeyPath) -> str:
    """``("steps", "confirm", "routes", 1, "goto")`` -> ``steps.confirm.routes[1].goto``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def clip(text: str, limit: int = 40) -> str:
    """Text short enough to quote in a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def position_in(text: str, offset: int) -> Position:
    """The line and column (from 1) of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return Position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def mark_position(mark: object) -> Position:
    line = getattr(mark, "line", 0)
    col = getattr(mark, "column", 0)
    return Position(int(line) + 1, int(col) + 1)


def _construct(tag: str, text: str) -> Scalar:
    """A plain or explicitly tagged scalar's value; ValueError when it is not valid."""
    if tag in _TEXT_TAGS:
        return text
    node = yaml.ScalarNode(tag, text)
    try:
        if tag == _TAG + "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == _TAG + "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
    except (KeyError, ValueError, OverflowError) as exc:
        raise ValueError(f"{clip(text)!r} is not a valid {tag.removeprefix(_TAG)}") from exc
    if tag == _TAG + "null":
        return None
    raise ValueError(f"unsupported YAML tag {tag}")


@dataclass
class _Frame:
    """A mapping or sequence still being composed."""

    is_map: bool
    pos: Position
    anchor: str | None
    path: KeyPath
    items: list[Node] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    seen: dict[str, Position] = field(default_factory=dict)
    key: ScalarNode | None = None
    merges: list[tuple[ScalarNode, Node]] = field(default_factory=list)
    size: int = 1
    height: int = 1

    def child_path(self) -> KeyPath:
        if not self.is_map:
            return (*self.path, len(self.items))
        return self.path if self.key is None else (*self.path, self.key.text)


class Composer:
    """Builds the tree from events, enforcing the depth, size and duplicate-key rules."""

    def __init__(self, path: str, *, max_depth: int, max_nodes: int) -> None:
        self._path = path
        self._max_depth = max_depth
        self._max_nodes = max_nodes
        self._stack: list[_Frame] = []
        self._anchors: dict[str, Node] = {}
        self._root: Node | None = None
        self._documents = 0
        self._count = 0
        self._duplicates: list[Diagnostic] = []

    def where(self) -> KeyPath:
        """The key path the next value would get (for locating syntax errors)."""
        return self._stack[-1].child_path() if self._stack else ()

    def open_path(self) -> KeyPath:
        """The key path of the innermost collection still open (for syntax errors)."""
        return self._stack[-1].path if self._stack else ()

    def result(self) -> Node:
        if self._duplicates:
            raise FlowError(self._duplicates)
        root = self._root
        if root is None or (isinstance(root, ScalarNode) and root.value is None and not root.text):
            return ScalarNode(None, "", True, Position(1, 1))  # nothing written: say so at 1:1
        return root

    def feed(self, event: yaml.Event) -> None:
        pos = mark_position(getattr(event, "start_mark", None))
        if isinstance(event, yaml.ScalarEvent):
            self._count_nodes(1, pos)
            self._add(self._scalar(event, pos), event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event, pos)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._open(event, pos)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self._close()
        elif isinstance(event, yaml.DocumentStartEvent):
            self._documents += 1
            if self._documents > 1:
                self._fail(pos, "a second YAML document ('---'): a file holds exactly one")

    def _fail(self, pos: Position, message: str) -> NoReturn:
        where = clip(format_path(self.where()), 80)
        raise FlowError(Diagnostic(self._path, pos.line, pos.col, where, message))

    def _count_nodes(self, count: int, pos: Position) -> None:
        self._count += count
        if self._count > self._max_nodes:
            self._fail(pos, f"too many values: over {self._max_nodes:,} once aliases are expanded")

    def _scalar(self, event: yaml.ScalarEvent, pos: Position) -> ScalarNode:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, event.implicit
            )
        try:
            value = _construct(tag, event.value)
        except ValueError as exc:
            self._fail(pos, str(exc))
        plain = event.style is None or event.style == ""
        return ScalarNode(value, event.value, plain and event.tag is None, pos)

    def _alias(self, event: yaml.AliasEvent, pos: Position) -> None:
        node = self._anchors.get(event.anchor or "")
        if node is None:
            self._fail(pos, f"unknown alias *{event.anchor} (define &{event.anchor} before it)")
        if len(self._stack) + node.height > self._max_depth:
            self._fail(pos, f"nested too deeply: over {self._max_depth} levels")
        self._count_nodes(node.size, pos)
        self._add(node, None)

    def _open(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent, pos: Position) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
            self._fail(pos, f"unsupported YAML tag {event.tag}")
        if len(self._stack) >= self._max_depth:
            self._fail(pos, f"nested too deeply: over {self._max_depth} levels")
        self._count_nodes(1, pos)
        if self._stack and self._stack[-1].is_map and self._stack[-1].key is None:
            self._fail(pos, "a key must be a plain name, not a list or a mapping")
        self._stack.append(_Frame(is_map, pos, event.anchor, self.where()))

    def _close(self) -> None:
        frame = self._stack.pop()
        node: Node
        if frame.is_map:
            entries = self._merged(frame) + frame.entries
            node = MapNode(tuple(entries), frame.pos, frame.size, frame.height)
        else:
            node = SeqNode(tuple(frame.items), frame.pos, frame.size, frame.height)
        self._add(node, frame.anchor)

    def _merged(self, frame: _Frame) -> list[Entry]:
        """Entries brought in by ``<<`` keys; explicit keys and earlier merges win."""
        taken = set(frame.seen)
        merged: list[Entry] = []
        for key, source in frame.merges:
            sources = source.items if isinstance(source, SeqNode) else (source,)
            for mapping in sources:
                if not isinstance(mapping, MapNode):
                    self._fail(key.pos, "'<<' (merge) needs a mapping or a list of mappings")
                for entry in mapping.entries:
                    if entry.key not in taken:
                        taken.add(entry.key)
                        merged.append(entry)
        return merged

    def _add(self, node: Node, anchor: str | None) -> None:
        if anchor:
            self._anchors[anchor] = node
        if not self._stack:
            self._root = node
            return
        top = self._stack[-1]
        top.size += node.size
        top.height = max(top.height, node.height + 1)
        if not top.is_map:
            top.items.append(node)
        elif top.key is None:
            self._add_key(top, node)
        else:
            self._add_value(top, top.key, node)

    def _add_key(self, top: _Frame, node: Node) -> None:
        if not isinstance(node, ScalarNode):
            self._fail(node.pos, "a key must be a plain name, not a list or a mapping")
        top.key = node

    def _add_value(self, top: _Frame, key: ScalarNode, node: Node) -> None:
        top.key = None
        if key.plain and key.text == "<<":
            top.merges.append((key, node))
            return
        first = top.seen.get(key.text)
        if first is not None:
            message = f"duplicate key '{key.text}' (first at line {first.line})"
            where = format_path((*top.path, key.text))
            self._duplicates.append(
                Diagnostic(self._path, key.pos.line, key.pos.col, where, message)
            )
            return
        top.seen[key.text] = key.pos
        top.entries.append(Entry(key.text, key.pos, node))


def describe_event_error(exc: yaml.YAMLError, text: str) -> tuple[Position, str]:
    """Where a PyYAML/libyaml error happened and what to tell the user."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
        if exc.context and exc.problem and exc.context_mark is not None:
            start = mark_position(exc.context_mark)
            message += f" ({exc.context} at line {start.line}, column {start.col})"
        where = mark_position(mark)
        lines = text.splitlines()
        if (
            0 < where.line <= len(lines)
            and lines[where.line - 1][where.col - 1 : where.col] == "\t"
        ):
            message += "; this is a tab: indent YAML with spaces"
        return where, message
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        found = text.find(chr(char)) if isinstance(char, int) and 0 <= char < 0x110000 else -1
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        where = position_in(text, found if found >= 0 else 0)
        return where, f"unacceptable character {shown} ({exc.reason}): not YAML text"
    return Position(1, 1), f"YAML error: {exc}"
