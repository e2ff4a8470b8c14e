"""The repair-target search finds every target within the edit budget, as a full scan would."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA

from pytest_persona.flow.nearwords import Targets, WordIndex, edit_budget, leftovers
from pytest_persona.flow.textnorm import _NEGATING_PREFIXES, Lexicon, _nearest

KNOWN = (
    "order", "parcel", "delivery", "address", "refund", "cancel", "track", "tracking",
    "appointment", "password", "granddaughter", "tomorrow", "wednesday", "is", "an", "at",
)  # fmt: skip
SHARED = ("the", "and", "thanks", "wonder", "daughter", "order")
LETTERS = "abcdeilnorst"


def test_leftovers_are_the_word_and_the_word_less_one_letter() -> None:
    assert sorted(leftovers("abc")) == ["ab", "abc", "ac", "bc"]
    assert set(leftovers("aab")) == {"aab", "ab", "aa"}


def test_the_budget_grows_with_the_word() -> None:
    assert edit_budget("parcel") == 1
    assert edit_budget("delivery") == 2


def test_a_budget_other_than_one_or_two_is_refused() -> None:
    with pytest.raises(ValueError, match="1 or 2"):
        Targets(KNOWN).within("order", 3)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LETTERS, min_size=1, max_size=12))
def test_index_candidates_hold_every_word_one_edit_away(word: str) -> None:
    within = {k for k in KNOWN if OSA.distance(word, k) <= 1}
    assert within <= WordIndex(KNOWN).candidates(word)


def _scan(word: str, targets: list[str], budget: int) -> list[tuple[str, int, int]]:
    return sorted(
        process.extract(word, targets, scorer=OSA.distance, score_cutoff=budget, limit=None)
    )


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LETTERS, min_size=1, max_size=12), st.sampled_from([1, 2]))
def test_targets_within_the_budget_are_those_a_full_scan_finds(word: str, budget: int) -> None:
    targets = [*KNOWN, *(w for w in SHARED if w not in KNOWN)]
    for found in (Targets(targets), Targets(targets, WordIndex(SHARED))):
        assert sorted(found.within(word, budget)) == _scan(word, targets, budget)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=LETTERS, min_size=1, max_size=7))
def test_one_shared_index_serves_lists_of_other_words_and_orders(word: str) -> None:
    """The shared index remembers what it found for a word; each list still ranks it."""
    shared = WordIndex(SHARED)
    first = [*KNOWN, *(w for w in SHARED if w not in KNOWN)]
    second = [*sorted(SHARED, reverse=True), "tread", "stone"]
    for targets in (first, second, first):
        found = Targets(targets, shared).within(word, 1)
        assert sorted(found) == _scan(word, targets, 1)


def test_the_search_can_keep_only_long_targets_with_one_initial() -> None:
    targets = Targets(KNOWN)
    assert {t for t, _, _ in targets.within("an", 1)} == {"an", "at"}
    assert targets.within("an", 1, min_length=3) == []
    assert [t for t, _, _ in targets.within("ordr", 1)] == ["order"]
    assert targets.within("ordr", 1, initial="p") == []


@pytest.mark.parametrize(
    ("word", "expected"),
    [("ordr", "order"), ("parcle", "parcel"), ("delivary", "delivery"), ("traking", "tracking")],
)
def test_typical_slips_are_found(word: str, expected: str) -> None:
    assert expected in {t for t, _, _ in Targets(KNOWN).within(word, edit_budget(word))}


def _full_scan(word: str, targets: list[str]) -> str | None:
    """The repair rule applied by comparing ``word`` with every target."""
    budget = edit_budget(word)
    found = process.extract(word, targets, scorer=OSA.distance, score_cutoff=budget, limit=None)
    usable = [
        (dist, target[0] != word[0], at, target)
        for target, dist, at in found
        if len(target) >= 3
        and (len(word) > 4 or target[0] == word[0])
        # "ilpatient" is no slip of "patient": a negating prefix is never cut off.
        and not (word.endswith(target) and word[: -len(target)] in _NEGATING_PREFIXES)
    ]
    return min(usable)[3] if usable else None


LEXICON = Lexicon(["where is my parcel", "track my delivery", "cancel the appointment",
                   "reset my password", "refund for my order"])  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcdefghilmnoprstuvwy", min_size=1, max_size=14))
@example(word="ilpatient")  # once missed by the scan, which cut a negating prefix off
def test_the_indexed_repair_matches_a_full_scan_of_the_targets(word: str) -> None:
    word_targets, stem_targets = LEXICON._repairs()
    assert _nearest(word, word_targets) == _full_scan(word, LEXICON._targets)
    assert _nearest(word, stem_targets) == _full_scan(word, LEXICON._stem_targets)


@pytest.mark.parametrize("word", ["parcle", "delivry", "apointment", "pasword", "ordr", "thnk"])
def test_typical_slips_repair_as_a_full_scan_does(word: str) -> None:
    word_targets, _ = LEXICON._repairs()
    found = _nearest(word, word_targets)
    assert found is not None
    assert found == _full_scan(word, LEXICON._targets)
