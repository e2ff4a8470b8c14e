"""pytest-xdist glue, registered only when xdist is loaded (its hooks exist only then).

What every worker must share with its controller travels in ``workerinput``, as
pytest-randomly sends its seed: the seed, so ``--persona-seed random`` draws once and
every worker runs the same conversations; and the first run number that is not an
earlier run, so a worker's regression gates compare with exactly the runs the
controller's change column does, never with a run written while the session ran.
"""

from __future__ import annotations

from typing import Any

from .options import WORKER_HISTORY_KEY, WORKER_SEED_KEY


class XdistInput:
    def __init__(self, seed: int, history_before_run: int | None) -> None:
        self.seed = seed
        self.history_before_run = history_before_run

    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput[WORKER_SEED_KEY] = self.seed
        if self.history_before_run is not None:
            node.workerinput[WORKER_HISTORY_KEY] = self.history_before_run
