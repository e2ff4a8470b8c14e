"""What the HTML report and the Markdown summary show, gathered once.

Built from the history store (the normal case, and ``pytest-persona report``) or,
when history is off or broken, from the session's own items and whatever earlier
results were read before; both renderers take the same ``ReportData``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..deltas import ItemDelta, item_delta
from ..history import HistoryStore
from ..history_records import (
    HistoryEntry,
    ItemKey,
    ItemRecord,
    RunInfo,
    Status,
    StoredRun,
    status_counts,
)
from ..history_schema import HistoryError

TREND_POINTS = 20
RECENT_RUNS = 10
# Built-in personas in the order the product page lists them; others follow by name.
PERSONA_ORDER = ("plain", "impatient", "typo-prone", "non-native", "elderly")


@dataclass(frozen=True)
class ReportRow:
    item: ItemRecord
    delta: ItemDelta | None
    trend: tuple[HistoryEntry, ...]  # oldest first, ending with this run's own result

    @property
    def anchor(self) -> str:
        """A stable id for links inside the page (paths may hold any character)."""
        return "item-" + "".join(c if c.isalnum() else "-" for c in str(self.item.key))


@dataclass(frozen=True)
class FlowSection:
    flow_path: str
    flow_id: str
    description: str
    rows: tuple[ReportRow, ...]

    @property
    def changed(self) -> bool:
        return any(r.delta is not None and r.delta.flow_changed for r in self.rows)

    def cell(self, persona: str) -> tuple[ReportRow, ...]:
        return tuple(r for r in self.rows if r.item.persona == persona)


@dataclass(frozen=True)
class ReportData:
    """The rows, grouped and ordered once (the templates ask for each grouping often)."""

    info: RunInfo
    run: StoredRun | None  # None when the run is not in a store
    rows: tuple[ReportRow, ...]
    recent_runs: tuple[StoredRun, ...] = ()
    note: str | None = None  # e.g. why history is missing from this report
    generated_at: float = field(default_factory=time.time)

    @property
    def title(self) -> str:
        return f"run {self.run.number}" if self.run is not None else "this run"

    @property
    def totals(self) -> dict[Status, int]:
        return status_counts([r.item for r in self.rows])

    @cached_property
    def personas(self) -> tuple[str, ...]:
        present = {r.item.persona for r in self.rows}
        ordered = [p for p in (*PERSONA_ORDER, *self.info.personas) if p in present]
        ordered += sorted(present - set(ordered))
        return tuple(dict.fromkeys(ordered))

    @cached_property
    def flows(self) -> tuple[FlowSection, ...]:
        groups: dict[str, list[ReportRow]] = {}
        for row in self.rows:
            groups.setdefault(row.item.flow_path, []).append(row)
        rank = {p: i for i, p in enumerate(self.personas)}
        sections = []
        for path in sorted(groups):
            rows = sorted(groups[path], key=lambda r: (rank[r.item.persona], r.item.count))
            first = rows[0].item
            sections.append(FlowSection(path, first.flow_id, first.flow_description, tuple(rows)))
        return tuple(sections)

    @cached_property
    def failing(self) -> tuple[ReportRow, ...]:
        return tuple(r for s in self.flows for r in s.rows if r.item.status == "fail")

    @property
    def moves(self) -> dict[str, int]:
        """How many items got better, worse or changed their flow since their last run
        (a score against another seed's is neither better nor worse)."""
        better = worse = changed = other_seed = 0
        for row in self.rows:
            if row.delta is None:
                continue
            changed += row.delta.flow_changed
            if row.delta.seed_changed:
                other_seed += 1
                continue
            judgements = {d.judgement for d in row.delta.deltas}
            worse += "worse" in judgements
            better += "better" in judgements and "worse" not in judgements
        return {"better": better, "worse": worse, "changed": changed, "other_seed": other_seed}


def report_from_store(
    store: HistoryStore, run_number: int | None = None, trend_points: int = TREND_POINTS
) -> ReportData:
    """The report of a stored run (the latest by default), with each item's trend."""
    run = store.latest_run() if run_number is None else store.run(run_number)
    if run is None:
        where = f"no run {run_number}" if run_number is not None else "no runs yet"
        raise HistoryError(f"{store.path} has {where}")
    rows = []
    for item in store.items(run.number):
        trend = store.trend(item.key, up_to_run=run.number, limit=trend_points)
        previous = store.comparable(item.key, item.seed, before_run=run.number)
        rows.append(ReportRow(item, item_delta(item, previous), tuple(trend)))
    recent = store.runs(last=RECENT_RUNS)
    return ReportData(info=run.info, run=run, rows=tuple(rows), recent_runs=tuple(recent))


def report_from_items(
    info: RunInfo,
    items: Sequence[ItemRecord],
    previous: Mapping[ItemKey, HistoryEntry] | None = None,
    note: str | None = None,
) -> ReportData:
    """A report without the store: each item against the earlier result read before."""
    own = StoredRun(number=0, info=info, items=len(items))
    rows = []
    for item in items:
        before = (previous or {}).get(item.key)
        trend = ((before,) if before is not None else ()) + (HistoryEntry(own, item),)
        rows.append(ReportRow(item, item_delta(item, before), trend))
    return ReportData(info=info, run=None, rows=tuple(rows), note=note)
