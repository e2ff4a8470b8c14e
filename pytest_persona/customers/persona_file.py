"""``*.persona.yaml`` files: a custom persona as a built-in one with parameters changed.

    persona: rushed-commuter
    base: impatient            # a built-in; default plain
    description: Types on the train.
    char_error_rate: 0.02
    patience: [0.3, 0.6, 1.0]

Mistakes are FlowErrors located as ``path:line:col: key: message``, with the closest
parameter name suggested for a misspelt one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import jsonschema

from ..flow.errors import Diagnostic, FlowError
from ..flow.yamlschema import schema_diagnostics
from ..flow.yamlsource import MapNode, parse_yaml, position_of, read_yaml_file, to_python
from .persona_checks import persona_problems
from .personas import (
    BUILTIN_PERSONAS,
    NAME_PATTERN,
    PARAMETERS,
    STYLES,
    Persona,
    parameter_doc,
)

_OWN_KEYS = ("persona", "base", "description")
# Parameters checked together: a problem points at whichever of them the file sets.
_RELATED = (
    ("substitution_share", "omission_share", "insertion_share", "transposition_share",
     "char_error_rate"),
    ("length_cap", "length_median"),
)  # fmt: skip


def _parameter_schema(name: str) -> dict[str, Any]:
    kind = str(PARAMETERS[name].type)
    doc = parameter_doc(name)
    if name == "style":
        return {"enum": list(STYLES), "description": doc}
    if name == "patience":
        item = {"type": "number", "minimum": 0, "maximum": 1}
        return {"type": "array", "items": item, "minItems": 1, "description": doc}
    if kind == "bool":
        return {"type": "boolean", "description": doc}
    if kind == "int | None":
        return {"type": ["integer", "null"], "minimum": 1, "description": doc}
    if kind == "int":
        return {"type": "integer", "minimum": 1, "description": doc}
    if kind == "str":
        return {"type": "string", "description": doc}
    return {"type": "number", "minimum": 0, "maximum": 1, "description": doc}


def persona_schema() -> dict[str, Any]:
    """The draft-07 JSON Schema of a persona file (editors can use it too)."""
    properties: dict[str, Any] = {
        "persona": {"type": "string", "pattern": NAME_PATTERN.pattern},
        "base": {"enum": list(BUILTIN_PERSONAS)},
        "description": {"type": "string"},
    }
    for name in PARAMETERS:
        if name not in ("name", "description"):
            properties[name] = _parameter_schema(name)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "pytest-persona persona file",
        "type": "object",
        "required": ["persona"],
        "additionalProperties": False,
        "properties": properties,
    }


_VALIDATOR = jsonschema.Draft7Validator(persona_schema())


def load_persona_file(path: str | os.PathLike[str]) -> Persona:
    """Reads one persona file; FlowError (``path:line:col: key: message``) when unusable."""
    text, _ = read_yaml_file(str(path))
    return parse_persona(text, str(path))


def parse_persona(text: str, path: str = "<string>") -> Persona:
    root = parse_yaml(text, path)
    if not isinstance(root, MapNode):
        where = position_of(root, ())
        raise FlowError(
            Diagnostic(path, where.line, where.col, "", "a persona file is a mapping of keys")
        )
    problems = schema_diagnostics(root, _VALIDATOR, path)
    if problems:
        raise FlowError(problems)
    data = to_python(root)
    assert isinstance(data, dict)
    base = BUILTIN_PERSONAS[str(data.get("base", "plain"))]
    fields: dict[str, Any] = {key: value for key, value in data.items() if key not in _OWN_KEYS}
    fields["name"] = data["persona"]
    if "description" in data:
        fields["description"] = data["description"]
    elif "base" in data:
        fields["description"] = f"{base.description} (from {base.name})"
    try:
        return base.with_overrides(**fields)
    except ValueError:
        raise FlowError(_cross_field_problems(root, base, fields, path)) from None


def _cross_field_problems(
    root: MapNode, base: Persona, fields: Mapping[str, Any], path: str
) -> list[Diagnostic]:
    """Locates problems that only show in combination (slip shares that do not sum to 1)."""
    candidate = object.__new__(Persona)
    for name in PARAMETERS:
        object.__setattr__(candidate, name, fields.get(name, getattr(base, name)))
    found: list[Diagnostic] = []
    for key, message in persona_problems(candidate) or [("persona", "invalid persona")]:
        related = next((group for group in _RELATED if key in group), (key,))
        written = next((k for k in related if k in fields), "persona")
        parts = ("persona",) if written == "name" else (written,)
        where = position_of(root, parts)
        found.append(Diagnostic(path, where.line, where.col, written, message))
    return found


def name_error(path: str | os.PathLike[str], message: str) -> FlowError:
    """A problem with the name a persona file gives (taken by a built-in or by another
    file), located at its ``persona:`` value."""
    name = str(path)
    try:
        where = position_of(parse_yaml(read_yaml_file(name)[0], name), ("persona",))
        line, col = where.line, where.col
    except FlowError:  # the file changed since it was loaded: its start will do
        line, col = 1, 1
    return FlowError(Diagnostic(name, line, col, "persona", message))
