"""pytest-persona: stress-test chatbot flows with simulated customer personas.

The public API is imported lazily: pytest imports this package in every session of
an environment where the plugin is installed, and most sessions never simulate.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_flow": "pytest_persona.flow.loader",
    "FlowError": "pytest_persona.flow.errors",
    "Flow": "pytest_persona.flow.model",
    "FlowPreparation": "pytest_persona.simulation",
    "simulate": "pytest_persona.simulation",
    "Simulator": "pytest_persona.simulation",
    "GoalUnreachable": "pytest_persona.simulation",
    "Persona": "pytest_persona.customers.personas",
    "get_persona": "pytest_persona.customers.personas",
    "BatchResult": "pytest_persona.results",
    "Transcript": "pytest_persona.results",
    "Scores": "pytest_persona.scoring",
}

__all__ = [
    "BatchResult",
    "Flow",
    "FlowError",
    "FlowPreparation",
    "GoalUnreachable",
    "Persona",
    "Scores",
    "Simulator",
    "Transcript",
    "__version__",
    "get_persona",
    "load_flow",
    "simulate",
]

if TYPE_CHECKING:
    from .customers.personas import Persona, get_persona
    from .flow.errors import FlowError
    from .flow.loader import load_flow
    from .flow.model import Flow
    from .results import BatchResult, Transcript
    from .scoring import Scores
    from .simulation import FlowPreparation, GoalUnreachable, Simulator, simulate


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_persona' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
