"""Every mistake the loader reports, each at its exact ``path:line:col`` and key."""

from __future__ import annotations

from pathlib import Path

import pytest
from loader_helpers import MINI, NAME, SLOTS, edit, errors_of, where, with_steps

from pytest_persona.flow.errors import FlowError
from pytest_persona.flow.loader import load_flow, load_flow_text


def test_yaml_syntax_error() -> None:
    text = edit(("  done:\n", "\tdone:\n"))
    [error] = errors_of(text)
    assert error.startswith(f"{where(text, chr(9))} steps.ask.routes: YAML syntax error: found")
    assert error.endswith("this is a tab: indent YAML with spaces")


def test_duplicate_keys_are_all_reported() -> None:
    text = edit(("off_topic:\n", "  stop:\n    examples: [a, b, c]\noff_topic:\n"))
    text = edit(("  done:\n    say", "  done:\n    end: completed\n    say"), base=text)
    assert errors_of(text) == [
        f"{where(text, 'stop:', 1)} intents.stop: duplicate key 'stop' (first at line 8)",
        f"{where(text, 'end: completed', 1)} steps.done.end: duplicate key 'end' "
        f"(first at line {where(text, 'end: completed').split(':')[1]})",
    ]


def test_unknown_key_with_a_suggestion() -> None:
    text = edit(("    routes:", "    rotues:"))
    assert errors_of(text) == [
        f"{where(text, 'rotues')} steps.ask.rotues: unknown key 'rotues' (did you mean 'routes'?)"
    ]


def test_unknown_top_level_key_lists_nothing_misleading() -> None:
    text = MINI + "setings: {max_turns: 5}\n"
    assert errors_of(text) == [
        f"{where(text, 'setings')} setings: unknown key 'setings' (did you mean 'settings'?)"
    ]


def test_structure_errors_stop_before_reference_checks() -> None:
    text = edit(("    rou", "    rotues: 1\n    rou"), ("goto: done}", "goto: nowhere}"))
    assert [e.split(": ", 2)[1] for e in errors_of(text)] == ["steps.ask.rotues"]


HOP = "  hop:\n    say: hop\n    next: {target}\n"
ASK_NAME = "  ask_name:\n    say: name?\n    collect: {slot}\n    next: done\n"


@pytest.mark.parametrize(
    ("text", "needle", "message"),
    [
        (
            edit(("goto: done}", "goto: dnoe}")),
            "dnoe",
            "steps.ask.routes[0].goto: unknown step 'dnoe' (did you mean 'done'?)",
        ),
        (
            edit(("intent: go_on,", "intent: go_no,")),
            "go_no",
            "steps.ask.routes[0].intent: unknown intent 'go_no' (did you mean 'go_on'?)",
        ),
        (
            with_steps(HOP.format(target="byee"), ("goto: bye}", "goto: hop}")),
            "byee",
            "steps.hop.next: unknown step 'byee' (did you mean 'bye'?)",
        ),
        (
            with_steps(
                "  hop:\n    say: hop\n    set: {mood: ok}\n    next:\n"
                "      - {if: {mood: ok}, goto: doen}\n      - {goto: bye}\n",
                ("goto: bye}", "goto: hop}"),
            ),
            "doen",
            "steps.hop.next[0].goto: unknown step 'doen' (did you mean 'done'?)",
        ),
        (
            edit(("    routes:", "    on_exhausted: by\n    routes:")),
            "by\n",
            "steps.ask.on_exhausted: unknown step 'by' (did you mean 'bye'?)",
        ),
        (
            edit(("global: {then: return}", "global: {goto: bey}")),
            "bey",
            "intents.repeat.global.goto: unknown step 'bey' (did you mean 'bye'?)",
        ),
        (
            SLOTS + with_steps(ASK_NAME.format(slot="nmae"), ("goto: done}", "goto: ask_name}")),
            "nmae",
            "steps.ask_name.collect: unknown slot 'nmae' (did you mean 'name'?)",
        ),
        (
            SLOTS + edit(("goto: bye}", "goto: bye, clear: [nmae]}")),
            "nmae",
            "steps.ask.routes[1].clear[0]: unknown slot 'nmae' (did you mean 'name'?)",
        ),
        (
            SLOTS + edit(("goto: bye}", "goto: bye, clear: nmae}")),
            "nmae",
            "steps.ask.routes[1].clear: unknown slot 'nmae' (did you mean 'name'?)",
        ),
        (
            edit(("    routes:", "    buttons: {Go: go_onn}\n    routes:")),
            "go_onn",
            "steps.ask.buttons.Go: unknown intent 'go_onn' (did you mean 'go_on'?)",
        ),
        (
            MINI + "goals:\n  - {end: doen}\n",
            "doen",
            "goals[0].end: unknown step 'doen' (did you mean 'done'?)",
        ),
        (
            SLOTS + MINI + "goals:\n  - {end: done, slots: {nmae: Bob}}\n",
            "Bob}",
            "goals[0].slots.nmae: unknown slot 'nmae' (did you mean 'name'?)",
        ),
        (
            with_steps(
                "  hop:\n    say: hop\n    set: {mood: ok}\n    next:\n"
                "      - {if: {mod: ok}, goto: done}\n      - {goto: bye}\n",
                ("goto: bye}", "goto: hop}"),
            ),
            "ok}, goto",
            "steps.hop.next[0].if.mod: unknown slot or 'set' name 'mod' (did you mean 'mood'?)",
        ),
    ],
)
def test_reference_to_an_unknown_name(text: str, needle: str, message: str) -> None:
    assert f"{where(text, needle)} {message}" in errors_of(text)


def test_if_names_may_be_slots_or_set_names() -> None:
    steps = (
        "  hop:\n    say: hop\n    set: {mood: ok}\n    next:\n"
        "      - {if: {mood: ok, name: [Ann, Bob]}, goto: done}\n      - {goto: bye}\n"
    )
    flow = load_flow_text(SLOTS + with_steps(steps, ("goto: bye}", "goto: hop}")))
    assert flow.steps["hop"].next[0].when == {"mood": ("ok",), "name": ("Ann", "Bob")}


@pytest.mark.parametrize(
    ("steps", "needle", "message"),
    [
        (
            "  hop:\n    say: hop\n",
            "hop:\n",
            "steps.hop: a step needs one behaviour: routes, collect (with next), next or end",
        ),
        (
            "  hop:\n    say: hop\n    next: done\n    end: completed\n",
            "hop:\n",
            "steps.hop: a step has exactly one behaviour (routes, collect, next or end); "
            "this one has next and end",
        ),
        (
            "  hop:\n    say: hop\n    routes: [{intent: go_on, goto: done}]\n    next: done\n",
            "hop:\n",
            "steps.hop: a step has exactly one behaviour (routes, collect, next or end); "
            "this one has routes and next",
        ),
        (
            "  hop:\n    say: hop\n    collect: name\n",
            "collect",
            "steps.hop.collect: 'collect' needs 'next' as well",
        ),
        (
            "  hop:\n    routes: [{intent: go_on, goto: done}]\n",
            "hop:\n",
            "steps.hop: a waiting step needs 'say': the question the customer answers",
        ),
        (
            '  hop:\n    say: ""\n    routes: [{intent: go_on, goto: done}]\n',
            '""',
            "steps.hop.say: a waiting step needs 'say': the question the customer answers; "
            "this one is empty",
        ),
        (
            '  hop:\n    say: ["", "  "]\n    collect: name\n    next: done\n',
            "say: [",
            "steps.hop.say: a waiting step needs 'say': the question the customer answers; "
            "this one is empty",
        ),
        (
            "  hop:\n    say: []\n    collect: name\n    next: done\n",
            "say: [",
            "steps.hop.say: a waiting step needs 'say': the question the customer answers; "
            "this one is empty",
        ),
        (
            "  hop:\n    say: hop\n    buttons: {Go: go_on}\n    end: completed\n",
            "buttons",
            "steps.hop.buttons: 'buttons' is only for a step with routes",
        ),
        (
            "  hop:\n    say: hop\n    on_exhausted: bye\n    next: done\n",
            "bye\n",
            "steps.hop.on_exhausted: 'on_exhausted' is only for a step that waits "
            "(routes or collect)",
        ),
        (
            "  hop:\n    say: hop\n    next:\n      - {goto: done}\n      - {goto: bye}\n",
            "{goto: done}",
            "steps.hop.next[0]: only the last branch may have no 'if' (the default)",
        ),
        (
            "  hop:\n    say: hop\n    set: {m: x}\n    next:\n      - {if: {m: x}, goto: done}\n",
            "if: {m",
            "steps.hop.next[0].if: the last branch must have no 'if': it is the "
            "default taken when no other branch holds",
        ),
    ],
)
def test_step_shape_errors(steps: str, needle: str, message: str) -> None:
    text = SLOTS + with_steps(steps, ("goto: bye}", "goto: hop}"))
    assert f"{where(text, needle)} {message}" in errors_of(text)


def test_goal_that_is_not_a_completed_end() -> None:
    text = MINI + "goals:\n  - {end: bye}\n"
    assert errors_of(text) == [
        f"{where(text, 'bye}', -1)} goals[0].end: step 'bye' is not an 'end: completed' step"
    ]


def test_goal_that_cannot_be_reached() -> None:
    text = with_steps("  lost:\n    say: x\n    end: completed\n") + "goals:\n  - {end: lost}\n"
    assert errors_of(text) == [
        f"{where(text, 'lost}')} goals[0].end: step 'lost' cannot be reached from start 'ask'"
    ]


def test_loop_of_next_links_with_no_waiting_step() -> None:
    steps = "  a:\n    say: a\n    next: b\n  b:\n    say: b\n    next: a\n"
    text = with_steps(steps, ("goto: bye}", "goto: a}"))
    assert errors_of(text) == [
        f"{where(text, 'b', text.count('b', 0, text.index('next: b')))} steps.a.next: "
        "a loop of next links with no waiting step: a -> b -> a"
    ]


def test_no_reachable_completed_end() -> None:
    text = edit(("    end: completed", "    end: escalated"))
    assert errors_of(text) == [
        f"{where(text, 'ask')} start: no 'end: completed' step can be reached from start "
        "'ask': no conversation could ever complete"
    ]


def test_global_needs_exactly_one_action() -> None:
    text = edit(("global: {then: return}", "global: {say: hi}"))
    assert errors_of(text) == [
        f"{where(text, 'global')} intents.repeat.global: a global intent needs 'goto: STEP' "
        "or 'then: return'"
    ]
    text = edit(("global: {then: return}", "global: {goto: bye, then: return}"))
    assert errors_of(text) == [
        f"{where(text, 'return}')} intents.repeat.global.then: 'goto' and 'then: return' "
        "exclude each other; keep one"
    ]


def test_all_errors_are_reported_in_one_pass() -> None:
    text = edit(
        ("goto: done}", "goto: dnoe}"),
        ("intent: stop,", "intent: stpo,"),
        ("global: {then: return}", "global: {goto: nowhere}"),
    )
    with pytest.raises(FlowError) as info:
        load_flow_text(text, NAME)
    keys = [d.key for d in info.value.diagnostics]
    # The misspelt route also leaves no completed end reachable; only the cause is reported.
    assert set(keys) == {
        "intents.repeat.global.goto",
        "steps.ask.routes[0].goto",
        "steps.ask.routes[1].intent",
    }
    assert str(info.value).splitlines()[0].startswith(f"{NAME}:")


def test_missing_file_is_a_flow_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.flow.yaml"
    with pytest.raises(FlowError, match=r"nope\.flow\.yaml:1:1: cannot read the file"):
        load_flow(missing)


def test_buttons_on_a_collect_step_are_one_error_not_one_per_button() -> None:
    steps = (
        "  hop:\n    say: hop\n    collect: name\n    buttons: {Small: small, Big: big}\n"
        "    next: done\n"
    )
    text = SLOTS + with_steps(steps, ("goto: bye}", "goto: hop}"))
    errors = errors_of(text)
    assert [e for e in errors if "buttons" in e] == [
        f"{where(text, 'buttons')} steps.hop.buttons: 'buttons' is only for a step with routes"
    ]
    assert not any("unknown intent" in e for e in errors)


@pytest.mark.parametrize("label", ['""', "' '"])
def test_a_blank_button_label_is_an_error_at_its_key(label: str) -> None:
    text = edit(("    routes:", f"    buttons: {{{label}: go_on, Stop: stop}}\n    routes:"))
    assert errors_of(text) == [
        f"{where(text, label)} steps.ask.buttons: a button needs a label: the text the "
        "customer sees and clicks"
    ]


def test_an_exponent_without_a_dot_is_explained_as_yaml_reads_it() -> None:
    text = MINI + "goals:\n  - {end: done, weight: 1e6}\n"
    assert errors_of(text) == [
        f"{where(text, '1e6')} goals[0].weight: expected a number, got a string; YAML reads "
        "1e6 as text: write 1.0e+6"
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [("1e6", 1e6), ("1.0e6", 1e6), ("25E-4", 2.5e-3), ("+.5e2", 50.0), ("+3e0", 3.0),
     ("1_0e1", 100.0), ("7.e1", 70.0)],
)
def test_the_exponent_hint_is_a_form_yaml_reads_as_that_number(written: str, value: float) -> None:
    text = MINI + f"goals:\n  - {{end: done, weight: {written}}}\n"
    [error] = errors_of(text)
    suggested = error.rsplit(": write ", 1)[1]
    flow = load_flow_text(text.replace(written, suggested), NAME)
    assert flow.goals[0].weight == pytest.approx(value)


@pytest.mark.parametrize(("written", "suggested"), [("1e2", "100"), ("1.0e2", "100")])
def test_the_exponent_hint_for_a_whole_number_is_its_digits(written: str, suggested: str) -> None:
    text = MINI + f"settings: {{max_turns: {written}}}\n"
    assert errors_of(text) == [
        f"{where(text, written)} settings.max_turns: expected a whole number, got a string; "
        f"YAML reads {written} as text: write {suggested}"
    ]
    assert load_flow_text(text.replace(written, suggested), NAME).settings.max_turns == int(
        suggested
    )


@pytest.mark.parametrize(
    ("key", "written", "expected"),
    [
        ("settings: {max_turns: ", "1e-2", "a whole number from 1 to 1000"),
        ("settings: {max_turns: ", "1e99", "a whole number from 1 to 1000"),
        ("settings: {max_turns: ", "2.5e0", "a whole number from 1 to 1000"),
        ("settings: {max_no_match: ", "-1e0", "a whole number from 0 to 100"),
        ("goals:\n  - {end: done, weight: ", "-1e2", "a number greater than 0"),
        ("thresholds: {completion: ", "5e0", "a number from 0 to 1"),
    ],
)
def test_an_exponent_hint_suggests_no_form_that_fails_too(
    key: str, written: str, expected: str
) -> None:
    text = MINI + f"{key}{written}}}\n"
    [error] = errors_of(text)
    assert error.endswith(
        f"got a string; YAML reads {written} as text, and as a number it would not be "
        f"{expected} either"
    )


def test_the_exponent_hint_for_a_huge_whole_number_asks_for_its_digits(tmp_path: Path) -> None:
    from pytest_persona.customers.persona_file import load_persona_file

    path = tmp_path / "p.persona.yaml"
    path.write_text("persona: p\nbase: plain\nlength_cap: 1e99\n")
    with pytest.raises(FlowError) as raised:
        load_persona_file(str(path))
    assert str(raised.value).endswith(
        "length_cap: expected a whole number or nothing, got a string; YAML reads 1e99 as text: "
        "write it in digits"
    )


def test_a_quoted_number_gets_no_exponent_hint() -> None:
    quoted = '"1.0e+6"'
    text = MINI + f"goals:\n  - {{end: done, weight: {quoted}}}\n"
    message = "goals[0].weight: expected a number, got a string"
    assert errors_of(text) == [f"{where(text, quoted)} {message}"]


@pytest.mark.parametrize(
    ("old", "new", "needle", "key"),
    [
        ('"go ahead"', '"?!"', '"?!"', "intents.go_on.examples[1]"),
        ('"no thanks"', '"  "', '"  "', "intents.stop.examples[0]"),
        ("""["let's do it"]""", '["", "ok"]', '""', "intents.go_on.test_phrases[0]"),
        ('"tell me a joke"', '"..."', '"..."', "off_topic.examples[0]"),
    ],
)
def test_a_phrase_with_no_words_is_an_error_at_its_key(
    old: str, new: str, needle: str, key: str
) -> None:
    text = edit((old, new))
    phrase = needle.strip('"')
    assert errors_of(text) == [
        f"{where(text, needle)} {key}: '{phrase}' has no words in it (letters, digits or emoji)"
    ]


@pytest.mark.parametrize(
    ("slot", "needle", "key"),
    [
        ('{type: text, examples: [Ann, "?"]}', '"?"', "slots.s.examples[1]"),
        ('{type: choice, values: {big: [large, ""]}}', '""', "slots.s.values.big[1]"),
        ('{type: choice, values: [small, "--"]}', '"--"', "slots.s.values[1]"),
        ('{type: pattern, pattern: "[*#]+", examples: ["*", " "]}', '" "', "slots.s.examples[1]"),
    ],
)
def test_a_slot_phrase_with_no_words_is_an_error_at_its_key(
    slot: str, needle: str, key: str
) -> None:
    text = f"slots:\n  s: {slot}\n" + MINI
    phrase = needle.strip('"')
    assert errors_of(text) == [
        f"{where(text, needle)} {key}: '{phrase}' has no words in it (letters, digits or emoji)"
    ]


BLANK_VALUE = ("a choice value needs a name: the word the slot stores, which branches, goals "
               "and read-backs use; this one is blank")


@pytest.mark.parametrize(
    ("values", "needle", "key"),
    [
        ('{"": [x], small: [little]}', '""', "slots.s.values"),
        ('{small: [little], "  ": [x, little]}', '"  "', "slots.s.values"),
        ('["", small]', '""', "slots.s.values[0]"),
    ],
)
def test_a_blank_choice_value_is_an_error_at_a_proper_key(
    values: str, needle: str, key: str
) -> None:
    text = f"slots:\n  s: {{type: choice, values: {values}}}\n" + MINI
    assert errors_of(text) == [f"{where(text, needle)} {key}: {BLANK_VALUE}"]


def test_symbols_a_pattern_slot_reads_and_emoji_are_words_enough() -> None:
    text = 'slots:\n  s: {type: pattern, pattern: "[*#]+", examples: ["*", "##"]}\n' + edit(
        ('"sure"', '"👍"')
    )
    assert load_flow_text(text, NAME).intents["go_on"].examples[2] == "👍"
