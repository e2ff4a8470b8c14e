"""Plain-text renderings for the terminal: the summary table, failure reports, warnings.

Pure functions of records, no pytest: the same text reads the same in a serial run,
under pytest-xdist and in a CI log. Colour is ANSI and only added when asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..flow.model import METRICS, Metric
from ..results import OUTCOMES
from ..scoring import Colour, Rate, ResolvedLimit
from .record import ItemOutcome, Status, sort_key
from .transcript import format_transcript

if TYPE_CHECKING:
    from ..deltas import ItemDelta

METRIC_LABELS: dict[Metric, str] = {
    "completion": "completion",
    "fallback_rate": "fallback rate",
    "off_topic_recovery": "off-topic recovery",
}
_ANSI = {"green": "\x1b[32m", "amber": "\x1b[33m", "red": "\x1b[31m", "bold": "\x1b[1m"}
_RESET = "\x1b[0m"
_STATUS_COLOUR: dict[Status, str] = {
    "pass": "green", "amber": "amber", "fail": "red", "error": "red",
}
SHORT_LABELS: dict[Metric, str] = {
    "completion": "completion",
    "fallback_rate": "fallback",
    "off_topic_recovery": "off-topic",
}
_JUDGEMENT_COLOUR = {"better": "green", "worse": "red"}
CHANGE_LEGEND = "change: since the previous run of the same flow, persona, n and seed"


def paint(text: str, colour: str, markup: bool) -> str:
    code = _ANSI.get(colour)
    return f"{code}{text}{_RESET}" if markup and code else text


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def format_rate(rate: Rate) -> str:
    """``82% 41/50``, or ``n/a`` when nothing was counted."""
    value = rate.value
    return "n/a" if value is None else f"{percent(value)} {rate.hits}/{rate.total}"


def format_interval(rate: Rate) -> str:
    interval = rate.interval
    return "" if interval is None else f"{percent(interval[0])}-{percent(interval[1])}"


def header_line(seed: int, seed_was_random: bool, counts: Sequence[int],
                selected: Sequence[str], defaults: Sequence[str],
                beside_flows: bool = False) -> str:
    """The session header: what a rerun needs to see the same conversations.

    It is written before collection, which is what finds the persona files beside the
    flows: it can only say they would join (``custom_personas_line`` says which did).
    """
    drawn = f" (random; rerun with --persona-seed {seed})" if seed_was_random else ""
    personas = ", ".join(selected or defaults)
    if beside_flows and not selected:
        personas += ", and any custom personas beside the flows"
    return (
        f"persona: seed {seed}{drawn}, counts {', '.join(str(c) for c in counts)}, "
        f"personas {personas}"
    )


# Above this a batch is a long run, not a check: 10,000 conversations already measure a
# rate to within about 1 point, and take seconds; any size stays allowed (spec).
LARGE_BATCH = 10_000
# What one conversation takes on the example flows once warm (0.2 to 0.5 ms on a laptop):
# the upper end, for an estimate that errs long.
SECONDS_PER_CONVERSATION = 0.0005


def large_batch_line(counts: Sequence[int]) -> str | None:
    """A header warning for a batch far beyond the product's sizes, with its rough cost."""
    largest = max(counts, default=0)
    if largest <= LARGE_BATCH:
        return None
    return (
        f"persona: warning: a batch of {largest} conversations takes about "
        f"{_duration(largest * SECONDS_PER_CONVERSATION)} for each flow and persona (at "
        f"about {SECONDS_PER_CONVERSATION * 1000:g} ms a conversation); the product's sizes "
        f"are 10, 25 and 50, and {LARGE_BATCH} measures a rate to within about 1 point"
    )


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400.0), ("hours", 3600.0), ("min", 60.0)):
        if seconds >= 2 * size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"


def custom_personas_line(found: Sequence[tuple[str, str]]) -> str | None:
    """After collection: the custom personas the items run, each with its file."""
    if not found:
        return None
    listed = ", ".join(f"{name} ({source})" for name, source in found)
    return f"persona: custom personas {listed}"


# --- the summary table --------------------------------------------------------------------


def summary_table(
    records: Iterable[ItemOutcome],
    markup: bool = False,
    changes: Mapping[str, str] | None = None,
) -> str:
    """One row per item in flow file order: the three scores coloured, and a status.

    ``changes`` (node id -> text) adds a column, e.g. the change since the last run.
    """
    from tabulate import tabulate  # not at import: every pytest run imports the plugin

    rows = []
    for record in sorted(records, key=sort_key):
        status = record.status
        cells: list[str] = [record.flow_path, record.persona, str(record.count)]
        if record.result is None:
            cells += ["-"] * len(METRICS)
        else:
            colours = record.verdict.colours
            scores = record.result.scores
            cells += [
                paint(format_rate(scores.rate(m)), colours.get(m, "n/a"), markup) for m in METRICS
            ]
        cells.append(paint(status.upper() if status == "fail" else status,
                           _STATUS_COLOUR[status], markup))
        if changes is not None:
            cells.append(changes.get(record.nodeid, ""))
        rows.append(cells)
    headers = ["flow", "persona", "n", *(METRIC_LABELS[m] for m in METRICS), "status"]
    if changes is not None:
        headers.append("change")
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def summary_counts(records: Sequence[ItemOutcome]) -> str:
    statuses = [r.status for r in records]
    parts = [f"{statuses.count(s)} {s}" for s in ("pass", "amber", "fail", "error")
             if statuses.count(s)]
    return ", ".join(parts)


def change_cell(
    delta: ItemDelta | None, markup: bool = False, ascii_only: bool = False
) -> str:
    """The scores that moved since the earlier run (``completion ▼ -50%``), ``=`` when none
    did, ``seed changed`` when every earlier run had another seed, and ``*`` when the flow
    file changed in between; empty for a first run."""
    from ..deltas import marked

    if delta is None:
        return ""
    return marked(delta, lambda: _moves(delta, markup, ascii_only))


def _moves(delta: ItemDelta, markup: bool, ascii_only: bool) -> str:
    from ..deltas import format_delta

    parts = []
    for metric in METRICS:
        one = delta.metric(metric)
        text = format_delta(one, ascii_only=ascii_only)
        if text and one.direction != "same":
            colour = _JUDGEMENT_COLOUR.get(one.judgement or "", "")
            parts.append(paint(f"{SHORT_LABELS[metric]} {text}", colour, markup))
    return ", ".join(parts) or "="


def change_legend(flow_changed: bool, seed_changed: bool = False) -> str:
    from ..deltas import FLOW_CHANGED_MARK, SEED_CHANGED

    legend = CHANGE_LEGEND
    if seed_changed:
        legend += f"; {SEED_CHANGED}: every earlier run had another seed"
    if flow_changed:
        legend += f"; {FLOW_CHANGED_MARK} the flow file changed since then"
    return legend


# --- failure report and warnings ----------------------------------------------------------


def score_lines(record: ItemOutcome) -> str:
    """The three scores against their limits, with counts and 95% Wilson intervals."""
    from tabulate import tabulate

    assert record.result is not None
    scores = record.result.scores
    colours = record.verdict.colours
    rows = []
    for metric in METRICS:
        rate = scores.rate(metric)
        rows.append([
            METRIC_LABELS[metric],
            format_rate(rate),
            format_interval(rate),
            record.limits[metric].describe(),
            _colour_word(colours.get(metric, "n/a")),
        ])
    return tabulate(rows, headers=["score", "value", "95% interval", "needs", ""],
                    tablefmt="plain", disable_numparse=True)


def _colour_word(colour: Colour) -> str:
    return "RED" if colour == "red" else colour


def failure_report(
    record: ItemOutcome, flow_arg: str, persona_arg: str, transcripts: int = 2
) -> str:
    """Why an item failed, in plain text: scores, outcomes, where customers got stuck,
    and the shortest failing conversations with the command that replays each one.

    ``flow_arg`` and ``persona_arg`` are what the replay command should say (paths
    relative to where pytest was started).
    """
    if record.result is None:
        return f"{flow_arg}:{record.error}"  # the error starts "line:col: key: "
    result = record.result
    scores = result.scores
    red = "; ".join(
        f"{METRIC_LABELS[m]} {format_rate(scores.rate(m))} misses its limit "
        f"{record.limits[m].describe().split(' (')[0]}"
        for m in record.verdict.red
    )
    lines = [line for line in (red,) if line]
    lines += [f"regression: {message}" for message in record.regressions]
    lines += [
        f"flow {record.flow_id} ({flow_arg}), persona {record.persona}, "
        f"{record.count} conversations, seed {record.seed}",
        "",
        score_lines(record),
        "",
        "outcomes: " + ", ".join(f"{scores.outcomes.get(o, 0)} {o}" for o in OUTCOMES),
        f"mean {scores.mean_turns:.1f} customer turns, "
        f"{scores.misunderstandings_per_turn:.2f} misunderstandings per customer turn",
    ]
    unfinished = scores.conversations - scores.outcomes.get("completed", 0)
    if scores.stuck_step is not None:
        lines.append(
            f"stopped at step '{scores.stuck_step}': {scores.stuck_step_count} of {unfinished} "
            "unfinished conversations"
        )
    kept = result.failing_transcripts[:transcripts]
    if kept:
        lines += ["", "shortest failing conversation" + ("s:" if len(kept) > 1 else ":")]
        for transcript in kept:
            lines.append(format_transcript(transcript, flow_arg, record.persona, record.seed,
                                           persona_arg=persona_arg))
            lines.append("")
        lines.pop()
    return "\n".join(lines)


def score_warning(record: ItemOutcome, metric: Metric) -> str:
    """The text of an amber score's warning: which score, its value, and the band."""
    assert record.result is not None
    rate = record.result.scores.rate(metric)
    limit: ResolvedLimit = record.limits[metric]
    side = "below" if limit.higher_is_better else "above"
    return (
        f"{record.flow_id} / {record.persona}[{record.count}]: {METRIC_LABELS[metric]} "
        f"{format_rate(rate)} is amber: {side} the warn level {limit.warn:g} "
        f"(fails at {limit.limit:g})"
    )
