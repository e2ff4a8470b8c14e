"""The HTML report and the Markdown summary a session writes, and the same history and
report from an xdist session as from a serial one."""

from __future__ import annotations

import subprocess
import sys

import pytest
from plugin_helpers import HOPELESS, INSTANT, hopeless, write

from pytest_persona.history import HistoryStore

pytest_plugins = ("pytester",)

BASE = ("-p", "no:cacheprovider", "--persona-count", "2", "--persona", "impatient")
# Untrusted text from a flow file, in a place every report shows: the flow's description.
SCRIPT = "<script>alert('owned')</script>"
INSTANT_WITH_SCRIPT = INSTANT.replace(
    "flow: instant\n", f'flow: instant\ndescription: "{SCRIPT}"\n'
)


def persona_run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*BASE, *args)


def test_the_html_report_at_its_default_path_and_elsewhere(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT_WITH_SCRIPT)
    write(pytester, "b.flow.yaml", HOPELESS.replace('"What is your code?"', '"Code <b>now</b>?"'))
    result = persona_run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["pytest-persona: HTML report: .persona/report.html"])
    html = (pytester.path / ".persona" / "report.html").read_text(encoding="utf-8")
    assert 'id="matrix"' in html
    assert "a.flow.yaml" in html and "b.flow.yaml" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "<b>now</b>" not in html and "Code &lt;b&gt;now&lt;/b&gt;?" in html  # transcript
    elsewhere = persona_run(pytester, "--persona-report", "out/r.html")
    elsewhere.stdout.fnmatch_lines(["pytest-persona: HTML report: out/r.html"])
    assert 'id="matrix"' in (pytester.path / "out" / "r.html").read_text(encoding="utf-8")


def test_markdown_is_appended_to_the_job_summary_and_written_on_request(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    summary = pytester.path / "step_summary.md"
    summary.write_text("## Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    persona_run(pytester, "--persona-markdown", "out/summary.md").stdout.fnmatch_lines(
        ["pytest-persona: Markdown summary: out/summary.md"]
    )
    persona_run(pytester)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Earlier step\n")
    assert text.count("| a.flow.yaml | impatient | 2 |") == 2  # one table per session
    written = (pytester.path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "| a.flow.yaml | impatient | 2 |" in written and "Earlier step" not in written


def _history(path: str) -> list[object]:
    with HistoryStore.open(path, create=False) as store:
        assert store.run_count() == 1
        run = store.latest_run()
        assert run is not None
        return [run.items, run.passed, run.failed, run.info.seed, store.items(run.number)]


def test_under_xdist_the_controller_writes_what_a_serial_run_writes(
    pytester: pytest.Pytester,
) -> None:
    pytest.importorskip("xdist")
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", HOPELESS)
    args = ("-p", "no:cacheprovider", "--persona-count", "3", "--persona", "impatient,elderly")
    serial = pytester.runpytest(*args, "--persona-history", "s.db", "--persona-report", "s.html")
    parallel = pytester.runpytest(*args, "-n", "2", "--persona-history", "p.db",
                                  "--persona-report", "p.html")
    assert parallel.ret == serial.ret == pytest.ExitCode.TESTS_FAILED
    assert parallel.stdout.str().count("pytest-persona: HTML report: p.html") == 1
    assert _history(str(pytester.path / "p.db")) == _history(str(pytester.path / "s.db"))
    html = (pytester.path / "p.html").read_text(encoding="utf-8")
    assert 'id="matrix"' in html and "b.flow.yaml" in html
    # The gate runs on the workers, against the runs before the session.
    write(pytester, "a.flow.yaml", hopeless(completion="{min: 0.0, warn: 0.0}"))
    gated = pytester.runpytest(*args, "-n", "2", "--persona-history", "p.db",
                               "--persona-compare-fail", "completion:0.05")
    gated.assert_outcomes(failed=4)
    regressions = [line for line in gated.outlines
                   if line.startswith("regression: completion fell from 100% (3/3) to 0% (0/3)")]
    assert len(regressions) == 2  # a.flow.yaml's two items; b.flow.yaml fails on its scores


def test_importing_the_plugin_loads_neither_sqlite_nor_jinja2() -> None:
    code = ("import sys, pytest_persona.plugin; "
            "print(sorted(m for m in ('sqlite3', 'jinja2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
