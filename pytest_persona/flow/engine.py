"""The interpreter that plays the assistant a flow describes.

``Assistant`` compiles a flow once (a matcher per waiting step, slot extractors, say
templates) and hands out cheap ``Conversation`` objects holding one customer's state.
The rules are those of ``flow-format.md``; where it is silent the choices are:

- ``{name}`` in any assistant text is replaced by the slot (or ``set`` name) when it holds
  a value and left as written otherwise; ``{{`` and ``}}`` are not escapes.
- A route of the step wins over a global intent of the same name.
- At a ``collect`` step only an *accepted* global or off-topic match (threshold and
  ambiguity margin) pre-empts extraction; the collected slot itself is never scanned.
- A route's ``clear`` happens before the message is scanned: "no, it's 55120" at a
  confirmation clears the old value and stores the new one.
- Any message that is not a misunderstanding resets the count of misunderstandings in a
  row: ``no_match``/``fallback`` texts start over and ``max_no_match`` counts afresh.
- ``off_topic.say`` lists are used in order per off-topic message, the last repeating;
  a step's or a global's ``say`` list is said whole, in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from .freetext import same_value
from .matcher import OFF_TOPIC, IntentMatcher
from .model import Flow, GlobalAction
from .slots import SIMULATION_DATE, build_extractor
from .stepplan import StepPlan, Template, templates

Outcome = Literal["completed", "escalated", "abandoned", "stuck"]

_NO_SLOTS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
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


class ConversationEnded(RuntimeError):
    """A message was sent to a conversation that has already ended."""


class Assistant:
    """A flow compiled once (matchers, patterns) and shared by many conversations."""

    def __init__(self, flow: Flow, today: dt.date = SIMULATION_DATE) -> None:
        self.flow = flow
        self.today = today
        extractors = {name: build_extractor(slot, today) for name, slot in flow.slots.items()}
        scanned = tuple((n, extractors[n]) for n, slot in flow.slots.items() if slot.scan)
        self.globals: dict[str, GlobalAction] = {
            i.name: i.global_action for i in flow.global_intents if i.global_action is not None
        }
        self.global_say = {name: templates(a.say) for name, a in self.globals.items()}
        off_topic = flow.off_topic
        self.off_topic_say = templates(off_topic.say) if off_topic else ()
        self.off_topic_return = bool(off_topic and off_topic.then_return)
        self.has_off_topic = off_topic is not None
        self.fallback_say = templates(flow.fallback.say)
        self.reprompt = flow.fallback.reprompt
        self.settings = flow.settings
        self.hop_limit = len(flow.steps) + 1
        matchers = IntentMatcher(flow)
        self.plans: dict[str, StepPlan] = {}
        for name, step in flow.steps.items():
            plan = StepPlan(step)
            self._check_references(plan)
            if step.collect is not None:
                plan.collector = extractors[step.collect]
                if self.globals or off_topic is not None:
                    plan.matcher = matchers.for_intents(self.globals)
            elif step.kind == "routes":
                plan.matcher = matchers.for_intents([*plan.routes, *self.globals])
            if step.waits:
                plan.scans = tuple(pair for pair in scanned if pair[0] != step.collect)
            self.plans[name] = plan
        for target in [flow.start, *(a.goto for a in self.globals.values() if a.goto)]:
            if target not in self.plans:
                raise ValueError(f"flow {flow.id!r}: unknown step {target!r}")

    def _check_references(self, plan: StepPlan) -> None:
        """Fail at compile time, not mid-conversation, on a hand-built flow's bad names."""
        steps, intents = self.flow.steps, self.flow.intents
        targets = [r.goto for r in plan.step.routes] + [b.goto for b in plan.step.next]
        targets += [plan.on_exhausted] if plan.on_exhausted else []
        for target in targets:
            if target not in steps:
                raise ValueError(f"steps.{plan.name}: unknown step {target!r}")
        for intent in [*plan.routes, *plan.buttons.values()]:
            if intent not in intents:
                raise ValueError(f"steps.{plan.name}: unknown intent {intent!r}")
        if plan.collect is not None and plan.collect not in self.flow.slots:
            raise ValueError(f"steps.{plan.name}: unknown slot {plan.collect!r}")

    def conversation(self) -> Conversation:
        return Conversation(self)


class _Turn:
    """What handling one message has produced so far."""

    __slots__ = ("filled", "messages", "misunderstood", "off_topic", "reasked", "visited")

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.visited: list[str] = []
        self.filled: dict[str, str] = {}
        self.misunderstood = self.off_topic = self.reasked = False


class Conversation:
    """One customer's conversation; cheap to create, not thread-safe.

    Besides ``start``/``reply``/``click``: ``step`` is the step now waiting (None before
    ``start`` and once ended), ``prompt`` its ``say`` as it would be said now,
    ``last_step`` the last step that waited or ended the talk (kept after the end: where
    a stuck conversation stopped), ``turns`` the customer messages so far, ``outcome`` and
    ``end_step`` how it ended.
    """

    def __init__(self, assistant: Assistant) -> None:
        self._a = assistant
        self._slots: dict[str, str] = {}
        self._plan: StepPlan | None = None
        self._last_step: str | None = None
        self._streak = 0  # misunderstandings in a row at the waiting step
        self._off_topics = 0  # recognised off-topic messages so far, for off_topic.say
        self._turns = 0
        self._outcome: Outcome | None = None
        self._end_step: str | None = None

    @property
    def slots(self) -> Mapping[str, str]:
        """Filled slots and ``set`` names (a read-only view, updated as the talk goes on)."""
        return MappingProxyType(self._slots)

    @property
    def ended(self) -> bool:
        return self._outcome is not None

    @property
    def outcome(self) -> Outcome | None:
        return self._outcome

    @property
    def end_step(self) -> str | None:
        return self._end_step

    @property
    def turns(self) -> int:
        return self._turns

    @property
    def step(self) -> str | None:
        return self._plan.name if self._plan is not None else None

    @property
    def last_step(self) -> str | None:
        return self._last_step

    @property
    def prompt(self) -> tuple[str, ...]:
        plan = self._plan
        return plan.spoken(self._slots) if plan is not None else ()

    def start(self) -> Reply:
        if self._last_step is not None:
            raise RuntimeError("start() was already called on this conversation")
        turn = _Turn()
        self._enter(self._a.flow.start, turn)
        return self._reply(turn, None, 0.0)

    def reply(self, text: str) -> Reply:
        plan = self._waiting()
        if plan.matcher is None:
            return self._handle(plan, None, 0.0, text)
        intent, confidence = plan.matcher.verdict(text)
        return self._handle(plan, intent, confidence, text)

    def click(self, label: str) -> Reply:
        plan = self._waiting()
        intent = plan.buttons.get(label)
        if intent is None:
            offered = ", ".join(repr(lab) for lab in plan.labels) or "none"
            raise ValueError(f"step {plan.name!r} has no button {label!r} (offered: {offered})")
        return self._handle(plan, intent, 1.0, None)

    def _waiting(self) -> StepPlan:
        if self._outcome is not None:
            raise ConversationEnded(f"the conversation already ended ({self._outcome})")
        if self._plan is None:
            raise RuntimeError("call start() before sending messages")
        return self._plan

    def _handle(
        self, plan: StepPlan, intent: str | None, confidence: float, text: str | None
    ) -> Reply:
        """One customer message (``text``) or click (``text`` None) at the waiting step."""
        a, slots = self._a, self._slots
        self._turns += 1
        turn = _Turn()
        route = plan.routes.get(intent) if intent is not None else None
        if route is not None:
            for name in route.clear:
                slots.pop(name, None)
        taken = None
        if text is not None:
            # What a collect step reads from the message (read once: the extractors are pure).
            if plan.collector is not None:
                taken = plan.collector(text)
            # That value is not also another detail: an account number is no phone number.
            for name, extract in plan.scans:
                if name not in slots:
                    value = extract(text)
                    if value is not None and (name == plan.collect or not same_value(value, taken)):
                        slots[name] = turn.filled[name] = value
        streak, self._streak = self._streak, 0  # restored below if not understood
        if route is not None:
            self._enter(route.goto, turn)
        elif intent is not None and intent in a.globals:
            self._global(plan, intent, turn)
        elif intent == OFF_TOPIC and a.has_off_topic:
            self._off_topic(plan, turn)
        else:
            intent = None
            slot = plan.collect
            if taken is not None and slot is not None:
                self._slots[slot] = turn.filled[slot] = taken
                self._enter(self._next(plan), turn)
            else:
                self._misunderstood(plan, turn, streak + 1)
        if self._outcome is None and self._turns >= a.settings.max_turns:
            self._finish("stuck", None)
        return self._reply(turn, intent, confidence)

    def _global(self, plan: StepPlan, intent: str, turn: _Turn) -> None:
        action = self._a.globals[intent]
        turn.messages.extend(t.render(self._slots) for t in self._a.global_say[intent])
        if action.goto is not None:
            self._enter(action.goto, turn)
        elif action.then_return:
            self._reask(plan, turn)

    def _off_topic(self, plan: StepPlan, turn: _Turn) -> None:
        a = self._a
        turn.off_topic = True
        self._off_topics += 1
        if a.off_topic_say:
            self._say_nth(a.off_topic_say, self._off_topics, turn)
        if a.off_topic_return:
            self._reask(plan, turn)

    def _say_nth(self, texts: tuple[Template, ...], count: int, turn: _Turn) -> None:
        """Say the ``count``-th of ``texts`` (from 1), the last one repeating."""
        turn.messages.append(texts[min(count, len(texts)) - 1].render(self._slots))

    def _reask(self, plan: StepPlan, turn: _Turn) -> None:
        turn.messages.extend(plan.spoken(self._slots))
        turn.reasked = True

    def _misunderstood(self, plan: StepPlan, turn: _Turn, streak: int) -> None:
        """Answer the ``streak``-th misunderstanding in a row (no_match, fallback, on_exhausted)."""
        a = self._a
        turn.misunderstood = True
        self._streak = streak
        if streak > a.settings.max_no_match:
            if plan.on_exhausted is not None:
                self._enter(plan.on_exhausted, turn)
            else:
                self._finish("stuck", None)
        elif plan.no_match:
            self._say_nth(plan.no_match, streak, turn)
            turn.reasked = True
        else:
            if a.fallback_say:
                self._say_nth(a.fallback_say, streak, turn)
            if a.reprompt:
                self._reask(plan, turn)

    def _next(self, plan: StepPlan) -> str:
        """The target of the first branch of ``next`` whose condition holds."""
        slots = self._slots
        for condition, goto in plan.branches:
            if all(slots.get(name) in values for name, values in condition):
                return goto
        raise RuntimeError(f"step {plan.name!r}: no branch of next applies")

    def _enter(self, name: str, turn: _Turn) -> None:
        """Enter ``name`` and follow ``next`` links until a step waits or ends the talk."""
        plans, slots = self._a.plans, self._slots
        messages, visited = turn.messages, turn.visited
        for _ in range(self._a.hop_limit):
            plan = plans[name]
            visited.append(name)
            for slot, value in plan.sets:
                slots[slot] = value
            if plan.collect is not None and plan.collect in slots:
                name = self._next(plan)  # already known: passed straight through
                continue
            messages.extend(plan.spoken(slots))
            if plan.end is not None:
                self._last_step = name
                self._finish(plan.end, name)
                return
            if plan.waits:
                self._plan = plan
                self._last_step = name
                self._streak = 0
                return
            name = self._next(plan)
        raise RuntimeError(
            f"flow {self._a.flow.id!r}: {self._a.hop_limit} steps passed without one that "
            f"waits or ends (a loop of next links?), stopped at {name!r}"
        )

    def _finish(self, outcome: Outcome, end_step: str | None) -> None:
        self._outcome = outcome
        self._end_step = end_step
        self._plan = None

    def _reply(self, turn: _Turn, intent: str | None, confidence: float) -> Reply:
        plan = self._plan
        return Reply(
            tuple(turn.messages), plan.name if plan is not None else None, intent, confidence,
            turn.filled or _NO_SLOTS, turn.misunderstood, turn.off_topic, turn.reasked,
            self._outcome, self._end_step, tuple(turn.visited),
            plan.labels if plan is not None else (),
        )  # fmt: skip
