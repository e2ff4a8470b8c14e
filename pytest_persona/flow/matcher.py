"""Intent matching over the intents active at one step.

Messages and examples are weighted bags of word stems (``textnorm`` lower-cases,
expands contractions, stems, repairs typos against the flow's vocabulary, and reads
at most ``MAX_MESSAGE_CHARS`` characters of a message). An intent's confidence
combines two questions a trained classifier answers implicitly:

- *share*: how much of the message's weight do the intent's words explain? Words the
  intent uses in any of its examples count for it; courtesies and function words
  hardly count either way; a word the flow knows from another intent, or never saw,
  counts against it. So "help" does not claim "I need help tracking my order", while
  a long polite message with the right key words still matches: a sentence with no
  word of the flow's vocabulary beyond function and everyday words ("I hope you're
  well.") is social filler and weighs only ``matchreading.FILLER_SHARE`` next to the
  request, a closing thanks is not read at all beside another sentence, and what a
  thanks is for never is ("Thank you for your help." asks for no help; ``matchreading``
  turns a message into these weighted queries). A
  message not understood as a whole is also read sentence by sentence (``_scored``).
- *recall*: how much of the intent's closest example does the message contain?

Confidence is their weighted harmonic mean (an F-measure in which the share weighs
more, ``RECALL_WEIGHT``). A word weighs by how few active intents use it, so
distinctive words decide and words every intent shares do not; an intent with fewer
examples has fewer words, and fewer whole examples, to be recognised by.

rapidfuzz computes both in C. Every active stem is one character, repeated once per
weight unit, and bags are written in code order, so the longest common subsequence
of two such strings is the weighted overlap of the bags. One ``process.extract``
over per-intent vocabularies gives every share; one over the examples, all scaled to
the same length, gives every recall, best first. Word and sentence analysis is
memoised per matcher, so results never depend on what was matched before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from .matchreading import MessageReader, Queries, flow_key_stems
from .matchweights import spread, weigh
from .model import Flow, FlowSettings, Step
from .textnorm import MAX_CACHED_WORDS, Lexicon

OFF_TOPIC = "__off_topic__"

# Beta squared of the F-measure: below 1, recall weighs less than the share.
RECALL_WEIGHT = 0.7
# Length every example is scaled to for recall; longer if an example has more stems.
EXAMPLE_SPAN = 24

# Rounding slack when comparing a difference of confidences with the margin, so a gap
# of exactly ``ambiguity_margin`` counts as clear, as the setting's wording says.
_SLACK = 1e-9
_GAIN = 1 + RECALL_WEIGHT  # the F-measure's numerator factor
_LCS = LCSseq.similarity  # the weighted overlap of two bags written in code order
# What a sentence must score to say an intent clearly on its own, whatever the flow's
# own threshold and margin: judged by those, a stricter flow would see fewer sentences
# that contradict each other, and understand messages a laxer one does not.
_TELLING = FlowSettings()


def _ahead(scored: list[tuple[float, str]], threshold: float, margin: float) -> bool:
    """Whether the best of ``scored`` reaches ``threshold`` and leads the runner-up by
    ``margin``."""
    if not scored:
        return False
    confidence = -scored[0][0]
    second = -scored[1][0] if len(scored) > 1 else 0.0
    return confidence >= threshold and confidence - second >= margin - _SLACK


@dataclass(frozen=True)
class Match:
    """The best reading of a message among the active intents.

    ``intent`` is the best candidate's name (``OFF_TOPIC`` for the flow's off-topic
    examples) or None when nothing scored at all; ``accepted`` says whether it cleared
    ``match_threshold`` and beat the runner-up by ``ambiguity_margin``. Confidences are
    in 0..1; 1.0 means the message says an example of the intent and nothing else.
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


# One intent's (or off-topic's) examples as the matcher reads them: its distinct
# non-empty bags of stems, each sorted, in order; and every stem they use, sorted.
Examples = tuple[list[tuple[str, ...]], tuple[str, ...]]
# An example's weights (its stems in sorted order) and the length they are spread over.
Spread = tuple[tuple[int, ...], int]


class StepMatcher:
    """Matches messages against one fixed set of active intents (plus off-topic)."""

    def __init__(
        self,
        flow: Flow,
        examples: Mapping[str, Examples],
        lexicon: Lexicon,
        key_stems: frozenset[str] = frozenset(),
        spreads: dict[Spread, list[int]] | None = None,
    ) -> None:
        """``examples``: those of each active intent and of off-topic (``OFF_TOPIC``);
        ``spreads``: a memo of ``spread`` that step matchers of one flow share (the same
        weights recur in many examples and steps), never changed once written."""
        self._threshold = flow.settings.match_threshold
        self._margin = flow.settings.ambiguity_margin
        self._owners = sorted(examples)
        self._codes, self._units = weigh({owner: v for owner, (_, v) in examples.items()})
        self._write_profiles(examples)
        self._write_examples(examples, {} if spreads is None else spreads)
        self._reader = MessageReader(lexicon, key_stems, self._codes, self._units, self._present)
        self._by_queries: dict[Queries, list[tuple[float, str]]] = {}
        self._shares: dict[str, dict[str, int]] = {}
        self._recalls: dict[str, dict[str, int]] = {}

    def _write_profiles(self, examples: Mapping[str, Examples]) -> None:
        """One string per intent: every stem its examples use, at its weight."""
        self._profiles: list[str] = []
        self._profile_owner: list[str] = []
        for owner in self._owners:
            vocabulary = examples[owner][1]
            if vocabulary:
                self._profiles.append(self._write(vocabulary, [self._units[s] for s in vocabulary]))
                self._profile_owner.append(owner)

    def _write_examples(
        self, examples: Mapping[str, Examples], spreads: dict[Spread, list[int]]
    ) -> None:
        """One string per example, its weights scaled to a common length, so that the
        overlap with a message is directly the share of the example it contains."""
        self._span = max([EXAMPLE_SPAN] + [len(b) for o in self._owners for b in examples[o][0]])
        self._examples: list[str] = []
        self._example_owner: list[str] = []
        # How long a stem's chunk in the recall query must be to cover every example.
        self._present: dict[str, int] = {}
        present, units, span = self._present, self._units, self._span
        for owner in self._owners:
            for bag in examples[owner][0]:
                key = (tuple([units[s] for s in bag]), span)
                lengths = spreads.get(key)
                if lengths is None:
                    lengths = spreads[key] = spread(key[0], span)
                for s, n in zip(bag, lengths, strict=True):
                    if n > present.get(s, 0):
                        present[s] = n
                self._examples.append(self._write(bag, lengths))
                self._example_owner.append(owner)

    def _write(self, stems: tuple[str, ...], lengths: list[int]) -> str:
        """Sorted stems at their lengths: codes follow the stems' order, so the string is
        in code order."""
        codes = self._codes
        return "".join([codes[s] * n for s, n in zip(stems, lengths, strict=True)])

    def _scored(self, text: str) -> tuple[list[tuple[float, str]], bool]:
        """(-confidence, intent) for every intent with any evidence, best first, and
        whether the best is understood.

        The whole message is read first. When that leaves it not understood and two or
        more of its sentences have evidence, each of those is read on its own too, and
        every intent takes its best reading: "Reset my password please. My email is
        ..." is a password reset. Sentences that are each understood on their own as
        different intents ("No. Yes, the other one.", "Balance. Transfer.") leave the
        message not understood, whatever the flow's threshold (judged at ``_TELLING``, so
        a stricter threshold never understands more). Off-topic keeps the whole
        message's reading, so a
        remark beside a request does not compete with it.

        Different messages often come down to the same queries (the same words,
        differently said), so the scores are memoised by query; the list is shared by
        callers and never changed."""
        read = self._reader.read(text)
        if read is None:
            return [], False
        queries = read[0]
        found = self._by_queries.get(queries)
        if found is None:
            found = self._score(*queries)
            if len(self._by_queries) < MAX_CACHED_WORDS:
                self._by_queries[queries] = found
        if self._clear(found):  # most messages are understood as a whole
            return found, True
        alone = self._reader.alone(read[1])
        if not alone:
            return found, False
        best = {owner: negated for negated, owner in found}
        told: set[str] = set()  # what sentences say clearly on their own (``_TELLING``)
        bar, margin = _TELLING.match_threshold, _TELLING.ambiguity_margin
        for queries in alone:
            scored = self._score(*queries)  # not memoised: the rest of the message is in it
            if _ahead(scored, bar, margin) and scored[0][1] != OFF_TOPIC:
                told.add(scored[0][1])
            for negated, owner in scored:
                if owner != OFF_TOPIC and negated < best.get(owner, 0.0):
                    best[owner] = negated
        if len(told) > 1:
            return found, False
        merged = sorted((negated, owner) for owner, negated in best.items())
        return merged, self._clear(merged)

    def _clear(self, scored: list[tuple[float, str]]) -> bool:
        """Whether the best of ``scored`` is accepted: above the threshold, and ahead of
        the runner-up by the margin."""
        return _ahead(scored, self._threshold, self._margin)

    @staticmethod
    def _overlaps(query: str, choices: list[str]) -> list[tuple[str, int, int]]:
        """Weighted overlap of ``query`` with each choice (profiles or examples), best first."""
        return process.extract(
            query, choices, scorer=_LCS, processor=None, limit=None, score_cutoff=1
        )

    def _score(self, shared_query: str, dead: int, present_query: str) -> list[tuple[float, str]]:
        """Every intent's confidence from its share and its best example's recall.

        rapidfuzz gives the weighted overlap of a query with each profile (shares) and
        with each example (recalls, best first). Unexplained weight matches no profile,
        so it only divides the overlaps: those are memoised on the explained stems
        alone, which recur across messages that differ in filler. A recall query recurs
        more often than a whole message's queries (filler changes only the other one),
        so it is memoised on its own."""
        overlaps = self._shares.get(shared_query)
        if overlaps is None:
            owners, found = self._profile_owner, self._overlaps(shared_query, self._profiles)
            overlaps = {owners[i]: lcs for _, lcs, i in found}
            if len(self._shares) < MAX_CACHED_WORDS:
                self._shares[shared_query] = overlaps
        recalls = self._recalls.get(present_query)
        if recalls is None:
            recalls = {}
            owners, wanted = self._example_owner, len(overlaps)  # intents with any overlap
            # Best first: each intent's first result is its best.
            for _, lcs, i in self._overlaps(present_query, self._examples):
                owner = owners[i]
                if owner not in recalls:
                    recalls[owner] = lcs
                    if len(recalls) == wanted:
                        break
            if len(self._recalls) < MAX_CACHED_WORDS:
                self._recalls[present_query] = recalls
        total = len(shared_query) + dead
        span, gain, weight, recall_of = self._span, _GAIN, RECALL_WEIGHT, recalls.get
        scored: list[tuple[float, str]] = []
        append = scored.append
        for owner, lcs in overlaps.items():
            example_lcs = recall_of(owner)
            if example_lcs is not None:
                share = lcs / total
                recall = example_lcs / span
                f = gain * share * recall / (weight * share + recall)
                append((-1.0 if f > 1.0 else -f, owner))
        scored.sort()
        return scored

    def forget_scores(self) -> None:
        """Empties the score memos (word and sentence analyses stay), so the next match
        computes its scores afresh: for measuring the scoring itself."""
        self._by_queries.clear()
        self._shares.clear()
        self._recalls.clear()

    def match(self, text: str) -> Match:
        scored, understood = self._scored(text)
        if not scored:
            return _NOTHING
        confidence, top = -scored[0][0], scored[0][1]
        if len(scored) > 1:
            second, runner_up = -scored[1][0], scored[1][1]
        else:
            second, runner_up = 0.0, None
        return Match(top, confidence, understood, runner_up, second)

    def verdict(self, text: str) -> tuple[str | None, float]:
        """``match`` as the engine reads it, without building a ``Match``: the accepted
        intent (None when none is) and the best candidate's confidence."""
        scored, understood = self._scored(text)
        if not scored:
            return None, 0.0
        return scored[0][1] if understood else None, -scored[0][0]

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every active intent (and off-topic) with its confidence, best first."""
        found = {owner: -negated for negated, owner in self._scored(text)[0]}
        everyone = [(owner, found.get(owner, 0.0)) for owner in self._owners]
        return sorted(everyone, key=lambda item: (-item[1], item[0]))


class IntentMatcher:
    """All step matchers of one flow, built once and shared by every conversation."""

    def __init__(self, flow: Flow) -> None:
        self._flow = flow
        texts = [e for intent in flow.intents.values() for e in intent.examples]
        if flow.off_topic is not None:
            texts.extend(flow.off_topic.examples)
        self._lexicon = Lexicon(texts)
        self._key_stems = flow_key_stems(flow, self._lexicon)
        self._cache: dict[frozenset[str], StepMatcher] = {}
        self._examples: dict[str, Examples] = {}
        self._spreads: dict[Spread, list[int]] = {}

    def _examples_of(self, owner: str) -> Examples:
        """An intent's (or off-topic's) examples, read once for every step matcher."""
        found = self._examples.get(owner)
        if found is None:
            off_topic = self._flow.off_topic
            if owner == OFF_TOPIC and off_topic is not None:
                texts = off_topic.examples
            else:
                texts = self._flow.intents[owner].examples
            unique = {tuple(sorted(self._lexicon.bag(text))) for text in texts}
            bags = sorted(bag for bag in unique if bag)
            vocabulary = tuple(sorted({s for bag in bags for s in bag}))
            found = self._examples[owner] = (bags, vocabulary)
        return found

    def for_intents(self, names: Iterable[str]) -> StepMatcher:
        key = frozenset(names)
        found = self._cache.get(key)
        if found is None:
            owners = [*key, OFF_TOPIC] if self._flow.off_topic is not None else key
            examples = {owner: self._examples_of(owner) for owner in owners}
            found = StepMatcher(self._flow, examples, self._lexicon, self._key_stems, self._spreads)
            self._cache[key] = found
        return found

    def for_step(self, step: Step) -> StepMatcher:
        """The step's route intents plus every global intent."""
        names = {route.intent for route in step.routes}
        names.update(intent.name for intent in self._flow.global_intents)
        return self.for_intents(names)
