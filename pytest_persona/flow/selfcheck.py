"""Examples and button labels the flow's own matcher does not read as their intent, at
a step where that intent is expected: overlaps a designer otherwise finds only when
customers who say those very words (or type what a button says) are misunderstood.

Run by ``pytest-persona validate``, not at every load: it builds the matcher and
matches every example, which a test session has no need to pay for.
"""

from __future__ import annotations

from .advice import diagnostic, normal_example, owner_label
from .errors import Diagnostic
from .matcher import OFF_TOPIC, IntentMatcher, Match
from .model import Flow


def self_check(flow: Flow) -> list[Diagnostic]:
    """Both checks, over one matcher: building it is most of the work."""
    matcher = IntentMatcher(flow)
    return [*misread_examples(flow, matcher), *untyped_buttons(flow, matcher)]


def misread_examples(flow: Flow, matcher: IntentMatcher) -> list[Diagnostic]:
    """A warning for each example its own intent's step does not understand as it; an
    example said word for word by another intent is left to the shared-example warning."""
    said_by: dict[str, set[str]] = {}
    for name, each in flow.intents.items():
        for example in each.examples:
            said_by.setdefault(normal_example(example), set()).add(name)
    global_names = [intent.name for intent in flow.global_intents]
    threshold = flow.settings.match_threshold
    reported: set[tuple[str, int]] = set()
    found: list[Diagnostic] = []
    for step_name, step in flow.steps.items():
        if step.kind != "routes":
            continue
        step_matcher = matcher.for_step(step)
        expected = dict.fromkeys([route.intent for route in step.routes] + global_names)
        for name in expected:
            intent = flow.intents.get(name)
            if intent is None:
                continue
            for index, example in enumerate(intent.examples):
                if (name, index) in reported or len(said_by[normal_example(example)]) > 1:
                    continue
                match = step_matcher.match(example)
                if match.accepted and match.intent == name:
                    continue
                reported.add((name, index))
                key = f"intents.{name}.examples[{index}]"
                how = _how_misread(match, name, threshold)
                message = f"'{example}' {how} at step '{step_name}'"
                found.append(diagnostic(flow, key, message, "warning"))
    return found


def untyped_buttons(flow: Flow, matcher: IntentMatcher) -> list[Diagnostic]:
    """A warning for each button label that, typed instead of clicked, its step does not
    understand as the button's intent: many customers type what the button says."""
    found: list[Diagnostic] = []
    for step_name, step in flow.steps.items():
        if step.kind != "routes" or not step.buttons:
            continue
        step_matcher = matcher.for_step(step)
        for label, intent in step.buttons.items():
            match = step_matcher.match(label)
            if match.accepted and match.intent == intent:
                continue
            how = _how_misread(match, intent, flow.settings.match_threshold)
            message = (
                f"typed rather than clicked, '{label}' {how}: add it to intent '{intent}''s "
                "examples"
            )
            found.append(diagnostic(flow, f"steps.{step_name}.buttons.{label}", message, "warning"))
    return found


def _how_misread(match: Match, meant: str, threshold: float) -> str:
    if match.intent is None:
        return "is not understood: none of its words is known at this step"
    if match.accepted:
        return f"is read as {_label(match.intent)} ({match.confidence:.2f})"
    if match.intent == meant and match.confidence < threshold:
        return f"is not understood: {match.confidence:.2f} is below match_threshold"
    if match.intent == meant:
        return (
            f"is not understood: {_label(match.runner_up)} scores too close "
            f"({match.runner_up_confidence:.2f} against {match.confidence:.2f})"
        )
    return (
        f"is not understood: {_label(match.intent)} scores higher "
        f"({match.confidence:.2f})"
    )


def _label(name: str | None) -> str:
    return owner_label("off_topic" if name == OFF_TOPIC else str(name))
