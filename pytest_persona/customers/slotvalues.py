"""The details a customer knows (slot values) and the sentences it gives them in.

Values come from the goal, else the slot's examples, else are made up per type
(reserved example domains and fictional phone ranges, never real contacts).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Mapping

from ..flow.freetext import same_value
from ..flow.model import Flow, Slot
from .lexicon import echoes
from .personas import Style
from .planner import Planner
from .voice import Part, Sentence

_FIRST = ("sam", "alex", "jo", "priya", "tom", "maria", "lee", "chris", "anna", "omar")
_LAST = ("smith", "patel", "jones", "nguyen", "brown", "garcia", "taylor", "khan")
_DOMAINS = ("example.com", "example.org", "example.net")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "September")


def make_value(slot: Slot, rng: random.Random) -> str:
    """A value this customer holds for ``slot``, drawn from ``rng`` (its setup stream)."""
    if slot.examples:
        return rng.choice(slot.examples)
    if slot.type == "choice" and slot.values:
        return rng.choice(list(slot.values))
    if slot.type == "number":
        low = slot.minimum if slot.minimum is not None else 1.0
        high = slot.maximum if slot.maximum is not None else max(low, 1.0) + 9.0
        if float(low).is_integer() and float(high).is_integer():
            return str(rng.randint(int(low), int(high)))
        return f"{rng.uniform(low, high):.2f}"
    if slot.type == "email":
        name = f"{rng.choice(_FIRST)}.{rng.choice(_LAST)}{rng.randint(1, 99)}"
        return f"{name}@{rng.choice(_DOMAINS)}"
    if slot.type == "phone":
        return f"07700 900{rng.randint(0, 999):03d}"
    if slot.type == "date":
        kind = rng.randrange(3)
        if kind == 0:
            return rng.choice(("tomorrow", "today"))
        if kind == 1:
            return rng.choice(_WEEKDAYS)
        return f"{rng.randint(1, 28)} {rng.choice(_MONTHS)}"
    return "12345"


def spoken_value(slot: Slot | None, value: str, rng: random.Random) -> str:
    """How the value is said: a choice slot's canonical name or one of its synonyms."""
    if slot is None or slot.type != "choice":
        return value
    synonyms = slot.values.get(value, ())
    if synonyms and rng.random() < 0.4:
        return rng.choice(synonyms)
    return value


# Frames per style: "{n}" is the detail's name ("order number"), "{v}" the value.
SLOT_FRAMES: Mapping[Style, tuple[str, ...]] = {
    "terse": ("{v}", "it's {v}", "{n} {v}", "{v} ok", "{n}: {v}"),
    "casual": (
        "it's {v}",
        "{v}, I think",
        "ok it's {v}",
        "my {n} is {v}",
        "sure, {v}",
        "yeah it's {v}",
        "the {n} is {v}",
        "{v} is my {n}",
    ),
    "formal": (
        "My {n} is {v}",
        "It is {v}",
        "The {n} is {v}",
        "Yes, my {n} is {v}",
        "Please, it is {v}",
        "I have the {n}, it is {v}",
    ),
    "chatty": (
        "yes, my {n} is {v}, I have it written down here",
        "let me see... it's {v}",
        "the {n} on my letter says {v}",
        "I think it's {v}, I wrote it down somewhere",
        "oh yes, it's {v}",
        "right, my {n} is {v}, if that helps",
        "I have it here, {v}",
    ),
}
# Front-loaded details, at the end of a first message or buried inside a long one.
LEAD_FRAMES: Mapping[Style, tuple[str, ...]] = {
    "terse": ("{v}", "{n} {v}"),
    "casual": ("{n} is {v}", "it's {v}", "{v}"),
    "formal": ("my {n} is {v}", "the {n} is {v}"),
    "chatty": (
        "I believe my {n} is {v}",
        "it's {v} on my paper",
        "the {n} is {v}, if I remember rightly",
    ),
}
# A frame's hedges and asides are whole clauses, before the detail or after a comma
# (``shortening.HEDGES`` drops them whole when a message is too long).

# Slot types whose values customers say without naming the detail: "my order number is
# 48213", but never "my quantity is 2" or "4 July is my dob".
UNNAMED_TYPES = frozenset({"choice", "number", "date"})


def frames_for(
    table: Mapping[Style, tuple[str, ...]], style: Style, slot: Slot | None
) -> tuple[str, ...]:
    """A style's frames for one detail: all of them, or those that leave its name out."""
    if slot is not None and slot.type in UNNAMED_TYPES:
        return _unnamed(table[style])
    return table[style]


@functools.cache
def _unnamed(frames: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(frame for frame in frames if "{n}" not in frame) or ("{v}",)


# Values a frame cannot call "my {n} is {v}": a count, said with what it counts ("it's
# three nights", never "my nights is 3"); a value that names the detail itself or is
# somebody's ("it's the pharmacy next door", "it's my blue inhaler", never "the pharmacy
# is the pharmacy next door"); and a clause of its own ("it was stolen", never "my loss
# type is it was stolen").
ITS, CLAUSE = "it's", "clause"
_NAMING = re.compile(r"(?:\b(?:my|the) )?\{n\}( is|:)? (?=\{v\})", re.IGNORECASE)
_IT_IS = re.compile(r"\bit(?:'s| is) (?=\{v\})", re.IGNORECASE)
_CLAUSE = re.compile(
    r"^(?:it|it's|i|i'm|i've|i'd|you|we|they|he|she|someone|somebody)\b|\b(?:is|was|are|were)\b",
    re.IGNORECASE,
)
_PLURALS = {"people": "person", "children": "child", "men": "man", "women": "woman"}
_ONE = frozenset({"1", "one", "a", "an", "a single", "just one", "only one"})


@functools.cache
def frames_saying(frames: tuple[str, ...], kind: str) -> tuple[str, ...]:
    """``frames`` as they suit an ``ITS`` value ("the {n} is {v}" -> "it's {v}") or a
    ``CLAUSE`` ("the {n} is {v}" -> "{v}", and only frames that leave it a clause:
    "{v}, I think", not "{v} on my paper"); frames still naming the detail are left out."""
    out: list[str] = []
    for frame in frames:
        if kind == CLAUSE:
            frame = _IT_IS.sub("", _NAMING.sub("", frame))
            tail = frame.partition("{v}")[2]
            if tail and not tail.startswith(","):
                continue
        else:
            frame = _NAMING.sub(lambda m: "it's " if m.group(1) == " is" else "", frame)
        if "{n}" not in frame:
            out.append(frame)
    return tuple(out) or ("{v}",)


def count_unit(slot: Slot | None, noun: str, value: str) -> str | None:
    """What a number slot named by a plural noun counts, as said after ``value``: "nights"
    ("night" after one; "" when the value says it already), or None for other slots."""
    words = noun.lower().split()
    if slot is None or slot.type != "number" or not words:
        return None
    plural = words[-1]
    singular = _PLURALS.get(plural)
    if singular is None:
        if len(plural) < 4 or not plural.endswith("s") or plural.endswith(("ss", "us", "is")):
            return None
        if plural.endswith("ies"):
            singular = plural[:-3] + "y"
        elif plural.endswith(("ches", "shes", "sses", "xes")):
            singular = plural[:-2]
        else:
            singular = plural[:-1]
    said = value.lower().split()
    if singular in said or plural in said:
        return ""
    return singular if value.strip().lower() in _ONE else plural


_SAY_NOUN = re.compile(
    r"\b(?:your|the|which|what)\s+((?:new\s+|full\s+)?[a-z]+(?:-[a-z]+)*(?:\s+(?:number|address|name|"
    r"code|date|time|email|id|postcode|details|reference)|\s+of\s+(?!(?:the|a|an|my|your|our|their|his|her|its|this|that)\b)[a-z]+)?)\b",
    re.IGNORECASE,
)
_NOT_NOUNS = frozenset(
    {"is", "are", "do", "does", "can", "should", "would", "will", "was", "order's", "one", "s"}
)


def detail_name(slot_name: str, question: str) -> str:
    """What the customer calls the detail: echoed from the question, else the slot's name."""
    words = slot_name.replace("_", " ").replace("-", " ").split()
    for found in _SAY_NOUN.finditer(question):
        noun = found.group(1).lower()
        first = noun.split()[0]
        if first in _NOT_NOUNS:
            continue
        if any(word in noun for word in words) or len(noun.split()) > 1:
            return noun
    if words and words[-1] == "id":
        words[-1] = "number"
    return " ".join(words)


_FIELD = re.compile(r"\{(\w+)\}")
# Slot types whose read-back a customer can compare with what it meant.
_CHECKED_TYPES = frozenset({"pattern", "text", "email", "phone", "choice"})


def read_back_corrections(flow: Flow, planner: Planner) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per read-back step: (slot read back, intent whose route asks for it again)."""
    found: dict[str, tuple[tuple[str, str], ...]] = {}
    for name, step in flow.steps.items():
        shown = set(_FIELD.findall(" ".join(step.say))) & set(flow.slots)
        if step.kind != "routes" or not shown:
            continue
        pairs: list[tuple[str, str]] = []
        for slot in sorted(shown):
            if flow.slots[slot].type not in _CHECKED_TYPES:
                continue
            for route in step.routes:
                landings = planner.enter(route.goto, tuple(None for _ in planner.names))
                if any(flow.steps[x.step].collect == slot for x in landings if not x.ended):
                    pairs.append((slot, route.intent))
                    break
        if pairs:
            found[name] = tuple(pairs)
    return found


def same_detail(heard: str, meant: str) -> bool:
    """Whether the value the assistant read back is the one the customer meant: one
    reading, as the engine itself compares them."""
    return same_value(heard, meant)


class Framer:
    """One style's frames for one flow's slots, and frames filled in: every slot answer
    picks one of a few frames and detail names, so the text around the value is worked
    out once per factory, not per turn."""

    def __init__(self, flow: Flow, style: Style) -> None:
        self.lead_frames = LEAD_FRAMES[style]  # for details given unasked
        self.any_frames = SLOT_FRAMES[style]  # for a slot the flow does not declare
        # Per declared slot: the style's answer frames that suit it.
        self.frames: Mapping[str, tuple[str, ...]] = {
            name: frames_for(SLOT_FRAMES, style, slot) for name, slot in flow.slots.items()
        }
        self._slots = flow.slots
        self._kinds: dict[tuple[str, str, str], tuple[str, str]] = {}
        self._around: dict[tuple[str, str, str], tuple[Part | None, Part | None]] = {}

    def answer(self, rng: random.Random, slot: str, noun: str, value: str) -> Sentence:
        """The value in one of the style's answer frames that suit it."""
        kind, unit = self._kind(slot, noun, value)
        frames = self.frames.get(slot) or self.any_frames
        if kind:
            frames = frames_saying(frames, kind)
        return self.framed(rng.choice(frames), noun, value, unit)

    def lead(
        self, rng: random.Random, slot: str, noun: str, value: str, after: str = ""
    ) -> Sentence:
        """The value given unasked, in a lead frame; ``after``: the word it follows in
        the same sentence, which the frame's first word must not repeat or echo: the
        next frame that does not, else any of the style's ("my debit card" + "card
        ending 6610" becomes "my debit card ending 6610")."""
        kind, unit = self._kind(slot, noun, value)
        frames = frames_saying(self.lead_frames, kind) if kind else self.lead_frames
        frame = rng.choice(frames)
        said = self.framed(frame, noun, value, unit)
        if after and echoes(after, _first_word(said)):
            start = frames.index(frame)
            for other in (*frames[start + 1 :], *frames[:start], *self.lead_frames):
                candidate = self.framed(other, noun, value, unit if other in frames else "")
                if not echoes(after, _first_word(candidate)):
                    return candidate
        return said

    def _kind(self, slot: str, noun: str, value: str) -> tuple[str, str]:
        """(``ITS``, a count's unit or ""), (``CLAUSE``, ""), or ("", "") for a value any
        frame suits."""
        key = (slot, noun, value)
        found = self._kinds.get(key)
        if found is None:
            unit = count_unit(self._slots.get(slot), noun, value)
            words = value.lower().split()
            if unit is not None:
                found = (ITS, unit)
            elif _CLAUSE.search(value):
                found = (CLAUSE, "")
            elif words[:1] == ["my"] or set(noun.lower().split()[-1:]) & set(words):
                found = (ITS, "")
            else:
                found = ("", "")
            self._kinds[key] = found
        return found

    def framed(self, frame: str, noun: str, value: str, unit: str = "") -> Sentence:
        """The frame as text parts around the untouchable value (and the unit after it)."""
        key = (frame, noun, unit)
        around = self._around.get(key)
        if around is None:
            around = self._around[key] = _around(frame, noun, unit)
        head, tail = around
        said = Part(value, slot=True)
        if head is None:
            return [said] if tail is None else [said, tail]
        return [head, said] if tail is None else [head, said, tail]


def _around(frame: str, noun: str, unit: str) -> tuple[Part | None, Part | None]:
    """The text parts before and after "{v}" in a frame with its "{n}" filled in."""
    head, _, tail = frame.replace("{n}", noun).partition("{v}")
    head, tail = head.strip(), tail.strip()
    if unit:
        tail = f"{unit}{tail}" if tail.startswith(",") else f"{unit} {tail}".strip()
    return (Part(head) if head else None), (Part(tail) if tail else None)


def _first_word(sentence: Sentence) -> str:
    words = sentence[0].text.split(None, 1)
    return words[0].strip(",.:").lower() if words else ""
