"""Scores, Wilson intervals, threshold precedence and colours."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.flow.model import Limit, Thresholds
from pytest_persona.results import BatchResult, ConversationSummary, Transcript, Turn, score
from pytest_persona.scoring import Rate, judge, resolve_thresholds, wilson_interval


def test_wilson_interval_matches_known_values() -> None:
    # 41/50 and 0/10: values from the closed form, checked by hand.
    low, high = wilson_interval(41, 50) or (0.0, 0.0)
    assert math.isclose(low, 0.6920, abs_tol=1e-3)
    assert math.isclose(high, 0.9023, abs_tol=1e-3)
    low, high = wilson_interval(0, 10) or (1.0, 1.0)
    assert low == 0.0
    assert math.isclose(high, 0.2775, abs_tol=1e-3)


def test_small_batches_have_wider_intervals() -> None:
    small = wilson_interval(9, 10)
    large = wilson_interval(45, 50)
    assert small is not None and large is not None
    assert small[1] - small[0] > large[1] - large[0]


@given(st.integers(0, 5000), st.integers(1, 5000))
def test_wilson_interval_contains_the_rate(hits: int, total: int) -> None:
    hits = min(hits, total)
    interval = wilson_interval(hits, total)
    assert interval is not None
    low, high = interval
    assert 0.0 <= low <= hits / total + 1e-12
    assert hits / total - 1e-12 <= high <= 1.0


def test_rate_without_cases_is_not_applicable() -> None:
    rate = Rate(0, 0)
    assert rate.value is None
    assert rate.interval is None
    assert str(rate) == "n/a"
    assert str(Rate(41, 50)) == "41/50"


def test_defaults_apply_when_nothing_is_set() -> None:
    limits = resolve_thresholds([])
    assert (limits["completion"].limit, limits["completion"].warn) == (0.75, 0.9)
    assert (limits["fallback_rate"].limit, limits["fallback_rate"].warn) == (0.3, 0.15)
    assert (limits["off_topic_recovery"].limit, limits["off_topic_recovery"].warn) == (0.6, 0.8)


def test_most_specific_level_wins_per_metric() -> None:
    flow_persona = Thresholds(completion=Limit(limit=0.5))
    flow = Thresholds(completion=Limit(limit=0.6), fallback_rate=Limit(limit=0.4, warn=0.2))
    cli = Thresholds(fallback_rate=Limit(limit=0.1), off_topic_recovery=Limit(limit=0.3))
    ini = Thresholds(off_topic_recovery=Limit(limit=0.2, warn=0.35))
    limits = resolve_thresholds([flow_persona, flow, cli, ini])
    assert limits["completion"].limit == 0.5
    assert limits["fallback_rate"].limit == 0.4
    assert limits["fallback_rate"].warn == 0.2
    assert limits["off_topic_recovery"].limit == 0.3
    # warn falls through on its own: the ini's, not the default's.
    assert limits["off_topic_recovery"].warn == 0.35


def test_warn_never_less_strict_than_the_limit() -> None:
    limits = resolve_thresholds([Thresholds(completion=Limit(limit=0.95))])
    assert limits["completion"].warn == 0.95
    assert limits["completion"].colour(0.96) == "green"
    limits = resolve_thresholds([Thresholds(fallback_rate=Limit(limit=0.05))])
    assert limits["fallback_rate"].warn == 0.05


@pytest.mark.parametrize(
    ("metric", "value", "colour"),
    [
        ("completion", 0.95, "green"),
        ("completion", 0.9, "green"),
        ("completion", 0.8, "amber"),
        ("completion", 0.75, "amber"),
        ("completion", 0.74, "red"),
        ("fallback_rate", 0.1, "green"),
        ("fallback_rate", 0.2, "amber"),
        ("fallback_rate", 0.3, "amber"),
        ("fallback_rate", 0.31, "red"),
        ("off_topic_recovery", None, "n/a"),
    ],
)
def test_colours_follow_direction(metric: str, value: float | None, colour: str) -> None:
    limits = resolve_thresholds([])
    assert limits[metric].colour(value) == colour  # type: ignore[index]


def _summary(index: int, outcome: str, misunderstandings: int = 0, wandered: bool = False,
             stopped_at: str | None = None, turns: int = 3) -> ConversationSummary:
    return ConversationSummary(index, "done", outcome, turns, misunderstandings, wandered,  # type: ignore[arg-type]
                               stopped_at)


def test_score_counts_each_definition() -> None:
    summaries = (
        _summary(0, "completed"),
        _summary(1, "completed", misunderstandings=2, wandered=True),
        _summary(2, "escalated", misunderstandings=1, wandered=True, stopped_at="ask_id"),
        _summary(3, "abandoned", stopped_at="ask_id"),
        _summary(4, "stuck", misunderstandings=3, stopped_at="confirm"),
    )
    scores = score(summaries)
    assert str(scores.completion) == "2/5"
    assert str(scores.fallback_rate) == "3/5"
    assert str(scores.off_topic_recovery) == "1/2"
    assert scores.misunderstandings == 6
    assert scores.customer_turns == 15
    assert scores.misunderstandings_per_turn == pytest.approx(6 / 15)
    assert scores.stuck_step == "ask_id" and scores.stuck_step_count == 2
    assert scores.outcomes["escalated"] == 1 and scores.outcomes["misrouted"] == 0
    verdict = judge(scores, resolve_thresholds([]))
    assert verdict.failed and set(verdict.red) == {"completion", "fallback_rate"}
    # 1/2 wanderers recovered: shown, but too few to judge.
    assert verdict.colours["off_topic_recovery"] == "n/a"


def test_nobody_wandered_is_not_applicable_and_never_fails() -> None:
    scores = score((_summary(0, "completed"), _summary(1, "completed")))
    assert scores.off_topic_recovery.value is None
    verdict = judge(scores, resolve_thresholds([]))
    assert verdict.colours["off_topic_recovery"] == "n/a"
    assert verdict.status == "pass"


def test_batch_result_round_trips_through_json_data() -> None:
    summaries = (_summary(0, "completed"), _summary(1, "stuck", 2, True, "ask"))
    transcript = Transcript(summaries[1], (
        Turn("assistant", "Hi", step="ask"),
        Turn("customer", "wat", off_topic=True),
        Turn("assistant", "Sorry?", intent=None, confidence=0.41, step="ask", misunderstood=True),
    ))
    result = BatchResult("f", "f.flow.yaml", "plain", 2, 7, score(summaries), summaries,
                         (transcript,))
    assert BatchResult.from_dict(result.to_dict()) == result


def test_off_topic_recovery_is_not_judged_over_too_few_wanderers() -> None:
    few = score((_summary(0, "stuck", wandered=True, stopped_at="a"),
                 _summary(1, "stuck", wandered=True, stopped_at="a"),
                 _summary(2, "completed")))
    assert str(few.off_topic_recovery) == "0/2"
    assert judge(few, resolve_thresholds([])).colours["off_topic_recovery"] == "n/a"
    enough = score(tuple(_summary(i, "stuck", wandered=True, stopped_at="a") for i in range(5)))
    assert judge(enough, resolve_thresholds([])).colours["off_topic_recovery"] == "red"
