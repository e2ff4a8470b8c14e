"""Checks of the values a flow file writes: phrases and what slots can hold.

A value is only worth something if it can be said or held: an example with no word in it
teaches the matcher nothing, a goal value its slot cannot take strands every customer
with that goal, and an ``if`` on a value its slot never stores is a branch never taken.
Values are read as the engine reads them (:func:`slots.build_extractor`).
"""

from __future__ import annotations

from collections.abc import Iterable

from .advice import diagnostic, has_words, listed_key, pattern_broken
from .errors import Diagnostic, did_you_mean
from .model import Flow, Slot
from .yamlsource import nearest_position

# Slot types whose stored values are exactly what their extractor makes of them, so a
# value the extractor would store differently is never held. A pattern's group and a
# text slot's trimmed lead-ins make no such promise: their values are not checked.
_CHECKED_IN_BRANCHES = frozenset({"choice", "number", "email", "phone", "date"})


def wordless_errors(flow: Flow) -> list[Diagnostic]:
    """Phrases with no word in them: the matcher reads nothing in an example, and a
    customer who says a test phrase, slot example or choice value says nothing.
    A pattern slot's examples are the exception as long as they are not blank: its
    pattern may well be for symbols."""
    found: list[Diagnostic] = []

    def check(key: str, phrases: Iterable[str], words_needed: bool = True) -> None:
        for index, phrase in enumerate(phrases):
            if not has_words(phrase, words_needed):
                found.append(diagnostic(flow, listed_key(flow, key, index), _no_words(phrase)))

    for name, intent in flow.intents.items():
        check(f"intents.{name}.examples", intent.examples)
        check(f"intents.{name}.test_phrases", intent.test_phrases)
    if flow.off_topic is not None:
        check("off_topic.examples", flow.off_topic.examples)
    for name, slot in flow.slots.items():
        check(f"slots.{name}.examples", slot.examples, slot.type != "pattern")
        at = f"slots.{name}.values"
        for index, (value, synonyms) in enumerate(slot.values.items()):
            key = _value_key(flow, at, index, value)
            if not value.strip():
                found.append(_blank_value(flow, key if key.endswith("]") else at, key))
                continue  # its synonyms have no key of their own until it has a name
            if not has_words(value):
                found.append(diagnostic(flow, key, _no_words(value)))
            check(f"{at}.{value}", synonyms)
    return found


def _value_key(flow: Flow, at: str, index: int, value: str) -> str:
    """A choice value's key: ``values[1]`` for ``values: [a, b]``, else ``values.b``."""
    return f"{at}[{index}]" if f"{at}[0]" in flow.positions else f"{at}.{value}"


def _blank_value(flow: Flow, key: str, located_at: str) -> Diagnostic:
    """A blank choice value, ``values: {"": [...]}``: reported at ``values`` (a dotted key
    ending in blanks says nothing) but located at the blank key itself."""
    where = nearest_position(flow.positions, located_at)
    message = ("a choice value needs a name: the word the slot stores, which branches, goals "
               "and read-backs use; this one is blank")
    return Diagnostic(flow.path, where.line, where.col, key, message)


def choice_clash_errors(flow: Flow) -> list[Diagnostic]:
    """One phrase under two values of a choice slot: the slot reads it as the first, so
    it never means the second (nor is a value named by another's synonym ever said)."""
    from .slots import choice_phrase_key

    found: list[Diagnostic] = []
    for name, slot in flow.slots.items():
        if slot.type != "choice":
            continue
        at = f"slots.{name}.values"
        first: dict[str, tuple[str, str, str]] = {}  # phrase key -> value, key, wording
        for index, (value, synonyms) in enumerate(slot.values.items()):
            if not value.strip():
                continue  # an error of its own (wordless_errors); its phrases have no key
            phrases = [(value, _value_key(flow, at, index, value), "the value")]
            phrases += [(synonym, listed_key(flow, f"{at}.{value}", position), "a synonym of")
                        for position, synonym in enumerate(synonyms)]
            for phrase, key, role in phrases:
                owner = first.setdefault(choice_phrase_key(phrase), (value, key, role))
                if owner[0] != value and phrase.strip():
                    line = nearest_position(flow.positions, owner[1]).line
                    found.append(diagnostic(flow, key, (
                        f"'{phrase}' is already {owner[2]} '{owner[0]}' (line {line}), which "
                        f"is what slot '{name}' reads it as: keep it under one value"
                    )))
    return found


def _no_words(phrase: str) -> str:
    return f"'{phrase}' has no words in it (letters, digits or emoji)"


def goal_value_errors(flow: Flow) -> list[Diagnostic]:
    """A value a goal fixes must be one its slot can take, or every customer with that
    goal repeats a value the assistant never understands and ends stuck."""
    from .slots import SIMULATION_DATE, build_extractor  # the engine's reading of a value

    found: list[Diagnostic] = []
    for index, goal in enumerate(flow.goals):
        for name, value in goal.slots.items():
            slot = flow.slots.get(name)
            if slot is None or pattern_broken(slot):
                continue  # reported as an unknown slot or a broken pattern already
            read = build_extractor(slot, SIMULATION_DATE)(value)
            if read is None:
                message = _cannot_take(slot, value)
            elif slot.type == "choice" and value not in slot.values:
                # Branches and read-backs compare the stored name, never a synonym.
                message = f"'{value}' stands for '{read}' of slot '{name}': write '{read}'"
            else:
                continue
            found.append(diagnostic(flow, f"goals[{index}].slots.{name}", message))
    return found


def branch_value_errors(flow: Flow) -> list[Diagnostic]:
    """An ``if`` compares the value a slot holds as stored (a choice's name, a number's
    digits, an ISO date), so a value the slot never holds is a branch never taken. A
    value some ``set`` assigns to that name can be held, whatever the slot's type.

    Names only ``set`` assigns are not checked: a branch on a value no ``set`` gives
    yet is how a designer keeps the other answer of a stand-in back end ready."""
    from .slots import SIMULATION_DATE, build_extractor  # the engine's reading of a value

    assigned: dict[str, set[str]] = {}
    for step in flow.steps.values():
        for name, value in step.set.items():
            assigned.setdefault(name, set()).add(value)
    found: list[Diagnostic] = []
    for step_name, step in flow.steps.items():
        for index, branch in enumerate(step.next):
            for name, values in branch.when.items():
                slot = flow.slots.get(name)
                if slot is None or slot.type not in _CHECKED_IN_BRANCHES:
                    continue
                read = build_extractor(slot, SIMULATION_DATE)
                key = f"steps.{step_name}.next[{index}].if.{name}"
                for position, value in enumerate(values):
                    if value in assigned.get(name, ()) or value in slot.values:
                        continue
                    message = _never_held(slot, value, read(value))
                    if message:
                        found.append(diagnostic(flow, listed_key(flow, key, position), message))
    return found


def _never_held(slot: Slot, value: str, read: str | None) -> str | None:
    """Why ``slot`` never holds ``value`` (``read`` is what it would store for it), or None."""
    if read is None:
        return _cannot_take(slot, value)
    if read == value:
        return None
    if slot.type == "choice":
        if not _says_outright(slot, value):  # read as a typo of a value: say which
            return _cannot_take(slot, value)
        return (
            f"'{value}' stands for '{read}' of slot '{slot.name}', and 'if' compares the "
            f"name stored: write '{read}'"
        )
    if slot.type == "date":
        return f"slot '{slot.name}' stores a date as YYYY-MM-DD, never as '{value}'"
    return f"slot '{slot.name}' stores '{value}' as '{read}': write '{read}'"


def _says_outright(slot: Slot, value: str) -> bool:
    """Whether ``value`` is a choice's name or synonym, in any case (not a typo of one)."""
    folded = value.casefold()
    return any(
        folded == phrase.casefold()
        for name, synonyms in slot.values.items()
        for phrase in (name, *synonyms)
    )


def _cannot_take(slot: Slot, value: str) -> str:
    suggestion = did_you_mean(value, slot.values) if slot.type == "choice" else ""
    return f"'{value}' is not a value slot '{slot.name}' can take: {_takes(slot)}{suggestion}"


def _takes(slot: Slot) -> str:
    if slot.type == "choice":
        return "one of " + ", ".join(f"'{value}'" for value in slot.values)
    if slot.type == "number" and (slot.minimum is not None or slot.maximum is not None):
        low = "" if slot.minimum is None else f"{slot.minimum:g}"
        high = "" if slot.maximum is None else f"{slot.maximum:g}"
        return f"a number from {low or 'any'} to {high or 'any'}"
    if slot.type == "pattern":
        return f"text matching {slot.pattern}"
    return _KINDS.get(slot.type, f"a {slot.type}")


_KINDS = {"email": "an e-mail address", "phone": "a phone number", "date": "a date",
          "number": "a number", "text": "some text"}  # fmt: skip
