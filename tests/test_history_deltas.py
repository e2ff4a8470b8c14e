"""Changes since an earlier run: exact, directional, marked when the flow changed."""

from __future__ import annotations

from history_builders import record, run
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.deltas import (
    Delta,
    format_change,
    format_changes,
    format_delta,
    format_rate,
    item_delta,
)
from pytest_persona.history_records import HistoryEntry, StoredRun
from pytest_persona.scoring import Rate


def _entry(**kwargs: object) -> HistoryEntry:
    return HistoryEntry(StoredRun(4, run(4)), record(**kwargs))  # type: ignore[arg-type]


def test_a_rise_and_a_fall_in_points_with_arrows() -> None:
    up = Delta("completion", Rate(43, 50), Rate(45, 50))
    down = Delta("completion", Rate(45, 50), Rate(40, 50))
    assert format_delta(up) == "▲ +4%"
    assert format_delta(down) == "▼ -10%"
    assert format_delta(up, ascii_only=True) == "^ +4%"
    assert format_delta(down, ascii_only=True) == "v -10%"


def test_equal_rates_with_different_counts_are_the_same() -> None:
    same = Delta("completion", Rate(9, 10), Rate(45, 50))
    assert same.direction == "same"
    assert format_delta(same) == "="


def test_a_change_under_one_point_keeps_a_decimal() -> None:
    assert format_delta(Delta("completion", Rate(500, 1000), Rate(503, 1000))) == "▲ +0.3%"


def test_nothing_to_compare_is_blank() -> None:
    assert format_delta(Delta("off_topic_recovery", Rate(0, 0), Rate(3, 4))) == ""
    assert format_delta(None) == ""
    assert format_change(None) == ""


def test_a_higher_fallback_rate_is_worse_news() -> None:
    rise = Delta("fallback_rate", Rate(2, 50), Rate(6, 50))
    assert rise.direction == "up"
    assert rise.judgement == "worse"
    assert Delta("completion", Rate(2, 50), Rate(6, 50)).judgement == "better"


def test_the_mark_tells_the_flow_file_changed() -> None:
    current = record(completed=40, content_hash="new")
    same_file = item_delta(record(completed=40), _entry(completed=45))
    edited = item_delta(current, _entry(completed=45, content_hash="old"))
    assert same_file is not None and edited is not None
    assert not same_file.flow_changed
    assert edited.flow_changed
    assert format_change(same_file) == "▼ -10%"
    assert format_change(edited) == "▼ -10% *"
    assert format_change(edited, "fallback_rate") == "= *"
    assert format_changes(edited) == ("completion ▼ -10%, fallback rate =, off-topic recovery = *")


def test_a_delta_needs_the_same_key() -> None:
    assert item_delta(record(), None) is None
    assert item_delta(record(persona="elderly"), _entry()) is None
    delta = item_delta(record(seed=3), _entry())
    assert delta is not None and delta.seed_changed


def test_rates_show_their_counts() -> None:
    assert format_rate(Rate(45, 50)) == "90% (45/50)"
    assert format_rate(Rate(0, 0)) == "n/a"


@given(st.integers(0, 200), st.integers(0, 200), st.integers(1, 200), st.integers(1, 200))
def test_the_arrow_always_agrees_with_the_sign(a: int, b: int, x: int, y: int) -> None:
    before, after = Rate(min(a, x), x), Rate(min(b, y), y)
    text = format_delta(Delta("completion", before, after))
    diff = min(b, y) * x - min(a, x) * y  # exact comparison of the two fractions
    if diff > 0:
        assert text.startswith("▲ +")
    elif diff < 0:
        assert text.startswith("▼ -")
    else:
        assert text == "="
