"""The validity rules of personas.md as comparisons of two batches, with their counts.

Shared by tests/test_validity.py (seed 0) and benchmarks/validity_seeds.py (seeds 0..4),
so the suite and the robustness table judge the same thing. Every comparison is on
counts and strict: a rule holds only when the mutated flow is measurably worse.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from validity_mutations import (
    few_short_examples,
    stricter,
    trim_examples,
    without_off_topic,
    without_repeat,
    zero_tolerance,
)

from pytest_persona.customers.personas import Persona, get_persona
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import Flow
from pytest_persona.scoring import Rate, Scores
from pytest_persona.simulation import Simulator

COUNT = 50
SATURATED = 0.9
EXAMPLE_FLOWS = Path(__file__).resolve().parent.parent / "example_flows"
FLOW_IDS = tuple(
    sorted(path.name.removesuffix(".flow.yaml") for path in EXAMPLE_FLOWS.glob("*.flow.yaml"))
)
PERSONAS = ("impatient", "typo-prone", "non-native", "elderly", "plain")

_flows: dict[str, Flow] = {}
_scores: dict[tuple[str, str, str, int, int], Scores] = {}


def example_flow(flow_id: str) -> Flow:
    found = _flows.get(flow_id)
    if found is None:
        found = _flows[flow_id] = load_flow(EXAMPLE_FLOWS / f"{flow_id}.flow.yaml")
    return found


def scores(flow: Flow, label: str, persona: Persona | str, seed: int, count: int = COUNT) -> Scores:
    """The scores of one batch, remembered by (flow id, edit label, persona, seed, count)."""
    chosen = persona if isinstance(persona, Persona) else get_persona(persona)
    key = (flow.id, label, _persona_key(chosen), seed, count)
    found = _scores.get(key)
    if found is None:
        found = _scores[key] = Simulator(flow, chosen, seed).batch(count, keep_failing=0).scores
    return found


def _persona_key(persona: Persona) -> str:
    builtin = get_persona(persona.name) if persona.name in PERSONAS else None
    return persona.name if persona == builtin else repr(persona)


def clean_twin(persona: Persona) -> Persona:
    """The same persona (same name, so the same random streams) without typing noise."""
    return dataclasses.replace(
        persona,
        char_error_rate=0.0,
        space_drop=0.0,
        space_insert=0.0,
        misspelling_rate=0.0,
        lowercase_start=0.0,
        apostrophe_drop=0.0,
    )


@dataclass(frozen=True)
class Comparison:
    """Two batches that a rule compares, and whether the rule holds between them."""

    rule: str
    flow: str
    who: str
    edit: str
    before: Scores
    after: Scores
    holds: bool

    def describe(self) -> str:
        b, a = self.before, self.after
        return (
            f"rule {self.rule} {self.flow} {self.who} [{self.edit}]: "
            f"completion {b.completion} -> {a.completion}, "
            f"fallback {b.fallback_rate} -> {a.fallback_rate}, "
            f"off-topic {b.off_topic_recovery} -> {a.off_topic_recovery}, "
            f"per turn {b.misunderstandings_per_turn:.3f} -> {a.misunderstandings_per_turn:.3f}"
            f" => {'holds' if self.holds else 'FAILS'}"
        )


def _compare(
    rule: str,
    flow: Flow,
    edit: str,
    mutate: Callable[[Flow], Flow],
    persona: str,
    seed: int,
    holds: Callable[[Scores, Scores], bool],
) -> Comparison:
    before = scores(flow, "original", persona, seed)
    after = scores(mutate(flow), edit, persona, seed)
    return Comparison(rule, flow.id, persona, edit, before, after, holds(before, after))


def rule1(flow: Flow, intent: str, persona: str, seed: int) -> Comparison:
    """Fewer examples of a main-path intent: more fallbacks AND fewer completions."""
    return _compare(
        "1", flow, f"trim {intent}", lambda f: trim_examples(f, intent), persona, seed,
        lambda b, a: a.fallback_rate.hits > b.fallback_rate.hits
        and a.completion.hits < b.completion.hits,
    )  # fmt: skip


def _harm(flow: Flow, persona: str, seed: int) -> tuple[int, int, Comparison]:
    c = _compare("2", flow, "no repeat", without_repeat, persona, seed, lambda b, a: True)
    fallback = c.after.fallback_rate.hits - c.before.fallback_rate.hits
    completion = c.before.completion.hits - c.after.completion.hits
    return fallback, completion, c


def rule2(flow: Flow, seed: int) -> tuple[Comparison, Comparison, bool]:
    """Without the repeat intent, non-native loses more than impatient (either score)."""
    nn_fallback, nn_completion, nn = _harm(flow, "non-native", seed)
    imp_fallback, imp_completion, imp = _harm(flow, "impatient", seed)
    holds = (nn_fallback > max(imp_fallback, 0)) or (nn_completion > max(imp_completion, 0))
    return nn, imp, holds


def _lower_rate(before: Rate, after: Rate) -> bool:
    """``after`` strictly below ``before``, compared exactly on counts (cross-multiplied):
    the wanderers are the same customers, but one may stop before its wandering turn."""
    if not before.total or not after.total:
        return False
    return after.hits * before.total < before.hits * after.total


def rule3(flow: Flow, persona: str, seed: int) -> Comparison:
    """No off_topic block and no reprompt: fewer wanderers complete."""
    return _compare(
        "3", flow, "no off_topic, no reprompt", without_off_topic, persona, seed,
        lambda b, a: _lower_rate(b.off_topic_recovery, a.off_topic_recovery),
    )  # fmt: skip


def rule4(flow: Flow, persona: str, seed: int) -> Comparison:
    """max_no_match 0 with on_exhausted: handoff: fewer completions."""
    return _compare(
        "4", flow, "max_no_match 0", zero_tolerance, persona, seed,
        lambda b, a: a.completion.hits < b.completion.hits,
    )  # fmt: skip


def rule5(flow: Flow, seed: int, twin: bool = False) -> Comparison:
    """On a flow of few, short examples, typo-prone falls back more than a clean customer.

    The clean customer is ``plain``, or with ``twin`` typo-prone itself without typing
    noise: the same streams, so the difference is the noise alone.
    """
    few = few_short_examples(flow)
    typo = get_persona("typo-prone")
    clean: Persona = clean_twin(typo) if twin else get_persona("plain")
    before = scores(few, "few short", clean, seed)
    after = scores(few, "few short", typo, seed)
    who = "typo-prone vs its clean twin" if twin else "typo-prone vs plain"
    holds = after.fallback_rate.hits > before.fallback_rate.hits
    return Comparison("5", flow.id, who, "few short examples", before, after, holds)


# A designer tightening the match threshold of a hurried draft (two short examples per
# intent), step by step: each rung misunderstands every message the one before did, and
# more. Rule 6: where the share of conversations with a misunderstanding has stopped
# rising (it cannot pass 50/50), misunderstandings per customer turn still rise.
LADDER = (0.75, 0.8, 0.85, 0.9, 0.95, 0.99)


def rule6(flow: Flow, persona: str, seed: int) -> list[Comparison]:
    """Each rung whose share is saturated, compared with the next, stricter rung."""
    draft = few_short_examples(flow)
    rungs = [
        (f"threshold {t:g}", scores(stricter(draft, t), f"draft at {t:g}", persona, seed))
        for t in LADDER
    ]
    found: list[Comparison] = []
    for (label, before), (worse, after) in itertools.pairwise(rungs):
        share = before.fallback_rate.value
        if share is not None and share >= SATURATED:
            holds = after.misunderstandings_per_turn > before.misunderstandings_per_turn
            edit = f"draft, {label} -> {worse}"
            found.append(Comparison("6", flow.id, persona, edit, before, after, holds))
    return found
