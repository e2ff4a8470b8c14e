"""The history database's schema, its version and the migrations between versions.

The version lives in ``PRAGMA user_version``. A file of an older version is brought
up to date step by step inside the writer's transaction; a file of a newer version
(written by a newer pytest-persona) is refused before anything in it changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass


class HistoryError(Exception):
    """The history store cannot be used; ``str()`` is one clear line for the user."""


@dataclass(frozen=True)
class Migration:
    """Brings a database from ``version - 1`` to ``version``."""

    version: int
    description: str
    statements: Sequence[str] = ()
    # For steps that need more than SQL (rewriting rows); runs after the statements.
    apply: Callable[[sqlite3.Connection], None] | None = None


_VERSION_1 = (
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        uid TEXT NOT NULL UNIQUE,
        started_at REAL NOT NULL,
        finished_at REAL NOT NULL,
        seed INTEGER NOT NULL,
        counts TEXT NOT NULL,
        personas TEXT NOT NULL,
        items INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        amber INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        git_commit TEXT,
        git_branch TEXT,
        version TEXT NOT NULL
    )""",
    """CREATE TABLE results (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        flow_path TEXT NOT NULL,
        flow_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        persona TEXT NOT NULL,
        count INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        completion_hits INTEGER NOT NULL,
        completion_total INTEGER NOT NULL,
        fallback_rate_hits INTEGER NOT NULL,
        fallback_rate_total INTEGER NOT NULL,
        off_topic_recovery_hits INTEGER NOT NULL,
        off_topic_recovery_total INTEGER NOT NULL,
        completed INTEGER NOT NULL,
        escalated INTEGER NOT NULL,
        abandoned INTEGER NOT NULL,
        stuck INTEGER NOT NULL,
        misrouted INTEGER NOT NULL,
        customer_turns INTEGER NOT NULL,
        misunderstandings INTEGER NOT NULL,
        mean_turns REAL NOT NULL,
        misunderstandings_per_turn REAL NOT NULL,
        stuck_step TEXT,
        stuck_step_count INTEGER NOT NULL,
        completion_colour TEXT NOT NULL,
        fallback_rate_colour TEXT NOT NULL,
        off_topic_recovery_colour TEXT NOT NULL,
        completion_limit REAL,
        completion_warn REAL,
        fallback_rate_limit REAL,
        fallback_rate_warn REAL,
        off_topic_recovery_limit REAL,
        off_topic_recovery_warn REAL,
        status TEXT NOT NULL CHECK (status IN ('pass', 'amber', 'fail')),
        flow_description TEXT NOT NULL DEFAULT '',
        regressions TEXT NOT NULL DEFAULT '[]',
        transcripts TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (run_id, flow_path, persona, count)
    )""",
    "CREATE INDEX results_by_key ON results (flow_path, persona, count, run_id)",
    """CREATE TABLE baselines (
        name TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        saved_at REAL NOT NULL
    )""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "runs, results per item, named baselines", _VERSION_1),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def read_version(connection: sqlite3.Connection) -> int:
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def target_version() -> int:
    """The version this code writes: the last migration's (looked up at call time)."""
    return MIGRATIONS[-1].version


def refuse_newer(version: int, path: str) -> None:
    supported = target_version()
    if version > supported:
        raise HistoryError(
            f"{path} has history schema version {version}, newer than this "
            f"pytest-persona understands ({supported}); upgrade pytest-persona or "
            "point --persona-history at another file (the file was left untouched)"
        )


def table_names(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {str(r[0]) for r in rows}


def check_is_ours(connection: sqlite3.Connection, path: str, version: int) -> None:
    """A version-0 file with tables of its own is someone else's database: leave it."""
    if version == 0 and table_names(connection):
        raise HistoryError(
            f"{path} is a SQLite database but not a pytest-persona history "
            "(it has other tables); point --persona-history at another file "
            "(the file was left untouched)"
        )


def migrate(connection: sqlite3.Connection, path: str) -> int:
    """Apply the missing steps in the caller's open transaction; the version reached."""
    version = read_version(connection)
    refuse_newer(version, path)
    check_is_ours(connection, path, version)
    for step in MIGRATIONS:
        if step.version <= version:
            continue
        if step.version != version + 1:
            raise HistoryError(f"{path}: no migration from schema version {version}")
        for statement in step.statements:
            connection.execute(statement)
        if step.apply is not None:
            step.apply(connection)
        # PRAGMA does not take parameters; the version is an int from our own table.
        connection.execute(f"PRAGMA user_version = {int(step.version)}")
        version = step.version
    return version
