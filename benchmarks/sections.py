"""The matcher, customers, plugin and history sections: measurements against their targets.

Each function runs one section at full or ``quick`` (tiny) size and returns its
figures; the measuring itself lives in the per-part scripts beside this file.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ALL_PERSONAS,
    SectionResult,
    Target,
    example_flow_paths,
    median,
)

MATCHER_MAX_RATIO = 3.0
CONVERSATIONS_PER_SECOND = 2000.0
PLUGIN_MAX_OVERHEAD = 10.0  # percent
HISTORY_MAX_SECONDS = 1.0


def matcher(quick: bool, repeats: int | None) -> SectionResult:
    from benchmarks import reply_cost

    paths = example_flow_paths()
    runs = repeats or (3 if quick else 7)
    per_persona = 3 if quick else 20
    chosen = paths[:2] if quick else paths
    found = reply_cost.measure(chosen, per_persona, runs)
    result = SectionResult("matcher", runs, {
        "flows": [p.name for p in chosen], "customers_per_persona": per_persona,
        "personas": list(ALL_PERSONAS)})  # fmt: skip
    result.add("reply_over_bare", "reply() / bare rapidfuzz calls (sum over replies)",
               found["ratio_total"], "x", Target("<=", MATCHER_MAX_RATIO))  # fmt: skip
    result.add("reply_over_bare_median", "reply() / bare rapidfuzz, median reply",
               found["ratio_median"], "x")  # fmt: skip
    result.add("reply_over_bare_p90", "reply() / bare rapidfuzz, 90th percentile",
               found["ratio_p90"], "x")  # fmt: skip
    result.add("match_over_bare", "match() alone / bare rapidfuzz", found["match_ratio_total"],
               "x")
    result.add("reply_us", "reply(), median of all typed replies", found["reply_us_median"], "us")
    result.add("bare_us", "bare rapidfuzz calls, mean per reply", found["bare_us_mean"], "us")
    result.details = found
    result.notes.append(
        f"{found['replies']} typed replies of simulated customers, "
        f"{found['replies_reaching_rapidfuzz']} reaching rapidfuzz; warm caches; "
        "each reply timed as the median of the repeats")
    return result


def customers(quick: bool, repeats: int | None) -> SectionResult:
    from benchmarks.profile_split import combined, profiled, split
    from pytest_persona.customers.personas import Persona, get_persona
    from pytest_persona.flow.loader import load_flow
    from pytest_persona.simulation import Simulator, clear_shared_caches

    runs = repeats or (1 if quick else 5)
    count = 5 if quick else 200
    profiled_count = 5 if quick else 50
    flows = [load_flow(path) for path in example_flow_paths()]
    result = SectionResult("customers", runs, {
        "flows": len(flows), "conversations_per_flow": count, "seed": 0,
        "profiled_conversations_per_flow": profiled_count})  # fmt: skip
    rates: dict[str, dict[str, float]] = {}
    for name in ALL_PERSONAS:
        persona = get_persona(name)
        whole: list[float] = []
        setup: list[float] = []
        for _ in range(runs):
            clear_shared_caches()  # every timed run starts cold, as the first one does
            made = spent = 0.0
            for flow in flows:
                began = time.perf_counter()
                simulator = Simulator(flow, persona, 0)
                built = time.perf_counter()
                simulator.batch(count)
                made += built - began
                spent += time.perf_counter() - built
            whole.append(made + spent)
            setup.append(made)
        conversations = count * len(flows)
        rates[name] = {
            "conversations_per_second": conversations / median(whole),
            "steady_conversations_per_second": conversations / (median(whole) - median(setup)),
            "setup_ms_per_flow": median(setup) / len(flows) * 1000,
        }
        result.add(f"rate_{name}", f"{name}: conversations per second (one core)",
                   rates[name]["conversations_per_second"], "conv/s",
                   Target(">=", CONVERSATIONS_PER_SECOND))  # fmt: skip

    per_persona: dict[str, Any] = {}
    profiles = []
    for name in ALL_PERSONAS:
        persona = get_persona(name)

        def batches(persona: Persona = persona) -> None:
            for flow in flows:
                Simulator(flow, persona, 0).batch(profiled_count)

        stats = profiled(batches)
        profiles.append(stats)
        per_persona[name] = split(stats, top=8)
    overall = split(combined(profiles), top=12)
    for part, share in overall["shares"].items():
        result.add(f"share_{part.replace(' ', '_')}", f"profile share: {part}", share * 100, "pct")
    result.details = {"rates": rates, "profile": overall, "profile_per_persona": per_persona}
    result.notes.append(
        "rate = conversations / (building the Simulator + batch(count)), per flow, summed "
        "over the example flows; 'steady' in the JSON leaves the building out")
    return result


def plugin(quick: bool, repeats: int | None) -> SectionResult:
    from benchmarks import bench_plugin

    runs = repeats or (1 if quick else 5)
    count = 10 if quick else 50
    paths = example_flow_paths()
    chosen = paths[:2] if quick else paths
    with tempfile.TemporaryDirectory(prefix="bench-plugin-") as tmp:
        found = bench_plugin.overhead(chosen, count, runs, Path(tmp))
        warm = bench_plugin.warm_overhead(chosen, count, runs, Path(tmp))
    api, plugin_s = found["api_s"], found["plugin_s"]
    result = SectionResult("plugin", runs, {
        "flows": [p.name for p in chosen], "count": count,
        "personas": list(bench_plugin.PERSONAS)})  # fmt: skip
    limit = Target("<=", PLUGIN_MAX_OVERHEAD)
    ours, pytest_cost = bench_plugin.shares(found)
    alone, alone_pytest = bench_plugin.shares(found, "isolated_")
    cached, cached_pytest = bench_plugin.shares(found, "cached_")
    result.add("plugin_overhead_pct", "plugin: pytest+plugin over pytest running the API",
               ours, "%", limit)  # fmt: skip
    result.add("isolated_plugin_overhead_pct", "same, no other pytest plugin installed",
               alone, "%", limit)  # fmt: skip
    result.add("cached_plugin_overhead_pct", "same, with a bytecode cache", cached, "%")
    result.add("pytest_cost_pct", "pytest: pytest running the API over the API", pytest_cost,
               "%")
    result.add("isolated_pytest_cost_pct", "same, no other pytest plugin installed",
               alone_pytest, "%")  # fmt: skip
    result.add("cached_pytest_cost_pct", "same, with a bytecode cache", cached_pytest, "%")
    result.add("overhead_pct", "pytest + plugin over the API (both of the above)",
               (plugin_s - api) / api * 100, "%")  # fmt: skip
    result.add("warm_overhead_pct", "pytest.main over API, one warm process",
               (warm["plugin_s"] - warm["api_s"]) / warm["api_s"] * 100, "%")  # fmt: skip
    result.add("plugin_s", "pytest example_flows --persona-count N", plugin_s, "s")
    result.add("pytest_api_s", "pytest running the same API calls, plugin off",
               found["pytest_api_s"], "s")  # fmt: skip
    result.add("api_s", "same simulations, Python API, fresh interpreter", api, "s")
    result.add("bare_pytest_s", "pytest's bare start-up (--co, empty dir, plugin off)",
               found["bare_pytest_s"], "s")  # fmt: skip
    result.add("isolated_bare_pytest_s", "pytest's bare start-up, no plugin installed",
               found["isolated_bare_pytest_s"], "s")  # fmt: skip
    result.notes.append(
        "plugin overhead = (pytest + plugin) - (pytest running the same load_flow + "
        "Simulator.batch calls as 24 test functions, plugin off), paired run by run, as a "
        "share of the API run in a fresh interpreter; pytest cost = that baseline over the "
        "API run. 'no other pytest plugin': PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 (-p "
        "pytest_persona.plugin for the plugin run); this environment also has hypothesis, "
        "pytest-benchmark and pytest-xdist installed, whose plugins load in every pytest "
        "run. 'bytecode cache': PYTHONDONTWRITEBYTECODE unset and PYTHONPYCACHEPREFIX in a "
        "temporary folder, warmed by one run: without it pytest assertion-rewrites and "
        "compiles every module of every installed plugin package in every session")
    result.details = {"fresh": found, "warm": warm}
    return result


def history(quick: bool, repeats: int | None) -> SectionResult:
    from benchmarks import bench_history

    runs = repeats or (3 if quick else 7)
    stored = 300 if quick else 10_000
    found = bench_history.measure(stored, runs)
    result = SectionResult("history", runs, {"stored_runs": stored, "items_per_run": 200})
    limit = Target("<=", HISTORY_MAX_SECONDS)
    result.add("write_200_items_s", "write one run of 200 items", found["write_200_items_s"],
               "s", limit)
    result.add("previous_200_items_s", "previous result of each of 200 items",
               found["previous_200_items_s"], "s", limit)  # fmt: skip
    result.add("history_one_flow_s", "history table of one flow (last 10 runs)",
               found["history_one_flow_s"], "s", limit)  # fmt: skip
    result.add("html_report_s", "HTML report of the latest run with trends",
               found["html_report_s"], "s", limit)  # fmt: skip
    result.details = found
    return result
