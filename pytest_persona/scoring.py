"""Scores of a batch, their 95% Wilson intervals, thresholds and colours.

Rates carry their counts so a reader sees 41/50, not a bare 0.82, and the Wilson
interval keeps small batches honest: 9/10 and 45/50 are not the same evidence.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .flow.model import HIGHER_IS_BETTER, METRICS, Limit, Metric, Thresholds

Colour = Literal["green", "amber", "red", "n/a"]
Z_95 = 1.959963984540054

# Off-topic recovery is counted over the customers who wandered, a handful in a small
# batch; 0/2 says little, so below this many wanderers the score is shown, not judged.
MIN_WANDERERS_TO_JUDGE = 5

DEFAULT_THRESHOLDS = Thresholds(
    completion=Limit(limit=0.75, warn=0.9),
    fallback_rate=Limit(limit=0.3, warn=0.15),
    off_topic_recovery=Limit(limit=0.6, warn=0.8),
)


@dataclass(frozen=True)
class Rate:
    """``hits`` out of ``total``; ``value`` is None when nothing was counted (n/a)."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.hits, self.total)

    def __str__(self) -> str:
        return f"{self.hits}/{self.total}" if self.total else "n/a"


def wilson_interval(hits: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval: sound near 0 and 1, unlike the normal approximation."""
    if total <= 0:
        return None
    p = hits / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Scores:
    completion: Rate
    fallback_rate: Rate
    off_topic_recovery: Rate
    customer_turns: int
    misunderstandings: int
    outcomes: Mapping[str, int]
    # The waiting step where most unfinished conversations stopped, and how many did.
    stuck_step: str | None = None
    stuck_step_count: int = 0

    @property
    def conversations(self) -> int:
        return self.completion.total

    @property
    def mean_turns(self) -> float:
        return self.customer_turns / self.conversations if self.conversations else 0.0

    @property
    def misunderstandings_per_turn(self) -> float:
        """Keeps moving where the share of conversations with a misunderstanding saturates."""
        return self.misunderstandings / self.customer_turns if self.customer_turns else 0.0

    def rate(self, metric: Metric) -> Rate:
        found: Rate = getattr(self, metric)
        return found


@dataclass(frozen=True)
class ResolvedLimit:
    metric: Metric
    limit: float
    warn: float

    @property
    def higher_is_better(self) -> bool:
        return HIGHER_IS_BETTER[self.metric]

    def colour(self, value: float | None) -> Colour:
        if value is None:
            return "n/a"
        if self.higher_is_better:
            if value < self.limit:
                return "red"
            return "amber" if value < self.warn else "green"
        if value > self.limit:
            return "red"
        return "amber" if value > self.warn else "green"

    def describe(self) -> str:
        sign = ">=" if self.higher_is_better else "<="
        return f"{sign} {self.limit:g} (warn {self.warn:g})"


def resolve_thresholds(levels: Sequence[Thresholds]) -> Mapping[Metric, ResolvedLimit]:
    """Most specific level first; each of limit and warn falls through on its own.

    The defaults close the chain. A warn less strict than its limit is pulled up to the
    limit (no amber band) so ``completion: 0.95`` never shows green at 0.91.
    """
    resolved: dict[Metric, ResolvedLimit] = {}
    for metric in METRICS:
        limit: float | None = None
        warn: float | None = None
        for level in [*levels, DEFAULT_THRESHOLDS]:
            found = level.get(metric)
            if found is None:
                continue
            if limit is None and found.limit is not None:
                limit = found.limit
            if warn is None and found.warn is not None:
                warn = found.warn
        assert limit is not None and warn is not None  # the defaults set both
        warn = max(warn, limit) if HIGHER_IS_BETTER[metric] else min(warn, limit)
        resolved[metric] = ResolvedLimit(metric, limit, warn)
    return resolved


@dataclass(frozen=True)
class Verdict:
    colours: Mapping[Metric, Colour] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(c == "red" for c in self.colours.values())

    @property
    def red(self) -> tuple[Metric, ...]:
        return tuple(m for m, c in self.colours.items() if c == "red")

    @property
    def amber(self) -> tuple[Metric, ...]:
        return tuple(m for m, c in self.colours.items() if c == "amber")

    @property
    def status(self) -> Literal["pass", "amber", "fail"]:
        if self.failed:
            return "fail"
        return "amber" if self.amber else "pass"


def judge(scores: Scores, limits: Mapping[Metric, ResolvedLimit]) -> Verdict:
    colours: dict[Metric, Colour] = {}
    for metric in METRICS:
        rate = scores.rate(metric)
        too_few = metric == "off_topic_recovery" and rate.total < MIN_WANDERERS_TO_JUDGE
        colours[metric] = "n/a" if too_few else limits[metric].colour(rate.value)
    return Verdict(colours)
