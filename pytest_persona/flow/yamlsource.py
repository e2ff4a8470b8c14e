"""YAML text to a small tree that remembers where every key and value was written.

Generic: flow files and persona files both go through it, so both report mistakes
as ``path:line:col: key: message`` (a :class:`FlowError`). Use it like this::

    text = decode_yaml_bytes(data, path)     # or read_yaml_file(path) -> (text, bytes)
    root = parse_yaml(text, path)            # MapNode | SeqNode | ScalarNode
    root.get("steps")                        # MapNode lookup keeps key positions
    position_of(root, ("steps", "greet", "say"))
    to_python(root)                          # plain dicts/lists for jsonschema

Why not ``yaml.safe_load``: it drops duplicate keys silently, forgets positions,
recurses once per nesting level and expands aliases without limit. Here events
from PyYAML's parser (libyaml when available) are composed with an explicit stack,
so that:

- duplicate keys are errors (every one is reported);
- nesting deeper than ``max_depth`` collections is an error, counted on the
  expanded tree, and ``RecursionError`` never escapes;
- at most ``max_nodes`` values may exist once aliases are expanded (an alias
  counts as a full copy of what it points to), which stops "billion laughs";
- the text may be at most ``max_bytes`` UTF-8 bytes (1,000,000 by default);
- mapping keys are always strings, exactly as written (``yes:`` is the key
  ``"yes"``, ``1:`` is ``"1"``); complex keys are errors;
- scalars resolve as YAML 1.1 does (so ``no`` is ``False``), except timestamps,
  which stay text; a scalar keeps its source text and whether it was plain, so
  callers can hint "quote it" when ``no`` was meant as text;
- merge keys (``<<: *base``) work; explicit keys win over merged ones;
- only the standard tags (str, int, float, bool, null, map, seq) are accepted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NoReturn

import yaml

from .errors import Diagnostic, FlowError
from .model import Position
from .yamlcompose import (
    Composer,
    Entry,
    KeyPath,
    MapNode,
    Node,
    PathPart,
    ScalarNode,
    SeqNode,
    clip,
    describe_event_error,
    format_path,
    position_in,
)

MAX_BYTES = 1_000_000
MAX_DEPTH = 64
MAX_NODES = 50_000

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Entry",
    "KeyPath",
    "MapNode",
    "Node",
    "PathPart",
    "ScalarNode",
    "SeqNode",
    "decode_yaml_bytes",
    "describe",
    "find",
    "format_path",
    "key_position_of",
    "located",
    "nearest_position",
    "parse_yaml",
    "position_of",
    "positions",
    "quoting_hint",
    "read_yaml_file",
    "to_python",
]

_START = Position(1, 1)


def located(path: str, pos: Position, key: str, message: str) -> Diagnostic:
    return Diagnostic(path=path, line=pos.line, col=pos.col, key=key, message=message)


def _fail(path: str, pos: Position, message: str, key: str = "") -> FlowError:
    return FlowError(located(path, pos, key, message))


def decode_yaml_bytes(data: bytes, path: str, *, max_bytes: int = MAX_BYTES) -> str:
    """UTF-8 bytes to text; too big, binary or undecodable input is a FlowError."""
    if len(data) > max_bytes:
        _too_big(path, max_bytes)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(path, _START, "UTF-16 text: save the file as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        prefix = data[:nul].decode("utf-8", errors="replace")
        raise _fail(
            path,
            position_in(prefix, len(prefix)),
            "binary data (a NUL byte): not a YAML text file",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        message = f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        raise _fail(path, position_in(prefix, len(prefix)), message) from None


def _too_big(path: str, max_bytes: int) -> NoReturn:
    raise _fail(path, _START, f"file too large: over {max_bytes:,} bytes")


def read_yaml_file(path: str, *, max_bytes: int = MAX_BYTES) -> tuple[str, bytes]:
    """Read and decode a YAML file without ever reading more than ``max_bytes + 1``."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise _fail(path, _START, f"cannot read the file: {exc.strerror or exc}") from None
    return decode_yaml_bytes(data, path, max_bytes=max_bytes), data


def _loader() -> type[yaml.SafeLoader] | type[yaml.CSafeLoader]:
    loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
        yaml, "CSafeLoader", yaml.SafeLoader
    )
    return loader


def _events(text: str) -> Iterator[yaml.Event]:
    return yaml.parse(text, Loader=_loader())


def parse_yaml(
    text: str,
    path: str = "<string>",
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    max_nodes: int = MAX_NODES,
) -> Node:
    """Parse one YAML document into a positioned tree; an empty text is a null scalar at 1:1.

    Raises FlowError for syntax errors, duplicate keys (all of them), input over the
    limits, unsupported tags and more than one document.
    """
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise _fail(path, position_in(text, exc.start), "text is not valid Unicode") from None
    if size > max_bytes:
        _too_big(path, max_bytes)
    composer = Composer(path, max_depth=max_depth, max_nodes=max_nodes)
    try:
        for event in _events(text):
            composer.feed(event)
    except yaml.YAMLError as exc:
        where, message = describe_event_error(exc, text)
        raise _fail(path, where, message, clip(format_path(composer.open_path()), 80)) from None
    except RecursionError:
        raise _fail(path, _START, f"nested too deeply (over {max_depth} levels)") from None
    return composer.result()


def find(root: Node, parts: KeyPath) -> Node | None:
    """The node at a key path, or None when the path does not exist."""
    node: Node | None = root
    for part in parts:
        if isinstance(node, MapNode) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, SeqNode) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
        else:
            return None
    return node


def position_of(root: Node, parts: KeyPath) -> Position:
    """Where the thing at ``parts`` is written: a scalar value itself, else the key naming it.

    A list item is its own start. Missing paths fall back to the nearest existing parent.
    """
    for cut in range(len(parts), 0, -1):
        parent = find(root, parts[: cut - 1])
        last = parts[cut - 1]
        if isinstance(parent, MapNode) and isinstance(last, str):
            entry = parent.entry(last)
            if entry is not None:
                return entry.value.pos if isinstance(entry.value, ScalarNode) else entry.key_pos
        items = parent.items if isinstance(parent, SeqNode) else ()
        if isinstance(last, int) and 0 <= last < len(items):
            return items[last].pos
    return root.pos


def key_position_of(root: Node, parts: KeyPath) -> Position:
    """Where the key at the end of ``parts`` is written (for unknown or duplicate keys)."""
    parent = find(root, parts[:-1])
    if parts and isinstance(parent, MapNode) and isinstance(parts[-1], str):
        entry = parent.entry(parts[-1])
        if entry is not None:
            return entry.key_pos
    return position_of(root, parts)


def positions(root: Node) -> dict[str, Position]:
    """Every dotted key path in the tree -> :func:`position_of` that path."""
    found: dict[str, Position] = {}
    stack: list[tuple[KeyPath, Node]] = [((), root)]
    while stack:
        parts, node = stack.pop()
        children: list[tuple[PathPart, Node, Position]] = []
        if isinstance(node, MapNode):
            children = [(e.key, e.value, e.key_pos) for e in node.entries]
        elif isinstance(node, SeqNode):
            children = [(i, item, item.pos) for i, item in enumerate(node.items)]
        for part, child, key_pos in children:
            child_parts = (*parts, part)
            found[format_path(child_parts)] = (
                child.pos if isinstance(child, ScalarNode) else key_pos
            )
        stack.extend(((*parts, part), child) for part, child, _ in reversed(children))
    return found


def nearest_position(found: Mapping[str, Position], key: str) -> Position:
    """The position of a dotted key, else of its nearest known parent, else 1:1."""
    probe = key
    while probe and probe not in found:
        cut = max(probe.rfind("."), probe.rfind("["))
        probe = probe[:cut] if cut > 0 else ""
    return found.get(probe, _START)


def to_python(node: Node) -> object:
    """Plain dicts, lists and scalars (aliases expanded; bounded by the parse limits)."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SeqNode):
        return [to_python(item) for item in node.items]
    return {entry.key: to_python(entry.value) for entry in node.entries}


def describe(node: Node | None) -> str:
    """What a value is, in a user's words: "a list", "the boolean no", "nothing"."""
    if node is None:
        return "nothing"
    if isinstance(node, MapNode):
        return "a mapping"
    if isinstance(node, SeqNode):
        return "a list"
    value = node.value
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {node.text}" if node.plain else "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {node.text}"
    return "a string"


def quoting_hint(node: Node | None) -> str:
    """A hint to quote an unquoted scalar that YAML did not read as text."""
    if not isinstance(node, ScalarNode) or not node.plain or isinstance(node.value, str):
        return ""
    if isinstance(node.value, bool):
        return (
            f"; YAML 1.1 reads unquoted {node.text} as a boolean:"
            f' write "{node.text}" (quoted) if you mean the text'
        )
    if node.value is None:
        return ""
    return f'; write "{node.text}" (quoted) if you mean the text'
