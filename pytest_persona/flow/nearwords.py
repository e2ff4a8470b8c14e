"""Which repair targets lie within a typed word's edit budget, without comparing it with
every one of them.

A budget of one edit (words under 8 letters, the most common case) goes through an
index: two words within optimal-string-alignment distance 1 become equal after at most
one deletion from each (a substituted letter is deleted on both sides, a swapped pair
loses the same letter on both sides, an extra letter is deleted on its side), so every
target is filed under itself and what is left of it after one deletion, and a word is
compared only with the targets filed under its own leftovers. A budget of two (longer
words, of which there are few targets) compares the word with the targets whose length
is within two of its own, as only those can be two edits away. Either way the targets
found, and their distances, are exactly those a comparison with every target finds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from itertools import combinations

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Words this long or longer may be two edits away from their target; shorter ones one.
LONG_WORD = 8

# Words whose one-edit neighbours an index remembers, at most.
MAX_REMEMBERED = 1 << 16

# (target, distance, rank): rank is the target's place in the list the caller gave.
Near = tuple[str, int, int]


def edit_budget(word: str) -> int:
    """How many edits a slip of ``word`` may be: 1, or 2 for words of 8 letters or more."""
    return 1 if len(word) < LONG_WORD else 2


@functools.lru_cache(maxsize=1 << 14)
def leftovers(word: str) -> tuple[str, ...]:
    """``word`` and every string left after deleting one of its letters (memoised: each
    index and each pass that meets a word asks for them, and flows share many words)."""
    if not word:
        return (word,)
    # Every choice of all letters but one, in order (a third cheaper than slicing).
    return (word, *map("".join, combinations(word, len(word) - 1)))


class WordIndex:
    """Words filed under their leftovers: the candidates for a one-edit slip."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words: frozenset[str] = frozenset(words)
        filed: dict[str, list[str]] = {}
        for word in sorted(self.words):
            for rest in leftovers(word):
                found = filed.get(rest)
                if found is None:
                    filed[rest] = [word]
                elif found[-1] != word:  # a doubled letter leaves the same string twice
                    found.append(word)
        self.by_leftover = filed  # read only
        self._near: dict[str, tuple[tuple[str, int], ...]] = {}

    def within_one(self, word: str) -> tuple[tuple[str, int], ...]:
        """Every filed word at most one edit from ``word``, with its distance; memoised,
        as a shared index (light and everyday words) meets the same words in every flow."""
        found = self._near.get(word)
        if found is None:
            filed = self.by_leftover
            rests = leftovers(word)
            if filed.keys().isdisjoint(rests):  # most slips: nothing filed near them
                found = ()
            else:
                hits: dict[str, int] = {}
                for rest in rests:
                    for target in filed.get(rest, ()):
                        if target not in hits:
                            hits[target] = OSA.distance(word, target, score_cutoff=1)
                found = tuple((target, d) for target, d in hits.items() if d <= 1)
            if len(self._near) < MAX_REMEMBERED:
                self._near[word] = found
        return found

    def candidates(self, word: str) -> set[str]:
        """Every filed word within one edit of ``word``, and maybe a few more."""
        found: set[str] = set()
        for rest in leftovers(word):
            found.update(self.by_leftover.get(rest, ()))
        return found


class Targets:
    """A list of repair targets, searchable by edit distance.

    ``shared`` may index some of the targets already (words every flow's list holds, so
    indexed once per process); the rest are indexed here. Built once per lexicon.
    """

    def __init__(self, targets: Sequence[str], shared: WordIndex | None = None) -> None:
        self._targets = list(targets)
        self._rank: dict[str, int] = {}
        for at, target in enumerate(self._targets):
            self._rank.setdefault(target, at)
        own = [t for t in self._rank if shared is None or t not in shared.words]
        self._own = WordIndex(own).by_leftover
        self._shared = shared
        self._by_length: dict[int, tuple[list[str], list[int]]] = {}
        self._lengths: dict[int, list[int]] | None = None  # ranks by target length

    def within(
        self, word: str, budget: int, *, min_length: int = 0, initial: str = ""
    ) -> list[Near]:
        """Every target at most ``budget`` (1 or 2) edits from ``word``, in no set order;
        only targets of ``min_length`` letters or more, starting with ``initial``."""
        if budget == 1:  # filtered as it is found
            rests = leftovers(word)
            found = (
                self._own_within_one(word, rests, min_length, initial)
                if not self._own.keys().isdisjoint(rests)  # most slips: none of its own near
                else []
            )
            if self._shared is not None:  # its words are not this list's own
                rank = self._rank
                for target, distance in self._shared.within_one(word):
                    at = rank.get(target)
                    if at is not None and len(target) >= min_length and target.startswith(initial):
                        found.append((target, distance, at))
            return found
        if budget != 2:
            raise ValueError(f"an edit budget is 1 or 2, not {budget}")
        return [
            near
            for near in self._within_two(word)
            if len(near[0]) >= min_length and near[0].startswith(initial)
        ]

    def _own_within_one(
        self, word: str, rests: tuple[str, ...], min_length: int, initial: str
    ) -> list[Near]:
        found: list[Near] = []
        rank = self._rank
        seen: set[str] = set()
        filed = self._own
        for rest in rests:
            hits = filed.get(rest)
            if hits is None:
                continue
            for target in hits:
                if target in seen or len(target) < min_length:
                    continue
                seen.add(target)
                if not target.startswith(initial):
                    continue
                distance = OSA.distance(word, target, score_cutoff=1)
                if distance <= 1:
                    found.append((target, distance, rank[target]))
        return found

    def _within_two(self, word: str) -> list[Near]:
        near, ranks = self._around(len(word))
        return [
            (target, distance, ranks[at])
            for target, distance, at in process.extract(
                word, near, scorer=OSA.distance, score_cutoff=2, limit=None
            )
        ]

    def _around(self, length: int) -> tuple[list[str], list[int]]:
        """Targets within two letters of ``length``, with their ranks (in no set order:
        the caller ranks what it finds)."""
        found = self._by_length.get(length)
        if found is None:
            if self._lengths is None:
                self._lengths = {}
                for at, target in enumerate(self._targets):
                    self._lengths.setdefault(len(target), []).append(at)
            ranks = [
                at for size in range(length - 2, length + 3) for at in self._lengths.get(size, ())
            ]
            found = self._by_length[length] = ([self._targets[at] for at in ranks], ranks)
        return found
