"""The self-contained HTML report: one file, inline CSS and SVG, nothing fetched.

Flow text and transcripts are untrusted (anyone can write a flow file), so the
template is rendered with autoescaping on and nothing is marked safe. Jinja2 is
imported only when a report is written.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..deltas import METRIC_LABELS, format_delta
from ..flow.model import HIGHER_IS_BETTER, METRICS, Metric
from ..history_records import ItemRecord
from ..results import OUTCOMES, Transcript
from ..scoring import Rate
from .data import ReportData, ReportRow
from .transcript import replay_command, turn_notes
from .trend import build_trend

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "report.html.j2"
STATUS_LABELS = {"pass": "pass", "amber": "amber", "fail": "fail"}
STATUS_ICONS = {"pass": "✓", "amber": "!", "fail": "✗"}


def render_html(data: ReportData) -> str:
    return "".join(_rendering(data))


def _rendering(data: ReportData) -> Iterator[str]:
    """The page's text, piece by piece as the template renders it."""
    return _environment().get_template(TEMPLATE).generate(report=data, version=__version__)


def write_html_report(path: str | os.PathLike[str], data: ReportData) -> Path:
    """Write the report atomically: a reader never sees half a page. The page is streamed
    to the file as it renders: a report of thousands of failing items runs to megabytes,
    and held whole (its pieces, the joined text, the encoded bytes) it would be the
    session's largest use of memory."""
    return write_text_atomic(Path(path), _rendering(data))


def write_text_atomic(target: Path, text: str | Iterable[str]) -> Path:
    """Readers never see half a report; the file gets the permissions the umask gives.
    ``text`` is the whole text or its pieces in order. A folder at ``target`` is an error
    here, not in the final rename, which would name the temporary file."""
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "that is a folder, not a file", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            if isinstance(text, str):
                out.write(text)
            else:
                out.writelines(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pytest_persona", "report/templates"),
        # Compiling the template costs more than rendering it; Jinja2's per-user cache in
        # the temporary folder keeps the compiled form between sessions.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        metrics=METRICS,
        metric_label=METRIC_LABELS,
        outcomes=OUTCOMES,
        status_icon=STATUS_ICONS,
        status_label=STATUS_LABELS,
        pct=percent,
        when=when,
        limit_text=limit_text,
        interval_text=interval_text,
        delta_text=delta_text,
        delta_class=delta_class,
        trend=lambda row: build_trend(row.trend),
        replay=replay_for,
        turn_notes=turn_notes,
        problems=problems,
    )
    return env


def percent(rate: Rate) -> str:
    value = rate.value
    return "n/a" if value is None else f"{value:.0%}"


def when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def limit_text(item: ItemRecord, metric: Metric) -> str:
    limit = item.limits.get(metric)
    return f"limit {limit.describe()}" if limit is not None else ""


def interval_text(rate: Rate) -> str:
    interval = rate.interval
    if interval is None:
        return "nothing counted"
    low, high = interval
    return f"95% interval {low:.0%} to {high:.0%}"


def delta_text(row: ReportRow, metric: Metric) -> str:
    """A score's change; none against another seed (the status cell says so)."""
    delta = row.delta
    if delta is None or delta.seed_changed:
        return ""
    return format_delta(delta.metric(metric))


def delta_class(row: ReportRow, metric: Metric) -> str:
    if row.delta is None or row.delta.seed_changed:
        return "none"
    return row.delta.metric(metric).judgement or "none"


def replay_for(row: ReportRow, transcript: Transcript) -> str:
    item = row.item
    return replay_command(item.flow_path, item.persona, transcript.summary.index, item.seed)


SHORT_LABELS: dict[Metric, str] = {
    "completion": "completion",
    "fallback_rate": "fallback",
    "off_topic_recovery": "off-topic",
}


@dataclass(frozen=True)
class Problem:
    """A score outside its warn level: ``fallback rate 34% > 30%``, and its colour."""

    metric: Metric
    colour: str
    text: str


def problems(item: ItemRecord, worst_only: bool = False, short: bool = False) -> list[Problem]:
    """The red then the amber scores of an item (only the red ones, with ``worst_only``
    on a failing item): what a reader needs to see why it is not green."""
    found = []
    colours: tuple[str, ...] = ("red", "amber")
    if worst_only:
        colours = ("red",) if item.status == "fail" else ("amber",)
    for colour in colours:
        for metric in METRICS:
            if item.colours.get(metric) != colour:
                continue
            limit = item.limits.get(metric)
            bound = ""
            if limit is not None:
                edge = limit.limit if colour == "red" else limit.warn
                sign = "<" if HIGHER_IS_BETTER[metric] else ">"
                bound = f" {sign} {edge:.0%}"
            label = SHORT_LABELS[metric] if short else METRIC_LABELS[metric]
            text = f"{label} {percent(item.scores.rate(metric))}{bound}"
            found.append(Problem(metric, colour, text))
    return found
