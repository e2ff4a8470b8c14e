"""A change is only shown between results of the same seed: two seeds are two samples of
different customers, so their scores differ by chance, not by an edit. Every place that
shows or gates on a change follows the store's ``comparable`` rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from history_builders import record, run

from pytest_persona.cli import main
from pytest_persona.deltas import format_change, format_changes, item_delta
from pytest_persona.gates import find_regressions, parse_compare_rule
from pytest_persona.history import HistoryStore
from pytest_persona.history_records import HistoryEntry, ItemKey, StoredRun
from pytest_persona.report.data import report_from_store
from pytest_persona.report.html import render_html
from pytest_persona.report.markdown import render_markdown
from pytest_persona.report.terminal import change_cell, change_legend
from pytest_persona.session_outputs import OutputSettings, SessionHistory

KEY = ItemKey("flows/checkout.flow.yaml", "impatient", 50)
GATE = parse_compare_rule("completion:0.05")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Seed 0 at 90%, then seed 5 at 60%, then seed 0 again at 88%."""
    path = tmp_path / ".persona" / "history.db"
    with HistoryStore.open(path) as store:
        store.write_run(run(0, seed=0), [record(completed=45, seed=0)], save_as="main")
        store.write_run(run(1, seed=5), [record(completed=30, seed=5)])
        store.write_run(run(2, seed=0), [record(completed=44, seed=0)])
    return path


def test_the_comparable_result_is_the_latest_of_the_same_seed(db: Path) -> None:
    with HistoryStore.open(db, create=False) as store:
        same = store.comparable(KEY, seed=0, before_run=3)
        other = store.comparable(KEY, seed=5, before_run=2)
        new_seed = store.comparable(KEY, seed=9, before_run=4)
        any_seed = store.comparable(KEY, seed=None, before_run=3)
    assert same is not None and same.run.number == 1  # not run 2, of seed 5
    assert other is not None and other.run.number == 1  # no earlier seed 5: told apart
    assert new_seed is not None and new_seed.run.number == 3
    assert any_seed is not None and any_seed.run.number == 2


def _entry(seed: int, completed: int = 45) -> HistoryEntry:
    return HistoryEntry(StoredRun(1, run(0, seed=seed)), record(completed=completed, seed=seed))


def test_a_seed_change_is_said_instead_of_an_arrow() -> None:
    delta = item_delta(record(completed=30, seed=5), _entry(0))
    edited = item_delta(record(completed=30, seed=5, content_hash="new"), _entry(0))
    assert delta is not None and edited is not None
    assert format_change(delta) == "seed changed"
    assert format_changes(delta) == "seed changed"
    assert format_changes(edited) == "seed changed *"
    assert change_cell(delta) == "seed changed"
    assert change_cell(edited, ascii_only=True) == "seed changed *"
    assert "seed changed: every earlier run had another seed" in change_legend(False, True)
    same_seed = item_delta(record(completed=30), _entry(0))
    assert change_cell(same_seed) == "completion ▼ -30%"


def test_the_gate_never_compares_two_seeds() -> None:
    fell = record(completed=30, seed=5)
    assert find_regressions([GATE], fell, _entry(0)) == []
    assert len(find_regressions([GATE], record(completed=30), _entry(0))) == 1


def test_the_report_and_markdown_compare_like_with_like(db: Path) -> None:
    with HistoryStore.open(db, create=False) as store:
        latest = report_from_store(store)  # run 3, seed 0: against run 1, not run 2
        middle = report_from_store(store, 2)  # run 2, seed 5: nothing of seed 5 before
    row = latest.rows[0]
    assert row.delta is not None and row.delta.previous.run.number == 1
    assert latest.moves == {"better": 0, "worse": 1, "changed": 0, "other_seed": 0}
    assert middle.moves == {"better": 0, "worse": 0, "changed": 0, "other_seed": 1}
    html = render_html(middle)
    matrix = html[html.index('id="matrix"') :]
    assert "▼" not in matrix and "▲" not in matrix
    assert "seed changed" in matrix and "1 not compared: seed changed" in html
    text = render_markdown(middle)
    assert "| 🔴 60% (30/50) |" in text and "▼" not in text.split("<sub>")[0]
    assert "❌ fail (seed changed) |" in text
    assert "seed changed: every earlier run had another seed" in text
    assert "| 🟠 88% (44/50) ▼ -2% |" in render_markdown(latest)


def test_history_shows_the_seed_and_compares_within_it(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "flows/checkout.flow.yaml" in line]
    assert "5 (seed changed)" in rows[1] and "60% (30/50) " in rows[1]
    assert "▼" not in rows[1] and "▲" not in rows[1]
    assert "88% (44/50) ▼ -2%" in rows[2]  # against run 1, of seed 0
    assert "seed changed: every earlier run had another seed" in out
    # Listing only the last run still compares it with run 1.
    assert main(["history", "--db", str(db), "--last", "1"]) == 0
    assert "88% (44/50) ▼ -2%" in capsys.readouterr().out


def _session(db: Path, seed: int, **kwargs: object) -> SessionHistory:
    settings = OutputSettings(
        rootdir=db.parent.parent, seed=seed, history_path=db, environ={},
        compare_rules=(GATE,), **kwargs,  # type: ignore[arg-type]
    )
    return SessionHistory(settings)


def test_a_session_gates_against_its_own_seed(db: Path) -> None:
    seed_0 = _session(db, 0)
    previous = seed_0.previous(KEY)
    assert previous is not None and previous.run.number == 3
    assert seed_0.gate(record(completed=30)) is not None
    seed_7 = _session(db, 7)
    delta = seed_7.delta(record(completed=30, seed=7))
    assert delta is not None and delta.seed_changed
    assert seed_7.gate(record(completed=30, seed=7)) is None
    seed_0.close()
    seed_7.close()


def test_a_baseline_of_another_seed_is_not_compared(db: Path) -> None:
    from pytest_persona.gates import other_seed_baseline

    warned = _session(db, 5, baseline="main")
    assert warned.gate(record(completed=30, seed=5)) is None
    problem = warned.baseline_problem()
    assert problem is not None and not problem.fatal
    assert problem.message == other_seed_baseline("main", 0, 5, "warn").message
    assert problem.message.startswith("baseline 'main' ran with seed 0, this session with seed 5")
    assert "--persona-seed 0" in problem.message
    assert warned.take_warnings() == [f"pytest-persona: {problem.message}"]
    failing = _session(db, 5, baseline="main", baseline_missing="fail")
    fatal = failing.baseline_problem()
    assert fatal is not None and fatal.fatal
    same_seed = _session(db, 0, baseline="main")
    assert same_seed.baseline_problem() is None
    assert same_seed.gate(record(completed=30)) is not None
    for session in (warned, failing, same_seed):
        session.close()
