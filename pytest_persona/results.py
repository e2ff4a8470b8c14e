"""What a batch leaves behind: summaries, kept transcripts and scores, as plain data.

Everything here converts to and from JSON-safe dicts, because results travel from
pytest-xdist workers to the controller and into the history store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .scoring import Rate, Scores

Speaker = Literal["customer", "assistant"]
ConversationOutcome = Literal["completed", "escalated", "abandoned", "stuck", "misrouted"]
OUTCOMES: tuple[ConversationOutcome, ...] = (
    "completed",
    "escalated",
    "abandoned",
    "stuck",
    "misrouted",
)


@dataclass(frozen=True)
class Turn:
    """One message. For the assistant: the intent it matched, its confidence, its step."""

    speaker: Speaker
    text: str
    intent: str | None = None
    confidence: float | None = None
    step: str | None = None
    clicked: bool = False  # a customer's button click rather than typed text
    off_topic: bool = False  # a customer's off-topic wandering
    misunderstood: bool = False  # an assistant answer to a message it did not understand


@dataclass(frozen=True)
class ConversationSummary:
    index: int
    goal: str
    outcome: ConversationOutcome
    customer_turns: int
    misunderstandings: int
    wandered: bool
    # The waiting step the conversation was at when it stopped (None if it completed).
    stopped_at: str | None


@dataclass(frozen=True)
class Transcript:
    summary: ConversationSummary
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class BatchResult:
    """One flow, one persona, one batch size and seed: scores, outcomes, kept transcripts."""

    flow_id: str
    flow_path: str
    persona: str
    count: int
    seed: int
    scores: Scores
    summaries: tuple[ConversationSummary, ...]
    # The shortest failing conversations (a report shows one or two), by turns then index.
    failing_transcripts: tuple[Transcript, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow_id": self.flow_id,
            "flow_path": self.flow_path,
            "persona": self.persona,
            "count": self.count,
            "seed": self.seed,
            "scores": scores_to_dict(self.scores),
            "summaries": [_summary_to_list(s) for s in self.summaries],
            "failing_transcripts": [
                {
                    "summary": _summary_to_list(t.summary),
                    "turns": [_turn_to_dict(turn) for turn in t.turns],
                }
                for t in self.failing_transcripts
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BatchResult:
        return cls(
            flow_id=str(data["flow_id"]),
            flow_path=str(data["flow_path"]),
            persona=str(data["persona"]),
            count=int(data["count"]),
            seed=int(data["seed"]),
            scores=scores_from_dict(data["scores"]),
            summaries=tuple(_summary_from_list(s) for s in data["summaries"]),
            failing_transcripts=tuple(
                Transcript(
                    _summary_from_list(t["summary"]),
                    tuple(Turn(**turn) for turn in t["turns"]),
                )
                for t in data["failing_transcripts"]
            ),
        )


def scores_to_dict(scores: Scores) -> dict[str, Any]:
    return {
        "completion": [scores.completion.hits, scores.completion.total],
        "fallback_rate": [scores.fallback_rate.hits, scores.fallback_rate.total],
        "off_topic_recovery": [scores.off_topic_recovery.hits, scores.off_topic_recovery.total],
        "customer_turns": scores.customer_turns,
        "misunderstandings": scores.misunderstandings,
        "outcomes": dict(scores.outcomes),
        "stuck_step": scores.stuck_step,
        "stuck_step_count": scores.stuck_step_count,
    }


def scores_from_dict(data: Mapping[str, Any]) -> Scores:
    def rate(key: str) -> Rate:
        hits, total = data[key]
        return Rate(int(hits), int(total))

    return Scores(
        completion=rate("completion"),
        fallback_rate=rate("fallback_rate"),
        off_topic_recovery=rate("off_topic_recovery"),
        customer_turns=int(data["customer_turns"]),
        misunderstandings=int(data["misunderstandings"]),
        outcomes={str(k): int(v) for k, v in data["outcomes"].items()},
        stuck_step=data["stuck_step"],
        stuck_step_count=int(data["stuck_step_count"]),
    )


def _summary_to_list(s: ConversationSummary) -> list[Any]:
    return [s.index, s.goal, s.outcome, s.customer_turns, s.misunderstandings, s.wandered,
            s.stopped_at]


def _summary_from_list(row: list[Any]) -> ConversationSummary:
    index, goal, outcome, turns, misunderstandings, wandered, stopped_at = row
    return ConversationSummary(
        int(index), str(goal), outcome, int(turns), int(misunderstandings), bool(wandered),
        stopped_at,
    )


def _turn_to_dict(turn: Turn) -> dict[str, Any]:
    data: dict[str, Any] = {"speaker": turn.speaker, "text": turn.text}
    for key in ("intent", "confidence", "step"):
        value = getattr(turn, key)
        if value is not None:
            data[key] = value
    for key in ("clicked", "off_topic", "misunderstood"):
        if getattr(turn, key):
            data[key] = True
    return data


def score(summaries: tuple[ConversationSummary, ...]) -> Scores:
    """The batch's scores as product.md defines them, from the per-conversation summaries."""
    total = len(summaries)
    completed = sum(1 for s in summaries if s.outcome == "completed")
    with_misunderstanding = sum(1 for s in summaries if s.misunderstandings)
    wanderers = [s for s in summaries if s.wandered]
    recovered = sum(1 for s in wanderers if s.outcome == "completed")
    outcomes = Counter(s.outcome for s in summaries)
    stops = Counter(s.stopped_at for s in summaries if s.outcome != "completed" and s.stopped_at)
    stuck_step, stuck_count = (None, 0)
    if stops:
        # Most frequent first; ties broken by name so the answer never depends on order.
        stuck_step, stuck_count = min(stops.items(), key=lambda kv: (-kv[1], kv[0]))
    return Scores(
        completion=Rate(completed, total),
        fallback_rate=Rate(with_misunderstanding, total),
        off_topic_recovery=Rate(recovered, len(wanderers)),
        customer_turns=sum(s.customer_turns for s in summaries),
        misunderstandings=sum(s.misunderstandings for s in summaries),
        outcomes={o: outcomes.get(o, 0) for o in OUTCOMES},
        stuck_step=stuck_step,
        stuck_step_count=stuck_count,
    )
