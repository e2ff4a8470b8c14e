"""The interpreter that plays the assistant a flow describes.

INTERFACE STUB (owned by the engine helper, who writes the body): simulation, the
CLI and the plugin rely on ``Assistant``, ``Conversation`` and ``Reply`` as declared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .model import Flow

Outcome = Literal["completed", "escalated", "abandoned", "stuck"]

# Dates in simulations resolve against this fixed day, so runs are reproducible.
SIMULATION_DATE = dt.date(2025, 1, 15)


@dataclass(frozen=True)
class Reply:
    """What the assistant said and did in answer to one customer message (or ``start``)."""

    messages: tuple[str, ...]
    step: str | None  # step now waiting at; None once ended
    intent: str | None = None  # accepted intent (button intents too); OFF_TOPIC if off-topic
    confidence: float = 0.0  # confidence of the best candidate, accepted or not
    filled: Mapping[str, str] = field(default_factory=dict)  # slots this message filled
    misunderstood: bool = False  # got a no_match / fallback answer or went to on_exhausted
    off_topic: bool = False  # recognised as off-topic by the flow's off_topic examples
    reasked: bool = False  # repeated the waiting step's say, or answered with its no_match
    outcome: Outcome | None = None  # set when the conversation ended
    end_step: str | None = None  # the end step reached, when ended by an end step
    visited: tuple[str, ...] = ()  # steps entered while handling this message, in order
    buttons: tuple[str, ...] = ()  # quick-reply labels offered at the waiting step


class Conversation:
    """One customer's conversation; cheap to create, not thread-safe."""

    def start(self) -> Reply:
        raise NotImplementedError

    def reply(self, text: str) -> Reply:
        raise NotImplementedError

    def click(self, label: str) -> Reply:
        raise NotImplementedError

    @property
    def slots(self) -> Mapping[str, str]:
        raise NotImplementedError

    @property
    def ended(self) -> bool:
        raise NotImplementedError


class Assistant:
    """A flow compiled once (matchers, patterns) and shared by many conversations."""

    def __init__(self, flow: Flow, today: dt.date = SIMULATION_DATE) -> None:
        self.flow = flow
        self.today = today

    def conversation(self) -> Conversation:
        raise NotImplementedError
