"""The change of each score since an earlier run of the same flow, persona, count and seed.

A change is told in percentage points with an arrow for its direction ("▲ +4%"),
and a mark when the flow file itself changed in between. Scores of two seeds are
two samples of different customers and differ by chance alone, so an item whose
earlier results all ran with another seed shows "seed changed" and no arrow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TextIO

from .flow.model import HIGHER_IS_BETTER, METRICS, Metric
from .history_records import HistoryEntry, ItemRecord
from .scoring import Rate

Direction = Literal["up", "down", "same"]
Judgement = Literal["better", "worse", "same"]
FLOW_CHANGED_MARK = "*"
SEED_CHANGED = "seed changed"
ARROWS = {"up": "▲", "down": "▼", "same": "="}
ASCII_ARROWS = {"up": "^", "down": "v", "same": "="}


def can_show_arrows(out: TextIO) -> bool:
    """Whether ``out``'s encoding has the arrows (a Windows console may not)."""
    encoding = getattr(out, "encoding", None) or "ascii"
    try:
        "".join(ARROWS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


METRIC_LABELS: dict[Metric, str] = {
    "completion": "completion",
    "fallback_rate": "fallback rate",
    "off_topic_recovery": "off-topic recovery",
}


def exact(rate: Rate) -> Fraction | None:
    """The rate as an exact fraction: 9/10 and 45/50 compare equal, with no float noise."""
    return Fraction(rate.hits, rate.total) if rate.total else None


@dataclass(frozen=True)
class Delta:
    """One score before and after; undefined (None) when either side is n/a."""

    metric: Metric
    before: Rate
    after: Rate

    @property
    def change(self) -> Fraction | None:
        before, after = exact(self.before), exact(self.after)
        if before is None or after is None:
            return None
        return after - before

    @property
    def direction(self) -> Direction | None:
        change = self.change
        if change is None:
            return None
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def judgement(self) -> Judgement | None:
        """Whether the move is good news: a higher fallback rate is worse."""
        direction = self.direction
        if direction is None or direction == "same":
            return direction
        return "better" if (direction == "up") == HIGHER_IS_BETTER[self.metric] else "worse"


@dataclass(frozen=True)
class ItemDelta:
    """An item against its earlier result: every score, and what changed in between."""

    current: ItemRecord
    previous: HistoryEntry

    @property
    def flow_changed(self) -> bool:
        return self.previous.item.content_hash != self.current.content_hash

    @property
    def seed_changed(self) -> bool:
        """The earlier result ran with another seed: its scores are not compared."""
        return self.previous.item.seed != self.current.seed

    def metric(self, metric: Metric) -> Delta:
        return Delta(
            metric, self.previous.item.scores.rate(metric), self.current.scores.rate(metric)
        )

    @property
    def deltas(self) -> tuple[Delta, ...]:
        return tuple(self.metric(m) for m in METRICS)


def item_delta(current: ItemRecord, previous: HistoryEntry | None) -> ItemDelta | None:
    """The delta against ``previous``; None for a first run or a different item."""
    if previous is None or previous.item.key != current.key:
        return None
    return ItemDelta(current, previous)


def format_points(change: Fraction) -> str:
    """Percentage points, signed: whole points, or one decimal below one point."""
    points = float(change) * 100
    if points == 0:
        return "0%"
    if abs(points) >= 0.95:
        return f"{points:+.0f}%"
    return f"{points:+.1f}%"


def format_delta(delta: Delta | None, *, ascii_only: bool = False) -> str:
    """``▲ +4%``, ``▼ -10%`` or ``=``; empty when there is nothing to compare."""
    if delta is None:
        return ""
    direction, change = delta.direction, delta.change
    if direction is None or change is None:
        return ""
    arrows = ASCII_ARROWS if ascii_only else ARROWS
    if direction == "same":
        return arrows["same"]
    return f"{arrows[direction]} {format_points(change)}"


def format_change(
    delta: ItemDelta | None,
    metric: Metric = "completion",
    *,
    ascii_only: bool = False,
    mark: str = FLOW_CHANGED_MARK,
) -> str:
    """One score's change for a table cell, marked when the flow file changed."""
    if delta is None:
        return ""
    return marked(delta, lambda: format_delta(delta.metric(metric), ascii_only=ascii_only), mark)


def format_changes(delta: ItemDelta | None, *, ascii_only: bool = False) -> str:
    """Every score's change in one cell: ``completion ▲ +4%, fallback rate =``."""
    if delta is None:
        return ""

    def moves() -> str:
        parts = []
        for one in delta.deltas:
            text = format_delta(one, ascii_only=ascii_only)
            if text:
                parts.append(f"{METRIC_LABELS[one.metric]} {text}")
        return ", ".join(parts)

    return marked(delta, moves)


def marked(delta: ItemDelta, moves: Callable[[], str], mark: str = FLOW_CHANGED_MARK) -> str:
    """``moves()``, or ``seed changed`` when the earlier result ran with another seed (its
    scores are not compared), followed by ``mark`` when the flow file changed in between:
    every table of changes says these two things the same way."""
    text = SEED_CHANGED if delta.seed_changed else moves()
    if delta.flow_changed:
        return f"{text} {mark}" if text else mark
    return text


def format_rate(rate: Rate) -> str:
    """``90% (45/50)``, or ``n/a`` when nothing was counted."""
    value = rate.value
    if value is None:
        return "n/a"
    return f"{value:.0%} ({rate.hits}/{rate.total})"
