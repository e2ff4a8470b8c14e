"""What every persona's customers share on one flow, worked out once per flow.

Planning every goal from the start, recognising the flow's intents in the phrase bank
and finding read-back steps depend on the flow alone. Building them for each persona
of a big flow costs more than its batch, so callers that run several personas on one
flow (the plugin does) build a ``FlowPreparation`` once and pass it to each
``Simulator``. Its memos (plans, echoes, detail names) are pure functions of their
keys, so sharing them changes speed, never results.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..flow.model import Flow, Goal
from . import grammar, voice
from .goals import goals_with_plans
from .lexicon import PARAPHRASE, PLAIN, normalise
from .offtopic import off_topic_pool
from .planner import Plan, Planner
from .recognition import clear_memos as clear_recognition_memos
from .slotvalues import detail_name as _detail_name
from .slotvalues import read_back_corrections
from .wording import Wording

__all__ = ["FlowPreparation", "clear_shared_caches"]


def clear_shared_caches() -> None:
    """Forget the customers' process-wide memos (prepared bank entries, grammar and
    phrase-table hits, shortened phrases, off-topic pools): for benchmarks that time a
    cold start."""
    grammar.clear_memos()
    voice.clear_memos()
    PLAIN.forget()
    PARAPHRASE.forget()
    clear_recognition_memos()
    off_topic_pool.cache_clear()


class FlowPreparation:
    """One flow's persona-independent customer parts; raises GoalUnreachable for a goal
    no customer can reach, as building a ``Simulator`` does."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.planner = Planner(flow)
        goals, plans = goals_with_plans(flow, self.planner)
        self.goals: tuple[Goal, ...] = goals
        self.start_plans: tuple[Plan, ...] = plans
        self.wording = Wording(flow, self.planner)
        # Tasks the flow handles: remarks about them are requests here, not wandering.
        self.in_scope = frozenset(entry.key for entry in self.wording.bank_for.values())
        taken = {normalise(e) for intent in flow.intents.values() for e in intent.examples}
        if flow.off_topic is not None:
            taken.update(normalise(e) for e in flow.off_topic.examples)
        # The flow's examples as customers must not say them word for word.
        self.taken: frozenset[str] = frozenset(taken)
        self.agent_intent = self.wording.intent_with_role("agent")
        self.repeat_intent = self.wording.intent_with_role("repeat")
        # Per waiting step with buttons: the label that says each intent (the first one).
        self.buttons: Mapping[str, Mapping[str, str]] = {
            name: {intent: label for label, intent in reversed(list(step.buttons.items()))}
            for name, step in flow.steps.items()
            if step.buttons
        }
        # Steps that read a detail back, where a customer may ask whether it went through.
        self.readbacks: frozenset[str] = frozenset(
            name for name, step in flow.steps.items() if any("{" in say for say in step.say)
        )
        # Steps that answer a message they do not understand in their own words.
        self.no_match_steps: frozenset[str] = frozenset(
            name for name, step in flow.steps.items() if step.no_match
        )
        self.corrections = read_back_corrections(flow, self.planner)
        # Per step that sets values: the (name, value) pairs a customer learns on entering
        # it, of the names its plans tell apart (the only ones a customer keeps).
        names = frozenset(self.planner.names)
        self.setters: Mapping[str, tuple[tuple[str, str], ...]] = {
            name: known
            for name, step in flow.steps.items()
            if (known := tuple((key, value) for key, value in step.set.items() if key in names))
        }
        self._nouns: dict[tuple[str, str], str] = {}

    def detail_name(self, slot: str, step: str | None = None) -> str:
        """What the customer calls ``slot`` when ``step`` asks for it ("order number");
        without a step, in the words of the step that asks for it ("date of birth", not
        the slot's name "dob"), as a customer who gives it unasked would."""
        step = step if step is not None else self.planner.asking_step.get(slot, "")
        key = (slot, step)
        found = self._nouns.get(key)
        if found is None:
            question = " ".join(self.flow.steps[step].say) if step in self.flow.steps else ""
            found = self._nouns[key] = _detail_name(slot, question)
        return found
