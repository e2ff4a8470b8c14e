"""Whole-flow checks: reachability, loops, and the warnings that never stop a flow."""

from __future__ import annotations

import re
import sys

import pytest
from loader_helpers import MINI, NAME, edit, where

from pytest_persona.flow.errors import Diagnostic
from pytest_persona.flow.lint import (
    completed_ends,
    next_loops,
    reachable_steps,
    steps_leading_to,
)
from pytest_persona.flow.loader import check_flow_text, load_flow_text
from pytest_persona.flow.model import Fallback, Flow
from pytest_persona.flow.patterns import backtracking_hazard, pattern_problem


def warnings_of(text: str) -> list[Diagnostic]:
    flow, diagnostics = check_flow_text(text, NAME)
    assert flow is not None, [str(d) for d in diagnostics]
    assert all(d.severity == "warning" for d in diagnostics)
    return diagnostics


def keyed(diagnostics: list[Diagnostic]) -> dict[str, str]:
    return {d.key: d.message for d in diagnostics}


def test_the_clean_fixture_has_no_warnings() -> None:
    assert warnings_of(MINI) == []


def test_warning_text_is_located_and_labelled() -> None:
    text = edit(('examples: ["no thanks", "stop", "not now"]', 'examples: ["no thanks"]'))
    [warning] = warnings_of(text)
    assert str(warning) == (
        f"{NAME}:9:5: warning: intents.stop.examples: only 1 example: give at least 3 so the "
        "matcher knows the intent in other words"
    )


def test_a_blank_text_the_assistant_would_say_is_a_warning() -> None:
    text = edit(
        ('say: "Shall we go on?"', 'say: ["Shall we go on?", " "]'),
        ('say: "Done."', 'say: ""'),
        ('say: "I can only help with this."', 'say: ["Sorry.", ""]'),
    )
    blank = "blank: the assistant sends an empty message"
    off_topic, ask, done = (where(text, needle) for needle in ('""]', '" "', '""\n'))
    assert [str(w) for w in warnings_of(text)] == [
        f"{off_topic} warning: off_topic.say[1]: {blank}; remove it from the list",
        f"{ask} warning: steps.ask.say[1]: {blank}; remove it from the list",
        f"{done} warning: steps.done.say: {blank}; leave say out to say nothing",
    ]


def _said(flow: Flow, key: str) -> tuple[str, ...]:
    """What the assistant says where ``key`` would be said."""
    if key == "steps.ask.no_match":  # the step's own answer, else the fallback's
        return flow.steps["ask"].no_match or flow.fallback.say
    if key == "fallback.say":
        return flow.fallback.say
    if key == "off_topic.say":
        return flow.off_topic.say if flow.off_topic else ("no off_topic",)
    action = flow.intents["repeat"].global_action
    return action.say if action else ("no global",)


@pytest.mark.parametrize(
    ("blank", "key", "advice", "followed", "said"),
    [
        (("    routes:", '    no_match: ""\n    routes:'), "steps.ask.no_match",
         "leave no_match out to answer with fallback.say instead", ("", ""), Fallback().say),
        (("steps:", 'fallback: {say: ""}\nsteps:'), "fallback.say",
         "write say: [] to say nothing (left out, say is the default \"Sorry, I didn't "
         "understand that.\")", ("steps:", "fallback: {say: []}\nsteps:"), ()),
        (("{then: return}", '{then: return, say: ""}'), "intents.repeat.global.say",
         "leave say out to say nothing", ("", ""), ()),
        (('say: "I can only help with this."', 'say: ""'), "off_topic.say",
         "leave say out to say nothing", ('  say: "I can only help with this."\n', ""), ()),
    ],
)
def test_a_blank_texts_advice_is_what_the_loader_does(
    blank: tuple[str, str],
    key: str,
    advice: str,
    followed: tuple[str, str],
    said: tuple[str, ...],
) -> None:
    [warning] = warnings_of(edit(blank))
    assert (warning.key, warning.message) == (
        key, f"blank: the assistant sends an empty message; {advice}"
    )
    fixed = edit(followed) if followed[0] else MINI
    assert warnings_of(fixed) == []
    assert _said(load_flow_text(fixed, NAME), key) == said


def test_unreachable_steps_and_default_goals() -> None:
    text = edit(("  bye:\n", "  lost:\n    say: x\n    end: completed\n  bye:\n"))
    flow, diagnostics = check_flow_text(text, NAME)
    assert flow is not None and [g.end for g in flow.goals] == ["done"]
    assert keyed(diagnostics) == {
        "steps.lost": "unreachable from start 'ask'; it is left out of the default goals"
    }
    assert reachable_steps(flow) == {"ask", "done", "bye"}
    assert completed_ends(flow) == ("done", "lost")


def test_global_goto_targets_are_reachable() -> None:
    text = edit(
        ("global: {then: return}", "global: {goto: human}"),
        ("  bye:\n", "  human:\n    say: hi\n    end: escalated\n  bye:\n"),
    )
    flow = load_flow_text(text)
    assert "human" in reachable_steps(flow)


def test_on_exhausted_targets_are_reachable() -> None:
    text = edit(
        ("    routes:", "    on_exhausted: human\n    routes:"),
        ("  bye:\n", "  human:\n    say: hi\n    end: escalated\n  bye:\n"),
    )
    assert "human" in reachable_steps(load_flow_text(text))


def test_steps_leading_to_follows_edges_backwards() -> None:
    flow = load_flow_text(MINI)
    assert steps_leading_to(flow, ["done"]) == {"ask", "done"}
    assert steps_leading_to(flow, ["bye", "nope"]) == {"ask", "bye"}


def _loop_flow(steps: str) -> Flow:
    text = edit(("goto: bye}", "goto: a}"), ("  bye:\n", steps + "  bye:\n"))
    text = "slots:\n  n: {type: number}\n" + text
    flow, _ = check_flow_text(text, NAME)
    from pytest_persona.flow.flowbuild import FlowBuilder
    from pytest_persona.flow.yamlsource import MapNode, parse_yaml

    if flow is not None:
        return flow
    root = parse_yaml(text, NAME)
    assert isinstance(root, MapNode)
    return FlowBuilder(root, NAME).build("")


def test_next_loops_finds_each_loop_once() -> None:
    flow = _loop_flow(
        "  a:\n    say: a\n    next: b\n  b:\n    say: b\n    next: c\n"
        "  c:\n    say: c\n    next:\n      - {if: {n: '1'}, goto: a}\n      - {goto: c}\n"
    )
    # c -> c is part of the same tangle (a, b, c): reported once, from its first step.
    assert next_loops(flow) == [["a", "b", "c", "a"]]


def test_a_self_loop_is_a_loop() -> None:
    flow = _loop_flow("  a:\n    say: a\n    next: a\n")
    assert next_loops(flow) == [["a", "a"]]


def test_a_loop_through_a_collect_step_is_only_a_warning() -> None:
    steps = (
        "  a:\n    say: how many?\n    collect: n\n    next: b\n"
        "  b:\n    say: checking\n    next:\n"
        "      - {if: {n: '0'}, goto: a}\n      - {goto: done}\n"
    )
    flow = _loop_flow(steps)
    assert next_loops(flow) == []
    assert next_loops(flow, ("next", "collect")) == [["a", "b", "a"]]
    found = keyed(
        warnings_of(
            edit(
                ("goto: bye}", "goto: a}"),
                ("  bye:\n", steps + "  bye:\n"),
                base="slots:\n  n: {type: number}\n" + MINI,
            )
        )
    )
    assert found["steps.a.next"].startswith("a loop with no routes step: a -> b -> a; once n")


def test_few_examples_warning() -> None:
    text = edit(
        ('examples: ["yes please", "go ahead", "sure"]', 'examples: ["yes please", "sure"]')
    )
    assert keyed(warnings_of(text)) == {
        "intents.go_on.examples": "only 2 examples: give at least 3 so the matcher knows the "
        "intent in other words"
    }


def test_intent_on_a_goal_path_without_test_phrases() -> None:
    text = edit(('    test_phrases: ["let\'s do it"]\n', ""))
    assert keyed(warnings_of(text)) == {
        "intents.go_on": "on the way to a goal but has no test_phrases: simulated customers ask "
        "for it mostly in rewordings of its examples, so its scores lean on words the matcher "
        "already knows"
    }


def test_intents_off_the_goal_path_need_no_test_phrases() -> None:
    # "stop" leads to bye (abandoned): not towards a goal, so no warning for it.
    assert "intents.stop" not in keyed(warnings_of(MINI))


def test_same_example_under_two_intents_ignores_case_and_punctuation() -> None:
    text = edit(('"not now"]', '"Go ahead!"]'))
    assert keyed(warnings_of(text)) == {
        "intents.stop.examples[2]": "'Go ahead!' is also an example of intent 'go_on': they will "
        "be confused"
    }


def test_example_shared_with_off_topic() -> None:
    text = edit(('"who won the match"]', '"sure"]'))
    assert keyed(warnings_of(text)) == {
        "off_topic.examples[2]": "'sure' is also an example of intent 'go_on': "
        "they will be confused"
    }


@pytest.mark.parametrize(
    "repeat",
    [
        "  repeat:\n    examples: [a, b, c]\n    global: {then: return}\n",
        "  again:\n    examples: [say that again, once more, eh]\n"
        "    global: {say: 'I said:', then: return}\n",
        "  repeat_please:\n    examples: [one, two, three]\n"
        "    global: {say: 'Sure:', then: return}\n",
    ],
)
def test_a_repeat_style_global_silences_the_warning(repeat: str) -> None:
    text = re.sub(r"  repeat:\n.*\n.*global: \{then: return\}\n", repeat, MINI)
    assert "intents" not in keyed(warnings_of(text))


def test_missing_repeat_and_off_topic_warnings() -> None:
    text = re.sub(r"  repeat:\n.*\n.*global: \{then: return\}\n", "", MINI)
    text = re.sub(r"off_topic:\n.*\n.*\n", "", text)
    found = keyed(warnings_of(text))
    assert found["intents"].startswith("no repeat-style global intent")
    assert (
        found["off_topic"] == "no off_topic: off-topic messages will all count as misunderstandings"
    )
    assert [d.line for d in warnings_of(text) if d.key == "off_topic"] == [1]


def test_a_help_global_that_answers_is_not_a_repeat_handler() -> None:
    text = edit(
        (
            '  repeat:\n    examples: ["say that again", "repeat please", "pardon"]\n'
            "    global: {then: return}",
            '  help:\n    examples: ["what can you do", "help me", "options"]\n'
            "    global: {say: 'I can help.', then: return}",
        )
    )
    assert keyed(warnings_of(text))["intents"].startswith("no repeat-style global intent")


def test_unused_intent_button_without_route_and_unknown_placeholder() -> None:
    text = edit(
        ("  repeat:\n", "  lonely:\n    examples: [a b, c d, e f]\n  repeat:\n"),
        ("    routes:", "    buttons: {Lonely: lonely}\n    routes:"),
        ('say: "Done."', 'say: "Done, {nmae}."'),
    )
    assert keyed(warnings_of(text)) == {
        "steps.ask.buttons.Lonely": "intent 'lonely' has no route at this step: a click is not "
        "understood",
        "steps.done.say": "'{nmae}' is not a slot or a 'set' name: it is said as is",
    }


def test_an_intent_nothing_uses() -> None:
    text = edit(("  repeat:\n", "  lonely:\n    examples: [a b, c d, e f]\n  repeat:\n"))
    assert keyed(warnings_of(text)) == {
        "intents.lonely": "not used by any route, button or global: "
        "the matcher never listens for it"
    }


def test_slot_examples_that_miss_the_pattern() -> None:
    text = (
        "slots:\n  code:\n    type: pattern\n    pattern: '\\d{5}'\n"
        "    examples: ['12345', 'abc']\n"
    )
    assert keyed(warnings_of(text + MINI)) == {
        "slots.code.examples[1]": "'abc' does not match the slot's pattern: "
        "customers saying it fail"
    }


def test_warnings_and_errors_are_sorted_errors_first() -> None:
    text = edit(
        ('examples: ["no thanks", "stop", "not now"]', 'examples: ["no thanks"]'),
        ("goto: done}", "goto: doen}"),
    )
    _, diagnostics = check_flow_text(text, NAME)
    severities = [d.severity for d in diagnostics]
    assert severities == sorted(severities, key=lambda s: s != "error")
    assert "warning" in severities and "error" in severities


# --- slot patterns ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"(a*)*b",
        r"(\w+\s?)*$",
        r"^(?:\d+)*x",
        r"((a+))+",
        r"(x+x+)+y",
        r"(a{1,}){2,}",
        r"(?:a+b?){1,100}",
        r"(a|a)+$",
        r"(a|ab)*c",
        r"(?P<word>[a-z]+-?)+$",
    ],
)
def test_catastrophic_patterns_are_rejected(pattern: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None and problem.startswith("can backtrack catastrophically")


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(?:ORD-?)?(\d{5})\b",
        r"\d{5}",
        r"[a-z]+@[a-z]+\.com",
        r"(?i)\b(small|medium|large)\b",
        r"\(a+\)+",
        r"[(+)]+",
        # Possessive quantifiers and atomic groups exist from Python 3.11 on.
        *([r"(a+)++", r"(?>a+)+"] if sys.version_info >= (3, 11) else []),
        r"(\d{3}-){2}\d{4}",
        r"(?:\s|,)+",
        r"a{,5}",
        r"x{}",
    ],
)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert pattern_problem(pattern) is None, backtracking_hazard(pattern)


def test_a_pattern_that_does_not_compile() -> None:
    assert (
        pattern_problem("(a")
        == "does not compile: missing ), unterminated subpattern (at position 0)"
    )
    assert pattern_problem("a{5,2}") is not None


def test_unknown_placeholders_in_off_topic_and_fallback_answers() -> None:
    text = edit(
        ('say: "I can only help with this."', 'say: "I can only help with {topik}."'),
        ("steps:\n", 'fallback:\n  say: ["Sorry {nam}, say it again?"]\nsteps:\n'),
    )
    assert keyed(warnings_of(text)) == {
        "off_topic.say": "'{topik}' is not a slot or a 'set' name: it is said as is",
        "fallback.say": "'{nam}' is not a slot or a 'set' name: it is said as is",
    }


def _with_goal_value(slot: str, value: str) -> str:
    goal = f'goals:\n  - {{end: done, slots: {{size: "{value}"}}}}\n'
    return edit(("steps:\n", f"slots:\n  size: {slot}\n{goal}steps:\n"))


@pytest.mark.parametrize(
    ("slot", "value", "takes"),
    [
        ("{type: choice, values: {small: [little], large: []}}", "huge", "one of 'small', 'large'"),
        ("{type: number, min: 1, max: 6}", "40", "a number from 1 to 6"),
        ("{type: pattern, pattern: '\\d{5}', examples: ['12345']}", "12", "text matching \\d{5}"),
        ("{type: email}", "not an address", "an e-mail address"),
    ],
)
def test_a_goal_value_its_slot_cannot_take_is_an_error(slot: str, value: str, takes: str) -> None:
    from loader_helpers import errors_of, where

    text = _with_goal_value(slot, value)
    assert errors_of(text) == [
        f"{where(text, chr(34) + value)} goals[0].slots.size: '{value}' is not a value slot "
        f"'size' can take: {takes}"
    ]


@pytest.mark.parametrize("value", ["large", "small", "3"])
def test_goal_values_a_slot_can_take_pass(value: str) -> None:
    slot = "{type: choice, values: {small: [little], large: []}}"
    if value == "3":
        slot = "{type: number, min: 1, max: 6}"
    text = _with_goal_value(slot, value)
    assert load_flow_text(text, "m.flow.yaml").goals[0].slots == {"size": value}


def test_a_read_back_that_routes_to_ask_again_without_clear_is_a_warning() -> None:
    flow = (
        "flow: redo\nstart: ask\nintents:\n"
        '  affirm: {examples: ["yes", "yeah", "correct"]}\n'
        '  deny: {examples: ["no", "nope", "wrong"]}\n'
        "slots:\n  day: {type: text, examples: [Monday]}\n"
        "steps:\n  ask: {collect: day, say: Which day?, next: confirm}\n"
        '  confirm:\n    say: "So {day}, right?"\n    routes:\n'
        "      - {intent: affirm, goto: done}\n      - {intent: deny, goto: ask%s}\n"
        "  done: {say: Done., end: completed}\n"
    )
    assert keyed(warnings_of(flow % "")).get("steps.confirm.routes[1]") == (
        "goes back to 'ask' to ask for day again, but without clear: [day] that step is "
        "skipped, as day is still filled"
    )
    assert "steps.confirm.routes[1]" not in keyed(warnings_of(flow % ", clear: [day]"))


def test_slot_examples_the_engine_cannot_read_are_warned_about_for_every_type() -> None:
    slots = (
        "slots:\n  minutes: {type: number, min: 15, examples: ['20', 'about an hour']}\n"
        "  size: {type: choice, values: {small: [], large: []}, examples: [large, huge]}\n"
    )
    found = keyed(warnings_of(edit(("steps:\n", slots + "steps:\n"))))
    assert found["slots.minutes.examples[1]"] == (
        "'about an hour' is not a value the number slot can read: customers saying it are "
        "not understood"
    )
    assert "huge" in found["slots.size.examples[1]"]
    assert "slots.minutes.examples[0]" not in found and "slots.size.examples[0]" not in found


def test_a_goal_value_that_is_a_choices_synonym_must_be_written_as_its_name() -> None:
    from loader_helpers import errors_of, where

    text = _with_goal_value("{type: choice, values: {small: [little], large: [big]}}", "big")
    assert errors_of(text) == [
        f"{where(text, chr(34) + 'big')} goals[0].slots.size: 'big' stands for 'large' of "
        "slot 'size': write 'large'"
    ]


def _with_branch(slot: str, condition: str, sets: str = "") -> str:
    """MINI with slot ``s``, a step that collects it and branches on ``condition``."""
    steps = (
        f"  get:\n    say: Which?\n    collect: s\n{sets}"
        f"    next:\n      - {{if: {{s: {condition}}}, goto: done}}\n      - {{goto: bye}}\n"
    )
    return edit(
        ("steps:\n", f"slots:\n  s: {slot}\nsteps:\n"),
        ("goto: done}", "goto: get}"),
        ("  bye:\n", steps + "  bye:\n"),
    )


SIZE = "{type: choice, values: {small: [little], large: [big]}}"


@pytest.mark.parametrize(
    ("slot", "condition", "needle", "key", "message"),
    [
        (SIZE, "larg", "larg", "if.s",
         "'larg' is not a value slot 's' can take: one of 'small', 'large' "
         "(did you mean 'large'?)"),
        (SIZE, "[small, big]", "big]", "if.s[1]",
         "'big' stands for 'large' of slot 's', and 'if' compares the name stored: "
         "write 'large'"),
        ("{type: number, min: 1, max: 6}", "40", "40", "if.s",
         "'40' is not a value slot 's' can take: a number from 1 to 6"),
        ("{type: number}", "4.0", "4.0", "if.s", "slot 's' stores '4.0' as '4': write '4'"),
        ("{type: phone}", '"020 7946 0958"', '"020', "if.s",
         "slot 's' stores '020 7946 0958' as '02079460958': write '02079460958'"),
        ("{type: date}", "tomorrow", "tomorrow", "if.s",
         "slot 's' stores a date as YYYY-MM-DD, never as 'tomorrow'"),
    ],
)
def test_a_branch_on_a_value_its_slot_never_holds_is_an_error(
    slot: str, condition: str, needle: str, key: str, message: str
) -> None:
    from loader_helpers import errors_of

    text = _with_branch(slot, condition)
    assert errors_of(text) == [f"{where(text, needle, -1)} steps.get.next[0].{key}: {message}"]


@pytest.mark.parametrize(
    ("slot", "condition", "sets"),
    [
        (SIZE, "[small, large]", ""),
        (SIZE, "huge", "    set: {s: huge}\n"),  # a set may give a slot any value
        ("{type: number}", "4", ""),
        ("{type: date}", "2025-03-12", ""),
        ("{type: text, examples: [Ann]}", "anything at all", ""),  # text values: unchecked
        ("{type: pattern, pattern: 'ORD-(\\d+)', examples: [ORD-1]}", "1", ""),
    ],
)
def test_branch_values_a_slot_can_hold_pass(slot: str, condition: str, sets: str) -> None:
    load_flow_text(_with_branch(slot, condition, sets), NAME)


def test_a_branch_on_a_name_only_set_assigns_is_not_checked() -> None:
    text = _with_branch(SIZE, "small").replace(
        "{if: {s: small}", "{if: {state: ready}"
    ).replace("    next:\n", "    set: {state: waiting}\n    next:\n", 1)
    assert load_flow_text(text, NAME).steps["get"].next[0].when == {"state": ("ready",)}


@pytest.mark.parametrize(
    ("say", "message"),
    [
        ("A {size coffee?", "'{' without a closing '}': said as written"),
        ("A size} coffee?", "'}' without an opening '{': said as written"),
        ("A { size } coffee?",
         "'{ size }' is no {name} (a slot or 'set' name in braces, nothing else): said as written"),
    ],
)
def test_a_stray_brace_in_a_text_is_said_as_written(say: str, message: str) -> None:
    text = edit(('say: "Shall we go on?"', f'say: "{say}"'))
    assert keyed(warnings_of(text)).get("steps.ask.say") == message


def test_braces_around_a_known_name_are_no_stray_brace() -> None:
    text = edit(("flow: mini", "flow: mini\nslots: {size: {type: text, examples: [a, b]}}"),
                ('say: "Done."', 'say: "{size}, {size}."'))
    assert "steps.done.say" not in keyed(warnings_of(text))
