"""The SQLite history store: one run per session, one row per item, named baselines.

Safety first, because the file belongs to the user: a file that is not SQLite, is
damaged, or has a newer schema raises ``HistoryError`` and is never changed, let
alone replaced. Writers use WAL mode, a busy timeout and retries with backoff, so
parallel sessions (CI shards, xdist controllers) all land; a session killed while
writing leaves the last committed state, because a run is one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from .history_records import HistoryEntry, ItemKey, ItemRecord, RunInfo, StoredRun
from .history_rows import (
    INSERT_RESULT,
    SELECT_RESULT,
    SELECT_RUN,
    result_from_row,
    result_values,
    run_from_row,
    run_values,
)
from .history_schema import (
    HistoryError,
    check_is_ours,
    migrate,
    read_version,
    refuse_newer,
    target_version,
)

__all__ = ["HistoryError", "HistoryStore"]

SQLITE_MAGIC = b"SQLite format 3\x00"
# Failing transcripts are kept for the latest runs only: they are most of a row's size,
# and a report shows the transcripts of its own run.
KEEP_TRANSCRIPTS_RUNS = 50
BUSY_TIMEOUT = 20.0  # seconds SQLite itself waits for a lock
ATTEMPTS = 6  # our retries on top, for the busy cases SQLite does not wait on
_T = TypeVar("_T")


class HistoryStore:
    """An open history file. Use ``HistoryStore.open(path)`` as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self._db = connection
        self.path = path
        self._runs: dict[int, StoredRun] = {}  # runs read so far; cleared by our writes

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        parents: bool = False,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> HistoryStore:
        """Open (and with ``create``, make) the store, migrating an older schema; with
        ``parents`` (a path the caller trusts) also any missing folders above its own."""
        name = os.fspath(path)
        file = Path(name)
        header = _read_header(file, name)
        if header is None:
            if not create:
                raise HistoryError(f"no history at {name} (run pytest first)")
            _make_folder(file.parent, parents)
        mode = "rwc" if create else "rw"
        uri = f"{file.absolute().as_uri()}?mode={mode}"
        connection = _retry(name, lambda: _connect(uri, name, header, busy_timeout))
        return cls(connection, name)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def write_run(
        self, run: RunInfo, items: Sequence[ItemRecord], save_as: str | None = None
    ) -> StoredRun:
        """Store a whole session in one transaction; ``save_as`` names it as a baseline."""

        def write() -> int:
            with _write_transaction(self._db):
                unique = list({item.key: item for item in items}.values())
                cursor = self._db.execute(
                    "INSERT INTO runs (uid, started_at, finished_at, seed, counts, personas, "
                    "items, passed, amber, failed, git_commit, git_branch, version) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    run_values(run, unique),
                )
                number = int(cursor.lastrowid or 0)
                self._db.executemany(INSERT_RESULT, (result_values(number, i) for i in unique))
                # A bounded range of old runs, so the clean-up stays cheap at any size.
                self._db.execute(
                    "UPDATE results SET transcripts = '[]' WHERE run_id BETWEEN ? AND ? "
                    "AND transcripts != '[]'",
                    (number - KEEP_TRANSCRIPTS_RUNS - 20, number - KEEP_TRANSCRIPTS_RUNS),
                )
                if save_as is not None:
                    self._save(save_as, number)
                return number

        number = _retry(self.path, write)
        self._runs.clear()
        stored = self.run(number)
        assert stored is not None
        return stored

    def save_baseline(self, name: str, run_number: int) -> None:
        """Point the baseline ``name`` at an existing run (replacing where it pointed)."""

        def save() -> None:
            with _write_transaction(self._db):
                if self._one("SELECT 1 FROM runs WHERE id = ?", (run_number,)) is None:
                    raise HistoryError(f"{self.path}: there is no run {run_number}")
                self._save(name, run_number)

        _retry(self.path, save)
        self._runs.clear()

    def _save(self, name: str, run_number: int) -> None:
        if not name.strip():
            raise HistoryError("a baseline name cannot be empty")
        self._db.execute(
            "INSERT OR REPLACE INTO baselines (name, run_id, saved_at) VALUES (?, ?, ?)",
            (name, run_number, time.time()),
        )

    # -- reading ---------------------------------------------------------------------------

    def run(self, number: int) -> StoredRun | None:
        row = self._one(f"{SELECT_RUN} WHERE runs.id = ?", (number,))
        return run_from_row(row) if row is not None else None

    def latest_run(self) -> StoredRun | None:
        row = self._one(f"{SELECT_RUN} ORDER BY runs.id DESC LIMIT 1")
        return run_from_row(row) if row is not None else None

    def runs(self, last: int | None = None) -> list[StoredRun]:
        """Runs oldest first; with ``last``, only the most recent ``last`` of them."""
        limit = -1 if last is None else max(last, 0)
        rows = self._all(f"{SELECT_RUN} ORDER BY runs.id DESC LIMIT ?", (limit,))
        return [run_from_row(r) for r in reversed(rows)]

    def run_count(self) -> int:
        row = self._one("SELECT count(*) FROM runs")
        return int(row[0]) if row else 0

    def baseline(self, name: str) -> StoredRun | None:
        row = self._one(
            f"{SELECT_RUN} WHERE runs.id = (SELECT run_id FROM baselines WHERE name = ?)", (name,)
        )
        return run_from_row(row) if row is not None else None

    def baseline_names(self) -> list[str]:
        return [str(r[0]) for r in self._all("SELECT name FROM baselines ORDER BY name")]

    def items(self, run_number: int) -> list[ItemRecord]:
        rows = self._all(
            f"{SELECT_RESULT} WHERE run_id = ? ORDER BY flow_path, persona, count", (run_number,)
        )
        return [result_from_row(r)[1] for r in rows]

    def previous(
        self, key: ItemKey, before_run: int | None = None, seed: int | None = None
    ) -> HistoryEntry | None:
        """The latest stored result of ``key`` (before run ``before_run``; of ``seed``)."""
        up_to = None if before_run is None else before_run - 1
        found = self.trend(key, up_to_run=up_to, limit=1, seed=seed)
        return found[0] if found else None

    def comparable(
        self, key: ItemKey, seed: int | None, before_run: int | None = None
    ) -> HistoryEntry | None:
        """What a result of ``seed`` is compared with: the latest earlier one of the same
        seed, else the latest earlier one of any seed, which ``ItemDelta.seed_changed``
        then tells apart (scores of two seeds differ by chance, not by an edit)."""
        if seed is None:
            return self.previous(key, before_run)
        return self.previous(key, before_run, seed) or self.previous(key, before_run)

    def at_run(self, key: ItemKey, run_number: int) -> HistoryEntry | None:
        found = self._entries(
            "WHERE flow_path = ? AND persona = ? AND count = ? AND run_id = ?",
            (key.flow_path, key.persona, key.count, run_number),
        )
        return found[0] if found else None

    def trend(
        self,
        key: ItemKey,
        up_to_run: int | None = None,
        limit: int = 20,
        seed: int | None = None,
    ) -> list[HistoryEntry]:
        """The key's last ``limit`` results up to a run (of one seed), oldest first."""
        newest = self._entries(
            "WHERE flow_path = ? AND persona = ? AND count = ? AND run_id <= ? "
            "AND (? IS NULL OR seed = ?) ORDER BY run_id DESC LIMIT ?",
            (
                key.flow_path,
                key.persona,
                key.count,
                up_to_run if up_to_run is not None else 2**62,
                seed,
                seed,
                limit,
            ),
        )
        return newest[::-1]

    def entries(
        self,
        flow: str | None = None,
        persona: str | None = None,
        last_runs: int | None = None,
    ) -> list[HistoryEntry]:
        """Results across runs (oldest first), optionally of one flow path or id, one persona."""
        filters: list[str] = []
        params: list[Any] = []
        if flow is not None:
            filters.append("(flow_path = ? OR flow_id = ? OR flow_path LIKE ? ESCAPE '\\')")
            params += [flow, flow, "%/" + _like_literal(flow)]
        if persona is not None:
            filters.append("persona = ?")
            params.append(persona)
        where = " AND ".join(filters) or "1 = 1"
        if last_runs is not None:
            # The last N runs that hold a matching result, not the last N runs overall.
            where += (
                f" AND run_id IN (SELECT DISTINCT run_id FROM results WHERE {where}"
                " ORDER BY run_id DESC LIMIT ?)"
            )
            params = [*params, *params, max(last_runs, 0)]
        return self._entries(
            f"WHERE {where} ORDER BY run_id, flow_path, persona, count", tuple(params)
        )

    def _entries(self, clause: str, params: tuple[Any, ...]) -> list[HistoryEntry]:
        rows = self._all(f"{SELECT_RESULT} {clause}", params)
        entries = []
        for row in rows:
            number, record = result_from_row(row)
            if number not in self._runs:
                found = self.run(number)
                assert found is not None  # results reference their run
                self._runs[number] = found
            entries.append(HistoryEntry(self._runs[number], record))
        return entries

    # -- plumbing --------------------------------------------------------------------------

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        return _retry(self.path, lambda: self._db.execute(sql, params).fetchone())

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        return _retry(self.path, lambda: self._db.execute(sql, params).fetchall())


def _read_header(file: Path, name: str) -> bytes | None:
    """The first 100 bytes, or None when the file does not exist yet."""
    try:
        with file.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise HistoryError(f"{name} is a directory, not a history file") from None
    except NotADirectoryError:
        raise HistoryError(
            f"cannot create the history folder for {name}: part of that path is a file"
        ) from None
    except OSError as error:
        raise HistoryError(f"cannot read the history at {name}: {error.strerror}") from None
    if header and not header.startswith(SQLITE_MAGIC):
        raise HistoryError(
            f"{name} is not a SQLite database, so not a pytest-persona history "
            "(the file was left untouched)"
        )
    return header


def _make_folder(folder: Path, parents: bool) -> None:
    """The store's own folder (``.persona``), and with ``parents`` the ones above: outside the
    project a missing parent is more likely a typo or an unmounted disk than a new history."""
    try:
        folder.mkdir(parents=parents, exist_ok=True)
    except FileNotFoundError:
        why = (f"{folder.parent} does not exist (outside the project only the history's own "
               "folder is made)")
        raise HistoryError(f"cannot create the history folder {folder}: {why}") from None
    except OSError as error:
        why = error.strerror or str(error)
        raise HistoryError(f"cannot create the history folder {folder}: {why}") from None


def _connect(uri: str, name: str, header: bytes | None, busy_timeout: float) -> sqlite3.Connection:
    connection = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)
    try:
        # One read transaction: another process creating the schema between reading the
        # version and listing the tables must not make our own file look foreign.
        connection.execute("BEGIN")
        try:
            version = read_version(connection)
            refuse_newer(version, name)
            check_is_ours(connection, name, version)
        finally:
            connection.execute("COMMIT")
        if header and header[18] != 2:
            # Not yet in WAL mode: make sure it is sound before the header changes.
            check = connection.execute("PRAGMA quick_check(1)").fetchone()
            if check is None or check[0] != "ok":
                raise HistoryError(f"{name} is damaged ({check[0] if check else 'unreadable'})")
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA foreign_keys = ON")
        if version < target_version():
            with _write_transaction(connection):
                migrate(connection, name)
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def _write_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """Committed when the block ends, rolled back when it raises."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _retry(name: str, action: Callable[[], _T]) -> _T:
    """Run ``action``, retrying while the database is busy; SQLite errors as HistoryError."""
    for attempt in range(ATTEMPTS):
        try:
            return action()
        except sqlite3.OperationalError as error:
            if _is_busy(error) and attempt < ATTEMPTS - 1:
                time.sleep(_backoff(attempt))
                continue
            raise HistoryError(_explain(name, error)) from None
        except sqlite3.DatabaseError as error:
            raise HistoryError(_explain(name, error)) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorname", "")
    if code:
        return str(code).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _backoff(attempt: int) -> float:
    # Spread by process id, not by a random draw: parallel writers still drift apart.
    delay: float = min(0.05 * 2.0**attempt, 1.0)
    return delay + (os.getpid() % 10) * 0.01


def _explain(name: str, error: sqlite3.Error) -> str:
    text = str(error)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return f"{name} is damaged or truncated ({text}); it was left untouched"
    if "readonly" in lowered or "unable to open" in lowered or "read-only" in lowered:
        return f"cannot write the history at {name} ({text}); is the location read-only?"
    return f"history at {name}: {text}"


def _like_literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
