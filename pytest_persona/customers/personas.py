"""Persona parameters, the built-in personas as data, and the registry of names.

Every behaviour of a simulated customer is a documented field here; the voice, the
typo model and the customer read fields, never a persona's name, so a custom persona
(a ``*.persona.yaml`` file or the plugin hook) is just other values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..flow.errors import Diagnostic
from ..flow.errors import did_you_mean as did_you_mean
from ..flow.model import Flow
from .persona_checks import NAME_PATTERN as NAME_PATTERN
from .persona_checks import STYLES as STYLES
from .persona_checks import Style as Style
from .persona_checks import coerce_parameter, persona_problems


def _doc(text: str) -> dict[str, str]:
    """A field's documentation, kept in its metadata (docs and persona files show it)."""
    return {"doc": text}


@dataclass(frozen=True)
class Persona:
    """One kind of customer. Probabilities are in [0, 1]; defaults are a neutral customer."""

    name: str = field(default="custom", metadata=_doc("the persona's name: [a-z0-9][a-z0-9_-]*"))
    description: str = field(default="", metadata=_doc("one line for reports"))
    # --- content: what is said -------------------------------------------------------
    style: Style = field(
        default="casual",
        metadata=_doc(
            "which phrase pools pleasantries, padding, slot frames and off-topic remarks come "
            "from: terse, casual, formal or chatty",
        ),
    )
    length_median: int | None = field(
        default=None,
        metadata=_doc("median words per message (None: as long as the base phrase)"),
    )
    length_cap: int | None = field(
        default=None, metadata=_doc("most words per message, slot values aside (None: no cap)")
    )
    length_spread: float = field(
        default=0.35, metadata=_doc("log-normal spread of the message length around the median")
    )
    front_load: float = field(
        default=0.0, metadata=_doc("probability of giving every known detail in the first message")
    )
    front_load_buried: bool = field(
        default=False,
        metadata=_doc("front-loaded details sit inside a longer sentence rather than at the end"),
    )
    bare_value: float = field(
        default=0.5, metadata=_doc("probability of giving a slot value alone ('48213')")
    )
    plain_words: float = field(
        default=0.0,
        metadata=_doc(
            "probability of saying a tech term in plain words ('the number on my paper')"
        ),
    )
    # --- register: politeness and verbosity --------------------------------------------
    contractions: bool = field(
        default=True, metadata=_doc("whether contractions (it's, don't) are used")
    )
    greeting: float = field(
        default=0.08, metadata=_doc("probability of a greeting or polite opener")
    )
    please: float = field(default=0.08, metadata=_doc("probability of adding 'please'"))
    thanks: float = field(default=0.06, metadata=_doc("probability of a thank-you or sign-off"))
    final_punctuation: float = field(
        default=0.3, metadata=_doc("probability of ending a message with . or ?")
    )
    # --- grammar ---------------------------------------------------------------------
    article_drop: float = field(default=0.0, metadata=_doc("per article: dropped"))
    article_insert: float = field(
        default=0.0, metadata=_doc("per noun phrase after a verb or preposition: 'the' added")
    )
    preposition_swap: float = field(
        default=0.0, metadata=_doc("per preposition: a confusable one instead (in/on/at)")
    )
    verb_agreement: float = field(
        default=0.0, metadata=_doc("per agreeing verb: the wrong form ('it have')")
    )
    past_to_present: float = field(
        default=0.0, metadata=_doc("per past-tense verb: the present form")
    )
    no_question_inversion: float = field(
        default=0.0,
        metadata=_doc("per question: the statement word order ('where my order is')"),
    )
    terse_drop: float = field(
        default=0.0, metadata=_doc("per article or subject pronoun: dropped, telegraph style")
    )
    # --- typing noise ----------------------------------------------------------------
    char_error_rate: float = field(
        default=0.0, metadata=_doc("keyboard slips per character outside slot values")
    )
    substitution_share: float = field(
        default=0.45, metadata=_doc("share of slips that hit another key")
    )
    omission_share: float = field(
        default=0.25, metadata=_doc("share of slips that drop a character")
    )
    insertion_share: float = field(
        default=0.20, metadata=_doc("share of slips that add a character")
    )
    transposition_share: float = field(
        default=0.10, metadata=_doc("share of slips that swap two characters")
    )
    adjacent_key_share: float = field(
        default=0.7, metadata=_doc("share of substitutions on a neighbouring key")
    )
    space_drop: float = field(
        default=0.0, metadata=_doc("per space: left out (words run together)")
    )
    space_insert: float = field(default=0.0, metadata=_doc("per character: a stray space"))
    misspelling_rate: float = field(
        default=0.0, metadata=_doc("per word: a common misspelling of it")
    )
    lowercase_start: float = field(
        default=0.0, metadata=_doc("probability of starting in lower case ('i' too)")
    )
    apostrophe_drop: float = field(default=0.0, metadata=_doc("per apostrophe: left out ('dont')"))
    slot_intact: float = field(
        default=0.8, metadata=_doc("probability that typing noise spares a slot value")
    )
    # --- special moves ---------------------------------------------------------------
    question_marks: float = field(default=0.0, metadata=_doc("probability of ending with '??'"))
    caps: float = field(
        default=0.0, metadata=_doc("probability of writing the message in ALL CAPS")
    )
    frustration_step: float = field(
        default=0.15,
        metadata=_doc("added to the ?? and CAPS probabilities per consecutive misunderstanding"),
    )
    demands_person: float = field(
        default=0.0,
        metadata=_doc(
            "after a misunderstanding it does not give up on: probability of asking for a person"
        ),
    )
    repeat_request: float = field(
        default=0.0,
        metadata=_doc(
            "probability of asking to repeat an assistant message of repeat_request_words+"
        ),
    )
    repeat_request_words: int = field(
        default=12, metadata=_doc("assistant words that make a message long")
    )
    repeat_request_long: float = field(
        default=0.0,
        metadata=_doc("probability of asking to repeat past repeat_request_long_words"),
    )
    repeat_request_long_words: int = field(
        default=25, metadata=_doc("assistant words that make a message very long")
    )
    reassurance: float = field(
        default=0.0,
        metadata=_doc(
            "probability of asking 'did it go through?' after a read-back of a detail, "
            "mostly along with the answer, alone 3 times in 10"
        ),
    )
    # --- behaviour -------------------------------------------------------------------
    button_click: float = field(
        default=0.5,
        metadata=_doc(
            "probability of clicking an offered button for its intent, chosen once per step: "
            "a customer who typed there and was not understood types again"
        ),
    )
    wander_share: float = field(
        default=0.2, metadata=_doc("share of conversations that wander off-topic once")
    )
    return_after_redirect: float = field(
        default=0.9,
        metadata=_doc(
            "probability of returning to the task when the assistant asks its question again "
            "after an off-topic remark (recognising it, or the fallback with reprompt); half "
            "of it after any other answer (a step's no_match hint too)"
        ),
    )
    patience: tuple[float, ...] = field(
        default=(0.0, 0.0, 1.0),
        metadata=_doc(
            "give-up probability after 1, 2, 3... consecutive misunderstandings (last repeats)",
        ),
    )
    person_at_limit: float = field(
        default=0.5,
        metadata=_doc(
            "when patience runs out: probability of asking for a person rather than leaving"
        ),
    )

    def __post_init__(self) -> None:
        problems = persona_problems(self)
        if problems:
            raise ValueError("; ".join(f"{key}: {message}" for key, message in problems))

    def with_overrides(self, **fields: Any) -> Persona:
        """A copy with some parameters changed; unknown names and bad values raise ValueError."""
        names = tuple(f.name for f in dataclasses.fields(self))
        unknown = sorted(set(fields) - set(names))
        if unknown:
            hints = [f"{name!r}{did_you_mean(name, names)}" for name in unknown]
            raise ValueError("unknown persona parameter " + ", ".join(hints))
        coerced = {key: coerce_parameter(key, value) for key, value in fields.items()}
        return dataclasses.replace(self, **coerced)


PARAMETERS: Mapping[str, dataclasses.Field[Any]] = {f.name: f for f in dataclasses.fields(Persona)}


def parameter_doc(name: str) -> str:
    return str(PARAMETERS[name].metadata.get("doc", ""))


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


def threshold_persona_warnings(flow: Flow) -> list[Diagnostic]:
    """``thresholds.personas`` names that are no built-in persona: a typo ("elderley")
    would leave the persona on the flow's limits without a word (a custom persona file
    of that name is the exception, so this is a warning)."""
    from ..flow.advice import diagnostic

    found: list[Diagnostic] = []
    for name in flow.thresholds.personas:
        if name not in BUILTIN_PERSONAS:
            message = (
                f"'{name}' is no built-in persona{did_you_mean(name, persona_names())}: "
                "these limits apply only to a custom persona of that name"
            )
            found.append(diagnostic(flow, f"thresholds.personas.{name}", message, "warning"))
    return found
