"""Load a ``*.flow.yaml`` file into the frozen :class:`Flow`, or say exactly what is wrong.

The stages, each stopping the line when it finds errors in what the next one needs:

1. bytes to text and text to a positioned tree (:mod:`yamlsource`): size, encoding,
   YAML syntax, duplicate keys, depth and alias limits;
2. structure against ``flow.schema.json`` (:mod:`yamlschema`), the same draft-07
   schema editors use through ``# yaml-language-server: $schema=...``; broken
   structure stops here;
3. the model (:mod:`flowbuild`): shorthands expanded, cross-key rules checked;
4. the whole flow (:mod:`lint`): references, reachability, loops, goals, patterns,
   plus warnings. Stages 3 and 4 report together, so one run lists every mistake.

Every finding is a :class:`Diagnostic`; errors are raised together as one FlowError
whose text starts ``path:line:col:``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft7Validator

from .errors import Diagnostic, FlowError
from .flowbuild import FlowBuilder
from .lint import completed_ends, lint, reachable_steps
from .model import Flow, Goal
from .yamlschema import schema_diagnostics
from .yamlsource import MapNode, decode_yaml_bytes, parse_yaml, read_yaml_file

SCHEMA_FILE = "flow.schema.json"

__all__ = [
    "SCHEMA_FILE",
    "check_flow",
    "check_flow_bytes",
    "check_flow_text",
    "content_hash",
    "flow_schema",
    "load_flow",
    "load_flow_text",
    "schema_path",
]


def schema_path() -> str:
    """Where the shipped schema lives (for the ``yaml-language-server`` modeline)."""
    return str(resources.files(__package__).joinpath(SCHEMA_FILE))


@cache
def flow_schema() -> dict[str, Any]:
    """The draft-07 JSON Schema of a flow file, as shipped in the package."""
    loaded: dict[str, Any] = json.loads(
        resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    )
    return loaded


@cache
def _validator() -> Draft7Validator:
    return Draft7Validator(_inlined(flow_schema(), flow_schema()["definitions"]))


def _inlined(node: Any, definitions: dict[str, Any]) -> Any:
    """The schema with each local ``$ref`` replaced by its definition.

    Same meaning (the schema has no recursion), but jsonschema no longer resolves a
    reference for every list item, which made large flows several times slower.
    """
    if isinstance(node, list):
        return [_inlined(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/definitions/"):
        return _inlined(definitions[ref.removeprefix("#/definitions/")], definitions)
    return {key: _inlined(value, definitions) for key, value in node.items()}


def content_hash(data: bytes) -> str:
    """The hash history uses to notice that a flow file changed."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load_flow(path: str | os.PathLike[str]) -> Flow:
    """Load and check a flow file; raises FlowError listing every error found."""
    flow, diagnostics = check_flow(path)
    return _raise_or(flow, diagnostics)


def load_flow_text(text: str, path: str = "<string>") -> Flow:
    """Load a flow from text (``path`` is only used in messages and ``Flow.path``)."""
    flow, diagnostics = check_flow_text(text, path)
    return _raise_or(flow, diagnostics)


def check_flow(path: str | os.PathLike[str]) -> tuple[Flow | None, list[Diagnostic]]:
    """Errors and warnings for a flow file; the Flow is None when there is any error."""
    name = os.fspath(path)
    try:
        text, data = read_yaml_file(name)
    except FlowError as exc:
        return None, list(exc.diagnostics)
    return _check(text, data, name)


def check_flow_text(text: str, path: str = "<string>") -> tuple[Flow | None, list[Diagnostic]]:
    """Like :func:`check_flow`, for text already in memory."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode("utf-8", errors="surrogatepass")
    return _check(text, data, path)


def check_flow_bytes(data: bytes, path: str = "<bytes>") -> tuple[Flow | None, list[Diagnostic]]:
    """Like :func:`check_flow`, for a file's bytes already in memory."""
    try:
        text = decode_yaml_bytes(data, path)
    except FlowError as exc:
        return None, list(exc.diagnostics)
    return _check(text, data, path)


def _raise_or(flow: Flow | None, diagnostics: list[Diagnostic]) -> Flow:
    if flow is None:
        raise FlowError([d for d in diagnostics if d.severity == "error"])
    return flow


def _check(text: str, data: bytes, path: str) -> tuple[Flow | None, list[Diagnostic]]:
    try:
        root = parse_yaml(text, path)
    except FlowError as exc:
        return None, list(exc.diagnostics)
    structure = schema_diagnostics(root, _validator(), path)
    if structure or not isinstance(root, MapNode):
        return None, structure
    builder = FlowBuilder(root, path)
    flow = _with_default_goals(builder.build(content_hash(data)))
    findings = [*builder.errors, *lint(flow)]
    if any(d.severity == "error" for d in findings):
        return None, sorted(findings, key=lambda d: (d.severity != "error", d.line, d.col))
    return flow, findings


def _with_default_goals(flow: Flow) -> Flow:
    """Explicit goals stay; otherwise one goal per reachable ``end: completed`` step."""
    if flow.goals:
        return flow
    reachable = reachable_steps(flow)
    goals = tuple(Goal(end=name) for name in completed_ends(flow) if name in reachable)
    return dataclasses.replace(flow, goals=goals, default_goals=True)
