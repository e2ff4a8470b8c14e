"""Intent matching over the intents active at one step.

INTERFACE STUB (owned by the matcher helper, who replaces the body): the engine
relies only on ``IntentMatcher``, ``StepMatcher`` and ``Match`` as declared here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .model import Flow

OFF_TOPIC = "__off_topic__"


@dataclass(frozen=True)
class Match:
    """The best reading of a message among the active intents.

    ``intent`` is the best candidate's name (``OFF_TOPIC`` for the flow's off-topic
    examples) or None when nothing scored at all; ``accepted`` says whether it cleared
    ``match_threshold`` and beat the runner-up by ``ambiguity_margin``.
    """

    intent: str | None
    confidence: float
    accepted: bool
    runner_up: str | None = None
    runner_up_confidence: float = 0.0

    @property
    def off_topic(self) -> bool:
        return self.accepted and self.intent == OFF_TOPIC


class StepMatcher:
    """Matches messages against one fixed set of active intents (plus off-topic)."""

    def __init__(self, flow: Flow, active: frozenset[str]) -> None:
        self._settings = flow.settings
        self._choices: list[str] = []
        self._owners: list[str] = []
        for name in sorted(active):
            for example in flow.intents[name].examples:
                self._choices.append(example.lower())
                self._owners.append(name)
        if flow.off_topic is not None:
            for example in flow.off_topic.examples:
                self._choices.append(example.lower())
                self._owners.append(OFF_TOPIC)

    def match(self, text: str) -> Match:
        best: dict[str, float] = {}
        for _, score, idx in process.extract(
            text.lower(), self._choices, scorer=fuzz.WRatio, limit=None
        ):
            owner = self._owners[idx]
            best[owner] = max(best.get(owner, 0.0), score / 100.0)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            return Match(None, 0.0, False)
        top, conf = ranked[0]
        second, second_conf = ranked[1] if len(ranked) > 1 else (None, 0.0)
        accepted = conf >= self._settings.match_threshold and (
            conf - second_conf >= self._settings.ambiguity_margin
        )
        return Match(top, conf, accepted, second, second_conf)


class IntentMatcher:
    """All step matchers of one flow, built once and shared by every conversation."""

    def __init__(self, flow: Flow) -> None:
        self._flow = flow
        self._cache: dict[frozenset[str], StepMatcher] = {}

    def for_intents(self, names: Iterable[str]) -> StepMatcher:
        key = frozenset(names)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = StepMatcher(self._flow, key)
        return found
