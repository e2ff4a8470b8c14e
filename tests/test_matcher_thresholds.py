"""A stricter ``match_threshold`` or ``ambiguity_margin`` never understands more.

Rule 6 of personas.md climbs a ladder of thresholds and needs each rung to misread
everything the one below did; a designer raising the threshold expects the same. What
is understood may differ: a whole message read clearly at the laxer setting is read
sentence by sentence at the stricter one.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from matcher_flows import GLOBAL, GREET, step_matcher

SENTENCES = (
    "I hope you can help me with something",
    "can you help",
    "where is my order",
    "track my package",
    "ship it somewhere else",
    "change my delivery address",
    "help",
    "what can you do",
    "say that again",
    "I hope you are well",
    "Thank you so much",
    "real person please",
    "wher is my ordr",
    "tell me a joke",
)
LADDER = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
MARGINS = (0.0, 0.05, 0.1, 0.2)


def test_a_plea_beside_a_request_is_not_understood_at_a_stricter_threshold_either() -> None:
    message = "I hope you can help me with something. Where is my order."
    understood = [
        step_matcher(GREET + GLOBAL, threshold=t).match(message).accepted for t in LADDER
    ]
    assert understood == sorted(understood, reverse=True), understood


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3),
    st.sampled_from(range(len(LADDER) - 1)),
    st.sampled_from(MARGINS),
)
def test_what_a_stricter_threshold_understands_a_laxer_one_does_too(
    said: list[str], rung: int, margin: float
) -> None:
    message = ". ".join(said) + "."
    lax = step_matcher(GREET + GLOBAL, threshold=LADDER[rung], margin=margin).match(message)
    strict = step_matcher(GREET + GLOBAL, threshold=LADDER[rung + 1], margin=margin)
    found = strict.match(message)
    if found.accepted:
        assert lax.accepted, message


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), st.sampled_from(LADDER))
def test_what_a_wider_margin_understands_a_narrower_one_does_too(
    said: list[str], threshold: float
) -> None:
    message = ". ".join(said) + "."
    found = [
        step_matcher(GREET + GLOBAL, threshold=threshold, margin=m).match(message)
        for m in MARGINS
    ]
    for narrow, wide in itertools.pairwise(found):
        if wide.accepted:
            assert narrow.accepted, message
