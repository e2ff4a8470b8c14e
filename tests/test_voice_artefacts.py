"""Wording artefacts reviewers found in transcripts, checked where they arise and over
whole conversations: hedges cut in half ("Margaret Hughes believe"), counts read as
names ("Months is two"), phrasal verbs split ("Look at on my prescription"), and a word
put beside itself or its synonym ("real real person", "actual real person")."""

from __future__ import annotations

import itertools
import random
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.customers.lexicon import (
    PARAPHRASE,
    PARAPHRASES,
    PARTICLES,
    VERB_SENSE,
    echoes,
)
from pytest_persona.customers.personas import BUILTIN_PERSONAS
from pytest_persona.customers.shortening import HEDGES, compress
from pytest_persona.customers.slotvalues import (
    LEAD_FRAMES,
    SLOT_FRAMES,
    Framer,
    count_unit,
    detail_name,
)
from pytest_persona.customers.voice import Part
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import Flow, Slot
from pytest_persona.simulation import Simulator

FLOW = Path(__file__).resolve().parent / "flows" / "stay_and_card.yaml"
_HEDGE_WORDS = re.compile(r"\b(?:believe|remember|rightly|helps|wrote|written)\b", re.IGNORECASE)


@cache
def flow() -> Flow:
    return load_flow(FLOW)


@cache
def messages(persona: str) -> tuple[str, ...]:
    """What one persona's customers type on the test flow, typing noise left out (a
    slip may make any word, "I" into "K" or "go" into "to")."""
    from validity_rules import clean_twin

    simulator = Simulator(flow(), clean_twin(BUILTIN_PERSONAS[persona]), seed=3)
    typed: list[str] = []
    for index in range(300):
        for turn in simulator.transcript(index).turns:
            if turn.speaker == "customer" and not turn.clicked and turn.text != "(gives up)":
                typed.append(turn.text)
    return tuple(typed)


def _without_hedges(text: str) -> str:
    for hedge in HEDGES:
        text = re.sub(re.escape(hedge), "", text, flags=re.IGNORECASE)
    return text


# --- hedges go whole or stay --------------------------------------------------------
@pytest.mark.parametrize("table", [SLOT_FRAMES, LEAD_FRAMES], ids=["answer", "lead"])
def test_a_shortened_frame_keeps_each_hedge_whole_or_drops_it(
    table: dict[str, tuple[str, ...]],
) -> None:
    framer = Framer(flow(), "chatty")
    for frames in table.values():
        for frame, excess in itertools.product(frames, range(1, 12)):
            sentence = framer.framed(frame, "patient name", "Margaret Hughes")
            text = " ".join(part.text for part in compress([sentence], excess)[0])
            assert not _HEDGE_WORDS.search(_without_hedges(text)), (frame, excess, text)
            assert "on paper" not in text and "on letter" not in text, (frame, excess, text)


def test_the_words_after_a_value_are_not_cut_as_a_sentence_opening() -> None:
    """A request opens with "I want to" or "I"; after a value, "I" is the hedge's own."""
    sentence = [Part("my patient name is"), Part("Margaret Hughes", slot=True), Part("I think")]
    for excess in range(1, 6):
        tail = compress([sentence], excess)[0][2].text
        assert tail in ("I think", ""), (excess, tail)


def test_a_long_message_loses_its_hedges_before_any_sentence_loses_its_grammar() -> None:
    """The excess is the message's, not each sentence's: with the hedges gone it is
    short enough, so "my" and "the" stay."""
    first = [Part("I believe my order number is"), Part("48213", slot=True)]
    second = [Part("the patient name is"), Part("Margaret Hughes", slot=True),
              Part(", if I remember rightly")]  # fmt: skip
    shortened = compress([first, second], 5)
    assert shortened[0][0].text == "my order number is"
    assert shortened[1][0].text == "the patient name is"
    assert shortened[1][2].text == ""


_CUT_HEDGE = re.compile(
    r"(?<!\bI )\bbelieve\b|\bif I remember(?! rightly)|[^,] (?:if I remember|if that helps)\b|"
    r"\bon paper\b"
)


def test_elderly_front_loaded_details_read_as_sentences() -> None:
    said = messages("elderly")
    assert any("I believe" in text for text in said)
    for text in said:
        assert not _CUT_HEDGE.search(text), text


# --- counts and clauses -------------------------------------------------------------
def test_a_number_slot_named_by_what_it_counts_says_the_count() -> None:
    nights = Slot("nights", "number", True)
    assert count_unit(nights, "nights", "3") == "nights"
    assert count_unit(nights, "nights", "one") == "night"
    assert count_unit(nights, "nights", "three nights") == ""  # said already
    assert count_unit(Slot("party_size", "number", True), "party size", "4") is None
    assert count_unit(Slot("status", "number", True), "status", "4") is None
    assert count_unit(Slot("nights", "text", True), "nights", "4") is None


@pytest.mark.parametrize("style", ["terse", "casual", "formal", "chatty"])
def test_counts_and_clauses_are_never_named_as_the_detail(style: str) -> None:
    framer = Framer(flow(), style)  # type: ignore[arg-type]
    rng = random.Random(1)
    for _ in range(200):
        for say in (framer.answer, framer.lead):
            text = " ".join(p.text for p in say(rng, "nights", "nights", "two"))
            assert "two nights" in text and not re.search(r"nights? (?:is|:)|my nights", text)
            text = " ".join(p.text for p in say(rng, "nights", "nights", "1 night"))
            assert "night night" not in text and "nights" not in text, text
            text = " ".join(p.text for p in say(rng, "loss", "loss", "it was stolen"))
            assert not re.search(r"loss|it's it|it is it|stolen (?:on|ok)", text), text


@pytest.mark.parametrize("style", ["terse", "casual", "formal", "chatty"])
def test_a_value_that_names_its_detail_or_is_somebodys_is_not_named_again(style: str) -> None:
    """Never "the pharmacy is the pharmacy next door" or "my medication is my inhaler"."""
    framer = Framer(flow(), style)  # type: ignore[arg-type]
    rng = random.Random(1)
    for _ in range(100):
        for say in (framer.answer, framer.lead):
            text = " ".join(p.text for p in say(rng, "card", "pharmacy", "the pharmacy next door"))
            assert "pharmacy is" not in text and "pharmacy:" not in text, text
            text = " ".join(p.text for p in say(rng, "card", "medication", "my blue inhaler"))
            assert "medication" not in text, text


def test_a_hyphenated_detail_is_named_whole() -> None:
    assert detail_name("checkin", "What's your new check-in date?") == "new check-in date"


def test_customers_say_counts_with_what_they_count() -> None:
    for persona in ("impatient", "elderly", "plain"):
        for text in messages(persona):
            named = r"\b(?:my |the )?(?:nights|guests) (?:is\b|:|\d+(?! nights?| guests?))"
            assert not re.search(named, text, re.I), text
            clause = r"\bloss (?:is |: |)(?:it was|I lost|someone took)|\bnew check is"
            assert not re.search(clause, text, re.I), text


# --- phrasal verbs ------------------------------------------------------------------
_VERBS = sorted(key for key in PARAPHRASES if " " not in key and key in VERB_SENSE | {"sent"})


@pytest.mark.parametrize("particle", sorted(PARTICLES))
def test_a_verb_keeps_its_particle_or_is_not_swapped(particle: str) -> None:
    rng = random.Random(4)
    for verb in _VERBS:
        if f"{verb} {particle}" in PARAPHRASES:
            continue  # a key of its own, swapped whole ("find out" -> "look up")
        text = f"I want to {verb} {particle} my booking"
        for _ in range(20):
            assert f" {verb} {particle} my booking" in PARAPHRASE.reword(text, rng, 1.0)


def test_a_word_inside_a_hyphenated_one_is_never_swapped() -> None:
    rng = random.Random(4)
    for text in ("a later check-in please", "my re-order", "a follow-up on my refund please"):
        for _ in range(20):
            reworded = PARAPHRASE.reword(text, rng, 1.0)
            assert all(word in reworded for word in re.findall(r"\w+-\w+", text)), reworded


def test_customers_never_strand_a_particle() -> None:
    stranded = re.compile(r"\b(?:look at|find out|see|trace|locate)[ -](?:on|in|out)\b")
    for persona in BUILTIN_PERSONAS:
        for text in messages(persona):
            assert not stranded.search(text), text


# --- no word beside itself or its synonym ---------------------------------------------
_WORDS = sorted(
    {
        word
        for key, options in PARAPHRASES.items()
        for text in (key, *options)
        for word in text.split()
    }
    | {"a", "the", "my", "is", "there", "real", "actual", "please"}
)


def _pairs(text: str) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for clause in re.split(r"[.,;:!?]", text.lower()):
        words = clause.split()
        found.update(itertools.pairwise(words))
    return found


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8), st.integers(0, 2**32))
def test_a_swap_never_puts_a_word_beside_itself_or_its_synonym(words: list[str], seed: int) -> None:
    text = " ".join(words)
    rng = random.Random(seed)
    before = _pairs(text)
    for _ in range(3):
        reworded = PARAPHRASE.reword(text, rng, 1.0)
        made = {pair for pair in _pairs(reworded) - before if echoes(*pair)}
        assert not made, (text, reworded)


def test_a_person_is_never_a_real_real_person_or_a_real_someone() -> None:
    rng = random.Random(2)
    for text in ("is there a real person there", "is there real person there",
                 "talk to an actual person", "talk to a human", "real person please"):  # fmt: skip
        for _ in range(50):
            reworded = PARAPHRASE.reword(text, rng, 1.0).lower()
            assert not re.search(r"real real|actual real|real actual|(?:a|real|actual) someone",
                                 reworded), reworded  # fmt: skip


def test_a_swap_does_not_stack_words_before_a_key_that_has_them() -> None:
    """An address may become a "home address", but a "shipping address" stays one."""
    rng = random.Random(2)
    seen = {PARAPHRASE.reword("a different address", rng, 1.0) for _ in range(50)}
    assert "a different home address" in seen
    for _ in range(50):
        reworded = PARAPHRASE.reword("update my shipping address", rng, 1.0)
        assert reworded.endswith(" my shipping address"), reworded


def test_a_detail_given_after_a_request_does_not_repeat_its_last_word() -> None:
    framer = Framer(flow(), "terse")
    rng = random.Random(0)
    for _ in range(100):
        said = framer.lead(rng, "card", "card", "4821", after="card")
        assert said[0].text.split()[0].lower() != "card", said


@pytest.mark.parametrize("persona", sorted(BUILTIN_PERSONAS))
def test_customers_never_double_a_word_or_a_synonym(persona: str) -> None:
    for text in messages(persona):
        pairs = _pairs(text)
        assert not [pair for pair in pairs if echoes(*pair)], text
