"""The frozen, typed model of a flow file: what every part past the loader sees.

The loader is the only producer; nothing downstream sees raw YAML dicts.
Mappings are plain dicts typed as ``Mapping`` and never mutated after loading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

SlotType = Literal["pattern", "choice", "number", "email", "phone", "date", "text"]
EndOutcome = Literal["completed", "escalated", "abandoned"]
StepKind = Literal["routes", "collect", "next", "end"]
Metric = Literal["completion", "fallback_rate", "off_topic_recovery"]

METRICS: tuple[Metric, ...] = ("completion", "fallback_rate", "off_topic_recovery")
# Direction of each metric: True when a higher score is better.
HIGHER_IS_BETTER: Mapping[Metric, bool] = {
    "completion": True,
    "fallback_rate": False,
    "off_topic_recovery": True,
}


@dataclass(frozen=True)
class Position:
    """1-based line and column of a key or value in the flow file."""

    line: int
    col: int


@dataclass(frozen=True)
class FlowSettings:
    match_threshold: float = 0.75
    ambiguity_margin: float = 0.05
    max_no_match: int = 2
    max_turns: int = 25


@dataclass(frozen=True)
class GlobalAction:
    """What a global intent does at any waiting step."""

    goto: str | None = None
    say: tuple[str, ...] = ()
    then_return: bool = False


@dataclass(frozen=True)
class Intent:
    name: str
    examples: tuple[str, ...]
    test_phrases: tuple[str, ...] = ()
    global_action: GlobalAction | None = None


@dataclass(frozen=True)
class Slot:
    name: str
    type: SlotType
    scan: bool
    examples: tuple[str, ...] = ()
    pattern: str | None = None
    # choice: canonical name -> synonyms (the canonical name itself is always accepted)
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class OffTopic:
    examples: tuple[str, ...]
    say: tuple[str, ...] = ()
    then_return: bool = False


@dataclass(frozen=True)
class Fallback:
    say: tuple[str, ...] = ("Sorry, I didn't understand that.",)
    reprompt: bool = True


@dataclass(frozen=True)
class Route:
    intent: str
    goto: str
    clear: tuple[str, ...] = ()


@dataclass(frozen=True)
class Branch:
    """One branch of a conditional ``next``; ``when`` empty means the default branch.

    ``when`` maps a slot (or a name some ``set`` assigns) to the values that satisfy it.
    """

    goto: str
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    name: str
    kind: StepKind
    say: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()
    collect: str | None = None
    # A plain ``next: STEP`` is one default branch.
    next: tuple[Branch, ...] = ()
    end: EndOutcome | None = None
    set: Mapping[str, str] = field(default_factory=dict)
    # label -> intent, in file order
    buttons: Mapping[str, str] = field(default_factory=dict)
    no_match: tuple[str, ...] = ()
    on_exhausted: str | None = None

    @property
    def waits(self) -> bool:
        """A waiting step reads a customer message before moving on."""
        return self.kind in ("routes", "collect")


@dataclass(frozen=True)
class Goal:
    end: str
    weight: float = 1.0
    slots: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Limit:
    """One metric's limit: ``limit`` is a min or a max depending on the metric."""

    limit: float | None = None
    warn: float | None = None


@dataclass(frozen=True)
class Thresholds:
    """Limits set at one level (flow, flow+persona, command line, ini or defaults).

    A metric that is absent (``None``) falls through to the next, less specific level.
    """

    completion: Limit | None = None
    fallback_rate: Limit | None = None
    off_topic_recovery: Limit | None = None

    def get(self, metric: Metric) -> Limit | None:
        value: Limit | None = getattr(self, metric)
        return value


@dataclass(frozen=True)
class FlowThresholds:
    flow: Thresholds = Thresholds()
    personas: Mapping[str, Thresholds] = field(default_factory=dict)


@dataclass(frozen=True)
class Flow:
    id: str
    start: str
    intents: Mapping[str, Intent]
    steps: Mapping[str, Step]
    slots: Mapping[str, Slot] = field(default_factory=dict)
    description: str = ""
    settings: FlowSettings = FlowSettings()
    off_topic: OffTopic | None = None
    fallback: Fallback = Fallback()
    # Explicit goals, or one per reachable ``end: completed`` step with weight 1.
    goals: tuple[Goal, ...] = ()
    # True when the loader filled ``goals`` in: one no customer can reach is left out
    # (a warning), where a goal the file names is an error.
    default_goals: bool = False
    thresholds: FlowThresholds = FlowThresholds()
    # Where the flow came from: for messages, replay commands and history.
    path: str = "<memory>"
    # Hex BLAKE2 digest of the file's bytes; history marks content changes with it.
    content_hash: str = ""
    # Dotted key ("steps.confirm.routes[1].goto") -> position, for warnings and errors.
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False, repr=False)

    @property
    def global_intents(self) -> tuple[Intent, ...]:
        return tuple(i for i in self.intents.values() if i.global_action is not None)
