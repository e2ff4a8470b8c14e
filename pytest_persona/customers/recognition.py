"""Which built-in bank entry each of a flow's intents is, if any.

An intent is recognised as a bank entry when its words meet the entry's cues (or its
handler has the entry's role), each is about what the other says, and the entry's
phrases come close to the intent's. Bank entries never change, so each is read once
per process, and only as far as an intent on the flow needs it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from rapidfuzz import fuzz, process, utils

from ..flow.model import Flow, Intent
from ..flow.textnorm import LIGHT_WORDS
from .lexicon import DETERMINERS
from .phrasebank import BANK, BANK_BY_KEY, EVERYDAY_KEYS, BankEntry, Role
from .planner import Planner

RECOGNISE_AT = 0.5  # lowest combined score at which a bank entry is taken for an intent
# At least one in this many of an intent's phrases (its name counts as one) must say a
# cue of the entry.
CUED_PART = 4
_TOKEN = re.compile(r"[a-z]+")


def stem(word: str) -> str:
    """A crude English stem of a lower-case word without apostrophes, so "delivered",
    "delivers" and "deliver" meet: "-ing", "-ed", "-es" or "-s" comes off when three
    letters are left, never after "ss"."""
    if word.endswith("s"):
        if word.endswith("ss"):
            return word
        if word.endswith("es") and len(word) >= 5:
            return word[:-2]
        return word[:-1] if len(word) >= 4 else word
    if word.endswith("ing") and len(word) >= 6:
        return word[:-3]
    if word.endswith("ed") and len(word) >= 5:
        return word[:-2]
    return word


def tokens(text: str) -> list[str]:
    """A text's words as ``stems`` and ``_word_uses`` read them."""
    return _TOKEN.findall(text.lower().replace("'", ""))


def stems(text: str) -> list[str]:
    return [stem(w) for w in tokens(text)]


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


def _token_sorted(phrase: str) -> str:
    """A phrase as ``fuzz.token_sort_ratio`` compares it: processed, words sorted, so
    ``fuzz.ratio`` of two such strings is their ``token_sort_ratio``."""
    return " ".join(sorted(utils.default_process(phrase).split()))


class _PreparedEntry:
    """A bank entry read for ``recognise``. Its cues (as stems, in the entry's order, so
    their weights add up in the same order) are read at once; the rest only for an
    intent whose words meet the cues, which few entries ever are on one flow."""

    def __init__(self, entry: BankEntry) -> None:
        self.entry = entry
        self.cues = tuple((frozenset(stems(cue)), weight) for cue, weight in entry.cues.items())
        # Words no cue needs: no cue can be met by words disjoint from these (a cue of
        # no words is always met, so such an entry has none to rule it out).
        every_cue_word = frozenset().union(*(parts for parts, _ in self.cues))
        self.cue_words = every_cue_word if all(parts for parts, _ in self.cues) else None

    def cue_score(self, words: set[str]) -> float:
        if self.cue_words is not None and self.cue_words.isdisjoint(words):
            return 0.0
        return _cue_score(self.cues, words)

    @functools.cached_property
    def words(self) -> tuple[frozenset[tuple[str, bool]], frozenset[str]]:
        """Every use of a word in the entry's phrases, and the words it is about."""
        uses = [_word_uses(tokens(phrase)) for phrase in self.entry.phrases]
        # A bank entry names its subject in fewer of its many phrases ("appointment" in a
        # third of book_appointment's), so a third is enough there.
        about = frozenset(word for word, _ in _key_words_of(uses, part=3))
        return frozenset(use for phrase_uses in uses for use in phrase_uses), about

    @functools.cached_property
    def pool(self) -> tuple[str, ...]:
        """Its phrases as ``_token_sorted`` leaves them (``default_process`` is idempotent,
        so they score as the raw phrases would)."""
        return tuple(_token_sorted(phrase) for phrase in self.entry.phrases)


@functools.cache
def _prepared_bank(key: str) -> _PreparedEntry:
    """Bank entries never change: each is prepared once per process."""
    return _PreparedEntry(BANK_BY_KEY[key])


def clear_memos() -> None:
    """Forget the process-wide memo of prepared bank entries."""
    _prepared_bank.cache_clear()


def key_words(phrases: Collection[str], part: int = 2) -> frozenset[tuple[str, bool]]:
    """What an intent is about: its content words said in at least 1/``part`` of its
    phrases (and in two or more), each with whether it is mostly said after a determiner
    (a noun, as "book" in "renew my book", not the verb of "book an appointment"): "car"
    in "my car was stolen", "taxi" in "book me a taxi", "taxi to the station please"."""
    return _key_words_of([_word_uses(tokens(phrase)) for phrase in phrases], part)


def _key_words_of(
    phrase_uses: list[list[tuple[str, bool]]], part: int
) -> frozenset[tuple[str, bool]]:
    """``key_words`` of phrases already read by ``_word_uses``, one list per phrase."""
    phrase_counts: dict[str, int] = {}
    noun_uses: dict[str, int] = {}
    all_uses: dict[str, int] = {}
    for every_use in phrase_uses:
        uses = [use for use in every_use if use[0] not in LIGHT_WORDS]
        for word in {word for word, _ in uses}:
            phrase_counts[word] = phrase_counts.get(word, 0) + 1
        for word, noun in uses:
            all_uses[word] = all_uses.get(word, 0) + 1
            noun_uses[word] = noun_uses.get(word, 0) + noun
    need = max(2, -(-len(phrase_uses) // part))
    return frozenset(
        (word, 2 * noun_uses[word] >= all_uses[word])
        for word, count in phrase_counts.items()
        if count >= need
    )


def _word_uses(phrase_tokens: list[str]) -> list[tuple[str, bool]]:
    """Each word of a phrase's ``tokens`` (plural or not), and whether a determiner comes
    just before it."""
    found: list[tuple[str, bool]] = []
    previous = ""
    for word in phrase_tokens:
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
        phrase_tokens = [tokens(phrase) for phrase in phrases]
        # The stems of the name and of each phrase, and of all of them together.
        said_stems = [{stem(w) for w in each} for each in (tokens(name_words(intent.name)),
                                                           *phrase_tokens)]  # fmt: skip
        words = set().union(*said_stems)
        cued_enough = max(1, -(-len(said_stems) // CUED_PART))
        processed: list[str] | None = None
        role = role_of(intent, planner)
        uses = [_word_uses(each) for each in phrase_tokens]
        about = _key_words_of(uses, part=2)
        said = {word for phrase_uses in uses for word, _ in phrase_uses}
        for entry in BANK:
            key = entry.key
            prepared = _prepared_bank(key)
            cues = prepared.cue_score(words)
            if cues < 2.0 and not (role and entry.role == role):
                continue
            # A cue word in one phrase of many ("speeds are terrible") or a handler's
            # shape alone (a "where is my parcel" answered in place) is no evidence.
            if sum(1 for one in said_stems if prepared.cue_score(one)) < cued_enough:
                continue
            # Each is about what the other says: a stolen car is no lost card, renewing a
            # book no booking, and cancelling a subscription no cancelled order. Everyday
            # entries (yes, no, a person) are only checked one way: "nope, wrong" is a no.
            vocabulary, entry_about = prepared.words
            if not about <= vocabulary or (key not in EVERYDAY_KEYS and not entry_about <= said):
                continue
            if processed is None:
                processed = [_token_sorted(phrase) for phrase in phrases]
            fuzzy = _coverage(processed, prepared.pool)
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
