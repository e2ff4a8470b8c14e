"""The Markdown summary: a GitHub table that survives any flow path or persona name."""

from __future__ import annotations

from pathlib import Path

from history_builders import record, run, transcript

from pytest_persona.history_records import HistoryEntry, StoredRun
from pytest_persona.report.data import report_from_items
from pytest_persona.report.markdown import (
    append_step_summary,
    escape_cell,
    render_markdown,
    write_markdown,
)


def _table_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| flow "):
            # Split on pipes that are not escaped.
            cells, cell, escaped = [], "", False
            for char in line[1:-1]:
                if char == "|" and not escaped:
                    cells.append(cell.strip())
                    cell = ""
                else:
                    cell += char
                escaped = char == "\\" and not escaped
            cells.append(cell.strip())
            rows.append(cells)
    return rows


def test_the_table_has_a_row_per_item_with_scores_changes_and_status() -> None:
    before = HistoryEntry(StoredRun(3, run(0)), record(completed=45))
    current = [record(completed=39, content_hash="new"), record(persona="elderly")]
    text = render_markdown(report_from_items(run(1), current, {before.item.key: before}))
    assert text.startswith("### pytest-persona: 🟠 no failures; 1 amber, 1 passing\n")
    rows = _table_rows(text)
    assert len(rows) == 2
    impatient = next(r for r in rows if r[1] == "impatient")
    assert impatient[0] == "flows/checkout.flow.yaml ✎"
    assert impatient[3] == "🟠 78% (39/50) ▼ -12%"
    assert impatient[-1] == "🟠 amber"
    assert "✎: the flow file changed since then" in text


def test_failing_items_list_their_replay_commands() -> None:
    failing = record(completed=20, transcripts=[transcript(7)], regressions=["fell a lot"])
    text = render_markdown(report_from_items(run(0), [failing]))
    assert text.splitlines()[0] == "### pytest-persona: ❌ 1 failing, 0 amber, 0 passing"
    assert (
        "pytest-persona replay flows/checkout.flow.yaml --persona impatient "
        "--conversation 7 --seed 0"
    ) in text
    assert "- flows/checkout.flow.yaml::impatient\\[50\\]: fell a lot" in text


def test_pipes_and_html_in_names_cannot_break_the_table() -> None:
    odd = record(flow_path="flows/a|b <i>.flow.yaml", persona="x|y")
    rows = _table_rows(render_markdown(report_from_items(run(0), [odd])))
    assert len(rows) == 1 and len(rows[0]) == 7
    assert rows[0][0] == "flows/a\\|b &lt;i&gt;.flow.yaml"
    assert escape_cell("a\nb   c") == "a b c"


def test_a_backtick_run_in_a_command_gets_a_longer_fence() -> None:
    odd = record(flow_path="flows/```.flow.yaml", completed=10, transcripts=[transcript()])
    text = render_markdown(report_from_items(run(0), [odd]))
    assert "````sh" in text


def test_the_step_summary_is_appended_not_replaced(tmp_path: Path) -> None:
    summary = tmp_path / "step_summary.md"
    summary.write_text("## Earlier step\n")
    assert append_step_summary("one\n", {"GITHUB_STEP_SUMMARY": str(summary)}) == summary
    append_step_summary("two", {"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text() == "## Earlier step\none\ntwo\n"
    assert append_step_summary("three", {}) is None


def test_a_markdown_file_is_written_where_asked(tmp_path: Path) -> None:
    target = write_markdown(tmp_path / "a" / "b.md", "text\n")
    assert target.read_text() == "text\n"
