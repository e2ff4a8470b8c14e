"""``pytest-persona history`` and ``pytest-persona report`` on a real store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from history_builders import record, run

from pytest_persona.cli import main
from pytest_persona.history import HistoryStore
from pytest_persona.history_cli import find_history


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose history holds three runs; the current folder is a subfolder."""
    with HistoryStore.open(tmp_path / ".persona" / "history.db") as store:
        store.write_run(run(0), [record(completed=45), record(persona="elderly")], save_as="v1")
        store.write_run(run(1), [record(completed=40), record(persona="elderly")])
        store.write_run(
            run(2),
            [
                record(completed=42, content_hash="hash-2"),
                record(flow_path="flows/lost_card.flow.yaml"),
            ],
        )
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "checkout.flow.yaml").write_text("id: checkout\n")
    monkeypatch.chdir(flows)
    return tmp_path


def test_the_history_is_found_from_a_subfolder(project: Path) -> None:
    assert find_history(None) == project / ".persona" / "history.db"
    assert find_history("x.db") == Path("x.db")


def test_history_prints_each_items_runs_with_changes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "checkout.flow.yaml", "--persona", "impatient"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "flows/checkout.flow.yaml" in line]
    assert len(lines) == 3
    assert lines[0].startswith("1 (v1)")
    assert "90% (45/50)" in lines[0] and "▼" not in lines[0]
    assert "80% (40/50) ▼ -10%" in lines[1]
    assert "84% (42/50) ▲ +4%" in lines[2] and "flows/checkout.flow.yaml *" in lines[2]
    assert "* the flow file changed since the run before" in out


def test_history_last_n_still_shows_the_change_into_the_first_row(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "--last", "1", "--persona", "impatient", "--ascii"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("3 ")]
    assert len(rows) == 2
    assert any("84% (42/50) ^ +4%" in row for row in rows)


def test_history_of_an_unknown_flow_is_a_clear_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "nothing.flow.yaml"]) == 1
    assert "no results for flow nothing.flow.yaml" in capsys.readouterr().err


def test_history_without_a_store_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["history"]) == 1
    assert "no history at" in capsys.readouterr().err
    assert not (tmp_path / ".persona").exists()


def test_history_of_a_broken_store_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "h.db"
    broken.write_text("nope")
    assert main(["history", "--db", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a SQLite database" in err


def test_report_rebuilds_the_html_beside_the_store(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report"]) == 0
    target = project / ".persona" / "report.html"
    assert f"report of run 3 written to {target}" in capsys.readouterr().out
    assert "flows/lost_card.flow.yaml" in target.read_text()
    other = project / "old.html"
    assert main(["report", "--run", "1", "--output", str(other)]) == 0
    assert "Run 1" in other.read_text()


def test_report_of_a_missing_run_fails_cleanly(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--run", "9"]) == 1
    assert "no run 9" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["report", "--run"], ["history", "--last"]])
def test_a_number_too_large_for_the_history_is_a_usage_error(
    project: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main([*args, str(2**63)])
    assert raised.value.code == 2
    assert "expected at most 9223372036854775807" in capsys.readouterr().err


def test_history_falls_back_to_ascii_when_the_terminal_cannot_show_arrows(
    project: Path,
) -> None:
    import argparse

    from pytest_persona.history_cli import history_command

    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    args = argparse.Namespace(db=None, file=None, persona="impatient", last=10, ascii=False)
    assert history_command(args, out) == 0
    out.seek(0)
    text = out.read()
    assert "v -10%" in text and "▼" not in text
