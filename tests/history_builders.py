"""Builders of batch results, item records and runs for the history and report tests.

Results are made the way the simulator makes them (conversation summaries scored
by ``results.score``), without simulating: the tests pin storage and rendering.
"""

from __future__ import annotations

from collections.abc import Sequence

from pytest_persona.history_records import ItemRecord, RunInfo
from pytest_persona.results import BatchResult, ConversationSummary, Transcript, Turn, score
from pytest_persona.scoring import DEFAULT_THRESHOLDS, resolve_thresholds

DAY = 86_400.0
T0 = 1_790_000_000.0  # 2026-09-21, a fixed clock for reproducible runs
LIMITS = resolve_thresholds([DEFAULT_THRESHOLDS])


def summaries(
    total: int,
    completed: int,
    misunderstood: int = 0,
    wandered: int = 0,
    recovered: int = 0,
    stuck_at: str = "confirm",
) -> tuple[ConversationSummary, ...]:
    """``total`` conversations, ``completed`` of them complete; the misunderstood ones come
    first, the wanderers last, and ``recovered`` of them complete (moved into range when
    the other counts leave no choice)."""
    assert completed <= total and misunderstood <= total and wandered <= total
    recovered = max(min(recovered, completed, wandered), completed - (total - wandered))
    wander_from = total - wandered
    out = []
    for index in range(total):
        wanders = index >= wander_from
        done = index - wander_from < recovered if wanders else index < completed - recovered
        out.append(
            ConversationSummary(
                index=index,
                goal="order",
                outcome="completed" if done else "stuck",
                customer_turns=4 + index % 3,
                misunderstandings=1 if index < misunderstood else 0,
                wandered=wanders,
                stopped_at=None if done else stuck_at,
            )
        )
    return tuple(out)


def transcript(index: int = 3, text: str = "where is my parcel??") -> Transcript:
    return Transcript(
        ConversationSummary(index, "track", "stuck", 2, 1, False, "ask_number"),
        (
            Turn("assistant", "Hi! How can I help?", step="start"),
            Turn("customer", text),
            Turn(
                "assistant",
                "Sorry, I did not get that.",
                intent=None,
                confidence=0.31,
                step="start",
                misunderstood=True,
            ),
            Turn("customer", "order status pls", off_topic=False),
            Turn(
                "assistant",
                "What is your order number?",
                intent="track",
                confidence=0.82,
                step="ask_number",
            ),
        ),
    )


def batch(
    persona: str = "impatient",
    count: int = 50,
    completed: int = 45,
    misunderstood: int = 5,
    wandered: int = 10,
    recovered: int = 8,
    flow_path: str = "flows/checkout.flow.yaml",
    flow_id: str = "checkout",
    seed: int = 0,
    transcripts: Sequence[Transcript] = (),
) -> BatchResult:
    found = summaries(count, completed, misunderstood, wandered, recovered)
    return BatchResult(
        flow_id, flow_path, persona, count, seed, score(found), found, tuple(transcripts)
    )


def record(
    persona: str = "impatient",
    count: int = 50,
    completed: int = 45,
    misunderstood: int = 5,
    wandered: int = 10,
    recovered: int = 8,
    flow_path: str = "flows/checkout.flow.yaml",
    flow_id: str = "checkout",
    content_hash: str = "hash-1",
    seed: int = 0,
    description: str = "Checkout for the web shop.",
    transcripts: Sequence[Transcript] = (),
    regressions: Sequence[str] = (),
) -> ItemRecord:
    result = batch(
        persona,
        count,
        completed,
        misunderstood,
        wandered,
        recovered,
        flow_path,
        flow_id,
        seed,
        transcripts,
    )
    return ItemRecord.from_result(
        result,
        LIMITS,
        flow_path=flow_path,
        content_hash=content_hash,
        flow_description=description,
        regressions=regressions,
    )


def run(number: int = 0, seed: int = 0, branch: str | None = "main") -> RunInfo:
    """The ``number``-th run of a day-by-day series, with a fixed uid and clock."""
    started = T0 + number * DAY
    return RunInfo(
        uid=f"run-{number:06d}-{seed}",
        started_at=started,
        finished_at=started + 12.5,
        seed=seed,
        counts=(50,),
        personas=("impatient", "typo-prone"),
        git_commit=f"{number:07x}" + "a" * 33,
        git_branch=branch,
    )
