"""``--persona-compare-fail``, ``--persona-save`` and ``--persona-baseline`` in a session:
the item whose score fell fails like any test, with a sentence and no traceback."""

from __future__ import annotations

import pytest
from plugin_helpers import INSTANT, hopeless, junit_cases, write

from pytest_persona.history import HistoryStore

pytest_plugins = ("pytester",)

BASE = ("-p", "no:cacheprovider", "--persona-count", "2", "--persona", "impatient")
GATE = ("--persona-compare-fail", "completion:0.05")
# HOPELESS with limits it meets: completion 0% passes its thresholds, so only a gate fails it.
WORSE = hopeless(completion="{min: 0.0, warn: 0.0}")


def persona_run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*BASE, *args)


def test_a_score_that_fell_fails_the_item_with_a_plain_message(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "steady.flow.yaml", INSTANT)
    persona_run(pytester, *GATE).assert_outcomes(passed=2)  # a first run has nothing to fall from
    write(pytester, "a.flow.yaml", WORSE)
    fell = persona_run(pytester, *GATE, "--junitxml", "j.xml")
    fell.assert_outcomes(passed=1, failed=1)
    fell.stdout.fnmatch_lines([
        "*_ a.flow.yaml::impatient[[]2[]] _*",
        "regression: completion fell from 100% (2/2) to 0% (0/2), more than the allowed 0.05 "
        "(run 1, *)",
        "flow hopeless (a.flow.yaml), persona impatient, 2 conversations, seed 0",
    ])
    text = fell.stdout.str()
    assert "Traceback" not in text and "items.py" not in text and "PersonaFailed" not in text
    case = junit_cases(pytester.path / "j.xml")["a.flow.yaml::impatient[2]"]
    assert case["outcome"] == "failed" and case["status"] == "fail"
    assert case["regression"].startswith("completion fell from 100% (2/2) to 0% (0/2)")
    with HistoryStore.open(pytester.path / ".persona" / "history.db", create=False) as store:
        stored = {i.flow_path: i for i in store.items(2)}
    assert stored["a.flow.yaml"].status == "fail"
    assert stored["a.flow.yaml"].regressions[0].startswith("completion fell")
    assert stored["steady.flow.yaml"].status == "pass"
    # Against the run before, the same bad flow did not fall again; a better one rose.
    persona_run(pytester, *GATE).assert_outcomes(passed=2)
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester, *GATE).assert_outcomes(passed=2)


def test_a_drop_within_the_allowance_passes(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester).assert_outcomes(passed=1)
    write(pytester, "a.flow.yaml", WORSE)
    persona_run(pytester, "--persona-compare-fail", "completion:100%").assert_outcomes(passed=1)
    # Without any gate, a fall is shown in the change column but fails nothing.
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester)
    write(pytester, "a.flow.yaml", WORSE)
    persona_run(pytester).assert_outcomes(passed=1)


def test_a_saved_baseline_is_what_the_gate_compares_with(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester, "--persona-save", "release").assert_outcomes(passed=1)
    write(pytester, "a.flow.yaml", WORSE)
    persona_run(pytester).assert_outcomes(passed=1)
    # The previous run was already this bad; the baseline was not.
    persona_run(pytester, *GATE).assert_outcomes(passed=1)
    against = persona_run(pytester, *GATE, "--persona-baseline", "release")
    against.assert_outcomes(failed=1)
    against.stdout.fnmatch_lines(["regression: completion fell from 100% (2/2) to 0% (0/2)*"
                                  "(baseline 'release': run 1, *)"])


def test_the_gate_compares_only_runs_of_the_same_seed(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester, "--persona-save", "release").assert_outcomes(passed=1)
    write(pytester, "a.flow.yaml", WORSE)
    # Another seed's customers are other customers: nothing to fall from.
    persona_run(pytester, *GATE, "--persona-seed", "5").assert_outcomes(passed=1)
    persona_run(pytester, *GATE).assert_outcomes(failed=1)  # against the seed-0 run
    against = persona_run(pytester, *GATE, "--persona-seed", "5", "--persona-baseline", "release")
    against.assert_outcomes(passed=1)
    warnings = [line for line in against.outlines if "baseline 'release'" in line]
    assert warnings == ["pytest-persona: baseline 'release' ran with seed 0, this session with "
                        "seed 5; scores of two seeds differ by chance, so they are not compared "
                        "(run with --persona-seed 0 to compare); comparing against nothing"]
    pytester.makeini("[pytest]\npersona_baseline_missing = fail\n")
    fatal = persona_run(pytester, *GATE, "--persona-seed", "5", "--persona-baseline", "release")
    assert fatal.ret == pytest.ExitCode.USAGE_ERROR
    fatal.stderr.fnmatch_lines(["ERROR: pytest-persona: baseline 'release' ran with seed 0*"])


def test_gates_with_no_earlier_run_of_the_seed_say_so_once(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", INSTANT)
    persona_run(pytester).assert_outcomes(passed=2)
    write(pytester, "c.flow.yaml", INSTANT)  # no earlier run at all: a first run, no warning
    write(pytester, "a.flow.yaml", WORSE)
    result = persona_run(pytester, *GATE, "--persona-seed", "5")
    result.assert_outcomes(passed=3)
    warnings = [line for line in result.outlines if "--persona-compare-fail" in line]
    assert warnings == ["pytest-persona: --persona-compare-fail: 2 of 3 items have no earlier "
                        "run of seed 5 to compare with (only of seed 0); scores of two seeds "
                        "differ by chance, so they are not compared (run with --persona-seed 0 "
                        "to compare); their gates checked nothing"]
    # Without a gate there is nothing to warn about; with a run of the seed, nothing either.
    assert "--persona-compare-fail" not in persona_run(pytester, "--persona-seed", "6").stdout.str()
    again = persona_run(pytester, *GATE, "--persona-seed", "5")
    assert "--persona-compare-fail" not in again.stdout.str()


def test_a_baseline_with_history_off_is_one_message(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    result = persona_run(pytester, "--persona-baseline", "nosuch", "--persona-no-history")
    result.assert_outcomes(passed=1)
    warnings = [line for line in result.outlines if "baseline 'nosuch'" in line]
    assert warnings == ["pytest-persona: baseline 'nosuch' not read: history is off "
                        "(--persona-no-history); comparing against nothing"]


def test_a_missing_baseline_warns_by_default(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    persona_run(pytester, "--persona-save", "release")
    result = persona_run(pytester, *GATE, "--persona-baseline", "nightly")
    result.assert_outcomes(passed=1)
    warnings = [line for line in result.outlines if "baseline 'nightly'" in line]
    assert len(warnings) == 1
    assert warnings[0].startswith("pytest-persona: baseline 'nightly' is not in ")
    assert "saved baselines: release" in warnings[0]


def test_a_missing_baseline_is_a_usage_error_when_the_ini_says_fail(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    pytester.makeini("[pytest]\npersona_baseline_missing = fail\n")
    result = persona_run(pytester, *GATE, "--persona-baseline", "nightly")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: pytest-persona: baseline 'nightly' is not in *"
                                 "(no baseline saved yet)*persona_baseline_missing = fail*"])
    assert not (pytester.path / ".persona").exists()


def test_gates_with_history_off_say_they_check_nothing(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    result = persona_run(pytester, *GATE, "--persona-no-history")
    result.assert_outcomes(passed=1)
    warnings = [line for line in result.outlines if "--persona-compare-fail" in line]
    assert warnings == ["pytest-persona: --persona-compare-fail: history is off "
                        "(--persona-no-history), so there is no earlier run to compare with; "
                        "the gates checked nothing"]
