"""The controller's side of a session: item outcomes in; history, reports and table out.

Registered on the controller only (the one process of a serial run, or the pytest-xdist
controller), as pytest's own junitxml reporter is. Outcomes arrive on the items' reports,
so a serial run and an xdist run store, write and print the same thing.

The timeline: at configure the history is opened (when there is one) and the runs that
count as earlier are fixed, so runs written meanwhile by other sessions never do, and a
fatal missing baseline stops the session before anything runs. At sessionfinish the run
is stored and the HTML report and Markdown summary written; then the terminal summary
prints the table with its change column, each history problem once, and the paths
written. A session without persona items writes nothing at all.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

import pytest

from .options import Settings

if TYPE_CHECKING:
    from .deltas import ItemDelta
    from .report.record import ItemOutcome
    from .session_outputs import OutputResult, OutputSettings, SessionHistory


def output_settings(settings: Settings, before_run: int | None = None) -> OutputSettings:
    """The plugin's options, as the history and report core takes them."""
    from .session_outputs import OutputSettings

    return OutputSettings(
        rootdir=settings.rootdir,
        seed=settings.seed,
        history_path=settings.history_path,
        history_folders=settings.history_in_project,
        report_path=settings.report_path,
        markdown_path=settings.markdown_path,
        save_as=settings.save_baseline,
        baseline=settings.baseline,
        baseline_missing=settings.baseline_missing,
        compare_rules=settings.compare_fail,
        before_run=before_run,
    )


class SessionReporter:
    """Collects the items' outcomes and leaves the session's history and reports.

    The history core (and sqlite3 with it) is imported only when a session needs it:
    a history file exists, a gate or baseline is asked for, or persona items ran.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.started = time.time()
        self.by_nodeid: dict[str, ItemOutcome] = {}
        # Each item's change since its earlier run; None with history off.
        self.deltas: dict[str, ItemDelta | None] | None = None
        self.result: OutputResult | None = None
        self._history: SessionHistory | None = None
        # No history file when the session began: no run is earlier, whoever writes one.
        path = settings.history_path
        self._before_run = 1 if path is not None and not path.exists() else None

    @classmethod
    def start(cls, settings: Settings) -> SessionReporter:
        """Fixes the earlier runs now; raises ``pytest.UsageError`` for a missing baseline
        when ini ``persona_baseline_missing = fail``."""
        reporter = cls(settings)
        existing = settings.history_path is not None and reporter._before_run is None
        if existing or settings.baseline or settings.compare_fail:
            history = reporter.history
            problem = history.baseline_problem()
            if problem is not None and problem.fatal:
                history.close()
                raise pytest.UsageError(f"pytest-persona: {problem.message}")
        return reporter

    @property
    def history(self) -> SessionHistory:
        if self._history is None:
            from .session_outputs import SessionHistory

            self._history = SessionHistory(output_settings(self.settings, self._before_run))
            self._history.cutoff()
        return self._history

    def cutoff(self) -> int | None:
        """The first run number that is not an earlier run, for the xdist workers."""
        if self.settings.history_path is None:
            return None  # history is off: no run is earlier
        if self._history is None and self._before_run is not None:
            return self._before_run
        return self.history.cutoff()

    @property
    def records(self) -> list[ItemOutcome]:
        from .report.record import sort_key

        return sorted(self.by_nodeid.values(), key=sort_key)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data: Any = getattr(report, "persona_record", None)
        if data is not None and report.when == "call":
            from .report.record import ItemOutcome

            record = ItemOutcome.from_dict(data)
            self.by_nodeid[record.nodeid] = record
            # Read once; pytest keeps every report to the end, so memory would grow per item.
            del report.persona_record

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        """Stores the run and writes the reports; before the terminal summary prints."""
        outcomes = self.records
        if not outcomes or exitstatus == pytest.ExitCode.INTERRUPTED:
            return  # nothing ran, or the user stopped it: leave no run behind
        from .history_records import RunInfo
        from .session_outputs import OutputResult

        history = self.history
        stored = {o.nodeid: r for o in outcomes if (r := o.to_history()) is not None}
        if self.settings.history_path is not None:
            # Read before the run is written: the change is against the runs before it.
            self.deltas = {nodeid: history.delta(r) for nodeid, r in stored.items()}
        settings = self.settings
        run = RunInfo.start(
            settings.rootdir, settings.seed, settings.counts,
            tuple(dict.fromkeys(o.persona for o in outcomes)), now=self.started,
        ).finished()
        try:
            self.result = history.finish(run, list(stored.values()))
        except Exception as error:  # the outputs must never cost the session its results
            history.close()
            self.result = OutputResult(None, (
                *history.take_warnings(),
                f"pytest-persona: history and reports not written: "
                f"{type(error).__name__}: {error}",
            ))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        from .report.terminal import change_cell, change_legend, summary_counts, summary_table

        records = self.records
        if not records:
            return
        markup = terminalreporter.hasmarkup
        deltas = self.deltas or {}
        changes = None
        if any(d is not None for d in deltas.values()):
            from .deltas import can_show_arrows

            ascii_only = not can_show_arrows(sys.stdout)
            changes = {n: change_cell(d, markup, ascii_only) for n, d in deltas.items()}
        terminalreporter.write_sep("=", f"persona scores: {summary_counts(records)}")
        terminalreporter.write_line(summary_table(records, markup=markup, changes=changes))
        if changes is not None:
            flow_changed = any(d is not None and d.flow_changed for d in deltas.values())
            seed_changed = any(d is not None and d.seed_changed for d in deltas.values())
            terminalreporter.write_line(change_legend(flow_changed, seed_changed))
        if self.result is not None:
            for warning in self.result.warnings:
                terminalreporter.write_line(warning, yellow=True, bold=True)
            for line in self.result.written:
                terminalreporter.write_line(line)

    def pytest_unconfigure(self) -> None:
        if self._history is not None:
            self._history.close()
