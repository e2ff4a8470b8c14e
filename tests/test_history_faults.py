"""A history file that is broken, foreign, newer, migrated, contended or cut off.

The file belongs to the user: whatever is wrong with it, it is never changed,
replaced or deleted, and the error is one clear sentence.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from history_builders import record, run

from pytest_persona import history_schema
from pytest_persona.history import HistoryStore
from pytest_persona.history_schema import SCHEMA_VERSION, HistoryError, Migration

TESTS = Path(__file__).parent
ROOT = TESTS.parent


def _stored(path: Path, runs: int = 3, items: int = 20) -> None:
    with HistoryStore.open(path) as store:
        for n in range(runs):
            store.write_run(run(n), [record(persona=f"p{i}") for i in range(items)])


def _refused(path: Path, match: str) -> None:
    """Opening fails with ``match``, for writing and for reading, and leaves the file."""
    before = path.read_bytes()
    for create in (True, False):
        with pytest.raises(HistoryError, match=match) as caught:
            HistoryStore.open(path, create=create)
        assert str(path) in str(caught.value)
        assert "\n" not in str(caught.value)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.write_text("these are my notes, not a database\n" * 20)
    _refused(path, "not a SQLite database")


def test_a_truncated_store_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    _stored(path, runs=20)
    data = path.read_bytes()
    assert len(data) > 8 * 4096  # enough pages that half of them are missing
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "damaged or truncated")


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    _stored(path)
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    _refused(path, "newer than this pytest-persona understands")


def test_someone_elses_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE customers (name TEXT)")
    raw.execute("INSERT INTO customers VALUES ('Ada')")
    raw.commit()
    raw.close()
    _refused(path, "not a pytest-persona history")


def test_an_empty_sqlite_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    path.touch()  # version 0, no tables: what "sqlite3 history.db .quit" leaves
    with HistoryStore.open(path) as store:
        store.write_run(run(0), [record()])
        assert store.run_count() == 1


def _version_two(fail: bool = False) -> Migration:
    def fill(connection: sqlite3.Connection) -> None:
        connection.execute("UPDATE runs SET note = 'from v1'")

    statements = ["ALTER TABLE runs ADD COLUMN note TEXT"]
    if fail:
        statements.append("ALTER TABLE no_such_table ADD COLUMN x TEXT")
    return Migration(2, "a note per run", statements, fill)


def test_an_older_store_is_migrated_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.db"
    _stored(path, runs=2)
    monkeypatch.setattr(history_schema, "MIGRATIONS", (*history_schema.MIGRATIONS, _version_two()))
    with HistoryStore.open(path) as store:
        assert store.run_count() == 2
        store.write_run(run(5), [record()])
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        notes = raw.execute("SELECT note FROM runs ORDER BY id").fetchall()
    finally:
        raw.close()
    assert notes == [("from v1",), ("from v1",), (None,)]


def test_a_failing_migration_leaves_the_older_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.db"
    _stored(path, runs=2)
    before = path.read_bytes()
    monkeypatch.setattr(
        history_schema, "MIGRATIONS", (*history_schema.MIGRATIONS, _version_two(fail=True))
    )
    with pytest.raises(HistoryError, match="no_such_table"):
        HistoryStore.open(path)
    assert path.read_bytes() == before
    monkeypatch.undo()
    with HistoryStore.open(path) as store:
        assert store.run_count() == 2


def test_a_store_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(HistoryError, match="cannot create the history folder"):
        HistoryStore.open(blocker / "history.db")
    assert blocker.read_text() == "x"


def test_a_folder_as_the_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="is a directory"):
        HistoryStore.open(tmp_path)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root writes through a read-only folder; the under-a-file test covers it",
)
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(HistoryError, match=r"read-only|cannot"):
            HistoryStore.open(folder / "history.db")
    finally:
        folder.chmod(0o755)


WRITER = textwrap.dedent(
    """
    import sys
    from history_builders import record, run
    from pytest_persona.history import HistoryStore

    path, worker, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    for n in range(runs):
        info = run(n, seed=worker)
        items = [record(persona=f"w{worker}", count=c, completed=c // 2, misunderstood=0,
                        wandered=0, recovered=0) for c in range(1, 31)]
        with HistoryStore.open(path) as store:
            store.write_run(info, items)
        print("committed", n, flush=True)
    """
)


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_eight_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / ".persona" / "history.db"
    workers, runs = 8, 4
    processes = [_python(WRITER, str(path), str(w), str(runs)) for w in range(workers)]
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        assert out.count("committed") == runs
    with HistoryStore.open(path, create=False) as store:
        stored = store.runs()
        assert len(stored) == workers * runs
        assert {r.info.uid for r in stored} == {
            run(n, seed=w).uid for w in range(workers) for n in range(runs)
        }
        for one in stored:
            items = store.items(one.number)
            # Every item of a run is that run's worker's: nothing lost, nothing mixed.
            assert one.items == len(items) == 30
            assert {i.persona for i in items} == {f"w{one.info.seed}"}


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from history_builders import record, run
    from pytest_persona.history import HistoryStore

    # Runs larger than SQLite's page cache, so a run is still being written to the
    # write-ahead log, uncommitted, for most of the time the kill may land in.
    items = [record(persona=f"p{i}", count=c, description="x" * 900)
             for i in range(50) for c in range(50, 130)]
    with HistoryStore.open(sys.argv[1]) as store:
        for n in range(1000):
            store.write_run(run(n), items)
            print("committed", n, flush=True)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_writer_killed_mid_run_leaves_a_readable_store(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    process = _python(KILLED_WRITER, str(path))
    assert process.stdout is not None
    committed, seen = [], []
    for line in process.stdout:
        committed.append(int(line.split()[1]))
        seen.append(time.monotonic())
        if len(committed) == 2:
            break
    # Half a run's writing time after a commit: in the middle of the next run's transaction.
    time.sleep((seen[1] - seen[0]) / 2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    with HistoryStore.open(path) as store:
        stored = store.runs()
        assert [r.info.uid for r in stored][: len(committed)] == [run(n).uid for n in committed]
        for one in stored:
            assert len(store.items(one.number)) == one.items == 4000  # whole runs only
        store.write_run(run(5000), [record()])  # and it still takes writes
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()
