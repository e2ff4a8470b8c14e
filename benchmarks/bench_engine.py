"""How long one ``Conversation.reply()`` takes, matcher included.

Walks each flow with a seeded, crude customer (mostly the step's own intents and slot
examples, sometimes off-topic, global or unrelated messages) over the spec's
order-status flow built in memory and every ``example_flows/*.flow.yaml``, then prints
the median and 90th percentile time per reply.
Not a test: numbers depend on the machine.

    python benchmarks/bench_engine.py [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import (
    Branch,
    Fallback,
    Flow,
    GlobalAction,
    Intent,
    OffTopic,
    Route,
    Slot,
    Step,
)

NOISE = (
    "hello?", "asdf qwer", "hmm not sure really", "my card thing from last week, the blue one",
    "I already told you that", "can I pay in instalments for the whole thing",
)  # fmt: skip


def order_status_flow() -> Flow:
    """The whole example of flow-format.md, as the loader would build it."""

    def intent(name: str, *examples: str, action: GlobalAction | None = None) -> Intent:
        return Intent(name, examples, global_action=action)

    def step(name: str, say: str, **rest: object) -> Step:
        kind = "end" if "end" in rest else "collect" if "collect" in rest else "routes"
        kind = "next" if kind == "routes" and "routes" not in rest else kind
        return Step(name, kind, say=(say,), **rest)  # type: ignore[arg-type]

    intents = [
        intent("track_order", "where is my order", "track my package", "has my parcel shipped"),
        intent("change_address", "change my delivery address", "ship it somewhere else"),
        intent("affirm", "yes", "yeah", "correct", "that's right"),
        intent("deny", "no", "nope", "that's wrong"),
        intent("agent", "talk to a human", "real person please", "agent",
               action=GlobalAction(goto="handoff")),
        intent("repeat", "say that again", "sorry what", "can you repeat",
               action=GlobalAction(then_return=True)),
        intent("help", "help", "what can you do",
               action=GlobalAction(say=("I can track or redirect an order.",), then_return=True)),
    ]  # fmt: skip
    steps = [
        step("greet", "Hi! I can track an order or change its address. What do you need?",
             routes=(Route("track_order", "ask_order"), Route("change_address", "ask_change")),
             buttons={"Track an order": "track_order", "Change address": "change_address"},
             on_exhausted="handoff"),
        step("ask_order", "What's your order number?", collect="order_id",
             next=(Branch("confirm"),), no_match=("Order numbers have five digits.",),
             on_exhausted="handoff"),
        step("confirm", "Order {order_id}, is that right?",
             routes=(Route("affirm", "status"), Route("deny", "ask_order", ("order_id",)))),
        step("status", "Order {order_id} is out for delivery today.", end="completed"),
        step("ask_change", "Which order?", collect="order_id", next=(Branch("check"),)),
        step("check", "Let me check.", set={"dispatched": "no"},
             next=(Branch("too_late", {"dispatched": ("yes",)}), Branch("ask_address"))),
        step("too_late", "Order {order_id} has left.", end="abandoned"),
        step("ask_address", "What's the new address?", collect="address",
             next=(Branch("address_done"),)),
        step("address_done", "Done: {order_id} goes to {address}.", end="completed"),
        step("handoff", "Let me connect you to a person.", end="escalated"),
    ]  # fmt: skip
    return Flow(
        id="spec-example",
        start="greet",
        intents={i.name: i for i in intents},
        steps={s.name: s for s in steps},
        slots={
            "order_id": Slot("order_id", "pattern", True, pattern=r"\b(?:ORD-?)?(\d{5})\b"),
            "address": Slot("address", "text", False),
        },
        off_topic=OffTopic(
            ("what's the weather like", "tell me a joke", "who won the match"),
            ("I can only help with orders, I'm afraid.",),
            then_return=True,
        ),
        fallback=Fallback(("Sorry, I didn't catch that.", "Sorry, I still didn't get that.")),
    )


def example_flows() -> list[Flow]:
    """The shipped example flows."""
    root = Path(__file__).resolve().parent.parent / "example_flows"
    return [load_flow(path) for path in sorted(root.glob("*.flow.y*ml"))]


def pick_message(flow: Flow, step: Step, rng: random.Random) -> str:
    """A plausible customer message at ``step``: mostly on the way, sometimes not."""
    roll = rng.random()
    globals_ = [e for i in flow.global_intents for e in i.examples]
    if roll < 0.08 and flow.off_topic is not None:
        return rng.choice(flow.off_topic.examples)
    if roll < 0.16 and globals_:
        return rng.choice(globals_)
    if roll < 0.24:
        return rng.choice(NOISE)
    if step.collect is not None:
        slot = flow.slots[step.collect]
        values = list(slot.examples) or list(slot.values) or ["42"]
        return rng.choice(values)
    intent = flow.intents[rng.choice(step.routes).intent]
    return rng.choice(intent.test_phrases or intent.examples)


def time_replies(flow: Flow, replies: int, seed: int = 0) -> list[float]:
    """Seconds per ``reply()`` over walks of the flow; a walk restarts when it ends."""
    assistant = Assistant(flow)
    rng = random.Random(seed)
    timings: list[float] = []
    clock = time.perf_counter
    conversation = assistant.conversation()
    conversation.start()
    while len(timings) < replies:
        if conversation.ended:
            conversation = assistant.conversation()
            conversation.start()
        waiting = conversation.step
        assert waiting is not None
        text = pick_message(flow, flow.steps[waiting], rng)
        began = clock()
        conversation.reply(text)
        timings.append(clock() - began)
    return timings


def report(name: str, timings: list[float]) -> float:
    median = statistics.median(timings)
    p90 = statistics.quantiles(timings, n=10)[-1]
    print(f"{name:<24} replies={len(timings):>7}  median={median * 1e6:7.1f} us  "
          f"p90={p90 * 1e6:7.1f} us")  # fmt: skip
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="a tiny run, for smoke tests")
    args = parser.parse_args(argv)
    replies = 200 if args.quick else 20_000
    flows = [order_status_flow(), *example_flows()]
    medians = [report(flow.id, time_replies(flow, replies)) for flow in flows]
    print(f"worst median: {max(medians) * 1e6:.1f} us per reply (goal: under 50 us)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
