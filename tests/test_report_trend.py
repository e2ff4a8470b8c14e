"""Trend chart geometry: scaled to 0-100%, broken at n/a, marked where the flow changed."""

from __future__ import annotations

from collections.abc import Mapping

from history_builders import record, run
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.history_records import HistoryEntry, StoredRun
from pytest_persona.report.trend import HEIGHT, PAD_BOTTOM, PAD_TOP, WIDTH, build_trend


def _entries(*specs: Mapping[str, object]) -> list[HistoryEntry]:
    return [
        HistoryEntry(StoredRun(n + 1, run(n)), record(**spec))  # type: ignore[arg-type]
        for n, spec in enumerate(specs)
    ]


def test_higher_scores_sit_higher_on_the_chart() -> None:
    chart = build_trend(_entries({"completed": 25}, {"completed": 50, "recovered": 10}))
    completion = next(s for s in chart.series if s.metric == "completion")
    (low, high) = completion.points
    assert low.y > high.y  # SVG y grows downwards
    assert high.y == PAD_TOP
    assert low.y == PAD_TOP + (HEIGHT - PAD_TOP - PAD_BOTTOM) / 2
    assert (low.x, high.x) == (6, WIDTH - 6)
    assert completion.path == f"M{low.x:g},{low.y:g} L{high.x:g},{high.y:g}"


def test_an_n_a_score_breaks_its_line() -> None:
    chart = build_trend(_entries({}, {"wandered": 0, "recovered": 0}, {}))
    recovery = next(s for s in chart.series if s.metric == "off_topic_recovery")
    assert len(recovery.points) == 2
    assert recovery.path.count("M") == 2 and "L" not in recovery.path


def test_one_run_is_a_dot_in_the_middle() -> None:
    chart = build_trend(_entries({}))
    assert {p.x for s in chart.series for p in s.points} == {WIDTH / 2}
    assert chart.summary == "completion over 1 run: 90%"


def test_flow_edits_and_the_limit_are_marked() -> None:
    chart = build_trend(_entries({}, {"content_hash": "b"}, {"content_hash": "b"}))
    assert chart.flow_changes == (WIDTH / 2,)
    assert chart.limit_y == chart.y_of(0.75)
    assert "run 2" in chart.series[0].points[1].tooltip
    assert "completion 90% (45/50)" in chart.series[0].points[1].tooltip


@given(st.lists(st.integers(0, 40), min_size=1, max_size=25))
def test_every_point_stays_inside_the_chart(completions: list[int]) -> None:
    chart = build_trend(_entries(*({"completed": c} for c in completions)))
    for series in chart.series:
        for point in series.points:
            assert 0 <= point.x <= chart.width
            assert PAD_TOP <= point.y <= chart.height - PAD_BOTTOM
