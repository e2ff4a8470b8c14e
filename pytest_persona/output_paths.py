"""Output paths that would destroy an input, refused before anything runs or is written.

A report written over the history database replaces every stored run (its ``-wal``
file holds the latest ones); one written over a flow or persona file replaces the
user's work, and one merely named like them is collected as a broken flow next time.
A folder is no file to write either. Each problem is one sentence that names the
option, so the plugin raises it as a usage error and the command prints it.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .selection import DEFAULT_FLOW_PATTERNS, DEFAULT_PERSONA_FILE_PATTERNS

# The default flow and persona file patterns: never an output's name, whatever the ini says.
INPUT_PATTERNS = (*DEFAULT_FLOW_PATTERNS, *DEFAULT_PERSONA_FILE_PATTERNS)
# Files SQLite keeps beside a database; the latest runs may be in the -wal file alone.
DATABASE_SIBLINGS = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Inputs:
    """What no output may be written over: the history (in use or not) and the files
    collected as flows or personas (name patterns, or globs from ``rootdir`` with '/')."""

    history: Path | None
    patterns: Sequence[str] = INPUT_PATTERNS
    rootdir: Path | None = None


@dataclass(frozen=True)
class Output:
    """A file a session or command writes: ``given`` as the user wrote it, ``path`` where
    it lands. ``suggest`` is a file name to offer instead (``report.html``); None for a
    path someone else writes (pytest's ``--junitxml``), checked against the inputs only."""

    option: str
    given: str
    path: Path
    suggest: str | None = None


def first_problem(outputs: Sequence[Output], inputs: Inputs) -> str | None:
    """Why one of ``outputs`` cannot be written (the first found), or None."""
    for index, output in enumerate(outputs):
        problem = output_problem(output, inputs)
        if problem is not None:
            return problem
        for other in outputs[:index]:
            if same_file(output.path, other.path):
                return f"{output.option} {output.given}: that is also the {other.option} file"
    return None


def output_problem(output: Output, inputs: Inputs) -> str | None:
    """Why ``output`` cannot be written, or None."""
    option, given, suggest = output.option, output.given, output.suggest
    if suggest is not None and (given.endswith(("/", os.sep)) or output.path.is_dir()):
        return (f"{option} {given}: that names a folder; name the file to write, such as "
                f"{os.path.join(given, suggest)}")
    reason = overwrites_input(output.path, inputs)
    if reason is None:
        return None
    advice = f"; name another file, such as {suggest}" if suggest is not None else ""
    return f"{option} {given}: {reason}{advice}"


def overwrites_input(target: Path, inputs: Inputs) -> str | None:
    """What writing ``target`` would destroy, as a clause; None when nothing would be."""
    if inputs.history is not None:
        for suffix in ("", *DATABASE_SIBLINGS):
            if same_file(target, Path(f"{inputs.history}{suffix}")):
                what = "the history database" + (f"'s {suffix[1:]} file" if suffix else "")
                return f"that is {what}, and writing there would destroy the history"
    database = _database_of(target)
    if database is not None:
        return (f"that belongs to the SQLite database {database} (a history?), "
                "and writing there would damage it")
    pattern = input_pattern(target, inputs)
    if pattern is not None:
        return (f"that is named like a flow or persona file ({pattern}), so it would replace "
                "one or be collected as one")
    return None


def same_file(one: Path, other: Path) -> bool:
    """Both paths name one file: the same path once resolved, or (when both exist) the same
    file through a link or a case-insensitive file system."""
    if one.resolve() == other.resolve():
        return True
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def _database_of(target: Path) -> Path | None:
    """The SQLite database ``target`` is, or is a sibling file of; None for any other file."""
    for suffix in ("", *DATABASE_SIBLINGS):
        if suffix and not target.name.endswith(suffix):
            continue
        database = target.with_name(target.name.removesuffix(suffix)) if suffix else target
        if _is_sqlite(database):
            return database
    return None


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def input_pattern(target: Path, inputs: Inputs) -> str | None:
    """The flow or persona file pattern ``target`` matches, if any."""
    relative = None
    resolved = target.resolve()
    if inputs.rootdir is not None and resolved.is_relative_to(inputs.rootdir.resolve()):
        relative = resolved.relative_to(inputs.rootdir.resolve()).as_posix()
    for pattern in dict.fromkeys((*inputs.patterns, *INPUT_PATTERNS)):
        if "/" in pattern:
            if relative is not None and fnmatch.fnmatch(relative, pattern):
                return pattern
        elif fnmatch.fnmatch(target.name, pattern):
            return pattern
    return None
