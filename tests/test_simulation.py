"""Batches: determinism across processes, prefix stability, kept transcripts, replay."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_persona import GoalUnreachable, Simulator, load_flow, simulate
from pytest_persona.customers.personas import BUILTIN_PERSONAS, get_persona
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.loader import load_flow_text
from pytest_persona.simulation import cyclic_gc_paused

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "example_flows").glob("*.flow.yaml"))
ORDER = ROOT / "example_flows" / "order-status.flow.yaml"

DIGEST_SCRIPT = """
import hashlib, json, sys
from pytest_persona import Simulator, load_flow
from pytest_persona.customers.personas import get_persona
out = hashlib.sha256()
for path in sys.argv[1:]:
    flow = load_flow(path)
    for persona in ("impatient", "typo-prone", "non-native", "elderly", "plain"):
        simulator = Simulator(flow, get_persona(persona), 3)
        for index in range(12):
            transcript = simulator.transcript(index)
            out.update(repr(transcript).encode())
        out.update(json.dumps(simulator.batch(12).to_dict(), sort_keys=True).encode())
print(out.hexdigest())
"""


def _digest_in_subprocess(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", DIGEST_SCRIPT, *map(str, EXAMPLES)],
        env=env, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return done.stdout.strip()


def test_transcripts_are_byte_identical_across_processes_and_hash_seeds() -> None:
    first = _digest_in_subprocess("0")
    assert len(first) == 64
    assert _digest_in_subprocess("1") == first


def test_a_small_batch_is_the_start_of_a_larger_one() -> None:
    flow = load_flow(ORDER)
    for persona in ("impatient", "elderly"):
        small = simulate(flow, persona, 10, seed=5)
        large = simulate(flow, persona, 50, seed=5)
        assert small.summaries == large.summaries[:10]


def test_different_seeds_give_different_conversations() -> None:
    flow = load_flow(ORDER)
    one = simulate(flow, "typo-prone", 20, seed=1)
    two = simulate(flow, "typo-prone", 20, seed=2)
    texts_one = [Simulator(flow, get_persona("typo-prone"), 1).transcript(i) for i in range(3)]
    texts_two = [Simulator(flow, get_persona("typo-prone"), 2).transcript(i) for i in range(3)]
    assert texts_one != texts_two
    assert one.seed == 1 and two.seed == 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_kept_transcripts_are_the_shortest_unfinished_ones_and_replay(path: Path) -> None:
    flow = load_flow(path)
    result = simulate(flow, "impatient", 30, seed=0, keep_failing=2)
    unfinished = [s for s in result.summaries if s.outcome != "completed"]
    assert len(result.failing_transcripts) == min(2, len(unfinished))
    shortest = sorted(unfinished, key=lambda s: (s.customer_turns, s.index))[:2]
    assert [t.summary for t in result.failing_transcripts] == shortest
    simulator = Simulator(flow, get_persona("impatient"), 0)
    for kept in result.failing_transcripts:
        assert simulator.transcript(kept.summary.index) == kept
        customer_turns = [t for t in kept.turns if t.speaker == "customer"]
        gave_up = customer_turns and customer_turns[-1].text == "(gives up)"
        assert len(customer_turns) - (1 if gave_up else 0) == kept.summary.customer_turns


def test_scores_agree_with_the_summaries() -> None:
    result = simulate(ORDER, "non-native", 40, seed=0)
    summaries = result.summaries
    assert result.scores.completion.hits == sum(s.outcome == "completed" for s in summaries)
    assert result.scores.fallback_rate.hits == sum(s.misunderstandings > 0 for s in summaries)
    assert result.scores.off_topic_recovery.total == sum(s.wandered for s in summaries)
    assert sum(result.scores.outcomes.values()) == 40
    assert all(s.stopped_at is None for s in summaries if s.outcome == "completed")


def test_a_shared_assistant_gives_the_same_results() -> None:
    flow = load_flow(ORDER)
    assistant = Assistant(flow)
    shared = Simulator(flow, get_persona("elderly"), 0, assistant=assistant).batch(15)
    alone = Simulator(flow, get_persona("elderly"), 0).batch(15)
    assert shared == alone
    with pytest.raises(ValueError, match="another flow"):
        Simulator(load_flow(ORDER), get_persona("elderly"), 0, assistant=assistant)


def test_a_batch_needs_at_least_one_conversation() -> None:
    with pytest.raises(ValueError, match="positive"):
        simulate(ORDER, "plain", 0)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_long_phrases_never_arrive_exactly_as_written_in_examples(path: Path) -> None:
    flow = load_flow(path)
    normalise = str.maketrans("", "", ".,!?;:'\"")
    examples = {
        " ".join(e.lower().translate(normalise).split())
        for intent in flow.intents.values()
        for e in intent.examples
    }
    for persona in sorted(BUILTIN_PERSONAS):
        simulator = Simulator(flow, get_persona(persona), 0)
        for index in range(25):
            for turn in simulator.transcript(index).turns:
                if turn.speaker != "customer" or turn.clicked:
                    continue
                words = " ".join(turn.text.lower().translate(normalise).split())
                if len(words.split()) >= 4:
                    assert words not in examples, (persona, index, turn.text)


UNREACHABLE = """
flow: sold-out
start: greet
intents:
  buy: {examples: ["buy one", "I want to buy", "purchase please"]}
steps:
  greet:
    say: "What would you like?"
    routes: [{intent: buy, goto: check}]
  check:
    say: "Checking stock."
    set: {stock: "none"}
    next:
      - {if: {stock: "none"}, goto: sorry}
      - {goto: done}
  sorry: {say: "Sold out.", end: abandoned}
  done: {say: "Bought!", end: completed}
goals:
  - {end: done}
"""


def test_a_goal_no_customer_can_reach_is_reported_not_scored_zero(tmp_path: Path) -> None:
    path = tmp_path / "sold-out.flow.yaml"
    path.write_text(UNREACHABLE)
    flow = load_flow_text(UNREACHABLE, str(path))
    with pytest.raises(GoalUnreachable, match="done"):
        simulate(flow, "plain", 10)


def test_batch_result_survives_json_transport() -> None:
    from pytest_persona import BatchResult

    result = simulate(ORDER, "typo-prone", 20, seed=4)
    wire = json.dumps(result.to_dict(), sort_keys=True)
    assert BatchResult.from_dict(json.loads(wire)) == result
    assert hashlib.sha256(wire.encode()).hexdigest() == hashlib.sha256(
        json.dumps(simulate(ORDER, "typo-prone", 20, seed=4).to_dict(), sort_keys=True).encode()
    ).hexdigest()


def test_clearing_shared_caches_empties_them_and_changes_no_result() -> None:
    from pytest_persona.customers.lexicon import PARAPHRASE
    from pytest_persona.flow.textnorm import stem
    from pytest_persona.simulation import clear_shared_caches

    flow = load_flow(ORDER)
    persona = get_persona("elderly")
    before = Simulator(flow, persona, 3).batch(20).to_dict()
    assert stem.cache_info().currsize > 0
    clear_shared_caches()
    assert stem.cache_info().currsize == 0 and not PARAPHRASE._spots
    assert Simulator(flow, persona, 3).batch(20).to_dict() == before


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name.removesuffix(".flow.yaml"))
def test_a_batch_leaves_no_reference_cycles_for_the_paused_collector(path: Path) -> None:
    """``batch`` pauses the cyclic collector on the grounds that conversations make no
    cycles; a collection right after a batch run with it off must find nothing."""
    flow = load_flow(path)
    simulators = [Simulator(flow, persona, 5) for persona in BUILTIN_PERSONAS.values()]
    gc.collect()
    gc.disable()
    try:
        for simulator in simulators:
            simulator.batch(25)
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable == 0


def test_the_collector_is_paused_only_for_the_block_and_only_if_it_ran() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        assert not gc.isenabled()
        raise RuntimeError("a failure inside the block")
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()
    simulate(ORDER, "plain", count=3)
    assert gc.isenabled()
