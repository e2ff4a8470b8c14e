"""How robust the validity rules are: each rule's comparisons for several seeds.

The suite (tests/test_validity.py) checks the rules at seed 0; this prints, per rule,
how many comparisons hold at each seed, and lists the ones that do not, so a rule that
holds only by luck at seed 0 shows up here.

    python benchmarks/validity_seeds.py [--seeds 0-4] [--all-intents] [--verbose] [--flows DIR]

``--flows benchmarks/heldout_flows`` runs them on six flows written after the simulator,
for this check, instead of the example flows (rule 3 only on flows with ``off_topic``).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from validity_mutations import main_path_intents
from validity_rules import (
    FLOW_IDS,
    PERSONAS,
    Comparison,
    example_flow,
    rule1,
    rule2,
    rule3,
    rule4,
    rule5,
    rule6,
)

from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import Flow


def _seeds(text: str) -> list[int]:
    if "-" in text:
        low, high = text.split("-")
        return list(range(int(low), int(high) + 1))
    return [int(s) for s in text.split(",")]


def comparisons(
    seed: int, all_intents: bool, flows: list[Flow]
) -> dict[str, list[tuple[bool, str]]]:
    found: dict[str, list[tuple[bool, str]]] = defaultdict(list)

    def add(rule: str, c: Comparison) -> None:
        found[rule].append((c.holds, c.describe()))

    for flow in flows:
        intents = main_path_intents(flow)
        for persona in PERSONAS:
            for intent in intents if all_intents else intents[:1]:
                add("1", rule1(flow, intent, persona, seed))
            if flow.off_topic is not None:  # the rule removes it
                add("3", rule3(flow, persona, seed))
            add("4", rule4(flow, persona, seed))
            for c in rule6(flow, persona, seed):
                add("6", c)
        nn, imp, holds = rule2(flow, seed)
        found["2"].append((holds, f"{nn.describe()}\n      vs {imp.describe()}"))
        add("5", rule5(flow, seed))
        add("5 twin", rule5(flow, seed, twin=True))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0-4")
    parser.add_argument("--all-intents", action="store_true", help="rule 1 on every intent")
    parser.add_argument("--verbose", action="store_true", help="list every comparison")
    parser.add_argument("--flows", type=Path, help="a folder of flows instead of the examples")
    args = parser.parse_args(argv)
    seeds = _seeds(args.seeds)
    if args.flows is None:
        flows = [example_flow(flow_id) for flow_id in FLOW_IDS]
    else:
        flows = [load_flow(path) for path in sorted(args.flows.glob("*.flow.yaml"))]
    table: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    failures: list[str] = []
    for seed in seeds:
        for rule, results in sorted(comparisons(seed, args.all_intents, flows).items()):
            held = sum(ok for ok, _ in results)
            table[rule][seed] = (held, len(results))
            for ok, text in results:
                if args.verbose or not ok:
                    failures.append(f"seed {seed} {text}")
    print("rule     " + "  ".join(f"seed {s:<5}" for s in seeds))
    for rule in sorted(table):
        cells = "  ".join(f"{h:>4}/{n:<5}" for h, n in (table[rule].get(s, (0, 0)) for s in seeds))
        print(f"{rule:8} {cells}")
    for line in failures:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
