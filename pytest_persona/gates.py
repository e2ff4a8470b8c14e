"""Regression gates: ``--persona-compare-fail METRIC:DROP`` rules and their verdicts.

A gate fails an item whose score moved the wrong way by more than DROP since the
previous run of the same flow path, persona, count and seed (or since a named baseline
of the same seed): scores of two seeds are different customers, and differ by chance
alone. Comparisons are exact fractions, so 90% to 85% is not "more than 0.05" by a
float's rounding error. Failures are sentences, never tracebacks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from .deltas import METRIC_LABELS, exact, format_rate
from .flow.model import HIGHER_IS_BETTER, METRICS, Metric
from .history_records import HistoryEntry, ItemRecord, StoredRun
from .scoring import Rate

MissingBaseline = Literal["warn", "fail"]
_ALIASES: dict[str, Metric] = {
    "completion": "completion",
    "fallback": "fallback_rate",
    "fallback_rate": "fallback_rate",
    "off_topic": "off_topic_recovery",
    "off_topic_recovery": "off_topic_recovery",
    "recovery": "off_topic_recovery",
}


@dataclass(frozen=True)
class CompareRule:
    """``allowed``: the largest move the wrong way that still passes, as a fraction."""

    metric: Metric
    allowed: Fraction

    def __str__(self) -> str:
        return f"{self.metric}:{float(self.allowed):g}"


def parse_compare_rule(text: str) -> CompareRule:
    """``completion:0.05`` or ``fallback_rate:5%``; ValueError with a clear reason."""
    name, sep, amount = text.partition(":")
    if not sep or not name.strip() or not amount.strip():
        raise ValueError(f"expected METRIC:DROP such as completion:0.05, got {text!r}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    metric = _ALIASES.get(key)
    if metric is None:
        raise ValueError(
            f"unknown metric {name.strip()!r} in {text!r}; use one of {', '.join(METRICS)}"
        )
    amount = amount.strip()
    percent = amount.endswith("%")
    try:
        number = float(amount[:-1] if percent else amount)
        if not math.isfinite(number):
            raise ValueError(amount)
        allowed = Fraction(amount[:-1] if percent else amount) / (100 if percent else 1)
    except ValueError:
        raise ValueError(
            f"DROP in {text!r} is not a number; write a fraction (0.05) or a percentage (5%)"
        ) from None
    if not 0 <= allowed <= 1:
        raise ValueError(f"DROP in {text!r} must lie between 0 and 1 (0.05) or 0% and 100% (5%)")
    return CompareRule(metric, allowed)


@dataclass(frozen=True)
class Regression:
    """One score that moved the wrong way by more than its rule allows."""

    rule: CompareRule
    before: Rate
    after: Rate
    reference: StoredRun
    baseline: str | None = None

    @property
    def message(self) -> str:
        label = METRIC_LABELS[self.rule.metric]
        verb = "fell" if HIGHER_IS_BETTER[self.rule.metric] else "rose"
        where = self.reference.describe()
        if self.baseline is not None:
            where = f"baseline {self.baseline!r}: {where}"
        return (
            f"{label} {verb} from {format_rate(self.before)} to {format_rate(self.after)}, "
            f"more than the allowed {float(self.rule.allowed):g} ({where})"
        )


def find_regressions(
    rules: Sequence[CompareRule],
    current: ItemRecord,
    reference: HistoryEntry | None,
    baseline: str | None = None,
) -> list[Regression]:
    """The rules ``current`` breaks against ``reference``; n/a scores, and results of
    another seed, are never compared."""
    if reference is None or reference.item.key != current.key:
        return []
    if reference.item.seed != current.seed:
        return []
    found = []
    for rule in rules:
        before = reference.item.scores.rate(rule.metric)
        after = current.scores.rate(rule.metric)
        old, new = exact(before), exact(after)
        if old is None or new is None:
            continue
        worse_by = old - new if HIGHER_IS_BETTER[rule.metric] else new - old
        if worse_by > rule.allowed:
            found.append(Regression(rule, before, after, reference.run, baseline))
    return found


def compare_gate(
    previous: HistoryEntry | None,
    current: ItemRecord,
    rules: Sequence[CompareRule],
    baseline: str | None = None,
) -> str | None:
    """The failure message for an item, one line per broken rule; None when it passes."""
    found = find_regressions(rules, current, previous, baseline)
    if not found:
        return None
    return "\n".join(r.message for r in found)


@dataclass(frozen=True)
class BaselineProblem:
    """A named baseline that is not in the store: a warning, or with ``fatal`` an error."""

    name: str
    message: str
    fatal: bool


def missing_baseline(
    name: str, known: Sequence[str], policy: MissingBaseline, history_path: str | None
) -> BaselineProblem:
    """``history_path`` None: history is off, so there is no baseline to look for."""
    if history_path is None:
        return _problem(name, f"baseline {name!r} not read: history is off "
                        "(--persona-no-history)", policy)
    others = f" (saved baselines: {', '.join(known)})" if known else " (no baseline saved yet)"
    return _problem(
        name,
        f"baseline {name!r} is not in {history_path}{others}; "
        f"save one with --persona-save {name}",
        policy,
    )


def other_seed_baseline(
    name: str, baseline_seed: int, seed: int, policy: MissingBaseline
) -> BaselineProblem:
    """A baseline run with another seed is no baseline for this session: its customers
    are other customers, so every difference could be chance."""
    return _problem(
        name,
        f"baseline {name!r} ran with seed {baseline_seed}, this session with seed {seed}; "
        f"scores of two seeds differ by chance, so they are not compared "
        f"(run with --persona-seed {baseline_seed} to compare)",
        policy,
    )


def other_seed_gates(seed: int, earlier_seeds: Sequence[int], items: int, of: int) -> str:
    """The gates of ``items`` of ``of`` items compared nothing: their earlier results all
    ran with another seed, whose customers are other customers."""
    seeds = sorted(set(earlier_seeds))
    named = f"seed {seeds[0]}" if len(seeds) == 1 else f"seeds {', '.join(map(str, seeds))}"
    return (
        f"--persona-compare-fail: {items} of {of} item{'s' if of != 1 else ''} "
        f"{'has' if items == 1 else 'have'} no earlier run of seed {seed} to "
        f"compare with (only of {named}); scores of two seeds differ by chance, so they are "
        f"not compared (run with --persona-seed {seeds[-1]} to compare); their gates checked "
        "nothing"
    )


def _problem(name: str, what: str, policy: MissingBaseline) -> BaselineProblem:
    consequence = (
        "failing the session (ini persona_baseline_missing = fail)"
        if policy == "fail"
        else "comparing against nothing"
    )
    return BaselineProblem(name, f"{what}; {consequence}", fatal=policy == "fail")
