"""What a session leaves behind, in a few calls: history, deltas, gates, reports.

The plugin keeps one ``SessionHistory`` per session (on the controller): it reads
earlier results lazily for the terminal deltas and the regression gates, and at
the end writes the run, the HTML report and the Markdown summary. A broken or
unwritable history never costs the session its results: it becomes one warning,
shown once, and the reports are still written from the session's own items.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .deltas import ItemDelta, item_delta
from .gates import (
    BaselineProblem,
    CompareRule,
    MissingBaseline,
    compare_gate,
    missing_baseline,
    other_seed_baseline,
    other_seed_gates,
)
from .history import HistoryStore
from .history_records import HistoryEntry, ItemKey, ItemRecord, RunInfo, StoredRun
from .history_schema import HistoryError
from .report.data import TREND_POINTS, ReportData, report_from_items, report_from_store

__all__ = [
    "OutputResult",
    "OutputSettings",
    "SessionHistory",
    "compare_gate",
    "write_session_outputs",
]
PREFIX = "pytest-persona: "
_T = TypeVar("_T")


@dataclass(frozen=True)
class OutputSettings:
    """Where things go. ``None`` turns an output off (``--persona-no-history``)."""

    rootdir: Path
    # The session's seed: changes and gates compare with earlier results of this seed.
    # None compares with the latest result of any seed.
    seed: int | None = None
    history_path: Path | None = None
    # Make missing folders above the history, not only its own (the path is in the project).
    history_folders: bool = False
    report_path: Path | None = None
    markdown_path: Path | None = None
    step_summary: bool = True  # append to $GITHUB_STEP_SUMMARY when it is set
    save_as: str | None = None  # --persona-save NAME
    baseline: str | None = None  # --persona-baseline NAME
    baseline_missing: MissingBaseline = "warn"  # ini persona_baseline_missing
    compare_rules: tuple[CompareRule, ...] = ()  # --persona-compare-fail
    trend_points: int = TREND_POINTS
    # Runs numbered from here on are not "earlier" runs: the store's next run number
    # when the session began (passed to xdist workers). None: read it on first use.
    before_run: int | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass(frozen=True)
class OutputResult:
    run: StoredRun | None  # the stored run, None when history was off or failed
    warnings: tuple[str, ...] = ()
    written: tuple[str, ...] = ()  # "pytest-persona: HTML report: .persona/report.html"

    @property
    def messages(self) -> list[str]:
        return [*self.warnings, *self.written]


class SessionHistory:
    """One session's view of the history; every problem is reported exactly once."""

    def __init__(self, settings: OutputSettings) -> None:
        self.settings = settings
        self._store: HistoryStore | None = None
        self._error: str | None = None
        self._pending: list[str] = []
        self._previous: dict[ItemKey, HistoryEntry | None] = {}
        self._reference: dict[ItemKey, HistoryEntry | None] = {}
        self._baseline: StoredRun | None = None
        self._baseline_checked = False
        self._baseline_problem: BaselineProblem | None = None
        self._cutoff: int | None = settings.before_run

    # -- reading, for the terminal table and the gates -----------------------------------

    def previous(self, key: ItemKey) -> HistoryEntry | None:
        """The latest earlier result of the same flow path, persona, count and seed; else the
        latest of another seed (``ItemDelta.seed_changed`` tells, the gates do not compare)."""
        if key not in self._previous:
            store = self._open_for_reading()
            cutoff, seed = self.cutoff(), self.settings.seed
            self._previous[key] = (
                self._guard(lambda: store.comparable(key, seed, before_run=cutoff))
                if store
                else None
            )
        return self._previous[key]

    def cutoff(self) -> int | None:
        """The first run number that is not an earlier run: read once, so runs that other
        sessions write meanwhile never count as earlier. None when history is off or broken."""
        if self._cutoff is None and self.settings.history_path is not None:
            store = self._open_for_reading()
            if store is not None:
                latest = self._guard(store.latest_run)
                if self._error is None:
                    self._cutoff = (latest.number if latest is not None else 0) + 1
            elif self._error is None:
                self._cutoff = 1  # no history yet: nothing is earlier
        return self._cutoff

    def reference(self, key: ItemKey) -> HistoryEntry | None:
        """What the gates compare with: the named baseline's result, or the previous one."""
        if self.settings.baseline is None:
            return self.previous(key)
        if key not in self._reference:
            baseline = self._baseline_run()
            store = self._store
            found = None
            if baseline is not None and store is not None:
                found = self._guard(lambda: store.at_run(key, baseline.number))
            self._reference[key] = found
        return self._reference[key]

    def delta(self, record: ItemRecord) -> ItemDelta | None:
        return item_delta(record, self.previous(record.key))

    def gate(self, record: ItemRecord) -> str | None:
        """The regression failure message for an item, or None (also with no rules)."""
        if not self.settings.compare_rules:
            return None
        return compare_gate(
            self.reference(record.key),
            record,
            self.settings.compare_rules,
            self.settings.baseline,
        )

    def baseline_problem(self) -> BaselineProblem | None:
        """Set when ``--persona-baseline`` names a run that is not there. A fatal problem is
        the caller's to raise as an error; a non-fatal one is also among the warnings."""
        self._baseline_run()
        return self._baseline_problem

    def take_warnings(self) -> list[str]:
        """Warnings not yet handed out; each is handed out once."""
        pending, self._pending = self._pending, []
        return pending

    # -- writing, at the end of the session ----------------------------------------------

    def finish(self, run: RunInfo, items: Sequence[ItemRecord]) -> OutputResult:
        """Store the run, then write the HTML report and the Markdown summary."""
        settings = self.settings
        self._warn_unmatched_seeds(items)
        self.close()
        stored: StoredRun | None = None
        data: ReportData | None = None
        if settings.history_path is not None and self._error is None:
            try:
                parents = settings.history_folders
                with HistoryStore.open(settings.history_path, parents=parents) as store:
                    stored = store.write_run(run, items, save_as=settings.save_as)
                    data = report_from_store(store, stored.number, settings.trend_points)
            except HistoryError as error:
                self._fail(error)
        if settings.save_as is not None and stored is None:
            self._warn(f"baseline {settings.save_as!r} not saved: the run is not in the history")
        if data is None:
            previous = {i.key: e for i in items if (e := self._previous.get(i.key)) is not None}
            data = report_from_items(run, items, previous, note=self._report_note())
        written = self._write_reports(data)
        return OutputResult(stored, tuple(self.take_warnings()), tuple(written))

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- plumbing ------------------------------------------------------------------------

    def _warn_unmatched_seeds(self, items: Sequence[ItemRecord]) -> None:
        """Gates that compared nothing, because history is off or every earlier result had
        another seed: one warning, or a gate asked for in CI would be silently off."""
        if not self.settings.compare_rules or self.settings.baseline is not None:
            return  # a baseline of another seed, or with history off, is its own warning
        if self.settings.history_path is None:
            self._warn("--persona-compare-fail: history is off (--persona-no-history), so "
                       "there is no earlier run to compare with; the gates checked nothing")
            return
        earlier = [(item, self.previous(item.key)) for item in items]
        others = [e.item.seed for item, e in earlier if e is not None and e.item.seed != item.seed]
        if others:
            seed = items[0].seed
            self._warn(other_seed_gates(seed, others, len(others), len(items)))

    def _open_for_reading(self) -> HistoryStore | None:
        path = self.settings.history_path
        if self._store is not None or path is None or self._error is not None:
            return self._store
        if not path.exists():
            return None  # the first run: nothing to compare with yet, nothing to warn about
        try:
            self._store = HistoryStore.open(path, create=False)
        except HistoryError as error:
            self._fail(error)
        return self._store

    def _baseline_run(self) -> StoredRun | None:
        name = self.settings.baseline
        if name is None or self._baseline_checked:
            return self._baseline
        self._baseline_checked = True
        store = self._open_for_reading()
        if store is not None:
            self._baseline = self._guard(lambda: store.baseline(name))
        policy, seed = self.settings.baseline_missing, self.settings.seed
        problem = None
        if self._baseline is None:
            known = (self._guard(store.baseline_names) or []) if store is not None else []
            path = self.settings.history_path
            problem = missing_baseline(name, known, policy, None if path is None else str(path))
        elif seed is not None and self._baseline.info.seed != seed:
            problem = other_seed_baseline(name, self._baseline.info.seed, seed, policy)
            self._baseline = None
        if problem is not None:
            self._baseline_problem = problem
            if not problem.fatal:
                self._warn(problem.message)  # a fatal one is the caller's to raise
        return self._baseline

    def _guard(self, read: Callable[[], _T]) -> _T | None:
        if self._error is not None:
            return None
        try:
            return read()
        except HistoryError as error:
            self._fail(error)
            return None

    def _fail(self, error: HistoryError) -> None:
        if self._error is None:
            self._error = str(error)
            self._warn(f"history not used: {error}; the results are unaffected")
        self.close()

    def _warn(self, message: str) -> None:
        self._pending.append(PREFIX + message)

    def _report_note(self) -> str:
        if self.settings.history_path is None:
            return "History is off for this session, so the report shows this run only."
        return f"History could not be used ({self._error}); the report shows this run only."

    def _write_reports(self, data: ReportData) -> list[str]:
        from .report.html import write_html_report

        settings = self.settings
        written: list[str] = []
        if settings.report_path is not None:
            try:
                path = write_html_report(settings.report_path, data)
                written.append(f"{PREFIX}HTML report: {self._shown(path)}")
            except Exception as error:  # a report must never cost the session its results
                self._warn(f"HTML report not written to {settings.report_path}: {error}")
        if not settings.markdown_path and not settings.environ.get("GITHUB_STEP_SUMMARY"):
            return written
        from .report.markdown import append_step_summary, render_markdown, write_markdown

        text = render_markdown(data)
        if settings.step_summary:
            try:
                append_step_summary(text, settings.environ)
            except OSError as error:
                self._warn(f"job summary not written: {error}")
        if settings.markdown_path is not None:
            try:
                path = write_markdown(settings.markdown_path, text)
                written.append(f"{PREFIX}Markdown summary: {self._shown(path)}")
            except OSError as error:
                self._warn(f"Markdown summary not written to {settings.markdown_path}: {error}")
        return written

    def _shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.settings.rootdir.resolve()).as_posix()
        except ValueError:
            return str(path)


def write_session_outputs(
    run: RunInfo,
    items: Sequence[ItemRecord],
    settings: OutputSettings,
    history: SessionHistory | None = None,
) -> OutputResult:
    """The end of a session in one call (pass the session's ``SessionHistory`` if any)."""
    session = history if history is not None else SessionHistory(settings)
    return session.finish(run, items)
