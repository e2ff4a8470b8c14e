"""Realistic designer edits that should make a flow worse, as mutated Flow copies.

Each function returns a new Flow made with ``dataclasses.replace``; the flow id stays
the same, so the customers of the original and the mutated flow draw from the same
seeded streams and the two batches compare conversation by conversation.
"""

from __future__ import annotations

import dataclasses

from pytest_persona.customers.goals import goals_with_plans
from pytest_persona.customers.planner import Env, Planner
from pytest_persona.customers.recognition import role_of
from pytest_persona.flow.model import Flow, Intent, Step


def main_path_intents(flow: Flow) -> tuple[str, ...]:
    """Intents on the planner's shortest way from the start to each goal, goal order.

    The walk follows, at every waiting step, the move the planner itself would make,
    into the landing from which the rest of the plan is one move shorter.
    """
    planner = Planner(flow)
    goals, _ = goals_with_plans(flow, planner)
    found: dict[str, None] = {}
    for goal in goals:
        env = planner.start_env(goal)
        here = _first_waiting(planner, flow.start, goal.end, env)
        while here is not None:
            step, env = here
            plan = planner.plan(step, goal.end, env)
            if plan is None or plan.action is None:
                break
            if plan.action.kind == "intent":
                found.setdefault(plan.action.name, None)
            here = _follow(planner, step, env, goal.end, plan.moves)
    return tuple(found)


def _first_waiting(planner: Planner, start: str, goal_end: str, env: Env) -> tuple[str, Env] | None:
    best: tuple[int, str, Env] | None = None
    for landing in planner.enter(start, env):
        if landing.ended:
            continue
        plan = planner.plan(landing.step, goal_end, landing.env)
        if plan is not None and (best is None or plan.moves < best[0]):
            best = (plan.moves, landing.step, landing.env)
    return None if best is None else (best[1], best[2])


def _follow(
    planner: Planner, step: str, env: Env, goal_end: str, moves: int
) -> tuple[str, Env] | None:
    """The waiting step (and values) the planned move leads to on the shortest way."""
    plan = planner.plan(step, goal_end, env)
    assert plan is not None and plan.action is not None
    for action, landings, _ in planner.moves_from(step, env):
        if action != plan.action:
            continue
        for landing in landings:
            if landing.ended:
                if landing.step == goal_end:
                    return None
                continue
            after = planner.plan(landing.step, goal_end, landing.env)
            if after is not None and after.moves == moves - 1:
                return landing.step, landing.env
    return None


def _intents_with_role(flow: Flow, role: str) -> tuple[str, ...]:
    planner = Planner(flow)
    return tuple(name for name, i in flow.intents.items() if role_of(i, planner) == role)


def repeat_intents(flow: Flow) -> tuple[str, ...]:
    """The flow's repeat-style global intents: ``global: {then: return}`` with no say."""
    return _intents_with_role(flow, "repeat")


def handoff_step(flow: Flow) -> str:
    """Where the flow hands over to a person: the agent intent's goto, else an escalated end."""
    planner = Planner(flow)
    for intent in flow.intents.values():
        action = intent.global_action
        if action is not None and action.goto and role_of(intent, planner) == "agent":
            return action.goto
    return next(name for name, step in flow.steps.items() if step.end == "escalated")


# --- the edits ---------------------------------------------------------------------------


def trim_examples(flow: Flow, intent: str, keep: int = 1) -> Flow:
    """Keeps only the first ``keep`` examples of ``intent``; its test_phrases stay."""
    old = flow.intents[intent]
    trimmed = dataclasses.replace(old, examples=old.examples[:keep])
    return dataclasses.replace(flow, intents={**flow.intents, intent: trimmed})


def few_short_examples(flow: Flow, keep: int = 2) -> Flow:
    """Every intent left with its ``keep`` shortest examples (by words, then file order):
    the first draft of a flow, written in a hurry."""
    intents: dict[str, Intent] = {}
    for name, intent in flow.intents.items():
        ranked = sorted(enumerate(intent.examples), key=lambda ie: (len(ie[1].split()), ie[0]))
        kept = tuple(text for _, text in sorted(ranked[:keep]))
        intents[name] = dataclasses.replace(intent, examples=kept)
    return dataclasses.replace(flow, intents=intents)


def without_intents(flow: Flow, names: tuple[str, ...]) -> Flow:
    """Deletes intents, with the buttons that send them (a global has no routes)."""
    gone = set(names)
    steps: dict[str, Step] = {}
    for name, step in flow.steps.items():
        if any(route.intent in gone for route in step.routes):
            raise ValueError(f"step {name!r} routes on an intent being removed")
        buttons = {label: i for label, i in step.buttons.items() if i not in gone}
        steps[name] = dataclasses.replace(step, buttons=buttons)
    intents = {name: i for name, i in flow.intents.items() if name not in gone}
    return dataclasses.replace(flow, intents=intents, steps=steps)


def without_repeat(flow: Flow) -> Flow:
    """The repeat-style global intent deleted."""
    return without_intents(flow, repeat_intents(flow))


def without_off_topic(flow: Flow) -> Flow:
    """The ``off_topic`` block deleted and ``fallback.reprompt: false``."""
    fallback = dataclasses.replace(flow.fallback, reprompt=False)
    return dataclasses.replace(flow, off_topic=None, fallback=fallback)


def zero_tolerance(flow: Flow) -> Flow:
    """``max_no_match: 0`` and every waiting step's ``on_exhausted`` set to the handoff."""
    handoff = handoff_step(flow)
    settings = dataclasses.replace(flow.settings, max_no_match=0)
    steps = {
        name: dataclasses.replace(step, on_exhausted=handoff) if step.waits else step
        for name, step in flow.steps.items()
    }
    return dataclasses.replace(flow, settings=settings, steps=steps)


def stricter(flow: Flow, threshold: float) -> Flow:
    """``settings.match_threshold`` raised to ``threshold``: fewer guesses, more reprompts."""
    settings = dataclasses.replace(flow.settings, match_threshold=threshold)
    return dataclasses.replace(flow, settings=settings)


__all__ = [
    "few_short_examples",
    "handoff_step",
    "main_path_intents",
    "repeat_intents",
    "stricter",
    "trim_examples",
    "without_intents",
    "without_off_topic",
    "without_repeat",
    "zero_tolerance",
]
