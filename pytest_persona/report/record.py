"""What one pytest item leaves for the reports: its batch, its limits and its verdict.

An ``ItemOutcome`` is made where the item runs (possibly a pytest-xdist worker) and
travels to the controller as a JSON-safe dict, so the controller judges, stores and
reports exactly what a serial run would, without loading any flow file itself. The
history keeps its own, narrower ``history_records.ItemRecord``, made by ``to_history``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from ..flow.model import METRICS, Metric
from ..results import BatchResult
from ..scoring import ResolvedLimit, Verdict, judge

if TYPE_CHECKING:
    from ..history_records import ItemRecord

Status = Literal["pass", "amber", "fail", "error"]


@dataclass(frozen=True)
class ItemOutcome:
    nodeid: str
    flow_path: str  # relative to the rootdir, with '/' separators
    flow_id: str
    content_hash: str
    persona: str
    # What `pytest-persona replay --persona` takes: a name or a persona file path.
    persona_ref: str
    count: int
    seed: int
    # The item's place among its flow file's items, to keep the table in file order.
    position: int
    limits: Mapping[Metric, ResolvedLimit]
    result: BatchResult | None = None
    # Why no batch could run (a goal no customer can reach); None when it ran.
    error: str | None = None
    flow_description: str = ""
    # The ``--persona-compare-fail`` rules this batch broke, one sentence each.
    regressions: tuple[str, ...] = ()

    @cached_property
    def verdict(self) -> Verdict:
        """Judged once: the status, the failure report and the table all ask for it."""
        if self.result is None:
            return Verdict()
        return judge(self.result.scores, self.limits)

    @property
    def status(self) -> Status:
        if self.result is None:
            return "error"
        return "fail" if self.regressions else self.verdict.status

    @property
    def failed(self) -> bool:
        return self.result is None or bool(self.regressions) or self.verdict.failed

    def compact(self) -> ItemOutcome:
        """What the controller keeps of an item: the batch without its per-conversation
        summaries (the scores already count them), and the failing transcripts only when
        the item failed, as only failed items show theirs in a report. A session of
        thousands of items then keeps a few hundred bytes per item, not kilobytes."""
        result = self.result
        if result is None:
            return self
        kept = result.failing_transcripts if self.failed else ()
        if not result.summaries and kept == result.failing_transcripts:
            return self
        return replace(self, result=replace(result, summaries=(), failing_transcripts=kept))

    def to_history(self) -> ItemRecord | None:
        """The record the history stores; None when no batch ran (nothing to compare)."""
        from ..history_records import ItemRecord

        if self.result is None:
            return None
        return ItemRecord.from_result(
            self.result,
            self.limits,
            flow_path=self.flow_path,
            content_hash=self.content_hash,
            flow_description=self.flow_description,
            regressions=self.regressions,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodeid": self.nodeid,
            "flow_path": self.flow_path,
            "flow_id": self.flow_id,
            "content_hash": self.content_hash,
            "persona": self.persona,
            "persona_ref": self.persona_ref,
            "count": self.count,
            "seed": self.seed,
            "position": self.position,
            "limits": {m: [lim.limit, lim.warn] for m, lim in self.limits.items()},
            "result": None if self.result is None else self.result.to_dict(),
            "error": self.error,
            "flow_description": self.flow_description,
            "regressions": list(self.regressions),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemOutcome:
        limits = {
            metric: ResolvedLimit(metric, float(data["limits"][metric][0]),
                                  float(data["limits"][metric][1]))
            for metric in METRICS
        }
        result = data.get("result")
        return cls(
            nodeid=str(data["nodeid"]),
            flow_path=str(data["flow_path"]),
            flow_id=str(data["flow_id"]),
            content_hash=str(data["content_hash"]),
            persona=str(data["persona"]),
            persona_ref=str(data["persona_ref"]),
            count=int(data["count"]),
            seed=int(data["seed"]),
            position=int(data["position"]),
            limits=limits,
            result=None if result is None else BatchResult.from_dict(result),
            error=None if data.get("error") is None else str(data["error"]),
            flow_description=str(data.get("flow_description", "")),
            regressions=tuple(str(m) for m in data.get("regressions", ())),
        )


def junit_properties(record: ItemOutcome) -> list[tuple[str, object]]:
    """The ``user_properties`` an item carries into ``--junitxml``."""
    properties: list[tuple[str, object]] = [
        ("flow", record.flow_id),
        ("persona", record.persona),
        ("count", record.count),
        ("seed", record.seed),
        ("status", record.status),
    ]
    properties += [("regression", message) for message in record.regressions]
    if record.result is None:
        return properties
    scores = record.result.scores
    for metric in METRICS:
        rate = scores.rate(metric)
        value = rate.value
        properties.append((metric, "n/a" if value is None else round(value, 4)))
        properties.append((f"{metric}_count", f"{rate.hits}/{rate.total}"))
    return properties


def sort_key(record: ItemOutcome) -> tuple[str, int, str]:
    return record.flow_path, record.position, record.nodeid
