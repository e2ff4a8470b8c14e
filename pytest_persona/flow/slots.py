"""Slot extraction: turn a customer message into a stored slot value, offline.

Every extractor is built once per slot (regexes compiled up front) and is then a pure
function ``text -> value | None``; the engine uses the same extractor at the slot's
``collect`` step and when scanning other messages. Values are stored as strings:
choice slots as the canonical name, numbers without trailing zeros ("42", "2.5"),
phones as digits with an optional leading "+", dates as ISO ``YYYY-MM-DD``.

Only the first ``MAX_TEXT`` characters of a message are looked at, as a defence against
a user's pattern that backtracks badly: it caps patterns whose cost grows with the square
or cube of the length, though a truly exponential one can still be slow within 500
characters. No real detail sits that far into a message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping

from rapidfuzz.distance import OSA

from .dates import digit_count, find_date
from .freetext import MAX_TEXT as MAX_TEXT
from .freetext import extract_text
from .model import Slot
from .textnorm import MAX_CACHED_WORDS

# Dates in simulations resolve against this fixed day, so runs are reproducible.
SIMULATION_DATE = dt.date(2025, 1, 15)

Extractor = Callable[[str], "str | None"]


_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS) | frozenset(_SCALES)
_WORD = re.compile(r"[a-z]+")
_TOKEN = re.compile(r"[\w']+")
# Every ASCII byte that is neither ``\w`` nor an apostrophe, as a space: splitting an ASCII
# text so translated gives ``_TOKEN``'s tokens, without the regex's cost.
_ASCII_NOT_TOKEN = bytes(
    b if b < 128 and (chr(b).isalnum() or chr(b) in "_'") else 32 for b in range(256)
)
_RUN = re.compile(r"\w+")
_DIGITS = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\d])")

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])")
_PHONE = re.compile(r"(?<![\w+])\+?\s?\(?\d[\d\s()-]*\d\)?(?![\w])")
# Groups of digits, each after a space, a dash or a parenthesised group: linear to match.
_PHONE_SHAPE = re.compile(r"\+?(?:\(\d+\)|\d+)(?:[ -]?\(\d+\)|[ -]\d+|(?<=\))\d+)*")
_PHONE_DIGITS = (7, 15)  # how many digits a phone number has, at least and at most
_ISO_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DIGIT = re.compile(r"\d")


def _bounded(text: str) -> str:
    return text[:MAX_TEXT]


def _tokens(text: str) -> list[str]:
    """``_TOKEN``'s matches in ``text`` (ASCII text, the common case, in C)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_NOT_TOKEN).decode("ascii").split()
    return _TOKEN.findall(text)


def format_number(raw: str) -> str:
    """Canonical text of a decimal numeral: no thousands commas, no trailing zeros."""
    raw = raw.replace(",", "")
    if "." in raw:
        raw = raw.rstrip("0").rstrip(".")
    if raw.startswith("-") and raw.strip("-0") == "":
        raw = "0"
    return raw


def words_to_number(words: list[str]) -> tuple[int, int] | None:
    """The number spelled by the leading words (up to 999 999) and how many words it used.

    Accepts "forty two", "forty-two" (split by the caller), "a hundred", "one hundred
    and five", "nine hundred ninety nine thousand". Stops at the first word that cannot
    continue the number, so "two three" reads as 2.
    """
    total = current = used = 0
    last = ""  # kind of the last number word: unit, teen, ten, hundred, thousand
    i = 0
    while i < len(words):
        word = words[i]
        if word == "a" and not last and i + 1 < len(words) and words[i + 1] in _SCALES:
            current, last, i = 1, "unit", i + 1
            continue
        if word == "and" and last in ("hundred", "thousand"):
            i += 1
            continue
        if word in _UNITS:
            value = _UNITS[word]
            kind = "unit" if value < 10 else "teen"
            if last in ("unit", "teen") or (last == "ten" and kind == "teen"):
                break
            current += value
        elif word in _TENS:
            kind = "ten"
            if last in ("unit", "teen", "ten") or (last == "hundred" and current % 100):
                break
            current += _TENS[word]
        elif word == "hundred":
            kind = "hundred"
            if last in ("hundred", "ten") or current >= 100:
                break
            current = max(current, 1) * 100
        elif word == "thousand":
            kind = "thousand"
            if last == "thousand" or total:
                break
            total, current = max(current, 1) * 1000, 0
        else:
            break
        last, i = kind, i + 1
        used = i
    if not used:
        return None
    return total + current, used


def extract_number(
    text: str, minimum: float | None = None, maximum: float | None = None
) -> str | None:
    """The first number in the message, in digits or English words, if within min..max."""
    text = _bounded(text)
    found = _DIGITS.search(text)
    value: str | None = None
    where = found.start() if found else len(text)
    if found:
        value = format_number(found.group())
    words = _WORD.findall(text.lower(), 0, where)
    for index, word in enumerate(words):
        if word in _NUMBER_WORDS or (
            word == "a" and index + 1 < len(words) and words[index + 1] in _SCALES
        ):
            parsed = words_to_number(words[index:])
            if parsed is not None:
                value = str(parsed[0])
            break
    if value is None:
        return None
    number = float(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return value


def extract_email(text: str) -> str | None:
    text = _bounded(text)
    if "@" not in text:  # most messages: no need to run the pattern
        return None
    found = _EMAIL.search(text)
    return found.group() if found else None


def extract_phone(text: str) -> str | None:
    """7 to 15 digits, with spaces, dashes, parentheses and a leading "+" allowed."""
    text = _bounded(text)
    if digit_count(text) < _PHONE_DIGITS[0]:  # most messages: too few digits for a number
        return None
    # A number opens at most three characters ("+ (") before its first digit; the
    # look-behind still sees the text before ``pos``.
    digit = _DIGIT.search(text)
    return _first_phone(text, max(0, digit.start() - 3) if digit is not None else 0)


def _first_phone(text: str, pos: int) -> str | None:
    """The first phone number in ``text`` from ``pos`` on, as digits (and a "+")."""
    for found in _PHONE.finditer(text, pos):
        candidate = found.group().strip()
        if _ISO_LIKE.fullmatch(candidate) or not _PHONE_SHAPE.fullmatch(candidate):
            continue
        if candidate.count("(") != candidate.count(")"):
            continue
        digits = "".join(ch for ch in candidate if ch.isdigit())
        if _PHONE_DIGITS[0] <= len(digits) <= _PHONE_DIGITS[1]:
            return ("+" if candidate.startswith("+") else "") + digits
    return None


def extract_date(text: str, today: dt.date) -> str | None:
    """The first date named, resolved against ``today``, as ISO ``YYYY-MM-DD`` (see
    ``dates.find_date``)."""
    return find_date(_bounded(text), today)


def _pattern_extractor(pattern: str) -> Extractor:
    regex = re.compile(pattern)
    grouped = regex.groups > 0

    def extract(text: str) -> str | None:
        text = _bounded(text)
        if regex.search(text) is None:  # most messages: cheaper than starting ``finditer``
            return None
        for found in regex.finditer(text):
            value = found.group(1) if grouped and found.group(1) is not None else found.group()
            if value:
                return value
        return None

    return extract


class _Slips:
    """Finds choice phrases typed with slips, cheaply enough to run on every message.

    A word of five letters or more may be one edit away (substitution, insertion,
    deletion or transposition); a phrase may have one such word, two from nine letters
    on. A word one edit away still starts or ends with the same two letters, so
    candidates are looked up by those; each word's slips are memoised, so most messages
    cost a dict look-up per word.
    """

    def __init__(self, phrases: Mapping[tuple[str, ...], str]) -> None:
        self._names = dict(phrases)
        self._uses: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for words in phrases:
            for position, word in enumerate(words):
                if len(word) >= 5:
                    self._uses.setdefault(word, []).append((words, position))
        heads: dict[str, list[str]] = {}
        tails: dict[str, list[str]] = {}
        for word in self._uses:
            heads.setdefault(word[:2], []).append(word)
            tails.setdefault(word[-2:], []).append(word)
        self._heads = {two: tuple(words) for two, words in heads.items()}
        self._tails = {two: tuple(words) for two, words in tails.items()}
        self._lengths = frozenset(len(w) + d for w in self._uses for d in (-1, 0, 1))
        self._near: dict[str, frozenset[str]] = {}
        self._quiet: set[str] = set()  # the memoised words with no slips

    def _slips_of(self, token: str) -> frozenset[str]:
        """The phrase words ``token`` is one edit away from (memoised: words recur)."""
        found: set[str] = set()
        if len(token) in self._lengths:
            head, tail = self._heads.get(token[:2]), self._tails.get(token[-2:])
            for word in (head or ()) + (tail or ()):
                near = abs(len(word) - len(token)) <= 1 and word != token
                if near and OSA.distance(token, word, score_cutoff=1) == 1:
                    found.add(word)
        slips = frozenset(found)
        if len(self._near) < MAX_CACHED_WORDS:
            self._near[token] = slips
            if not slips:
                self._quiet.add(token)
        return slips

    def find(self, tokens: list[str]) -> str | None:
        if self._quiet.issuperset(tokens):  # most messages: no word is a phrase word's slip
            return None
        slipped: dict[int, frozenset[str]] = {}
        memo = self._near
        for index, token in enumerate(tokens):
            near = memo.get(token)
            if near is None:
                near = self._slips_of(token)
            if near:
                slipped[index] = near
        for index in sorted(slipped):
            for word in sorted(slipped[index]):
                for words, position in self._uses[word]:
                    found = self._fits(tokens, index - position, words, slipped)
                    if found is not None:
                        return found
        return None

    def _fits(
        self,
        tokens: list[str],
        start: int,
        words: tuple[str, ...],
        slipped: dict[int, frozenset[str]],
    ) -> str | None:
        if start < 0 or start + len(words) > len(tokens):
            return None
        slips = 0
        for offset, word in enumerate(words):
            if tokens[start + offset] != word:
                if word not in slipped.get(start + offset, ()):
                    return None
                slips += 1
        allowed = 1 if len(" ".join(words)) < 9 else 2
        return self._names[words] if slips <= allowed else None


def _exact_phrases(phrases: list[str]) -> re.Pattern[str]:
    """Any of ``phrases`` (lower-case, tried in order) as whole words, on lowered text
    (IGNORECASE is slow), any white space between their words."""
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _cues(phrases: list[str]) -> frozenset[str] | None:
    """One ``\\w+`` run of each phrase (its longest, the least common), or None when a
    phrase has none. Where a phrase matches as a whole word, each of its runs is a whole
    ``\\w+`` run of the text too (the match is the phrase's own characters, with ``\\s+``
    between its words, and no ``\\w`` beside it), so a text with none of the cues among
    its runs cannot match: most messages then skip the regex."""
    cues: set[str] = set()
    for phrase in phrases:
        runs = _RUN.findall(phrase)
        if not runs:
            return None
        cues.add(max(runs, key=len))
    return frozenset(cues)


def _runs(text: str) -> list[str]:
    """``_RUN``'s matches in ``text``: its ``_tokens`` split at their apostrophes."""
    return [run for token in _tokens(text) for run in token.split("'") if run]


def choice_phrase_key(phrase: str) -> str:
    """What a choice's name or synonym is matched as: two phrases with one key are one."""
    return " ".join(phrase.lower().replace("\u2019", "'").split())


def _choice_extractor(values: Mapping[str, tuple[str, ...]]) -> Extractor:
    """Canonical names and synonyms as whole words, case-insensitive; small slips forgiven."""
    canonical: dict[str, str] = {}
    for name, synonyms in values.items():
        for phrase in (name, *synonyms):
            key = choice_phrase_key(phrase)
            if key:
                canonical.setdefault(key, name)
    ordered = sorted(canonical, key=lambda p: (-len(p), p))
    if not ordered:
        return lambda text: None
    exact = _exact_phrases(ordered)
    by_words: dict[tuple[str, ...], str] = {}
    for phrase in ordered:  # longest first: "extra lareg" is "extra large", not "large"
        by_words.setdefault(tuple(_TOKEN.findall(phrase)), canonical[phrase])
    slips = _Slips(by_words)
    cues = _cues(ordered)

    def extract(text: str) -> str | None:
        lowered = _bounded(text).lower().replace("\u2019", "'")
        tokens = _tokens(lowered)
        runs = tokens if "'" not in lowered else _runs(lowered)  # tokens: ``[\w']+`` runs
        if cues is None or not cues.isdisjoint(runs):
            found = exact.search(lowered)
            if found:
                return canonical[" ".join(found.group().split())]
        return slips.find(tokens)

    return extract


def build_extractor(slot: Slot, today: dt.date) -> Extractor:
    """The extractor for one slot, compiled once; ``today`` resolves relative dates."""
    kind = slot.type
    if kind == "pattern":
        if slot.pattern is None:
            raise ValueError(f"slot {slot.name!r}: a pattern slot needs a pattern")
        return _pattern_extractor(slot.pattern)
    if kind == "choice":
        return _choice_extractor(slot.values)
    if kind == "number":
        low, high = slot.minimum, slot.maximum
        return lambda text: extract_number(text, low, high)
    if kind == "email":
        return extract_email
    if kind == "phone":
        return extract_phone
    if kind == "date":
        return lambda text: extract_date(text, today)
    return extract_text
