"""Shortening a message toward a persona's length: the least needed words go first.

A message is a list of sentences, each a list of parts (text runs and untouchable slot
values, ``voice.Part``). Words go in rounds, each round one kind across the whole
message: hedges and asides of the slot frames first ("if I remember rightly", "on my
paper"), then filler, greetings, courtesies, request frames, and last "my" and "the". So
a long message loses its hedges before any sentence loses its grammar, and no sentence
is cut by more than the message needs. A hedge goes whole or stays ("believe" is never
left behind a value), and the rounds that cut a sentence's opening ("I want to", "can
you") touch only the part that opens its sentence, not the words after a value.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .voice import Sentence

# Phrases whose shortenings are remembered (a bounded memo: it changes speed, never results).
MAX_MEMO = 20_000

# Hedges and asides the slot frames put around a value (see ``slotvalues``): a clause
# of their own, said whole or not at all.
HEDGES = (
    "I believe",
    "I think",
    "if I remember rightly",
    "if that helps",
    "I wrote it down somewhere",
    "I have it written down here",
    "let me see...",
)
_HEDGE = "|".join(re.escape(hedge) for hedge in HEDGES)
_ASIDE = r"on my (?:paper|letter)"

# One round each, in order; ``True``: the round cuts a sentence's opening words only.
_ROUNDS: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), opening)
    for pattern, opening in (
        (rf"^(?:{_HEDGE})(?:,\s*|\s+)|,?\s*\b(?:{_HEDGE})$|\s*\b{_ASIDE}\b", False),
        (r"\b(?:please|kindly|just|really|actually|basically|um|erm|ok so|so|well|still)\b,?\s*",
         False),
        (r"^(?:hi|hello|hey|sorry)(?: there)?,?\s*", True),
        (r"\b(?:for me|if possible|thanks|thank you|then|right now|now|again)\b", False),
        (r"^(?:can|could|would|will) you (?:please )?", True),
        (r"^(?:I want to|I'd like to|I would like to|I need to|I wanna|can I|could I|I have to|"
         r"is it possible to|how do I|I'm|I am|I've|I have|I) ", True),
        (r"\b(?:my|the|a|an|your|some) ", False),
    )
)  # fmt: skip
ROUNDS = len(_ROUNDS)
_SPACES = re.compile(r"\s{2,}")

# (round, text after it, words cut so far) per round that cut something.
Steps = tuple[tuple[int, str, int], ...]


def compress(sentences: list[Sentence], excess: int) -> list[Sentence]:
    """The sentences with about ``excess`` words cut, round by round (see above)."""
    plans = [
        [() if part.slot else shortenings(part.text, at == 0) for at, part in enumerate(s)]
        for s in sentences
    ]
    taken = [[0] * len(s) for s in sentences]  # steps taken, per part
    for level in range(ROUNDS):
        for steps_of, counts in zip(plans, taken, strict=True):
            for at, steps in enumerate(steps_of):
                done = counts[at]
                if done < len(steps) and steps[done][0] == level:
                    excess -= steps[done][2] - (steps[done - 1][2] if done else 0)
                    counts[at] = done + 1
                    if excess <= 0:
                        return _shortened(sentences, plans, taken)
    return _shortened(sentences, plans, taken)


def _shortened(
    sentences: list[Sentence], plans: list[list[Steps]], taken: list[list[int]]
) -> list[Sentence]:
    out: list[Sentence] = []
    for sentence, steps_of, counts in zip(sentences, plans, taken, strict=True):
        if not any(counts):
            out.append(sentence)
            continue
        out.append(
            [
                part._replace(text=steps[done - 1][1]) if done else part
                for part, steps, done in zip(sentence, steps_of, counts, strict=True)
            ]
        )
    return out


def shortenings(text: str, opening: bool) -> Steps:
    """Each text the rounds leave in turn, for a part that opens its sentence or not;
    the same phrases come again and again, so each is worked out once. A part that
    opens its sentence is never cut to nothing; one after a value may be (a hedge)."""
    key = (text, opening)
    found = _SHORTENINGS.get(key)
    if found is not None:
        return found
    steps: list[tuple[int, str, int]] = []
    current = text
    cut = 0
    for level, (pattern, opening_only) in enumerate(_ROUNDS):
        if opening_only and not opening:
            continue
        shorter, removed = pattern.subn("", current)
        if not removed:
            continue
        shorter = _SPACES.sub(" ", shorter).strip(" ,")
        if not opening and shorter and current.startswith(","):
            shorter = ", " + shorter  # still a clause after the value
        if shorter == current or (opening and not shorter):
            continue
        cut += _words(current) - _words(shorter)
        current = shorter
        steps.append((level, current, cut))
    found = tuple(steps)
    if len(_SHORTENINGS) < MAX_MEMO:
        _SHORTENINGS[key] = found
    return found


def _words(text: str) -> int:
    return len(text.split())


_SHORTENINGS: dict[tuple[str, bool], Steps] = {}


def clear_memos() -> None:
    """Forget the process-wide memo of shortened phrases."""
    _SHORTENINGS.clear()
