"""``pytest-persona validate``: check flow and persona files without running anything.

Each path is a flow file, a persona file (told apart by name, as a test run tells them
apart) or a folder, which stands for the flow and persona files in it and below, found
as pytest's collection finds them with the default file patterns: folders pytest does
not look in by default (hidden ones, virtual environments, ``node_modules``, ...) are
left out.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .flow.errors import Diagnostic, FlowError
from .selection import DEFAULT_FLOW_PATTERNS, DEFAULT_PERSONA_FILE_PATTERNS

if TYPE_CHECKING:
    from .flow.model import Flow

FileIdentity = tuple[int, int] | str
# pytest's default ``norecursedirs``, and the cache folder it never collects from.
SKIPPED_FOLDERS = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv",
                   "{arch}", "__pycache__")  # fmt: skip


def validate_command(args: argparse.Namespace) -> int:
    errors = warnings = files = 0
    persona_names: dict[tuple[Path, str], str] = {}  # (folder, name) -> first file
    flow_ids: dict[str, str] = {}  # flow id -> first file
    checked: set[FileIdentity] = set()  # one file named twice (sub/a, ./sub/a) is one file
    for given in args.files:
        found = list(files_to_check(given))
        if not found:
            print(f"{given}: no flow or persona files in this folder or below "
                  f"({', '.join((*DEFAULT_FLOW_PATTERNS, *DEFAULT_PERSONA_FILE_PATTERNS))})")
            errors += 1
        for path in found:
            identity = file_identity(path)
            if identity in checked:
                continue
            checked.add(identity)
            files += 1
            if is_persona_file(path):
                diagnostics = persona_diagnostics(path, persona_names)
            else:
                diagnostics = flow_diagnostics(path, flow_ids)
            for diagnostic in diagnostics:
                if diagnostic.severity == "error":
                    errors += 1
                else:
                    warnings += 1
                    if args.quiet:
                        continue
                print(diagnostic)
    print(
        f"{files} file{'s' if files != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    return 1 if errors else 0


def files_to_check(given: str) -> Iterator[str]:
    """``given`` itself, or for a folder the flow and persona files in it and below."""
    if not os.path.isdir(given):
        yield given
        return
    for folder, subfolders, names in os.walk(given):
        subfolders[:] = sorted(
            name for name in subfolders if not _skipped(os.path.join(folder, name))
        )
        for name in sorted(names):
            if _matches(name, (*DEFAULT_FLOW_PATTERNS, *DEFAULT_PERSONA_FILE_PATTERNS)):
                yield os.path.join(folder, name)


def file_identity(path: str) -> FileIdentity:
    """What names one file, however it is written: its device and inode (through links),
    else (a file that is not there) its resolved path."""
    try:
        status = os.stat(path)
    except OSError:
        return os.path.realpath(path)
    return status.st_dev, status.st_ino


def is_persona_file(path: str) -> bool:
    return _matches(os.path.basename(path), DEFAULT_PERSONA_FILE_PATTERNS)


def _matches(name: str, patterns: Sequence[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def _skipped(folder: str) -> bool:
    """A folder pytest does not collect from by default (``norecursedirs``, or a virtual
    environment, which holds a ``pyvenv.cfg`` or ``conda-meta/history``)."""
    if _matches(os.path.basename(folder), SKIPPED_FOLDERS):
        return True
    return os.path.isfile(os.path.join(folder, "pyvenv.cfg")) or os.path.isfile(
        os.path.join(folder, "conda-meta", "history")
    )


def flow_diagnostics(path: str, ids: dict[str, str] | None = None) -> list[Diagnostic]:
    """A flow file's errors and warnings; ``ids`` remembers the files checked before it,
    by flow id, to warn about a second file with one's id."""
    from .customers.goals import goal_diagnostics
    from .customers.personas import threshold_persona_warnings
    from .flow.loader import check_flow
    from .flow.selfcheck import self_check

    flow, diagnostics = check_flow(path)
    if flow is not None:
        diagnostics += [
            *self_check(flow), *threshold_persona_warnings(flow), *goal_diagnostics(flow)
        ]
        first = path if ids is None else ids.setdefault(flow.id, path)
        if file_identity(first) != file_identity(path):
            diagnostics.append(_shared_id_warning(flow, first))
    return diagnostics


def _shared_id_warning(flow: Flow, first: str) -> Diagnostic:
    """Only a warning: history, reports and gates key on the file's path, so nothing
    mixes; the id seeds the customers, so a variant kept under its original's id meets
    the same customers, which is how two versions are compared side by side."""
    from .flow.advice import diagnostic

    return diagnostic(flow, "flow", (
        f"'{flow.id}' is also the id of {first}: both draw simulated customers from the "
        f"same seeds and `pytest-persona history {flow.id}` lists both; give each flow "
        "its own id unless this one is a variant to compare with it"
    ), "warning")


def persona_diagnostics(path: str, names: dict[tuple[Path, str], str]) -> list[Diagnostic]:
    """A persona file's mistakes, and a name a test run would refuse: a built-in's, or
    one another persona file in the same folder took first (``names`` remembers them)."""
    from .customers.persona_file import load_persona_file, name_error
    from .customers.personas import BUILTIN_PERSONAS

    try:
        name = load_persona_file(path).name
    except FlowError as error:
        return list(error.diagnostics)
    clash = names.setdefault((Path(path).resolve().parent, name), path)
    if name in BUILTIN_PERSONAS:
        message = f"persona name {name!r} is taken by a built-in persona; choose another name"
    elif file_identity(clash) != file_identity(path):
        message = f"persona {name!r} is already defined by {clash}"
    else:
        return []
    return list(name_error(path, message).diagnostics)
