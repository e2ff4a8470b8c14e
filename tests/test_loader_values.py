"""Values the loader refuses: wrong types, unquoted booleans, out-of-range settings."""

from __future__ import annotations

import pytest
from loader_helpers import MINI, SLOTS, edit, errors_of, where, with_steps

from pytest_persona.flow.loader import load_flow_text


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            'examples: ["no thanks", "stop", "not now"]',
            "examples: no thanks",
            "no thanks",
            "intents.stop.examples: expected a list, got a string",
        ),
        ("start: ask", "start: [ask]", "start", "start: expected a string, got a list"),
        (
            "flow: mini",
            "flow: mini\nsettings: {max_turns: many}",
            "many",
            "settings.max_turns: expected a whole number, got a string",
        ),
        (
            '    say: "Done."',
            "    say: {text: Done}",
            "say: {",
            "steps.done.say: expected a string, a number or a list, got a mapping",
        ),
    ],
)
def test_a_key_of_the_wrong_type(old: str, new: str, needle: str, message: str) -> None:
    text = edit((old, new))
    assert errors_of(text) == [f"{where(text, needle)} {message}"]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("'(ORD'", "does not compile: missing ), unterminated subpattern (at position 0)"),
        (
            "'(a+)+$'",
            "can backtrack catastrophically: '(a+)+' repeats a group that itself "
            "repeats without bound (like '(a+)+'); rewrite it without the nested repetition",
        ),
    ],
)
def test_slot_pattern_problems(pattern: str, message: str) -> None:
    text = f"slots:\n  code:\n    type: pattern\n    pattern: {pattern}\n    examples: [a]\n" + MINI
    assert errors_of(text) == [f"{where(text, pattern)} slots.code.pattern: {message}"]


@pytest.mark.parametrize("flow_id", ["Mini", "-mini", "mini flow", "'mini!'"])
def test_flow_id_must_match_the_pattern(flow_id: str) -> None:
    text = edit(("flow: mini", f"flow: {flow_id}"))
    shown = flow_id.strip("'")
    assert errors_of(text) == [
        f"{where(text, flow_id)} flow: '{shown}' does not match ^[a-z0-9][a-z0-9_-]*$"
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("match_threshold: 1.5", "must be at most 1, got 1.5"),
        ("ambiguity_margin: -0.1", "must be at least 0, got -0.1"),
        ("max_no_match: -1", "must be at least 0, got -1"),
        ("max_turns: 0", "must be at least 1, got 0"),
        ("match_threshold: .nan", "must be a finite number, got .nan"),
    ],
)
def test_settings_out_of_range(setting: str, message: str) -> None:
    text = MINI + f"settings:\n  {setting}\n"
    key, value = setting.split(": ")
    assert errors_of(text) == [f"{where(text, value)} settings.{key}: {message}"]


@pytest.mark.parametrize(
    ("thresholds", "needle", "message"),
    [
        ("completion: 1.2", "1.2", "thresholds.completion: must be at most 1, got 1.2"),
        (
            "fallback_rate: {min: 0.3}",
            "min:",
            "thresholds.fallback_rate.min: unknown key 'min' (expected one of: max, warn)",
        ),
        (
            "completion: {max: 0.3}",
            "max:",
            "thresholds.completion.max: unknown key 'max' (expected one of: min, warn)",
        ),
        (
            "fallback_rate: {max: 0.3, warn: 0.5}",
            "0.5",
            "thresholds.fallback_rate.warn: warn "
            "(0.5) must be at or below max (0.3): amber lies between them",
        ),
        (
            "personas: {plain: {completion: {min: 0.9, warn: 0.5}}}",
            "0.5",
            "thresholds.personas.plain.completion.warn: warn (0.5) must be at or above min (0.9): "
            "amber lies between them",
        ),
    ],
)
def test_threshold_errors(thresholds: str, needle: str, message: str) -> None:
    text = MINI + f"thresholds:\n  {thresholds}\n"
    assert errors_of(text) == [f"{where(text, needle)} {message}"]


QUOTE = '; YAML 1.1 reads unquoted {0} as a boolean: write "{0}" (quoted) if you mean the text'


@pytest.mark.parametrize(
    ("old", "new", "needle", "key"),
    [
        (
            'examples: ["yes please"',
            'examples: [yes, "yes please"',
            "yes,",
            "intents.go_on.examples[0]",
        ),
        (
            '    say: "Done."',
            '    say: "Done."\n    set: {dispatched: no}',
            "no}",
            "steps.done.set.dispatched",
        ),
        (
            'test_phrases: ["let\'s do it"]',
            "test_phrases: [off]",
            "off",
            "intents.go_on.test_phrases[0]",
        ),
    ],
)
def test_unquoted_yaml_booleans_get_a_quoting_hint(
    old: str, new: str, needle: str, key: str
) -> None:
    text = edit((old, new))
    word = needle.rstrip(",}")
    assert errors_of(text) == [
        f"{where(text, needle)} {key}: expected a string or a number, got the boolean {word}"
        + QUOTE.format(word)
    ]


def test_boolean_in_an_if_and_a_goal_slot() -> None:
    steps = (
        "  hop:\n    say: hop\n    set: {sent: 'no'}\n    next:\n"
        "      - {if: {sent: yes}, goto: done}\n      - {goto: done}\n"
    )
    text = SLOTS + with_steps(steps, ("goto: done}", "goto: hop}"))
    text += "goals:\n  - {end: done, slots: {name: on}}\n"
    assert errors_of(text) == [
        f"{where(text, 'yes}')} steps.hop.next[0].if.sent: expected a string, a number or a "
        "list, got the boolean yes" + QUOTE.format("yes"),
        f"{where(text, 'on}')} goals[0].slots.name: expected a string or a number, "
        "got the boolean on" + QUOTE.format("on"),
    ]


def test_an_enum_gets_no_quoting_hint_that_would_not_help() -> None:
    text = edit(("global: {then: return}", "global: {then: yes}"))
    assert errors_of(text) == [
        f"{where(text, 'yes}')} intents.repeat.global.then: expected return, got 'yes'"
    ]


@pytest.mark.parametrize(
    ("slot", "needle", "message"),
    [
        (
            "{type: text, examples: [a], pattern: 'x'}",
            "'x'",
            "slots.s.pattern: 'pattern' is only for type: pattern (this slot is text)",
        ),
        ("{type: number, min: 5, max: 1}", "5,", "slots.s.min: min (5) is above max (1)"),
        ("{type: pattern, pattern: 'x'}", "s: {", "slots.s: missing required key 'examples'"),
        ("{type: choice}", "s: {", "slots.s: missing required key 'values'"),
        (
            "{type: colour}",
            "colour",
            "slots.s.type: expected pattern, choice, number, email, "
            "phone, date or text, got 'colour'",
        ),
        (
            "{type: nubmer}",
            "nubmer",
            "slots.s.type: expected pattern, choice, number, email, "
            "phone, date or text, got 'nubmer' (did you mean 'number'?)",
        ),
    ],
)
def test_slot_errors(slot: str, needle: str, message: str) -> None:
    text = f"slots:\n  s: {slot}\n" + MINI
    assert f"{where(text, needle)} {message}" in errors_of(text)


@pytest.mark.parametrize(
    ("values", "needle", "message"),
    [
        (
            "{small: [side, little], large: [big, Side]}",
            "Side",
            "slots.s.values.large[1]: 'Side' is already a synonym of 'small' (line 2)",
        ),
        (
            "{small: [large], large: [big]}",
            "large: [big]",
            "slots.s.values.large: 'large' is already a synonym of 'small' (line 2)",
        ),
        (
            "{small: [little], large: small}",
            "small}",
            "slots.s.values.large: 'small' is already the value 'small' (line 2)",
        ),
        ("[red, Red]", "Red", "slots.s.values[1]: 'Red' is already the value 'red' (line 2)"),
    ],
)
def test_one_phrase_under_two_choice_values_is_an_error_at_the_second(
    values: str, needle: str, message: str
) -> None:
    text = f"slots:\n  s: {{type: choice, values: {values}}}\n" + MINI
    assert errors_of(text) == [
        f"{where(text, needle)} {message}, which is what slot 's' reads it as: "
        "keep it under one value"
    ]


def test_a_phrase_twice_under_one_choice_value_is_no_clash() -> None:
    text = "slots:\n  s: {type: choice, values: {small: [little, Little, small]}}\n" + MINI
    assert load_flow_text(text, "m.flow.yaml").slots["s"].values["small"][0] == "little"
