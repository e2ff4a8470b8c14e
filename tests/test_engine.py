"""The engine plays a flow by the rules of flow-format.md.

Routes, collect and scanning, ``next`` and ``set``, buttons, interpolation and errors;
not understanding and off-topic are in test_engine_recovery.py. Most tests use the
``talk`` fixture, whose keyword matcher pins the engine's rules whatever the real
matcher scores; the last tests run the real matcher end to end.
"""

from __future__ import annotations

import pytest
from flowbuilders import (
    Talk,
    ask,
    build,
    collect,
    end,
    go,
    intent,
    move,
    order_flow,
)
from flowbuilders import talk as talk  # the fixture
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_persona.flow.engine import Assistant, Conversation, ConversationEnded
from pytest_persona.flow.model import FlowSettings, Slot


def test_start_says_the_first_step_and_offers_its_buttons() -> None:
    reply = Assistant(order_flow()).conversation().start()
    assert reply.messages == ("What do you need?",)
    assert reply.step == "greet"
    assert reply.buttons == ("Track an order", "Talk to us")
    assert reply.visited == ("greet",)
    assert reply.outcome is None


def test_a_route_takes_the_matched_intent_to_its_step(talk: Talk) -> None:
    reply = talk(order_flow()).reply("hi, where is my order")
    assert (reply.intent, reply.confidence, reply.step) == ("track", 1.0, "ask_order")
    assert reply.messages == ("Your order number?",)
    assert not reply.misunderstood and not reply.reasked and reply.buttons == ()


def test_collect_stores_the_value_then_follows_next(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("track my package")
    reply = conversation.reply("it's ORD-48213")
    assert reply.filled == {"order_id": "48213"}
    assert reply.messages == ("Order 48213, right?",)
    assert reply.intent is None and reply.step == "confirm"
    done = conversation.reply("yes")
    assert (done.outcome, done.end_step, done.step) == ("completed", "status", None)
    assert done.messages == ("Order 48213 is on its way.",)
    assert conversation.ended and conversation.outcome == "completed"


def test_scanning_fills_a_slot_and_its_collect_step_is_passed_through(talk: Talk) -> None:
    conversation = talk(order_flow())
    early = conversation.reply("48213")  # not understood at greet, but the detail is kept
    assert early.misunderstood and early.filled == {"order_id": "48213"}
    reply = conversation.click("Track an order")
    assert reply.visited == ("ask_order", "confirm")
    assert reply.messages == ("Order 48213, right?",)


def test_scanning_never_overwrites_a_filled_slot(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("where is my order")
    conversation.reply("48213")
    reply = conversation.reply("hmm 55120")  # neither yes nor no
    assert reply.filled == {} and conversation.slots["order_id"] == "48213"


def test_a_routes_clear_happens_before_scanning_so_a_correction_sticks(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("where is my order")
    conversation.reply("48213")
    reply = conversation.reply("no, it's 55120")
    assert reply.intent == "deny" and reply.filled == {"order_id": "55120"}
    assert reply.messages == ("Order 55120, right?",)


def test_a_cleared_slot_is_asked_for_again(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("where is my order")
    conversation.reply("48213")
    reply = conversation.reply("no")
    assert reply.step == "ask_order" and "order_id" not in conversation.slots


def test_a_collect_step_whose_slot_is_set_is_passed_through_unsaid() -> None:
    flow = build(
        "a",
        [
            move("a", "Hi.", go("ask"), set_={"tier": "gold"}),
            collect("ask", "tier", "Which tier?", go("done")),
            end("done", "Tier {tier}."),
        ],
        [intent("x", "x")],
        [Slot("tier", "text", False)],
    )
    reply = Assistant(flow).conversation().start()
    assert reply.messages == ("Hi.", "Tier gold.") and reply.visited == ("a", "ask", "done")


def test_a_collect_step_with_nothing_to_match_only_extracts() -> None:
    flow = build(
        "ask",
        [collect("ask", "n", "How many?", go("done")), end("done", "{n} it is.")],
        [intent("x", "x")],
        [Slot("n", "number", False, minimum=1, maximum=9)],
    )
    conversation = Assistant(flow).conversation()
    conversation.start()
    missed = conversation.reply("twelve")  # out of range: no value
    assert missed.misunderstood and missed.messages == (
        "Sorry, I didn't understand that.",
        "How many?",
    )
    assert conversation.reply("three please").messages == ("3 it is.",)


def test_collect_step_scans_other_slots_but_not_its_own() -> None:
    flow = build(
        "ask_qty",
        [
            collect("ask_qty", "qty", "How many?", go("ask_colour")),
            collect("ask_colour", "colour", "Which colour?", go("done")),
            end("done", "{qty} in {colour}."),
        ],
        [intent("repeat", "say that again", back=True)],
        [Slot("qty", "number", True), Slot("colour", "choice", True, values={"red": ("crimson",)})],
    )
    conversation = Assistant(flow).conversation()
    conversation.start()
    reply = conversation.reply("3 crimson ones")
    assert reply.filled == {"colour": "red", "qty": "3"}
    assert reply.outcome == "completed" and reply.messages == ("3 in red.",)


def test_next_chains_say_every_step_in_order() -> None:
    flow = build(
        "a",
        [
            move("a", ("Hello.", "Welcome."), go("b")),
            move("b", "Step b.", go("c")),
            end("c", "Bye."),
        ],
        [intent("x", "x")],
    )
    reply = Assistant(flow).conversation().start()
    assert reply.messages == ("Hello.", "Welcome.", "Step b.", "Bye.")
    assert reply.visited == ("a", "b", "c") and reply.outcome == "completed"


@pytest.mark.parametrize(
    ("tier", "expected"),
    [("gold", "vip"), ("silver", "vip"), ("bronze", "plain"), ("tin", "plain")],
)
def test_conditional_next_takes_the_first_branch_that_holds(tier: str, expected: str) -> None:
    flow = build(
        "check",
        [
            move("check", "Checking.", go("vip", tier=("gold", "silver"), paid="yes"),
                 go("plain"), set_={"tier": tier, "paid": "yes"}),
            end("vip", "VIP {tier}."),
            end("plain", "Plain {tier}."),
        ],
        [intent("x", "x")],
    )  # fmt: skip
    assert Assistant(flow).conversation().start().end_step == expected


def test_a_branch_needs_every_named_slot_to_hold() -> None:
    flow = build(
        "check",
        [
            move("check", "Checking.", go("both", a="1", b="2"), go("other"), set_={"a": "1"}),
            end("both", "Both."),
            end("other", "Other."),
        ],
        [intent("x", "x")],
    )
    assert Assistant(flow).conversation().start().end_step == "other"


def test_set_assigns_before_say_and_stays_out_of_filled() -> None:
    flow = build(
        "check",
        [
            move("check", "Status: {status}.", go("done"), set_={"status": "sent"}),
            end("done", "Ok."),
        ],
        [intent("x", "x")],
    )
    conversation = Assistant(flow).conversation()
    reply = conversation.start()
    assert reply.messages == ("Status: sent.", "Ok.") and reply.filled == {}
    assert conversation.slots == {"status": "sent"}


def test_a_click_sends_its_intent_with_full_confidence(talk: Talk) -> None:
    conversation = talk(order_flow())
    reply = conversation.click("Track an order")
    assert (reply.intent, reply.confidence, reply.step) == ("track", 1.0, "ask_order")
    assert conversation.turns == 1


def test_a_click_on_a_global_intent_button_runs_the_global(talk: Talk) -> None:
    assert talk(order_flow()).click("Talk to us").outcome == "escalated"


def test_an_unknown_button_label_is_a_value_error(talk: Talk) -> None:
    conversation = talk(order_flow())
    with pytest.raises(ValueError, match="no button 'Nope'"):
        conversation.click("Nope")
    assert conversation.turns == 0


def test_messages_after_the_end_raise_a_clear_error(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("talk to a human")
    with pytest.raises(ConversationEnded, match="already ended"):
        conversation.reply("hello?")
    with pytest.raises(RuntimeError):
        conversation.click("Track an order")


def test_reply_before_start_and_a_second_start_are_errors() -> None:
    conversation = Assistant(order_flow()).conversation()
    with pytest.raises(RuntimeError, match="start"):
        conversation.reply("hi")
    conversation.start()
    with pytest.raises(RuntimeError, match="already"):
        conversation.start()


def test_unfilled_references_stay_as_written_and_braces_are_not_escapes() -> None:
    flow = build(
        "a",
        [
            move("a", "Order {order_id}; {{x}} {not a name} {0}", go("b"), set_={"x": "1"}),
            end("b", "Done."),
        ],
        [intent("x", "x")],
    )
    reply = Assistant(flow).conversation().start()
    assert reply.messages[0] == "Order {order_id}; {1} {not a name} {0}"


def test_a_next_loop_without_a_waiting_step_is_stopped() -> None:
    flow = build("a", [move("a", "A", go("b")), move("b", "B", go("a"))], [intent("x", "x")])
    with pytest.raises(RuntimeError, match="loop"):
        Assistant(flow).conversation().start()


def test_a_loop_of_filled_collect_steps_is_stopped() -> None:
    flow = build(
        "a",
        [collect("a", "s", "S?", go("b"), set_={"s": "1"}), move("b", "B", go("a"))],
        [intent("x", "x")],
        [Slot("s", "text", False)],
    )
    with pytest.raises(RuntimeError, match="loop"):
        Assistant(flow).conversation().start()


def test_a_hand_built_flow_with_an_unknown_step_fails_at_compile_time() -> None:
    flow = build("a", [ask("a", "A?", {"x": "nowhere"})], [intent("x", "x")])
    with pytest.raises(ValueError, match="nowhere"):
        Assistant(flow)


def test_slots_view_is_read_only(talk: Talk) -> None:
    conversation = talk(order_flow())
    with pytest.raises(TypeError):
        conversation.slots["order_id"] = "1"  # type: ignore[index]


def test_prompt_and_step_describe_the_pending_question(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("where is my order")
    conversation.reply("48213")
    assert conversation.step == "confirm" and conversation.prompt == ("Order 48213, right?",)


# The real matcher, end to end: examples said as written are understood.


def test_the_order_flow_completes_with_the_real_matcher() -> None:
    conversation = Assistant(order_flow()).conversation()
    conversation.start()
    assert conversation.reply("where is my order").step == "ask_order"
    assert conversation.reply("ORD-48213").step == "confirm"
    assert conversation.reply("say that again").reasked
    assert conversation.reply("correct").outcome == "completed"


def test_repeat_is_never_stored_as_a_name_with_the_real_matcher() -> None:
    conversation = Assistant(order_flow()).conversation()
    conversation.start()
    conversation.reply("change my address")
    reply = conversation.reply("say that again")
    assert reply.intent == "repeat" and "name" not in conversation.slots


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=8))
def test_any_messages_keep_the_reply_invariants(texts: list[str]) -> None:
    assistant = Assistant(order_flow(FlowSettings(max_turns=6)))
    conversation = assistant.conversation()
    conversation.start()
    for text in texts:
        if conversation.ended:
            with pytest.raises(ConversationEnded):
                conversation.reply(text)
            break
        reply = conversation.reply(text)
        assert (reply.step is None) == (reply.outcome is not None) == conversation.ended
        assert not (reply.misunderstood and reply.off_topic)
        assert reply.step is None or reply.step in assistant.flow.steps
        assert set(reply.filled) <= set(conversation.slots)
    assert conversation.turns <= 6


def _account_then_phone(example: str, pattern: str) -> Conversation:
    """An account reference (``pattern``) then a phone number, every slot scanned."""
    from flowbuilders import build, collect, end, go

    flow = build(
        "ask_account",
        [
            collect("ask_account", "account", "Account number?", go("ask_phone")),
            collect("ask_phone", "phone", "Phone?", go("done")),
            end("done", "Done."),
        ],
        [],
        [
            Slot("account", "pattern", True, examples=(example,), pattern=pattern),
            Slot("phone", "phone", True, examples=("07700 900111",)),
        ],
    )
    conversation = Assistant(flow).conversation()
    conversation.start()
    return conversation


def test_a_value_the_collect_step_reads_is_not_also_scanned_into_another_detail() -> None:
    """"My account number is 31008842" answers the account question; the phone slot's
    scan must not take the same eight digits for a phone number."""
    conversation = _account_then_phone("31008842", r"\b(\d{8})\b")
    reply = conversation.reply("my account number is 31008842")
    assert reply.filled == {"account": "31008842"} and reply.step == "ask_phone"
    reply = conversation.reply("it's 07700 900111, account 31008842")
    assert reply.filled == {"phone": "07700900111"} and reply.end_step == "done"


def test_digits_inside_the_collected_reference_are_no_phone_number() -> None:
    conversation = _account_then_phone("AC-1234567", r"\bAC-\d{7}\b")
    reply = conversation.reply("it's AC-1234567")
    assert reply.filled == {"account": "AC-1234567"} and reply.step == "ask_phone"
