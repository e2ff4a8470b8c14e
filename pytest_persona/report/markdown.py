"""The score matrix as GitHub-flavoured Markdown, for CI job summaries.

Appended to ``$GITHUB_STEP_SUMMARY`` when it is set, so a pull request's checks
page shows which flow and persona is red without opening the logs. Cell text is
escaped: flow paths and persona names come from users' files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from ..deltas import METRIC_LABELS, SEED_CHANGED, format_delta
from ..flow.model import METRICS, Metric
from .data import ReportData, ReportRow
from .transcript import replay_command

STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
COLOUR_MARKS = {"green": "🟢", "amber": "🟠", "red": "🔴", "n/a": "⚪"}
STATUS_MARKS = {"pass": "✅ pass", "amber": "🟠 amber", "fail": "❌ fail"}
MAX_REPLAYS = 10


def escape_cell(text: str) -> str:
    """Text safe inside a table cell: no pipes, no HTML, no line breaks."""
    replacements = {
        "\\": "\\\\",
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
    }
    escaped = "".join(replacements.get(c, c) for c in text)
    return " ".join(escaped.split())


def _score_cell(row: ReportRow, metric: Metric) -> str:
    item = row.item
    rate = item.scores.rate(metric)
    mark = COLOUR_MARKS.get(item.colours.get(metric, "n/a"), "")
    if rate.value is None:
        return f"{mark} n/a"
    text = f"{mark} {rate.value:.0%} ({rate.hits}/{rate.total})"
    if row.delta is not None and not row.delta.seed_changed:
        change = format_delta(row.delta.metric(metric))
        if change:
            text += f" {change}"
    return text


def render_markdown(data: ReportData, heading_level: int = 3) -> str:
    totals = data.totals
    hashes = "#" * heading_level
    if totals["fail"]:
        verdict = f"❌ {totals['fail']} failing, {totals['amber']} amber, {totals['pass']} passing"
    elif totals["amber"]:
        verdict = f"🟠 no failures; {totals['amber']} amber, {totals['pass']} passing"
    else:
        verdict = f"✅ all {totals['pass']} passing"
    title = f"{hashes} pytest-persona: {verdict}"
    lines = [title, "", _run_line(data), ""]
    if data.note:
        lines += [f"> {escape_cell(data.note)}", ""]
    header = ["flow", "persona", "n", *(METRIC_LABELS[m] for m in METRICS), "status"]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---", "---", "--:", *(":--" for _ in METRICS), "---"]) + "|")
    for section in data.flows:
        for row in section.rows:
            item = row.item
            flow = escape_cell(item.flow_path)
            if row.delta is not None and row.delta.flow_changed:
                flow += " ✎"
            cells = [
                flow,
                escape_cell(item.persona),
                str(item.count),
                *(_score_cell(row, m) for m in METRICS),
                STATUS_MARKS[item.status] + _seed_note(row),
            ]
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    legend = "▲/▼: change since the previous run of the same flow, persona, n and seed"
    if any(r.delta is not None and r.delta.seed_changed for r in data.rows):
        legend += f"; {SEED_CHANGED}: every earlier run had another seed"
    if any(r.delta is not None and r.delta.flow_changed for r in data.rows):
        legend += "; ✎: the flow file changed since then"
    lines += [f"<sub>{legend}.</sub>", ""]
    lines += _failures(data)
    return "\n".join(lines).rstrip() + "\n"


def _seed_note(row: ReportRow) -> str:
    """Said once per row, as the HTML report does, where no score shows a change."""
    return f" ({SEED_CHANGED})" if row.delta is not None and row.delta.seed_changed else ""


def _run_line(data: ReportData) -> str:
    info = data.info
    parts = [data.title, info.started.strftime("%Y-%m-%d %H:%M"), f"seed {info.seed}"]
    if info.git_branch or info.short_commit:
        parts.append(
            escape_cell(
                f"{info.git_branch or 'detached'}"
                f"{' @ ' + info.short_commit if info.short_commit else ''}"
            )
        )
    return " · ".join(parts)


def _failures(data: ReportData) -> list[str]:
    """Replay commands of the failing conversations and the regression messages."""
    lines: list[str] = []
    commands = [
        replay_command(row.item.flow_path, row.item.persona, t.summary.index, row.item.seed)
        for row in data.failing
        for t in row.item.failing_transcripts[:1]
    ][:MAX_REPLAYS]
    if commands:
        fence = _fence("\n".join(commands))
        lines += [
            "<details><summary>Replay the failing conversations</summary>",
            "",
            f"{fence}sh",
            *commands,
            fence,
            "",
            "</details>",
            "",
        ]
    regressions = [(row, m) for row in data.failing for m in row.item.regressions]
    if regressions:
        lines += ["**Regressions**", ""]
        lines += [f"- {escape_cell(str(row.item.key))}: {escape_cell(m)}" for row, m in regressions]
        lines.append("")
    return lines


def _fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text``, so it cannot be closed."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    return "`" * max(3, longest + 1)


def append_step_summary(text: str, environ: Mapping[str, str] | None = None) -> Path | None:
    """Append to the file GitHub Actions names in ``$GITHUB_STEP_SUMMARY``, if any."""
    env = os.environ if environ is None else environ
    target = env.get(STEP_SUMMARY_VARIABLE)
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as out:
        out.write(text if text.endswith("\n") else text + "\n")
    return path


def write_markdown(path: str | os.PathLike[str], text: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
