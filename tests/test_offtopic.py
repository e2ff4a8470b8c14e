"""The off-topic pool: remarks by style, less those that are the flow's own business."""

from __future__ import annotations

import random

import pytest

from pytest_persona.customers.offtopic import (
    OFF_TOPIC_POOL,
    OFF_TOPIC_TOPICS,
    off_topic_pool,
    off_topic_remark,
)
from pytest_persona.customers.personas import STYLES, Style
from pytest_persona.customers.phrasebank import BANK_BY_KEY


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
