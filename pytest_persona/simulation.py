"""Run a batch of simulated conversations against a flow and score it.

Conversation ``i`` depends only on (seed, flow, persona, i), so a batch of 10 is the
first 10 of a batch of 50, and any one conversation can be replayed alone. Only the
summaries are kept for every conversation; the few failing transcripts a report shows
are recorded by replaying those conversations, so memory stays flat in the batch size.
"""

from __future__ import annotations

import gc
import heapq
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .customers.customer import CustomerFactory, GoalUnreachable
from .customers.personas import Persona, get_persona
from .customers.preparation import FlowPreparation
from .flow.engine import Assistant, Reply
from .flow.loader import load_flow
from .flow.model import Flow
from .results import (
    BatchResult,
    ConversationOutcome,
    ConversationSummary,
    Transcript,
    Turn,
    score,
)

__all__ = ["FlowPreparation", "GoalUnreachable", "Simulator", "clear_shared_caches", "simulate"]

DEFAULT_KEPT_TRANSCRIPTS = 2


class Simulator:
    """One flow and persona, compiled once; runs conversations by index."""

    def __init__(
        self,
        flow: Flow,
        persona: Persona,
        seed: int = 0,
        assistant: Assistant | None = None,
        preparation: FlowPreparation | None = None,
    ) -> None:
        """``assistant`` and ``preparation`` (both built from ``flow`` alone) let callers
        share one compiled flow and its customers' plans across personas and batches."""
        if assistant is not None and assistant.flow is not flow:
            raise ValueError("the assistant was built for another flow")
        self.flow = flow
        self.persona = persona
        self.seed = seed
        self._assistant = assistant if assistant is not None else Assistant(flow)
        self._customers = CustomerFactory(flow, persona, seed, preparation)

    def run(self, index: int, record: Callable[[Turn], None] | None = None) -> ConversationSummary:
        conversation = self._assistant.conversation()
        customer = self._customers.customer(index)
        goal_end = customer.goal.end
        reply = conversation.start()
        if record is not None:
            record(_assistant_turn(reply))
        turns = misunderstandings = 0
        wandered = False
        waiting_at = reply.step
        outcome: ConversationOutcome | None = None
        while outcome is None:
            if reply.outcome is not None:
                outcome = _outcome_of(reply, goal_end)
                break
            move = customer.respond(reply)
            if move.kind == "give_up":
                outcome = "abandoned"
                if record is not None:
                    record(Turn("customer", "(gives up)"))
                break
            turns += 1
            wandered = wandered or move.off_topic
            if record is not None:
                record(Turn("customer", move.text, clicked=move.kind == "click",
                            off_topic=move.off_topic))
            if move.kind == "click":
                reply = conversation.click(move.text)
            else:
                reply = conversation.reply(move.text)
            if reply.misunderstood:
                misunderstandings += 1
            if record is not None:
                record(_assistant_turn(reply))
            if reply.step is not None:
                waiting_at = reply.step
        return ConversationSummary(
            index=index,
            goal=goal_end,
            outcome=outcome,
            customer_turns=turns,
            misunderstandings=misunderstandings,
            wandered=wandered,
            stopped_at=None if outcome == "completed" else waiting_at,
        )

    def transcript(self, index: int) -> Transcript:
        turns: list[Turn] = []
        summary = self.run(index, turns.append)
        return Transcript(summary, tuple(turns))

    def batch(self, count: int, keep_failing: int = DEFAULT_KEPT_TRANSCRIPTS) -> BatchResult:
        if count < 1:
            raise ValueError(f"count must be a positive number, not {count}")
        with cyclic_gc_paused():
            summaries = tuple(self.run(i) for i in range(count))
        failing = heapq.nsmallest(
            keep_failing,
            (s for s in summaries if s.outcome != "completed"),
            key=lambda s: (s.customer_turns, s.index),
        )
        return BatchResult(
            flow_id=self.flow.id,
            flow_path=self.flow.path,
            persona=self.persona.name,
            count=count,
            seed=self.seed,
            scores=score(summaries),
            summaries=summaries,
            failing_transcripts=tuple(self.transcript(s.index) for s in failing),
        )


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector, if it runs, for the block.

    Conversations make no reference cycles: reference counting frees everything they
    leave behind (``tests/test_simulation.py`` checks it on every example flow and
    persona). Yet their allocations kept triggering collections that walked the growing
    memos and found nothing to free, about 6% of an elderly batch; paused, one collection
    follows the block. Memory is the same either way; a collector the caller has switched
    off stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def simulate(
    flow: Flow | str | os.PathLike[str],
    persona: Persona | str,
    count: int = 10,
    seed: int = 0,
    *,
    keep_failing: int = DEFAULT_KEPT_TRANSCRIPTS,
) -> BatchResult:
    """Run ``count`` conversations of ``persona`` against ``flow`` and score them.

    ``flow`` may be a loaded Flow or a path; ``persona`` a Persona or a built-in name.
    Raises FlowError for a broken flow file and GoalUnreachable for a goal no
    customer can ever reach.
    """
    loaded = flow if isinstance(flow, Flow) else load_flow(Path(flow))
    chosen = persona if isinstance(persona, Persona) else get_persona(persona)
    return Simulator(loaded, chosen, seed).batch(count, keep_failing)


def clear_shared_caches() -> None:
    """Empty every memo that outlives a ``Simulator`` (word stems, repair indexes, the
    customers' phrase memos), so a timed run measures a cold start, not the run before;
    no result depends on them."""
    from .customers import preparation
    from .flow import textnorm

    textnorm.clear_shared_caches()
    preparation.clear_shared_caches()


def _outcome_of(reply: Reply, goal_end: str) -> ConversationOutcome:
    if reply.outcome == "completed":
        return "completed" if reply.end_step == goal_end else "misrouted"
    assert reply.outcome is not None
    return reply.outcome


def _assistant_turn(reply: Reply) -> Turn:
    return Turn(
        "assistant",
        "\n".join(reply.messages),
        intent=reply.intent,
        confidence=round(reply.confidence, 3) if reply.intent or reply.misunderstood else None,
        step=reply.step,
        misunderstood=reply.misunderstood,
    )
