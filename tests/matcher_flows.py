"""In-memory flows for the matcher's tests: the spec's order-status intents, built
directly from the model (no loader), and a one-line way to get a step's matcher."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pytest_persona.flow.matcher import IntentMatcher, Match, StepMatcher
from pytest_persona.flow.model import (
    Flow,
    FlowSettings,
    GlobalAction,
    Intent,
    OffTopic,
    Route,
    Step,
)

INTENTS: dict[str, tuple[str, ...]] = {
    "track_order": ("where is my order", "track my package", "has my parcel shipped"),
    "change_address": ("change my delivery address", "ship it somewhere else"),
    "affirm": ("yes", "yeah", "correct", "that's right"),
    "deny": ("no", "nope", "that's wrong"),
    "agent": ("talk to a human", "real person please", "agent"),
    "repeat": ("say that again", "sorry what", "can you repeat"),
    "help": ("help", "what can you do"),
}
GLOBAL = ("agent", "repeat", "help")
OFF_TOPIC_EXAMPLES = ("what's the weather like", "tell me a joke", "who won the match")
GREET = ("track_order", "change_address")
CONFIRM = ("affirm", "deny")

# Ways customers ask where their order is, none of them an example.
TRACK_PARAPHRASES = (
    "where is my parcel",
    "where's my package",
    "track my order please",
    "has my order shipped yet",
    "can you track my parcel",
    "where is my order now",
    "my order, where is it",
    "I want to track my package",
    "has my package shipped",
    "track parcel",
    "where is the order I placed",
    "order where",
)


def make_flow(
    intents: Mapping[str, tuple[str, ...]] = INTENTS,
    *,
    off_topic: tuple[str, ...] | None = OFF_TOPIC_EXAMPLES,
    threshold: float = 0.75,
    margin: float = 0.05,
) -> Flow:
    built = {
        name: Intent(
            name, examples, global_action=GlobalAction(goto="end") if name in GLOBAL else None
        )
        for name, examples in intents.items()
    }
    routes = tuple(Route(name, "end") for name in GREET if name in intents)
    steps = {
        "greet": Step("greet", "routes", say=("Hi!",), routes=routes),
        "confirm": Step(
            "confirm", "routes", say=("Right?",), routes=tuple(Route(n, "end") for n in CONFIRM)
        ),
        "end": Step("end", "end", end="completed"),
    }
    return Flow(
        id="orders",
        start="greet",
        intents=built,
        steps=steps,
        settings=FlowSettings(match_threshold=threshold, ambiguity_margin=margin),
        off_topic=OffTopic(off_topic) if off_topic is not None else None,
    )


def step_matcher(
    names: Iterable[str] = GREET + GLOBAL,
    *,
    intents: Mapping[str, tuple[str, ...]] = INTENTS,
    off_topic: tuple[str, ...] | None = OFF_TOPIC_EXAMPLES,
    threshold: float = 0.75,
    margin: float = 0.05,
) -> StepMatcher:
    flow = make_flow(intents, off_topic=off_topic, threshold=threshold, margin=margin)
    return IntentMatcher(flow).for_intents(names)


DETERMINISM_MESSAGES = (
    "where is my order",
    "wher is my ordr pls",
    "I need help tracking my order",
    "yes thats right",
    "tell me a joke",
    "ship it elsewhere",
    "myorder where",
    "thnks, can u repat that",
    "",
)


def results(step: StepMatcher, messages: Iterable[str]) -> list[Match]:
    return [step.match(m) for m in messages]


def as_rows(found: Iterable[Match]) -> list[list[object]]:
    return [
        [m.intent, m.confidence, m.accepted, m.runner_up, m.runner_up_confidence] for m in found
    ]
