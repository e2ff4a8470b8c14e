"""pytest-xdist glue, registered only when xdist is loaded (its hooks exist only then).

The controller's seed travels to every worker, as pytest-randomly does, so a seed drawn
by ``--persona-seed random`` is drawn once and every worker runs the same conversations.
"""

from __future__ import annotations

from typing import Any

from .options import WORKER_SEED_KEY


class XdistSeed:
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[WORKER_SEED_KEY] = self.seed
