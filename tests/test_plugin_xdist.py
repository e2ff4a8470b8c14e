"""Under pytest-xdist the workers simulate and the controller reports: the same items,
outcomes and scores as a serial run, one summary table, one seed everywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from plugin_helpers import INSTANT, junit_cases, write

pytest_plugins = ("pytester",)
pytest.importorskip("xdist")

EXAMPLES = Path(__file__).resolve().parent.parent / "example_flows"


def test_two_workers_give_the_serial_results(pytester: pytest.Pytester) -> None:
    flows = sorted(EXAMPLES.glob("*.flow.yaml"))[:2]
    assert flows, "the example flows are missing"
    for flow in flows:
        shutil.copy(flow, pytester.path / flow.name)
    # History off: the second run would otherwise add a change column against the first.
    args = ("-p", "no:cacheprovider", "--persona-count", "10", "--persona-seed", "4",
            "--persona-no-history")
    serial = pytester.runpytest(*args, "--junitxml", "serial.xml")
    parallel = pytester.runpytest(*args, "-n", "2", "--junitxml", "parallel.xml")
    serial_cases = junit_cases(pytester.path / "serial.xml")
    parallel_cases = junit_cases(pytester.path / "parallel.xml")
    assert len(serial_cases) == 4 * len(flows)
    assert parallel_cases == serial_cases  # outcome and every score property, item by item
    assert parallel.ret == serial.ret
    # The controller alone prints the table, with the same rows as the serial run.
    table = [line for line in parallel.outlines if line.endswith(("pass", "amber", "FAIL"))]
    assert sorted(table) == sorted(
        line for line in serial.outlines if line.endswith(("pass", "amber", "FAIL"))
    )
    assert parallel.stdout.str().count("persona scores") == 1


def test_one_random_seed_for_all_workers_and_plain_failure_reports(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", INSTANT)
    write(pytester, "broken.flow.yaml", "flow: broken\nstart: nowhere\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-n", "2", "--persona-seed", "random",
                                "--junitxml", "j.xml", "-k", "not broken or impatient")
    header = next(line for line in result.outlines if line.startswith("persona: seed "))
    seed = header.split()[2]
    assert f"rerun with --persona-seed {seed})" in header
    cases = junit_cases(pytester.path / "j.xml")
    assert {case.get("seed") for name, case in cases.items() if "broken" not in name} == {seed}
    # A worker's failure arrives as the plain text a serial run shows.
    result.assert_outcomes(passed=8, failed=1)
    result.stdout.fnmatch_lines(["*_ broken.flow.yaml::impatient[[]10[]] _*",
                                 "broken.flow.yaml:1:1: *"])
    assert "Traceback" not in result.stdout.str()


def test_unknown_persona_reaches_the_controller(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    result = pytester.runpytest("-p", "no:cacheprovider", "-n", "2", "--persona", "elderyl")
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*unknown persona 'elderyl' (did you mean 'elderly'?)*"])


def test_the_plugin_works_without_xdist(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    result = pytester.runpytest("-p", "no:xdist", "-p", "no:cacheprovider", "--persona-seed",
                                "random", "--persona", "impatient")
    result.assert_outcomes(passed=1)
