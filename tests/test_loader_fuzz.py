"""Mutated flows reach the loader: only FlowError may come out, always located.

Sources: the fixture flows in tests/flows and, when present, the example flows in
example_flows/. Mutations act on the parsed structure (delete a key, change a value's
type, rename a name or a reference) and on the raw text (truncate, insert random bytes,
replace a character, drop or repeat a line).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_persona.flow.errors import FlowError
from pytest_persona.flow.lint import next_loops, reachable_steps
from pytest_persona.flow.loader import check_flow_bytes, load_flow_text
from pytest_persona.flow.model import Flow
from pytest_persona.flow.patterns import pattern_problem

ROOT = Path(__file__).parent.parent
SOURCES = sorted((ROOT / "tests" / "flows").glob("*.yaml")) + sorted(
    (ROOT / "example_flows").glob("*.flow.yaml")
)
TEXTS = [path.read_text(encoding="utf-8") for path in SOURCES]
TREES = [yaml.safe_load(text) for text in TEXTS]
NAME = "fuzz.flow.yaml"
ODD_VALUES: list[Any] = [None, True, False, 0, -1, 1.5, 1e308, "", "x", [], {}, ["a"], {"a": 1}]
FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Path_ = tuple[Any, ...]


def test_there_are_sources_and_they_load() -> None:
    assert len(SOURCES) >= 2
    for text in TEXTS:
        assert isinstance(load_flow_text(text, NAME), Flow)


def only_flow_errors(call: Any) -> None:
    """Run ``call``: a Flow, or a FlowError whose every diagnostic is located in the file."""
    try:
        result = call()
    except FlowError as error:
        assert error.diagnostics
        for diagnostic in error.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.col >= 1
            assert diagnostic.severity == "error"
            assert str(diagnostic).startswith(f"{NAME}:{diagnostic.line}:{diagnostic.col}: ")
        return
    assert isinstance(result, Flow)
    assert_consistent(result)


def assert_consistent(flow: Flow) -> None:
    """What a loaded flow promises everything downstream: no dangling name, no dead end."""
    steps, intents, slots = flow.steps, flow.intents, flow.slots
    assert flow.start in steps
    for step in steps.values():
        assert {r.intent for r in step.routes} <= set(intents)
        assert {r.goto for r in step.routes} | {b.goto for b in step.next} <= set(steps)
        assert step.on_exhausted is None or step.on_exhausted in steps
        assert set(step.buttons.values()) <= set(intents)
        assert bool(step.routes) == (step.kind == "routes")
        assert (step.collect is not None) == (step.kind == "collect")
        assert bool(step.next) == (step.kind in ("collect", "next"))
        assert (step.end is not None) == (step.kind == "end")
        if step.collect is not None:
            assert step.collect in slots
        if step.next:
            assert not step.next[-1].when and all(b.when for b in step.next[:-1])
    reachable = reachable_steps(flow)
    assert flow.goals
    for goal in flow.goals:
        assert goal.end in reachable and steps[goal.end].end == "completed"
        assert set(goal.slots) <= set(slots)
    assert next_loops(flow) == []
    for slot in slots.values():
        assert slot.pattern is None or pattern_problem(slot.pattern) is None


def paths_in(tree: Any, prefix: Path_ = ()) -> list[Path_]:
    found = [prefix] if prefix else []
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += paths_in(value, (*prefix, index))
    return found


def parent_of(tree: Any, path: Path_) -> Any:
    for part in path[:-1]:
        tree = tree[part]
    return tree


def mutate_tree(tree: Any, data: st.DataObject) -> Any:
    tree = copy.deepcopy(tree)
    paths = paths_in(tree)
    path = data.draw(st.sampled_from(paths), label="path")
    parent, last = parent_of(tree, path), path[-1]
    kind = data.draw(st.sampled_from(["delete", "retype", "rename_value", "rename_key"]))
    if kind == "delete":
        del parent[last]
    elif kind == "retype":
        parent[last] = data.draw(st.sampled_from(ODD_VALUES), label="value")
    elif kind == "rename_value" and isinstance(parent[last], str):
        parent[last] = misspell(parent[last], data)
    elif kind == "rename_key" and isinstance(parent, dict):
        value = parent.pop(last)
        parent[misspell(str(last), data)] = value
    return tree


def misspell(word: str, data: st.DataObject) -> str:
    if not word:
        return "x"
    index = data.draw(st.integers(0, len(word) - 1), label="at")
    how = data.draw(st.sampled_from(["drop", "double", "swap", "append"]))
    if how == "drop":
        return word[:index] + word[index + 1 :]
    if how == "double":
        return word[:index] + word[index] * 2 + word[index + 1 :]
    if how == "swap" and index + 1 < len(word):
        return word[:index] + word[index + 1] + word[index] + word[index + 2 :]
    return word + "x"


@FUZZ
@given(data=st.data())
def test_structural_mutations_raise_only_flow_errors(data: st.DataObject) -> None:
    tree = data.draw(st.sampled_from(TREES), label="source")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        if not paths_in(tree):
            break
        tree = mutate_tree(tree, data)
    text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True)
    only_flow_errors(lambda: load_flow_text(text, NAME))


@FUZZ
@given(data=st.data())
def test_text_mutations_raise_only_flow_errors(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(TEXTS), label="source")
    kind = data.draw(st.sampled_from(["truncate", "replace", "drop_line", "repeat_line", "indent"]))
    at = data.draw(st.integers(0, len(text)), label="at")
    lines = text.splitlines(keepends=True)
    line = min(at * len(lines) // max(len(text), 1), len(lines) - 1)
    if kind == "truncate":
        text = text[:at]
    elif kind == "replace":
        text = text[:at] + data.draw(st.text(min_size=1, max_size=3), label="new") + text[at + 1 :]
    elif kind == "drop_line":
        text = "".join(lines[:line] + lines[line + 1 :])
    elif kind == "repeat_line":
        text = "".join(lines[: line + 1] + lines[line:])
    else:
        text = "".join([*lines[:line], "  " + lines[line], *lines[line + 1 :]])
    only_flow_errors(lambda: load_flow_text(text, NAME))


@FUZZ
@given(data=st.data())
def test_random_bytes_raise_only_flow_errors(data: st.DataObject) -> None:
    raw = data.draw(st.sampled_from(TEXTS), label="source").encode("utf-8")
    at = data.draw(st.integers(0, len(raw)), label="at")
    junk = data.draw(st.binary(min_size=1, max_size=8), label="junk")
    only_flow_errors(lambda: _loaded_bytes(raw[:at] + junk + raw[at:]))


def _loaded_bytes(data: bytes) -> Flow:
    flow, diagnostics = check_flow_bytes(data, NAME)
    if flow is None:
        raise FlowError([d for d in diagnostics if d.severity == "error"])
    return flow
