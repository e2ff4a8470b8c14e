"""Intent matching over the intents active at one step.

Each message and example becomes a weighted bag of word stems (see ``textnorm``).
The confidence of an example is the weighted Dice overlap of the two bags, and an
intent's confidence is that of its best example. Weights make it behave like a
small trained classifier rather than a substring search: a word that only one
active intent uses weighs most, a word several intents share weighs less,
courtesies and function words hardly count, a word the flow knows from another
intent counts against the match, and a word the flow never saw counts a little.
So a short example ("help") is not met by every sentence containing it, and a long
polite message still matches when its distinctive words are there.

rapidfuzz does the scoring: every stem of the active vocabulary is one character,
repeated once per weight unit, and both bags are written in code order. The
longest common subsequence of two such strings is the weighted intersection of
the bags, so rapidfuzz's Indel similarity *is* the weighted Dice coefficient,
computed in C over all examples in one ``process.extract`` call.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

from .model import Flow, Step
from .textnorm import LIGHT_STEMS, MAX_CACHED_WORDS, Lexicon, Term, words

OFF_TOPIC = "__off_topic__"

# Weights in units of a quarter, so that every weight is a whole number of characters.
UNITS_PER_WEIGHT = 4
WEIGHT_DISTINCT_MIN = 2.0  # a word every active intent uses
WEIGHT_DISTINCT_MAX = 6.0  # a word only one active intent uses
WEIGHT_LIGHT_ACTIVE = 0.5  # a function word or courtesy inside an active example
WEIGHT_LIGHT = 0.25  # a function word or courtesy no active example uses
WEIGHT_OTHER_INTENT = 4.0  # a word of the flow's vocabulary not active at this step
WEIGHT_UNKNOWN = 1.0  # a word the flow never uses
WEIGHT_NUMBER = 0.25  # digits and symbols the flow never uses
# Share of a repaired (typo-corrected) word's weight that may still match.
REPAIRED_SHARE = 0.75
# How much a message's unexplained words count against a match, relative to the words
# of the example that the message lacks (see ``_scale``).
QUERY_SCALE = 2
EXAMPLE_SCALE = 1
# Confidence is overlap ** CONFIDENCE_POWER (see ``StepMatcher._confidence``).
CONFIDENCE_POWER = 0.6

_FILL = "\x01"  # stands for weight that can never match an example
_FIRST_CODE = 0x100


@dataclass(frozen=True)
class Match:
    """The best reading of a message among the active intents.

    ``intent`` is the best candidate's name (``OFF_TOPIC`` for the flow's off-topic
    examples) or None when nothing scored at all; ``accepted`` says whether it cleared
    ``match_threshold`` and beat the runner-up by ``ambiguity_margin``.
    """

    intent: str | None
    confidence: float
    accepted: bool
    runner_up: str | None = None
    runner_up_confidence: float = 0.0

    @property
    def off_topic(self) -> bool:
        return self.accepted and self.intent == OFF_TOPIC


_NOTHING = Match(None, 0.0, False)


def _units(weight: float) -> int:
    return round(weight * UNITS_PER_WEIGHT)


def _code(index: int) -> str:
    point = _FIRST_CODE + index
    return chr(point if point < 0xD800 else point + 0x800)  # skip surrogates


class StepMatcher:
    """Matches messages against one fixed set of active intents (plus off-topic)."""

    def __init__(self, flow: Flow, active: frozenset[str], lexicon: Lexicon) -> None:
        self._threshold = flow.settings.match_threshold
        self._margin = flow.settings.ambiguity_margin
        self._lexicon = lexicon
        classes: list[tuple[str, tuple[str, ...]]] = [
            (name, flow.intents[name].examples) for name in sorted(active)
        ]
        if flow.off_topic is not None:
            classes.append((OFF_TOPIC, flow.off_topic.examples))
        bags = [(owner, [_stems(lexicon, text) for text in texts]) for owner, texts in classes]
        self._units = self._weigh_vocabulary(bags)
        self._choices: list[str] = []
        self._owners: list[str] = []
        seen: set[tuple[str, str]] = set()
        for owner, examples in bags:
            for bag in examples:
                encoded = "".join(sorted(self._chunk(s, EXAMPLE_SCALE) for s in bag))
                if encoded and (owner, encoded) not in seen:
                    seen.add((owner, encoded))
                    self._choices.append(encoded)
                    self._owners.append(owner)
        per_owner = max((self._owners.count(o) for o in set(self._owners)), default=0)
        # The best example of the second-best intent is always within this many results.
        self._limit = per_owner + 1
        self._words: dict[str, tuple[frozenset[str], int]] = {}
        # Indel similarity of a perfect match is 2*min/(q+e) when the two sides are
        # scaled differently; this factor brings it back to 1.
        self._scale = (QUERY_SCALE + EXAMPLE_SCALE) / (2 * min(QUERY_SCALE, EXAMPLE_SCALE))

    @staticmethod
    def _weigh_vocabulary(
        bags: list[tuple[str, list[frozenset[str]]]],
    ) -> dict[str, tuple[str, int]]:
        """Each active stem's code character and its weight in units."""
        users: dict[str, set[str]] = {}
        for owner, examples in bags:
            for bag in examples:
                for s in bag:
                    users.setdefault(s, set()).add(owner)
        total = len(bags)
        units: dict[str, tuple[str, int]] = {}
        for index, s in enumerate(sorted(users)):
            if s in LIGHT_STEMS:
                weight = WEIGHT_LIGHT_ACTIVE
            else:
                rarity = math.log(total / len(users[s])) / math.log(total) if total > 1 else 1.0
                weight = WEIGHT_DISTINCT_MIN + (WEIGHT_DISTINCT_MAX - WEIGHT_DISTINCT_MIN) * rarity
            units[s] = (_code(index), max(1, _units(weight)))
        return units

    def _chunk(self, word_stem: str, scale: int) -> str:
        code, units = self._units[word_stem]
        return code * (units * scale)

    def _encode_word(self, word: str) -> tuple[frozenset[str], int]:
        """The matchable chunks a surface word adds to a message, and its dead weight."""
        chunks: set[str] = set()
        fill = 0
        for term in self._lexicon.analyse(word):
            if term.stem in self._units:
                chunk = self._chunk(term.stem, QUERY_SCALE)
                if term.repaired:
                    # Only part of what the example side holds may match; the rest is dead.
                    matchable = self._units[term.stem][1] * min(QUERY_SCALE, EXAMPLE_SCALE)
                    kept = max(1, round(matchable * REPAIRED_SHARE))
                    fill += len(chunk) - kept
                    chunk = chunk[:kept]
                chunks.add(chunk)
            else:
                fill += _units(self._dead_weight(term)) * QUERY_SCALE
        return frozenset(chunks), fill

    def _dead_weight(self, term: Term) -> float:
        if term.stem in LIGHT_STEMS:
            return WEIGHT_LIGHT
        if term.stem in self._lexicon.stems:
            return WEIGHT_OTHER_INTENT
        if term.stem.isalpha():
            return WEIGHT_UNKNOWN
        return WEIGHT_NUMBER

    def _encode(self, text: str) -> tuple[str, bool]:
        """The message as one code string; False when no active stem is in it."""
        chunks: set[str] = set()
        fill = 0
        cache = self._words
        for word in set(words(text)):
            found = cache.get(word)
            if found is None:
                found = self._encode_word(word)
                if len(cache) < MAX_CACHED_WORDS:
                    cache[word] = found
            chunks.update(found[0])
            fill += found[1]
        return "".join(sorted(chunks)) + _FILL * fill, bool(chunks)

    def _scores(self, query: str, limit: int | None) -> list[tuple[str, float, int]]:
        return process.extract(
            query,
            self._choices,
            scorer=Indel.normalized_similarity,
            processor=None,
            limit=limit,
            score_cutoff=1e-9,
        )

    def match(self, text: str) -> Match:
        query, matchable = self._encode(text)
        if not matchable:
            return _NOTHING
        results = self._scores(query, self._limit)
        owners = self._owners
        _, score, index = results[0]
        top = owners[index]
        confidence = self._confidence(score)
        runner_up: str | None = None
        second = 0.0
        for _, score, index in results:
            if owners[index] != top:
                runner_up, second = owners[index], self._confidence(score)
                break
        accepted = confidence >= self._threshold and confidence - second >= self._margin
        return Match(top, confidence, accepted, runner_up, second)

    def _confidence(self, similarity: float) -> float:
        overlap: float = min(1.0, similarity * self._scale)
        return math.pow(overlap, CONFIDENCE_POWER)

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every active intent (and off-topic) with its confidence, best first."""
        best = dict.fromkeys(self._owners, 0.0)
        query, matchable = self._encode(text)
        if matchable:
            for _, score, index in self._scores(query, None):
                owner = self._owners[index]
                best[owner] = max(best[owner], self._confidence(score))
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def _stems(lexicon: Lexicon, text: str) -> frozenset[str]:
    return frozenset(term.stem for word in words(text) for term in lexicon.analyse(word))


class IntentMatcher:
    """All step matchers of one flow, built once and shared by every conversation."""

    def __init__(self, flow: Flow) -> None:
        self._flow = flow
        texts = [e for intent in flow.intents.values() for e in intent.examples]
        if flow.off_topic is not None:
            texts.extend(flow.off_topic.examples)
        self._lexicon = Lexicon(texts)
        self._cache: dict[frozenset[str], StepMatcher] = {}

    def for_intents(self, names: Iterable[str]) -> StepMatcher:
        key = frozenset(names)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = StepMatcher(self._flow, key, self._lexicon)
        return found

    def for_step(self, step: Step) -> StepMatcher:
        """The step's route intents plus every global intent."""
        names = {route.intent for route in step.routes}
        names.update(intent.name for intent in self._flow.global_intents)
        return self.for_intents(names)
