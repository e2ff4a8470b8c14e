"""Customer text to canonical word stems, with typo repair against a flow's vocabulary.

The matcher compares bags of stems, so everything that should not change an intent
(case, apostrophes, contractions, inflections, small slips, run-together words) is
settled here, once per distinct word, and memoised.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from .nearwords import Targets, WordIndex, edit_budget, leftovers

# Work on very long messages is bounded: only this many characters are read.
MAX_MESSAGE_CHARS = 500
# Memoised words per lexicon; past this, words are analysed afresh (same answer, slower).
MAX_CACHED_WORDS = 50_000
# Longer "words" (pasted links, keyboard mashing) are taken as they are: no repair, no split.
MAX_REPAIR_CHARS = 24

_WORD_RE = re.compile(r"[^\W_]+")
# ASCII bytes with every character ``_WORD_RE`` does not match turned into a space (a
# bytes table: ``bytes.translate`` is a plain table lookup, far cheaper than ``str``'s).
_ASCII_GAPS = bytes(b if b < 128 and chr(b).isalnum() else 32 for b in range(256))
# A run of . ? ! ; ending in white space or at the end, or a run of line breaks; written
# to open with one character class (the scanner skips to a candidate quickly), and the
# same breaks as ``[.?!;]+(?:\s+|$)|\n+``.
_SENTENCE_END = re.compile(r"[.?!;\n](?:(?<=\n)\n*|[.?!;]*(?:\s+|$))")
_THANKS = ("thank", "many thanks", "cheers")  # how a closing thanks opens
# A thanks and what it is for, in four words or fewer closing the sentence or its
# clause: "thanks so much for your help", not "thanks for asking where my order is". Its
# openers are those of ``_THANKS`` written out whole ("thank" alone opens "thankfully").
_THANKS_FOR = re.compile(
    r"^(\s*(?:thank you|thank u|thanks|many thanks|cheers)"
    r"(?: so much| very much| a lot| again| ever so much)?) for(?: [^\s,]+){1,4}(?=,|\s*$)"
)
_APOSTROPHES = str.maketrans({"'": None, "\u2019": None, "\u2018": None, "`": None})

# Apostrophe-free contractions and chat shorthand, as customers type them.
_EXPANSION_SOURCE = """
dont=do not, doesnt=does not, didnt=did not, cant=can not, cannot=can not,
wont=will not, wouldnt=would not, couldnt=could not, shouldnt=should not, isnt=is not,
arent=are not, wasnt=was not, werent=were not, hasnt=has not, havent=have not,
hadnt=had not, aint=is not, im=i am, ive=i have, youre=you are, youve=you have,
theyre=they are, weve=we have, whats=what is, wheres=where is, whos=who is,
hows=how is, whens=when is, thats=that is, theres=there is, heres=here is, its=it is,
lets=let us, wanna=want to, gonna=going to, u=you, ur=your, pls=please, plz=please,
thx=thanks, ty=thank you, id=i would, youd=you would, youll=you will, shes=she is,
hes=he is, itll=it will, theyll=they will, thatll=that will, wouldve=would have,
couldve=could have, shouldve=should have
"""
_EXPANSIONS: dict[str, tuple[str, ...]] = {
    short.strip(): tuple(long.split())
    for short, long in (pair.split("=") for pair in _EXPANSION_SOURCE.split(","))
}

# Words that carry no intent on their own: closed-class words and courtesies. They
# weigh little wherever they appear, so politeness neither makes nor breaks a match.
_LIGHT_SOURCE = """
a an the i me my mine myself you your yours yourself we us our ours he him his she
her it its itself they them their this that these those is am are was were be been
being do does did doing have has had having will would shall should can could may
might must to of in on at by for with from into onto about as and or but if so than
then there here just also too very really quite some any all up such same own other
only even still yet now soon already maybe perhaps please thanks thank cheers kindly
hello hi hey hiya dear good morning afternoon evening day sorry excuse hope hoping
wonder wondering well great lovely nice appreciate appreciated much lot lots bit know
want need like get got let tell ask asking question bother mind sir madam many
advance possible able regards kind oh ah um er erm bless ever little while what how
which who whom whose why grateful glad pleased patience patient welcome love
apologies apologise apologize
"""

# Everyday words a flow may not use: real words, so never "repaired" into the flow's
# vocabulary ("told" is not a slip for "old", nor "ago" for "age").
_COMMON_SOURCE = """
time year years week month today tomorrow yesterday tonight night ago place home
house thing things stuff people person man woman child children friend family name
way life world hand part case point fact call called told said say says saying ask
asked use used using make made take took taken come came give gave find found think
thought look looked seem feel felt try tried leave left put mean meant keep kept
begin show hear heard play run move live believe bring brought happen happened write
wrote sit stand lose lost pay paid meet learn watch follow stop speak read spend
grow open walk win buy bought wait send sent stay fall cut reach remain go going gone
went see saw seen sure done do new old big small long short high low last next early
late right left best better worse bad fine nothing something anything everything
someone anyone everyone nobody never always often sometimes again back away over
under after before because since until while though through around between without
computer phone telephone email letter car shop street town city money card bank book
sense slow fast quick chat type typing typed writing paper piece pen note eyes eye head
heart health doctor walk tea coffee cup water food kitchen garden door window room
floor wall bus buses train road village country weather rain raining snow sun cold hot
warm wind weekend daughter son grandson granddaughter wife husband mother father mum
dad sister brother neighbour neighbor friends baby kids boy girl dog cat television
telly radio laptop tablet screen keyboard internet understand understood remember
forget forgot forgotten trying sort usually normally probably actually exactly
certainly course mistake mistakes muddle nuisance trouble worry worried busy ages
minute minutes hour hours moment second first third once twice half whole able
almost enough fact idea kind matter nobody somebody somewhere anywhere everywhere
together else later afraid happy sad tired bored funny strange silly clever nice
lovely terrible awful brilliant wonderful careful simple easy hard difficult true
clear glad pleased hoped wish wished mind minded agree worked working works job
"""


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light suffix stripper: inflected forms of one word meet at one stem (a pure
    function of the word, asked again and again for the same words: memoised)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif (w.endswith("ed") and len(w) > 4) or w.endswith(("sses", "xes", "zes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        w = w[:-1]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouylsz":
        w = w[:-1]
    return w


LIGHT_WORDS: frozenset[str] = frozenset(_LIGHT_SOURCE.split())
# Words that turn a sentence round ("not correct"): never "repaired" into another word
# ("not" is no slip for "now"), and never light, whatever the flow says.
NEGATIONS: frozenset[str] = frozenset(
    {"not", "no", "never", "nothing", "none", "nobody", "neither", "nor", "nope", "nah"}
)
# A word of 8 letters or more may be two edits from its target, but "incorrect" is not a
# slip for "correct", nor "unlocked" for "locked": these openings negate what follows.
_NEGATING_PREFIXES = ("in", "un", "im", "il", "ir", "non", "dis")
LIGHT_STEMS: frozenset[str] = frozenset(stem(w) for w in LIGHT_WORDS)
NEGATION_STEMS: frozenset[str] = frozenset(stem(w) for w in NEGATIONS)
# Everyday words, even where a flow uses them, say little about what a sentence asks.
EVERYDAY_WORDS: frozenset[str] = frozenset(_COMMON_SOURCE.split())


def normalise(text: str) -> str:
    """Lower-cased, apostrophe-free text, cut to ``MAX_MESSAGE_CHARS``."""
    text = text[:MAX_MESSAGE_CHARS]
    if text.isascii():  # the common case, kept cheap
        return text.lower().replace("'", "").replace("`", "")
    text = unicodedata.normalize("NFKC", text)[:MAX_MESSAGE_CHARS]
    return _unaccented(text.lower().translate(_APOSTROPHES))


def _unaccented(text: str) -> str:
    """Latin letters without their accents ("sí" is "si", "pequeña" "pequena"): people
    drop them when they type, and a flow written with them must still understand them.
    Other scripts keep their marks, which there change the letter."""
    decomposed = unicodedata.normalize("NFD", text)
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def words(text: str) -> list[str]:
    """Surface words of a message; symbols such as emoji count as words of their own."""
    return words_of_normalised(normalise(text))


def words_of_normalised(norm: str) -> list[str]:
    """``words`` for text that ``normalise`` has already seen."""
    if norm.isascii():  # the common case: runs of letters and digits, found faster
        return norm.encode("ascii").translate(_ASCII_GAPS).decode("ascii").split()
    found: list[str] = _WORD_RE.findall(norm)
    found.extend(ch for ch in norm if unicodedata.category(ch) == "So")
    return found


def sentences(text: str) -> list[str]:
    """A message's sentences, normalised (split at . ? ! ; or a line break), each thanks
    without what it thanks for: "thank you for your help" asks for no help.

    A full stop inside a token ("lena.f@mail.com", "3.5") does not end a sentence.
    """
    norm = normalise(text)
    said = list(filter(None, _SENTENCE_END.split(norm))) or [norm]
    if " for " not in norm:  # most messages: no thanks for anything
        return said
    return [_THANKS_FOR.sub(r"\1", one) if one.lstrip().startswith(_THANKS) else one
            for one in said]


def without_thanks(norms: list[str]) -> list[str]:
    """Normalised sentences less a closing thanks ("thank you for your help"), whose
    words ("help") ask for nothing beside another sentence; all of them if none is left."""
    kept = [norm for norm in norms if not norm.lstrip().startswith(_THANKS)]
    return kept or norms


@dataclass(frozen=True)
class Term:
    """One stem read from a customer's word; ``repaired`` marks a typo correction."""

    stem: str
    repaired: bool = False


class Lexicon:
    """A flow's vocabulary, and how any customer word maps onto it (memoised)."""

    def __init__(self, texts: Iterable[str]) -> None:
        surface: set[str] = set()
        for text in texts:
            for word in words(text):
                surface.update(_EXPANSIONS.get(word, (word,)))
        self.stems: frozenset[str] = frozenset(stem(w) for w in surface)
        known = {w for w in surface if w.isalpha()}
        light = LIGHT_WORDS - known
        common = EVERYDAY_WORDS - known - light
        # Repair targets: the flow's words first, then light and everyday words, each
        # sorted; a slip of an everyday word then lands on that word, not the flow's.
        self._targets: list[str] = sorted(known) + sorted(light) + sorted(common)
        # Stems too, so a slip inside an inflected word still finds its stem.
        self._stem_targets: list[str] = sorted({stem(w) for w in known} | {stem(w) for w in light})
        # Words a stray space can split ("pass word", "e mail"): the flow's own, 5+ letters.
        self._joinable: frozenset[str] = frozenset(w for w in known if len(w) >= 5)
        # Every way of cutting a joinable word in two (an empty half included, as joining
        # would): neighbours are tested as a pair (hashing a pair reuses its words'
        # hashes) rather than as a new joined string.
        self._joinable_cuts: frozenset[tuple[str, str]] = frozenset(
            (w[:cut], w[cut:]) for w in self._joinable for cut in range(len(w) + 1)
        )
        self._cache: dict[str, tuple[Term, ...]] = {}
        self._repair: tuple[Targets, Targets] | None = None
        self._bags: dict[str, frozenset[str]] = {}
        self._openings: frozenset[str] | None = None

    def _repairs(self) -> tuple[Targets, Targets]:
        """The word and stem targets made searchable, at the first repair (light and
        everyday words, every lexicon's targets too, are indexed once per process)."""
        if self._repair is None:
            self._repair = (
                Targets(self._targets, _everyday_index()),
                Targets(self._stem_targets, _light_stem_index()),
            )
        return self._repair

    def bag(self, text: str) -> frozenset[str]:
        """The stems of a text (an example: every step matcher reads the same ones)."""
        found = self._bags.get(text)
        if found is None:
            found = frozenset(
                term.stem for word in self.rejoin(words(text)) for term in self.analyse(word)
            )
            if len(self._bags) < MAX_CACHED_WORDS:
                self._bags[text] = found
        return found

    def rejoin(self, found: list[str]) -> list[str]:
        """``found`` with each pair of neighbours whose concatenation is a word of the
        flow joined into it ("pass word" -> "password", "log in" -> "login" where the
        flow says "login"), so a stray space costs no more than the flow's own spelling."""
        # The common case, settled in C: no two neighbours make a word of the flow.
        if self._joinable_cuts.isdisjoint(pairwise(found)):
            return found
        joinable = self._joinable
        joined: list[str] = []
        index = 0
        last = len(found) - 1
        while index < last:
            pair = found[index] + found[index + 1]
            if pair in joinable:
                joined.append(pair)
                index += 2
            else:
                joined.append(found[index])
                index += 1
        if index == last:
            joined.append(found[last])
        return joined

    def known(self, word_stem: str) -> bool:
        return word_stem in self.stems or word_stem in LIGHT_STEMS

    def analyse(self, word: str) -> tuple[Term, ...]:
        """The terms a surface word stands for; a pure function of the word."""
        found = self._cache.get(word)
        if found is None:
            found = self._analyse(word)
            if len(self._cache) < MAX_CACHED_WORDS:
                self._cache[word] = found
        return found

    def _analyse(self, word: str) -> tuple[Term, ...]:
        expanded = _EXPANSIONS.get(word)
        if expanded is not None:
            return tuple(Term(stem(w)) for w in expanded)
        base = stem(word)
        if (
            self.known(base)
            or word in EVERYDAY_WORDS
            or word in NEGATIONS
            or not word.isalpha()
            or not 3 <= len(word) <= MAX_REPAIR_CHARS
        ):
            return (Term(base),)
        word_targets, stem_targets = self._repairs()
        repaired = _nearest(word, word_targets)
        if repaired is not None:
            return (Term(stem(repaired), repaired=True),)
        repaired = _nearest(base, stem_targets)
        if repaired is not None:
            return (Term(repaired, repaired=True),)
        split = self._split(word)
        if split is not None:
            return split
        return (Term(base),)

    def _split(self, word: str) -> tuple[Term, ...] | None:
        """Two known words typed without the space between them ("myorder"); one of
        them must be the flow's, or the split could not change a match."""
        if len(word) < 5:
            return None
        if self._openings is None:
            # Stemming keeps a word's first two letters, so a piece can only stem to a
            # known stem if it opens with the first two letters of one.
            self._openings = frozenset(s[:2] for s in self.stems | LIGHT_STEMS if len(s) > 1)
        openings = self._openings
        if word[:2] not in openings:
            return None
        best: tuple[int, int] | None = None
        for cut in range(2, len(word) - 1):
            if word[cut : cut + 2] not in openings or word[:cut] in _NEGATING_PREFIXES:
                continue  # "incorrect" is not "in correct"
            left = stem(word[:cut])
            if not self.known(left):  # most cuts: the right piece need not be stemmed
                continue
            right = stem(word[cut:])
            if self.known(right) and (left in self.stems or right in self.stems):
                score = (min(cut, len(word) - cut), -cut)
                if best is None or score > best:
                    best = score
        if best is None:
            return None
        cut = -best[1]
        return (Term(stem(word[:cut]), repaired=True), Term(stem(word[cut:]), repaired=True))


def clear_shared_caches() -> None:
    """Forget this module's process-wide memos (stems, leftovers, shared repair indexes), so a
    benchmark's timed run starts as cold as a fresh process; results never change."""
    stem.cache_clear()
    leftovers.cache_clear()
    _everyday_index.cache_clear()
    _light_stem_index.cache_clear()


@functools.cache
def _everyday_index() -> WordIndex:
    """Light and everyday words: repair targets of every lexicon."""
    return WordIndex(sorted(LIGHT_WORDS | EVERYDAY_WORDS))


@functools.cache
def _light_stem_index() -> WordIndex:
    """Stems of the light words: stem repair targets of every lexicon."""
    return WordIndex(sorted(LIGHT_STEMS))


def _nearest(word: str, targets: Targets) -> str | None:
    """The closest target within a length-dependent edit budget; ties go to the target
    sharing the first letter, then to the earlier target (flow words first). Short
    words must keep their first letter: people seldom slip on it, and a short word one
    edit away from another is more often a different word than a typo."""
    first = word[0]
    found = targets.within(
        word, edit_budget(word), min_length=3, initial=first if len(word) <= 4 else ""
    )
    if not found:  # most slips of names and strange words
        return None
    usable = [
        (distance, target[0] != first, at, target)
        for target, distance, at in found
        if not (word.endswith(target) and word[: -len(target)] in _NEGATING_PREFIXES)
    ]
    return min(usable)[3] if usable else None
