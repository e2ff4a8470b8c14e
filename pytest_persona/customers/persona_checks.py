"""Checking persona parameters: types for values read from files, ranges, suggestions.

Kept apart from the ``Persona`` dataclass so the class reads as the list of parameters;
it works on any persona-shaped dataclass and never imports ``personas``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any, Literal

from ..flow.errors import did_you_mean

Style = Literal["terse", "casual", "formal", "chatty"]
STYLES: tuple[Style, ...] = ("terse", "casual", "formal", "chatty")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_INT_FIELDS = ("repeat_request_words", "repeat_request_long_words")
_OPTIONAL_INT_FIELDS = frozenset({"length_median", "length_cap"})
_BOOL_FIELDS = frozenset({"contractions", "front_load_buried"})
_STR_FIELDS = frozenset({"name", "description", "style"})
_MIX_FIELDS = ("substitution_share", "omission_share", "insertion_share", "transposition_share")


def coerce_parameter(name: str, value: Any) -> Any:
    """Turns a value read from YAML or a keyword into the field's type, or raises ValueError."""
    if name in _STR_FIELDS:
        if not isinstance(value, str):
            raise ValueError(f"{name}: expected a string, got {type(value).__name__}")
        return value
    if name in _BOOL_FIELDS:
        if not isinstance(value, bool):
            raise ValueError(f"{name}: expected true or false, got {value!r}")
        return value
    if name == "patience":
        if not isinstance(value, (list, tuple)) or not value:
            raise ValueError("patience: expected a non-empty list of probabilities")
        return tuple(_number(name, item) for item in value)
    if name in _OPTIONAL_INT_FIELDS and value is None:
        return None
    if name in _INT_FIELDS or name in _OPTIONAL_INT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name}: expected a whole number, got {value!r}")
        return value
    return _number(name, value)


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name}: expected a number, got {value!r}")
    return float(value)


def persona_problems(persona: Any) -> list[tuple[str, str]]:
    """Every invalid parameter as (name, message); empty when the persona is usable."""
    problems: list[tuple[str, str]] = []
    if not NAME_PATTERN.match(persona.name):
        problems.append(("name", f"{persona.name!r} must match [a-z0-9][a-z0-9_-]*"))
    if persona.style not in STYLES:
        problems.append(
            (
                "style",
                f"{persona.style!r} is not one of {', '.join(STYLES)}"
                f"{did_you_mean(str(persona.style), STYLES)}",
            )
        )
    for spec in dataclasses.fields(persona):
        key = spec.name
        value = getattr(persona, key)
        if spec.type in ("float", float) and not (
            isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0
        ):
            problems.append((key, f"{value!r} is not a probability in [0, 1]"))
    for key in _INT_FIELDS:
        if getattr(persona, key) < 1:
            problems.append((key, "must be at least 1"))
    if persona.length_median is not None and persona.length_median < 1:
        problems.append(("length_median", "must be at least 1"))
    if persona.length_cap is not None and persona.length_cap < max(1, persona.length_median or 1):
        problems.append(("length_cap", "must be at least 1 and at least length_median"))
    mix = sum(getattr(persona, key) for key in _MIX_FIELDS)
    if persona.char_error_rate > 0 and not math.isclose(mix, 1.0, abs_tol=1e-6):
        problems.append(("substitution_share", f"the four slip shares sum to {mix:g}, not 1"))
    if not persona.patience or any(not 0.0 <= p <= 1.0 for p in persona.patience):
        problems.append(("patience", "must be a non-empty list of probabilities in [0, 1]"))
    return problems
