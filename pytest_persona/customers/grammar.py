"""Grammar rewrites: a learner's slips (articles, prepositions, agreement, tense, word
order), telegraph style for the hurried, and contractions expanded.

Each rule is one regular expression whose every hit is rewritten with the persona's
probability, so the rates read per article, per verb or per question as in the spec.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .personas import Persona

_I = re.IGNORECASE

CONTRACTIONS: Mapping[str, str] = {
    "what's": "what is", "where's": "where is", "it's": "it is", "that's": "that is",
    "there's": "there is", "here's": "here is", "who's": "who is", "he's": "he is",
    "she's": "she is", "how's": "how is", "when's": "when is", "let's": "let us",
    "i'm": "I am", "you're": "you are", "we're": "we are", "they're": "they are",
    "what're": "what are", "i've": "I have", "you've": "you have", "we've": "we have",
    "they've": "they have", "i'll": "I will", "you'll": "you will", "it'll": "it will",
    "we'll": "we will", "they'll": "they will", "i'd": "I would", "you'd": "you would",
    "we'd": "we would", "don't": "do not", "doesn't": "does not", "didn't": "did not",
    "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not",
    "hasn't": "has not", "haven't": "have not", "hadn't": "had not", "won't": "will not",
    "can't": "cannot", "couldn't": "could not", "shouldn't": "should not",
    "wouldn't": "would not", "mustn't": "must not", "needn't": "need not",
    "wanna": "want to", "gonna": "going to", "gotta": "have to",
}  # fmt: skip
CONTRACTION_RE = re.compile(
    r"(?<![\w'])(?:" + "|".join(re.escape(k) for k in CONTRACTIONS) + r")(?![\w'])", _I
)


def expand_contractions(text: str) -> str:
    """Every contraction written out ("what's" -> "what is"), keeping a leading capital."""

    def full(match: re.Match[str]) -> str:
        found = match.group(0)
        out = CONTRACTIONS[found.lower()]
        return out[:1].upper() + out[1:] if found[:1].isupper() else out

    return CONTRACTION_RE.sub(full, text)


_PAST = {
    "ordered": "order", "bought": "buy", "sent": "send", "paid": "pay", "was": "is",
    "were": "are", "did": "do", "received": "receive", "arrived": "arrive",
    "changed": "change", "moved": "move", "booked": "book", "tried": "try", "called": "call",
    "lost": "lose", "got": "get", "made": "make", "forgot": "forget", "came": "come",
    "went": "go", "said": "say", "took": "take", "left": "leave", "saw": "see",
    "typed": "type", "happened": "happen", "stole": "steal", "delivered": "deliver",
    "shipped": "ship", "asked": "ask", "wanted": "want", "needed": "need",
}  # fmt: skip
_AGREE_THIRD = {
    "has": "have", "does": "do", "is": "are", "was": "were", "says": "say",
    "arrives": "arrive", "works": "work", "comes": "come", "needs": "need", "takes": "take",
    "shows": "show", "looks": "look", "costs": "cost",
}  # fmt: skip
_AGREE_FIRST = {
    "have": "has", "do": "does", "need": "needs", "want": "wants", "know": "knows",
    "think": "thinks", "am": "is", "are": "is", "live": "lives",
}  # fmt: skip
_PREPOSITIONS = {
    "in": ("on", "at"), "on": ("in", "at"), "at": ("in", "on"), "to": ("for",),
    "for": ("to",), "of": ("from",), "from": ("of",), "about": ("of", "for"),
    "with": ("by",), "into": ("in",),
}  # fmt: skip
_SUBJECTS = "it|he|she|this|that|order|parcel|package|card|account|delivery|item|payment"

_RE_PAST = re.compile(r"\b(?:" + "|".join(_PAST) + r")\b", _I)
_RE_THIRD = re.compile(rf"\b(?:{_SUBJECTS}) ({'|'.join(_AGREE_THIRD)})\b", _I)
_RE_FIRST = re.compile(rf"\b(?:I|you|we|they) ({'|'.join(_AGREE_FIRST)})\b")
_RE_PREP = re.compile(r"\b(?:" + "|".join(_PREPOSITIONS) + r")\b", _I)
_RE_ARTICLE = re.compile(r"\b(?:the|a|an) (?=\w)", _I)
_RE_ARTICLE_SLOT = re.compile(
    r"\b((?:to|for|from|with|about|in|on|at|need|want|have|check|change|cancel|track|book) )"
    r"(?!(?:the|a|an|my|your|his|her|our|their|this|that|it|me|you|him|us|them|i|some|any|"
    r"what|when|where|how|not|be|go|do|get|know|speak|talk|see)\b)(?=[a-z]{3,})",
    _I,
)
_RE_PRONOUN = re.compile(r"(?:^|(?<=[,.!?] ))(?:I|we|I'm|I've|I'd|we're|we've) ", _I)
_RE_WH_BE = re.compile(
    r"^(where|what|when|why|how|which|who)((?: [a-z]+)?) (is|are|was|were) ([^?]+?)([?.!]?)$",
    _I,
)
_RE_YOU_CAN = re.compile(r"^(can|could|will|would) you ([^?]+?)([?.!]?)$", _I)
_RE_WH_DO = re.compile(r"^(where|what|when|why|how) (do|does|did) ([^?]+?)([?.!]?)$", _I)
_RE_DO = re.compile(r"^(?:do|does|did) (you|I|we|they|it|my \w+) ([^?]+?)([?.!]?)$", _I)


def _keep_case(new: str, old: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


@dataclass(frozen=True)
class Grammar:
    """A persona's grammar slips, prepared once; ``apply`` rewrites one piece of text."""

    article_drop: float
    article_insert: float
    preposition_swap: float
    verb_agreement: float
    past_to_present: float
    no_question_inversion: float
    terse_drop: float

    @classmethod
    def from_persona(cls, persona: Persona) -> Grammar:
        return cls(
            article_drop=persona.article_drop,
            article_insert=persona.article_insert,
            preposition_swap=persona.preposition_swap,
            verb_agreement=persona.verb_agreement,
            past_to_present=persona.past_to_present,
            no_question_inversion=persona.no_question_inversion,
            terse_drop=persona.terse_drop,
        )

    @property
    def silent(self) -> bool:
        return not any(
            (
                self.article_drop,
                self.article_insert,
                self.preposition_swap,
                self.verb_agreement,
                self.past_to_present,
                self.no_question_inversion,
                self.terse_drop,
            )
        )

    def apply(self, rng: random.Random, text: str) -> str:
        if self.no_question_inversion and rng.random() < self.no_question_inversion:
            text = uninvert_question(text)
        if self.past_to_present:
            text = _each(_RE_PAST, text, rng, self.past_to_present, _present)
        if self.verb_agreement:
            text = _each(_RE_THIRD, text, rng, self.verb_agreement, _disagree_third)
            text = _each(_RE_FIRST, text, rng, self.verb_agreement, _disagree_first)
        if self.preposition_swap:
            text = _each(_RE_PREP, text, rng, self.preposition_swap, _swap_preposition(rng))
        if self.article_drop:
            text = _each(_RE_ARTICLE, text, rng, self.article_drop, _nothing)
        if self.article_insert:
            text = _each(_RE_ARTICLE_SLOT, text, rng, self.article_insert, _add_the)
        if self.terse_drop:
            text = _each(_RE_ARTICLE, text, rng, self.terse_drop, _nothing)
            text = _each(_RE_PRONOUN, text, rng, self.terse_drop, _nothing)
        return text


def _each(
    pattern: re.Pattern[str],
    text: str,
    rng: random.Random,
    rate: float,
    rewrite: Callable[[re.Match[str]], str],
) -> str:
    """Rewrites each hit of ``pattern`` with probability ``rate``."""
    if pattern.search(text) is None:
        return text
    return pattern.sub(lambda m: rewrite(m) if rng.random() < rate else m.group(0), text)


def _nothing(match: re.Match[str]) -> str:
    return ""


def _add_the(match: re.Match[str]) -> str:
    return match.group(1) + "the "


def _present(match: re.Match[str]) -> str:
    word = match.group(0)
    return _keep_case(_PAST[word.lower()], word)


def _replace_group(match: re.Match[str], table: Mapping[str, str]) -> str:
    whole, verb = match.group(0), match.group(1)
    cut = match.start(1) - match.start(0)
    return whole[:cut] + table.get(verb.lower(), verb)


def _disagree_third(match: re.Match[str]) -> str:
    return _replace_group(match, _AGREE_THIRD)


def _disagree_first(match: re.Match[str]) -> str:
    return _replace_group(match, _AGREE_FIRST)


def _swap_preposition(rng: random.Random) -> Callable[[re.Match[str]], str]:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        options = _PREPOSITIONS[word.lower()]
        return _keep_case(options[0] if len(options) == 1 else rng.choice(options), word)

    return swap


def uninvert_question(text: str) -> str:
    """A question in statement word order: "where is my order" -> "where my order is"."""
    found = _RE_WH_BE.match(text)
    if found is not None:
        wh, noun, verb, rest, mark = found.groups()
        return f"{wh}{noun} {rest} {verb}{mark}"
    found = _RE_YOU_CAN.match(text)
    if found is not None:
        modal, rest, mark = found.groups()
        return f"{_keep_case('you', modal)} {modal.lower()} {rest}{mark or '?'}"
    found = _RE_WH_DO.match(text)
    if found is not None:
        wh, _, rest, mark = found.groups()
        return f"{wh} {rest}{mark}"
    found = _RE_DO.match(text)
    if found is not None:
        subject, rest, mark = found.groups()
        return f"{_keep_case(subject, text)} {rest}{mark or '?'}"
    return text
