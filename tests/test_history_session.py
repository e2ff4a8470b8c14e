"""A session's outputs end to end: history, deltas, gates, reports, and their failures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from history_builders import record, run

from pytest_persona.gates import parse_compare_rule
from pytest_persona.history_records import ItemKey
from pytest_persona.session_outputs import (
    OutputSettings,
    SessionHistory,
    write_session_outputs,
)

KEY = ItemKey("flows/checkout.flow.yaml", "impatient", 50)


@pytest.fixture
def settings(tmp_path: Path) -> OutputSettings:
    return OutputSettings(
        rootdir=tmp_path,
        history_path=tmp_path / ".persona" / "history.db",
        report_path=tmp_path / ".persona" / "report.html",
        environ={},
    )


def test_a_first_session_writes_history_and_report(settings: OutputSettings) -> None:
    session = SessionHistory(settings)
    assert session.previous(KEY) is None  # nothing yet, and no warning for it
    assert session.delta(record()) is None
    result = session.finish(run(0), [record(), record(persona="elderly")])
    assert result.warnings == ()
    assert result.run is not None and result.run.number == 1
    assert result.written == ("pytest-persona: HTML report: .persona/report.html",)
    assert settings.report_path is not None and settings.report_path.is_file()


def test_a_second_session_sees_deltas_and_fails_a_gate(settings: OutputSettings) -> None:
    write_session_outputs(run(0), [record(completed=45)], settings)
    gated = replace(settings, compare_rules=(parse_compare_rule("completion:0.05"),))
    session = SessionHistory(gated)
    current = record(completed=39, content_hash="hash-2")
    delta = session.delta(current)
    assert delta is not None and delta.flow_changed
    message = session.gate(current)
    assert message is not None and message.startswith("completion fell from 90% (45/50)")
    assert session.gate(record(completed=44)) is None
    result = session.finish(run(1), [current.with_regressions([message])])
    assert result.warnings == ()
    assert settings.report_path is not None
    html = settings.report_path.read_text()
    assert "completion fell from 90% (45/50)" in html
    assert "▼ -12%" in html


def test_the_gate_compares_with_a_named_baseline(settings: OutputSettings) -> None:
    write_session_outputs(run(0), [record(completed=45)], replace(settings, save_as="v1"))
    write_session_outputs(run(1), [record(completed=30)], settings)
    rules = (parse_compare_rule("completion:0.05"),)
    against_previous = SessionHistory(replace(settings, compare_rules=rules))
    against_v1 = SessionHistory(replace(settings, compare_rules=rules, baseline="v1"))
    current = record(completed=40)
    assert against_previous.gate(current) is None  # up from 60%
    message = against_v1.gate(current)
    assert message is not None and "baseline 'v1': run 1" in message
    assert against_v1.baseline_problem() is None


@pytest.mark.parametrize("policy", ["warn", "fail"])
def test_a_missing_baseline_is_reported_with_its_policy(
    settings: OutputSettings, policy: str
) -> None:
    write_session_outputs(run(0), [record()], replace(settings, save_as="v1"))
    session = SessionHistory(
        replace(
            settings,
            baseline="v9",
            baseline_missing=policy,  # type: ignore[arg-type]
            compare_rules=(parse_compare_rule("completion:0"),),
        )
    )
    problem = session.baseline_problem()
    assert problem is not None
    assert problem.fatal == (policy == "fail")
    assert "saved baselines: v1" in problem.message
    assert session.gate(record(completed=10)) is None  # nothing to compare with
    warnings = session.take_warnings()
    assert len(warnings) == (0 if policy == "fail" else 1)
    assert all("baseline 'v9' is not in" in w for w in warnings)


def test_a_broken_history_is_one_warning_and_the_reports_are_still_written(
    settings: OutputSettings,
) -> None:
    assert settings.history_path is not None and settings.report_path is not None
    settings.history_path.parent.mkdir(parents=True)
    settings.history_path.write_bytes(b"not sqlite at all" * 10)
    before = settings.history_path.read_bytes()
    step_summary = settings.rootdir / "summary.md"
    session = SessionHistory(
        replace(
            settings,
            environ={"GITHUB_STEP_SUMMARY": str(step_summary)},
            compare_rules=(parse_compare_rule("completion:0.05"),),
        )
    )
    assert session.previous(KEY) is None
    assert session.gate(record(completed=5)) is None
    first = session.take_warnings()
    assert len(first) == 1 and "not a SQLite database" in first[0]
    assert "results are unaffected" in first[0]
    result = session.finish(run(0), [record(completed=20)])
    assert result.warnings == ()  # already shown once
    assert result.run is None
    assert settings.history_path.read_bytes() == before
    assert "History could not be used" in settings.report_path.read_text()
    assert "| flows/checkout.flow.yaml | impatient | 50 |" in step_summary.read_text()


def test_an_unwritable_history_location_warns_once_at_the_end(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings = OutputSettings(
        rootdir=tmp_path,
        history_path=blocker / "history.db",
        report_path=tmp_path / "report.html",
        environ={},
        save_as="v1",
    )
    result = write_session_outputs(run(0), [record()], settings)
    assert len(result.warnings) == 2
    assert "cannot create the history folder" in result.warnings[0]
    assert "baseline 'v1' not saved" in result.warnings[1]
    assert (tmp_path / "report.html").is_file()


def test_history_off_still_writes_the_report_and_markdown(tmp_path: Path) -> None:
    markdown = tmp_path / "out" / "summary.md"
    settings = OutputSettings(
        rootdir=tmp_path, report_path=tmp_path / "r.html", markdown_path=markdown, environ={}
    )
    session = SessionHistory(settings)
    assert session.previous(KEY) is None
    result = session.finish(run(0), [record()])
    assert result.warnings == ()
    assert len(result.written) == 2
    assert "History is off" in (tmp_path / "r.html").read_text()
    assert markdown.read_text().startswith("### pytest-persona: ✅ all 1 passing")


def test_an_unwritable_report_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    settings = OutputSettings(rootdir=tmp_path, report_path=blocker / "report.html", environ={})
    result = write_session_outputs(run(0), [record()], settings)
    assert len(result.warnings) == 1 and "HTML report not written" in result.warnings[0]
