"""Extractors skip their patterns where these cannot match: never a different answer."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pytest_persona.flow.dates import digit_count
from pytest_persona.flow.model import Slot
from pytest_persona.flow.slots import (
    _cues,
    _exact_phrases,
    _first_phone,
    _runs,
    _tokens,
    build_extractor,
    extract_phone,
)

TODAY = dt.date(2025, 1, 15)
_RUN = re.compile(r"\w+")
_TOKEN = re.compile(r"[\w']+")

# Letters, digits and the characters that split or join words, ASCII or not.
_CHARS = "abcdeé1_' -.&/\u2019\u00a0\u0130\u212a"
_phrase = st.text(_CHARS, min_size=1, max_size=8).map(lambda p: " ".join(p.split()))
_phrases = st.lists(_phrase.filter(bool), min_size=1, max_size=5, unique=True)


def _text_around(phrases: list[str]) -> st.SearchStrategy[str]:
    """Texts made of phrase pieces and noise, so that phrases often (nearly) match."""
    piece = st.one_of(st.sampled_from(phrases), st.text(_CHARS + "AB\t\n", max_size=4))
    return st.lists(piece, max_size=6).map("".join)


@given(st.data(), _phrases)
@example(None, ["can't find"])
@example(None, ["-"])
@settings(max_examples=500)
def test_a_phrase_matches_only_where_one_of_its_cues_is_a_run_of_the_text(
    data: st.DataObject, phrases: list[str]
) -> None:
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    text = data.draw(_text_around(ordered)) if data is not None else "I can't  find it"
    lowered = text.lower()
    cues = _cues(ordered)
    if _exact_phrases(ordered).search(lowered) is not None:
        assert cues is None or not cues.isdisjoint(_RUN.findall(lowered))


@given(st.text(_CHARS + "AB\t\n"))
def test_runs_and_tokens_are_the_regexes_matches(text: str) -> None:
    assert _runs(text) == _RUN.findall(text)
    assert _tokens(text) == _TOKEN.findall(text)


def test_a_phrase_without_word_characters_always_runs_the_regex() -> None:
    assert _cues(["large", "--"]) is None
    slot = Slot("s", "choice", True, values={"dash": ("--",), "large": ()})
    assert build_extractor(slot, TODAY)("a -- b") == "dash"


def test_choice_phrases_are_found_through_their_cues() -> None:
    slot = Slot(
        "loss", "choice", True, values={"lost": ("can't find", "left it"), "stolen": ("nicked",)}
    )
    extract = build_extractor(slot, TODAY)
    assert extract("I CAN\u2019T   find it") == "lost"
    assert extract("I think I left it on the bus") == "lost"
    assert extract("someone nicked it") == "stolen"
    assert extract("I can find it") is None
    assert extract("findings") is None


@given(st.text("0123456789\u0663\u00b2 ab+()-\n"))
def test_digit_count_agrees_with_the_regex(text: str) -> None:
    assert digit_count(text) == len(re.findall(r"\d", text))


@given(st.text("0123456789\u0663 ab+()-", max_size=30))
@example("call 0161 496 0732 please")
@example("+44 (0) 7700-900654")
def test_phones_are_read_as_the_pattern_reads_them(text: str) -> None:
    # The pattern over the whole text, without the digit count in front of it.
    assert extract_phone(text) == _first_phone(text, 0)
