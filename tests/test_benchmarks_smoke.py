"""The benchmark suite still runs: its entry point, a generated flow, the JSON it writes.

Timings are never asserted (they depend on the machine); the shape of the output is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pytest_persona.flow.loader import check_flow_text

ROOT = Path(__file__).resolve().parent.parent
# Only for this import: left on sys.path, the repo root would show importlib.metadata its
# (ignored) pytest_persona.egg-info, and later pytester runs would warn that pytest_persona
# was imported before it could be rewritten.
sys.path.insert(0, str(ROOT))
try:
    from benchmarks.scale import (
        MAX_STEPS,
        MIN_STEPS,
        flow_text,
        generated_flow,
        load_examples,
        size_of,
    )
finally:
    sys.path.remove(str(ROOT))

FIGURE_KEYS = {"label", "value", "unit", "target", "passed"}


@pytest.fixture(scope="module")
def quick_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "matcher", "batch", "--quick", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "matcher (median of" in done.stdout  # the table was printed
    return out


@pytest.fixture(scope="module")
def quick_run(quick_json: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(quick_json.read_text(encoding="utf-8"))
    return loaded


def test_quick_run_writes_the_machine_and_the_chosen_sections(
    quick_run: dict[str, object],
) -> None:
    assert quick_run["quick"] is True
    machine = quick_run["machine"]
    assert isinstance(machine, dict)
    assert {"cpu", "cores", "python", "platform"} <= machine.keys()
    sections = quick_run["sections"]
    assert isinstance(sections, dict)
    assert set(sections) == {"matcher", "batch"}
    assert isinstance(quick_run["missed"], list)


def test_every_figure_has_a_value_a_unit_and_its_target(quick_run: dict[str, object]) -> None:
    sections = quick_run["sections"]
    assert isinstance(sections, dict)
    for name, section in sections.items():
        assert {"repeats", "params", "figures", "details"} <= section.keys(), name
        assert section["figures"], name
        for key, figure in section["figures"].items():
            assert set(figure) == FIGURE_KEYS, key
            assert isinstance(figure["value"], (int, float)), key
            if figure["target"] is None:
                assert figure["passed"] is None, key
            else:
                assert isinstance(figure["passed"], bool), key


def test_the_sections_measure_what_they_say(quick_run: dict[str, object]) -> None:
    sections = quick_run["sections"]
    assert isinstance(sections, dict)
    matcher = sections["matcher"]["figures"]
    assert matcher["reply_over_bare"]["target"] == {"op": "<=", "bound": 3.0}
    assert matcher["reply_over_bare"]["value"] > 0
    batch = sections["batch"]
    assert batch["params"]["sizes"] == [10, 50]
    assert {"seconds_10", "seconds_50", "peak_mib_10", "peak_mib_50", "time_growth",
            "memory_growth"} <= batch["figures"].keys()  # fmt: skip
    assert [row["count"] for row in batch["details"]["sizes"]] == [10, 50]


def test_a_results_file_renders_as_a_markdown_table(quick_json: Path) -> None:
    command = [sys.executable, "-m", "benchmarks", "--markdown-from", str(quick_json)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("quick run of ")
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert rows[0].split("|")[1].strip() == "section"
    assert any("reply() / bare rapidfuzz" in row for row in rows)


def test_an_unknown_section_is_a_usage_error() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "no-such-section"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert "unknown section" in done.stderr


@pytest.mark.parametrize("steps", [MIN_STEPS, 11, 57, MAX_STEPS])
def test_generated_flows_have_the_steps_asked_for_and_load(steps: int) -> None:
    for base in load_examples():
        data = generated_flow(base, steps, seed=steps)
        assert len(data["steps"]) == steps
        text = flow_text(data)
        assert "&id" not in text  # no YAML anchors: each value written out
        flow, diagnostics = check_flow_text(text, f"{base['flow']}.flow.yaml")
        errors = [str(d) for d in diagnostics if d.severity == "error"]
        assert flow is not None, errors
        assert len(flow.steps) == steps
        assert flow.goals  # at least one reachable completed end


def test_generation_is_repeatable_and_varies_with_the_seed() -> None:
    base = load_examples()[0]
    first = flow_text(generated_flow(base, 80, seed=3))
    assert first == flow_text(generated_flow(base, 80, seed=3))
    assert first != flow_text(generated_flow(base, 80, seed=4))
    assert yaml.safe_load(first)["intents"] == base["intents"]


def test_file_sizes_cover_the_range() -> None:
    sizes = [size_of(i, 1000) for i in range(1000)]
    assert min(sizes) == MIN_STEPS
    assert max(sizes) == MAX_STEPS
    assert len(set(sizes)) > 150


@pytest.mark.parametrize(
    "command",
    [
        ["benchmarks/bench_matcher.py", "--quick"],
        ["benchmarks/bench_engine.py", "--quick"],
        ["benchmarks/bench_customers.py", "--quick"],
        ["-m", "benchmarks.reply_cost", "--quick"],
    ],
    ids=["bench_matcher", "bench_engine", "bench_customers", "reply_cost"],
)
def test_the_per_part_scripts_still_run_alone(command: list[str]) -> None:
    """They reach into the matcher's internals, which speed work renames."""
    done = subprocess.run(
        [sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
