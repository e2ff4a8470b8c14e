"""Where a customer's words come from: base phrases for an intent, from several sources.

Sources and their weights (``SOURCE_WEIGHTS``): the intent's ``test_phrases``; the
built-in bank entry recognised for it; words echoed from the assistant's question or
buttons; the intent's name; and the intent's ``examples``, reworded. All but the last
are independent of ``examples``, and together they outweigh it; the examples source
itself counts less when there are few examples (``EXAMPLES_FOR_FULL_WEIGHT``), so a flow
that cuts an intent's examples is understood less often. Two test phrases are not a
third of what customers say either (``TEST_PHRASES_FOR_FULL_WEIGHT``).
"""

from __future__ import annotations

import bisect
import itertools
import random
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from ..flow.model import Flow, Intent
from .lexicon import PARAPHRASE
from .phrasebank import BANK_BY_KEY, Role
from .planner import Planner
from .recognition import name_words, recognise, role_of

SOURCE_WEIGHTS: Mapping[str, float] = {
    "test_phrases": 3.0,
    "bank": 3.0,
    "echo": 1.0,
    "name": 0.5,
    "examples": 2.0,
}
# Rewording strength per source: examples are always reworded (see ``differ_from``).
_REWORD_RATE: Mapping[str, float] = {
    "test_phrases": 0.2, "bank": 0.25, "echo": 0.1, "name": 0.0, "examples": 0.5,
}  # fmt: skip
# Each example stands for the customers who ask in its words, so the examples source
# counts in full only from this many examples on: a flow cut to one example does not
# make its customers say that one example more often (see ``Sources``).
EXAMPLES_FOR_FULL_WEIGHT = 6
# Test phrases likewise: two of them are two ways among many to ask, not a third of
# everything customers say, so their source counts in full only from this many on.
TEST_PHRASES_FOR_FULL_WEIGHT = 4
ECHO_AT = 60.0  # lowest fuzzy score at which a question fragment names an intent
_LEAD_IN = re.compile(
    r"^(?:and |or |also |then )?(?:i can |you can |we can |i could |would you like to |"
    r"do you want to |shall i |you could |or )*",
    re.IGNORECASE,
)
_FRAGMENT = re.compile(r"[.?!,;:()]| or | and ")
# A fragment that asks ("has it arrived"), or that the assistant says about itself
# ("I'm the account assistant"), is not an offer a customer would say back.
_NOT_AN_OFFER = re.compile(
    r"^(?:is|are|was|were|has|have|had|can|could|do|does|did|would|will|shall|should|how|what|"
    r"when|where|which|who|why|i'm|i am|i'll|i will|i've|i have|we|we're|we'll|we've|let me|"
    r"let's|just|sorry|thanks|thank you|good news|great|ok|okay|sure|no problem|the|this is|"
    r"this's|here is|welcome|you've reached|you're talking to|you are talking to|my name)\b"
)
# The assistant's words from the customer's side: "help you reset your password" ->
# "reset my password", "start a return for you" -> "start a return".
_PERSPECTIVE = (
    (re.compile(r"^help (?:you |with )"), ""),
    (re.compile(r" for you$"), ""),
    (re.compile(r"\byour\b"), "my"),
    (re.compile(r"\byou've\b"), "i've"),
    (re.compile(r"\byou're\b"), "i'm"),
)


def _offer(raw: str) -> str | None:
    """A fragment of the assistant's question as a customer would echo it, if it is one:
    2 to 8 words, no detail left out ("{order_id}"), neither a question nor about itself."""
    if "{" in raw:
        return None
    piece = _LEAD_IN.sub("", raw.strip()).strip().lower()
    for pattern, replacement in _PERSPECTIVE:
        piece = pattern.sub(replacement, piece)
    if not 2 <= len(piece.split()) <= 8 or _NOT_AN_OFFER.match(piece):
        return None
    return piece


# Non-empty pools with their rewording rates, the running total of their weights, and
# the examples' coverage: the chance that a customer drawn to the examples (always the
# last pool) really asks in one of their words rather than in another source's.
Sources = tuple[tuple[tuple[tuple[str, ...], float], ...], tuple[float, ...], float]


@dataclass(frozen=True)
class IntentPhrases:
    """The fixed sources for one intent; echo phrases are added per step."""

    test_phrases: tuple[str, ...]
    bank: tuple[str, ...]
    name: tuple[str, ...]
    examples: tuple[str, ...]


def _share(kind: str, size: int) -> float:
    """How much of its weight a source has: test phrases in full only from
    ``TEST_PHRASES_FOR_FULL_WEIGHT`` on (examples are scaled at the draw, see ``Sources``)."""
    if kind == "test_phrases":
        return min(1.0, size / TEST_PHRASES_FOR_FULL_WEIGHT)
    return 1.0


class Wording:
    """Base phrases for every intent of one flow, prepared once per factory."""

    def __init__(self, flow: Flow, planner: Planner) -> None:
        self.flow = flow
        self.bank_for = recognise(flow, planner)
        self.roles = {name: role_of(i, planner) for name, i in flow.intents.items()}
        self._phrases = {name: self._sources(intent) for name, intent in flow.intents.items()}
        self._echo: dict[tuple[str, str], tuple[str, ...]] = {}
        self._sources_at: dict[tuple[str, str], Sources] = {}

    def _sources(self, intent: Intent) -> IntentPhrases:
        entry = self.bank_for.get(intent.name)
        words = name_words(intent.name)
        named = (words,) if len(words.split()) >= 2 else ()
        return IntentPhrases(
            test_phrases=intent.test_phrases,
            bank=entry.phrases if entry else (),
            name=named,
            examples=intent.examples,
        )

    def intent_with_role(self, role: Role) -> str | None:
        """An intent whose handler has ``role``: the first (file order) whose words read
        as that request too, else the first. Any handoff is an agent-like handler, but a
        customer who wants a person does not say "it's an emergency"."""
        handlers = [name for name, r in self.roles.items() if r == role]
        for name in handlers:
            entry = self.bank_for.get(name)
            if entry is not None and entry.role == role:
                return name
        return handlers[0] if handlers else None

    def echo(self, step: str, intent: str) -> tuple[str, ...]:
        """Words from the step's buttons and question that name ``intent``."""
        key = (step, intent)
        found = self._echo.get(key)
        if found is None:
            found = self._echo[key] = self._find_echo(step, intent)
        return found

    def _find_echo(self, step_name: str, intent_name: str) -> tuple[str, ...]:
        """Button labels for the intent, and fragments of the question closest to it."""
        step = self.flow.steps.get(step_name)
        routed = [r.intent for r in step.routes if r.intent in self.flow.intents] if step else []
        if step is None or intent_name not in routed:
            return ()
        labels = [label.lower() for label, target in step.buttons.items() if target == intent_name]
        pieces: list[str] = []
        for say in step.say:
            for raw in _FRAGMENT.split(say):
                piece = _offer(raw)
                if piece and self._closest(piece, routed) == intent_name:
                    pieces.append(piece)
        return tuple(dict.fromkeys([*labels, *pieces]))

    def _closest(self, piece: str, routed: list[str]) -> str | None:
        """The routed intent a fragment names, if one stands out (fuzzy, by its examples)."""
        scores = []
        for name in dict.fromkeys(routed):
            intent = self.flow.intents[name]
            best = process.extractOne(
                piece,
                [name_words(name), *intent.examples],
                scorer=fuzz.token_set_ratio,
                processor=utils.default_process,
            )
            scores.append((best[1] if best else 0.0, name))
        scores.sort(key=lambda item: (-item[0], item[1]))
        if not scores or scores[0][0] < ECHO_AT:
            return None
        if len(scores) > 1 and scores[0][0] - scores[1][0] < 10.0:
            return None
        return scores[0][1]

    def sources(self, intent: str, step: str | None) -> Sources:
        """The non-empty sources for ``intent`` at ``step``, with cumulative weights."""
        key = (intent, step or "")
        found = self._sources_at.get(key)
        if found is None:
            own = self._phrases[intent]
            pools = (
                ("test_phrases", own.test_phrases),
                ("bank", own.bank),
                ("echo", self.echo(step, intent) if step else ()),
                ("name", own.name),
                ("examples", own.examples),
            )
            live = tuple((pool, _REWORD_RATE[kind]) for kind, pool in pools if pool)
            weights = itertools.accumulate(
                SOURCE_WEIGHTS[kind] * _share(kind, len(pool)) for kind, pool in pools if pool
            )
            coverage = min(1.0, len(own.examples) / EXAMPLES_FOR_FULL_WEIGHT)
            found = self._sources_at[key] = (live, tuple(weights), coverage)
        return found

    def base_phrase(
        self,
        rng: random.Random,
        intent: str,
        step: str | None = None,
        avoid: Collection[str] = (),
    ) -> str:
        """One base phrase for ``intent``, preferably not one in ``avoid``."""
        if intent not in self._phrases:
            return name_words(intent)
        live, cumulative, coverage = self.sources(intent, step)
        total = cumulative[-1]
        last = len(live) - 1
        phrase = ""
        for _ in range(4):
            at = bisect.bisect(cumulative, rng.random() * total)
            if at == last and last and coverage < 1.0 and rng.random() >= coverage:
                at = bisect.bisect(cumulative, rng.random() * cumulative[-2])
            pool, rate = live[at]
            phrase = PARAPHRASE.reword(pool[int(rng.random() * len(pool))], rng, rate)
            if phrase not in avoid:
                break
        return phrase

    def bank_phrase(self, rng: random.Random, key: str, avoid: Collection[str] = ()) -> str:
        """A phrase straight from the bank, for requests the flow has no intent for."""
        pool = BANK_BY_KEY[key].phrases
        phrase = rng.choice(pool)
        if phrase in avoid:
            phrase = pool[(pool.index(phrase) + 1) % len(pool)]
        return PARAPHRASE.reword(phrase, rng, _REWORD_RATE["bank"])
