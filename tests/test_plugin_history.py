"""The plugin writes each session to the history: what is stored, where, the change column,
and what a broken, unwritable or busy history does to a session (nothing but one warning)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from history_builders import record, run
from plugin_helpers import HOPELESS, INSTANT, hopeless, strip_ansi, write

import pytest_persona
from pytest_persona.flow.loader import load_flow
from pytest_persona.history import HistoryStore
from pytest_persona.history_records import ItemKey
from pytest_persona.session_outputs import OutputSettings, SessionHistory, write_session_outputs

pytest_plugins = ("pytester",)

BASE = ("-p", "no:cacheprovider", "--persona-count", "2", "--persona", "impatient")
# HOPELESS with limits it meets: completion 0% passes, so only the history decides.
WORSE = hopeless(completion="{min: 0.0, warn: 0.0}")
SHA = "0123456789abcdef0123456789abcdef01234567"
HISTORY_PROBLEM = "pytest-persona: history not used:"


def persona_run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*BASE, *args)


def table_row(result: pytest.RunResult, flow: str) -> str:
    """The flow's row of the summary table (the last line that starts with its path)."""
    rows = [strip_ansi(line) for line in result.outlines if line.startswith(flow + " ")]
    return rows[-1]


def table_header(result: pytest.RunResult) -> list[str]:
    return next(line.split() for line in result.outlines if line.startswith("flow "))


def warnings_of(result: pytest.RunResult, start: str = "pytest-persona: ") -> list[str]:
    return [line for line in result.outlines if line.startswith(start)
            and not line.startswith(("pytest-persona: HTML report", "pytest-persona: Markdown"))]


def test_a_session_is_stored_with_its_run_and_every_item(pytester: pytest.Pytester) -> None:
    flow = write(pytester, "flows/a.flow.yaml", INSTANT)
    write(pytester, ".git/HEAD", "ref: refs/heads/feature-x\n")
    write(pytester, ".git/refs/heads/feature-x", SHA + "\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "--persona-count", "2,3",
                                "--persona", "impatient,elderly", "--persona-seed", "7")
    result.assert_outcomes(passed=4)
    with HistoryStore.open(pytester.path / ".persona" / "history.db", create=False) as store:
        assert store.run_count() == 1
        stored = store.latest_run()
    assert stored is not None
    info = stored.info
    assert (info.seed, info.counts, info.personas) == (7, (2, 3), ("impatient", "elderly"))
    assert (info.git_commit, info.git_branch) == (SHA, "feature-x")
    assert info.version == pytest_persona.__version__
    assert (stored.items, stored.passed, stored.failed) == (4, 4, 0)
    db = sqlite3.connect(pytester.path / ".persona" / "history.db")
    rows = db.execute(
        "SELECT flow_path, flow_id, content_hash, persona, count, seed, completion_hits, "
        "completion_total, fallback_rate_hits, off_topic_recovery_total, completed, stuck, "
        "status FROM results ORDER BY persona, count"
    ).fetchall()
    db.close()
    digest = load_flow(flow).content_hash
    assert rows == [
        ("flows/a.flow.yaml", "instant", digest, persona, n, 7, n, n, 0, 0, n, 0, "pass")
        for persona in ("elderly", "impatient") for n in (2, 3)
    ]


def test_the_largest_seed_is_stored_like_any_other(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    result = persona_run(pytester, "--persona-seed", str(2**63 - 1))
    result.assert_outcomes(passed=1)
    assert warnings_of(result) == []
    with HistoryStore.open(pytester.path / ".persona" / "history.db", create=False) as store:
        stored = store.latest_run()
    assert stored is not None and stored.info.seed == 2**63 - 1


def test_the_change_column_and_the_flow_changed_mark(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    first = persona_run(pytester)
    assert "change" not in table_header(first)  # nothing to compare with yet
    second = persona_run(pytester)
    assert table_header(second)[-1] == "change"
    assert table_row(second, "a.flow.yaml").endswith("pass      =")
    write(pytester, "a.flow.yaml", WORSE)
    third = persona_run(pytester)
    third.assert_outcomes(passed=1)
    row = table_row(third, "a.flow.yaml")
    assert "completion ▼ -100%" in row and "fallback ▲ +100%" in row
    assert row.endswith(" *")
    third.stdout.fnmatch_lines(["change: since the previous run*; * the flow file changed*"])


def test_the_change_column_compares_runs_of_the_same_seed(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester).assert_outcomes(passed=1)
    write(pytester, "a.flow.yaml", WORSE)
    other_seed = persona_run(pytester, "--persona-seed", "5", "--persona-markdown", "s.md")
    row = table_row(other_seed, "a.flow.yaml")
    assert row.endswith("pass      seed changed *") and "▼" not in row
    other_seed.stdout.fnmatch_lines(["change: *n and seed; seed changed: every earlier run had "
                                     "another seed; * the flow file changed*"])
    assert "✅ pass (seed changed) |" in (pytester.path / "s.md").read_text(encoding="utf-8")
    # Back on seed 0: against the seed-0 run, not the seed-5 run just before.
    back = persona_run(pytester)
    assert "completion ▼ -100%" in table_row(back, "a.flow.yaml")


def test_no_history_writes_no_database_but_still_the_report(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    for _ in range(2):
        result = persona_run(pytester, "--persona-no-history")
        result.assert_outcomes(passed=1)
        assert "change" not in table_header(result)
    assert not (pytester.path / ".persona" / "history.db").exists()
    report = (pytester.path / ".persona" / "report.html").read_text(encoding="utf-8")
    assert "History is off for this session" in report


def test_history_path_from_the_command_line_and_the_ini_file(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester, "--persona-history", "data/h.db").assert_outcomes(passed=1)
    assert (pytester.path / "data" / "h.db").is_file()
    assert not (pytester.path / ".persona" / "history.db").exists()
    pytester.makeini("[pytest]\npersona_history = store/ini.db\n")
    persona_run(pytester).assert_outcomes(passed=1)
    with HistoryStore.open(pytester.path / "store" / "ini.db", create=False) as store:
        assert store.run_count() == 1


def test_a_session_without_persona_items_leaves_nothing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_one():\n    pass\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    assert not (pytester.path / ".persona").exists()


def _not_sqlite(path: Path, pytester: pytest.Pytester) -> None:
    path.write_bytes(b"my own notes, not a database\n" * 20)


def _truncated(path: Path, pytester: pytest.Pytester) -> None:
    persona_run(pytester, "--persona-history", str(path)).assert_outcomes(passed=1)
    path.write_bytes(path.read_bytes()[:6000])


def _newer_schema(path: Path, pytester: pytest.Pytester) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()


@pytest.mark.parametrize("damage", [_not_sqlite, _truncated, _newer_schema])
def test_a_broken_history_costs_one_warning_and_nothing_else(
    pytester: pytest.Pytester, damage: object
) -> None:
    path = pytester.path / "h.db"
    assert callable(damage)
    write(pytester, "a.flow.yaml", INSTANT)
    damage(path, pytester)
    before = path.read_bytes()
    write(pytester, "b.flow.yaml", HOPELESS)  # fails on its own scores
    result = persona_run(pytester, "--persona-history", str(path),
                         "--persona-compare-fail", "completion:0")
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    problems = warnings_of(result)
    assert len(problems) == 1 and problems[0].startswith(HISTORY_PROBLEM)
    assert "results are unaffected" in problems[0]
    assert "Traceback" not in result.stdout.str()
    assert path.read_bytes() == before
    assert "History could not be used" in (pytester.path / ".persona" / "report.html").read_text()


def test_an_unwritable_history_location_is_a_warning(pytester: pytest.Pytester) -> None:
    write(pytester, "blocker", "a regular file, so no folder can be made under it")
    write(pytester, "a.flow.yaml", INSTANT)
    result = persona_run(pytester, "--persona-history", "blocker/h.db")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.OK
    problems = warnings_of(result)
    assert len(problems) == 1 and "cannot create the history folder" in problems[0]
    table_row(result, "a.flow.yaml")  # the results are all there
    assert (pytester.path / ".persona" / "report.html").is_file()


def test_a_history_outside_the_project_under_a_missing_folder_is_one_warning(
    pytester: pytest.Pytester,
) -> None:
    outside = pytester.path.parent / f"{pytester.path.name}-missing"
    write(pytester, "a.flow.yaml", INSTANT)
    pytester.makeini(f"[pytest]\npersona_history = {outside / 'store' / 'h.db'}\n")
    result = persona_run(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["pytest-persona: history not used: cannot create the history "
                                 "folder *store: *-missing does not exist*"])
    assert not outside.exists()
    assert (pytester.path / ".persona" / "report.html").is_file()


@pytest.mark.parametrize(
    ("ini", "args"),
    [("persona_history = .cache/persona/history.db", ()),
     ("", ("--persona-history", "build/cache/history.db"))],
)
def test_a_history_in_the_project_gets_its_missing_folders(
    pytester: pytest.Pytester, ini: str, args: tuple[str, ...]
) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    pytester.makeini(f"[pytest]\n{ini}\n")
    first = persona_run(pytester, *args)
    first.assert_outcomes(passed=1)
    assert warnings_of(first) == []
    path = pytester.path / (args[1] if args else ".cache/persona/history.db")
    with HistoryStore.open(path, create=False) as store:
        assert store.run_count() == 1
    persona_run(pytester, *args).assert_outcomes(passed=1)
    with HistoryStore.open(path, create=False) as store:
        assert store.run_count() == 2


def test_eight_sessions_writing_at_once_all_land(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "pytest_persona.plugin", *BASE,
               "--persona-history", "shared.db", "-q"]
    sessions = [
        subprocess.Popen([*command, "--persona-report", f"r{i}.html"], cwd=pytester.path,
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for i in range(8)
    ]
    outputs = [session.communicate(timeout=120)[0] for session in sessions]
    assert [session.returncode for session in sessions] == [0] * 8, outputs
    assert not any("history not used" in out for out in outputs)
    with HistoryStore.open(pytester.path / "shared.db", create=False) as store:
        runs = store.runs()
        assert len(runs) == 8 and len({r.info.uid for r in runs}) == 8
        assert all(len(store.items(r.number)) == 1 for r in runs)


def test_earlier_runs_are_the_ones_stored_before_the_session_began(tmp_path: Path) -> None:
    settings = OutputSettings(rootdir=tmp_path, history_path=tmp_path / "h.db", environ={})
    write_session_outputs(run(0), [record(completed=45)], settings)
    session = SessionHistory(settings)
    assert session.cutoff() == 2
    write_session_outputs(run(1), [record(completed=10)], settings)  # another session
    previous = session.previous(record().key)
    assert previous is not None and previous.run.number == 1
    fresh = SessionHistory(OutputSettings(rootdir=tmp_path, history_path=tmp_path / "new.db"))
    assert fresh.cutoff() == 1
    late = SessionHistory(OutputSettings(rootdir=tmp_path, history_path=tmp_path / "h.db",
                                         before_run=1))
    assert late.previous(ItemKey("flows/checkout.flow.yaml", "impatient", 50)) is None
