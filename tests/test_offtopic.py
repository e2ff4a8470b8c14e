"""The off-topic pool: remarks by style, less those that are the flow's own business."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pytest_persona.customers.offtopic import (
    OFF_TOPIC_POOL,
    OFF_TOPIC_TOPICS,
    off_topic_pool,
    off_topic_remark,
)
from pytest_persona.customers.personas import STYLES, Style, get_persona
from pytest_persona.customers.phrasebank import BANK_BY_KEY
from pytest_persona.flow.loader import load_flow
from pytest_persona.simulation import Simulator


def test_every_topic_a_remark_is_tagged_with_is_a_phrase_bank_task() -> None:
    assert OFF_TOPIC_TOPICS
    assert OFF_TOPIC_TOPICS.issubset(BANK_BY_KEY)


@pytest.mark.parametrize("style", STYLES)
def test_a_flow_that_answers_opening_hours_keeps_the_rest_of_the_pool(style: Style) -> None:
    everything = off_topic_pool(style)
    narrowed = off_topic_pool(style, frozenset({"opening_hours"}))
    assert "are you open on bank holidays" in everything
    assert "are you open on bank holidays" not in narrowed
    assert set(narrowed) < set(everything)
    assert set(everything) - set(narrowed) == {"are you open on bank holidays"}


def test_remarks_come_only_from_the_narrowed_pool() -> None:
    in_scope = frozenset(OFF_TOPIC_TOPICS)
    rng = random.Random(7)
    allowed = set(off_topic_pool("casual", in_scope))
    said = {off_topic_remark("casual", rng, in_scope=in_scope) for _ in range(500)}
    assert said <= allowed and len(said) > 1
    assert set(OFF_TOPIC_POOL) - allowed  # something was left out


def test_the_previous_remark_is_not_repeated() -> None:
    rng = random.Random(3)
    previous = ""
    for _ in range(200):
        remark = off_topic_remark("terse", rng, previous)
        assert remark != previous
        previous = remark


def test_customers_of_a_flow_with_opening_hours_never_wander_with_its_business() -> None:
    flows = Path(__file__).resolve().parent.parent / "example_flows"
    remarks: dict[str, set[str]] = {}
    for flow_id in ("dental-appointment", "order-status"):  # with and without opening hours
        simulator = Simulator(load_flow(flows / f"{flow_id}.flow.yaml"), get_persona("plain"), 0)
        said = remarks.setdefault(flow_id, set())
        for index in range(300):
            turns = simulator.transcript(index).turns
            said.update(turn.text.lower() for turn in turns if turn.off_topic)
    assert not any("bank holiday" in text for text in remarks["dental-appointment"])
    assert any("bank holiday" in text for text in remarks["order-status"])
