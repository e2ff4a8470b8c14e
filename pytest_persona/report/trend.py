"""A small trend chart of one flow and persona across runs, as inline SVG.

The geometry is computed here and the SVG is written by the report template, so
all text in the chart (run labels, tooltips) passes through the template's
autoescaping. A score that is n/a in some run breaks its line there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..deltas import METRIC_LABELS, format_rate
from ..flow.model import METRICS, Metric
from ..history_records import HistoryEntry

WIDTH = 260
HEIGHT = 64
PAD_X = 6
PAD_TOP = 6
PAD_BOTTOM = 6


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    tooltip: str


@dataclass(frozen=True)
class TrendSeries:
    metric: Metric
    label: str
    path: str  # SVG path data; "M" starts each unbroken stretch
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    series: tuple[TrendSeries, ...]
    # x of each run whose flow file differed from the run before it.
    flow_changes: tuple[float, ...]
    # y of the completion limit, drawn as a faint dashed line.
    limit_y: float | None
    runs: int
    summary: str  # a text alternative for screen readers

    def y_of(self, value: float) -> float:
        return _y(value, self.height)


def _y(value: float, height: int) -> float:
    usable = height - PAD_TOP - PAD_BOTTOM
    return round(PAD_TOP + (1.0 - value) * usable, 2)


def _x(index: int, count: int, width: int) -> float:
    if count <= 1:
        return width / 2
    return round(PAD_X + index * (width - 2 * PAD_X) / (count - 1), 2)


def build_trend(
    entries: Sequence[HistoryEntry],
    metrics: Sequence[Metric] = METRICS,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> TrendChart:
    """The chart of ``entries`` (oldest first), one line per metric on a 0-100% scale."""
    count = len(entries)
    series = []
    for metric in metrics:
        commands: list[str] = []
        points: list[TrendPoint] = []
        pen_down = False
        for index, entry in enumerate(entries):
            rate = entry.item.scores.rate(metric)
            value = rate.value
            if value is None:
                pen_down = False
                continue
            x, y = _x(index, count, width), _y(value, height)
            commands.append(f"{'L' if pen_down else 'M'}{x:g},{y:g}")
            pen_down = True
            points.append(
                TrendPoint(
                    x, y, f"{_run_label(entry)}: {METRIC_LABELS[metric]} {format_rate(rate)}"
                )
            )
        series.append(TrendSeries(metric, METRIC_LABELS[metric], " ".join(commands), tuple(points)))
    changes = tuple(
        _x(i, count, width)
        for i in range(1, count)
        if entries[i].item.content_hash != entries[i - 1].item.content_hash
    )
    limit = entries[-1].item.limits.get("completion") if entries else None
    return TrendChart(
        width=width,
        height=height,
        series=tuple(series),
        flow_changes=changes,
        limit_y=_y(limit.limit, height) if limit is not None else None,
        runs=count,
        summary=_summary(entries),
    )


def _run_label(entry: HistoryEntry) -> str:
    number = entry.run.number
    day = entry.run.info.started.strftime("%Y-%m-%d %H:%M")
    return f"run {number}, {day}" if number else f"this run, {day}"


def _summary(entries: Sequence[HistoryEntry]) -> str:
    values = [e.item.scores.completion.value for e in entries]
    shown = ", ".join("n/a" if v is None else f"{v:.0%}" for v in values)
    plural = "s" if len(entries) != 1 else ""
    return f"completion over {len(entries)} run{plural}: {shown}"
