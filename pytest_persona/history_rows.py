"""Records to database rows and back: one place that knows the column layout."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, cast

from .flow.model import METRICS, Metric
from .history_records import ItemRecord, RunInfo, Status, StoredRun, status_counts
from .results import OUTCOMES, ConversationSummary, Transcript, Turn
from .scoring import Colour, Rate, ResolvedLimit, Scores

RUN_COLUMNS = (
    "id",
    "uid",
    "started_at",
    "finished_at",
    "seed",
    "counts",
    "personas",
    "items",
    "passed",
    "amber",
    "failed",
    "git_commit",
    "git_branch",
    "version",
)
RESULT_COLUMNS = (
    "run_id",
    "flow_path",
    "flow_id",
    "content_hash",
    "persona",
    "count",
    "seed",
    *(f"{m}_{part}" for m in METRICS for part in ("hits", "total")),
    *OUTCOMES,
    "customer_turns",
    "misunderstandings",
    "mean_turns",
    "misunderstandings_per_turn",
    "stuck_step",
    "stuck_step_count",
    *(f"{m}_colour" for m in METRICS),
    *(f"{m}_{part}" for m in METRICS for part in ("limit", "warn")),
    "status",
    "flow_description",
    "regressions",
    "transcripts",
)
INSERT_RESULT = (
    f"INSERT INTO results ({', '.join(RESULT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in RESULT_COLUMNS)})"
)
SELECT_RUN = (
    "SELECT "
    + ", ".join(f"runs.{c}" for c in RUN_COLUMNS)
    + ", (SELECT group_concat(name, char(31)) FROM baselines WHERE baselines.run_id = runs.id)"
    + " FROM runs"
)
SELECT_RESULT = "SELECT " + ", ".join(f"results.{c}" for c in RESULT_COLUMNS) + " FROM results"


def run_values(run: RunInfo, items: Sequence[ItemRecord]) -> tuple[Any, ...]:
    """The runs row without its id (the store numbers runs)."""
    totals = status_counts(items)
    return (
        run.uid,
        run.started_at,
        run.finished_at,
        run.seed,
        ",".join(str(c) for c in run.counts),
        ",".join(run.personas),
        len(items),
        totals["pass"],
        totals["amber"],
        totals["fail"],
        run.git_commit,
        run.git_branch,
        run.version,
    )


def run_from_row(row: sqlite3.Row | tuple[Any, ...]) -> StoredRun:
    (
        number,
        uid,
        started_at,
        finished_at,
        seed,
        counts,
        personas,
        items,
        passed,
        amber,
        failed,
        commit,
        branch,
        version,
        names,
    ) = tuple(row)
    info = RunInfo(
        uid=str(uid),
        started_at=float(started_at),
        finished_at=float(finished_at),
        seed=int(seed),
        counts=tuple(int(c) for c in str(counts).split(",") if c),
        personas=tuple(p for p in str(personas).split(",") if p),
        git_commit=commit,
        git_branch=branch,
        version=str(version),
    )
    return StoredRun(
        number=int(number),
        info=info,
        items=int(items),
        passed=int(passed),
        amber=int(amber),
        failed=int(failed),
        names=tuple(sorted(str(names).split("\x1f"))) if names else (),
    )


def result_values(run_id: int, item: ItemRecord) -> tuple[Any, ...]:
    scores = item.scores
    rates: list[int] = []
    limits: list[float | None] = []
    for metric in METRICS:
        rate = scores.rate(metric)
        rates += [rate.hits, rate.total]
        resolved = item.limits.get(metric)
        limits += [resolved.limit, resolved.warn] if resolved else [None, None]
    return (
        run_id,
        item.flow_path,
        item.flow_id,
        item.content_hash,
        item.persona,
        item.count,
        item.seed,
        *rates,
        *(int(scores.outcomes.get(o, 0)) for o in OUTCOMES),
        scores.customer_turns,
        scores.misunderstandings,
        scores.mean_turns,
        scores.misunderstandings_per_turn,
        scores.stuck_step,
        scores.stuck_step_count,
        *(item.colours.get(m, "n/a") for m in METRICS),
        *limits,
        item.status,
        item.flow_description,
        json.dumps(list(item.regressions)),
        transcripts_to_json(item.failing_transcripts),
    )


def result_from_row(row: sqlite3.Row | tuple[Any, ...]) -> tuple[int, ItemRecord]:
    """The run number and the record of one results row."""
    values = dict(zip(RESULT_COLUMNS, tuple(row), strict=True))

    def rate(metric: Metric) -> Rate:
        return Rate(int(values[f"{metric}_hits"]), int(values[f"{metric}_total"]))

    limits: dict[Metric, ResolvedLimit] = {}
    for metric in METRICS:
        limit, warn = values[f"{metric}_limit"], values[f"{metric}_warn"]
        if limit is not None and warn is not None:
            limits[metric] = ResolvedLimit(metric, float(limit), float(warn))
    scores = Scores(
        completion=rate("completion"),
        fallback_rate=rate("fallback_rate"),
        off_topic_recovery=rate("off_topic_recovery"),
        customer_turns=int(values["customer_turns"]),
        misunderstandings=int(values["misunderstandings"]),
        outcomes={o: int(values[o]) for o in OUTCOMES},
        stuck_step=values["stuck_step"],
        stuck_step_count=int(values["stuck_step_count"]),
    )
    record = ItemRecord(
        flow_path=str(values["flow_path"]),
        flow_id=str(values["flow_id"]),
        content_hash=str(values["content_hash"]),
        persona=str(values["persona"]),
        count=int(values["count"]),
        seed=int(values["seed"]),
        scores=scores,
        colours={m: cast(Colour, values[f"{m}_colour"]) for m in METRICS},
        status=cast(Status, values["status"]),
        limits=limits,
        flow_description=str(values["flow_description"]),
        regressions=tuple(str(r) for r in json.loads(values["regressions"])),
        failing_transcripts=transcripts_from_json(str(values["transcripts"])),
    )
    return int(values["run_id"]), record


def transcripts_to_json(transcripts: Sequence[Transcript]) -> str:
    return json.dumps([asdict(t) for t in transcripts], ensure_ascii=False, sort_keys=True)


def transcripts_from_json(text: str) -> tuple[Transcript, ...]:
    loaded: list[Mapping[str, Any]] = json.loads(text)
    return tuple(
        Transcript(
            summary=ConversationSummary(**t["summary"]),
            turns=tuple(Turn(**turn) for turn in t["turns"]),
        )
        for t in loaded
    )
