"""The typo model: keyboard slips in the persona's mix, space errors, misspellings."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.customers.misspellings import MISSPELLINGS, misspell
from pytest_persona.customers.personas import BUILTIN_PERSONAS, PLAIN, TYPO_PRONE
from pytest_persona.customers.typos import (
    MISSPELLING,
    NEIGHBOURS,
    SLIP_KINDS,
    SPACE_DROP,
    SPACE_INSERT,
    TypoModel,
)

SENTENCES = (
    "where is my order, it still has not arrived",
    "I need to change the delivery address on my parcel",
    "can you tell me when the package will get here",
    "my card was stolen yesterday and I want to block it",
    "I would like to book an appointment for next tuesday",
)


def test_neighbours_are_mutual_and_never_the_key_itself() -> None:
    for key, near in NEIGHBOURS.items():
        assert key not in near
        for other in near:
            assert key in NEIGHBOURS[other], (key, other)
    assert set("qwas") <= set(NEIGHBOURS["q"] + "q" + NEIGHBOURS["a"])
    assert "p" not in NEIGHBOURS["a"]


def test_a_silent_model_changes_nothing_and_draws_nothing() -> None:
    model = TypoModel.from_persona(PLAIN)
    rng = random.Random(3)
    before = rng.getstate()
    for sentence in SENTENCES:
        assert model.apply(rng, sentence) == sentence
    assert model.silent
    assert rng.getstate() == before


def test_slip_mix_follows_the_persona() -> None:
    """Over many messages the shares of slip kinds are within 10 points of the spec's."""
    model = TypoModel.from_persona(TYPO_PRONE)
    rng = random.Random(7)
    errors: list[str] = []
    for i in range(3000):
        model.apply(rng, SENTENCES[i % len(SENTENCES)], errors)
    counts = Counter(kind for kind in errors if kind in SLIP_KINDS)
    total = sum(counts.values())
    letters = sum(sum(c.isalpha() for c in s) for s in SENTENCES) * 3000 / len(SENTENCES)
    assert 0.02 < total / letters < 0.04  # 0.03 per letter
    expected = {
        "substitution": TYPO_PRONE.substitution_share,
        "omission": TYPO_PRONE.omission_share,
        "insertion": TYPO_PRONE.insertion_share,
        "transposition": TYPO_PRONE.transposition_share,
    }
    for kind, share in expected.items():
        assert abs(counts[kind] / total - share) < 0.10, (kind, counts)


def test_most_substitutions_hit_a_neighbouring_key() -> None:
    model = TypoModel.from_persona(
        TYPO_PRONE.with_overrides(
            substitution_share=1.0,
            omission_share=0.0,
            insertion_share=0.0,
            transposition_share=0.0,
            char_error_rate=0.2,
            space_drop=0.0,
            space_insert=0.0,
            misspelling_rate=0.0,
            apostrophe_drop=0.0,
        )
    )
    rng = random.Random(11)
    near = far = 0
    for _ in range(400):
        text = "the quick brown fox jumps over the lazy dog"
        out = model.apply(rng, text)
        assert len(out) == len(text)
        for old, new in zip(text, out, strict=True):
            if old != new:
                if new in NEIGHBOURS[old]:
                    near += 1
                else:
                    far += 1
    assert 0.6 < near / (near + far) < 0.85  # 70% on purpose, plus chance hits


def test_space_errors_run_words_together_more_often_than_they_split_them() -> None:
    model = TypoModel.from_persona(TYPO_PRONE)
    rng = random.Random(5)
    errors: list[str] = []
    for i in range(3000):
        model.apply(rng, SENTENCES[i % len(SENTENCES)], errors)
    counts = Counter(errors)
    assert counts[SPACE_DROP] > counts[SPACE_INSERT] > 0
    assert counts[MISSPELLING] > 0


def test_the_misspelling_list_is_large_and_plausible() -> None:
    single_words = [word for word in MISSPELLINGS if " " not in word]
    assert len(single_words) >= 150
    for word, wrong in MISSPELLINGS.items():
        assert wrong, word
        assert word not in wrong


def test_known_words_use_the_list_and_others_the_spelling_rules() -> None:
    rng = random.Random(0)
    assert misspell("receive", rng) in MISSPELLINGS["receive"]
    assert misspell("address", rng) in MISSPELLINGS["address"]
    assert misspell("committee", rng) in {"comittee", "committe", "commitee"}
    assert misspell("cat", rng) is None  # too short to misspell by rule


@given(st.text(alphabet="abcdefghijklmnop ,.'", max_size=80), st.integers(0, 2**32))
def test_noise_is_a_pure_function_of_the_stream(text: str, seed: int) -> None:
    model = TypoModel.from_persona(BUILTIN_PERSONAS["typo-prone"])
    first = model.apply(random.Random(seed), text)
    assert model.apply(random.Random(seed), text) == first


@given(st.text(alphabet="abcdefghij ", min_size=1, max_size=60), st.integers(0, 2**32))
def test_slips_never_touch_spaces_or_invent_symbols(text: str, seed: int) -> None:
    model = TypoModel.from_persona(
        TYPO_PRONE.with_overrides(space_drop=0.0, space_insert=0.0, misspelling_rate=0.0)
    )
    out = model.apply(random.Random(seed), text)
    assert out.count(" ") == text.count(" ")
    assert set(out) <= set("abcdefghijklmnopqrstuvwxyz ")
