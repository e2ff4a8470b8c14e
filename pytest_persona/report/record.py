"""What one pytest item leaves for the reports: its batch, its limits and its verdict.

An ``ItemRecord`` is made where the item runs (possibly a pytest-xdist worker) and
travels to the controller as a JSON-safe dict, so the controller judges and reports
exactly what a serial run would, without loading any flow file itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..flow.model import METRICS, Metric
from ..results import BatchResult
from ..scoring import ResolvedLimit, Verdict, judge

Status = Literal["pass", "amber", "fail", "error"]


@dataclass(frozen=True)
class ItemRecord:
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

    @property
    def verdict(self) -> Verdict:
        if self.result is None:
            return Verdict()
        return judge(self.result.scores, self.limits)

    @property
    def status(self) -> Status:
        return "error" if self.result is None else self.verdict.status

    @property
    def failed(self) -> bool:
        return self.result is None or self.verdict.failed

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
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemRecord:
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
        )


def junit_properties(record: ItemRecord) -> list[tuple[str, object]]:
    """The ``user_properties`` an item carries into ``--junitxml``."""
    properties: list[tuple[str, object]] = [
        ("flow", record.flow_id),
        ("persona", record.persona),
        ("count", record.count),
        ("seed", record.seed),
        ("status", record.status),
    ]
    if record.result is None:
        return properties
    scores = record.result.scores
    for metric in METRICS:
        rate = scores.rate(metric)
        value = rate.value
        properties.append((metric, "n/a" if value is None else round(value, 4)))
        properties.append((f"{metric}_count", f"{rate.hits}/{rate.total}"))
    return properties


def sort_key(record: ItemRecord) -> tuple[str, int, str]:
    return record.flow_path, record.position, record.nodeid
