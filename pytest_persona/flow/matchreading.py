"""How one step's matcher reads a message: into weighted query strings.

Each surface word becomes chunks of the step's stem codes (``StepMatcher`` writes its
profiles and examples in the same codes), sentences sum their distinct words, and a
message gives one reading as a whole and, when two or more of its sentences say
something of the flow's, one per such sentence. Word and sentence codes are memoised
per reader, so a reading never depends on what was read before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from operator import itemgetter

from .matchweights import WEIGHT_DISTINCT_MAX, WEIGHT_LIGHT, units_of
from .model import Flow
from .textnorm import (
    EVERYDAY_WORDS,
    LIGHT_STEMS,
    MAX_CACHED_WORDS,
    NEGATION_STEMS,
    Lexicon,
    Term,
    sentences,
    without_thanks,
    words_of_normalised,
)

WEIGHT_OTHER_INTENT = 3.0  # a word of the flow's vocabulary not active at this step
WEIGHT_UNKNOWN = 0.5  # a word the flow never uses
WEIGHT_NUMBER = 0.25  # digits and symbols the flow never uses
# The same weights in units, converted once.
_UNITS_NEGATION = units_of(WEIGHT_DISTINCT_MAX)
_UNITS_LIGHT = units_of(WEIGHT_LIGHT)
_UNITS_OTHER_INTENT = units_of(WEIGHT_OTHER_INTENT)
_UNITS_UNKNOWN = units_of(WEIGHT_UNKNOWN)
_UNITS_NUMBER = units_of(WEIGHT_NUMBER)
# Share of its weight that a sentence with no evidence at all counts as unexplained.
FILLER_SHARE = 0.1
# Share of a repaired (typo-corrected) word's weight that counts as explained.
REPAIRED_SHARE = 0.75

# What one surface word adds to the two queries: chunks for the share query (its
# weight), chunks for the recall query (its presence), units no intent explains, and
# whether it is evidence (a word of the flow's vocabulary, as typed, that is neither a
# function word nor an everyday word, unless an intent is about it: what a sentence is
# about, whatever the step).
# A plain tuple: it is unpacked once per word of every message.
_WordCode = tuple[frozenset[str], frozenset[str], int, bool]
# A sentence: its words' chunks merged, their unexplained units, whether any word is
# evidence, and its whole weight in units, explained or not.
_SentenceCode = tuple[AbstractSet[str], AbstractSet[str], int, bool, int]
# A message: the share query (explained chunks), its unexplained units, which no
# profile matches and which only lower the share, and the recall query.
Queries = tuple[str, int, str]


def flow_key_stems(flow: Flow, lexicon: Lexicon) -> frozenset[str]:
    """Stems said in at least half of an intent's examples (of two or more): what the
    intent is about ("card" for a lost card). Such a stem is evidence even when it is an
    everyday word, so "I lost my card." is no social filler beside "Help."."""
    found: set[str] = set()
    for intent in flow.intents.values():
        bags = [lexicon.bag(text) for text in intent.examples]
        if len(bags) < 2:
            continue
        counts: dict[str, int] = {}
        for bag in bags:
            for word_stem in bag:
                counts[word_stem] = counts.get(word_stem, 0) + 1
        found.update(
            word_stem
            for word_stem, count in counts.items()
            if 2 * count >= len(bags) and word_stem not in LIGHT_STEMS
        )
    return frozenset(found)


class MessageReader:
    """Reads messages for one step: its stem codes, weights and recall lengths."""

    def __init__(
        self,
        lexicon: Lexicon,
        key_stems: frozenset[str],
        codes: Mapping[str, str],
        units: Mapping[str, int],
        present: Mapping[str, int],
    ) -> None:
        self._lexicon = lexicon
        self._key_stems = key_stems
        self._codes = codes
        self._units = units
        self._present = present
        self._words: dict[str, _WordCode] = {}
        self._sentences: dict[str, _SentenceCode] = {}

    def _encode_word(self, word: str) -> _WordCode:
        """A word's code, memoised (the caller has looked in the memo already). A repaired
        word keeps only part of its weight; the rest no intent explains."""
        shared: set[str] = set()
        present: set[str] = set()
        dead = 0
        evidence = False
        known = self._lexicon.stems
        for term in self._lexicon.analyse(word):
            evidence = evidence or (
                term.stem in known
                and not (
                    term.repaired
                    or term.stem in LIGHT_STEMS
                    or (word in EVERYDAY_WORDS and term.stem not in self._key_stems)
                )
            )
            units = self._units.get(term.stem)
            if units is None:
                dead += self._dead_units(term)
                continue
            code = self._codes[term.stem]
            reach = self._present[term.stem]
            if term.repaired:  # a guessed word covers only part of an example's word
                reach = max(1, round(reach * REPAIRED_SHARE))
            present.add(code * reach)
            kept = max(1, round(units * REPAIRED_SHARE)) if term.repaired else units
            shared.add(code * kept)
            dead += units - kept
        found = frozenset(shared), frozenset(present), dead, evidence
        if len(self._words) < MAX_CACHED_WORDS:
            self._words[word] = found
        return found

    def _dead_units(self, term: Term) -> int:
        """What a word no intent here explains weighs, in units."""
        if term.stem in NEGATION_STEMS:  # "not correct" is no "correct": as heavy as any word
            return _UNITS_NEGATION
        if term.stem in LIGHT_STEMS:
            return _UNITS_LIGHT
        if term.stem in self._lexicon.stems:
            return _UNITS_OTHER_INTENT
        if term.stem.isalpha():
            return _UNITS_UNKNOWN
        return _UNITS_NUMBER

    def _sentence(self, norm: str) -> _SentenceCode:
        """One sentence's distinct words summed up; sentences recur, so it is memoised."""
        shared: set[str] = set()
        present: set[str] = set()
        dead = 0
        evidence = False
        words_cache = self._words
        for word in set(self._lexicon.rejoin(words_of_normalised(norm))):
            code = words_cache.get(word) or self._encode_word(word)
            word_shared, word_present, word_dead, word_evidence = code
            if word_shared:  # a word explains something for both queries or for neither
                shared |= word_shared
                present |= word_present
            dead += word_dead
            if word_evidence:
                evidence = True
        units = dead + sum(map(len, shared))  # its whole weight
        found = (shared, present, dead, evidence, units)  # shared by callers, never changed
        if len(self._sentences) < MAX_CACHED_WORDS:
            self._sentences[norm] = found
        return found

    def read(self, text: str) -> tuple[Queries, list[_SentenceCode]] | None:
        """The whole message's reading and its sentences' codes (for ``alone``); None
        when no active stem is present. See ``readings``."""
        cache = self._sentences
        said = sentences(text)
        if len(said) == 1:  # most messages: no thanks to drop, no sentences to combine
            pieces = [cache.get(said[0]) or self._sentence(said[0])]
        else:
            pieces = [cache.get(norm) or self._sentence(norm) for norm in without_thanks(said)]
            if len(pieces) < len(said) and not any(piece[1] for piece in pieces):
                pieces = [cache.get(norm) or self._sentence(norm) for norm in said]
        if len(pieces) == 1:
            shared, present, dead = pieces[0][:3]
        else:
            shared, present, dead = self._combine(pieces)
        if not present:
            return None
        return ("".join(sorted(shared)), dead, "".join(sorted(present))), pieces

    @staticmethod
    def alone(pieces: list[_SentenceCode]) -> list[Queries]:
        """A reading of each sentence with evidence on its own, the rest of the message
        as filler, when two or more have some; else none (see ``readings``)."""
        told = [piece for piece in pieces if piece[3] and piece[1]]
        if len(told) < 2:
            return []
        whole = sum(piece[4] for piece in pieces)
        return [
            ("".join(sorted(shared)), dead + round((whole - units) * FILLER_SHARE),
             "".join(sorted(present)))
            for shared, present, dead, _, units in told
        ]  # fmt: skip

    def readings(self, text: str) -> Iterator[Queries]:
        """Each reading's share query, unexplained weight and recall query: the whole
        message first, then (when two or more sentences have evidence) each of those on
        its own, with the rest of the message as filler; nothing when no active stem is
        present. ``read`` and ``alone`` split this in two, so the sentences are read
        only when the whole is not understood.

        A sentence with no evidence (a word of the flow's vocabulary that is not a
        function word, an everyday word such as "time" or "try" that no intent is about,
        or a guessed repair) is social filler when another sentence has some ("I hope
        you're well."): it explains nothing, and its weight counts only ``FILLER_SHARE``
        against the request, so a long, polite message is read by what it asks. Evidence
        is judged against the whole flow, not the step, so a sentence is filler or not
        wherever it is said.
        A word no intent explains counts once per sentence it is said in; an explained
        word counts once in the message.
        """
        found = self.read(text)
        if found is not None:
            yield found[0]
            yield from self.alone(found[1])

    @staticmethod
    def _combine(pieces: list[_SentenceCode]) -> tuple[AbstractSet[str], AbstractSet[str], int]:
        """Several sentences: filler counts only in part, when a sentence has evidence."""
        some_evidence = any(map(itemgetter(3), pieces))
        shared: set[str] = set()
        present: set[str] = set()
        dead = filler = 0
        for piece_shared, piece_present, piece_dead, evidence, units in pieces:
            if evidence or not some_evidence:
                shared |= piece_shared
                present |= piece_present
                dead += piece_dead
            else:
                filler += units
        return shared, present, dead + round(filler * FILLER_SHARE)
