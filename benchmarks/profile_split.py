"""Where the time of a simulation batch goes: matching, customers, engine, scoring.

cProfile runs the batch; each function's own time (``tottime``) goes to the part of
pytest-persona its module belongs to. Time spent outside the package (rapidfuzz, ``re``,
builtins, the standard library) is charged to the package functions that called it,
in proportion to the time each caller spent in it, following chains of outside calls
up to the nearest package function. So rapidfuzz's C code counts as matching, and a
regular expression run by the slot extractor counts as engine. Profiling slows Python
code more than C code, so the shares lean a little towards the Python-heavy parts.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest_persona

PACKAGE_DIR = Path(pytest_persona.__file__).resolve().parent
PACKAGE = "pytest_persona"

# (part, module prefixes); the first prefix that matches decides.
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("matching", ("pytest_persona.flow.matcher", "pytest_persona.flow.textnorm",
                  "pytest_persona.flow.nearwords", "pytest_persona.flow.matchweights",
                  "pytest_persona.flow.matchreading")),
    ("customers", ("pytest_persona.customers",)),
    ("engine", ("pytest_persona.flow.engine", "pytest_persona.flow.stepplan",
                "pytest_persona.flow.slots", "pytest_persona.flow.dates",
                "pytest_persona.flow.freetext", "pytest_persona.flow.patterns")),
    ("scoring", ("pytest_persona.results", "pytest_persona.scoring")),
    ("simulation loop", ("pytest_persona.simulation", "pytest_persona.rng")),
)
OTHER = "other"

FuncKey = tuple[str, int, str]


def module_of(filename: str) -> str | None:
    """The dotted module of a file inside the package, else None."""
    try:
        relative = Path(filename).resolve().relative_to(PACKAGE_DIR)
    except (ValueError, OSError):
        return None
    parts = list(relative.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def part_of(module: str) -> str:
    for part, prefixes in PARTS:
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return part
    return OTHER


def _label(func: FuncKey) -> str:
    filename, line, name = func
    module = module_of(filename)
    where = module.removeprefix(PACKAGE + ".") if module else Path(filename).name
    return f"{where}:{name}" if line else name


class _Charger:
    """Finds, for an outside function, the package functions its time is charged to."""

    def __init__(self, stats: dict[FuncKey, Any]) -> None:
        self.stats = stats
        self._memo: dict[FuncKey, dict[FuncKey, float]] = {}
        self._busy: set[FuncKey] = set()

    def owners(self, func: FuncKey) -> dict[FuncKey, float]:
        """Package functions and the fraction of ``func``'s time each one is charged.

        Computed once per function; a caller already being worked out higher up (a
        cycle of outside calls, as in pluggy's hook loops) is left out of the shares.
        """
        if module_of(func[0]) is not None:
            return {func: 1.0}
        found = self._memo.get(func)
        if found is not None:
            return found
        self._busy.add(func)
        callers: dict[FuncKey, tuple[Any, ...]] = self.stats[func][4] if func in self.stats else {}
        open_callers = [c for c in sorted(callers) if c not in self._busy]
        weights = {c: float(callers[c][2]) for c in open_callers if callers[c][2] > 0}
        if not weights:  # the callers spent no measurable time in it: share equally
            weights = dict.fromkeys(open_callers, 1.0)
        total = sum(weights.values())
        found = {}
        for caller, weight in weights.items():
            for owner, share in self.owners(caller).items():
                found[owner] = found.get(owner, 0.0) + share * weight / total
        self._busy.discard(func)
        self._memo[func] = found
        return found


def split(profiled: pstats.Stats, top: int = 10) -> dict[str, Any]:
    """Shares of the profiled time per part, and the package functions that cost most
    (their own time with the outside code they call)."""
    stats: dict[FuncKey, Any] = profiled.stats  # type: ignore[attr-defined]
    charger = _Charger(stats)
    per_function: dict[FuncKey, float] = {}
    unowned = 0.0
    for func, (_, _, own, _, _) in stats.items():
        owners = charger.owners(func)
        if not owners:
            unowned += own
        for owner, share in owners.items():
            per_function[owner] = per_function.get(owner, 0.0) + own * share
    total = sum(per_function.values()) + unowned
    parts: dict[str, float] = {part: 0.0 for part, _ in PARTS}
    parts[OTHER] = unowned
    for func, seconds in per_function.items():
        module = module_of(func[0])
        assert module is not None
        key = part_of(module)
        parts[key] = parts.get(key, 0.0) + seconds
    costly = sorted(per_function.items(), key=lambda item: (-item[1], item[0]))[:top]
    return {
        "profiled_seconds": total,
        "shares": {part: seconds / total for part, seconds in parts.items()},
        "top_functions": [
            {"function": _label(func), "share": seconds / total} for func, seconds in costly
        ],
    }


def profiled(action: Callable[[], object]) -> pstats.Stats:
    profile = cProfile.Profile()
    profile.enable()
    try:
        action()
    finally:
        profile.disable()
    return pstats.Stats(profile)


def profile_split(action: Callable[[], object], top: int = 10) -> dict[str, Any]:
    return split(profiled(action), top)


def combined(parts: list[pstats.Stats]) -> pstats.Stats:
    """One set of statistics adding up several profiles."""
    total = pstats.Stats()
    for more in parts:
        total.add(more)
    return total
