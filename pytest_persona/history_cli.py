"""``pytest-persona history`` and ``pytest-persona report``: the store, outside pytest.

Without ``--db`` the store is found the way a user expects: the nearest
``.persona/history.db`` in this folder or above it (where pytest wrote it, under
the rootdir), so both commands work from any folder of the project.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .deltas import (
    FLOW_CHANGED_MARK,
    SEED_CHANGED,
    Delta,
    can_show_arrows,
    format_delta,
    format_rate,
)
from .flow.model import METRICS
from .history import HistoryStore
from .history_records import HistoryEntry, ItemKey, relative_flow_path
from .history_schema import HistoryError
from .rng import MAX_SEED

DEFAULT_DB = Path(".persona") / "history.db"
DEFAULT_LAST = 10
STATUS_TEXT = {"pass": "pass", "amber": "amber", "fail": "FAIL"}
# Each listed result's (key, run number) -> the earlier result it is compared with.
ComparedWith = dict[tuple[ItemKey, int], HistoryEntry]


def add_history_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``history`` and ``report`` on the ``pytest-persona`` subcommands."""
    history = commands.add_parser(
        "history", help="show scores across runs", description="Scores across stored runs."
    )
    history.add_argument("file", nargs="?", metavar="FILE", help="a flow file (path or flow id)")
    history.add_argument("--persona", metavar="P", help="only this persona")
    history.add_argument(
        "--last",
        type=_positive,
        default=DEFAULT_LAST,
        metavar="N",
        help=f"the last N runs that have results (default {DEFAULT_LAST})",
    )
    history.add_argument("--db", metavar="PATH", help="the history file")
    history.add_argument("--ascii", action="store_true", help="arrows as ^ and v")
    history.set_defaults(handler=history_command)

    report = commands.add_parser(
        "report",
        help="rebuild the HTML report from the history",
        description="Rebuild the self-contained HTML report of a stored run.",
    )
    report.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        help="where to write it (default: report.html beside the history)",
    )
    report.add_argument("--db", metavar="PATH", help="the history file")
    report.add_argument("--run", type=_positive, metavar="N", help="this run (default: latest)")
    report.set_defaults(handler=report_command)


# SQLite's largest INTEGER, the largest seed too: run numbers and counts are looked up in
# the history with it.
LARGEST_INTEGER = MAX_SEED


def whole_number(text: str, minimum: int) -> int:
    """An argparse value check shared by every subcommand that takes a count or index."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected {minimum} or more, got {value}")
    if value > LARGEST_INTEGER:
        raise argparse.ArgumentTypeError(f"expected at most {LARGEST_INTEGER}, got {value}")
    return value


def non_negative(text: str) -> int:
    return whole_number(text, 0)


def _positive(text: str) -> int:
    return whole_number(text, 1)


def find_history(db: str | None, start: Path | None = None) -> Path:
    """``--db`` as given, else the nearest ``.persona/history.db`` at or above ``start``."""
    if db:
        return Path(db)
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if (folder / DEFAULT_DB).is_file():
            return folder / DEFAULT_DB
    return here / DEFAULT_DB


def history_command(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    path = find_history(args.db)
    try:
        with HistoryStore.open(path, create=False) as store:
            flow = _flow_filter(args.file, path)
            entries = store.entries(flow=flow, persona=args.persona, last_runs=args.last)
            compared = compared_with(store, entries)
    except HistoryError as error:
        print(f"pytest-persona: {error}", file=sys.stderr)
        return 1
    if not entries:
        what = " and ".join(
            x
            for x in (args.file and f"flow {args.file}", args.persona and f"persona {args.persona}")
            if x
        )
        print(
            f"pytest-persona: no results{' for ' + what if what else ''} in {path}", file=sys.stderr
        )
        return 1
    ascii_only = args.ascii or not can_show_arrows(out)
    out.write(format_history(entries, compared, ascii_only) + "\n")
    return 0


def compared_with(store: HistoryStore, entries: Iterable[HistoryEntry]) -> ComparedWith:
    """What each listed result is compared with, by the store's one rule (``comparable``):
    the latest earlier result of its seed, else of any seed."""
    found: ComparedWith = {}
    for entry in entries:
        item, number = entry.item, entry.run.number
        before = store.comparable(item.key, item.seed, before_run=number)
        if before is not None:
            found[item.key, number] = before
    return found


def format_history(
    entries: list[HistoryEntry],
    compared: ComparedWith | None = None,
    ascii_only: bool = False,
) -> str:
    """The history table: one row per item and run, each score with its change since the
    result it is compared with (``compared``, from ``compared_with``; none without)."""
    from tabulate import tabulate

    rows = []
    compared = compared or {}
    any_changed = any_other_seed = False
    # Grouped by flow, persona and n, runs in order: each item's progression reads down.
    for entry in sorted(entries, key=lambda e: (e.item.key, e.run.number)):
        item, run = entry.item, entry.run
        before = compared.get((item.key, run.number))
        changed = before is not None and before.item.content_hash != item.content_hash
        other_seed = before is not None and before.item.seed != item.seed
        any_changed, any_other_seed = any_changed or changed, any_other_seed or other_seed
        scores = []
        for metric in METRICS:
            text = format_rate(item.scores.rate(metric))
            if before is not None and not other_seed:
                move = format_delta(
                    Delta(metric, before.item.scores.rate(metric), item.scores.rate(metric)),
                    ascii_only=ascii_only,
                )
                text += f" {move}" if move else ""
            scores.append(text)
        label = str(run.number) + (f" ({', '.join(run.names)})" if run.names else "")
        rows.append(
            [
                label,
                run.info.started.strftime("%Y-%m-%d %H:%M"),
                run.info.short_commit or "",
                item.flow_path + (f" {FLOW_CHANGED_MARK}" if changed else ""),
                item.persona,
                item.count,
                f"{item.seed} ({SEED_CHANGED})" if other_seed else str(item.seed),
                *scores,
                STATUS_TEXT[item.status],
            ]
        )
    headers = [
        "run",
        "started",
        "commit",
        "flow",
        "persona",
        "n",
        "seed",
        "completion",
        "fallback rate",
        "off-topic recovery",
        "status",
    ]
    table = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
    notes = ["changes: since the run before of the same flow, persona, n and seed"]
    if any_other_seed:
        notes.append(f"{SEED_CHANGED}: every earlier run had another seed, so no change is shown")
    if any_changed:
        notes.append(f"{FLOW_CHANGED_MARK} the flow file changed since the run before")
    return table + "\n\n" + "\n".join(notes)


def report_command(args: argparse.Namespace) -> int:
    from .output_paths import Inputs, Output, output_problem
    from .report.data import report_from_store
    from .report.html import write_html_report

    path = find_history(args.db)
    output = Path(args.output) if args.output else path.parent / "report.html"
    problem = output_problem(
        Output("--output", args.output or str(output), output, "report.html"), Inputs(path)
    )
    if problem is not None:
        print(f"pytest-persona: {problem}", file=sys.stderr)
        return 2
    try:
        with HistoryStore.open(path, create=False) as store:
            data = report_from_store(store, args.run)
        write_html_report(output, data)
    except HistoryError as error:
        print(f"pytest-persona: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"pytest-persona: cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"report of {data.title} written to {output}")
    return 0


def _flow_filter(file: str | None, db: Path) -> str | None:
    """A FILE argument as the store keys it: relative to the rootdir holding the store."""
    if file is None:
        return None
    candidate = Path(file)
    if candidate.is_file() and db.parent.name == DEFAULT_DB.parent.name:
        return relative_flow_path(candidate, db.absolute().parent.parent)
    return candidate.as_posix()
