"""Sentences that give a slot value in a frame ("my {n} is {v}").

Every slot answer of every conversation picks one of a few frames and one of a few detail
names, so the text parts around the value are worked out once per factory, not per turn.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..flow.model import Flow
from .personas import Style
from .slotvalues import LEAD_FRAMES, SLOT_FRAMES, frames_for
from .voice import Part, Sentence


class Framer:
    """One style's frames for one flow's slots, and frames filled in."""

    def __init__(self, flow: Flow, style: Style) -> None:
        self.lead_frames = LEAD_FRAMES[style]  # for details given unasked
        self.any_frames = SLOT_FRAMES[style]  # for a slot the flow does not declare
        # Per declared slot: the style's answer frames that suit it.
        self.frames: Mapping[str, tuple[str, ...]] = {
            name: frames_for(SLOT_FRAMES, style, slot) for name, slot in flow.slots.items()
        }
        self._around: dict[tuple[str, str], tuple[Part | None, Part | None]] = {}

    def framed(self, frame: str, noun: str, value: str) -> Sentence:
        """The frame as text parts around the untouchable value."""
        around = self._around.get((frame, noun))
        if around is None:
            around = self._around[frame, noun] = _around(frame, noun)
        head, tail = around
        said = Part(value, slot=True)
        if head is None:
            return [said] if tail is None else [said, tail]
        return [head, said] if tail is None else [head, said, tail]


def _around(frame: str, noun: str) -> tuple[Part | None, Part | None]:
    """The text parts before and after "{v}" in a frame with its "{n}" filled in."""
    head, _, tail = frame.replace("{n}", noun).partition("{v}")
    head, tail = head.strip(), tail.strip()
    return (Part(head) if head else None), (Part(tail) if tail else None)
