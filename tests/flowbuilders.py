"""Small builders for in-memory flows, and a predictable stand-in for the intent matcher.

Engine tests build ``Flow`` objects directly (no YAML) and mostly run them with
``KeywordMatcher``: an intent is recognised when one of its examples appears in the
message as whole words, so the tests pin the engine's rules, not the matcher's scores.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

import pytest

from pytest_persona.customers.customer import Customer
from pytest_persona.flow import engine
from pytest_persona.flow.engine import Assistant, Conversation, Reply
from pytest_persona.flow.matcher import OFF_TOPIC, Match
from pytest_persona.flow.model import (
    Branch,
    EndOutcome,
    Fallback,
    Flow,
    FlowSettings,
    GlobalAction,
    Intent,
    OffTopic,
    Route,
    Slot,
    Step,
)


def intent(
    name: str, *examples: str, goto: str | None = None, say: str | None = None, back: bool = False
) -> Intent:
    """An intent; ``goto``, ``say`` or ``back`` (then: return) make it global."""
    action = None
    if goto is not None or say is not None or back:
        action = GlobalAction(goto=goto, say=(say,) if say else (), then_return=back)
    return Intent(name, tuple(examples), global_action=action)


def ask(
    name: str,
    say: str,
    routes: Mapping[str, str],
    *,
    clear: Mapping[str, tuple[str, ...]] | None = None,
    buttons: Mapping[str, str] | None = None,
    no_match: tuple[str, ...] = (),
    on_exhausted: str | None = None,
    set_: Mapping[str, str] | None = None,
) -> Step:
    """A step waiting for one of ``routes`` (intent -> step); ``clear`` per intent."""
    cleared = clear or {}
    built = tuple(Route(i, goto, cleared.get(i, ())) for i, goto in routes.items())
    return Step(name, "routes", say=(say,), routes=built, buttons=buttons or {},
                no_match=no_match, on_exhausted=on_exhausted, set=set_ or {})  # fmt: skip


def collect(
    name: str,
    slot: str,
    say: str,
    *branches: Branch,
    no_match: tuple[str, ...] = (),
    on_exhausted: str | None = None,
    set_: Mapping[str, str] | None = None,
) -> Step:
    return Step(name, "collect", say=(say,), collect=slot, next=branches, no_match=no_match,
                on_exhausted=on_exhausted, set=set_ or {})  # fmt: skip


def move(
    name: str, say: str | tuple[str, ...], *branches: Branch, set_: Mapping[str, str] | None = None
) -> Step:
    says = (say,) if isinstance(say, str) else say
    return Step(name, "next", say=says, next=branches, set=set_ or {})


def go(goto: str, **conditions: str | tuple[str, ...]) -> Branch:
    """A ``next`` branch; with no conditions, the default (or a plain ``next: STEP``)."""
    return Branch(goto, {k: (v,) if isinstance(v, str) else v for k, v in conditions.items()})


def end(name: str, say: str, outcome: EndOutcome = "completed") -> Step:
    return Step(name, "end", say=(say,), end=outcome)


def build(
    start: str,
    steps: Iterable[Step],
    intents: Iterable[Intent],
    slots: Iterable[Slot] = (),
    *,
    settings: FlowSettings | None = None,
    off_topic: OffTopic | None = None,
    fallback: Fallback | None = None,
) -> Flow:
    return Flow(
        id="test-flow",
        start=start,
        intents={i.name: i for i in intents},
        steps={s.name: s for s in steps},
        slots={s.name: s for s in slots},
        settings=settings or FlowSettings(),
        off_topic=off_topic,
        fallback=fallback or Fallback(),
    )


ORDER_OFF_TOPIC = OffTopic(("tell me a joke", "weather"), ("Only orders, sorry.",), True)
ORDER_FALLBACK = Fallback(("Sorry?", "Sorry, again?"), True)


def order_flow(
    settings: FlowSettings | None = None,
    off_topic: OffTopic | None = ORDER_OFF_TOPIC,
    fallback: Fallback = ORDER_FALLBACK,
) -> Flow:
    """The spec's order-status example, trimmed: routes, collect, globals, off-topic."""
    return build(
        "greet",
        [
            ask(
                "greet",
                "What do you need?",
                {"track": "ask_order", "change": "ask_name"},
                buttons={"Track an order": "track", "Talk to us": "agent"},
                on_exhausted="handoff",
            ),
            collect(
                "ask_order",
                "order_id",
                "Your order number?",
                go("confirm"),
                no_match=("Five digits, like 12345.", "Just the five digits."),
            ),
            ask(
                "confirm",
                "Order {order_id}, right?",
                {"affirm": "status", "deny": "ask_order"},
                clear={"deny": ("order_id",)},
            ),
            end("status", "Order {order_id} is on its way."),
            collect("ask_name", "name", "Your name?", go("named")),
            end("named", "Thanks {name}."),
            end("handoff", "Connecting you to a person.", "escalated"),
        ],
        [
            intent("track", "track my package", "where is my order"),
            intent("change", "change my address"),
            intent("affirm", "yes", "correct"),
            intent("deny", "no", "wrong"),
            intent("agent", "talk to a human", goto="handoff"),
            intent("repeat", "say that again", back=True),
            intent("help", "what can you do", say="I track orders.", back=True),
        ],
        [
            Slot("order_id", "pattern", True, pattern=r"\b(?:ORD-?)?(\d{5})\b"),
            Slot("name", "text", False),
        ],
        settings=settings,
        off_topic=off_topic,
        fallback=fallback,
    )


class KeywordStepMatcher:
    """Recognises an intent when one of its examples occurs in the message as whole words."""

    def __init__(self, owners: list[tuple[re.Pattern[str], str]]) -> None:
        self._owners = owners

    def match(self, text: str) -> Match:
        hits = sorted({owner for pattern, owner in self._owners if pattern.search(text)})
        if not hits:
            return Match(None, 0.0, False)
        if len(hits) > 1:
            return Match(hits[0], 1.0, False, hits[1], 1.0)
        return Match(hits[0], 1.0, True)

    def verdict(self, text: str) -> tuple[str | None, float]:
        """What the engine asks: the accepted intent (or None) and the confidence."""
        found = self.match(text)
        return found.intent if found.accepted else None, found.confidence


class KeywordMatcher:
    """Drop-in for ``IntentMatcher`` with no fuzziness: tests pin engine rules only."""

    def __init__(self, flow: Flow) -> None:
        self._flow = flow

    def for_intents(self, names: Iterable[str]) -> KeywordStepMatcher:
        pairs = [(e, n) for n in sorted(set(names)) for e in self._flow.intents[n].examples]
        if self._flow.off_topic is not None:
            pairs += [(e, OFF_TOPIC) for e in self._flow.off_topic.examples]
        return KeywordStepMatcher(
            [(re.compile(rf"(?<!\w){re.escape(e)}(?!\w)", re.IGNORECASE), n) for e, n in pairs]
        )


Talk = Callable[[Flow], Conversation]


@pytest.fixture
def talk(monkeypatch: pytest.MonkeyPatch) -> Talk:
    """Start a conversation on a flow, with the keyword matcher standing in."""
    monkeypatch.setattr(engine, "IntentMatcher", KeywordMatcher)

    def start(flow: Flow) -> Conversation:
        conversation = Assistant(flow).conversation()
        conversation.start()
        return conversation

    return start


def play(
    customer: Customer,
    assistant: Assistant,
    typed: list[str] | None = None,
    visited: list[str] | None = None,
) -> Reply:
    """Plays one simulated customer to the end (or until it gives up) and returns the
    last reply; ``typed`` collects what the customer typed, clicks left out, and
    ``visited`` every step the assistant entered."""
    conversation = assistant.conversation()
    reply = conversation.start()
    if visited is not None:
        visited.extend(reply.visited)
    while not conversation.ended:
        move = customer.respond(reply)
        if move.kind == "give_up":
            break
        if move.kind == "click":
            reply = conversation.click(move.text)
        else:
            if typed is not None:
                typed.append(move.text)
            reply = conversation.reply(move.text)
        if visited is not None:
            visited.extend(reply.visited)
    return reply
