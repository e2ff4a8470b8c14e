"""Persona voices measured over 1,000 generated messages each, as the spec states them."""

from __future__ import annotations

import itertools
import random
import re
import statistics
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from flowbuilders import play
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.customers import shortening
from pytest_persona.customers.customer import CustomerFactory
from pytest_persona.customers.grammar import CONTRACTION_RE, expand_contractions, uninvert_question
from pytest_persona.customers.lexicon import PARAPHRASES, PLAIN_WORDS, normalise
from pytest_persona.customers.offtopic import OFF_TOPIC_POOL
from pytest_persona.customers.personas import BUILTIN_PERSONAS, Persona
from pytest_persona.customers.phrasebank import BANK, REASSURANCE
from pytest_persona.customers.planner import Planner
from pytest_persona.customers.registers import ASIDES, CLOSINGS, CONTEXT, GREETINGS, OPENERS
from pytest_persona.customers.slotvalues import LEAD_FRAMES, SLOT_FRAMES
from pytest_persona.customers.typos import SLIP_KINDS
from pytest_persona.customers.voice import Part, Voice
from pytest_persona.customers.wording import Wording
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import Flow

ORDER_FLOW = Path(__file__).resolve().parent.parent / "example_flows" / "order-status.flow.yaml"
MESSAGES = 1000


@cache
def order_flow() -> Flow:
    return load_flow(ORDER_FLOW)


@cache
def conversation_messages(persona_name: str) -> tuple[str, ...]:
    """The first 1,000 typed messages of seeded conversations with the real engine."""
    flow = order_flow()
    factory = CustomerFactory(flow, BUILTIN_PERSONAS[persona_name], seed=1)
    assistant = Assistant(flow)
    typed: list[str] = []
    index = 0
    while len(typed) < MESSAGES:
        play(factory.customer(index), assistant, typed)
        index += 1
    return tuple(typed[:MESSAGES])


def voiced(persona: Persona) -> list[tuple[str, list[str]]]:
    """1,000 messages from the flow's base phrases, each with the typing errors made."""
    flow = order_flow()
    wording = Wording(flow, Planner(flow))
    voice = Voice(persona)
    rng = random.Random(2)
    intents = sorted(flow.intents)
    out: list[tuple[str, list[str]]] = []
    for i in range(MESSAGES):
        errors: list[str] = []
        base = wording.base_phrase(rng, intents[i % len(intents)], "greet")
        out.append((voice.speak(rng, [Part(base)], first=i % 4 == 0, errors=errors), errors))
    return out


def words(message: str) -> int:
    return len(message.split())


def test_impatient_messages_are_short() -> None:
    lengths = [words(m) for m in conversation_messages("impatient")]
    assert statistics.median(lengths) <= 6


def test_elderly_messages_are_long() -> None:
    lengths = [words(m) for m in conversation_messages("elderly")]
    assert statistics.median(lengths) >= 15


def test_personas_differ_in_length_as_the_spec_orders_them() -> None:
    median = {
        name: statistics.median(words(m) for m in conversation_messages(name))
        for name in ("impatient", "plain", "elderly")
    }
    assert median["impatient"] <= median["plain"] < median["elderly"]


def test_typo_prone_makes_errors_in_many_messages_in_the_spec_mix() -> None:
    persona = BUILTIN_PERSONAS["typo-prone"]
    made = voiced(persona)
    assert sum(1 for _, errors in made if errors) >= 0.3 * len(made)
    slips = Counter(kind for _, errors in made for kind in errors if kind in SLIP_KINDS)
    total = sum(slips.values())
    spec = {
        "substitution": persona.substitution_share,
        "omission": persona.omission_share,
        "insertion": persona.insertion_share,
        "transposition": persona.transposition_share,
    }
    for kind, share in spec.items():
        assert abs(slips[kind] / total - share) <= 0.10, slips


def test_non_native_messages_have_no_contractions() -> None:
    for message in conversation_messages("non-native"):
        assert CONTRACTION_RE.search(message) is None, message


def _plain_vocabulary(flow: Flow) -> set[str]:
    """Every word a clean customer could type: the flow's, the banks', the pools'."""
    texts: list[str] = [*OFF_TOPIC_POOL, *REASSURANCE]
    for intent in flow.intents.values():
        texts += [intent.name.replace("_", " "), *intent.examples, *intent.test_phrases]
    for slot in flow.slots.values():
        texts += [slot.name.replace("_", " "), *slot.examples]
    for step in flow.steps.values():
        texts += [*step.say, *step.buttons]
    for entry in BANK:
        texts += entry.phrases
    for table in (PARAPHRASES, PLAIN_WORDS):
        for key, options in table.items():
            texts += [key, *options]
    for pools in (GREETINGS, OPENERS, CLOSINGS, CONTEXT, ASIDES, SLOT_FRAMES, LEAD_FRAMES):
        for pool in pools.values():
            texts += pool
    texts += ["um so ok erm right well hey please thanks then now for me pls number id"]
    return {word for text in texts for word in normalise(text).split()}


def test_plain_messages_have_no_typing_noise() -> None:
    vocabulary = _plain_vocabulary(order_flow())
    for message in conversation_messages("plain"):
        unknown = set(normalise(message).split()) - vocabulary
        assert not unknown, (message, unknown)
    assert all(not errors for _, errors in voiced(BUILTIN_PERSONAS["plain"]))


def test_the_plain_vocabulary_check_would_catch_typos() -> None:
    vocabulary = _plain_vocabulary(order_flow())
    noisy = {normalise(m) for m in conversation_messages("typo-prone")}
    assert any(set(m.split()) - vocabulary for m in noisy)


@pytest.mark.parametrize("name", sorted(BUILTIN_PERSONAS))
def test_slot_values_survive_most_messages(name: str) -> None:
    voice = Voice(BUILTIN_PERSONAS[name])
    rng = random.Random(4)
    kept = sum(
        "48213" in voice.speak(rng, [Part("my order number is"), Part("48213", slot=True)])
        for _ in range(500)
    )
    assert kept >= 0.8 * 500


def test_shouting_grows_with_misunderstandings() -> None:
    voice = Voice(BUILTIN_PERSONAS["impatient"])
    rng = random.Random(9)

    def shouted(misses: int) -> int:
        return sum(
            bool(re.search(r"\?\?$|^[^a-z]*$", voice.speak(rng, [Part("where is my order")],
                                                          misses=misses)))
            for _ in range(1000)
        )  # fmt: skip

    assert shouted(0) < shouted(2) < shouted(4)


def test_elderly_first_messages_tell_a_story_and_later_ones_stay_shorter() -> None:
    voice = Voice(BUILTIN_PERSONAS["elderly"])
    rng = random.Random(6)
    first = [words(voice.speak(rng, [Part("where is my order")], first=True)) for _ in range(300)]
    later = [words(voice.speak(rng, [Part("yes")], first=False)) for _ in range(300)]
    assert statistics.median(first) >= 20
    assert statistics.median(later) < statistics.median(first)


def test_contractions_are_written_out_with_their_capital() -> None:
    assert expand_contractions("I'm sure it's fine, don't worry") == (
        "I am sure it is fine, do not worry"
    )
    assert expand_contractions("What's up? Can't say") == "What is up? Cannot say"


def test_learners_keep_statement_word_order_in_questions() -> None:
    assert uninvert_question("where is my order") == "where my order is"
    assert uninvert_question("what time is it?") == "what time it is?"
    assert uninvert_question("can you help me") == "you can help me?"
    assert uninvert_question("when does my parcel arrive") == "when my parcel arrive"
    assert uninvert_question("track my order") == "track my order"
    # The verb goes after the subject, not after a clause of its own ("... where you
    # are is", which a verb slip made "where you is is").
    weather = "what is the weather like where you are"
    assert uninvert_question(weather) == "what the weather is like where you are"


def test_four_word_examples_are_never_typed_verbatim() -> None:
    example = "where is my order now"
    taken = frozenset({normalise(example)})
    voice = Voice(BUILTIN_PERSONAS["plain"], taken)
    rng = random.Random(1)
    for _ in range(300):
        said = voice.speak(rng, [Part(example)])
        assert normalise(said) != normalise(example)
    short = Voice(BUILTIN_PERSONAS["plain"], frozenset({"yes"}))
    assert any(normalise(short.speak(rng, [Part("yes")])) == "yes" for _ in range(50))


def test_typing_noise_alone_for_the_chat_command() -> None:
    from pytest_persona.customers.voice import typing_noise_for

    text = "I want to change my delivery address please"
    clean = typing_noise_for(BUILTIN_PERSONAS["plain"])
    noisy = typing_noise_for(BUILTIN_PERSONAS["typo-prone"])
    assert all(clean(text, random.Random(i)) == text for i in range(50))
    changed = sum(noisy(text, random.Random(i)) != text for i in range(200))
    assert changed > 100
    assert noisy(text, random.Random(3)) == noisy(text, random.Random(3))


_COMPRESS_WORDS = ["please", "just", "I", "want", "to", "my", "the", "order", "now", "hi",
                   "can", "you", "thank", "if", "possible", ",", "  ", "so", "believe",
                   "think", "on", "paper"]  # fmt: skip


def _kept_words(sentences: list[list[Part]]) -> int:
    return sum(len(part.text.split()) for s in sentences for part in s if not part.slot)


@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(_COMPRESS_WORDS), max_size=8), min_size=1, max_size=3),
        min_size=1,
        max_size=3,
    ),
    st.integers(1, 12),
)
def test_shortening_cuts_what_the_message_needs_and_never_a_value(
    texts: list[list[list[str]]], excess: int
) -> None:
    """Values stay, a sentence's opening is never cut to nothing, the whole excess goes
    when it can, and a longer excess never keeps more words."""
    sentences = [
        [Part(" ".join(words), slot=at == 1) for at, words in enumerate(parts)] for parts in texts
    ]
    shortened = shortening.compress(sentences, excess)
    most = shortening.compress(sentences, 10_000)
    before, after = _kept_words(sentences), _kept_words(shortened)
    assert before - after >= min(excess, before - _kept_words(most))
    assert after >= _kept_words(shortening.compress(sentences, excess + 1))
    for old, new in zip(sentences, shortened, strict=True):
        assert len(old) == len(new)
        assert [p for p in old if p.slot] == [p for p in new if p.slot]
        if old[0].text.strip() and not old[0].slot:
            assert new[0].text.strip()


@pytest.mark.parametrize(
    ("phrase", "kept"),
    [
        ("Order a pizza", "Order"),  # a verb: "parcel a pizza" is no English
        ("renew my book", "book"),  # a noun: "renew my reserve" neither
        ("start a return", "return"),
        ("how much does it cost", "cost"),
    ],
)
def test_paraphrases_keep_a_word_whose_sense_their_swaps_do_not_have(
    phrase: str, kept: str
) -> None:
    from pytest_persona.customers.lexicon import PARAPHRASE

    rng = random.Random(5)
    for _ in range(50):
        assert kept in PARAPHRASE.reword(phrase, rng, 1.0).split()


def test_paraphrases_swap_a_word_used_in_their_sense_and_mend_its_article() -> None:
    from pytest_persona.customers.lexicon import PARAPHRASE

    rng = random.Random(5)
    seen = {PARAPHRASE.reword("I want an order and a refund", rng, 1.0) for _ in range(200)}
    assert len(seen) > 5
    for text in seen:
        words = text.split()
        for article, noun in itertools.pairwise(words):
            if article in ("a", "an"):
                assert (article == "an") == (noun[0] in "aeiou"), text
                assert noun not in ("stuff", "money"), text
    assert any("the money back" in text for text in seen)
    assert {PARAPHRASE.reword("book a table", rng, 1.0) for _ in range(50)} != {"book a table"}


@pytest.mark.parametrize("name", ["elderly", "non-native"])
def test_a_puzzled_customer_acknowledges_nothing(name: str) -> None:
    """After "Sorry, I didn't understand", or asking to hear it again, nobody opens with
    "I understand." or "Oh good, I was hoping you would ask me that"."""
    from validity_rules import clean_twin

    from pytest_persona.customers.registers import ASIDES, OPENERS, PUZZLED_ASIDES

    persona = clean_twin(BUILTIN_PERSONAS[name])  # typing noise would hide the asides
    voice = Voice(persona)
    cheerful = [a for a in ASIDES[persona.style] if a not in PUZZLED_ASIDES[persona.style]]
    openers = [o.rstrip(",.").lower() for o in OPENERS[persona.style]]
    rng = random.Random(3)
    said = [voice.speak(rng, [Part("could you say that again")], puzzled=True) for _ in range(300)]
    for text in said:
        assert not any(aside in text for aside in cheerful), text
        opened = any(text.lower().startswith(opener) for opener in openers)
        assert not opened or any(text.startswith(a) for a in PUZZLED_ASIDES[persona.style]), text
    calm = [voice.speak(rng, [Part("could you say that again")]) for _ in range(300)]
    assert any(any(aside in text for aside in cheerful) for text in calm) or name != "elderly"
    assert any(any(text.lower().startswith(o) for o in openers) for text in calm)
