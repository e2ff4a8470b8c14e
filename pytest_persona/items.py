"""The flow file collector and its items: one per persona and batch size.

Flows are loaded when their first item runs, not at collection. A flow that does not
load fails one item (the first of its file left after selection) with the
``path:line:col: message`` text and nothing else, and its other items are skipped, so
the other files still run and the session still fails. A persona file that does not
load becomes one failing ``load[...]`` item at collection. A failing persona item shows
a plain-text report, not a traceback: the scores, outcomes and the shortest failing
conversations.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import warnings
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .options import Settings
from .selection import PersonaCatalog, PersonaChoice

if TYPE_CHECKING:
    from .customers.preparation import FlowPreparation
    from .flow.engine import Assistant
    from .flow.errors import FlowError
    from .flow.model import Flow, Metric
    from .report.record import ItemOutcome
    from .session_outputs import SessionHistory

PERSONA_MARKER = "persona"


class PersonaScoreWarning(pytest.PytestWarning):
    """An amber score: between its warn level and its limit. Reported, not failed;
    ``-W error::pytest_persona.items.PersonaScoreWarning`` makes it fail."""


class PersonaFailed(Exception):
    """A red score or a goal no customer can reach; the message is the whole report."""


@dataclass(frozen=True)
class _Compiled:
    """What compiling one flow gave: its assistant and preparation, or why a goal is
    out of every customer's reach."""

    flow: Flow
    parts: tuple[Assistant, FlowPreparation] | None
    unreachable: str = ""
    unreachable_key: str = ""


class FlowCache:
    """Flows loaded in this process, or the error loading gave, by path, and each flow's
    compiled ``Assistant``, shared by all the items of its file (compiling a big flow
    costs more than a small batch). The few most recent only: a file's items run one
    after another, and memory stays flat.

    Fewer assistants than flows: an assistant's memos grow with every conversation (tens
    of thousands of objects after a few batches), and every object kept alive makes each
    of the garbage collector's full passes slower for the rest of the session."""

    def __init__(self, size: int = 8, assistants: int = 2) -> None:
        self.size = size
        self.assistants = assistants
        self._loaded: OrderedDict[Path, Flow | FlowError] = OrderedDict()
        self._compiled: OrderedDict[tuple[str, str], _Compiled] = OrderedDict()

    def compiled(self, flow: Flow) -> tuple[Assistant, FlowPreparation]:
        """The flow's assistant and its customers' persona-independent preparation (plans,
        phrase sources), shared by the items of every persona while the file's items run
        here. Raises GoalUnreachable, like a Simulator, for every item of such a flow; the
        verdict is kept too, so nothing is compiled again to reach it."""
        from .customers.planner import GoalUnreachable
        from .customers.preparation import FlowPreparation
        from .flow.engine import Assistant

        key = (flow.path, flow.content_hash)
        found = self._compiled.get(key)
        if found is None or found.flow is not flow:  # the flow was loaded again
            try:
                preparation = FlowPreparation(flow)  # first: it finds an unreachable goal
            except GoalUnreachable as error:
                found = _Compiled(flow, None, str(error), error.key)
            else:
                found = _Compiled(flow, (Assistant(flow), preparation))
            self._compiled[key] = found
            while len(self._compiled) > self.assistants:
                self._compiled.popitem(last=False)
        self._compiled.move_to_end(key)
        if found.parts is None:
            raise GoalUnreachable(found.unreachable, found.unreachable_key)
        return found.parts

    def release(self, path: Path) -> None:
        """Drops the assistant and preparation of a file whose items have all run here
        (the flow stays)."""
        flow = self._loaded.get(path)
        if flow is not None and not isinstance(flow, Exception):
            self._compiled.pop((flow.path, flow.content_hash), None)

    def get(self, path: Path, config: pytest.Config) -> Flow | FlowError:
        from .flow.errors import FlowError
        from .flow.loader import load_flow

        found = self._loaded.get(path)
        if found is None:
            try:
                found = load_flow(path)
            except FlowError as error:
                found = relocate(error, config)
            self._loaded[path] = found
            while len(self._loaded) > self.size:
                self._loaded.popitem(last=False)
        self._loaded.move_to_end(path)
        return found


@dataclass
class PersonaState:
    """The session's plugin state, kept in ``config.stash``."""

    settings: Settings
    catalog: PersonaCatalog
    markers: set[str] = field(default_factory=set)
    flows: FlowCache = field(default_factory=FlowCache)
    # What the regression gates read: the controller's history in a serial run; on an
    # xdist worker, its own read-only view, opened when the first item needs it.
    history: SessionHistory | None = None
    worker_input: dict[str, Any] | None = None
    _first_items: dict[Path, str] | None = None

    def first_selected(self, session: pytest.Session, path: Path) -> str | None:
        """The node id of the first item of a flow file left after selection."""
        if self._first_items is None:
            self._first_items = {}
            for item in session.items:
                if isinstance(item, PersonaItem):
                    self._first_items.setdefault(item.path, item.nodeid)
        return self._first_items.get(path)

    def gate_history(self) -> SessionHistory | None:
        """The history the regression gates compare with; None without any gate."""
        if not self.settings.compare_fail:
            return None
        if self.history is None and self.worker_input is not None:
            from .controller import output_settings
            from .options import WORKER_HISTORY_KEY
            from .session_outputs import SessionHistory

            before_run = self.worker_input.get(WORKER_HISTORY_KEY)
            self.history = SessionHistory(output_settings(self.settings, before_run))
        return self.history


STATE_KEY = pytest.StashKey[PersonaState]()
RECORD_KEY = pytest.StashKey["ItemOutcome"]()


def get_state(config: pytest.Config) -> PersonaState:
    return config.stash[STATE_KEY]


def marker_name(persona: str) -> str:
    """A persona's marker: its name with dashes as underscores (``-m typo_prone``)."""
    return persona.replace("-", "_")


def register_persona_marker(config: pytest.Config, state: PersonaState, persona: str) -> None:
    marker = marker_name(persona)
    if marker not in state.markers:
        state.markers.add(marker)
        config.addinivalue_line("markers", f"{marker}: simulated customers of persona {persona}")


def relative_to(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when it lies below it, else absolute; '/' separators."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def command_path(path: str | Path, config: pytest.Config) -> str:
    """A path as a command typed where pytest was started should name it."""
    try:
        return os.path.relpath(path, config.invocation_params.dir)
    except ValueError:  # another drive on Windows
        return str(path)


def custom_personas_of(items: list[pytest.Item], config: pytest.Config) -> list[tuple[str, str]]:
    """The custom personas the selected items run, each with its file (or the hook); a
    name twice when flows in different folders see different files of that name."""
    from .selection import BUILTIN, HOOK

    found: dict[tuple[str, str], None] = {}
    for item in items:
        if isinstance(item, PersonaItem) and item.choice.source != BUILTIN:
            source = item.choice.source
            where = source if source == HOOK else command_path(source, config)
            found[item.choice.persona.name, where] = None
    return list(found)


def relocate(error: FlowError, config: pytest.Config) -> FlowError:
    """The same diagnostics with paths as the user would type them."""
    from .flow.errors import FlowError

    return FlowError([
        dataclasses.replace(d, path=command_path(d.path, config)) for d in error.diagnostics
    ])


class FlowFile(pytest.File):
    """Yields the items without reading the flow: collection stays fast for a thousand
    files, and an xdist worker loads only the flows of the items it runs."""

    def collect(self) -> Iterator[pytest.Item]:
        state = get_state(self.config)
        personas = state.catalog.for_flow(self.path)
        for broken in personas.new_errors:
            name = f"load[{relative_to(broken.path, state.settings.rootdir)}]"
            error = relocate(broken.error, self.config)
            yield LoadFailure.from_parent(self, name=name, nodeid=self.child_nodeid(name),
                                          error=error)
        runs = itertools.product(personas.choices, state.settings.counts)
        for position, (choice, count) in enumerate(runs):
            register_persona_marker(self.config, state, choice.persona.name)
            name = f"{choice.persona.name}[{count}]"
            yield PersonaItem.from_parent(
                self, name=name, nodeid=self.child_nodeid(name), choice=choice, count=count,
                position=position,
            )

    def child_nodeid(self, name: str) -> str:
        """Passed as a string so pytest parses the ``[...]`` part as it parses the ids it
        reads back (``--lf``, ``--deselect``): a bracket then means the same either way."""
        return f"{self.nodeid}::{name}"


class LoadFailure(pytest.Item):
    """A persona file that cannot be loaded: fails with its diagnostics and nothing else."""

    def __init__(self, *, error: FlowError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error
        self.add_marker(PERSONA_MARKER)

    def runtest(self) -> None:
        raise self.error

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if excinfo.value is self.error:
            return str(self.error)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.error.first.line - 1, f"{self.path.name}::{self.name}"


class PersonaItem(pytest.Item):
    """One flow, one persona, one batch size: simulate, score and judge."""

    def __init__(
        self, *, choice: PersonaChoice, count: int, position: int, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.choice = choice
        self.count = count
        self.position = position
        self.add_marker(PERSONA_MARKER)
        self.add_marker(marker_name(choice.persona.name))

    def runtest(self) -> None:
        from .report.record import junit_properties
        from .report.terminal import failure_report

        flow = self.load()
        record = self.check_regressions(self.simulate(flow))
        self.stash[RECORD_KEY] = record
        self.user_properties.extend(junit_properties(record))
        if record.failed:
            persona_arg = self.choice.ref
            if os.path.isabs(persona_arg):
                persona_arg = command_path(persona_arg, self.config)
            text = failure_report(record, command_path(self.path, self.config), persona_arg)
            raise PersonaFailed(text)
        for metric in record.verdict.amber:
            self._warn(flow, record, metric)

    def load(self) -> Flow:
        """The flow, loaded once per process. A file that does not load fails the first
        selected item of that file, with its diagnostics, and skips the others: the same
        items in a serial run and under xdist, whatever ``-k`` or ``--lf`` left."""
        state = get_state(self.config)
        loaded = state.flows.get(self.path, self.config)
        if not isinstance(loaded, Exception):
            return loaded
        reporter = state.first_selected(self.session, self.path)
        if reporter in (None, self.nodeid):
            raise loaded
        pytest.skip(f"{command_path(self.path, self.config)} does not load: see {reporter}")

    def check_regressions(self, record: ItemOutcome) -> ItemOutcome:
        """Fails the batch here, where it ran, when a score got worse than a
        ``--persona-compare-fail`` rule allows since the previous run or the baseline."""
        history = get_state(self.config).gate_history()
        stored = record.to_history() if history is not None else None
        if history is None or stored is None:
            return record
        message = history.gate(stored)
        if message is None:
            return record
        return dataclasses.replace(record, regressions=tuple(message.splitlines()))

    def simulate(self, flow: Flow) -> ItemOutcome:
        from .customers.goals import located
        from .flow.model import Thresholds
        from .report.record import ItemOutcome
        from .scoring import resolve_thresholds
        from .simulation import GoalUnreachable, Simulator

        settings = get_state(self.config).settings
        name = self.choice.persona.name
        limits = resolve_thresholds([
            flow.thresholds.personas.get(name, Thresholds()),
            flow.thresholds.flow,
            settings.cli_thresholds,
            settings.ini_thresholds,
        ])
        result = error = None
        try:
            assistant, preparation = get_state(self.config).flows.compiled(flow)
            simulator = Simulator(
                flow, self.choice.persona, settings.seed,
                assistant=assistant, preparation=preparation,
            )  # fmt: skip
            result = simulator.batch(self.count)
        except GoalUnreachable as unreachable:
            error = located(flow, unreachable)
        return ItemOutcome(
            nodeid=self.nodeid,
            flow_path=relative_to(self.path, settings.rootdir),
            flow_id=flow.id,
            content_hash=flow.content_hash,
            persona=name,
            persona_ref=self.choice.ref,
            count=self.count,
            seed=settings.seed,
            position=self.position,
            limits=limits,
            result=result,
            error=error,
            flow_description=flow.description,
        )

    def _warn(self, flow: Flow, record: ItemOutcome, metric: Metric) -> None:
        from .report.terminal import score_warning

        positions = flow.positions
        name = self.choice.persona.name
        # The flow's own setting for this score, if any: the line a reader would edit.
        where = (positions.get(f"thresholds.personas.{name}.{metric}")
                 or positions.get(f"thresholds.{metric}"))
        warnings.warn_explicit(
            PersonaScoreWarning(score_warning(record, metric)),
            PersonaScoreWarning,
            filename=command_path(self.path, self.config),
            lineno=where.line if where else 1,
        )

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        from .flow.errors import FlowError

        if isinstance(excinfo.value, (PersonaFailed, PersonaScoreWarning, FlowError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.path.name}::{self.name}"
