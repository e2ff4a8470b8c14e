"""Paraphrase lexicon: customer-service words and frames, and plain words for tech terms.

Rewording swaps whole words or frames ("where is" / "what's happened to", "cancel" /
"call off"), so a customer's phrase differs from the flow's examples in the way real
customers' phrases do: other words for the same thing, not random characters.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping

# phrase -> other ways to say it (lower case; "i" is capitalised when spoken)
PARAPHRASES: Mapping[str, tuple[str, ...]] = {
    # frames
    "where is": ("where's", "what's happened to", "whereabouts is"),
    "where's": ("where is", "what's happened to"),
    "i want to": ("i'd like to", "i need to", "can i", "i would like to"),
    "i would like to": ("i'd like to", "i want to", "could i"),
    "i'd like to": ("i want to", "i would like to", "i need to"),
    "i need to": ("i have to", "i want to", "i must"),
    "i need": ("i want", "i'm after"),
    "can you": ("could you", "would you", "are you able to"),
    "could you": ("can you", "would you", "please can you"),
    "can i": ("could i", "is it possible to", "am i able to"),
    "how do i": ("how can i", "what do i do to", "how would i"),
    "when will": ("when is", "how soon will"),
    "is it possible to": ("can i", "could i"),
    "help me": ("assist me", "sort me out"),
    "talk to": ("speak to", "chat with", "speak with"),
    "speak to": ("talk to", "talk with"),
    "tell me": ("let me know", "say"),
    "find out": ("check", "look up", "see"),
    "thank you": ("thanks", "cheers", "many thanks"),
    "not working": ("broken", "playing up", "not doing anything"),
    "right now": ("now", "straight away"),
    "as soon as possible": ("asap", "quickly"),
    "place an order": ("put in an order", "make an order"),
    "how much is": ("what's the price of", "what do you charge for"),
    "has not": ("hasn't", "still hasn't"),
    "hasn't": ("has not", "still hasn't"),
    "didn't": ("did not", "never"),
    "haven't": ("have not", "still haven't"),
    # things
    "order": ("parcel", "package", "purchase", "stuff I bought", "delivery"),
    "parcel": ("package", "order", "delivery", "box"),
    "package": ("parcel", "order", "box"),
    "delivery": ("parcel", "shipment", "order"),
    "address": ("delivery address", "home address", "shipping address"),
    "email address": ("email", "e-mail address"),
    "delivery address": ("shipping address", "address"),
    "appointment": ("booking", "slot", "visit", "reservation"),
    "refund": ("money back", "reimbursement", "repayment"),
    "password": ("login", "log in details", "pass word"),
    "human": ("real person", "person", "actual human", "someone"),
    "agent": ("person", "advisor", "human", "rep"),
    "person": ("human", "someone", "real person", "advisor"),
    "someone": ("a person", "somebody", "a human"),
    "problem": ("issue", "trouble"),
    "issue": ("problem", "trouble"),
    "my card": ("my bank card", "my debit card"),
    "price": ("cost",),
    "cost": ("price",),
    "options": ("choices",),
    # actions
    "arrive": ("come", "turn up", "get here", "show up"),
    "arrived": ("come", "turned up", "shown up", "got here"),
    "track": ("trace", "check on", "find"),
    "check": ("look at", "find out", "see"),
    "cancel": ("call off", "stop", "scrap", "get rid of"),
    "change": ("update", "alter", "switch", "amend"),
    "update": ("change",),
    "any update": ("any news", "any word"),
    "book": ("reserve", "arrange", "get"),
    "book an appointment": ("make an appointment", "set up an appointment"),
    "reschedule": ("move", "change the time of", "push back"),
    "return": ("send back", "give back"),
    "sent": ("shipped", "posted", "dispatched"),
    "shipped": ("sent", "dispatched", "posted"),
    "bought": ("purchased", "got", "ordered"),
    "buy": ("purchase", "get"),
    "received": ("got",),
    "receive": ("get",),
    "lost": ("misplaced", "can't find"),
    "stolen": ("nicked", "taken"),
    "find": ("locate", "track down"),
    "repeat that": ("say that again",),
    "speak": ("talk",),
    # qualities and small words
    "wrong": ("incorrect", "not right"),
    "correct": ("right",),
    "new": ("different",),
    "quickly": ("fast", "asap"),
    "sorry": ("apologies",),
    "hello": ("hi", "hey there"),
    "hi": ("hello", "hey"),
    "thanks": ("thank you", "cheers", "ta"),
}

# Words that are nouns or verbs by context. A noun's swaps are used only after a
# determiner ("my order" -> "my parcel", never "Order a pizza" -> "Parcel a pizza"), a
# verb's never after one ("renew my book" keeps its book; "book a table" may "reserve").
NOUN_SENSE: frozenset[str] = frozenset({"order", "refund", "cost", "price", "delivery"})
VERB_SENSE: frozenset[str] = frozenset(
    {"book", "return", "change", "check", "track", "update", "find", "cancel", "buy", "receive",
     "speak", "reschedule", "arrive"}
)  # fmt: skip
DETERMINERS: frozenset[str] = frozenset({
    "a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "this", "that",
    "these", "those", "some", "any", "another", "no", "each", "every",
})  # fmt: skip
# Words that make a phrasal verb of the word before them ("check on", "log in", "pick
# up"). A verb swapped without its particle strands it ("look at on my prescription"), so
# a word followed by one is swapped only by a key that takes the particle with it.
PARTICLES: frozenset[str] = frozenset({
    "on", "onto", "in", "into", "up", "out", "off", "over", "back", "down", "away",
    "through", "round", "around", "about", "along",
})  # fmt: skip
# Words of one sense that no key pairs up: a swap never puts two of them side by side
# ("an actual real person"), as it never repeats the word beside it ("real real person").
SAME_SENSE: tuple[frozenset[str], ...] = (
    frozenset({"real", "actual", "proper", "genuine", "live"}),
)
# Swaps that are a whole noun phrase: no determiner or modifier goes before them ("a
# real person" never becomes "a real someone").
PRONOUNS: frozenset[str] = frozenset({"someone", "somebody"})

# tech term -> plain words an unconfident customer uses instead
PLAIN_WORDS: Mapping[str, tuple[str, ...]] = {
    "order number": ("number on my paper", "number on the receipt", "reference on my letter"),
    "order id": ("number on my paper", "number on the receipt"),
    "reference number": ("number on my letter", "number at the top of the letter"),
    "account number": ("number on my statement", "long number on my letter"),
    "postcode": ("letters at the end of the address",),
    "password": ("secret word", "word for getting in"),
    "username": ("login name", "name for getting in"),
    "account": ("details", "membership"),
    "app": ("thing on my phone", "phone program"),
    "website": ("internet page", "computer page"),
    "online": ("on the computer", "on the internet"),
    "email": ("computer mail", "emails"),
    "link": ("blue writing", "thing to press"),
    "tracking": ("following",),
    "pin": ("secret number", "four numbers"),
    "text message": ("message on my phone",),
    "log in": ("get in", "get into it"),
    "login": ("getting in",),
    "checkout": ("paying page",),
    "browser": ("internet",),
    "reset": ("sort out",),
    "mobile number": ("phone number", "number for my little phone"),
}

OPENING_FILLERS: tuple[str, ...] = ("so", "um", "ok", "erm", "right", "well", "hey", "ok so")
CLOSING_FILLERS: tuple[str, ...] = ("please", "thanks", "then", "now", "for me", "pls")


# Where a table's phrases occur in a text: (start, end, swaps) per occurrence.
Spots = tuple[tuple[int, int, tuple[str, ...]], ...]
_MAX_CACHED = 20_000


class Lexicon:
    """A table of swaps compiled into one regular expression.

    Customers draw from fixed pools of phrases, so where the table matches a text is
    remembered per text (a bounded cache: it changes speed, never results).
    """

    def __init__(
        self,
        table: Mapping[str, tuple[str, ...]],
        nouns: frozenset[str] = frozenset(),
        verbs: frozenset[str] = frozenset(),
    ) -> None:
        self._table = {key.lower(): value for key, value in table.items()}
        self._nouns = nouns
        self._verbs = verbs
        self._senses = _senses(self._table)
        self._phrases = {p.lower() for key, swaps in self._table.items() for p in (key, *swaps)}
        keys = sorted(self._table, key=lambda k: (-len(k), k))
        body = "|".join(re.escape(k) for k in keys)
        # Never part of a hyphenated word: "check-in" is no "look at-in".
        self._pattern = re.compile(rf"(?<![\w'])(?<!\w-)(?:{body})(?![\w'])(?!-\w)", re.IGNORECASE)
        self._spots: dict[str, Spots] = {}

    def forget(self) -> None:
        """Empties the memo of where the table matches texts."""
        self._spots.clear()

    def spots(self, text: str) -> Spots:
        found = self._spots.get(text)
        if found is None:
            if len(self._spots) >= _MAX_CACHED:
                self._spots.clear()
            found = self._spots[text] = self._find_spots(text)
        return found

    def _find_spots(self, text: str) -> Spots:
        spots: list[tuple[int, int, tuple[str, ...]]] = []
        for m in self._pattern.finditer(text):
            key = m.group(0).lower()
            previous = _LAST_WORD.search(text, 0, m.start())
            before = previous.group(1).lower() if previous else ""
            following = _FIRST_WORD.match(text, m.end())
            after = following.group(1).lower() if following else ""
            if not self._fits(key, before, after):
                continue
            options = tuple(o for o in self._table[key] if self._apart(before, key, o, after))
            if options:
                spots.append((m.start(), m.end(), _cased(m.group(0), options)))
        return tuple(spots)

    def _fits(self, key: str, before: str, after: str) -> bool:
        """Whether the phrase is used in the sense its swaps have (see ``NOUN_SENSE``),
        and is no verb whose particle would be left behind (see ``PARTICLES``)."""
        determined = before in DETERMINERS
        if key in self._nouns:
            return determined
        if key in self._verbs and determined:
            return False
        return determined or after not in PARTICLES

    def _apart(self, before: str, key: str, swap: str, after: str) -> bool:
        """Whether ``swap`` neither repeats nor echoes in other words the word beside it;
        one that puts words in front of the key ("address" -> "home address") not where
        the key has such words already ("shipping address" -> "shipping home address")."""
        words = swap.lower().split()
        if self.alike(before, words[0]) or self.alike(words[-1], after):
            return False
        if words[0] in PRONOUNS:
            return before not in DETERMINERS and before not in _MODIFIERS
        extends = len(words) > 1 and swap.lower().endswith(" " + key)
        return not extends or f"{before} {key}" not in self._phrases

    def alike(self, one: str, other: str) -> bool:
        """Whether two lower-case words are one sense in this table (or the same word)."""
        return one == other or other in self._senses.get(one, ())

    def has_match(self, text: str) -> bool:
        return bool(self.spots(text))

    def reword(self, text: str, rng: random.Random, rate: float, force: bool = False) -> str:
        """Swaps each known phrase with probability ``rate``; ``force``: at least one swap."""
        spots = self.spots(text)
        if not spots:
            return text
        chosen = [spot for spot in spots if rng.random() < rate] if rate else []
        if force and not chosen:
            chosen = [spots[int(rng.random() * len(spots))]]
        if not chosen:
            return text
        out: list[str] = []
        done = 0
        for start, end, options in chosen:
            swap = options[int(rng.random() * len(options))]
            out.append(_article_for(text[done:start], swap))
            out.append(swap)
            done = end
        out.append(text[done:])
        return "".join(out)


def _cased(found: str, options: tuple[str, ...]) -> tuple[str, ...]:
    if found[:1].isupper():
        return tuple(o[:1].upper() + o[1:] for o in options)
    return options


def _senses(table: Mapping[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """Per word, the words of its sense: a one-word key and its one-word swaps both
    ways ("person" and "human"), and the ``SAME_SENSE`` groups."""
    pairs: dict[str, set[str]] = {}
    for key, options in table.items():
        for option in options:
            if " " not in key and " " not in option:
                pairs.setdefault(key, set()).add(option.lower())
                pairs.setdefault(option.lower(), set()).add(key)
    for group in SAME_SENSE:
        for word in group:
            pairs.setdefault(word, set()).update(group - {word})
    return {word: frozenset(alike) for word, alike in pairs.items()}


_MODIFIERS = frozenset().union(*SAME_SENSE)
_LAST_WORD = re.compile(r"([\w']+)\W*$")
_FIRST_WORD = re.compile(r"\W*([\w']+)")
_MASS_NOUNS = frozenset({"stuff", "money"})  # "a" cannot count them: "the stuff I bought"
_ARTICLE = re.compile(r"(?<![\w'])(an?) $", re.IGNORECASE)


def _article_for(before: str, swap: str) -> str:
    """``before`` with a closing "a"/"an" agreeing with the swapped-in words: "an order"
    becomes "a parcel", "a refund" "the money back"; "my" and the rest stay."""
    found = _ARTICLE.search(before)
    if found is None:
        return before
    head = swap.split(None, 1)[0].lower()
    article = "the" if head in _MASS_NOUNS else "an" if head[:1] in "aeiou" else "a"
    if found.group(1)[:1].isupper():
        article = article.capitalize()
    return before[: found.start(1)] + article + " "


PARAPHRASE = Lexicon(PARAPHRASES, NOUN_SENSE, VERB_SENSE)
PLAIN = Lexicon(PLAIN_WORDS)


def echoes(word: str, other: str) -> bool:
    """Whether two words side by side would say one thing twice: the same word, or two
    of one sense ("card card", "parcel order", "actual real")."""
    one, two = word.lower(), other.lower()
    return one == two or PARAPHRASE.alike(one, two)


_NORMALISE = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Case- and punctuation-blind form used to compare a message with examples."""
    return " ".join(_NORMALISE.sub("", text.lower()).split())


def differ_from(text: str, taken: frozenset[str], rng: random.Random, min_words: int = 4) -> str:
    """``text`` changed just enough that its normalised form is not in ``taken``.

    Short messages (under ``min_words``) pass as they are: "yes" may equal an example.
    """
    if len(text.split()) < min_words or normalise(text) not in taken:
        return text
    for _ in range(4):
        candidate = PARAPHRASE.reword(text, rng, 0.0, force=True)
        if candidate != text and normalise(candidate) not in taken:
            return candidate
        if rng.random() < 0.5:
            lowered = text[:1].lower() + text[1:] if text[1:2].islower() else text
            candidate = f"{_filler(rng, OPENING_FILLERS, lowered, -1)} {lowered}"
        else:
            bare = text.rstrip(".?! ")
            candidate = f"{bare} {_filler(rng, CLOSING_FILLERS, bare, 0)}"
        if normalise(candidate) not in taken:
            return candidate
    last = normalise(text).rsplit(None, 1)[-1]
    return " ".join([text, *(word for word in ("please", "thanks") if not echoes(last, word))])


def _filler(rng: random.Random, fillers: tuple[str, ...], beside: str, end: int) -> str:
    """A filler drawn for ``beside``, or the next one if its word at ``end`` (0: first,
    -1: last) would repeat or echo the word it touches ("please please")."""
    words = normalise(beside).split()
    touching = words[0 if end == -1 else -1] if words else ""
    drawn = rng.choice(fillers)
    at = fillers.index(drawn)
    for filler in (*fillers[at:], *fillers[:at]):
        if not echoes(touching, filler.split()[end]):
            return filler
    return drawn
