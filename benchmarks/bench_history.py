"""How long the history store and the reports take at the sizes a team reaches.

Measures, each as the median of several repetitions:

- writing one session of 200 items (one transaction) to a store;
- with 10,000 stored runs (24 items each, then one run of 200 items): the
  previous result of each of 200 items (what the terminal deltas and the gates
  read), ``pytest-persona history`` for one flow, and building and writing the
  HTML report of the latest run with its trend charts.

The goal is under one second each. Not a test: numbers depend on the machine.

    python benchmarks/bench_history.py [--quick]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from pytest_persona.history import KEEP_TRANSCRIPTS_RUNS, HistoryStore
from pytest_persona.history_cli import compared_with, format_history
from pytest_persona.history_records import ItemRecord, RunInfo
from pytest_persona.history_rows import INSERT_RESULT, result_values, run_values
from pytest_persona.report.data import report_from_store
from pytest_persona.report.html import write_html_report
from pytest_persona.results import BatchResult, ConversationSummary, Transcript, Turn, score
from pytest_persona.scoring import DEFAULT_THRESHOLDS, resolve_thresholds

LIMITS = resolve_thresholds([DEFAULT_THRESHOLDS])
PERSONAS = ("impatient", "typo-prone", "non-native", "elderly")
TURNS = (
    Turn("assistant", "Hi! What can I do for you?", step="start"),
    Turn("customer", "wheres my parcel, ordered it last week"),
    Turn(
        "assistant", "Sorry, I did not get that.", confidence=0.31, step="start", misunderstood=True
    ),
    Turn("customer", "ORDER STATUS"),
    Turn(
        "assistant",
        "What is your order number?",
        intent="track",
        confidence=0.84,
        step="ask_number",
    ),
)


def item(flow: int, persona: str, count: int, variant: int) -> ItemRecord:
    """A realistic item; ``variant`` moves its scores a little from run to run."""
    completed = max(0, count - 3 - (variant + flow) % 7)
    summaries = tuple(
        ConversationSummary(
            i,
            "goal",
            "completed" if i < completed else "stuck",
            5 + i % 4,
            int(i % 9 == 0),
            i % 5 == 0,
            None if i < completed else "confirm",
        )
        for i in range(count)
    )
    failing = (Transcript(summaries[-1], TURNS),) if completed < count * 0.8 else ()
    path = f"flows/flow_{flow:03d}.flow.yaml"
    result = BatchResult(
        f"flow_{flow}", path, persona, count, 0, score(summaries), summaries, failing
    )
    return ItemRecord.from_result(
        result,
        LIMITS,
        flow_path=path,
        content_hash=f"h{variant // 50}",
        flow_description="Orders, returns and refunds.",
    )


def run_info(number: int) -> RunInfo:
    started = 1_790_000_000.0 + number * 3600
    return RunInfo(
        f"bench-{number}", started, started + 30, 0, (10, 50), PERSONAS, f"{number:040x}", "main"
    )


def session(flows: int, variant: int) -> list[ItemRecord]:
    return [item(f, p, c, variant) for f in range(flows) for p in PERSONAS for c in (10, 50)]


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def populate(path: Path, runs: int) -> None:
    """Fill a store quickly in one transaction (setup, not measured).

    As the store does, only the latest runs keep their failing transcripts.
    """
    with HistoryStore.open(path):
        pass  # creates the schema
    templates = [session(3, v) for v in range(20)]  # 3 flows x 4 personas x 2 sizes = 24
    bare = [[replace(i, failing_transcripts=()) for i in t] for t in templates]
    db = sqlite3.connect(path)
    with db:
        for number in range(1, runs + 1):
            recent = number > runs - KEEP_TRANSCRIPTS_RUNS
            items = (templates if recent else bare)[number % len(templates)]
            db.execute(
                "INSERT INTO runs (id, uid, started_at, finished_at, seed, counts, personas, "
                "items, passed, amber, failed, git_commit, git_branch, version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (number, *run_values(run_info(number), items)),
            )
            db.executemany(INSERT_RESULT, [result_values(number, i) for i in items])
    db.close()


def measure(stored_runs: int, repeat: int) -> dict[str, float]:
    """Medians in seconds of the four operations, plus the size of the populated store."""
    big = session(25, 3)  # 25 flows x 4 personas x 2 sizes = 200 items
    assert len(big) == 200
    found: dict[str, float] = {"stored_runs": stored_runs, "items_per_run": len(big)}
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        small = base / "small.db"
        counter = iter(range(10**6))

        def write() -> None:
            with HistoryStore.open(small) as store:
                store.write_run(run_info(next(counter)), big)

        found["write_200_items_s"] = median_seconds(write, repeat)

        path = base / "history.db"
        start = time.perf_counter()
        populate(path, stored_runs)
        with HistoryStore.open(path) as store:
            store.write_run(run_info(stored_runs + 1), big)
        found["store_mib"] = path.stat().st_size / 2**20
        found["setup_s"] = time.perf_counter() - start

        def previous() -> None:
            with HistoryStore.open(path, create=False) as store:
                for one in big:
                    store.previous(one.key)

        def history() -> None:
            with HistoryStore.open(path, create=False) as store:
                entries = store.entries(flow="flows/flow_001.flow.yaml", last_runs=10)
                format_history(entries, compared_with(store, entries))

        def report() -> None:
            with HistoryStore.open(path, create=False) as store:
                data = report_from_store(store)
            write_html_report(base / "report.html", data)

        found["previous_200_items_s"] = median_seconds(previous, repeat)
        found["history_one_flow_s"] = median_seconds(history, repeat)
        found["html_report_s"] = median_seconds(report, repeat)
        found["report_kib"] = (base / "report.html").stat().st_size / 1024
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 runs, fewer repeats")
    args = parser.parse_args()
    stored_runs = 1_000 if args.quick else 10_000
    found = measure(stored_runs, 3 if args.quick else 7)
    print(f"write a run of 200 items:           {found['write_200_items_s']:.3f} s")
    print(f"(setup: {stored_runs:,} runs, {found['store_mib']:.0f} MiB, "
          f"{found['setup_s']:.1f} s)")
    print(f"previous result of 200 items:       {found['previous_200_items_s']:.3f} s")
    print(f"history of one flow, last 10 runs:  {found['history_one_flow_s']:.3f} s")
    print(f"HTML report of a 200-item run:      {found['html_report_s']:.3f} s")
    print(f"(report size: {found['report_kib']:.0f} KiB)")


if __name__ == "__main__":
    main()
