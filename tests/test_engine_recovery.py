"""How the engine answers what it does not expect: globals, off-topic, misunderstandings.

Covers ``no_match``, ``fallback`` and ``reprompt``, ``off_topic``, ``max_no_match`` and
``on_exhausted``, ``max_turns``, and globals at routes and collect steps, with the
keyword matcher of the ``talk`` fixture.
"""

from __future__ import annotations

from flowbuilders import Talk, ask, build, end, intent, order_flow
from flowbuilders import talk as talk  # the fixture

from pytest_persona.flow.matcher import OFF_TOPIC
from pytest_persona.flow.model import Fallback, FlowSettings, OffTopic


def test_a_global_intent_at_a_collect_step_is_not_stored(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("change my address")
    reply = conversation.reply("sorry, say that again")
    assert (reply.intent, reply.reasked, reply.misunderstood) == ("repeat", True, False)
    assert reply.messages == ("Your name?",) and "name" not in conversation.slots
    assert conversation.reply("my name is Anna").messages == ("Thanks Anna.",)


def test_off_topic_at_a_collect_step_is_not_stored(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("change my address")
    reply = conversation.reply("tell me a joke")
    assert reply.off_topic and reply.intent == OFF_TOPIC and "name" not in conversation.slots


def test_global_goto_jumps_from_any_waiting_step(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("where is my order")
    reply = conversation.reply("let me talk to a human")
    assert (reply.intent, reply.outcome, reply.end_step) == ("agent", "escalated", "handoff")
    assert reply.messages == ("Connecting you to a person.",)


def test_global_say_then_return_answers_and_reasks_with_slots(talk: Talk) -> None:
    conversation = talk(order_flow())
    conversation.reply("where is my order")
    conversation.reply("48213")
    reply = conversation.reply("what can you do")
    assert reply.messages == ("I track orders.", "Order 48213, right?")
    assert reply.reasked and reply.step == "confirm" and not reply.misunderstood


def test_a_route_wins_over_a_global_intent_of_the_same_name(talk: Talk) -> None:
    flow = build(
        "a",
        [ask("a", "A?", {"help": "b"}), end("b", "B.")],
        [intent("help", "help", say="General help.", back=True)],
    )
    assert talk(flow).reply("help").end_step == "b"


def test_no_match_texts_are_used_in_order_and_the_last_repeats(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_no_match=5)))
    conversation.reply("where is my order")
    replies = [conversation.reply("dunno") for _ in range(3)]
    assert [r.messages for r in replies] == [
        ("Five digits, like 12345.",),
        ("Just the five digits.",),
        ("Just the five digits.",),
    ]
    assert all(r.misunderstood and r.reasked and r.intent is None for r in replies)


def test_fallback_texts_in_order_then_the_step_is_said_again(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_no_match=5)))
    replies = [conversation.reply("blah") for _ in range(3)]
    assert [r.messages for r in replies] == [
        ("Sorry?", "What do you need?"),
        ("Sorry, again?", "What do you need?"),
        ("Sorry, again?", "What do you need?"),
    ]
    assert all(r.reasked and r.misunderstood and r.step == "greet" for r in replies)
    assert all(r.buttons == ("Track an order", "Talk to us") for r in replies)


def test_fallback_without_reprompt_does_not_reask(talk: Talk) -> None:
    conversation = talk(order_flow(fallback=Fallback(("Hm?",), reprompt=False)))
    reply = conversation.reply("blah")
    assert reply.messages == ("Hm?",) and reply.misunderstood and not reply.reasked


def test_an_understood_message_starts_the_fallback_texts_over(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_no_match=5)))
    conversation.reply("blah")
    conversation.reply("say that again")
    assert conversation.reply("blah").messages[0] == "Sorry?"


def test_max_no_match_misunderstandings_are_answered_then_on_exhausted(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_no_match=2)))
    first, second = conversation.reply("blah"), conversation.reply("blah")
    assert first.step == second.step == "greet"
    third = conversation.reply("blah")
    assert third.misunderstood and not third.reasked
    assert (third.outcome, third.end_step) == ("escalated", "handoff")
    assert third.messages == ("Connecting you to a person.",)


def test_max_no_match_zero_sends_the_first_misunderstanding_on(talk: Talk) -> None:
    reply = talk(order_flow(FlowSettings(max_no_match=0))).reply("blah")
    assert reply.misunderstood and reply.end_step == "handoff"


def test_without_on_exhausted_the_conversation_ends_stuck(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_no_match=1)))
    conversation.reply("where is my order")
    conversation.reply("blah")
    reply = conversation.reply("blah")
    assert (reply.outcome, reply.step, reply.end_step, reply.messages) == ("stuck", None, None, ())
    assert reply.misunderstood and conversation.last_step == "ask_order"


def test_off_topic_with_return_answers_and_reasks_without_a_misunderstanding(talk: Talk) -> None:
    reply = talk(order_flow()).reply("what's the weather like")
    assert reply.messages == ("Only orders, sorry.", "What do you need?")
    assert reply.off_topic and reply.reasked and not reply.misunderstood
    assert reply.intent == OFF_TOPIC


def test_off_topic_without_return_only_answers(talk: Talk) -> None:
    off = OffTopic(("weather",), ("Not my area.", "Still not my area."), then_return=False)
    conversation = talk(order_flow(off_topic=off))
    replies = [conversation.reply("weather?") for _ in range(3)]
    assert [r.messages for r in replies] == [
        ("Not my area.",),
        ("Still not my area.",),
        ("Still not my area.",),
    ]
    assert not any(r.reasked or r.misunderstood for r in replies)


def test_off_topic_does_not_count_towards_max_no_match(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_no_match=1)))
    conversation.reply("blah")
    conversation.reply("tell me a joke")
    assert conversation.reply("blah").step == "greet"


def test_without_off_topic_an_off_topic_message_is_a_misunderstanding(talk: Talk) -> None:
    reply = talk(order_flow(off_topic=None)).reply("tell me a joke")
    assert reply.misunderstood and not reply.off_topic and reply.intent is None


def test_max_turns_handles_the_last_message_then_ends_stuck(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_turns=2, max_no_match=9)))
    assert conversation.reply("blah").outcome is None
    last = conversation.reply("where is my order")
    assert last.messages == ("Your order number?",)
    assert (last.outcome, last.step, conversation.turns) == ("stuck", None, 2)
    assert conversation.last_step == "ask_order"


def test_an_end_reached_on_the_last_allowed_turn_keeps_its_outcome(talk: Talk) -> None:
    conversation = talk(order_flow(FlowSettings(max_turns=1)))
    assert conversation.reply("talk to a human").outcome == "escalated"
