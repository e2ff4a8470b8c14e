"""Warnings about a flow that works but will test poorly or surprise its customers.

Never fatal: each says what a designer would want to fix before trusting the scores
(too few examples, no test phrases, a missing repeat handler, no off-topic answers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .errors import Diagnostic, Severity
from .model import Fallback, Flow, Intent, Slot
from .patterns import pattern_problem
from .yamlsource import nearest_position

MIN_EXAMPLES = 3
_REPEAT_WORDS = re.compile(
    r"\b(repeat|again|pardon|come again|say that|didn'?t catch|what did you say)\b", re.I
)

# A ``{name}`` reference in assistant text; the engine fills it from the slots (it lives
# here, not in the engine, so loading and linting a flow never imports the engine).
PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w-]*)\}")
_BRACED = re.compile(r"\{[^{}]*\}")


def diagnostic(flow: Flow, key: str, message: str, severity: Severity = "error") -> Diagnostic:
    """A finding at ``key``, located by the flow's positions (the nearest known parent)."""
    where = nearest_position(flow.positions, key)
    return Diagnostic(flow.path, where.line, where.col, key, message, severity)


def _warning(flow: Flow, key: str, message: str) -> Diagnostic:
    return diagnostic(flow, key, message, "warning")


def advice(flow: Flow, reachable: frozenset[str], towards: frozenset[str]) -> list[Diagnostic]:
    """Every warning for ``flow``, given the steps reachable from its start and the steps
    from which a goal can be reached."""
    return [
        *_unreachable(flow, reachable),
        *_few_examples(flow),
        *_no_test_phrases(flow, reachable & towards),
        *_shared_examples(flow),
        *_unused_intents(flow),
        *_button_without_route(flow),
        *_unknown_placeholders(flow),
        *_stray_braces(flow),
        *_blank_texts(flow),
        *_unmatched_slot_examples(flow),
        *_missing_handlers(flow),
        *_redo_without_clear(flow),
    ]


def _unreachable(flow: Flow, reachable: frozenset[str]) -> Iterator[Diagnostic]:
    if flow.start not in flow.steps:
        return
    for name, step in flow.steps.items():
        if name not in reachable:
            extra = "; it is left out of the default goals" if step.end == "completed" else ""
            yield _warning(flow, f"steps.{name}", f"unreachable from start '{flow.start}'{extra}")


def _few_examples(flow: Flow) -> Iterator[Diagnostic]:
    for name, intent in flow.intents.items():
        count = len(intent.examples)
        if count < MIN_EXAMPLES:
            message = (
                f"only {count} example{'s' if count != 1 else ''}: give at least "
                f"{MIN_EXAMPLES} so the matcher knows the intent in other words"
            )
            yield _warning(flow, f"intents.{name}.examples", message)


def _goal_path_intents(flow: Flow, on_path: frozenset[str]) -> list[str]:
    """Intents whose route leads from a step on a goal path on towards the goal."""
    found: dict[str, None] = {}
    for name, step in flow.steps.items():
        if name in on_path:
            for route in step.routes:
                if route.goto in on_path and route.intent in flow.intents:
                    found[route.intent] = None
    return list(found)


def _no_test_phrases(flow: Flow, on_path: frozenset[str]) -> Iterator[Diagnostic]:
    for name in _goal_path_intents(flow, on_path):
        if not flow.intents[name].test_phrases:
            message = (
                "on the way to a goal but has no test_phrases: simulated customers ask for it "
                "mostly in rewordings of its examples, so its scores lean on words the "
                "matcher already knows"
            )
            yield _warning(flow, f"intents.{name}", message)


def normal_example(text: str) -> str:
    """An example as two intents would share it: case, punctuation and spacing aside."""
    return " ".join(re.sub(r"[^\w\s']", " ", text.casefold()).split())


def _shared_examples(flow: Flow) -> Iterator[Diagnostic]:
    owners: dict[str, str] = {}
    sources = [(f"intents.{n}", n, i.examples) for n, i in flow.intents.items()]
    if flow.off_topic is not None:
        sources.append(("off_topic", "off_topic", flow.off_topic.examples))
    for key, owner, examples in sources:
        for index, example in enumerate(examples):
            first = owners.setdefault(normal_example(example), owner)
            if first != owner:
                message = (
                    f"'{example}' is also an example of {owner_label(first)}: they will be confused"
                )
                yield _warning(flow, f"{key}.examples[{index}]", message)


def owner_label(owner: str) -> str:
    """An example's owner as a designer names it: "off_topic" or "intent 'name'"."""
    return "off_topic" if owner == "off_topic" else f"intent '{owner}'"


def _unused_intents(flow: Flow) -> Iterator[Diagnostic]:
    used = {r.intent for s in flow.steps.values() for r in s.routes}
    used |= {i for s in flow.steps.values() for i in s.buttons.values()}
    for name, intent in flow.intents.items():
        if intent.global_action is None and name not in used:
            message = "not used by any route, button or global: the matcher never listens for it"
            yield _warning(flow, f"intents.{name}", message)


def _button_without_route(flow: Flow) -> Iterator[Diagnostic]:
    globals_ = {i.name for i in flow.global_intents}
    for name, step in flow.steps.items():
        routed = {route.intent for route in step.routes} | globals_
        for label, intent in step.buttons.items():
            if intent in flow.intents and intent not in routed:
                message = f"intent '{intent}' has no route at this step: a click is not understood"
                yield _warning(flow, f"steps.{name}.buttons.{label}", message)


def _texts_with_keys(flow: Flow) -> Iterator[tuple[str, str]]:
    for name, step in flow.steps.items():
        yield from ((f"steps.{name}.say", text) for text in step.say)
        yield from ((f"steps.{name}.no_match", text) for text in step.no_match)
    for name, intent in flow.intents.items():
        if intent.global_action is not None:
            yield from ((f"intents.{name}.global.say", t) for t in intent.global_action.say)
    if flow.off_topic is not None:
        yield from (("off_topic.say", text) for text in flow.off_topic.say)
    yield from (("fallback.say", text) for text in flow.fallback.say)


def has_words(phrase: str, words_needed: bool = True) -> bool:
    """Whether ``phrase`` is more than blank and (if ``words_needed``) has a word the
    matcher reads: letters, digits or an emoji."""
    from .textnorm import words

    return bool(phrase.strip()) and (not words_needed or bool(words(phrase)))


def listed_key(flow: Flow, key: str, index: int, suffix: str = "") -> str:
    """``key[index]suffix`` when the file wrote a list there, else ``key`` (a shorthand)."""
    listed = f"{key}[{index}]{suffix}"
    return listed if listed in flow.positions or key not in flow.positions else key


def _text_lists(flow: Flow) -> Iterator[tuple[str, tuple[str, ...]]]:
    for name, step in flow.steps.items():
        # A waiting step with nothing to say is an error of its own (see flowbuild).
        if not step.waits or any(text.strip() for text in step.say):
            yield f"steps.{name}.say", step.say
        yield f"steps.{name}.no_match", step.no_match
    for name, intent in flow.intents.items():
        if intent.global_action is not None:
            yield f"intents.{name}.global.say", intent.global_action.say
    if flow.off_topic is not None:
        yield "off_topic.say", flow.off_topic.say
    yield "fallback.say", flow.fallback.say


def _blank_texts(flow: Flow) -> Iterator[Diagnostic]:
    """A blank text is said all the same: the transcript shows an empty message."""
    for key, texts in _text_lists(flow):
        message = f"blank: the assistant sends an empty message; {_blank_advice(key, texts)}"
        for index, text in enumerate(texts):
            if not text.strip():
                yield _warning(flow, listed_key(flow, key, index), message)


def _blank_advice(key: str, texts: tuple[str, ...]) -> str:
    """What to write instead, as the loader and engine read it: a key left out is no
    silence everywhere (no_match falls back to fallback.say, fallback.say to its default)."""
    if any(text.strip() for text in texts):
        return "remove it from the list"
    if key == "fallback.say":
        return (f"write say: [] to say nothing (left out, say is the default "
                f"\"{Fallback().say[0]}\")")
    if key.endswith(".no_match"):
        return "leave no_match out to answer with fallback.say instead"
    return "leave say out to say nothing"


def _unknown_placeholders(flow: Flow) -> Iterator[Diagnostic]:
    names = set(flow.slots) | {n for step in flow.steps.values() for n in step.set}
    for key, text in _texts_with_keys(flow):
        for placeholder in PLACEHOLDER.findall(text):
            if placeholder not in names:
                message = f"'{{{placeholder}}}' is not a slot or a 'set' name: it is said as is"
                yield _warning(flow, key, message)


def _stray_braces(flow: Flow) -> Iterator[Diagnostic]:
    """Braces that are no ``{name}``: the text goes out with them, as a ``{sise}`` does."""
    for key, text in _texts_with_keys(flow):
        rest = PLACEHOLDER.sub("", text)
        braced = _BRACED.search(rest)
        if braced is not None:
            message = (f"'{braced.group()}' is no {{name}} (a slot or 'set' name in braces, "
                       "nothing else): said as written")
        elif "{" in rest:
            message = "'{' without a closing '}': said as written"
        elif "}" in rest:
            message = "'}' without an opening '{': said as written"
        else:
            continue
        yield _warning(flow, key, message)


def pattern_broken(slot: Slot) -> bool:
    """A pattern slot without a usable pattern: reported once, checked no further."""
    if slot.type != "pattern":
        return False
    return slot.pattern is None or pattern_problem(slot.pattern) is not None


def _unmatched_slot_examples(flow: Flow) -> Iterator[Diagnostic]:
    """Slot examples the engine cannot read as a value of the slot: customers give them
    ("about an hour" for a number of minutes) and are never understood."""
    from .slots import SIMULATION_DATE, build_extractor  # the engine's own reading

    for name, slot in flow.slots.items():
        if slot.type == "pattern":
            if pattern_broken(slot) or slot.pattern is None:
                continue
            compiled = re.compile(slot.pattern)
            for index, example in enumerate(slot.examples):
                if example.strip() and compiled.search(example[:1000]) is None:
                    message = (
                        f"'{example}' does not match the slot's pattern: customers saying it fail"
                    )
                    yield _warning(flow, f"slots.{name}.examples[{index}]", message)
            continue
        if not slot.examples:
            continue
        read = build_extractor(slot, SIMULATION_DATE)
        for index, example in enumerate(slot.examples):
            if has_words(example) and read(example) is None:  # else an error (lint)
                message = (
                    f"'{example}' is not a value the {slot.type} slot can read: customers "
                    "saying it are not understood"
                )
                yield _warning(flow, f"slots.{name}.examples[{index}]", message)


def _looks_like_repeat(intent: Intent) -> bool:
    action = intent.global_action
    if action is None:
        return False
    if action.then_return and not action.say and action.goto is None:
        return True
    words = [intent.name.replace("_", " "), *intent.examples]
    return any(_REPEAT_WORDS.search(text) for text in words)


def _missing_handlers(flow: Flow) -> Iterator[Diagnostic]:
    if not any(_looks_like_repeat(intent) for intent in flow.intents.values()):
        message = (
            "no repeat-style global intent (e.g. repeat: {examples: [say that again, ...], "
            "global: {then: return}}): customers who ask to hear the question again get a fallback"
        )
        yield _warning(flow, "intents", message)
    if flow.off_topic is None:
        message = "no off_topic: off-topic messages will all count as misunderstandings"
        yield _warning(flow, "off_topic", message)


def _redo_without_clear(flow: Flow) -> Iterator[Diagnostic]:
    """A step that reads a detail back and routes to the step that asks for it, without
    ``clear``: the detail is still filled, so the step is passed straight through and the
    customer who said "no, that's wrong" hears the same read-back again."""
    for name, step in flow.steps.items():
        shown = set(PLACEHOLDER.findall(" ".join(step.say)))
        for index, route in enumerate(step.routes):
            target = flow.steps.get(route.goto)
            slot = target.collect if target is not None else None
            if slot is not None and slot in shown and slot not in route.clear:
                message = (
                    f"goes back to '{route.goto}' to ask for {slot} again, but without "
                    f"clear: [{slot}] that step is skipped, as {slot} is still filled"
                )
                yield _warning(flow, f"steps.{name}.routes[{index}]", message)
