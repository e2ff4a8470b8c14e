"""How fast simulated customers are: µs per ``respond()`` and whole conversations per second.

Runs every built-in persona over every ``example_flows/*.flow.yaml``, the engine
included, and prints per persona the median and 90th percentile µs of one customer
turn (rng derivation, planning, wording, voice) and the conversations per second of
the whole simulation on one core. The target is 2,000 conversations per second.
Not a test: numbers depend on the machine.

    python benchmarks/bench_customers.py [--quick] [--count N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from pytest_persona.customers.customer import CustomerFactory
from pytest_persona.customers.personas import BUILTIN_PERSONAS, Persona
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import Flow

FLOWS = Path(__file__).resolve().parent.parent / "example_flows"


def run(flow: Flow, persona: Persona, count: int) -> tuple[list[float], float, int]:
    """Per-turn µs of ``respond()``, seconds for the whole batch, and customer turns."""
    factory = CustomerFactory(flow, persona, seed=0)
    assistant = Assistant(flow)
    turn_us: list[float] = []
    clock = time.perf_counter
    started = clock()
    for index in range(count):
        customer = factory.customer(index)
        conversation = assistant.conversation()
        reply = conversation.start()
        while not conversation.ended:
            before = clock()
            move = customer.respond(reply)
            turn_us.append((clock() - before) * 1e6)
            if move.kind == "give_up":
                break
            if move.kind == "click":
                reply = conversation.click(move.text)
            else:
                reply = conversation.reply(move.text)
    return turn_us, clock() - started, len(turn_us)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny run (smoke test)")
    parser.add_argument("--count", type=int, default=500, help="conversations per flow")
    args = parser.parse_args(argv)
    count = 20 if args.quick else args.count
    flows = [load_flow(path) for path in sorted(FLOWS.glob("*.flow.yaml"))]
    if not flows:
        print("no example flows found", file=sys.stderr)
        return 1
    print(f"{len(flows)} flows, {count} conversations per flow and persona")
    header = f"{'persona':12s} {'turn µs med':>11s} {'p90':>7s} {'turns/conv':>10s} {'conv/s':>8s}"
    print(header)
    worst = float("inf")
    for persona in BUILTIN_PERSONAS.values():
        per_turn: list[float] = []
        seconds = 0.0
        turns = 0
        for flow in flows:
            times, spent, made = run(flow, persona, count)
            per_turn += times
            seconds += spent
            turns += made
        conversations = count * len(flows)
        rate = conversations / seconds
        worst = min(worst, rate)
        p90 = statistics.quantiles(per_turn, n=10)[-1] if len(per_turn) > 1 else per_turn[0]
        print(
            f"{persona.name:12s} {statistics.median(per_turn):11.1f} {p90:7.1f} "
            f"{turns / conversations:10.1f} {rate:8.0f}"
        )
    print(f"slowest persona: {worst:.0f} conversations/s (target 2000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
