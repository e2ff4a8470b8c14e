"""The HTML report: self-contained, escaped, and showing what a reader looks for."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from history_builders import record, run, transcript

from pytest_persona.history import HistoryStore
from pytest_persona.history_records import ItemRecord
from pytest_persona.report.data import ReportData, report_from_items, report_from_store
from pytest_persona.report.html import render_html, write_html_report

EVIL = 'Checkout "deluxe" <script>alert("flow")</script> & <img src=x onerror=alert(1)>'


class _Tags(HTMLParser):
    """Every tag and attribute of a page, to check what the page could load or run."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _three_runs(path: Path) -> ReportData:
    with HistoryStore.open(path) as store:
        store.write_run(
            run(0),
            [record(completed=45), record(persona="elderly", completed=40)],
            save_as="release-1",
        )
        store.write_run(run(1), [record(completed=46), record(persona="elderly", completed=41)])
        store.write_run(
            run(2),
            [
                record(
                    completed=35,
                    content_hash="hash-2",
                    description=EVIL,
                    transcripts=[transcript(3, '<script>alert("customer")</script> "hi"')],
                ),
                record(persona="elderly", completed=44, content_hash="hash-2", description=EVIL),
            ],
        )
        return report_from_store(store)


@pytest.fixture
def page(tmp_path: Path) -> str:
    return render_html(_three_runs(tmp_path / "history.db"))


def test_untrusted_text_is_escaped(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    assert not [t for t, _ in parser.tags if t in ("script", "img", "iframe", "object")]
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on")]
    assert "&lt;script&gt;alert(&#34;flow&#34;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&#34;customer&#34;)&lt;/script&gt; &#34;hi&#34;" in page


def test_the_page_loads_nothing_from_outside(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag != "link", "no external stylesheets"
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not value or value.startswith("#"), f"{tag} {name}={value}"
    assert "@import" not in page and "url(" not in page


def test_the_matrix_shows_status_delta_and_edit_per_flow_and_persona(page: str) -> None:
    matrix = page[page.index('id="matrix"') : page.index("</table>")]
    assert matrix.count('class="tile fail"') == 1
    assert matrix.count('class="tile amber"') == 1  # elderly at 88%
    assert "▼ -22%" in matrix  # impatient 92% -> 70%
    assert "▲ +6%" in matrix  # elderly 82% -> 88%
    assert "edited" in matrix
    assert "completion 70% &lt; 75%" in matrix


def test_each_item_has_a_trend_chart_over_its_runs(page: str) -> None:
    charts = re.findall(r"<svg class=\"trend\".*?</svg>", page, flags=re.S)
    assert len(charts) == 2
    assert "completion over 3 runs: 90%, 92%, 70%" in charts[0]
    assert charts[0].count("<path") == 3  # completion, fallback, off-topic
    assert charts[0].count('class="edit"') == 1  # the flow changed before run 3


def test_failing_transcripts_show_intents_and_the_replay_command(page: str) -> None:
    failing = page[page.index("Failing conversations") :]
    assert "intent track" in failing and "confidence 0.82" in failing
    assert "not understood" in failing
    assert (
        "pytest-persona replay flows/checkout.flow.yaml --persona impatient "
        "--conversation 3 --seed 0"
    ) in failing


def test_the_recent_runs_name_their_baselines(page: str) -> None:
    runs = page[page.index("Recent runs") :]
    assert "release-1" in runs
    assert runs.index("2026-09-23") < runs.index("2026-09-21")  # newest first


def test_a_report_without_history_compares_with_what_was_read(tmp_path: Path) -> None:
    items: list[ItemRecord] = [record(completed=40)]
    data = report_from_items(run(1), items, note="History is off.")
    assert data.rows[0].delta is None
    written = write_html_report(tmp_path / "deep" / "report.html", data)
    text = written.read_text()
    assert "History is off." in text
    assert "No earlier run of these items to compare with." in text
    assert not list(written.parent.glob(".report.html.*"))  # no temporary file left


def test_a_report_of_a_missing_run_is_a_clear_error(tmp_path: Path) -> None:
    from pytest_persona.history_schema import HistoryError

    with HistoryStore.open(tmp_path / "h.db") as store:
        with pytest.raises(HistoryError, match="no runs yet"):
            report_from_store(store)
        store.write_run(run(0), [record()])
        with pytest.raises(HistoryError, match="no run 5"):
            report_from_store(store, 5)


def test_report_file_follows_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    from pytest_persona.report.html import write_text_atomic

    old = os.umask(0o022)
    try:
        written = write_text_atomic(tmp_path / "r.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_the_streamed_file_is_the_rendered_page(tmp_path: Path) -> None:
    data = _three_runs(tmp_path / "history.db")
    written = write_html_report(tmp_path / "out" / "r.html", data)
    assert written.read_text(encoding="utf-8") == render_html(data)


def test_a_stream_that_breaks_leaves_no_file_behind(tmp_path: Path) -> None:
    from collections.abc import Iterator

    from pytest_persona.report.html import write_text_atomic

    def pieces() -> Iterator[str]:
        yield "<p>half"
        raise RuntimeError("template error")

    target = tmp_path / "r.html"
    target.write_text("the previous report", encoding="utf-8")
    with pytest.raises(RuntimeError, match="template error"):
        write_text_atomic(target, pieces())
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
    assert target.read_text(encoding="utf-8") == "the previous report"
