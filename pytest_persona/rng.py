"""Seeded random streams derived with BLAKE2 (never ``hash()``), one per purpose.

A conversation draws its setup (goal, slot values, wandering) from one stream and each
customer turn from its own stream keyed by step and visit, so an edit to a flow changes
only the turns it touches and two versions of a flow compare conversation by conversation.
"""

from __future__ import annotations

import hashlib
import random


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from the parts' text, stable across machines and PYTHONHASHSEED."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\x1f")
    return int.from_bytes(digest.digest(), "big")


def derive_rng(*parts: object) -> random.Random:
    return random.Random(derive_seed(*parts))


def conversation_rng(seed: int, flow_id: str, persona: str, index: int) -> random.Random:
    """The stream for one conversation's setup: goal, slot values, where it wanders."""
    return derive_rng("conversation", seed, flow_id, persona, index)


def turn_rng(
    seed: int, flow_id: str, persona: str, index: int, step: str, visit: int
) -> random.Random:
    """The stream for one customer turn at ``step`` (``visit``: times spoken there before)."""
    return derive_rng("turn", seed, flow_id, persona, index, step, visit)


def unit_fraction(*parts: object) -> float:
    """A number in [0, 1) fixed by the parts, for choices that need no whole stream."""
    return derive_seed(*parts) / 2.0**64
