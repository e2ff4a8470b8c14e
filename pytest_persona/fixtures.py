"""The ``persona_simulate`` fixture: simulations inside ordinary test functions.

For assertions a threshold cannot express ("the impatient customer never gets stuck
at the confirmation step"), a test function runs a batch itself with the session's
seed and inspects the ``BatchResult``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

if TYPE_CHECKING:
    from .customers.personas import Persona
    from .results import BatchResult


class SimulateBatch(Protocol):
    def __call__(
        self,
        flow_path: str | os.PathLike[str],
        persona: str | Persona,
        count: int = 10,
        seed: int | None = None,
    ) -> BatchResult: ...


@pytest.fixture
def persona_simulate(pytestconfig: pytest.Config) -> SimulateBatch:
    """Returns ``run(flow_path, persona, count=10, seed=None) -> BatchResult``.

    ``flow_path`` is relative to the rootdir unless absolute. ``persona`` is a Persona,
    a built-in name, a custom persona the flow can see (its persona files, the hook) or
    a ``.persona.yaml`` path. ``seed`` defaults to the session's ``--persona-seed``.
    A broken flow raises FlowError; an unknown persona name raises KeyError::

        def test_impatient_customers_finish(persona_simulate):
            result = persona_simulate("flows/order.flow.yaml", "impatient", count=25)
            assert result.scores.outcomes["stuck"] == 0
    """
    from .items import get_state

    state = get_state(pytestconfig)

    def run(
        flow_path: str | os.PathLike[str],
        persona: str | Persona,
        count: int = 10,
        seed: int | None = None,
    ) -> BatchResult:
        from .customers.personas import Persona, did_you_mean
        from .selection import load_persona_path
        from .simulation import simulate

        path = state.settings.rootdir / Path(flow_path)
        chosen: Persona
        if isinstance(persona, Persona):
            chosen = persona
        elif persona.endswith((".yaml", ".yml")):
            chosen = load_persona_path(state.settings.rootdir / persona)
        else:
            available, _ = state.catalog.available(path)
            if persona not in available:
                names = sorted(available)
                raise KeyError(f"unknown persona {persona!r}{did_you_mean(persona, names)}; "
                               f"known personas: {', '.join(names)}")
            chosen = available[persona].persona
        return simulate(path, chosen, count, state.settings.seed if seed is None else seed)

    return run
