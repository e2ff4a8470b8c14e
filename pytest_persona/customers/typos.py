"""Typing noise: keyboard slips on a QWERTY layout, space errors and misspelt words.

Error positions are drawn by geometric skips (the gap to the next error), so a clean
persona costs nothing per character and a noisy one costs per error, not per letter.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field

from .misspellings import misspell
from .personas import Persona

_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")

SUBSTITUTION = "substitution"
OMISSION = "omission"
INSERTION = "insertion"
TRANSPOSITION = "transposition"
SLIP_KINDS = (SUBSTITUTION, OMISSION, INSERTION, TRANSPOSITION)
SPACE_DROP = "space_drop"
SPACE_INSERT = "space_insert"
MISSPELLING = "misspelling"
APOSTROPHE = "apostrophe"


def _neighbours() -> dict[str, str]:
    """Keys touching each key: same row left/right, and the rows above and below.

    Letters and digits stay apart, as on a phone keyboard's letter layer.
    """
    where = {key: (r, c) for r, row in enumerate(_ROWS) for c, key in enumerate(row)}
    found: dict[str, str] = {}
    for key, (r, c) in where.items():
        near: list[str] = []
        for dr, dcs in ((0, (-1, 1)), (-1, (0, 1)), (1, (-1, 0))):
            rr = r + dr
            if not 0 <= rr < len(_ROWS) or (rr == 0) != (r == 0):
                continue
            for dc in dcs:
                cc = c + dc
                if 0 <= cc < len(_ROWS[rr]):
                    near.append(_ROWS[rr][cc])
        found[key] = "".join(near)
    return found


NEIGHBOURS: dict[str, str] = _neighbours()


def _gap(rng: random.Random, log_keep: float) -> int:
    """Characters before the next error when each one errs independently."""
    return int(math.log(1.0 - rng.random()) / log_keep)


def _log_keep(rate: float) -> float:
    return math.log(1.0 - rate) if 0.0 < rate < 1.0 else (-math.inf if rate >= 1.0 else 0.0)


def _match_case(new: str, old: str) -> str:
    return new.upper() if old.isupper() else new


@dataclass(frozen=True)
class TypoModel:
    """A persona's typing noise, prepared once per factory."""

    char_rate: float
    cumulative_mix: tuple[float, float, float]
    adjacent_share: float
    space_drop: float
    space_insert: float
    misspelling_rate: float
    apostrophe_drop: float
    # ``_log_keep(char_rate)``, worked out once: every message draws its first gap with it.
    _char_log_keep: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_char_log_keep", _log_keep(self.char_rate))

    @classmethod
    def from_persona(cls, persona: Persona) -> TypoModel:
        sub = persona.substitution_share
        omit = sub + persona.omission_share
        ins = omit + persona.insertion_share
        return cls(
            char_rate=persona.char_error_rate,
            cumulative_mix=(sub, omit, ins),
            adjacent_share=persona.adjacent_key_share,
            space_drop=persona.space_drop,
            space_insert=persona.space_insert,
            misspelling_rate=persona.misspelling_rate,
            apostrophe_drop=persona.apostrophe_drop,
        )

    @property
    def silent(self) -> bool:
        return not (
            self.char_rate
            or self.space_drop
            or self.space_insert
            or self.misspelling_rate
            or self.apostrophe_drop
        )

    def apply(self, rng: random.Random, text: str, errors: list[str] | None = None) -> str:
        """``text`` with this model's noise; each error made is appended to ``errors``."""
        if self.misspelling_rate:
            text = self._misspell(rng, text, errors)
        if self.apostrophe_drop and "'" in text:
            text = self._drop_apostrophes(rng, text, errors)
        if self.char_rate:
            text = self._slips(rng, text, errors)
        if self.space_drop and " " in text:
            text = self._drop_spaces(rng, text, errors)
        if self.space_insert:
            text = self._insert_spaces(rng, text, errors)
        return text

    def _misspell(self, rng: random.Random, text: str, errors: list[str] | None) -> str:
        words = _WORD.findall(text)
        if not words:
            return text
        log_keep = _log_keep(self.misspelling_rate)
        index = _gap(rng, log_keep) if log_keep else len(words)
        chosen: dict[str, str] = {}
        while index < len(words):
            word = words[index]
            wrong = misspell(word.lower(), rng)
            if wrong is not None:
                chosen[word] = (
                    _match_case(wrong, word)
                    if word.isupper()
                    else (wrong.capitalize() if word[:1].isupper() else wrong)
                )
            index += 1 + _gap(rng, log_keep)
        if not chosen:
            return text
        if errors is not None:
            errors.extend(MISSPELLING for _ in chosen)
        return _WORD.sub(lambda m: chosen.get(m.group(0), m.group(0)), text)

    def _drop_apostrophes(self, rng: random.Random, text: str, errors: list[str] | None) -> str:
        pieces = text.split("'")
        out = [pieces[0]]
        for piece in pieces[1:]:
            if rng.random() < self.apostrophe_drop:
                if errors is not None:
                    errors.append(APOSTROPHE)
            else:
                out.append("'")
            out.append(piece)
        return "".join(out)

    def _slips(self, rng: random.Random, text: str, errors: list[str] | None) -> str:
        log_keep = self._char_log_keep
        size = len(text)
        pos = _gap(rng, log_keep)
        if pos >= size:
            return text
        out: list[str] = []
        done = 0  # text[:done] is already in out
        sub, omit, ins = self.cumulative_mix
        while pos < size:
            while pos < size and not text[pos].isalpha():
                pos += 1
            if pos >= size:
                break
            char = text[pos]
            roll = rng.random()
            out.append(text[done:pos])
            if roll < sub:
                out.append(self._substitute(rng, char))
                kind, done = SUBSTITUTION, pos + 1
            elif roll < omit:
                kind, done = OMISSION, pos + 1
            elif roll < ins:
                near = NEIGHBOURS.get(char.lower(), "")
                extra = (
                    char if not near or rng.random() < 0.4 else near[int(rng.random() * len(near))]
                )
                out.append(char + _match_case(extra, char))
                kind, done = INSERTION, pos + 1
            else:
                follow = text[pos + 1] if pos + 1 < size else ""
                before = text[pos - 1] if pos > done else ""
                if follow.isalpha() and follow.lower() != char.lower():
                    out.append(follow + char)
                    kind, done = TRANSPOSITION, pos + 2
                elif before.isalpha() and before.lower() != char.lower():
                    out[-1] = text[done : pos - 1]
                    out.append(char + before)
                    kind, done = TRANSPOSITION, pos + 1
                else:
                    kind, done = "", pos
            if kind and errors is not None:
                errors.append(kind)
            pos = max(done, pos + 1) + _gap(rng, log_keep)
        out.append(text[done:])
        return "".join(out)

    def _substitute(self, rng: random.Random, char: str) -> str:
        lower = char.lower()
        near = NEIGHBOURS.get(lower, "")
        if near and rng.random() < self.adjacent_share:
            new = near[int(rng.random() * len(near))]
        else:
            new = _ALPHABET[int(rng.random() * 26)]
            if new == lower:
                new = _ALPHABET[(_ALPHABET.index(new) + 1) % 26]
        return _match_case(new, char)

    def _drop_spaces(self, rng: random.Random, text: str, errors: list[str] | None) -> str:
        pieces = text.split(" ")
        log_keep = _log_keep(self.space_drop)
        join_at = _gap(rng, log_keep)
        if join_at >= len(pieces) - 1:
            return text
        out = [pieces[0]]
        for gap_index, piece in enumerate(pieces[1:]):
            if gap_index == join_at:
                if errors is not None:
                    errors.append(SPACE_DROP)
                join_at += 1 + _gap(rng, log_keep)
            else:
                out.append(" ")
            out.append(piece)
        return "".join(out)

    def _insert_spaces(self, rng: random.Random, text: str, errors: list[str] | None) -> str:
        log_keep = _log_keep(self.space_insert)
        pos = 1 + _gap(rng, log_keep)
        if pos >= len(text):
            return text
        out: list[str] = []
        done = 0
        while pos < len(text):
            if text[pos - 1].isalpha() and text[pos].isalpha():
                out.append(text[done:pos])
                out.append(" ")
                done = pos
                if errors is not None:
                    errors.append(SPACE_INSERT)
            pos += 1 + _gap(rng, log_keep)
        out.append(text[done:])
        return "".join(out)
