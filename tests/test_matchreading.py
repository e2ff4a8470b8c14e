"""How a step's matcher reads a message: which readings it makes, and the key stems."""

from __future__ import annotations

from matcher_flows import GLOBAL, GREET, INTENTS, make_flow

from pytest_persona.flow.matcher import IntentMatcher
from pytest_persona.flow.matchreading import MessageReader, flow_key_stems
from pytest_persona.flow.textnorm import Lexicon


def reader() -> MessageReader:
    step = IntentMatcher(make_flow()).for_intents(GREET + GLOBAL)
    return step._reader  # the step's own reader, with its codes and weights


def test_nothing_of_the_flow_gives_no_reading() -> None:
    for text in ("", "   ", "?!.", "qwv zzyx"):
        assert list(reader().readings(text)) == [], text


def test_one_sentence_gives_one_reading() -> None:
    assert len(list(reader().readings("where is my order"))) == 1


def test_each_sentence_of_the_flow_is_a_reading_of_its_own_after_the_whole() -> None:
    text = "Hello there. Where is my order? Ship it somewhere else."
    found = list(reader().readings(text))
    assert len(found) == 1 + 2  # the greeting says nothing of the flow's
    whole, *alone = found
    assert all(set(sentence[0]) <= set(whole[0]) for sentence in alone)


def test_key_stems_are_what_half_an_intents_examples_say() -> None:
    intents = {
        **INTENTS,
        "lost_card": ("I've lost my card", "lost card", "card stolen", "my card is missing"),
        "single": ("wallet",),
    }
    flow = make_flow(intents)
    texts = [e for intent in flow.intents.values() for e in intent.examples]
    found = flow_key_stems(flow, Lexicon(texts))
    assert "card" in found  # four of four lost_card examples
    assert "wallet" not in found  # an intent of one example has no key stems
    assert "my" not in found  # a light word never is one
