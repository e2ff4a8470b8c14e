"""What the pytest plugin costs on top of the simulations it runs, and how collection scales.

1. Overhead: ``pytest example_flows --persona-count 50`` against the same batches run
   through the Python API (load_flow + Simulator.batch), each in a fresh interpreter so
   both pay for start-up and imports; the difference is what pytest and the plugin add.
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
    """Medians, in seconds: the plugin run, the API run, and pytest's bare start-up; and
    the same pytest runs with every other installed pytest plugin off ("isolated_")."""
    for flow in flows:
        shutil.copy(flow, workdir / flow.name)
    names = [flow.name for flow in flows]
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    plugin = [*pytest, "--persona-no-history", "--persona-report", str(workdir / "r.html"),
              "--persona-count", str(count), *names]
    api = [sys.executable, "-c", API_SCRIPT.format(personas=PERSONAS), str(count), *names]
    (workdir / "empty").mkdir(exist_ok=True)
    bare = [*pytest, "--co", "-p", "no:persona", "empty"]
    # Only the plugins named with -p load: what a project with no other plugin sees.
    alone = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    runs: dict[str, tuple[list[str], dict[str, str] | None]] = {
        "api_s": (api, None),
        "plugin_s": (plugin, None),
        "bare_pytest_s": (bare, None),
        "isolated_plugin_s": ([*plugin[:4], "-p", "pytest_persona.plugin", *plugin[4:]], alone),
        "isolated_bare_pytest_s": ([*pytest, "--co", "empty"], alone),
    }
    times: dict[str, list[float]] = {key: [] for key in runs}
    for _ in range(repeats):
        for key, (command, env) in runs.items():
            times[key].append(timed(command, workdir, env))
    found = {key: statistics.median(values) for key, values in times.items()}
    found["items"] = len(flows) * len(PERSONAS)
    found["conversations"] = len(flows) * len(PERSONAS) * count
    return found


def print_overhead(found: dict[str, float], flows: int, count: int, repeats: int) -> None:
    plugin_s, api_s, bare_s = found["plugin_s"], found["api_s"], found["bare_pytest_s"]
    print(f"overhead: {flows} flows x {len(PERSONAS)} personas x {count} conversations "
          f"({found['items']:.0f} items), median of {repeats}")
    print(f"  python API, fresh interpreter : {api_s:6.2f} s")
    print(f"  pytest + plugin               : {plugin_s:6.2f} s")
    print(f"  pytest start-up alone (--co, plugin off): {bare_s:6.2f} s")
    print(f"  with no other pytest plugin: {found['isolated_plugin_s']:6.2f} s, start-up alone "
          f"{found['isolated_bare_pytest_s']:6.2f} s")
    added = plugin_s - api_s
    print(f"  added by pytest and the plugin: {added:+.2f} s ({added / api_s:+.1%} of the API "
          f"run); less pytest's own start-up: {added - bare_s:+.2f} s "
          f"({(added - bare_s) / api_s:+.1%})")


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
