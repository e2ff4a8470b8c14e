"""How time and memory grow with the batch size: one flow at 10 to 5,000 conversations.

Each size runs through the Python API (``simulate``) in a fresh interpreter, so its peak
resident memory is its own. The child reports the time of ``simulate`` (loading the
flow included) and its peak resident set before and after simulating; the difference is
what the batch itself costs. Growth is "linear or better" when going from the middle
size to the largest multiplies time, and the memory the batch adds, by no more than the
ratio of the sizes (with 25% slack for noise on a shared machine).

    python -m benchmarks batch
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from benchmarks.common import (
    EXAMPLES,
    RESULT_PREFIX,
    SectionResult,
    Target,
    median,
    python_child,
)

FULL_SIZES = (10, 50, 500, 5000)
QUICK_SIZES = (10, 50)
FLOW = EXAMPLES / "order-status.flow.yaml"
PERSONA = "impatient"
MAX_SECONDS_AT_5000 = 5.0
MAX_PEAK_MIB_AT_5000 = 200.0
SLACK = 1.25

CHILD = f"""
import json, resource, sys, time
from pytest_persona import simulate
from pytest_persona.flow.loader import load_flow
path, persona, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
load_flow(path)  # imports everything simulate needs, outside the timing
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = simulate(path, persona, count)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert len(result.summaries) == count
print({RESULT_PREFIX!r} + json.dumps({{
    "seconds": seconds, "baseline_kib": before, "peak_kib": after,
    "completion": result.scores.completion.hits / count}}))
"""


def run_size(count: int, repeats: int, flow: str, persona: str) -> dict[str, float]:
    """Medians over ``repeats`` fresh interpreters simulating ``count`` conversations."""
    runs = [python_child(CHILD, flow, persona, str(count)).result() for _ in range(repeats)]
    seconds = median([r["seconds"] for r in runs])
    peak = median([r["peak_kib"] / 1024 for r in runs])
    baseline = median([r["baseline_kib"] / 1024 for r in runs])
    return {
        "count": count,
        "seconds": seconds,
        "us_per_conversation": seconds / count * 1e6,
        "peak_mib": peak,
        "baseline_mib": baseline,
        "added_mib": max(0.0, peak - baseline),
        "completion": runs[0]["completion"],
    }


def growth(rows: Sequence[dict[str, float]], key: str, floor: float) -> float:
    """Growth exponent of ``key`` between the last two sizes (1.0 = linear)."""
    small, large = rows[-2], rows[-1]
    ratio = max(large[key], floor) / max(small[key], floor)
    return math.log(ratio) / math.log(large["count"] / small["count"])


def section(quick: bool, repeats: int | None,
            sizes: Sequence[int] | None = None) -> SectionResult:  # fmt: skip
    runs = repeats or (1 if quick else 3)
    chosen = tuple(sizes or (QUICK_SIZES if quick else FULL_SIZES))
    result = SectionResult("batch", runs, {
        "flow": FLOW.name, "persona": PERSONA, "sizes": list(chosen)})  # fmt: skip
    rows = [run_size(count, runs, str(FLOW), PERSONA) for count in chosen]
    largest = rows[-1]
    for row in rows:
        n = int(row["count"])
        big = n == 5000
        result.add(f"seconds_{n}", f"{n:,} conversations: time", row["seconds"], "s",
                   Target("<=", MAX_SECONDS_AT_5000) if big else None)  # fmt: skip
        result.add(f"us_per_conversation_{n}", f"{n:,} conversations: time per conversation",
                   row["us_per_conversation"], "us")  # fmt: skip
        result.add(f"peak_mib_{n}", f"{n:,} conversations: peak memory", row["peak_mib"], "MiB",
                   Target("<=", MAX_PEAK_MIB_AT_5000) if big else None)  # fmt: skip
    if len(rows) >= 2:
        limit = Target("<=", math.log(SLACK) / math.log(largest["count"] / rows[-2]["count"]) + 1)
        result.add("time_growth", "time growth exponent, last two sizes (1 = linear)",
                   growth(rows, "seconds", 1e-3), "", limit)  # fmt: skip
        result.add("memory_growth", "added-memory growth exponent, last two sizes",
                   growth(rows, "added_mib", 1.0), "", limit)  # fmt: skip
    details: dict[str, Any] = {"sizes": rows}
    result.details = details
    result.notes.append("peak memory is the child's whole resident set (interpreter and "
                        "imports included); 'added_mib' in the JSON is what simulating added")
    return result
