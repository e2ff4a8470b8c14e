"""Pass, warn and fail: threshold precedence, the failure report, amber warnings,
the summary table, JUnit properties and goals no customer can reach."""

from __future__ import annotations

import re
from typing import Any

import pytest
from plugin_helpers import INSTANT, UNREACHABLE, hopeless, junit_cases, strip_ansi, write

from pytest_persona import cli
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.model import Flow

pytest_plugins = ("pytester",)

TWO = ("--persona", "impatient,elderly", "-p", "no:cacheprovider")


def call_outcomes(pytester: pytest.Pytester, *args: str) -> dict[str, str]:
    """Each item's outcome (its name, e.g. ``impatient[10]``), from an in-process run."""
    recorder = pytester.inline_run(*args)
    reports = recorder.getreports("pytest_runtest_logreport")
    return {r.nodeid.split("::")[-1]: r.outcome for r in reports if r.when == "call"}


@pytest.mark.parametrize(
    ("flow", "args", "ini", "impatient", "elderly"),
    [
        pytest.param(hopeless(), [], None, "failed", "failed", id="default-limit"),
        pytest.param(hopeless(), [], "0", "passed", "passed", id="ini"),
        pytest.param(hopeless(), ["0.5"], "0", "failed", "failed", id="cli-over-ini"),
        pytest.param(hopeless(), ["0"], "0.5", "passed", "passed", id="cli-over-ini-2"),
        pytest.param(hopeless("0"), ["0.5"], "0.5", "passed", "passed", id="flow-over-cli"),
        pytest.param(hopeless("0.5"), ["0"], "0", "failed", "failed", id="flow-over-cli-2"),
        pytest.param(hopeless("0", "0.5"), [], None, "failed", "passed", id="persona-over-flow"),
        pytest.param(hopeless("0.5", "0"), [], None, "passed", "failed", id="persona-over-flow-2"),
    ],
)
def test_threshold_precedence(
    pytester: pytest.Pytester, flow: str, args: list[str], ini: str | None,
    impatient: str, elderly: str,
) -> None:
    write(pytester, "hopeless.flow.yaml", flow)
    if ini is not None:
        pytester.makeini(f"[pytest]\npersona_min_completion = {ini}\n")
    cli_args = [arg for value in args for arg in ("--persona-min-completion", value)]
    outcomes = call_outcomes(pytester, *TWO, *cli_args)
    assert outcomes == {"impatient[10]": impatient, "elderly[10]": elderly}


def test_failing_flow_shows_the_report_and_replay_works(
    pytester: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    write(pytester, "hopeless.flow.yaml", hopeless())
    write(pytester, "instant.flow.yaml", INSTANT)
    result = pytester.runpytest("--persona", "impatient", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*_ hopeless.flow.yaml::impatient[[]10[]] _*",
        "completion 0% 0/10 misses its limit >= 0.75",
        "flow hopeless (hopeless.flow.yaml), persona impatient, 10 conversations, seed 0",
        "score *value *95% interval *needs",
        "completion *0% 0/10 *0%-28% *>= 0.75 (warn 0.9) *RED",
        "fallback rate *100% 10/10 *<= 1 (warn 1) *green",
        "outcomes: 0 completed, * stuck, 0 misrouted",
        "stopped at step 'ask': * of 10 unfinished conversations",
        "shortest failing conversations:",
        "conversation * (impatient, seed 0): goal done, *",
        "*replay: pytest-persona replay hopeless.flow.yaml --persona impatient "
        "--conversation * --seed 0",
    ])
    output = result.stdout.str()
    assert "Traceback" not in output and "items.py" not in output
    # The first transcript, as printed, is exactly what its replay command prints.
    lines = result.outlines
    start = next(i for i, line in enumerate(lines) if line.startswith("conversation "))
    end = next(i for i in range(start, len(lines)) if "replay: pytest-persona" in lines[i])
    command = lines[end].split("replay: pytest-persona ", 1)[1].split()
    capsys.readouterr()
    assert cli.main(command) == 0
    assert capsys.readouterr().out.strip() == "\n".join(lines[start:end + 1]).strip()


def test_amber_score_warns_and_passes(pytester: pytest.Pytester) -> None:
    write(pytester, "hopeless.flow.yaml", hopeless())
    pytester.makeini("[pytest]\npersona_min_completion = 0\n")
    result = pytester.runpytest("--persona", "impatient", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines([
        "  hopeless.flow.yaml:1: PersonaScoreWarning: hopeless / impatient[[]10[]]: completion "
        "0% 0/10 is amber: below the warn level 0.9 (fails at 0)",
    ])

    strict = pytester.runpytest("--persona", "impatient", "-p", "no:cacheprovider",
                                "-W", "error::pytest_persona.items.PersonaScoreWarning")
    assert strict.ret == pytest.ExitCode.TESTS_FAILED
    strict.stdout.fnmatch_lines(["hopeless / impatient[[]10[]]: completion 0% 0/10 is amber*"])
    assert "Traceback" not in strict.stdout.str()


def test_amber_warning_points_at_the_flow_threshold(pytester: pytest.Pytester) -> None:
    write(pytester, "hopeless.flow.yaml", hopeless("{min: 0, warn: 0.5}"))
    result = pytester.runpytest("--persona", "impatient", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, warnings=1)
    line = hopeless("{min: 0, warn: 0.5}").splitlines().index("  completion: {min: 0, warn: 0.5}")
    result.stdout.fnmatch_lines([f"  hopeless.flow.yaml:{line + 1}: PersonaScoreWarning: *"
                                 "below the warn level 0.5 (fails at 0)"])


def test_summary_table_after_the_run(pytester: pytest.Pytester) -> None:
    write(pytester, "hopeless.flow.yaml", hopeless())
    write(pytester, "instant.flow.yaml", INSTANT)
    result = pytester.runpytest(*TWO, "--color=no")
    result.stdout.fnmatch_lines([
        "*= persona scores: 2 pass, 2 fail =*",
        "flow *persona *n *completion *fallback rate *off-topic recovery *status",
        "hopeless.flow.yaml *impatient *10 *0% 0/10 *100% 10/10 * FAIL",
        "hopeless.flow.yaml *elderly *10 *0% 0/10 *100% 10/10 * FAIL",
        "instant.flow.yaml *impatient *10 *100% 10/10 *0% 0/10 *n/a *pass",
        "instant.flow.yaml *elderly *10 *100% 10/10 *0% 0/10 *n/a *pass",
    ])
    assert "\x1b[" not in result.stdout.str()


def test_summary_table_is_coloured_when_the_terminal_is(pytester: pytest.Pytester) -> None:
    write(pytester, "hopeless.flow.yaml", hopeless())
    write(pytester, "instant.flow.yaml", INSTANT)
    output = pytester.runpytest(*TWO, "--color=yes").stdout.str()
    table = output[output.index("persona scores"):]
    assert "\x1b[31m0% 0/10\x1b[0m" in table  # red completion
    assert "\x1b[32m100% 10/10\x1b[0m" in table  # green completion
    assert "hopeless.flow.yaml" in strip_ansi(table)


def test_no_color_environment_is_honoured(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(pytester, "instant.flow.yaml", INSTANT)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("PY_COLORS", raising=False)
    output = pytester.runpytest(*TWO).stdout.str()
    assert "persona scores" in output and "\x1b[" not in output


def test_junitxml_carries_the_scores(pytester: pytest.Pytester) -> None:
    write(pytester, "hopeless.flow.yaml", hopeless())
    write(pytester, "instant.flow.yaml", INSTANT)
    pytester.runpytest(*TWO, "--persona-count", "10,20", "--persona-seed", "3",
                       "--junitxml", "junit.xml")
    cases = junit_cases(pytester.path / "junit.xml")
    hopeless_case = cases["hopeless.flow.yaml::impatient[20]"]
    assert hopeless_case["outcome"] == "failed"
    assert hopeless_case["completion"] == "0.0"
    assert hopeless_case["completion_count"] == "0/20"
    assert hopeless_case["fallback_rate"] == "1.0"
    assert hopeless_case["fallback_rate_count"] == "20/20"
    assert re.fullmatch(r"\d+/\d+", hopeless_case["off_topic_recovery_count"])
    assert (hopeless_case["persona"], hopeless_case["count"], hopeless_case["seed"]) == (
        "impatient", "20", "3"
    )
    assert (hopeless_case["flow"], hopeless_case["status"]) == ("hopeless", "fail")
    instant_case = cases["instant.flow.yaml::elderly[10]"]
    assert instant_case["outcome"] == "passed"
    assert instant_case["completion_count"] == "10/10"
    assert instant_case["off_topic_recovery"] == "n/a"
    assert len(cases) == 8




def test_goal_no_customer_can_reach_is_a_clean_failure(pytester: pytest.Pytester) -> None:
    write(pytester, "unreachable.flow.yaml", UNREACHABLE)
    result = pytester.runpytest("--persona", "impatient", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "unreachable.flow.yaml:2:8: start: flow 'unreachable': no 'end: completed' step can "
        "be reached ('done': *dispatched*",
        "unreachable.flow.yaml *impatient *10 *- *- *- *error",
    ])
    assert "Traceback" not in result.stdout.str()


def test_persona_simulate_fixture_uses_the_session_seed(pytester: pytest.Pytester) -> None:
    write(pytester, "flows/instant.flow.yaml", INSTANT)
    pytester.makepyfile(test_bot="""
        def test_batch(persona_simulate):
            result = persona_simulate("flows/instant.flow.yaml", "elderly", count=7)
            assert (result.count, result.seed, result.persona) == (7, 11, "elderly")
            assert result.scores.completion.hits == 7

        def test_explicit_seed(persona_simulate):
            assert persona_simulate("flows/instant.flow.yaml", "plain", seed=2).seed == 2

        def test_unknown_persona(persona_simulate):
            import pytest
            with pytest.raises(KeyError, match="known personas: elderly"):
                persona_simulate("flows/instant.flow.yaml", "nobody")
    """)
    result = pytester.runpytest("--persona-seed", "11", "-p", "no:cacheprovider", "test_bot.py")
    result.assert_outcomes(passed=3)


def test_one_assistant_per_flow_file_serves_all_its_items(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    original = Assistant.__init__

    def counting(self: Assistant, flow: Flow, *args: Any, **kwargs: Any) -> None:
        built.append(flow.id)
        original(self, flow, *args, **kwargs)

    monkeypatch.setattr(Assistant, "__init__", counting)
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", hopeless("0"))
    result = pytester.runpytest("-p", "no:cacheprovider", "--persona-no-history",
                                "--persona-count", "1,2")
    result.assert_outcomes(passed=16)
    assert sorted(built) == ["hopeless", "instant"]
