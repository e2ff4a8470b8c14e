"""Check a positioned YAML tree against a JSON Schema, with messages a user can act on.

Generic (flow and persona files alike): jsonschema finds the problems, this module
says them in the file's terms, ``path:line:col: key: message``, pointing at the
offending key (unknown keys) or value (everything else), suggesting the closest
allowed key or value for a misspelling, and hinting to quote ``no``/``yes``/numbers
that YAML did not read as text. Usage::

    validator = jsonschema.Draft7Validator(schema)
    diagnostics = schema_diagnostics(root, validator, path)
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from .errors import Diagnostic, did_you_mean
from .yamlsource import (
    KeyPath,
    MapNode,
    Node,
    ScalarNode,
    describe,
    find,
    format_path,
    key_position_of,
    located,
    position_of,
    quoting_hint,
    to_python,
)

_TYPE_WORDS = {
    "string": "a string",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}
_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "greater than",
    "exclusiveMaximum": "less than",
}


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def schema_diagnostics(root: Node, validator: Validator, path: str) -> list[Diagnostic]:
    """Every schema violation in ``root``, located and sorted by position."""
    found: dict[tuple[int, int, str, str], Diagnostic] = {}
    instance: Any = to_python(root)
    for error in validator.iter_errors(instance):
        for diagnostic in _diagnose(error, root, path):
            found[(diagnostic.line, diagnostic.col, diagnostic.key, diagnostic.message)] = (
                diagnostic
            )
    return [found[k] for k in sorted(found)]


def _diagnose(error: ValidationError, root: Node, path: str) -> list[Diagnostic]:
    parts: KeyPath = tuple(error.absolute_path)
    node = find(root, parts)
    keyword = str(error.validator)
    if keyword == "additionalProperties":
        return _unknown_keys(error, root, node, parts, path)
    if keyword == "required":
        return _missing_keys(error, root, node, parts, path)
    if keyword == "dependencies":
        return _dependencies(error, root, node, parts, path)
    message = _message(keyword, error, node, parts)
    return [located(path, position_of(root, parts), format_path(parts), message)]


def _message(keyword: str, error: ValidationError, node: Node | None, parts: KeyPath) -> str:
    value: Any = error.validator_value
    if keyword == "type":
        return _type_message(value, node, parts, error.schema)
    if keyword in ("enum", "const"):
        allowed = [str(v) for v in (value if keyword == "enum" else [value])]
        shown = node.text if isinstance(node, ScalarNode) else describe(node)
        suggestion = did_you_mean(shown, allowed) if isinstance(node, ScalarNode) else ""
        hint = quoting_hint(node) if shown in allowed else ""
        return f"expected {_or_list(allowed)}, got '{shown}'{suggestion}{hint}"
    if keyword in _BOUNDS:
        shown = node.text if isinstance(node, ScalarNode) else str(error.instance)
        return f"must be {_BOUNDS[keyword]} {value}, got {shown}"
    if keyword in ("minItems", "minProperties", "minLength"):
        return "must not be empty" if value == 1 else f"needs at least {value} entries"
    if keyword == "pattern":
        return f"'{error.instance}' does not match {value}"
    return str(error.message)


def _type_message(expected: Any, node: Node | None, parts: KeyPath, schema: Any) -> str:
    names = [expected] if isinstance(expected, str) else list(expected)
    words = [_TYPE_WORDS.get(str(name), str(name)) for name in names]
    if not parts and isinstance(node, ScalarNode) and node.value is None:
        return f"the file is empty: expected {_or_list(words)}"
    bounds = schema if isinstance(schema, Mapping) else {}
    hint = quoting_hint(node) if "string" in names else _number_hint(names, node, bounds)
    where = " at the top level" if not parts else ""
    return f"expected {_or_list(words)}{where}, got {describe(node)}{hint}"


def _number_hint(names: list[str], node: Node | None, bounds: Mapping[str, Any]) -> str:
    """YAML 1.1 reads a number with an exponent as a number only with a dot and a signed
    exponent (1.0e+6, 2.5e-3): 1e6 and 1.0e6 are text. Says what to write instead: that
    form, or a whole number's digits; or, when the number would be refused as well (not
    whole, out of range), what the key takes."""
    if not {"number", "integer"} & set(names) or not isinstance(node, ScalarNode):
        return ""
    found = _EXPONENT.fullmatch(node.text) if node.plain and isinstance(node.value, str) else None
    if found is None or not (found["whole"] or found["fraction"]):
        return ""
    sign, whole, fraction, e, exponent_sign, exponent = found.groups()
    suggested = f"{sign}{whole or '0'}.{fraction or '0'}{e}{exponent_sign or '+'}{exponent}"
    value = Decimal(suggested.replace("_", ""))
    whole_only = "number" not in names
    if not _within(value, bounds) or (whole_only and value != value.to_integral_value()):
        return (f"; YAML reads {node.value} as text, and as a number it would not be "
                f"{_expected(whole_only, bounds)} either")
    if whole_only:  # its digits, unless there are too many to write out here
        suggested = str(int(value)) if abs(value) < _DIGITS_SHOWN else "it in digits"
    return f"; YAML reads {node.value} as text: write {suggested}"


def _within(value: Decimal, bounds: Mapping[str, Any]) -> bool:
    """Whether ``value`` meets the schema's numeric bounds (those it has)."""
    return all(
        meets(value, Decimal(str(bounds[key])))
        for key, meets in _BOUND_CHECKS.items()
        if key in bounds
    )


def _expected(whole_only: bool, bounds: Mapping[str, Any]) -> str:
    """What a number key takes, in words: "a whole number from 1 to 1000"."""
    kind = "a whole number" if whole_only else "a number"
    if "minimum" in bounds and "maximum" in bounds:
        return f"{kind} from {bounds['minimum']:g} to {bounds['maximum']:g}"
    limits = [f"{_BOUNDS[key]} {bounds[key]:g}" for key in _BOUNDS if key in bounds]
    return " ".join([kind, " and ".join(limits)]) if limits else kind


_BOUND_CHECKS = {
    "minimum": operator.ge,
    "maximum": operator.le,
    "exclusiveMinimum": operator.gt,
    "exclusiveMaximum": operator.lt,
}
# Whole numbers from here on are not written out in a hint.
_DIGITS_SHOWN = Decimal(10) ** 30
# A number with an exponent that YAML 1.1 did not read as one.
_EXPONENT = re.compile(r"([-+]?)(?P<whole>\d[\d_]*)?(?:\.(?P<fraction>[\d_]*))?([eE])([-+]?)(\d+)")


def _unknown_keys(
    error: ValidationError, root: Node, node: Node | None, parts: KeyPath, path: str
) -> list[Diagnostic]:
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    known = sorted(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    keys = node.keys() if isinstance(node, MapNode) else ()
    out = []
    for key in keys:
        if key in known or any(re.search(p, key) for p in patterns):
            continue
        suggestion = did_you_mean(key, known)
        if not suggestion and known:
            suggestion = f" (expected one of: {', '.join(known)})"
        key_parts = (*parts, key)
        out.append(
            located(
                path,
                key_position_of(root, key_parts),
                format_path(key_parts),
                f"unknown key '{key}'{suggestion}",
            )
        )
    return out


def _missing_keys(
    error: ValidationError, root: Node, node: Node | None, parts: KeyPath, path: str
) -> list[Diagnostic]:
    present = set(node.keys()) if isinstance(node, MapNode) else set()
    value: Any = error.validator_value
    required = [str(name) for name in value]
    where = position_of(root, parts)
    return [
        located(path, where, format_path(parts), f"missing required key '{name}'")
        for name in required
        if name not in present
    ]


def _dependencies(
    error: ValidationError, root: Node, node: Node | None, parts: KeyPath, path: str
) -> list[Diagnostic]:
    present = set(node.keys()) if isinstance(node, MapNode) else set()
    out = []
    value: Any = error.validator_value
    for key, needs in dict(value).items():
        if key not in present or not isinstance(needs, list):
            continue
        for need in needs:
            if need not in present:
                key_parts = (*parts, str(key))
                out.append(
                    located(
                        path,
                        key_position_of(root, key_parts),
                        format_path(key_parts),
                        f"'{key}' needs '{need}' as well",
                    )
                )
    return out
