"""A flow's preparation, shared by every persona, changes nothing in what customers do."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowbuilders import ask, build, end, intent

from pytest_persona.customers.customer import CustomerFactory
from pytest_persona.customers.personas import get_persona
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import Flow, Goal
from pytest_persona.simulation import FlowPreparation, GoalUnreachable, Simulator

ROOT = Path(__file__).resolve().parent.parent
ORDER = ROOT / "example_flows" / "order-status.flow.yaml"
BOOKING = ROOT / "example_flows" / "table-booking.flow.yaml"


@pytest.mark.parametrize("path", [ORDER, BOOKING])
def test_a_shared_preparation_gives_the_same_batches_as_private_ones(path: Path) -> None:
    flow = load_flow(path)
    preparation = FlowPreparation(flow)
    assistant = Assistant(flow)
    for name in ("elderly", "typo-prone", "impatient"):
        persona = get_persona(name)
        shared = Simulator(flow, persona, 4, assistant, preparation).batch(12)
        alone = Simulator(flow, persona, 4).batch(12)
        assert shared == alone
        assert shared.failing_transcripts == alone.failing_transcripts


def test_sharing_does_not_depend_on_which_persona_ran_first() -> None:
    flow = load_flow(ORDER)
    forward = FlowPreparation(flow)
    backward = FlowPreparation(flow)
    names = ["plain", "non-native", "elderly"]
    first = {n: Simulator(flow, get_persona(n), 1, preparation=forward).batch(8) for n in names}
    second = {
        n: Simulator(flow, get_persona(n), 1, preparation=backward).batch(8)
        for n in reversed(names)
    }
    assert first == second


def test_the_factory_uses_the_preparation_it_is_given() -> None:
    flow = load_flow(ORDER)
    preparation = FlowPreparation(flow)
    factory = CustomerFactory(flow, get_persona("plain"), 0, preparation)
    assert factory.planner is preparation.planner
    assert factory.wording is preparation.wording
    assert factory.goals == preparation.goals


def test_a_preparation_for_another_flow_is_refused() -> None:
    preparation = FlowPreparation(load_flow(ORDER))
    other = load_flow(ORDER)  # the same file loaded again: another Flow object
    with pytest.raises(ValueError, match="another flow"):
        Simulator(other, get_persona("plain"), 0, preparation=preparation)


def test_a_goal_no_customer_can_reach_is_reported_when_preparing() -> None:
    flow = build(
        "greet",
        [
            ask("greet", "Hi", {"track": "done"}),
            end("done", "Done."),
            end("never", "Nobody gets here."),
        ],
        [intent("track", "where is my order")],
    )
    flow = Flow(**{**flow.__dict__, "goals": (Goal("never"),)})
    with pytest.raises(GoalUnreachable, match="goal 'never'"):
        FlowPreparation(flow)


def test_detail_names_are_worked_out_once_per_slot_and_step() -> None:
    flow = load_flow(ORDER)
    preparation = FlowPreparation(flow)
    step = next(name for name, s in flow.steps.items() if s.collect)
    slot = flow.steps[step].collect
    assert slot is not None
    first = preparation.detail_name(slot, step)
    assert first and preparation.detail_name(slot, step) is first
