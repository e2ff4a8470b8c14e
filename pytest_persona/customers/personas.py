"""Persona parameters, the built-in personas as data, and the registry of names.

Every behaviour of a simulated customer is a documented field here; the voice, the
typo model and the customer read fields, never a persona's name, so a custom persona
(a ``*.persona.yaml`` file or the plugin hook) is just other values.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Style = Literal["terse", "casual", "formal", "chatty"]
STYLES: tuple[Style, ...] = ("terse", "casual", "formal", "chatty")
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _p(default: Any, doc: str) -> Any:
    """A field with its documentation kept in the metadata (docs and file errors show it)."""
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Persona:
    """One kind of customer. Probabilities are in [0, 1]; defaults are a neutral customer."""

    name: str = _p("custom", "the persona's name: [a-z0-9][a-z0-9_-]*")
    description: str = _p("", "one line for reports")
    # --- content: what is said -------------------------------------------------------
    style: Style = _p(
        "casual",
        "which phrase pools pleasantries, padding, slot frames and off-topic remarks come "
        "from: terse, casual, formal or chatty",
    )
    length_median: int | None = _p(
        None, "median words per message (None: as long as the base phrase)"
    )
    length_cap: int | None = _p(None, "most words per message, slot values aside (None: no cap)")
    length_spread: float = _p(0.35, "log-normal spread of the message length around the median")
    front_load: float = _p(0.0, "probability of giving every known detail in the first message")
    front_load_buried: bool = _p(
        False, "front-loaded details sit inside a longer sentence rather than at the end"
    )
    bare_value: float = _p(0.5, "probability of giving a slot value alone ('48213')")
    plain_words: float = _p(
        0.0, "probability of saying a tech term in plain words ('the number on my paper')"
    )
    # --- register: politeness and verbosity --------------------------------------------
    contractions: bool = _p(True, "whether contractions (it's, don't) are used")
    greeting: float = _p(0.08, "probability of a greeting or polite opener")
    please: float = _p(0.08, "probability of adding 'please'")
    thanks: float = _p(0.06, "probability of a thank-you or sign-off")
    final_punctuation: float = _p(0.3, "probability of ending a message with . or ?")
    # --- grammar ---------------------------------------------------------------------
    article_drop: float = _p(0.0, "per article: dropped")
    article_insert: float = _p(0.0, "per noun phrase after a verb or preposition: 'the' added")
    preposition_swap: float = _p(0.0, "per preposition: a confusable one instead (in/on/at)")
    verb_agreement: float = _p(0.0, "per agreeing verb: the wrong form ('it have')")
    past_to_present: float = _p(0.0, "per past-tense verb: the present form")
    no_question_inversion: float = _p(
        0.0, "per question: the statement word order ('where my order is')"
    )
    terse_drop: float = _p(0.0, "per article or subject pronoun: dropped, telegraph style")
    # --- typing noise ----------------------------------------------------------------
    char_error_rate: float = _p(0.0, "keyboard slips per character outside slot values")
    substitution_share: float = _p(0.45, "share of slips that hit another key")
    omission_share: float = _p(0.25, "share of slips that drop a character")
    insertion_share: float = _p(0.20, "share of slips that add a character")
    transposition_share: float = _p(0.10, "share of slips that swap two characters")
    adjacent_key_share: float = _p(0.7, "share of substitutions on a neighbouring key")
    space_drop: float = _p(0.0, "per space: left out (words run together)")
    space_insert: float = _p(0.0, "per character: a stray space")
    misspelling_rate: float = _p(0.0, "per word: a common misspelling of it")
    lowercase_start: float = _p(0.0, "probability of starting in lower case ('i' too)")
    apostrophe_drop: float = _p(0.0, "per apostrophe: left out ('dont')")
    slot_intact: float = _p(0.8, "probability that typing noise spares a slot value")
    # --- special moves ---------------------------------------------------------------
    question_marks: float = _p(0.0, "probability of ending with '??'")
    caps: float = _p(0.0, "probability of writing the message in ALL CAPS")
    frustration_step: float = _p(
        0.15, "added to the ?? and CAPS probabilities per consecutive misunderstanding"
    )
    demands_person: float = _p(
        0.0, "after a misunderstanding it does not give up on: probability of asking for a person"
    )
    repeat_request: float = _p(
        0.0, "probability of asking to repeat an assistant message of repeat_request_words+"
    )
    repeat_request_words: int = _p(12, "assistant words that make a message long")
    repeat_request_long: float = _p(
        0.0, "probability of asking to repeat past repeat_request_long_words"
    )
    repeat_request_long_words: int = _p(25, "assistant words that make a message very long")
    reassurance: float = _p(
        0.0, "probability of asking 'did it go through?' after a read-back of a detail"
    )
    # --- behaviour -------------------------------------------------------------------
    button_click: float = _p(0.5, "probability of clicking an offered button for its intent")
    wander_share: float = _p(0.2, "share of conversations that wander off-topic once")
    return_after_redirect: float = _p(
        0.9, "probability of returning to the task when the assistant re-asks after off-topic"
    )
    patience: tuple[float, ...] = _p(
        (0.0, 0.0, 1.0),
        "give-up probability after 1, 2, 3... consecutive misunderstandings (last repeats)",
    )
    person_at_limit: float = _p(
        0.5, "when patience runs out: probability of asking for a person rather than leaving"
    )

    def __post_init__(self) -> None:
        problems = persona_problems(self)
        if problems:
            raise ValueError("; ".join(f"{key}: {message}" for key, message in problems))

    def with_overrides(self, **fields: Any) -> Persona:
        """A copy with some parameters changed; unknown names and bad values raise ValueError."""
        unknown = sorted(set(fields) - set(PARAMETER_NAMES))
        if unknown:
            hints = [f"{name!r}{did_you_mean(name, PARAMETER_NAMES)}" for name in unknown]
            raise ValueError("unknown persona parameter " + ", ".join(hints))
        coerced = {key: coerce_parameter(key, value) for key, value in fields.items()}
        return dataclasses.replace(self, **coerced)


PARAMETERS: Mapping[str, dataclasses.Field[Any]] = {f.name: f for f in dataclasses.fields(Persona)}
PARAMETER_NAMES: tuple[str, ...] = tuple(PARAMETERS)
_INT_FIELDS = frozenset({"repeat_request_words", "repeat_request_long_words"})
_OPTIONAL_INT_FIELDS = frozenset({"length_median", "length_cap"})
_BOOL_FIELDS = frozenset({"contractions", "front_load_buried"})
_STR_FIELDS = frozenset({"name", "description", "style"})
_MIX_FIELDS = ("substitution_share", "omission_share", "insertion_share", "transposition_share")


def parameter_doc(name: str) -> str:
    return str(PARAMETERS[name].metadata.get("doc", ""))


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


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


def persona_problems(persona: Persona) -> list[tuple[str, str]]:
    """Every invalid parameter as (name, message); empty when the persona is usable."""
    problems: list[tuple[str, str]] = []
    if not NAME_PATTERN.match(persona.name):
        problems.append(("name", f"{persona.name!r} must match [a-z0-9][a-z0-9_-]*"))
    if persona.style not in STYLES:
        problems.append(
            ("style", f"{persona.style!r} is not one of {', '.join(STYLES)}"
             f"{did_you_mean(str(persona.style), STYLES)}")
        )
    for key, spec in PARAMETERS.items():
        value = getattr(persona, key)
        if spec.type in ("float", float) and not (
            isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0
        ):
            problems.append((key, f"{value!r} is not a probability in [0, 1]"))
    for key in ("repeat_request_words", "repeat_request_long_words"):
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


IMPATIENT = Persona(
    name="impatient",
    description="Short, blunt messages; gives up or demands a person quickly.",
    style="terse",
    length_median=4,
    length_cap=10,
    front_load=0.4,
    bare_value=0.8,
    greeting=0.0,
    please=0.0,
    thanks=0.0,
    final_punctuation=0.05,
    terse_drop=0.5,
    char_error_rate=0.005,
    lowercase_start=0.5,
    question_marks=0.1,
    caps=0.02,
    frustration_step=0.15,
    demands_person=0.44,
    button_click=0.6,
    wander_share=0.2,
    return_after_redirect=0.6,
    patience=(0.2, 0.5, 0.8),
    person_at_limit=0.0,
)

TYPO_PRONE = Persona(
    name="typo-prone",
    description="Types fast on a phone: slips, run-together words, misspellings.",
    style="casual",
    char_error_rate=0.03,
    substitution_share=0.45,
    omission_share=0.25,
    insertion_share=0.20,
    transposition_share=0.10,
    adjacent_key_share=0.7,
    space_drop=0.02,
    space_insert=0.003,
    misspelling_rate=0.05,
    lowercase_start=0.5,
    apostrophe_drop=0.4,
    button_click=0.5,
    wander_share=0.3,
    return_after_redirect=0.8,
    patience=(0.0, 0.0, 1.0),
)

NON_NATIVE = Persona(
    name="non-native",
    description="Careful, polite learner's English: no contractions, article and verb slips.",
    style="formal",
    contractions=False,
    bare_value=0.2,
    greeting=0.5,
    please=0.2,
    thanks=0.4,
    final_punctuation=0.7,
    article_drop=0.10,
    article_insert=0.03,
    preposition_swap=0.05,
    verb_agreement=0.15,
    past_to_present=0.10,
    no_question_inversion=0.3,
    misspelling_rate=0.015,
    repeat_request=0.15,
    repeat_request_words=12,
    repeat_request_long=0.3,
    repeat_request_long_words=25,
    button_click=0.6,
    wander_share=0.3,
    return_after_redirect=0.9,
    patience=(0.0, 0.0, 1.0),
)

ELDERLY = Persona(
    name="elderly",
    description="Long, polite, social messages; details buried; asks for reassurance.",
    style="chatty",
    length_median=25,
    length_cap=70,
    length_spread=0.3,
    front_load=0.3,
    front_load_buried=True,
    bare_value=0.05,
    plain_words=0.5,
    greeting=0.8,
    please=0.7,
    thanks=0.8,
    final_punctuation=0.9,
    char_error_rate=0.005,
    reassurance=0.3,
    button_click=0.3,
    wander_share=0.5,
    return_after_redirect=0.7,
    patience=(0.0, 0.0, 0.0, 1.0),
    person_at_limit=0.6,
)

PLAIN = Persona(
    name="plain",
    description="A cooperative customer with clean text: the control.",
    style="casual",
    button_click=0.5,
    wander_share=0.2,
    return_after_redirect=0.9,
    patience=(0.0, 0.0, 1.0),
)

BUILTIN_PERSONAS: Mapping[str, Persona] = {
    p.name: p for p in (IMPATIENT, TYPO_PRONE, NON_NATIVE, ELDERLY, PLAIN)
}
DEFAULT_PERSONAS: tuple[str, ...] = ("impatient", "typo-prone", "non-native", "elderly")


def persona_names() -> tuple[str, ...]:
    """The built-in personas' names, defaults first, then the ``plain`` control."""
    return tuple(BUILTIN_PERSONAS)


def get_persona(name: str) -> Persona:
    """A built-in persona by name; KeyError with a suggestion otherwise."""
    found = BUILTIN_PERSONAS.get(name)
    if found is None:
        names = persona_names()
        raise KeyError(f"unknown persona {name!r}{did_you_mean(name, names)}")
    return found
