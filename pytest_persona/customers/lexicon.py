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
    "thank you": ("thanks", "cheers", "many thanks"),
    "not working": ("broken", "playing up", "not doing anything"),
    "right now": ("now", "straight away"),
    "as soon as possible": ("asap", "quickly"),
    "how much": ("what's the price of", "what do you charge for"),
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
    "appointment": ("booking", "slot", "visit", "reservation"),
    "refund": ("money back", "reimbursement", "repayment"),
    "password": ("login", "log in details", "pass word"),
    "account": ("profile", "login"),
    "human": ("real person", "person", "actual human", "someone"),
    "agent": ("person", "advisor", "human", "rep"),
    "person": ("human", "someone", "real person", "advisor"),
    "someone": ("a person", "somebody", "a human"),
    "problem": ("issue", "trouble"),
    "issue": ("problem", "trouble"),
    "card": ("bank card", "debit card"),
    "price": ("cost",),
    "cost": ("price",),
    "help": ("assistance", "a hand", "support"),
    "options": ("choices",),
    # actions
    "arrive": ("come", "turn up", "get here", "show up"),
    "arrived": ("come", "turned up", "shown up", "got here"),
    "track": ("trace", "check on", "follow", "find"),
    "check": ("look at", "find out", "see"),
    "cancel": ("call off", "stop", "scrap", "get rid of"),
    "change": ("update", "alter", "switch", "amend"),
    "update": ("change", "fix"),
    "book": ("make", "schedule", "set up", "arrange"),
    "reschedule": ("move", "change the time of", "push back"),
    "return": ("send back", "give back"),
    "send": ("ship", "deliver", "post"),
    "sent": ("shipped", "posted", "dispatched"),
    "shipped": ("sent", "dispatched", "posted"),
    "bought": ("purchased", "got", "ordered"),
    "buy": ("purchase", "get"),
    "received": ("got",),
    "receive": ("get",),
    "lost": ("misplaced", "can't find"),
    "stolen": ("nicked", "taken"),
    "find": ("locate", "track down"),
    "repeat": ("say again",),
    "speak": ("talk",),
    # qualities and small words
    "wrong": ("incorrect", "not right"),
    "correct": ("right",),
    "new": ("different",),
    "quickly": ("fast", "asap"),
    "sorry": ("apologies", "sorry about this"),
    "hello": ("hi", "hey there"),
    "hi": ("hello", "hey"),
    "thanks": ("thank you", "cheers", "ta"),
    "yet": ("so far",),
}

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


class Lexicon:
    """A table of swaps compiled into one regular expression."""

    def __init__(self, table: Mapping[str, tuple[str, ...]]) -> None:
        self._table = {key.lower(): value for key, value in table.items()}
        keys = sorted(self._table, key=lambda k: (-len(k), k))
        body = "|".join(re.escape(k) for k in keys)
        self._pattern = re.compile(rf"(?<![\w'])(?:{body})(?![\w'])", re.IGNORECASE)

    def has_match(self, text: str) -> bool:
        return self._pattern.search(text) is not None

    def reword(self, text: str, rng: random.Random, rate: float, force: bool = False) -> str:
        """Swaps each known phrase with probability ``rate``; ``force``: at least one swap."""
        matches = list(self._pattern.finditer(text))
        if not matches:
            return text
        chosen = [m for m in matches if rng.random() < rate]
        if force and not chosen:
            chosen = [rng.choice(matches)]
        if not chosen:
            return text
        out: list[str] = []
        done = 0
        for match in chosen:
            out.append(text[done : match.start()])
            options = self._table[match.group(0).lower()]
            swap = options[0] if len(options) == 1 else rng.choice(options)
            if match.group(0)[:1].isupper():
                swap = swap[:1].upper() + swap[1:]
            out.append(swap)
            done = match.end()
        out.append(text[done:])
        return "".join(out)


PARAPHRASE = Lexicon(PARAPHRASES)
PLAIN = Lexicon(PLAIN_WORDS)

_NORMALISE = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Case- and punctuation-blind form used to compare a message with examples."""
    return " ".join(_NORMALISE.sub("", text.lower()).split())


def differ_from(
    text: str, taken: frozenset[str], rng: random.Random, min_words: int = 4
) -> str:
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
            candidate = f"{rng.choice(OPENING_FILLERS)} {text}"
        else:
            candidate = f"{text.rstrip('.?! ')} {rng.choice(CLOSING_FILLERS)}"
        if normalise(candidate) not in taken:
            return candidate
    return f"{text} please thanks"
