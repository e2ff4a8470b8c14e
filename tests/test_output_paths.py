"""Output paths that would destroy an input are refused before anything runs or is written:
the history database and its SQLite files, flow and persona files, a folder; in a test
session and in ``pytest-persona report``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from history_builders import record, run
from plugin_helpers import INSTANT, write

from pytest_persona.cli import main
from pytest_persona.history import HistoryStore
from pytest_persona.output_paths import Inputs, Output, first_problem, overwrites_input
from pytest_persona.report.data import report_from_items
from pytest_persona.report.html import write_html_report

pytest_plugins = ("pytester",)

BASE = ("-p", "no:cacheprovider", "--persona-count", "2", "--persona", "impatient")
HISTORY = ".persona/history.db"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project with one run in its history, a flow and a persona file."""
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "z.flow.yaml", INSTANT.replace("flow: instant", "flow: zed"))
    write(pytester, "calm.persona.yaml", "persona: calm\nbase: elderly\n")
    pytester.runpytest(*BASE).assert_outcomes(passed=2)
    return pytester


def _contents(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize(
    "args, message",
    [
        (("--persona-report", HISTORY), f"--persona-report {HISTORY}: that is the history "
         "database, and writing there would destroy the history; name another file, such as "
         "report.html"),
        (("--persona-report", HISTORY, "--persona-no-history"), "that is the history database"),
        (("--persona-markdown", f"{HISTORY}-wal"), "the history database's wal file"),
        (("--persona-history=h.db", "--persona-markdown", "h.db"), "the history database"),
        (("--persona-markdown", "z.flow.yaml"), "--persona-markdown z.flow.yaml: that is named "
         "like a flow or persona file (*.flow.yaml), so it would replace one or be collected"),
        (("--persona-report", "calm.persona.yaml"), "(*.persona.yaml)"),
        (("--persona-report", "new.flow.yml"), "(*.flow.yml)"),
        (("--persona-report", "r.html", "--persona-markdown", "./r.html"),
         "--persona-markdown ./r.html: that is also the --persona-report file"),
        (("--junitxml", HISTORY), f"--junitxml {HISTORY}: that is the history database"),
        (("--persona-history", "a.flow.yaml"), "--persona-history a.flow.yaml: that is named "
         "like a flow or persona file"),
        (("--persona-history", ".persona/report.html"), "--persona-history "
         ".persona/report.html: that is where the HTML report goes (.persona/report.html, the "
         "default of --persona-report), and writing it would destroy the history; name another "
         "file, such as .persona/history.db, or give --persona-report"),
        (("--persona-report", ".persona"), "--persona-report .persona: that names a folder; "
         "name the file to write, such as .persona/report.html"),
        (("--persona-markdown", "out/"), "--persona-markdown out/: that names a folder; "
         "name the file to write, such as out/summary.md"),
    ],
)
def test_an_output_over_an_input_is_a_usage_error_and_changes_nothing(
    project: pytest.Pytester, args: tuple[str, ...], message: str
) -> None:
    before = _contents(project.path)
    result = project.runpytest(*BASE, *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: pytest-persona: *{message}*"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
    assert _contents(project.path) == before
    assert not (project.path / "out").exists()


def test_the_job_summary_is_never_appended_to_the_history(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(project.path / HISTORY))
    before = _contents(project.path)
    result = project.runpytest(*BASE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*$GITHUB_STEP_SUMMARY *: that is the history database*"])
    assert _contents(project.path) == before


def test_an_ini_history_at_the_default_report_names_the_ini_key(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npersona_history = .persona/report.html\n")
    result = project.runpytest(*BASE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: pytest-persona: ini persona_history "
                                 ".persona/report.html: that is where the HTML report goes*"])
    project.runpytest(*BASE, "--persona-report", "r.html").assert_outcomes(passed=2)


def test_an_ini_history_named_like_a_flow_is_refused(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\npersona_history = store.flow.yaml\n")
    result = project.runpytest(*BASE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*ini persona_history store.flow.yaml: that is named like*"])


def test_a_persona_pattern_from_the_rootdir_is_an_input_too(tmp_path: Path) -> None:
    inputs = Inputs(None, ("team/*.yaml",), tmp_path)
    assert overwrites_input(tmp_path / "team" / "x.yaml", inputs) is not None
    assert overwrites_input(tmp_path / "other" / "x.yaml", inputs) is None


def test_a_link_to_the_history_and_any_sqlite_database_are_refused(tmp_path: Path) -> None:
    history = tmp_path / "h.db"
    with HistoryStore.open(history) as store:
        store.write_run(run(0), [record()])
    link = tmp_path / "link.html"
    link.symlink_to(history)
    assert "the history database" in (overwrites_input(link, Inputs(history)) or "")
    elsewhere = overwrites_input(history, Inputs(tmp_path / "other.db"))
    assert elsewhere is not None and "belongs to the SQLite database" in elsewhere
    wal = overwrites_input(tmp_path / "h.db-journal", Inputs(None))
    assert wal is not None and "belongs to the SQLite database" in wal
    free = [Output("--persona-report", "r.html", tmp_path / "r.html", "report.html")]
    assert first_problem(free, Inputs(history)) is None


def test_a_folder_is_named_as_such_by_the_writer_too(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="that is a folder, not a file") as raised:
        write_html_report(tmp_path, report_from_items(run(0), [record()]))
    assert str(raised.value.filename) == str(tmp_path)
    assert os.listdir(tmp_path) == []  # no temporary file was made


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with HistoryStore.open(tmp_path / ".persona" / "history.db") as store:
        store.write_run(run(0), [record()])
    (tmp_path / "a.flow.yaml").write_text("flow: a\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "output, message",
    [
        (HISTORY, f"--output {HISTORY}: that is the history database"),
        (f"{HISTORY}-shm", f"--output {HISTORY}-shm: that is the history database's shm file"),
        ("a.flow.yaml", "--output a.flow.yaml: that is named like a flow or persona file"),
        (".", "--output .: that names a folder; name the file to write, such as ./report.html"),
        (".persona", "--output .persona: that names a folder; name the file to write, such as "
         ".persona/report.html"),
    ],
)
def test_report_output_over_an_input_is_refused(
    stored: Path, capsys: pytest.CaptureFixture[str], output: str, message: str
) -> None:
    before = _contents(stored)
    assert main(["report", "-o", output]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pytest-persona: {message}") and err.count("\n") == 1
    assert _contents(stored) == before


def test_report_output_over_another_history_is_refused(
    stored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = stored / "other.db"
    other.write_bytes((stored / HISTORY).read_bytes())
    assert main(["report", "--output", "other.db"]) == 2
    assert "belongs to the SQLite database other.db" in capsys.readouterr().err
