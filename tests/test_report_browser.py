"""The report as a browser sees it: parsed and laid out by headless Chromium, offline."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from history_builders import record, run, transcript

from pytest_persona.history import HistoryStore
from pytest_persona.report.data import report_from_store
from pytest_persona.report.html import write_html_report

BROWSER = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome", "chrome")
        if (found := shutil.which(name))
    ),
    None,
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _browse(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def report(tmp_path: Path) -> Path:
    with HistoryStore.open(tmp_path / "history.db") as store:
        store.write_run(run(0), [record(), record(persona="elderly", completed=40)])
        store.write_run(
            run(1),
            [
                record(
                    completed=30,
                    description='<script>document.title="owned"</script>',
                    transcripts=[transcript()],
                ),
                record(persona="elderly", completed=44, content_hash="hash-2"),
            ],
        )
        data = report_from_store(store)
    return write_html_report(tmp_path / "report.html", data)


def test_chromium_renders_the_matrix_charts_and_transcripts(tmp_path: Path, report: Path) -> None:
    done = _browse(tmp_path, report, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert 'id="matrix"' in dom
    assert dom.count('class="tile ') == 2
    assert dom.count('<svg class="trend"') == 2
    assert "pytest-persona replay flows/checkout.flow.yaml" in dom
    # The flow's script stayed text: the page title is the report's own.
    assert "<title>✗ 1 failing · pytest-persona run 2</title>" in dom
    assert "&lt;script&gt;document.title" in dom


def test_chromium_takes_a_screenshot_of_the_report(tmp_path: Path, report: Path) -> None:
    shot = tmp_path / "report.png"
    done = _browse(tmp_path, report, f"--screenshot={shot}", "--window-size=1280,1600")
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a laid-out page, not a blank canvas
