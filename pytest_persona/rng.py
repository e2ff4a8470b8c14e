"""Seeded random streams derived with BLAKE2 (never ``hash()``), one per purpose.

A conversation draws its setup (goal, slot values, wandering) from one stream and each
customer turn from its own stream keyed by step and visit, so an edit to a flow changes
only the turns it touches and two versions of a flow compare conversation by conversation.
A turn's seed is ``derive_seed("turn", seed, flow_id, persona, index, step, visit)``.
The seeds a user may give are checked here too, once for the plugin and the command.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from typing import Literal

# The largest seed a user may give: history stores the seed as a SQLite INTEGER.
MAX_SEED = 2**63 - 1
# The seed drawn for ``random`` is a non-negative 32-bit number: short enough to type.
RANDOM_SEED_BOUND = 2**32


def parse_seed(text: str) -> int | Literal["random"]:
    """A seed from 0 to ``MAX_SEED``, or ``random``: what ``--persona-seed``, the
    ``persona_seed`` ini key and ``pytest-persona replay/chat --seed`` all take."""
    if text.strip().lower() == "random":
        return "random"
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"seed must be a whole number or 'random', got {text!r}") from None
    if value < 0:
        raise ValueError(f"seed must be 0 or more, got {value}")
    if value > MAX_SEED:
        raise ValueError(f"seed must be at most {MAX_SEED} (2**63-1), got {value}")
    return value


def draw_seed() -> int:
    """The seed ``random`` stands for."""
    return secrets.randbelow(RANDOM_SEED_BOUND)


def seed_state(*parts: object) -> hashlib.blake2b:
    """The hash state after ``parts``: callers that derive many seeds sharing a prefix
    (every turn of one conversation) copy it instead of hashing the prefix again."""
    digest = hashlib.blake2b(digest_size=8)
    feed(digest, *parts)
    return digest


def feed(digest: hashlib.blake2b, *parts: object) -> None:
    """Each part's text and a separator (hashing is incremental: one update for all)."""
    digest.update("".join([f"{part}\x1f" for part in parts]).encode())


def seed_from(state: hashlib.blake2b, *parts: object) -> int:
    """``derive_seed(prefix..., *parts)`` for a ``seed_state(prefix...)``; ``state`` is kept."""
    digest = state.copy()
    feed(digest, *parts)
    return int.from_bytes(digest.digest(), "big")


def turn_seed(state: hashlib.blake2b, step: str, visit: int) -> int:
    """``seed_from(state, step, visit)`` spelt out for two parts: every customer turn
    derives one, and the general case's list of parts costs more than the hashing."""
    digest = state.copy()
    digest.update(f"{step}\x1f{visit}\x1f".encode())
    return int.from_bytes(digest.digest(), "big")


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from the parts' text, stable across machines and PYTHONHASHSEED."""
    return int.from_bytes(seed_state(*parts).digest(), "big")


def derive_rng(*parts: object) -> random.Random:
    return random.Random(derive_seed(*parts))


def conversation_seeds(seed: int, flow_id: str, persona: str) -> hashlib.blake2b:
    """The hash state of a batch's conversation setups; ``seed_from(it, index)`` seeds one."""
    return seed_state("conversation", seed, flow_id, persona)


def turn_seeds(seed: int, flow_id: str, persona: str) -> hashlib.blake2b:
    """The hash state of a batch's customer turns; fed the conversation's index, then
    ``seed_from(it, step, visit)`` seeds one turn."""
    return seed_state("turn", seed, flow_id, persona)


def conversation_rng(seed: int, flow_id: str, persona: str, index: int) -> random.Random:
    """The stream for one conversation's setup: goal, slot values, where it wanders."""
    return random.Random(seed_from(conversation_seeds(seed, flow_id, persona), index))
