"""pytest-persona's pytest hooks: glue between pytest and the core, no logic of its own.

pytest imports this module in every session of an environment where the plugin is
installed, so it imports only what option parsing needs; everything else is imported
inside the hook that uses it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import options
from .fixtures import persona_simulate

if TYPE_CHECKING:
    from .items import FlowFile
    from .report.record import ItemRecord

__all__ = ["persona_simulate"]


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    from .flow.errors import FlowError
    from .items import PERSONA_MARKER, STATE_KEY, PersonaState, register_persona_marker
    from .selection import PersonaCatalog, builtin_choices, global_choices

    settings = options.read_settings(config)
    hook_personas = [p for group in config.hook.pytest_persona_add_personas(config=config)
                     for p in group]
    try:
        found, selected = global_choices(settings.rootdir, settings.persona_file_patterns,
                                         settings.personas, hook_personas)
    except (ValueError, FlowError) as error:
        raise pytest.UsageError(f"pytest-persona: {error}") from None
    catalog = PersonaCatalog(settings.rootdir, settings.persona_file_patterns, selected, found)
    state = PersonaState(settings, catalog)
    config.stash[STATE_KEY] = state
    config.addinivalue_line("markers", f"{PERSONA_MARKER}: a simulated-customer batch")
    for choice in [*builtin_choices(), *found]:
        register_persona_marker(config, state, choice.persona.name)
    if getattr(config, "workerinput", None) is None:
        collector = ResultCollector()
        config.stash[RESULTS_KEY] = collector
        config.pluginmanager.register(collector, "persona-results")
        if config.pluginmanager.hasplugin("xdist"):
            from .xdist_support import XdistSeed

            config.pluginmanager.register(XdistSeed(settings.seed), "persona-xdist")


def pytest_report_header(config: pytest.Config) -> str:
    from .customers.personas import DEFAULT_PERSONAS
    from .items import get_state
    from .report.terminal import header_line

    state = get_state(config)
    settings = state.settings
    return header_line(settings.seed, settings.seed_was_random, settings.counts,
                       state.catalog.selected, DEFAULT_PERSONAS)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> FlowFile | None:
    from .items import FlowFile, get_state

    patterns = get_state(parent.config).settings.flow_patterns
    if any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns):
        return FlowFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Unknown ``--persona`` names: custom personas are only known once their folders have
    been collected. A usage error; on an xdist worker, which cannot stop the session, a
    collection error that its controller shows."""
    from .items import get_state
    from .selection import unknown_personas_message

    catalog = get_state(session.config).catalog
    unknown = catalog.unknown_selected()
    if not (unknown and catalog.flows_seen):
        return
    message = f"pytest-persona: {unknown_personas_message(unknown, catalog.known)}"
    if getattr(session.config, "workerinput", None) is None:
        raise pytest.UsageError(message)
    report = pytest.CollectReport("--persona", "failed", message, [])
    session.config.hook.pytest_collectreport(report=report)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Puts the item's record on its report: the way results reach an xdist controller.
    A skip points at the flow file rather than at the plugin's code."""
    from .items import RECORD_KEY, PersonaItem, command_path

    report = yield
    record = item.stash.get(RECORD_KEY, None)
    if record is not None and call.when == "call":
        report.persona_record = record.to_dict()  # type: ignore[attr-defined]
    if report.skipped and isinstance(item, PersonaItem) and isinstance(report.longrepr, tuple):
        report.longrepr = (command_path(item.path, item.config), 1, report.longrepr[2])
    return report


class ResultCollector:
    """The controller's records, one per item, rebuilt from the reports it receives."""

    def __init__(self) -> None:
        self.by_nodeid: dict[str, ItemRecord] = {}

    @property
    def records(self) -> list[ItemRecord]:
        from .report.record import sort_key

        return sorted(self.by_nodeid.values(), key=sort_key)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        data: Any = getattr(report, "persona_record", None)
        if data is not None and report.when == "call":
            from .report.record import ItemRecord

            record = ItemRecord.from_dict(data)
            self.by_nodeid[record.nodeid] = record

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        from .report.terminal import summary_counts, summary_table

        records = self.records
        if not records:
            return
        terminalreporter.write_sep("=", f"persona scores: {summary_counts(records)}")
        terminalreporter.write_line(summary_table(records, markup=terminalreporter.hasmarkup))


RESULTS_KEY = pytest.StashKey[ResultCollector]()
