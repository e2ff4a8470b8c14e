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
import functools
import itertools
import random
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from ..flow.model import Flow, Intent
from ..flow.textnorm import LIGHT_WORDS
from .lexicon import DETERMINERS, PARAPHRASE
from .phrasebank import BANK, BANK_BY_KEY, EVERYDAY_KEYS, BankEntry, Role
from .planner import Planner

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
RECOGNISE_AT = 0.5  # lowest combined score at which a bank entry is taken for an intent
_TOKEN = re.compile(r"[a-z]+")
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


def stem(word: str) -> str:
    """A crude English stem so "delivered", "delivers" and "deliver" meet."""
    word = word.lower().replace("'", "")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def stems(text: str) -> list[str]:
    return [stem(w) for w in _TOKEN.findall(text.lower().replace("'", ""))]


def name_words(name: str) -> str:
    """An intent's name as words: "track_order" -> "track order"."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return " ".join(re.split(r"[_\-\s.]+", spaced)).lower().strip()


def role_of(intent: Intent, planner: Planner) -> Role:
    """What a global intent's handler looks like: agent (handoff), repeat or help."""
    action = intent.global_action
    if action is None:
        return ""
    if action.goto:
        return "agent" if planner.leads_to(action.goto, "escalated") else ""
    if action.then_return:
        return "help" if action.say else "repeat"
    return ""


# A bank entry read for ``recognise``: its cues as stems (in the entry's order, so
# their weights add up in the same order) and its phrases as ``_token_sorted`` leaves
# them (``default_process`` is idempotent, so they score as the raw phrases would).
_Prepared = tuple[
    tuple[tuple[frozenset[str], float], ...],
    tuple[str, ...],
    frozenset[tuple[str, bool]],
    frozenset[str],
]


def _token_sorted(phrase: str) -> str:
    """A phrase as ``fuzz.token_sort_ratio`` compares it: processed, words sorted, so
    ``fuzz.ratio`` of two such strings is their ``token_sort_ratio``."""
    return " ".join(sorted(utils.default_process(phrase).split()))


@functools.cache
def _prepared_bank(key: str) -> _Prepared:
    """Bank entries never change: each is prepared once per process."""
    entry = BANK_BY_KEY[key]
    cues = tuple((frozenset(stems(cue)), weight) for cue, weight in entry.cues.items())
    vocabulary = frozenset(use for phrase in entry.phrases for use in _word_uses(phrase))
    # A bank entry names its subject in fewer of its many phrases ("appointment" in a
    # third of book_appointment's), so a third is enough there.
    about = frozenset(word for word, _ in key_words(entry.phrases, part=3))
    return cues, tuple(_token_sorted(phrase) for phrase in entry.phrases), vocabulary, about


def clear_memos() -> None:
    """Forget the process-wide memo of prepared bank entries."""
    _prepared_bank.cache_clear()


def key_words(phrases: Collection[str], part: int = 2) -> frozenset[tuple[str, bool]]:
    """What an intent is about: its content words said in at least 1/``part`` of its
    phrases (and in two or more), each with whether it is mostly said after a determiner
    (a noun, as "book" in "renew my book", not the verb of "book an appointment"): "car"
    in "my car was stolen", "taxi" in "book me a taxi", "taxi to the station please"."""
    phrase_counts: dict[str, int] = {}
    noun_uses: dict[str, int] = {}
    all_uses: dict[str, int] = {}
    for phrase in phrases:
        uses = [use for use in _word_uses(phrase) if use[0] not in LIGHT_WORDS]
        for word in {word for word, _ in uses}:
            phrase_counts[word] = phrase_counts.get(word, 0) + 1
        for word, noun in uses:
            all_uses[word] = all_uses.get(word, 0) + 1
            noun_uses[word] = noun_uses.get(word, 0) + noun
    need = max(2, -(-len(phrases) // part))
    return frozenset(
        (word, 2 * noun_uses[word] >= all_uses[word])
        for word, count in phrase_counts.items()
        if count >= need
    )


def _word_uses(phrase: str) -> list[tuple[str, bool]]:
    """Each word (plural or not), and whether a determiner comes just before it."""
    found: list[tuple[str, bool]] = []
    previous = ""
    for word in _TOKEN.findall(phrase.lower().replace("'", "")):
        # Plurals meet, other endings stay: "booking" is not the verb "book"; function
        # words stay whole, so "this" and "does" are still known as such.
        plural = word.endswith("s") and len(word) > 3 and word[-2] != "s"
        single = word[:-1] if plural and word not in LIGHT_WORDS else word
        found.append((single, previous in DETERMINERS))
        previous = word
    return found


def _cue_score(cues: tuple[tuple[frozenset[str], float], ...], words: set[str]) -> float:
    total = 0.0
    for parts, weight in cues:
        if parts <= words:
            total += weight
    return total


def _coverage(phrases: list[str], pool: tuple[str, ...]) -> float:
    """How closely, on average, the pool comes to each of the intent's phrases (0..1), by
    ``token_sort_ratio``; both sides already through ``_token_sorted``."""
    total = 0.0
    for phrase in phrases:
        best = process.extractOne(phrase, pool, scorer=fuzz.ratio, processor=None)
        total += best[1] if best else 0.0
    return total / (100.0 * len(phrases)) if phrases else 0.0


def recognise(flow: Flow, planner: Planner) -> dict[str, BankEntry]:
    """The bank entry each intent is recognised as (if any), one intent per entry."""
    scored: list[tuple[float, str, str]] = []
    for intent in flow.intents.values():
        phrases = [*intent.examples, *intent.test_phrases]
        words = set(stems(" ".join([name_words(intent.name), *phrases])))
        processed = [_token_sorted(phrase) for phrase in phrases]
        role = role_of(intent, planner)
        about = key_words(phrases)
        said = {word for phrase in phrases for word, _ in _word_uses(phrase)}
        for entry in BANK:
            key = entry.key
            cue_stems, pool, vocabulary, entry_about = _prepared_bank(key)
            cues = _cue_score(cue_stems, words)
            if cues < 2.0 and not (role and entry.role == role):
                continue
            # Each is about what the other says: a stolen car is no lost card, renewing a
            # book no booking, and cancelling a subscription no cancelled order. Everyday
            # entries (yes, no, a person) are only checked one way: "nope, wrong" is a no.
            if not about <= vocabulary or (key not in EVERYDAY_KEYS and not entry_about <= said):
                continue
            fuzzy = _coverage(processed, pool)
            score = 0.5 * min(cues, 6.0) / 6.0 + 0.5 * fuzzy
            if role and entry.role == role:
                score += 0.5
            elif entry.role and entry.role != role:
                score -= 0.2
            if score >= RECOGNISE_AT:
                scored.append((score, intent.name, entry.key))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    found: dict[str, BankEntry] = {}
    taken: set[str] = set()
    for _, intent_name, key in scored:
        if intent_name in found or key in taken:
            continue
        found[intent_name] = BANK_BY_KEY[key]
        taken.add(key)
    return found


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
        """The first intent (file order) whose handler has ``role``."""
        return next((name for name, r in self.roles.items() if r == role), None)

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
