"""A persona's voice: register (politeness, length), grammar, special moves, typing noise.

The customer hands over the content (sentences made of text and slot-value parts);
the steps run in the spec's order: register, grammar, then typing noise. Slot values
are never rewritten and are spared by typing noise with the persona's probability.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

from .grammar import Grammar, expand_contractions
from .lexicon import PLAIN, differ_from
from .personas import Persona
from .registers import CLOSINGS, GREETINGS, OPENERS, PADDING
from .typos import TypoModel

TEXT = 0
SLOT = 1


@dataclass(frozen=True)
class Part:
    """A run of words, or a slot value (``slot``) that rewrites must not touch."""

    text: str
    slot: bool = False


Sentence = list[Part]

_QUESTION = re.compile(
    r"^(?:where|what|when|why|how|which|who|can|could|would|will|is|are|do|does|did|has|have|"
    r"may|shall|should|any)\b",
    re.IGNORECASE,
)
_COMPRESS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(?:please|kindly|just|really|actually|basically|um|erm|ok so|so|well|still)\b,?\s*",
        r"^(?:hi|hello|hey|sorry)(?: there)?,?\s*",
        r"\b(?:for me|if possible|thanks|thank you|then|right now|now|again)\b",
        r"^(?:can|could|would|will) you (?:please )?",
        r"^(?:I want to|I'd like to|I would like to|I need to|I wanna|can I|could I|I have to|"
        r"is it possible to|how do I|I'm|I am|I've|I have|I) ",
        r"\b(?:my|the|a|an|your|some) ",
    )
)
_SPACES = re.compile(r"\s{2,}")
_LONE_I = re.compile(r"(?<![\w'])I(?![\w])")


def word_count(text: str) -> int:
    return len(text.split())


class Voice:
    """One persona's way of writing, prepared once per factory and shared by customers."""

    def __init__(self, persona: Persona, taken: frozenset[str] = frozenset()) -> None:
        self.persona = persona
        self.typos = TypoModel.from_persona(persona)
        self.grammar = Grammar.from_persona(persona)
        self.taken = taken
        self._noisy = not self.typos.silent
        self._mu = math.log(persona.length_median) if persona.length_median else 0.0
        self._greetings = GREETINGS[persona.style]
        self._openers = OPENERS[persona.style]
        self._closings = CLOSINGS[persona.style]
        self._padding = PADDING[persona.style]

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
        errors: list[str] | None = None,
    ) -> str:
        """The message as this persona types it; ``errors`` collects the typing errors."""
        p = self.persona
        if p.plain_words:
            main = [self._plain(rng, part) for part in main]
        before, after = self._pleasantries(rng, main, first=first, polite=polite)
        sentences = [*before, main, *extras, *after]
        if p.length_median is not None:
            sentences = self._shape(rng, sentences, len(before), main)
        if not p.contractions:
            sentences = [[_map_text(part, expand_contractions) for part in s] for s in sentences]
        if not self.grammar.silent:
            sentences = [[self._grammar(rng, part) for part in s] for s in sentences]
        segments = self._assemble(rng, sentences)
        shout = p.caps + p.frustration_step * misses if p.caps else 0.0
        if shout and rng.random() < shout:
            segments = [(text if kept else text.upper(), kept) for text, kept in segments]
        marks = p.question_marks + p.frustration_step * misses if p.question_marks else 0.0
        if marks and rng.random() < marks:
            last, kept = segments[-1]
            segments[-1] = (last.rstrip(".?! ") + "??", kept)
        if self._noisy:
            segments = [
                (text if kept else self.typos.apply(rng, text, errors), kept)
                for text, kept in segments
            ]
        text = "".join(text for text, _ in segments)
        if p.lowercase_start and rng.random() < p.lowercase_start:
            text = _LONE_I.sub("i", text[:1].lower() + text[1:])
        return differ_from(text, self.taken, rng) if self.taken else text

    # --- register --------------------------------------------------------------------
    def _plain(self, rng: random.Random, part: Part) -> Part:
        if part.slot or not PLAIN.has_match(part.text):
            return part
        return Part(PLAIN.reword(part.text, rng, self.persona.plain_words))

    def _pleasantries(
        self, rng: random.Random, main: Sentence, *, first: bool, polite: bool
    ) -> tuple[list[Sentence], list[Sentence]]:
        p = self.persona
        before: list[Sentence] = []
        after: list[Sentence] = []
        if p.greeting and rng.random() < (p.greeting if first else p.greeting * 0.5):
            pool = self._greetings if first else self._openers
            before.append([Part(rng.choice(pool))])
        if polite and p.please and main and not main[0].slot and rng.random() < p.please:
            main[0] = Part(_add_please(rng, main[0].text))
        if p.thanks and rng.random() < p.thanks:
            after.append([Part(rng.choice(self._closings))])
        return before, after

    def _shape(
        self, rng: random.Random, sentences: list[Sentence], lead: int, main: Sentence
    ) -> list[Sentence]:
        """Shortens or pads toward a length drawn around the persona's median."""
        p = self.persona
        target = max(1, round(math.exp(self._mu + rng.gauss(0.0, p.length_spread))))
        if p.length_cap is not None:
            target = min(target, p.length_cap)
        count = sum(word_count(part.text) for s in sentences for part in s)
        if count > target:
            kept = [s for s in sentences if s is main or any(part.slot for part in s)]
            count = sum(word_count(part.text) for s in kept for part in s)
            return [_compress(s, count - target) for s in kept]
        if count >= target or not self._padding:
            return sentences
        pads = list(self._padding)
        rng.shuffle(pads)
        head: list[Sentence] = []
        tail: list[Sentence] = []
        for pad in pads:
            if count >= target:
                break
            (head if rng.random() < 0.6 else tail).append([Part(pad)])
            count += word_count(pad)
        index = sentences.index(main)
        return [*sentences[:lead], *head, *sentences[lead:index + 1], *tail,
                *sentences[index + 1 :]]  # fmt: skip

    def _grammar(self, rng: random.Random, part: Part) -> Part:
        return part if part.slot else Part(self.grammar.apply(rng, part.text))

    # --- writing it out --------------------------------------------------------------
    def _assemble(self, rng: random.Random, sentences: list[Sentence]) -> list[tuple[str, bool]]:
        """Joins sentences into text runs and slot values: (text, spared by typos)."""
        segments: list[tuple[str, bool]] = []
        buffer: list[str] = []
        last_index = len(sentences) - 1
        capital = True
        intact = self.persona.slot_intact
        for index, sentence in enumerate(sentences):
            words = [part for part in sentence if part.text.strip()]
            if not words:
                continue
            for position, part in enumerate(words):
                text = part.text.strip()
                if position == 0 and capital and not part.slot:
                    text = text[:1].upper() + text[1:]
                if buffer or segments:
                    buffer.append(" ")
                if part.slot and rng.random() < intact:
                    segments.append(("".join(buffer), False))
                    segments.append((text, True))
                    buffer = []
                else:
                    buffer.append(text)
            flat = " ".join(part.text.strip() for part in words)
            end = flat[-1]
            if end in ".?!,":
                capital = end != ","
                continue
            if index < last_index or rng.random() < self.persona.final_punctuation:
                buffer.append("?" if _QUESTION.match(flat) else ".")
            capital = True
        segments.append(("".join(buffer), False))
        return [(text, kept) for text, kept in segments if text]


def _map_text(part: Part, change: object) -> Part:
    if part.slot or not callable(change):
        return part
    return Part(str(change(part.text)))


def _add_please(rng: random.Random, text: str) -> str:
    lower = text.lower()
    for frame in ("can you ", "could you ", "would you "):
        if lower.startswith(frame):
            return text[: len(frame)] + "please " + text[len(frame) :]
    if rng.random() < 0.5:
        return "please " + text
    return text.rstrip(".?! ") + " please"


def _compress(sentence: Sentence, excess: int) -> Sentence:
    """Drops filler, politeness frames and small words until ``excess`` words are gone."""
    out: Sentence = []
    for part in sentence:
        if part.slot or excess <= 0:
            out.append(part)
            continue
        text = part.text
        for pattern in _COMPRESS:
            shorter = _SPACES.sub(" ", pattern.sub("", text)).strip(" ,")
            if not shorter:
                continue
            excess -= word_count(text) - word_count(shorter)
            text = shorter
            if excess <= 0:
                break
        out.append(Part(text))
    return out
