"""What every benchmark section shares: figures with targets, timing, subprocesses, the machine.

A section returns a :class:`SectionResult`: named figures (each with a unit and, when
the project set one, a target it passes or misses) plus free-form details for the JSON.
Times are medians of several repetitions because the machine is shared and noisy.
Peak memory of a child process is ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``
read by a small launcher process whose only child it is (see :func:`run_child`).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pytest_persona.customers.personas import persona_names

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "example_flows"
ALL_PERSONAS = persona_names()  # the defaults, then the plain control
RESULT_PREFIX = "BENCH-RESULT "


@dataclass(frozen=True)
class Target:
    """A bound a figure must respect: ``op`` is ``<=`` (at most) or ``>=`` (at least)."""

    op: Literal["<=", ">="]
    bound: float

    def met(self, value: float) -> bool:
        return value <= self.bound if self.op == "<=" else value >= self.bound

    def describe(self, unit: str) -> str:
        word = "at most" if self.op == "<=" else "at least"
        return f"{word} {format_value(self.bound, unit)}"


@dataclass(frozen=True)
class Figure:
    key: str  # stable name in the JSON
    label: str  # what the table shows
    value: float
    unit: str  # "s", "ms", "us", "MiB", "x", "%", "conv/s", "" ...
    target: Target | None = None

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value)

    def as_json(self) -> dict[str, Any]:
        target = None
        if self.target is not None:
            target = {"op": self.target.op, "bound": self.target.bound}
        return {"label": self.label, "value": self.value, "unit": self.unit,
                "target": target, "passed": self.passed}  # fmt: skip


@dataclass
class SectionResult:
    name: str
    repeats: int  # how many runs each median is taken over
    params: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0  # how long the section took to run

    def add(self, key: str, label: str, value: float, unit: str,
            target: Target | None = None) -> Figure:  # fmt: skip
        figure = Figure(key, label, value, unit, target)
        self.figures.append(figure)
        return figure

    def as_json(self) -> dict[str, Any]:
        return {
            "repeats": self.repeats,
            "params": self.params,
            "figures": {f.key: f.as_json() for f in self.figures},
            "details": self.details,
            "notes": self.notes,
            "seconds": round(self.seconds, 3),
        }


def format_value(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:+.1f}%"
    if unit == "pct":
        return f"{value:.1f}%"
    if unit == "x":
        return f"{value:.2f}x"
    if unit in ("conv/s", "items"):
        return f"{value:,.0f} {unit}"
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit in ("ms", "us"):
        return f"{value:.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "":
        return f"{value:.3g}"
    return f"{value:.3g} {unit}"


# --- timing --------------------------------------------------------------------------------


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    """The median wall time of ``repeats`` calls of ``action``."""
    return statistics.median(timed(action) for _ in range(max(1, repeats)))


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --- child processes -----------------------------------------------------------------------


# Runs the command as its own child and reports that child's wall time and peak memory.
# A process started straight from this one would not do: Linux carries the resident-set
# high-water mark of the process image an ``exec`` replaces into the new program's
# ``ru_maxrss``, so every child would report at least this (large) process's memory.
# This small interpreter is what the measured program is forked from instead.
_LAUNCHER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"seconds": seconds, "peak_kib": peak, "code": code}, out)
"""


@dataclass(frozen=True)
class ChildRun:
    seconds: float  # wall time from start to exit, interpreter start-up included
    peak_mib: float  # largest resident set of the child and the descendants it waited for
    returncode: int
    stdout: str
    stderr: str

    def result(self) -> dict[str, Any]:
        """The JSON a child script printed on its ``RESULT_PREFIX`` line."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith(RESULT_PREFIX):
                found: dict[str, Any] = json.loads(line.removeprefix(RESULT_PREFIX))
                return found
        raise RuntimeError(f"no result line in the child's output:\n{self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        return (self.stdout[-chars:] + "\n" + self.stderr[-chars:]).strip()


def run_child(command: Sequence[str], cwd: Path | None = None,
              env: Mapping[str, str] | None = None,
              ok_codes: Sequence[int] = (0,)) -> ChildRun:  # fmt: skip
    """Run ``command``, measuring its wall time and peak memory; raise on other exit codes.

    The peak is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a launcher whose only child
    is ``command``: the largest resident set of it and of the descendants it waited for.
    """
    with tempfile.TemporaryDirectory(prefix="bench-child-") as folder:
        figures = Path(folder) / "figures.json"
        done = subprocess.run([sys.executable, "-c", _LAUNCHER, str(figures), *command],
                              cwd=cwd, env=dict(env) if env else None, capture_output=True,
                              stdin=subprocess.DEVNULL, check=False)  # fmt: skip
        if not figures.exists():
            raise RuntimeError(f"the launcher failed ({done.returncode}): {done.stderr[-2000:]!r}")
        found = json.loads(figures.read_text(encoding="utf-8"))
    run = ChildRun(found["seconds"], found["peak_kib"] / 1024, found["code"],
                   done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"))
    if run.returncode not in ok_codes:
        raise RuntimeError(f"{' '.join(command)} exited {run.returncode}:\n{run.tail()}")
    return run


def python_child(script: str, *args: str, cwd: Path | None = None) -> ChildRun:
    """Run ``script`` in a fresh interpreter of this Python (``python -c``)."""
    return run_child([sys.executable, "-c", script, *args], cwd=cwd)


# --- inputs and the machine ----------------------------------------------------------------


def example_flow_paths() -> list[Path]:
    paths = sorted(EXAMPLES.glob("*.flow.yaml"))
    if not paths:
        raise RuntimeError(f"no example flows in {EXAMPLES}")
    return paths


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def machine_info() -> dict[str, Any]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "load_average": load,
    }
