"""A persona's voice: register (politeness, length), grammar, special moves, typing noise.

The customer hands over the content (sentences made of text and slot-value parts);
the steps run in the spec's order: register, grammar, then typing noise. Slot values
are never rewritten and are spared by typing noise with the persona's probability.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from . import shortening
from .grammar import Grammar, expand_contractions
from .lexicon import PLAIN, differ_from
from .personas import Persona
from .registers import ASIDES, CLOSINGS, CONTEXT, GREETINGS, OPENERS, PUZZLED_ASIDES
from .typos import TypoModel

# Context sentences a first message may carry; a later one carries one aside at most.
MAX_CONTEXT = 3


class Part(NamedTuple):
    """A run of words, or a slot value (``slot``) that rewrites must not touch."""

    text: str
    slot: bool = False


Sentence = list[Part]
# A register phrase as a one-part sentence, with its word count (counted once, not per draw).
Pooled = tuple[Sentence, int]

_QUESTION = re.compile(
    r"^(?:where|what|when|why|how|which|who|can|could|would|will|is|are|do|does|did|has|have|"
    r"may|shall|should|any)\b",
    re.IGNORECASE,
)
# A message opening with one of these answers a question: no "please" for it.
_ANSWER_WORDS = frozenset(
    {"yes", "yeah", "yep", "yup", "no", "nope", "nah", "ok", "okay", "sure", "correct", "right",
     "not", "wrong", "incorrect", "definitely", "absolutely", "that's", "it's"}
)  # fmt: skip
# A statement, not a request, starts with one of these: "please" goes at its end.
_STATEMENT_STARTS = frozenset(
    {"my", "i", "i'm", "i've", "it", "it's", "the", "this", "there", "someone", "we"}
)
_SLOT = attrgetter("slot")  # tested over a sentence's parts in C, with no list built
_LONE_I = re.compile(r"(?<![\w'])I(?![\w])")


class Voice:
    """One persona's way of writing, prepared once per factory and shared by customers."""

    def __init__(self, persona: Persona, taken: frozenset[str] = frozenset()) -> None:
        self.persona = persona
        self.typos = TypoModel.from_persona(persona)
        self.grammar = Grammar.from_persona(persona)
        self.taken = taken
        self._longest_taken = max((len(t.split()) for t in taken), default=0)
        self._noisy = not self.typos.silent
        self._grammatical = self.grammar.silent  # both models are frozen
        self._mu = math.log(persona.length_median) if persona.length_median else 0.0
        # The register's pools as sentences, built and counted once rather than at every draw.
        style = persona.style
        self._greetings = _sentences(GREETINGS[style])
        self._openers = _sentences(OPENERS[style])
        self._closings = _sentences(CLOSINGS[style])
        self._context = _sentences(CONTEXT[style])
        self._asides = _sentences(ASIDES[style])
        self._puzzled_asides = _sentences(PUZZLED_ASIDES[style])

    # --- the whole pipeline ------------------------------------------------------------
    def speak(
        self,
        rng: random.Random,
        main: Sentence,
        *,
        extras: tuple[Sentence, ...] = (),
        first: bool = False,
        polite: bool = True,
        misses: int = 0,
        puzzled: bool = False,
        errors: list[str] | None = None,
    ) -> str:
        """The message as this persona types it; ``errors`` collects the typing errors.
        A ``puzzled`` customer (not understood, or asking to hear it again) acknowledges
        nothing: no "I see" opener, and asides of its own."""
        p = self.persona
        if p.plain_words:
            main = self._plain(rng, main)
        before, after, social = self._pleasantries(
            rng, main, first=first, polite=polite, opener=first or not puzzled
        )
        sentences = [*before, main, *extras, *after]
        if p.length_median is not None:
            padding = self._context if first else self._puzzled_asides if puzzled else self._asides
            count = social + _words_outside_slots(main)
            for extra in extras:
                count += _words_outside_slots(extra)
            sentences = self._shape(rng, sentences, len(before), main, first, padding, count)
        if not p.contractions:
            sentences = [[_map_text(part, expand_contractions) for part in s] for s in sentences]
        if not self._grammatical:
            sentences = [[self._grammar(rng, part) for part in s] for s in sentences]
        # Only the customer's own sentences carry slot values; the register adds none.
        if any(map(_SLOT, main)) or any(map(_SLOT, chain.from_iterable(extras))):
            segments = self._assemble(rng, sentences)
        else:
            segments = [(self._plain_text(rng, sentences), False)]
        shout = p.caps + p.frustration_step * misses if p.caps else 0.0
        if shout and rng.random() < shout:
            segments = [(text if kept else text.upper(), kept) for text, kept in segments]
        marks = p.question_marks + p.frustration_step * misses if p.question_marks else 0.0
        if marks and rng.random() < marks:
            last, kept = segments[-1]
            segments[-1] = (last.rstrip(".?! ") + "??", kept)
        if len(segments) == 1:  # the common case: one run to type, no list to build
            text, kept = segments[0]
            if self._noisy and not kept:
                text = self.typos.apply(rng, text, errors)
        elif self._noisy:
            apply = self.typos.apply
            text = "".join([text if kept else apply(rng, text, errors) for text, kept in segments])
        else:
            text = "".join([text for text, _ in segments])
        if p.lowercase_start and rng.random() < p.lowercase_start:
            text = _lowercase_start(text)
        if self.taken and text.count(" ") < self._longest_taken + 2:
            text = differ_from(text, self.taken, rng)
        return text

    # --- register --------------------------------------------------------------------
    def _plain(self, rng: random.Random, sentence: Sentence) -> Sentence:
        """Plainer words for the text runs (a run with nothing to swap is kept as is)."""
        reword = PLAIN.reword
        rate = self.persona.plain_words
        out: Sentence = []
        for part in sentence:
            if not part.slot:
                text = reword(part.text, rng, rate)
                if text is not part.text:
                    part = Part(text)
            out.append(part)
        return out

    def _pleasantries(
        self, rng: random.Random, main: Sentence, *, first: bool, polite: bool, opener: bool
    ) -> tuple[list[Sentence], list[Sentence], int]:
        """Greeting or opener, "please", thanks; and how many words the added sentences
        hold. Without ``opener`` (a puzzled customer acknowledges nothing) the opener is
        drawn all the same, so the streams stay in step, and left out."""
        p = self.persona
        before: list[Sentence] = []
        after: list[Sentence] = []
        added = 0  # words in the sentences added
        if p.greeting and rng.random() < (p.greeting if first else p.greeting * 0.5):
            pool = self._greetings if first else self._openers
            sentence, count = pool[int(rng.random() * len(pool))]
            if opener:
                before.append(sentence)
                added = count
        if polite and p.please and main and not main[0].slot:
            text = main[0].text
            words = text.split(None, 2)  # three only when it has more than two words
            if (
                len(words) > 2
                and words[0].lower().strip(",.!?") not in _ANSWER_WORDS
                and rng.random() < p.please
            ):
                main[0] = Part(_add_please(rng, text))
        if p.thanks and rng.random() < p.thanks:
            closings = self._closings
            sentence, count = closings[int(rng.random() * len(closings))]
            after.append(sentence)
            added += count
        return before, after, added

    def _shape(
        self,
        rng: random.Random,
        sentences: list[Sentence],
        lead: int,
        main: Sentence,
        first: bool,
        padding: tuple[Pooled, ...],
        count: int,
    ) -> list[Sentence]:
        """Shortens or pads (from ``padding``) toward a length drawn around the persona's
        median; ``count`` is the words outside slot values the sentences hold."""
        p = self.persona
        target = max(1, round(math.exp(self._mu + rng.gauss(0.0, p.length_spread))))
        if p.length_cap is not None:
            target = min(target, p.length_cap)
        if count > target:
            kept = [s for s in sentences if s is main or any(part.slot for part in s)]
            count = sum(_words_outside_slots(s) for s in kept)
            return shortening.compress(kept, count - target)
        if count >= target or not padding:
            return sentences
        if first:
            pads = rng.sample(padding, min(len(padding), MAX_CONTEXT))
        else:
            pads = [padding[int(rng.random() * len(padding))]]
        head: list[Sentence] = []
        tail: list[Sentence] = []
        for pad, words in pads:
            if count >= target:
                break
            (head if rng.random() < 0.6 else tail).append(pad)
            count += words
        return [*sentences[:lead], *head, main, *tail, *sentences[lead + 1 :]]

    def _grammar(self, rng: random.Random, part: Part) -> Part:
        return part if part.slot else Part(self.grammar.apply(rng, part.text))

    # --- writing it out --------------------------------------------------------------
    def _plain_text(self, rng: random.Random, sentences: list[Sentence]) -> str:
        """``_assemble`` for messages without slot values: the common, faster case."""
        out: list[str] = []
        capital = True
        last_index = len(sentences) - 1
        for index, sentence in enumerate(sentences):
            if len(sentence) == 1:  # the common case: one run of words
                text = sentence[0].text.strip()
            else:
                text = " ".join(t.strip() for t, _ in sentence if t.strip())
            if not text:
                continue
            if capital:
                text = text[0].upper() + text[1:]
            elif text[1:2] not in (" ", "'"):
                text = text[0].lower() + text[1:]
            end = text[-1]
            if end in ".?!,":
                capital = end != ","
            else:
                if index < last_index or rng.random() < self.persona.final_punctuation:
                    text += "?" if _QUESTION.match(text) else "."
                capital = True
            out.append(text)
        return " ".join(out)

    def _assemble(self, rng: random.Random, sentences: list[Sentence]) -> list[tuple[str, bool]]:
        """Joins sentences into text runs and slot values: (text, spared by typos)."""
        segments: list[tuple[str, bool]] = []
        buffer: list[str] = []
        last_index = len(sentences) - 1
        capital = True
        intact = self.persona.slot_intact
        for index, sentence in enumerate(sentences):
            opening = ""
            end = ""
            for text, slot in sentence:
                text = text.strip()
                if not text:
                    continue
                if not opening:
                    opening = text
                    if not slot:
                        if capital:
                            text = text[0].upper() + text[1:]
                        elif text[1:2] not in (" ", "'"):
                            text = text[0].lower() + text[1:]
                if (buffer or segments) and text[0] not in ",.;:!?":
                    buffer.append(" ")
                if slot and rng.random() < intact:
                    if buffer:
                        segments.append(("".join(buffer), False))
                        buffer = []
                    segments.append((text, True))
                else:
                    buffer.append(text)
                end = text[-1]
            if not opening:
                continue
            if end in ".?!,":
                capital = end != ","
                continue
            if index < last_index or rng.random() < self.persona.final_punctuation:
                buffer.append("?" if _QUESTION.match(opening) else ".")
            capital = True
        if buffer:
            segments.append(("".join(buffer), False))
        return segments


def _sentences(pool: tuple[str, ...]) -> tuple[Pooled, ...]:
    """Each phrase of a pool as a one-part sentence (shared: never changed in place) with
    its word count."""
    sentences = [[Part(text)] for text in pool]
    return tuple((sentence, _words_outside_slots(sentence)) for sentence in sentences)


def _words_outside_slots(sentence: Sentence) -> int:
    count = 0
    for text, slot in sentence:
        if not slot and text:
            count += text.count(" ") + 1
    return count


def _map_text(part: Part, change: Callable[[str], str]) -> Part:
    return part if part.slot else Part(change(part.text))


def _lowercase_start(text: str) -> str:
    """A lazy typist's start: the first letter and every lone "I" in lower case."""
    return _LONE_I.sub("i", text[:1].lower() + text[1:])


def _add_please(rng: random.Random, text: str) -> str:
    lower = text.lower()
    if "please" in lower:
        return text
    for frame in ("can you ", "could you ", "would you "):
        if lower.startswith(frame):
            return text[: len(frame)] + "please " + text[len(frame) :]
    if (
        lower.split(None, 1)[0] not in _STATEMENT_STARTS
        and not _QUESTION.match(text)  # "please has my parcel been sent" is no English
        and rng.random() < 0.5
    ):
        return "please " + text
    return text.rstrip(".?! ") + " please"


def clear_memos() -> None:
    """Forget the process-wide memo of shortened phrases."""
    shortening.clear_memos()


def typing_noise_for(persona: Persona) -> Callable[[str, random.Random], str]:
    """The persona's typing noise alone, for text a person types (``pytest-persona chat``)."""
    model = TypoModel.from_persona(persona)
    lowercase = persona.lowercase_start

    def noise(text: str, rng: random.Random) -> str:
        noisy = model.apply(rng, text)
        if lowercase and rng.random() < lowercase:
            noisy = _lowercase_start(noisy)
        return noisy

    return noise
