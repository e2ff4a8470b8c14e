"""The plugin's plain-text renderings and the record that travels from xdist workers."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from plugin_helpers import strip_ansi

from pytest_persona.deltas import ItemDelta, item_delta
from pytest_persona.flow.model import METRICS, Limit, Thresholds
from pytest_persona.history_records import HistoryEntry, RunInfo, StoredRun
from pytest_persona.report.record import ItemOutcome, junit_properties
from pytest_persona.report.terminal import (
    change_cell,
    failure_report,
    format_rate,
    header_line,
    large_batch_line,
    score_warning,
    summary_table,
)
from pytest_persona.results import (
    OUTCOMES,
    BatchResult,
    ConversationOutcome,
    ConversationSummary,
    Transcript,
    Turn,
    score,
)
from pytest_persona.scoring import Rate, resolve_thresholds

summaries_strategy = st.lists(
    st.builds(
        lambda i, outcome, turns, wandered: ConversationSummary(
            i, "done", outcome, turns, turns // 2, wandered,
            None if outcome == "completed" else "ask",
        ),
        st.integers(0, 999), st.sampled_from(OUTCOMES), st.integers(0, 9), st.booleans(),
    ),
    min_size=1, max_size=60,
)


def make_record(
    summaries: list[ConversationSummary], completion: float = 0.75, keep: int = 3
) -> ItemOutcome:
    summaries = [
        ConversationSummary(i, s.goal, s.outcome, s.customer_turns, s.misunderstandings,
                            s.wandered, s.stopped_at)
        for i, s in enumerate(summaries)
    ]
    failing = [s for s in summaries if s.outcome != "completed"][:keep]
    transcripts = tuple(
        Transcript(s, (Turn("assistant", "Code?", step="ask"), Turn("customer", "blue"),
                       Turn("assistant", "Sorry?", step="ask", misunderstood=True)))
        for s in failing
    )
    result = BatchResult("shop", "/x/shop.flow.yaml", "impatient", len(summaries), 5,
                         score(tuple(summaries)), tuple(summaries), transcripts)
    limits = resolve_thresholds([Thresholds(completion=Limit(limit=completion))])
    return ItemOutcome("shop.flow.yaml::impatient[n]", "shop.flow.yaml", "shop", "abc",
                      "impatient", "impatient", len(summaries), 5, 0, limits, result)


def outcome(
    kind: ConversationOutcome, turns: int = 2, wandered: bool = False
) -> ConversationSummary:
    misunderstood = 0 if kind == "completed" else 1
    stopped = None if kind == "completed" else "ask"
    return ConversationSummary(0, "done", kind, turns, misunderstood, wandered, stopped)


@given(summaries_strategy)
def test_records_survive_the_json_trip(summaries: list[ConversationSummary]) -> None:
    record = make_record(summaries)
    again = ItemOutcome.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again == record
    assert again.verdict == record.verdict


def test_an_error_record_survives_the_trip_and_has_no_scores() -> None:
    record = make_record([outcome("completed")])
    unreachable = "3:7: goals[0].end: goal 'x': unreachable"
    broken = ItemOutcome(**{**record.__dict__, "result": None, "error": unreachable})
    again = ItemOutcome.from_dict(json.loads(json.dumps(broken.to_dict())))
    assert again == broken
    assert again.status == "error" and again.failed
    assert "completion" not in dict(junit_properties(again))


def test_rates_show_counts() -> None:
    assert format_rate(Rate(41, 50)) == "82% 41/50"
    assert format_rate(Rate(0, 0)) == "n/a"


@given(summaries_strategy)
def test_table_rows_show_every_score_and_the_status(
    summaries: list[ConversationSummary],
) -> None:
    record = make_record(summaries)
    plain = summary_table([record])
    assert strip_ansi(summary_table([record], markup=True)) == plain
    row = plain.splitlines()[2]
    for metric in METRICS:
        assert format_rate(record.result.scores.rate(metric)) in row  # type: ignore[union-attr]
    assert row.rstrip().endswith("FAIL" if record.failed else record.status)


def test_table_takes_an_extra_change_column() -> None:
    record = make_record([outcome("completed")] * 4)
    table = summary_table([record], changes={record.nodeid: "+5%"})
    assert table.splitlines()[0].split()[-1] == "change"
    assert table.splitlines()[2].split()[-1] == "+5%"


def test_table_colours_follow_the_verdict() -> None:
    record = make_record([outcome("completed")] * 3 + [outcome("stuck")], completion=0.8)
    coloured = summary_table([record], markup=True)
    assert "\x1b[31m75% 3/4\x1b[0m" in coloured  # completion below 0.8: red
    assert "\x1b[31mFAIL\x1b[0m" in coloured


def test_failure_report_has_scores_outcomes_stuck_step_and_two_transcripts() -> None:
    record = make_record([outcome("completed")] * 2 + [outcome("stuck", 3)] * 2
                         + [outcome("abandoned", 1)] * 4)
    text = failure_report(record, "flows/shop.flow.yaml", "impatient")
    lines = text.splitlines()
    assert lines[0] == (
        "completion 25% 2/8 misses its limit >= 0.75; "
        "fallback rate 75% 6/8 misses its limit <= 0.3"
    )
    assert "flow shop (flows/shop.flow.yaml), persona impatient, 8 conversations, seed 5" in text
    assert "outcomes: 2 completed, 0 escalated, 4 abandoned, 2 stuck, 0 misrouted" in text
    assert "stopped at step 'ask': 6 of 6 unfinished conversations" in text
    assert text.count("replay: pytest-persona replay flows/shop.flow.yaml --persona impatient") == 2
    assert "--conversation 2 --seed 5" in text


def test_warning_names_the_score_and_its_direction() -> None:
    record = make_record([outcome("completed")] * 17 + [outcome("stuck")] * 3)
    assert record.verdict.amber == ("completion",)
    assert score_warning(record, "completion") == (
        "shop / impatient[20]: completion 85% 17/20 is amber: below the warn level 0.9 "
        "(fails at 0.75)"
    )
    assert "fallback rate 15% 3/20 is amber: above the warn level" in score_warning(
        record, "fallback_rate"
    )


def test_a_batch_beyond_ten_thousand_gets_one_header_warning_with_its_rough_cost() -> None:
    assert large_batch_line([10, 25, 50, 10_000]) is None
    assert large_batch_line([100_000_000, 20_000]) == (
        "persona: warning: a batch of 100000000 conversations takes about 14 hours for each "
        "flow and persona (at about 0.5 ms a conversation); the product's sizes are 10, 25 "
        "and 50, and 10000 measures a rate to within about 1 point"
    )
    assert "takes about 8 min for each" in (large_batch_line([1_000_000]) or "")


def test_header_line() -> None:
    assert header_line(7, True, [10, 50], [], ["impatient"]) == (
        "persona: seed 7 (random; rerun with --persona-seed 7), counts 10, 50, "
        "personas impatient"
    )
    assert header_line(0, False, [10], [], ["impatient"], beside_flows=True).endswith(
        "personas impatient, and any custom personas beside the flows"
    )
    assert header_line(
        0, False, [10], ["plain"], ["impatient"], beside_flows=True
    ).endswith("personas plain")


def test_junit_properties_carry_scores_with_counts() -> None:
    record = make_record([outcome("completed", wandered=True)] + [outcome("stuck")] * 3)
    props = dict(junit_properties(record))
    assert props["completion"] == 0.25 and props["completion_count"] == "1/4"
    assert props["off_topic_recovery"] == 1.0 and props["off_topic_recovery_count"] == "1/1"
    assert (props["persona"], props["count"], props["seed"], props["status"]) == (
        "impatient", 4, 5, "fail"
    )


def test_regressions_travel_fail_the_item_and_reach_the_history() -> None:
    record = make_record([outcome("completed")] * 4)
    assert not record.failed
    gated = replace(record, regressions=("completion fell from 100% (4/4) to 50% (2/4)",))
    again = ItemOutcome.from_dict(json.loads(json.dumps(gated.to_dict())))
    assert again == gated and again.failed and again.status == "fail"
    stored = again.to_history()
    assert stored is not None
    assert stored.status == "fail" and stored.regressions == gated.regressions
    assert (stored.flow_path, stored.persona, stored.count) == ("shop.flow.yaml", "impatient", 4)
    text = failure_report(again, "shop.flow.yaml", "impatient")
    assert text.splitlines()[0] == "regression: completion fell from 100% (4/4) to 50% (2/4)"
    broken = replace(record, result=None, error="3:7: goals[0].end: goal 'x': unreachable")
    assert broken.to_history() is None


def _delta(before: ItemOutcome, after: ItemOutcome) -> ItemDelta | None:
    old, new = before.to_history(), after.to_history()
    assert old is not None and new is not None
    info = RunInfo("uid", 0.0, 0.0, 5)
    return item_delta(new, HistoryEntry(StoredRun(1, info), old))


def test_the_change_cell_names_the_scores_that_moved() -> None:
    good = make_record([outcome("completed")] * 4)
    worse = make_record([outcome("completed")] * 2 + [outcome("stuck")] * 2)
    assert change_cell(None) == ""
    assert change_cell(_delta(good, good)) == "="
    assert change_cell(_delta(good, worse)) == "completion ▼ -50%, fallback ▲ +50%"
    assert change_cell(_delta(worse, good), ascii_only=True) == "completion ^ +50%, fallback v -50%"
    edited = _delta(good, replace(good, content_hash="edited"))
    assert change_cell(edited) == "= *"
    coloured = change_cell(_delta(good, worse), markup=True)
    assert "\x1b[31mcompletion ▼ -50%\x1b[0m" in coloured  # worse is red, whichever way
    assert "\x1b[31mfallback ▲ +50%\x1b[0m" in coloured


@given(summaries_strategy, st.booleans())
def test_the_controllers_compact_record_shows_what_the_full_one_shows(
    summaries: list[ConversationSummary], regressed: bool
) -> None:
    full = make_record(summaries)
    if regressed:
        full = replace(full, regressions=("completion fell",))
    compact = full.compact()
    assert compact.result is not None and full.result is not None
    assert compact.result.summaries == ()
    assert compact.result.scores == full.result.scores
    assert (compact.verdict, compact.status, compact.failed) == (
        full.verdict, full.status, full.failed
    )
    assert summary_table([compact]) == summary_table([full])
    assert junit_properties(compact) == junit_properties(full)
    kept = full.result.failing_transcripts if full.failed else ()
    assert compact.result.failing_transcripts == kept
    stored, full_stored = compact.to_history(), full.to_history()
    assert stored is not None and full_stored is not None
    assert stored == replace(full_stored, failing_transcripts=kept)
    assert ItemOutcome.from_dict(json.loads(json.dumps(compact.to_dict()))) == compact


def test_a_failed_items_compact_record_keeps_its_transcripts_for_the_report() -> None:
    record = make_record([outcome("completed")] + [outcome("stuck", 3)] * 3)
    assert record.failed
    compact = record.compact()
    assert compact.result is not None
    assert len(compact.result.failing_transcripts) == 3
    assert failure_report(compact, "shop.flow.yaml", "impatient") == failure_report(
        record, "shop.flow.yaml", "impatient"
    )


def test_an_error_record_is_already_compact() -> None:
    record = make_record([outcome("completed")])
    broken = replace(record, result=None, error="3:7: goals[0].end: goal 'x': unreachable")
    assert broken.compact() is broken
