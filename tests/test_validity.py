"""The validity rules of personas.md hold on the example flows and on worse copies of them.

Each test runs two 50-conversation batches at seed 0 that differ only by a designer's
edit (tests/validity_mutations.py) and compares their counts strictly (the comparisons
live in tests/validity_rules.py, shared with benchmarks/validity_seeds.py, which runs
them for seeds 0..4). The customers' random streams are keyed by flow id, persona,
conversation, step and visit, so the two batches differ only where the edit bites.

Known exceptions are marked xfail (strict, so they are noticed the day they pass):

- Rule 5 on account-help at seed 0, against the noise-free twin (26 vs 26) and against
  plain (30 vs 26). The twin already misses in 26 conversations (short confirmations
  against a two-example affirm, off-topic remarks), and the other 24 are mostly clicks,
  e-mails and codes, and short requests whose slips the typo repair reads correctly.
  Over 500 conversations typo-prone falls back in 289, its twin in 262 and plain in 259
  (about 3 more in 50), so a tie at 50 is rare but not surprising: over seeds 0..9 the
  twin comparison holds in 55 of 60 cases and the plain one in 53
  (benchmarks/validity_seeds.py).
"""

from __future__ import annotations

import pytest
from validity_mutations import main_path_intents
from validity_rules import (
    FLOW_IDS,
    PERSONAS,
    example_flow,
    rule1,
    rule2,
    rule3,
    rule4,
    rule5,
    rule6,
)

SEED = 0

CLEAN_SHARE_SATURATED = {"account-help"}


def _xfail_if(condition: bool, reason: str) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(reason=reason, strict=True)] if condition else []


RULE1_CASES = [
    pytest.param(flow_id, persona, id=f"{flow_id}-{persona}")
    for flow_id in FLOW_IDS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("flow_id", "persona"), RULE1_CASES)
def test_rule1_trimming_the_first_main_path_intent_hurts_every_persona(
    flow_id: str, persona: str
) -> None:
    flow = example_flow(flow_id)
    intent = main_path_intents(flow)[0]
    comparison = rule1(flow, intent, persona, SEED)
    assert comparison.holds, comparison.describe()


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_the_first_main_path_intent_is_the_one_a_customer_names_first(flow_id: str) -> None:
    flow = example_flow(flow_id)
    found = main_path_intents(flow)
    routed_at_start = {route.intent for route in flow.steps[flow.start].routes}
    assert found and found[0] in routed_at_start
    assert len(set(found)) == len(found)
    assert all(flow.intents[name].global_action is None for name in found)


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_rule2_without_repeat_non_native_loses_more_than_impatient(flow_id: str) -> None:
    non_native, impatient, holds = rule2(example_flow(flow_id), SEED)
    assert holds, f"{non_native.describe()}\n{impatient.describe()}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_rule3_without_off_topic_handling_fewer_wanderers_recover(
    flow_id: str, persona: str
) -> None:
    comparison = rule3(example_flow(flow_id), persona, SEED)
    assert comparison.holds, comparison.describe()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_rule4_no_tolerance_for_misunderstandings_lowers_completion(
    flow_id: str, persona: str
) -> None:
    comparison = rule4(example_flow(flow_id), persona, SEED)
    assert comparison.holds, comparison.describe()


RULE5_CASES = [
    pytest.param(
        flow_id,
        twin,
        marks=_xfail_if(
            flow_id in CLEAN_SHARE_SATURATED,
            "the clean twin's share is saturated by misses the noise has no part in at "
            "seed 0 (see the module docstring)",
        ),
        id=f"{flow_id}-{'clean-twin' if twin else 'plain'}",
    )
    for flow_id in FLOW_IDS
    for twin in (False, True)
]


@pytest.mark.parametrize(("flow_id", "twin"), RULE5_CASES)
def test_rule5_typos_raise_the_fallback_rate_on_few_short_examples(
    flow_id: str, twin: bool
) -> None:
    comparison = rule5(example_flow(flow_id), SEED, twin=twin)
    assert comparison.holds, comparison.describe()


@pytest.mark.parametrize("flow_id", FLOW_IDS)
def test_rule6_the_per_turn_rate_moves_where_the_share_is_saturated(flow_id: str) -> None:
    flow = example_flow(flow_id)
    comparisons = [c for persona in PERSONAS for c in rule6(flow, persona, SEED)]
    assert comparisons, "no persona's share saturates on the ladder: the test says nothing"
    failing = [c.describe() for c in comparisons if not c.holds]
    assert not failing, "\n".join(failing)
