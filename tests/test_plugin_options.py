"""Command-line and ini options: parsing, precedence, bad values and the header line."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plugin_helpers import INSTANT, write

from pytest_persona.flow.model import Limit
from pytest_persona.gates import CompareRule
from pytest_persona.items import get_state
from pytest_persona.options import (
    Settings,
    parse_compare_gate,
    parse_counts,
    parse_fraction,
    parse_persona_refs,
    parse_seed,
)
from pytest_persona.rng import MAX_SEED, RANDOM_SEED_BOUND, draw_seed

pytest_plugins = ("pytester",)


def settings_of(pytester: pytest.Pytester, *args: str) -> Settings:
    config = pytester.parseconfigure(*args)
    return get_state(config).settings


# --- parsers ------------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=5),
       st.sampled_from([",", " ", ", "]))
def test_counts_parse_in_any_separator(counts: list[int], sep: str) -> None:
    assert parse_counts(sep.join(str(c) for c in counts)) == tuple(counts)


@pytest.mark.parametrize("text", ["0", "-5", "ten", "", ",", "2.5"])
def test_bad_counts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_counts(text)


def test_seed_parses_numbers_and_random() -> None:
    assert parse_seed("42") == 42
    assert parse_seed("RANDOM") == "random"
    assert parse_seed(str(2**63 - 1)) == 2**63 - 1
    for bad in ("-1", "x", "1.5", str(2**63), "99999999999999999999999999"):
        with pytest.raises(ValueError):
            parse_seed(bad)


def test_a_drawn_seed_is_one_the_history_can_store() -> None:
    assert RANDOM_SEED_BOUND - 1 <= MAX_SEED
    assert all(0 <= draw_seed() < RANDOM_SEED_BOUND for _ in range(100))


@given(st.floats(min_value=0.0, max_value=1.0))
def test_fractions_in_range_round_trip(value: float) -> None:
    assert parse_fraction(repr(value)) == value


@pytest.mark.parametrize("text", ["1.01", "-0.1", "nan", "inf", "high"])
def test_fractions_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_fraction(text)


def test_compare_gate_names_a_metric_and_a_drop() -> None:
    assert parse_compare_gate("fallback_rate:0.1") == CompareRule("fallback_rate", Fraction(1, 10))
    assert parse_compare_gate("completion:5%") == CompareRule("completion", Fraction(1, 20))
    for bad in ("completion", "speed:0.1", "completion:2", "completion:x"):
        with pytest.raises(ValueError):
            parse_compare_gate(bad)


def test_persona_refs_take_names_and_files() -> None:
    assert parse_persona_refs("impatient,elderly") == ("impatient", "elderly")
    assert parse_persona_refs("my/coach.persona.yaml") == ("my/coach.persona.yaml",)
    for bad in ("Impatient", "bad name", ","):
        with pytest.raises(ValueError):
            parse_persona_refs(bad)


# --- options into Settings ----------------------------------------------------------------


def test_defaults(pytester: pytest.Pytester) -> None:
    settings = settings_of(pytester)
    assert settings.counts == (10,)
    assert settings.seed == 0 and not settings.seed_was_random
    assert settings.personas == ()
    assert settings.flow_patterns == ("*.flow.yaml", "*.flow.yml")
    assert settings.history_path == pytester.path / ".persona" / "history.db"
    assert settings.report_path == pytester.path / ".persona" / "report.html"
    assert settings.markdown_path is None
    assert settings.compare_fail == ()
    assert settings.baseline_missing == "warn"
    assert settings.cli_thresholds.completion is None
    assert settings.ini_thresholds.completion is None


def test_command_line_values(pytester: pytest.Pytester) -> None:
    settings = settings_of(
        pytester,
        "--persona-count", "10,25", "--persona-count", "50", "--persona-count", "25",
        "--persona", "elderly", "--persona", "plain,impatient",
        "--persona-seed", "7",
        "--persona-min-completion", "0.8",
        "--persona-max-fallback-rate", "0.2",
        "--persona-min-off-topic-recovery", "0.5",
        "--persona-history", "h.db", "--persona-report", "r.html", "--persona-markdown", "m.md",
        "--persona-compare-fail", "completion:0.05", "--persona-compare-fail", "fallback_rate:0.1",
        "--persona-save", "main", "--persona-baseline", "v1.2",
    )
    assert settings.counts == (10, 25, 50)
    assert settings.personas == ("elderly", "plain", "impatient")
    assert settings.seed == 7
    assert settings.cli_thresholds.completion == Limit(limit=0.8)
    assert settings.cli_thresholds.fallback_rate == Limit(limit=0.2)
    assert settings.cli_thresholds.off_topic_recovery == Limit(limit=0.5)
    assert settings.history_path == pytester.path / "h.db"
    assert settings.report_path == pytester.path / "r.html"
    assert settings.markdown_path == pytester.path / "m.md"
    assert settings.compare_fail == (
        CompareRule("completion", Fraction(1, 20)), CompareRule("fallback_rate", Fraction(1, 10))
    )
    assert (settings.save_baseline, settings.baseline) == ("main", "v1.2")


def test_no_history_wins(pytester: pytest.Pytester) -> None:
    settings = settings_of(pytester, "--persona-history", "h.db", "--persona-no-history")
    assert settings.history_path is None


def test_ini_personas_may_be_separated_by_commas_as_counts_are(pytester: pytest.Pytester) -> None:
    pytester.makeini("""
        [pytest]
        persona_personas = elderly, plain,impatient
    """)
    assert settings_of(pytester).personas == ("elderly", "plain", "impatient")


def test_ini_values_and_command_line_precedence(pytester: pytest.Pytester) -> None:
    pytester.makeini("""
        [pytest]
        persona_files = *.bot.yaml
        persona_persona_files = *.who.yaml
        persona_counts = 25, 50
        persona_personas = elderly plain
        persona_seed = 3
        persona_min_completion = 0.6
        persona_max_fallback_rate = 0.4
        persona_min_off_topic_recovery = 0.3
        persona_history = data/h.db
        persona_baseline_missing = fail
    """)
    settings = settings_of(pytester)
    assert settings.flow_patterns == ("*.bot.yaml",)
    assert settings.persona_file_patterns == ("*.who.yaml",)
    assert settings.counts == (25, 50)
    assert settings.personas == ("elderly", "plain")
    assert settings.seed == 3
    assert settings.ini_thresholds.completion == Limit(limit=0.6)
    assert settings.ini_thresholds.fallback_rate == Limit(limit=0.4)
    assert settings.ini_thresholds.off_topic_recovery == Limit(limit=0.3)
    assert settings.history_path == pytester.path / "data" / "h.db"
    assert settings.baseline_missing == "fail"

    override = settings_of(pytester, "--persona-count", "10", "--persona", "impatient",
                           "--persona-seed", "9", "--persona-min-completion", "0.9")
    assert override.counts == (10,)
    assert override.personas == ("impatient",)
    assert override.seed == 9
    assert override.cli_thresholds.completion == Limit(limit=0.9)
    assert override.ini_thresholds.completion == Limit(limit=0.6)


def test_random_seed_is_drawn_once_and_shown(pytester: pytest.Pytester) -> None:
    write(pytester, "instant.flow.yaml", INSTANT)
    result = pytester.runpytest("--co", "--persona-seed", "random", "-p", "no:cacheprovider")
    result.stdout.re_match_lines([r"persona: seed (\d+) \(random; rerun with --persona-seed \1\)"])
    pytester.makeini("[pytest]\npersona_seed = random\n")
    seeds = {settings_of(pytester).seed for _ in range(3)}
    assert len(seeds) > 1  # three draws from 2**32 values: equal by chance once in 10**18


def test_header_shows_seed_counts_and_personas(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--co", "--persona-count", "10,50", "--persona-seed", "5",
                                "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines([
        "persona: seed 5, counts 10, 50, personas impatient, typo-prone, non-native, elderly, *"
    ])
    result = pytester.runpytest("--co", "--persona", "plain", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["persona: seed 0, counts 10, personas plain"])
    assert "warning" not in result.stdout.str()
    result = pytester.runpytest("--co", "--persona-count", "100000000,50", "--persona-count",
                                "20000", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines([
        "persona: seed 0, counts 100000000, 50, 20000, *",
        "persona: warning: a batch of 100000000 conversations takes about 14 hours *",
    ])
    assert result.stdout.str().count("persona: warning") == 1


@pytest.mark.parametrize("args", [("-q",), ("-qq",), ("--no-header",)])
def test_the_large_batch_warning_is_shown_without_the_header_too(
    pytester: pytest.Pytester, args: tuple[str, ...]
) -> None:
    result = pytester.runpytest("--co", "--persona-count", "100000000", "-p", "no:cacheprovider",
                                *args)
    warned = [line for line in result.outlines if "persona: warning" in line]
    assert len(warned) == 1
    assert warned[0].startswith("persona: warning: a batch of 100000000 conversations takes ")
    assert "persona: seed" not in result.stdout.str()  # the header itself stays dropped


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--persona-count", "0"], "--persona-count: batch size must be 1 or more"),
        (["--persona-count", "ten"], "--persona-count: batch size must be a whole number"),
        (["--persona-seed", "-3"], "--persona-seed: seed must be 0 or more"),
        (["--persona-seed", "abc"], "--persona-seed: seed must be a whole number or 'random'"),
        (["--persona-seed", "99999999999999999999999999"],
         "--persona-seed: seed must be at most 9223372036854775807*"),
        (["--persona-min-completion", "1.5"], "--persona-min-completion: expected a number"),
        (["--persona-max-fallback-rate", "x"], "--persona-max-fallback-rate: expected a number"),
        (["--persona-min-off-topic-recovery", "-0.1"], "--persona-min-off-topic-recovery: *"),
        (["--persona-compare-fail", "speed:0.1"], "--persona-compare-fail: unknown metric*"),
        (["--persona-compare-fail", "completion"], "--persona-compare-fail: expected METRIC:DROP*"),
        (["--persona-compare-fail", "completion:3"],
         "--persona-compare-fail: DROP in * must lie between 0 and 1*"),
        (["--persona-save", "no spaces"], "--persona-save: baseline name must be*"),
        (["--persona-baseline", "a/b"], "--persona-baseline: baseline name must be*"),
        (["--persona", "Shouty"], "--persona: 'Shouty' is neither a persona name*"),
    ],
)
def test_bad_command_line_values_are_usage_errors(
    pytester: pytest.Pytester, args: list[str], message: str
) -> None:
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*argument {message}*"])


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("persona_counts", "0", "batch size must be 1 or more"),
        ("persona_seed", "soon", "seed must be a whole number or 'random'"),
        ("persona_seed", str(2**63), "seed must be at most 9223372036854775807*"),
        ("persona_min_completion", "2", "expected a number from 0 to 1"),
        ("persona_max_fallback_rate", "lots", "expected a number from 0 to 1"),
        ("persona_min_off_topic_recovery", "-1", "expected a number from 0 to 1"),
        ("persona_baseline_missing", "maybe", "expected 'warn' or 'fail'"),
        ("persona_personas", "Shouty", "'Shouty' is neither a persona name*"),
        ("persona_files", "", "no flow file patterns, so no flow file would be collected; "
         "leave the option out for the default (*.flow.yaml *.flow.yml)"),
        ("persona_files", '""', "no flow file patterns*"),
    ],
)
def test_bad_ini_values_are_usage_errors(
    pytester: pytest.Pytester, key: str, value: str, message: str
) -> None:
    pytester.makeini(f"[pytest]\n{key} = {value}\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*ini option {key}: {message}*"])


@pytest.mark.parametrize("ini", ["persona_files =", "persona_seed = soon"])
def test_help_and_markers_work_with_a_bad_ini_value_and_a_real_run_still_refuses(
    pytester: pytest.Pytester, ini: str
) -> None:
    """They run nothing; --co does show what would run, so it is refused like a run."""
    pytester.makeini(f"[pytest]\n{ini}\n")
    shown = pytester.runpytest("-p", "no:cacheprovider", "--help")
    assert shown.ret == pytest.ExitCode.OK
    shown.stdout.fnmatch_lines(["*--persona-count=N*"])
    listed = pytester.runpytest("-p", "no:cacheprovider", "--markers")
    assert listed.ret == pytest.ExitCode.OK
    for args in ((), ("--co",)):
        refused = pytester.runpytest("-p", "no:cacheprovider", *args)
        assert refused.ret == pytest.ExitCode.USAGE_ERROR
        refused.stderr.fnmatch_lines([f"*ini option {ini.split()[0]}: *"])


def test_every_ini_key_is_registered_for_strict_config(pytester: pytest.Pytester) -> None:
    pytester.makeini("""
        [pytest]
        persona_files = *.flow.yaml
        persona_persona_files = *.persona.yaml
        persona_counts = 10
        persona_personas = impatient
        persona_seed = 0
        persona_min_completion = 0.7
        persona_max_fallback_rate = 0.3
        persona_min_off_topic_recovery = 0.6
        persona_history = .persona/history.db
        persona_baseline_missing = warn
    """)
    write(pytester, "instant.flow.yaml", INSTANT)
    result = pytester.runpytest("--strict-config", "--strict-markers", "--co", "-q",
                                "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["instant.flow.yaml::impatient[[]10[]]"])

