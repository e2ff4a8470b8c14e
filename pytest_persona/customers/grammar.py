"""Grammar rewrites: a learner's slips (articles, prepositions, agreement, tense, word
order), telegraph style for the hurried, and contractions expanded.

Each rule is one regular expression whose every hit is rewritten with the persona's
probability, so the rates read per article, per verb or per question as in the spec.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
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
    done = _EXPANDED.get(text)
    if done is None:
        if len(_EXPANDED) >= _MAX_CACHED:
            _EXPANDED.clear()
        done = _EXPANDED[text] = CONTRACTION_RE.sub(_written_out, text)
    return done


def _written_out(match: re.Match[str]) -> str:
    found = match.group(0)
    out = CONTRACTIONS[found.lower()]
    return out[:1].upper() + out[1:] if found[:1].isupper() else out


_EXPANDED: dict[str, str] = {}


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
# Where the subject of an uninverted question ends: "what the weather is like where you
# are", not "what the weather like where you are is" ("... where you is is" after a slip).
_RE_SUBJECT_END = re.compile(r" (?=(?:like|where|when|if|because|before|after|since|while)\b)", _I)
_RE_YOU_CAN = re.compile(r"^(can|could|will|would) you ([^?]+?)([?.!]?)$", _I)
_RE_WH_DO = re.compile(r"^(where|what|when|why|how) (do|does|did) ([^?]+?)([?.!]?)$", _I)
_RE_DO = re.compile(r"^(?:do|does|did) (you|I|we|they|it|my \w+) ([^?]+?)([?.!]?)$", _I)


def _keep_case(new: str, old: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


# One possible edit: (start, end, rule, replacements); rules index Grammar.rates.
Hit = tuple[int, int, int, tuple[str, ...]]
_PAST_RULE, _THIRD_RULE, _FIRST_RULE, _PREP_RULE = 0, 1, 2, 3
_DROP_RULE, _INSERT_RULE, _TERSE_RULE, _PRONOUN_RULE = 4, 5, 6, 7
_HITS: dict[str, tuple[Hit, ...]] = {}
_MAX_CACHED = 20_000


def clear_memos() -> None:
    """Forget the process-wide memos of written-out contractions and grammar edits."""
    _EXPANDED.clear()
    _HITS.clear()


@dataclass(frozen=True)
class Grammar:
    """A persona's grammar slips, prepared once; ``apply`` rewrites one piece of text."""

    no_question_inversion: float
    # per-hit probability of each rule, in the order of the _*_RULE numbers
    rates: tuple[float, float, float, float, float, float, float, float]

    @classmethod
    def from_persona(cls, persona: Persona) -> Grammar:
        verb = persona.verb_agreement
        terse = persona.terse_drop
        return cls(
            no_question_inversion=persona.no_question_inversion,
            rates=(
                persona.past_to_present, verb, verb, persona.preposition_swap,
                persona.article_drop, persona.article_insert, terse, terse,
            ),
        )  # fmt: skip

    @property
    def silent(self) -> bool:
        return not self.no_question_inversion and not any(self.rates)

    def apply(self, rng: random.Random, text: str) -> str:
        """Each possible slip happens with its rule's probability; edits never overlap."""
        if self.no_question_inversion and rng.random() < self.no_question_inversion:
            text = uninvert_question(text)
        hits = _HITS.get(text)
        if hits is None:
            if len(_HITS) >= _MAX_CACHED:
                _HITS.clear()
            hits = _HITS[text] = _find_hits(text)
        rates = self.rates
        out: list[str] = []
        done = 0
        for start, end, rule, options in hits:
            rate = rates[rule]
            if not rate or start < done or rng.random() >= rate:
                continue
            out.append(text[done:start])
            out.append(
                options[int(rng.random() * len(options))] if len(options) > 1 else options[0]
            )
            done = end
        if not out:
            return text
        out.append(text[done:])
        return "".join(out)


def _find_hits(text: str) -> tuple[Hit, ...]:
    """Every place a slip could happen in ``text``, by position then rule order."""
    hits: list[Hit] = []
    for m in _RE_PAST.finditer(text):
        word = m.group(0)
        hits.append((m.start(), m.end(), _PAST_RULE, (_keep_case(_PAST[word.lower()], word),)))
    for rule, pattern, table in (
        (_THIRD_RULE, _RE_THIRD, _AGREE_THIRD),
        (_FIRST_RULE, _RE_FIRST, _AGREE_FIRST),
    ):
        for m in pattern.finditer(text):
            verb = m.group(1)
            hits.append((m.start(1), m.end(1), rule, (table.get(verb.lower(), verb),)))
    for m in _RE_PREP.finditer(text):
        word = m.group(0)
        options = tuple(_keep_case(o, word) for o in _PREPOSITIONS[word.lower()])
        hits.append((m.start(), m.end(), _PREP_RULE, options))
    for m in _RE_ARTICLE.finditer(text):
        hits.append((m.start(), m.end(), _DROP_RULE, ("",)))
        hits.append((m.start(), m.end(), _TERSE_RULE, ("",)))
    for m in _RE_ARTICLE_SLOT.finditer(text):
        hits.append((m.start(), m.end(), _INSERT_RULE, (m.group(1) + "the ",)))
    for m in _RE_PRONOUN.finditer(text):
        hits.append((m.start(), m.end(), _PRONOUN_RULE, ("",)))
    hits.sort(key=lambda hit: (hit[0], hit[2]))
    return tuple(hits)


def uninvert_question(text: str) -> str:
    """A question in statement word order: "where is my order" -> "where my order is"."""
    found = _RE_WH_BE.match(text)
    if found is not None:
        wh, noun, verb, rest, mark = found.groups()
        end = _RE_SUBJECT_END.search(rest)
        at = end.start() if end else len(rest)
        return f"{wh}{noun} {rest[:at]} {verb}{rest[at:]}{mark}"
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
