"""Goals no customer can reach once conditions are followed: a default one is left out
with a warning, one the file names is an error at its line, in validate and in a run."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowbuilders import ask, build, end, intent
from loader_helpers import validated
from plugin_helpers import write

from pytest_persona.customers.goals import located
from pytest_persona.flow.loader import load_flow_text
from pytest_persona.flow.model import Goal
from pytest_persona.simulation import FlowPreparation, GoalUnreachable, simulate

pytest_plugins = ("pytester",)

# ``lookup`` sets the state it then branches on, so ``not_ready`` is linked to but
# never reached: a graph check passes it, a customer never gets there.
REFILL = """\
flow: refill
start: greet
intents:
  refill:
    examples: ["refill my prescription", "I need a refill", "repeat prescription please"]
steps:
  greet:
    say: "Hello, what can I do for you?"
    routes:
      - {intent: refill, goto: lookup}
  lookup:
    say: "Let me check."
    set: {state: "ready"}
    next:
      - {if: {state: "ready"}, goto: is_ready}
      - {goto: not_ready}
  is_ready:
    say: "It is ready to collect."
    end: completed
  not_ready:
    say: "It is still waiting for the doctor."
    end: completed
"""
NAMED_GOALS = REFILL + "goals:\n  - {end: is_ready}\n  - {end: not_ready}\n"


def test_a_default_goal_no_customer_reaches_is_left_out() -> None:
    flow = load_flow_text(REFILL, "refill.flow.yaml")
    assert flow.default_goals
    assert [g.end for g in flow.goals] == ["is_ready", "not_ready"]  # linked: both found
    assert FlowPreparation(flow).goals == (Goal("is_ready"),)
    result = simulate(flow, "plain", 10)
    assert {s.goal for s in result.summaries} == {"is_ready"}


def test_a_goal_the_file_names_and_no_customer_reaches_is_an_error_at_its_line() -> None:
    flow = load_flow_text(NAMED_GOALS, "refill.flow.yaml")
    assert not flow.default_goals
    with pytest.raises(GoalUnreachable) as caught:
        simulate(flow, "plain", 10)
    assert caught.value.key == "goals[1].end"
    line = NAMED_GOALS.splitlines().index("  - {end: not_ready}") + 1
    assert located(flow, caught.value) == (
        f"{line}:11: goals[1].end: goal 'not_ready': step 'lookup' always takes its branch "
        "to 'is_ready' before 'not_ready'"
    )


def test_validate_warns_of_a_default_goal_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "refill.flow.yaml"
    code, out = validated(path, REFILL, capsys)
    assert code == 0
    line = REFILL.splitlines().index("  not_ready:") + 3
    assert (
        f"{path}:{line}:10: warning: steps.not_ready.end: no customer can reach this step "
        "(step 'lookup' always takes its branch to 'is_ready' before 'not_ready'): "
        "it is left out of the default goals"
    ) in out
    assert "0 errors" in out


def test_validate_fails_a_flow_whose_named_goal_no_run_could_reach(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "refill.flow.yaml"
    code, out = validated(path, NAMED_GOALS, capsys)
    assert code == 1
    assert f"{path}:" in out and ": goals[1].end: goal 'not_ready': step 'lookup'" in out
    assert "1 error" in out


def test_validate_fails_a_flow_where_no_completed_step_is_ever_reached(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    never = REFILL.replace('{if: {state: "ready"}, goto: is_ready}', '{if: {state: "late"}, goto: '
                           "is_ready}").replace("goto: not_ready}", "goto: sorry}")
    never = never.replace("  not_ready:", "  sorry: {say: Sorry., end: abandoned}\n  not_ready:")
    path = tmp_path / "never.flow.yaml"
    code, out = validated(path, never, capsys)
    assert code == 1
    assert f"{path}:2:8: start: flow 'refill': no 'end: completed' step can be reached " \
        "('is_ready': step 'lookup' goes to 'is_ready' only if state is 'late', but state " \
        "is 'ready' (step 'lookup' sets it))" in out


def test_a_run_names_the_line_of_the_goal_to_fix(pytester: pytest.Pytester) -> None:
    write(pytester, "refill.flow.yaml", NAMED_GOALS)
    result = pytester.runpytest("--persona", "plain", "-p", "no:cacheprovider",
                                "--persona-no-history")  # fmt: skip
    line = NAMED_GOALS.splitlines().index("  - {end: not_ready}") + 1
    out = result.stdout.str()
    assert f"\nrefill.flow.yaml:{line}:11: goals[1].end: goal 'not_ready': step 'lookup'" in out
    assert "Traceback" not in out


def test_a_flow_with_no_completed_step_at_all_is_unreachable_not_a_crash() -> None:
    """An in-memory flow skips the loader's checks; the simulator still says why."""
    flow = build("greet", [ask("greet", "Hi", {"bye": "gone"}), end("gone", "Bye.", "abandoned")],
                 [intent("bye", "bye", "goodbye", "see you")])  # fmt: skip
    with pytest.raises(GoalUnreachable, match=r"no 'end: completed' step can be reached$"):
        simulate(flow, "plain", 5)
