"""Free-text reading: the sign-off is cut as the whole-message pattern would cut it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pytest_persona.flow.freetext import _TRAILER, _without_trailer, extract_text

_PIECES = ["York", "ty", "Ty", "thanks", "thank you very much", "Many Thanks", "i think",
           "please", "thankyou", " ", "  ", ".", ",", "!", "\n", "\t", "?", "'", "\u00e9",
           "\u017f", "x", "\u00a0", "cheers.."]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_the_sign_off_is_cut_as_the_whole_pattern_cuts_it(text: str) -> None:
    assert _without_trailer(text) == _TRAILER.sub("", text)


@given(st.text(alphabet=st.sampled_from("ab ty.,!\n\u00e9"), max_size=40))
def test_any_text_loses_the_same_sign_off(text: str) -> None:
    assert _without_trailer(text) == _TRAILER.sub("", text)


def test_a_long_message_keeps_its_words_and_loses_its_thanks() -> None:
    text = "it is the old house at the end of the long lane past the church, thank you very much!"
    assert extract_text(text) == "the old house at the end of the long lane past the church"
