"""Loading flows: the model the loader builds from a valid file, and the shipped schema."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator
from loader_helpers import MINI, NAME, SPEC, edit, with_steps

from pytest_persona.flow.loader import (
    check_flow,
    check_flow_text,
    flow_schema,
    load_flow,
    load_flow_text,
    schema_path,
)
from pytest_persona.flow.model import Branch, Goal, Limit, Position, Thresholds

# --- the model ---------------------------------------------------------------------------


def test_spec_example_builds_the_documented_model() -> None:
    flow = load_flow(SPEC)
    assert flow.id == "order-status"
    assert flow.start == "greet"
    assert flow.settings.max_no_match == 2 and flow.settings.match_threshold == 0.75
    assert flow.intents["repeat"].global_action is not None
    assert flow.intents["repeat"].global_action.then_return
    assert flow.intents["agent"].global_action.goto == "handoff"  # type: ignore[union-attr]
    help_action = flow.intents["help"].global_action
    assert help_action is not None and help_action.say and help_action.then_return
    assert [i.name for i in flow.global_intents] == ["agent", "repeat", "help"]
    order = flow.slots["order_id"]
    assert (order.type, order.scan, order.examples) == ("pattern", True, ("48213", "ORD-55120"))
    assert flow.slots["address"].scan is False
    assert flow.steps["greet"].buttons == {
        "Track an order": "track_order",
        "Change address": "change_address",
    }
    assert flow.steps["confirm"].routes[1].clear == ("order_id",)
    assert flow.steps["ask_order"].next == (Branch(goto="confirm"),)
    assert flow.steps["ask_order"].kind == "collect"
    assert flow.steps["check_dispatch"].set == {"dispatched": "no"}
    assert flow.steps["check_dispatch"].next == (
        Branch(goto="too_late", when={"dispatched": ("yes",)}),
        Branch(goto="ask_address"),
    )
    assert flow.fallback.say == ("Sorry, I didn't catch that.", "Sorry, I still didn't get that.")
    assert flow.off_topic is not None and flow.off_topic.then_return
    assert flow.goals == (
        Goal(end="status", weight=3),
        Goal(end="address_done", weight=1, slots={"address": "9 Mill Lane, York"}),
    )
    assert flow.thresholds.flow == Thresholds(
        completion=Limit(limit=0.8),
        fallback_rate=Limit(limit=0.3, warn=0.15),
        off_topic_recovery=Limit(limit=0.6, warn=0.8),
    )
    assert flow.thresholds.personas == {"typo-prone": Thresholds(completion=Limit(limit=0.7))}


def test_path_hash_and_positions() -> None:
    flow = load_flow(SPEC)
    text = SPEC.read_text(encoding="utf-8")
    assert flow.path == str(SPEC)
    assert flow.content_hash == hashlib.blake2b(SPEC.read_bytes(), digest_size=16).hexdigest()
    line_index = text.splitlines().index(
        "      - {intent: deny, goto: ask_order, clear: [order_id]}"
    )
    assert flow.positions["steps.confirm.routes[1].goto"] == Position(line_index + 1, 30)
    intents_line = text.splitlines().index("  affirm:") + 1
    assert flow.positions["intents.affirm"] == Position(intents_line, 3)


def test_path_is_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.flow.yaml").write_text(MINI, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_flow("x.flow.yaml").path == "x.flow.yaml"
    assert load_flow(Path("x.flow.yaml")).path == "x.flow.yaml"


def test_default_goals_are_reachable_completed_steps() -> None:
    text = with_steps("  lost:\n    say: never reached\n    end: completed\n")
    flow, diagnostics = check_flow_text_ok(text)
    assert flow.goals == (Goal(end="done"),)
    assert any("left out of the default goals" in str(d) for d in diagnostics)


def check_flow_text_ok(text: str) -> tuple[Any, list[Any]]:
    flow, diagnostics = check_flow_text(text, NAME)
    assert flow is not None, [str(d) for d in diagnostics]
    return flow, diagnostics


def test_slot_shapes_and_scan_defaults() -> None:
    slots = (
        "slots:\n"
        "  size: {type: choice, values: {small: [little, tiny], large: big, medium: ~}}\n"
        "  colour: {type: choice, values: [red, green], scan: false}\n"
        "  count: {type: number, min: 1, max: 12}\n"
        "  when: {type: date}\n"
        "  mail: {type: email}\n"
        "  phone: {type: phone}\n"
        "  note: {type: text, examples: [hello], scan: true}\n"
    )
    flow = load_flow_text(edit(("steps:\n", slots + "steps:\n")))
    size, colour, count = flow.slots["size"], flow.slots["colour"], flow.slots["count"]
    assert size.values == {"small": ("little", "tiny"), "large": ("big",), "medium": ()}
    assert colour.values == {"red": (), "green": ()} and colour.scan is False
    assert (count.minimum, count.maximum, count.scan) == (1.0, 12.0, False)
    scans = {name: slot.scan for name, slot in flow.slots.items()}
    assert scans == {
        "size": True,
        "colour": False,
        "count": False,
        "when": False,
        "mail": True,
        "phone": True,
        "note": True,
    }


def test_scalars_are_stringified_as_written() -> None:
    steps = (
        "  hop:\n    say: [first, 2]\n    set: {code: 007, rate: 1.50}\n"
        "    next:\n      - {if: {code: [007, '8']}, goto: done}\n      - {goto: bye}\n"
    )
    text = with_steps(steps, ("goto: done}", "goto: hop}"))
    text += "goals:\n  - {end: done, slots: {}}\n"
    flow = load_flow_text(text)
    hop = flow.steps["hop"]
    assert hop.say == ("first", "2")
    assert hop.set == {"code": "007", "rate": "1.50"}
    assert hop.next[0].when == {"code": ("007", "8")}
    assert hop.next[1] == Branch(goto="bye")


def test_unquoted_button_labels_are_text() -> None:
    text = edit(("    routes:\n", "    buttons: {Yes: go_on, No: stop}\n    routes:\n"))
    assert load_flow_text(text).steps["ask"].buttons == {"Yes": "go_on", "No": "stop"}


def test_extension_keys_and_free_persona_names_are_accepted() -> None:
    text = (
        MINI + "x-owner: team-a\nthresholds:\n  personas:\n    my-own-persona: {completion: 0.5}\n"
    )
    text = edit(("  done:\n", "  done:\n    x-note: shipped\n"), base=text)
    flow = load_flow_text(text)
    assert flow.thresholds.personas["my-own-persona"].completion == Limit(limit=0.5)


def test_fallback_defaults_and_overrides() -> None:
    assert load_flow_text(MINI).fallback.reprompt is True
    flow = load_flow_text(MINI + "fallback: {say: Eh?, reprompt: false}\n")
    assert flow.fallback.say == ("Eh?",) and flow.fallback.reprompt is False


def test_warnings_do_not_stop_loading() -> None:
    flow, diagnostics = check_flow(SPEC)
    assert flow is not None
    assert diagnostics and all(d.severity == "warning" for d in diagnostics)


# --- the schema ---------------------------------------------------------------------------


def test_schema_is_valid_draft_07_with_descriptions() -> None:
    schema = flow_schema()
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert Path(schema_path()).is_file()
    missing = [
        name for name, prop in _properties(schema) if "description" not in _resolved(schema, prop)
    ]
    assert missing == []


def _properties(node: Any) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            found.append((name, prop))
        for value in node.values():
            found += _properties(value)
    return found


def _resolved(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    if "description" in prop or "$ref" not in prop:
        return prop
    target: dict[str, Any] = schema["definitions"][prop["$ref"].rsplit("/", 1)[1]]
    return target
