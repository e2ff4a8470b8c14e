"""How a step's stems weigh and how each becomes characters in the matcher's strings.

A word weighs by how few of the active intents use it, so distinctive words decide and
words every intent shares do not. Weights are written as repeated code characters
(one per stem, in code order), so rapidfuzz's longest common subsequence of two such
strings is the weighted overlap of two bags of stems.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from itertools import chain

from .textnorm import LIGHT_STEMS, NEGATION_STEMS

# Weights are counted in quarters, so every weight is a whole number of characters.
UNITS_PER_WEIGHT = 4
WEIGHT_DISTINCT_MIN = 2.0  # a word every active intent uses
WEIGHT_DISTINCT_MAX = 6.0  # a word only one active intent uses
WEIGHT_LIGHT = 0.25  # a function word or courtesy, wherever it appears
# Codes start at 0: a step's first 256 stems are one-byte (Latin-1) characters, and
# rapidfuzz compares one-byte strings through a direct table, which made the elderly
# batch 8% cheaper than codes from 0x100. Past 256 stems the strings simply widen.
_FIRST_CODE = 0


def units_of(weight: float) -> int:
    """A weight in whole characters (at least one)."""
    return max(1, round(weight * UNITS_PER_WEIGHT))


def code_of(index: int) -> str:
    """The character standing for the ``index``-th stem."""
    point = _FIRST_CODE + index
    return chr(point if point < 0xD800 else point + 0x800)  # skip surrogates


def weigh(vocabularies: Mapping[str, Collection[str]]) -> tuple[dict[str, str], dict[str, int]]:
    """Each active stem's code character, and its weight in units: rarer is heavier.
    ``vocabularies`` holds every active intent's distinct stems (of all its examples)."""
    users = Counter(chain.from_iterable(vocabularies.values()))  # intents using each stem
    total = len(vocabularies)
    codes: dict[str, str] = {}
    units: dict[str, int] = {}
    by_users: dict[int, int] = {}  # a stem's units depend only on how many intents use it
    for index, s in enumerate(sorted(users)):
        codes[s] = code_of(index)
        if s in LIGHT_STEMS:
            units[s] = units_of(WEIGHT_LIGHT)
            continue
        if s in NEGATION_STEMS:  # "not correct": a negation outweighs the word it turns round
            units[s] = units_of(WEIGHT_DISTINCT_MAX)
            continue
        count = users[s]
        found = by_users.get(count)
        if found is None:
            rarity = math.log(total / count) / math.log(total) if total > 1 else 1.0
            weight = WEIGHT_DISTINCT_MIN + (WEIGHT_DISTINCT_MAX - WEIGHT_DISTINCT_MIN) * rarity
            found = by_users[count] = units_of(weight)
        units[s] = found
    return codes, units


def spread(weights: Sequence[int], span: int) -> list[int]:
    """Integer lengths in proportion to ``weights`` (of stems in sorted order: ties go to
    the earlier stem), at least 1 each, summing to ``span`` unless rounding tiny weights
    up overshoots it (see below)."""
    total = sum(weights)
    exact = [w * span / total for w in weights]
    lengths = [max(1, math.floor(x)) for x in exact]
    left = span - sum(lengths)
    # A negative ``left`` (light words rounded up to 1) slices from the end here, so the
    # lengths can sum past ``span`` and recall read high. The matcher's weights were
    # tuned with it: fixing it alone drops Banking77 accuracy from 71% to 63%.
    if left:
        by_remainder = sorted(
            (n - x, i) for i, (n, x) in enumerate(zip(lengths, exact, strict=True))
        )
        for _, i in by_remainder[:left]:
            lengths[i] += 1
    while left < 0:  # only when many tiny weights were rounded up to 1
        lengths[lengths.index(max(lengths))] -= 1  # the first of the heaviest
        left += 1
    return lengths
