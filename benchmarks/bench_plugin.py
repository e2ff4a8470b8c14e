"""What the pytest plugin costs on top of the simulations it runs, and how collection scales.

1. Overhead: ``pytest example_flows --persona-count 50`` against the same batches run
   through the Python API (load_flow + Simulator.batch), each in a fresh interpreter.
   The plugin's own cost is measured against pytest running those same API calls as
   ordinary test functions (one per flow and persona, the plugin off): both pay pytest's
   start-up with whatever plugins the environment has, the same assertion rewriting of
   pytest_persona's modules and the same simulations, so their difference is what the
   plugin adds. pytest's own cost (that baseline over the bare API run) is reported
   apart. Each pair runs as the environment is set (this one sets
   PYTHONDONTWRITEBYTECODE=1, so pytest rewrites and compiles every plugin package's
   modules in every session) and again with a bytecode cache, as a user's second run.
   The same again inside one warm process, where only the plugin and pytest's per-item
   work separate the two.
2. Collection: ``pytest --co`` over 1,000 flow files (copies of the examples in a
   temporary folder), with the collecting process's peak memory.

Run: ``python benchmarks/bench_plugin.py`` (``--quick`` for a small, fast run). Figures
are wall-clock medians; the machine's other load shows in them, so compare runs made
side by side rather than against numbers written down elsewhere.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pytest_persona.customers.personas import DEFAULT_PERSONAS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "example_flows"
PERSONAS = DEFAULT_PERSONAS  # what the plugin runs when --persona is not given

API_SCRIPT = """
import sys
from pytest_persona.customers.personas import get_persona
from pytest_persona.flow.loader import load_flow
from pytest_persona.simulation import Simulator
count = int(sys.argv[1])
for path in sys.argv[2:]:
    flow = load_flow(path)
    for name in {personas!r}:
        Simulator(flow, get_persona(name), 0).batch(count)
"""

COLLECT_SCRIPT = """
import resource, sys, time
import pytest
start = time.perf_counter()
code = pytest.main(["--co", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", sys.argv[1]])
elapsed = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"RESULT {{int(code)}} {{elapsed:.3f}} {{peak_kib}}")
"""


# The same simulations as API_SCRIPT, as pytest test functions: one per flow and persona,
# in the same order, each flow loaded once. Run with the plugin off.
TEST_SCRIPT = """
import functools
from pathlib import Path

import pytest

from pytest_persona.customers.personas import get_persona
from pytest_persona.flow.loader import load_flow
from pytest_persona.simulation import Simulator

COUNT = {count!r}
FLOWS = {names!r}


@functools.cache
def flow(name):
    return load_flow(Path(__file__).parent / name)


@pytest.mark.parametrize("persona", {personas!r})
@pytest.mark.parametrize("name", FLOWS)
def test_batch(name, persona):
    Simulator(flow(name), get_persona(persona), 0).batch(COUNT)
"""

def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False,
                          env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1, 5):  # 1: items failed their thresholds; 5: none collected
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}"
                           f"{done.stderr}")
    return elapsed


def overhead(flows: list[Path], count: int, repeats: int, workdir: Path) -> dict[str, float]:
    """Medians, in seconds, of each run named below, interleaved; keys end in ``_s``.

    ``api``: the simulations through the Python API. ``plugin``: pytest and the plugin.
    ``pytest_api``: pytest running the API calls as test functions, the plugin off.
    ``bare_pytest``: pytest collecting an empty folder, the plugin off. ``isolated_``:
    the same with every other installed pytest plugin off. ``cached_``: with a bytecode
    cache (warmed by one untimed run), where this environment writes none.
    """
    for flow in flows:
        shutil.copy(flow, workdir / flow.name)
    names = [flow.name for flow in flows]
    (workdir / "test_api_batches.py").write_text(
        TEST_SCRIPT.format(count=count, names=names, personas=PERSONAS), encoding="utf-8")
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    plugin = [*pytest, "--persona-no-history", "--persona-report", str(workdir / "r.html"),
              "--persona-count", str(count), *names]
    api = [sys.executable, "-c", API_SCRIPT.format(personas=PERSONAS), str(count), *names]
    pytest_api = [*pytest, "-p", "no:persona", "test_api_batches.py"]
    (workdir / "empty").mkdir(exist_ok=True)
    bare = [*pytest, "--co", "-p", "no:persona", "empty"]
    # Only the plugins named with -p load: what a project with no other plugin sees.
    alone = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    cached = {key: value for key, value in os.environ.items()
              if key != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")  # not in the repository
    runs: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "api_s": (api, None),
        "plugin_s": (plugin, None),
        "pytest_api_s": (pytest_api, None),
        "bare_pytest_s": (bare, None),
        "isolated_plugin_s": ([*plugin[:4], "-p", "pytest_persona.plugin", *plugin[4:]], alone),
        "isolated_pytest_api_s": (pytest_api, alone),
        "isolated_bare_pytest_s": ([*pytest, "--co", "empty"], alone),
        "cached_api_s": (api, cached),
        "cached_plugin_s": (plugin, cached),
        "cached_pytest_api_s": (pytest_api, cached),
    }
    for key in ("cached_api_s", "cached_plugin_s", "cached_pytest_api_s"):
        timed(runs[key][0], workdir, runs[key][1])  # fills the bytecode cache
    times: dict[str, list[float]] = {key: [] for key in runs}
    for _ in range(repeats):
        for key, (command, env) in runs.items():
            times[key].append(timed(command, workdir, env))
    found = {key: statistics.median(values) for key, values in times.items()}
    # What the plugin adds, paired run by run (each pair ran back to back, so the
    # machine's other load drifts less between its two halves than across the medians).
    for prefix in ("", "isolated_", "cached_"):
        pairs = zip(times[f"{prefix}plugin_s"], times[f"{prefix}pytest_api_s"], strict=True)
        found[f"{prefix}plugin_added_s"] = statistics.median(p - b for p, b in pairs)
    found["items"] = len(flows) * len(PERSONAS)
    found["conversations"] = len(flows) * len(PERSONAS) * count
    return found


def shares(found: dict[str, float], prefix: str = "") -> tuple[float, float]:
    """The plugin's own cost and pytest's, each as a share of the API run (in %)."""
    api = found.get(f"{prefix}api_s", found["api_s"])
    added, baseline = found[f"{prefix}plugin_added_s"], found[f"{prefix}pytest_api_s"]
    return added / api * 100, (baseline - api) / api * 100


def print_overhead(found: dict[str, float], flows: int, count: int, repeats: int) -> None:
    print(f"overhead: {flows} flows x {len(PERSONAS)} personas x {count} conversations "
          f"({found['items']:.0f} items), median of {repeats}")
    print(f"  python API, fresh interpreter          : {found['api_s']:6.2f} s")
    print(f"  pytest running the same API calls      : {found['pytest_api_s']:6.2f} s")
    print(f"  pytest + plugin                        : {found['plugin_s']:6.2f} s")
    print(f"  pytest start-up alone (--co, plugin off): {found['bare_pytest_s']:6.2f} s")
    for prefix, what in (("", "as set"), ("isolated_", "no other pytest plugin"),
                         ("cached_", "with a bytecode cache")):
        ours, theirs = shares(found, prefix)
        print(f"  {what:22s}: plugin over pytest running the API {ours:+.1f}%, "
              f"pytest running the API over the API {theirs:+.1f}%")


def warm_overhead(flows: list[Path], count: int, repeats: int, workdir: Path) -> dict[str, float]:
    """The same comparison inside one warm process: no start-up or import on either side."""
    import contextlib
    import io

    import pytest

    from pytest_persona.customers.personas import get_persona
    from pytest_persona.flow.loader import load_flow
    from pytest_persona.simulation import Simulator

    names = [flow.name for flow in flows]
    args = ["-q", "-p", "no:cacheprovider", "--persona-no-history", "--persona-report",
            str(workdir / "r.html"), "--persona-count", str(count), *names]

    def api() -> None:
        for name in names:
            flow = load_flow(workdir / name)
            for persona in PERSONAS:
                Simulator(flow, get_persona(persona), 0).batch(count)

    def plugin() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            pytest.main(args)

    here = Path.cwd()
    os.chdir(workdir)
    try:
        api()
        plugin()  # warm both: imports, caches
        api_times: list[float] = []
        plugin_times: list[float] = []
        for _ in range(repeats):
            for run, times in ((api, api_times), (plugin, plugin_times)):
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)
    finally:
        os.chdir(here)
    return {"api_s": statistics.median(api_times), "plugin_s": statistics.median(plugin_times)}


def print_warm(found: dict[str, float], repeats: int) -> None:
    api_s, plugin_s = found["api_s"], found["plugin_s"]
    print(f"  warm, in one process (median of {repeats}): API {api_s:.2f} s, "
          f"pytest.main {plugin_s:.2f} s, overhead {(plugin_s - api_s) / api_s:+.1%}")


def collection(files: int, workdir: Path) -> None:
    flows = sorted(EXAMPLES.glob("*.flow.yaml"))
    target = workdir / "many"
    for index in range(files):
        source = flows[index % len(flows)]
        folder = target / f"group{index // 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, folder / f"{index:04d}-{source.name}")
    command = [sys.executable, "-c", COLLECT_SCRIPT.format(), str(target)]
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"collection run failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    _, code, elapsed, peak_kib = line.split()
    items = files * len(PERSONAS)
    print(f"collection: {files} flow files -> {items} items, exit code {code}")
    print(f"  pytest.main(--co) wall time: {float(elapsed):.2f} s "
          f"({float(elapsed) / files * 1000:.2f} ms per file)")
    print(f"  peak memory of the collecting process: {int(peak_kib) / 1024:.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 flows, 10 conversations, "
                        "one repeat, 100 files")
    args = parser.parse_args(argv)
    flows = sorted(EXAMPLES.glob("*.flow.yaml"))
    if not flows:
        raise SystemExit(f"no example flows in {EXAMPLES}")
    with tempfile.TemporaryDirectory(prefix="bench-plugin-") as tmp:
        workdir = Path(tmp)
        if args.quick:
            print_overhead(overhead(flows[:2], 10, 1, workdir), 2, 10, 1)
            print_warm(warm_overhead(flows[:2], 10, 1, workdir), 1)
            collection(100, workdir)
        else:
            print_overhead(overhead(flows, 50, 3, workdir), len(flows), 50, 3)
            print_warm(warm_overhead(flows, 50, 5, workdir), 5)
            collection(1000, workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
