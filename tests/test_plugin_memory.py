"""What a session keeps per item once the item has run: the controller's compact record,
no copy on the item, and no flow's assistant after its file's last item."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from plugin_helpers import INSTANT, UNREACHABLE, hopeless, write

from pytest_persona.customers.preparation import FlowPreparation
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.model import Flow
from pytest_persona.items import RECORD_KEY, PersonaItem

pytest_plugins = ("pytester",)


class SessionProbe:
    """Looks at the session's state after the reports are written and the table printed."""

    def __init__(self) -> None:
        self.records: list[Any] = []
        self.items_with_a_record = -1
        self.persona_items = 0

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        self.session = session

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        config = terminalreporter.config
        reporter: Any = config.pluginmanager.get_plugin("persona-reporter")
        self.records = list(reporter.by_nodeid.values())
        items = [i for i in self.session.items if isinstance(i, PersonaItem)]
        self.persona_items = len(items)
        self.items_with_a_record = sum(RECORD_KEY in item.stash for item in items)


def test_the_controller_keeps_scores_and_only_failed_items_transcripts(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", hopeless())
    probe = SessionProbe()
    result = pytester.runpytest("-p", "no:cacheprovider", "--persona-no-history",
                                "--persona-count", "3", "--persona", "impatient,elderly",
                                plugins=[probe])
    result.assert_outcomes(passed=2, failed=2)
    assert probe.persona_items == 4 and probe.items_with_a_record == 0
    assert len(probe.records) == 4
    for record in probe.records:
        assert record.result.summaries == ()
        assert record.result.scores.conversations == 3
        assert bool(record.result.failing_transcripts) == record.failed
    # The report still shows the failing conversations.
    html = (pytester.path / ".persona" / "report.html").read_text(encoding="utf-8")
    assert html.count('<div class="conversation">') >= 2
    assert "What is your code?" in html


def test_a_files_assistant_goes_after_its_last_item(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[weakref.ref[Assistant]] = []
    alive_after: dict[str, int] = {}
    original = Assistant.__init__

    def tracking(self: Assistant, flow: Flow, *args: Any, **kwargs: Any) -> None:
        built.append(weakref.ref(self))
        original(self, flow, *args, **kwargs)

    class Probe:
        def pytest_runtest_logfinish(self, nodeid: str) -> None:
            gc.collect()
            alive_after[nodeid.split("::")[-1] + nodeid.split("::")[0]] = sum(
                ref() is not None for ref in built
            )

    monkeypatch.setattr(Assistant, "__init__", tracking)
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", hopeless("0"))
    result = pytester.runpytest("-p", "no:cacheprovider", "--persona-no-history",
                                "--persona-count", "1,2", "--persona", "impatient",
                                plugins=[Probe()])
    result.assert_outcomes(passed=4)
    assert len(built) == 2  # one per file, shared by the file's items
    assert alive_after == {
        "impatient[1]a.flow.yaml": 1,
        "impatient[2]a.flow.yaml": 0,
        "impatient[1]b.flow.yaml": 1,
        "impatient[2]b.flow.yaml": 0,
    }


def test_a_files_customer_preparation_is_built_once_for_all_its_personas(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    original = FlowPreparation.__init__

    def counting(self: FlowPreparation, flow: Flow) -> None:
        built.append(flow.id)
        original(self, flow)

    monkeypatch.setattr(FlowPreparation, "__init__", counting)
    write(pytester, "a.flow.yaml", INSTANT)
    result = pytester.runpytest("-p", "no:cacheprovider", "--persona-no-history",
                                "--persona-count", "1,2")  # fmt: skip
    result.assert_outcomes(passed=8)  # 4 personas x 2 counts
    assert len(built) == 1


def test_a_flow_with_an_unreachable_goal_is_found_out_once_and_never_compiled(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[str] = []
    assistants: list[str] = []
    original_preparation, original_assistant = FlowPreparation.__init__, Assistant.__init__

    def preparing(self: FlowPreparation, flow: Flow) -> None:
        attempts.append(flow.id)
        original_preparation(self, flow)

    def compiling(self: Assistant, flow: Flow, *args: Any, **kwargs: Any) -> None:
        assistants.append(flow.id)
        original_assistant(self, flow, *args, **kwargs)

    monkeypatch.setattr(FlowPreparation, "__init__", preparing)
    monkeypatch.setattr(Assistant, "__init__", compiling)
    write(pytester, "unreachable.flow.yaml", UNREACHABLE)
    result = pytester.runpytest("-p", "no:cacheprovider", "--persona-no-history",
                                "--persona-count", "1,2")  # fmt: skip
    result.assert_outcomes(failed=8)
    result.stdout.fnmatch_lines(["*no 'end: completed' step can be reached ('done'*"])
    assert attempts == ["unreachable"]
    assert assistants == []
