"""Regression gates: rule syntax, exact comparisons, and messages a person can act on."""

from __future__ import annotations

from fractions import Fraction

import pytest
from history_builders import record, run
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.gates import (
    CompareRule,
    compare_gate,
    find_regressions,
    missing_baseline,
    parse_compare_rule,
)
from pytest_persona.history_records import HistoryEntry, StoredRun

COMPLETION = CompareRule("completion", Fraction(5, 100))


def _previous(number: int = 12, **kwargs: object) -> HistoryEntry:
    return HistoryEntry(StoredRun(number, run(2)), record(**kwargs))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, metric, allowed",
    [
        ("completion:0.05", "completion", Fraction(1, 20)),
        ("completion:5%", "completion", Fraction(1, 20)),
        ("fallback_rate:0.05", "fallback_rate", Fraction(1, 20)),
        ("fallback-rate:0.1", "fallback_rate", Fraction(1, 10)),
        ("fallback:0", "fallback_rate", Fraction(0)),
        ("off_topic_recovery:0.1", "off_topic_recovery", Fraction(1, 10)),
        ("Off-Topic:12.5%", "off_topic_recovery", Fraction(1, 8)),
    ],
)
def test_rules_parse(text: str, metric: str, allowed: Fraction) -> None:
    rule = parse_compare_rule(text)
    assert (rule.metric, rule.allowed) == (metric, allowed)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("completion", "expected METRIC:DROP"),
        ("completion:", "expected METRIC:DROP"),
        ("speed:0.1", "unknown metric 'speed'"),
        ("completion:abc", "not a number"),
        ("completion:nan", "not a number"),
        ("completion:5", "between 0 and 1"),
        ("completion:-0.1", "between 0 and 1"),
    ],
)
def test_bad_rules_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_compare_rule(text)


def test_a_fall_beyond_the_allowed_drop_fails_with_a_full_sentence() -> None:
    message = compare_gate(_previous(completed=45), record(completed=39), [COMPLETION])
    assert message == (
        "completion fell from 90% (45/50) to 78% (39/50), more than the allowed 0.05 "
        "(run 12, 2026-09-23, 0000002)"
    )


def test_a_fall_of_exactly_the_allowed_drop_passes() -> None:
    # 90% to 85%: a float subtraction gives 0.05000000000000004 > 0.05.
    assert (
        compare_gate(
            _previous(count=20, completed=18, wandered=4, recovered=3),
            record(count=20, completed=17, wandered=4, recovered=3),
            [COMPLETION],
        )
        is None
    )


def test_a_rising_fallback_rate_is_the_wrong_way() -> None:
    rule = parse_compare_rule("fallback_rate:0.05")
    worse = compare_gate(_previous(misunderstood=2), record(misunderstood=6), [rule])
    better = compare_gate(_previous(misunderstood=6), record(misunderstood=2), [rule])
    assert worse is not None and worse.startswith("fallback rate rose from 4% (2/50) to 12%")
    assert better is None


def test_a_rise_in_completion_never_fails() -> None:
    assert (
        compare_gate(_previous(completed=30), record(completed=48, recovered=10), [COMPLETION])
        is None
    )


def test_every_broken_rule_is_one_line() -> None:
    rules = [COMPLETION, parse_compare_rule("fallback:0.02")]
    message = compare_gate(
        _previous(completed=45, misunderstood=1), record(completed=30, misunderstood=10), rules
    )
    assert message is not None
    lines = message.splitlines()
    assert [line.split()[0] for line in lines] == ["completion", "fallback"]


def test_n_a_scores_and_other_keys_are_not_compared() -> None:
    rule = parse_compare_rule("off_topic_recovery:0")
    nobody_wandered = record(wandered=0, recovered=0)
    assert find_regressions([rule], nobody_wandered, _previous(wandered=10, recovered=8)) == []
    assert compare_gate(_previous(persona="elderly"), record(completed=10), [COMPLETION]) is None
    assert compare_gate(None, record(completed=10), [COMPLETION]) is None


def test_a_baseline_is_named_in_the_message() -> None:
    message = compare_gate(
        _previous(completed=45), record(completed=39), [COMPLETION], baseline="release-1"
    )
    assert message is not None
    assert message.endswith("(baseline 'release-1': run 12, 2026-09-23, 0000002)")


def test_a_missing_baseline_is_a_warning_or_an_error() -> None:
    warn = missing_baseline("v2", ["v1"], "warn", ".persona/history.db")
    fail = missing_baseline("v2", [], "fail", ".persona/history.db")
    assert not warn.fatal and fail.fatal
    assert "baseline 'v2' is not in .persona/history.db (saved baselines: v1)" in warn.message
    assert "--persona-save v2" in fail.message
    assert "persona_baseline_missing = fail" in fail.message


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 100))
def test_the_gate_fails_exactly_when_the_fall_exceeds_the_drop(
    before: int, after: int, percent: int
) -> None:
    rule = CompareRule("completion", Fraction(percent, 100))
    failed = find_regressions(
        [rule],
        record(completed=after, misunderstood=0, wandered=0, recovered=0),
        _previous(completed=before, misunderstood=0, wandered=0, recovered=0),
    )
    assert bool(failed) == ((before - after) * 2 > percent)  # n=50: one conversation is 2%
