"""pytest-persona's pytest hooks: glue between pytest and the core, no logic of its own.

pytest imports this module in every session of an environment where the plugin is
installed, so it imports only what option parsing needs; everything else is imported
inside the hook that uses it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from . import options
from .fixtures import persona_simulate

if TYPE_CHECKING:
    from .items import FlowFile

__all__ = ["persona_simulate"]


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    try:
        _configure(config)
    except pytest.UsageError:
        if config.option.help or getattr(config.option, "markers", False):
            return  # they run nothing: a bad option or ini value waits for a real run
        raise


def _configure(config: pytest.Config) -> None:
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
    state = PersonaState(settings, catalog, worker_input=getattr(config, "workerinput", None))
    config.stash[STATE_KEY] = state
    config.addinivalue_line("markers", f"{PERSONA_MARKER}: a simulated-customer batch")
    for choice in [*builtin_choices(), *found]:
        register_persona_marker(config, state, choice.persona.name)
    if state.worker_input is None:
        from .controller import SessionReporter

        reporter = SessionReporter.start(settings)
        if settings.compare_fail:  # a serial run's items gate against the same history
            state.history = reporter.history
        config.pluginmanager.register(reporter, "persona-reporter")
        if config.pluginmanager.hasplugin("xdist"):
            from .xdist_support import XdistInput

            xdist = XdistInput(settings.seed, reporter.cutoff())
            config.pluginmanager.register(xdist, "persona-xdist")


def pytest_unconfigure(config: pytest.Config) -> None:
    from .items import STATE_KEY

    state = config.stash.get(STATE_KEY, None)
    if state is not None and state.history is not None:
        state.history.close()


def pytest_report_header(config: pytest.Config) -> list[str]:
    from .customers.personas import DEFAULT_PERSONAS
    from .items import get_state
    from .report.terminal import header_line, large_batch_line

    state = get_state(config)
    settings, catalog = state.settings, state.catalog
    header = header_line(settings.seed, settings.seed_was_random, settings.counts,
                         catalog.selected, [*DEFAULT_PERSONAS, *catalog.global_custom()],
                         beside_flows=bool(catalog.name_patterns))
    large = large_batch_line(settings.counts)
    return [header, large] if large else [header]


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Without the header (``-q``, ``--no-header``) a batch that takes hours still gets its
    one warning line, written where the header would have been."""
    from .items import get_state
    from .report.terminal import large_batch_line

    config = session.config
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    header_shown = config.get_verbosity() >= 0 and not config.option.no_header
    if terminal is None or header_shown or getattr(config, "workerinput", None) is not None:
        return
    line = large_batch_line(get_state(config).settings.counts)
    if line:
        terminal.write_line(line, yellow=True)


def pytest_report_collectionfinish(config: pytest.Config, items: list[pytest.Item]) -> list[str]:
    from .items import custom_personas_of
    from .report.terminal import custom_personas_line

    line = custom_personas_line(custom_personas_of(items, config))
    return [line] if line and config.get_verbosity() >= 0 else []


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


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """A flow file's items run one after another: after its last one here, its assistant
    and the memos it grew go, so they do not slow every later garbage collection."""
    from .items import PersonaItem, get_state

    if isinstance(item, PersonaItem) and (nextitem is None or nextitem.path != item.path):
        get_state(item.config).flows.release(item.path)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Puts the item's outcome on its report: the way results reach the controller.
    A skip points at the flow file rather than at the plugin's code."""
    from .items import RECORD_KEY, PersonaItem, command_path

    report = yield
    record = item.stash.get(RECORD_KEY, None)
    if record is not None and call.when == "call":
        report.persona_record = record.compact().to_dict()  # type: ignore[attr-defined]
        del item.stash[RECORD_KEY]  # the item is done with it: memory stays flat per item
    if report.skipped and isinstance(item, PersonaItem) and isinstance(report.longrepr, tuple):
        report.longrepr = (command_path(item.path, item.config), 1, report.longrepr[2])
    return report
