"""Collection: which files become items, their names, selection, broken files and
custom personas (persona files and the plugin hook)."""

from __future__ import annotations

import pytest
from plugin_helpers import (
    BROKEN,
    BUILTIN_DEFAULTS,
    COACH,
    INSTANT,
    collected_ids,
    hopeless,
    write,
)

pytest_plugins = ("pytester",)

NO_CACHE = ("-p", "no:cacheprovider")


def collect(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest("--co", "-q", *NO_CACHE, *args)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    return collected_ids(result)


def test_one_item_per_persona_and_batch_size(pytester: pytest.Pytester) -> None:
    write(pytester, "order.flow.yaml", INSTANT)
    write(pytester, "other.flow.yml", INSTANT)
    write(pytester, "settings.yaml", "a: 1\n")
    write(pytester, "order.flow.json", "{}\n")
    write(pytester, "notes.flow.yaml.bak", INSTANT)
    ids = collect(pytester, "--persona-count", "10,50")
    expected = [f"{f}::{p}[{n}]" for f in ("order.flow.yaml", "other.flow.yml")
                for p in BUILTIN_DEFAULTS for n in (10, 50)]
    assert ids == expected


def test_plain_is_selectable_but_not_run_by_default(pytester: pytest.Pytester) -> None:
    write(pytester, "order.flow.yaml", INSTANT)
    assert not any("plain" in i for i in collect(pytester))
    assert collect(pytester, "--persona", "plain", "--persona", "elderly") == [
        "order.flow.yaml::plain[10]", "order.flow.yaml::elderly[10]"
    ]


def test_flow_file_patterns_come_from_the_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\npersona_files = *.bot.yaml\n")
    write(pytester, "a.bot.yaml", INSTANT)
    write(pytester, "b.flow.yaml", INSTANT)
    ids = collect(pytester, "--persona", "impatient")
    assert ids == ["a.bot.yaml::impatient[10]"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-k", "typo and 25"], ["order.flow.yaml::typo-prone[25]"]),
        (["-k", "elderly or impatient[10]"], ["order.flow.yaml::impatient[10]",
                                              "order.flow.yaml::elderly[10]",
                                              "order.flow.yaml::elderly[25]"]),
        (["-m", "typo_prone"], ["order.flow.yaml::typo-prone[10]",
                                "order.flow.yaml::typo-prone[25]"]),
        (["-m", "non_native and not elderly"], ["order.flow.yaml::non-native[10]",
                                                "order.flow.yaml::non-native[25]"]),
        (["-m", "not persona"], ["test_unit.py::test_plain"]),
    ],
)
def test_keyword_and_marker_selection(
    pytester: pytest.Pytester, args: list[str], expected: list[str]
) -> None:
    write(pytester, "order.flow.yaml", INSTANT)
    pytester.makepyfile(test_unit="def test_plain():\n    pass\n")
    assert collect(pytester, "--persona-count", "10,25", "--strict-markers", *args) == expected


def test_marker_persona_selects_every_flow_item(pytester: pytest.Pytester) -> None:
    write(pytester, "order.flow.yaml", INSTANT)
    pytester.makepyfile(test_unit="def test_plain():\n    pass\n")
    ids = collect(pytester, "-m", "persona")
    assert len(ids) == 4 and all(i.startswith("order.flow.yaml::") for i in ids)


def test_broken_flow_fails_once_and_the_others_run(pytester: pytest.Pytester) -> None:
    write(pytester, "a_good.flow.yaml", INSTANT)
    write(pytester, "broken.flow.yaml", BROKEN)
    write(pytester, "z_good.flow.yaml", INSTANT)
    result = pytester.runpytest("--persona", "impatient,elderly", "-rs", *NO_CACHE)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=4, failed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "*_ broken.flow.yaml::impatient[[]10[]] _*",
        "broken.flow.yaml:10:*: steps.ask.routes[[]0[]].goto: unknown step 'statsu' "
        "(did you mean 'status'?)",
        "*= persona scores: 4 pass =*",
        "SKIPPED [[]1[]] broken.flow.yaml:1: broken.flow.yaml does not load: "
        "see broken.flow.yaml::impatient[[]10[]]",
    ])
    output = result.stdout.str()
    assert output.count("unknown step 'statsu'") == 1
    assert "Traceback" not in output and "FlowError" not in output


def test_broken_flow_fails_its_first_selected_item(pytester: pytest.Pytester) -> None:
    write(pytester, "broken.flow.yaml", BROKEN)
    result = pytester.runpytest("--persona-count", "10,25", "-k", "elderly or typo", *NO_CACHE)
    result.assert_outcomes(failed=1, skipped=3)
    result.stdout.fnmatch_lines(["FAILED broken.flow.yaml::typo-prone[[]10[]] - *"])
    # Collection does not read flows: a broken file lists its items like any other.
    assert len(collect(pytester)) == 4


def test_same_file_name_in_two_folders(pytester: pytest.Pytester) -> None:
    write(pytester, "shop/order.flow.yaml", INSTANT)
    write(pytester, "bank/order.flow.yaml", hopeless())
    result = pytester.runpytest("--persona", "elderly", *NO_CACHE)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "FAILED bank/order.flow.yaml::elderly[[]10[]] - completion 0% 0/10*",
    ])
    result.stdout.fnmatch_lines(["shop/order.flow.yaml *elderly *10 *100% 10/10*pass"])


def test_last_failed_and_exitfirst(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", hopeless())
    first = pytester.runpytest("--persona", "impatient,elderly")
    first.assert_outcomes(passed=2, failed=2)
    again = pytester.runpytest("--persona", "impatient,elderly", "--lf")
    again.assert_outcomes(failed=2)
    stop = pytester.runpytest("--persona", "impatient,elderly", "-x", "-p", "no:cacheprovider")
    stop.assert_outcomes(passed=2, failed=1)


# --- custom personas ----------------------------------------------------------------------


def test_persona_file_next_to_a_flow_joins_by_default(pytester: pytest.Pytester) -> None:
    write(pytester, "flows/order.flow.yaml", INSTANT)
    write(pytester, "flows/coach.persona.yaml", COACH)
    write(pytester, "other/order.flow.yaml", INSTANT)
    ids = collect(pytester)
    assert "flows/order.flow.yaml::coach[10]" in ids
    assert not any(i.startswith("other/") and "coach" in i for i in ids)
    assert len(ids) == 9
    assert collect(pytester, "--persona", "coach", "-m", "coach", "--strict-markers") == [
        "flows/order.flow.yaml::coach[10]"
    ]


def test_persona_file_in_a_parent_folder_applies_below_it(pytester: pytest.Pytester) -> None:
    write(pytester, "coach.persona.yaml", COACH)
    write(pytester, "team/order.flow.yaml", INSTANT)
    write(pytester, "team/deep/order.flow.yaml", hopeless())
    write(pytester, "team/deep/coach.persona.yaml", COACH.replace("plain", "elderly"))
    result = pytester.runpytest("--persona", "coach", *NO_CACHE)
    result.assert_outcomes(passed=1, failed=1)
    # The nearer file wins: the replay command names the file in team/deep, and the
    # conversation is headed by the persona's name, as `pytest-persona replay` heads it.
    result.stdout.fnmatch_lines([
        "conversation * (coach, seed 0): goal *",
        "*replay: pytest-persona replay team/deep/order.flow.yaml "
        "--persona team/deep/coach.persona.yaml --conversation * --seed 0"
    ])
    result.stdout.fnmatch_lines([
        "persona: custom personas coach (team/deep/coach.persona.yaml), coach (coach.persona.yaml)"
    ])


def test_the_header_claims_no_custom_persona_that_is_not_there(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "order.flow.yaml", INSTANT)
    result = pytester.runpytest("--co", *NO_CACHE)
    result.stdout.fnmatch_lines([
        "persona: seed 0, counts 10, personas impatient, typo-prone, non-native, elderly, "
        "and any custom personas beside the flows",
    ])
    assert "custom personas found" not in result.stdout.str()
    assert "persona: custom personas" not in result.stdout.str()
    write(pytester, "coach.persona.yaml", COACH)
    result = pytester.runpytest("--co", *NO_CACHE)
    result.stdout.fnmatch_lines(["collected 5 items", "persona: custom personas coach "
                                 "(coach.persona.yaml)"])


def test_persona_file_named_on_the_command_line(pytester: pytest.Pytester) -> None:
    write(pytester, "order.flow.yaml", INSTANT)
    write(pytester, "elsewhere/rushed.persona.yaml", COACH.replace("coach", "rushed"))
    ids = collect(pytester, "--persona", "elsewhere/rushed.persona.yaml")
    assert ids == ["order.flow.yaml::rushed[10]"]


def test_broken_persona_file_is_reported_once(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "b.flow.yaml", INSTANT)
    write(pytester, "shouty.persona.yaml", "persona: shouty\nbase: plain\ncaps: 2\n")
    result = pytester.runpytest("--persona", "impatient", *NO_CACHE)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*_ a.flow.yaml::load[[]shouty.persona.yaml[]] _*",
                                 "shouty.persona.yaml:3:*caps*"])


def test_persona_name_taken_by_a_builtin_is_an_error_at_its_key(pytester: pytest.Pytester) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "mine.persona.yaml", "# mine\nbase: plain\npersona:   elderly\n")
    result = pytester.runpytest("--persona", "impatient", *NO_CACHE)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["mine.persona.yaml:3:12: persona: persona name 'elderly' is taken by a built-in *"]
    )


def test_a_persona_file_named_on_the_command_line_with_a_builtin_name_is_located(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "a.flow.yaml", INSTANT)
    write(pytester, "lib/mine.persona.yaml", "base: plain\npersona: plain\n")
    result = pytester.runpytest("--persona", "lib/mine.persona.yaml", *NO_CACHE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*lib/mine.persona.yaml:2:10: persona: persona name 'plain' is taken by a built-in *"]
    )


def test_personas_from_the_hook(pytester: pytest.Pytester) -> None:
    write(pytester, "order.flow.yaml", INSTANT)
    pytester.makeconftest("""
        from pytest_persona.customers.personas import get_persona

        def pytest_persona_add_personas(config):
            return [get_persona("impatient").with_overrides(name="rushed")]
    """)
    ids = collect(pytester)
    assert ids[-1] == "order.flow.yaml::rushed[10]" and len(ids) == 5
    result = pytester.runpytest("--co", *NO_CACHE)
    result.stdout.fnmatch_lines(["persona: seed 0, counts 10, personas impatient, typo-prone, "
                                 "non-native, elderly, rushed, and any custom personas *",
                                 "persona: custom personas rushed (plugin hook)"])
    result = pytester.runpytest("--persona", "rushed", *NO_CACHE)
    result.assert_outcomes(passed=1)


def test_hook_persona_clashing_with_a_builtin_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
        from pytest_persona.customers.personas import get_persona

        def pytest_persona_add_personas(config):
            return [get_persona("plain")]
    """)
    result = pytester.runpytest(*NO_CACHE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*plugin hook: persona name 'plain' is taken by a built-in*"])


def test_hook_returning_something_else_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
        def pytest_persona_add_personas(config):
            return ["impatient"]
    """)
    result = pytester.runpytest(*NO_CACHE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*returned 'impatient', not a Persona"])


def test_unknown_persona_is_a_usage_error_listing_the_known(pytester: pytest.Pytester) -> None:
    write(pytester, "flows/order.flow.yaml", INSTANT)
    write(pytester, "flows/coach.persona.yaml", COACH)
    result = pytester.runpytest("--persona", "elderyl", *NO_CACHE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        "*unknown persona 'elderyl' (did you mean 'elderly'?); known personas: coach, elderly, "
        "impatient, non-native, plain, typo-prone"
    ])


def test_missing_persona_file_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--persona", "nowhere.persona.yaml", *NO_CACHE)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*persona file not found: *nowhere.persona.yaml"])
