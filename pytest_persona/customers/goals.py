"""Which goals a flow's customers can have, and why one of them cannot be reached.

Kept apart from the planner's search: it runs once per flow, before any conversation,
and explains an unreachable goal in the designer's terms (the branch that never holds).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from ..flow.errors import Diagnostic
from ..flow.lint import completed_ends
from ..flow.model import Branch, Flow, Goal, Step
from ..flow.yamlsource import nearest_position
from .planner import GoalUnreachable, Plan, Planner


def goals_with_plans(flow: Flow, planner: Planner) -> tuple[tuple[Goal, ...], tuple[Plan, ...]]:
    """The flow's goals with their plans from the start. A goal the file names and no
    customer can reach raises GoalUnreachable; a default one is left out, as
    flow-format.md says, unless that leaves none."""
    if flow.goals and not flow.default_goals:
        return flow.goals, tuple(check_goal(planner, goal, index) for index, goal in
                                 enumerate(flow.goals))
    candidates = flow.goals or tuple(Goal(end=name) for name in completed_ends(flow))
    found: list[tuple[Goal, Plan]] = []
    for goal in candidates:
        plan = planner.plan_from_start(goal)
        if plan is not None:
            found.append((goal, plan))
    if not found:
        first = candidates[0] if candidates else None
        why = f" ({first.end!r}: {_why_unreachable(planner, first)})" if first else ""
        raise GoalUnreachable(
            f"flow {flow.id!r}: no 'end: completed' step can be reached{why}", "start"
        )
    return tuple(g for g, _ in found), tuple(p for _, p in found)


def check_goal(planner: Planner, goal: Goal, index: int | None = None) -> Plan:
    """The plan from the start for ``goal``; GoalUnreachable, saying why, when there is
    none (located at ``goals[index].end`` when the goal is the file's)."""
    flow = planner.flow
    key = "" if index is None else f"goals[{index}].end"
    end = flow.steps.get(goal.end)
    if end is None or end.kind != "end":
        raise GoalUnreachable(f"goal {goal.end!r}: no end step of that name", key)
    found = planner.plan_from_start(goal)
    if found is not None:
        return found
    raise GoalUnreachable(f"goal {goal.end!r}: {_why_unreachable(planner, goal)}", key)


def located(flow: Flow, unreachable: GoalUnreachable) -> str:
    """Why a goal is out of reach, led by ``line:col:`` and the key to fix, as a flow
    file's errors are; the caller puts the path and a colon before it."""
    where = nearest_position(flow.positions, unreachable.key)
    key = f"{unreachable.key}: " if unreachable.key else ""
    return f"{where.line}:{where.col}: {key}{unreachable}"


def goal_diagnostics(flow: Flow) -> list[Diagnostic]:
    """What ``validate`` says of the goals once conditions are followed, as a test run
    would: an unreachable goal of the file's is an error, a default one left out is a
    warning, and so is a goal that takes more messages than ``max_turns`` allows."""
    from ..flow.advice import diagnostic

    planner = Planner(flow)
    if flow.goals and not flow.default_goals:
        lost = [
            diagnostic(flow, error.key, str(error))
            for error in _unreachable_goals(planner, flow.goals)
        ]
        if lost:
            return lost
    try:
        goals, plans = goals_with_plans(flow, planner)
    except GoalUnreachable as error:
        return [diagnostic(flow, error.key, str(error))]
    kept = {goal.end for goal in goals}
    left_out = [
        diagnostic(
            flow,
            f"steps.{goal.end}.end",
            f"no customer can reach this step ({_why_unreachable(planner, goal)}): "
            "it is left out of the default goals",
            "warning",
        )
        for goal in flow.goals
        if goal.end not in kept
    ]
    return left_out + _turn_budget(flow, goals, plans)


def _unreachable_goals(planner: Planner, goals: Sequence[Goal]) -> list[GoalUnreachable]:
    found: list[GoalUnreachable] = []
    for index, goal in enumerate(goals):
        try:
            check_goal(planner, goal, index)
        except GoalUnreachable as error:
            found.append(error)
    return found


def _why_unreachable(planner: Planner, goal: Goal) -> str:
    """Finds a way ignoring conditions, then the first branch on it that can never hold."""
    flow = planner.flow
    path = _any_path(flow, flow.start, goal.end, planner.global_gotos)
    if path is None:
        return (
            f"no way from {flow.start!r} over routes, next links, collect steps and global intents"
        )
    known: dict[str, tuple[str, str]] = {
        name: (value, "the goal's slots") for name, value in goal.slots.items()
    }
    for here, there in itertools.pairwise(path):
        step = flow.steps[here]
        for name, value in step.set.items():
            known[name] = (value, f"step {here!r} sets it")
        if not step.next or step.kind == "routes":
            continue
        for branch in step.next:
            possible = all(
                name not in known or known[name][0] in accepted
                for name, accepted in branch.when.items()
            )
            certain = all(
                name in known and known[name][0] in accepted
                for name, accepted in branch.when.items()
            )
            if branch.goto == there and possible:
                break
            if branch.goto == there or certain:
                return _blocked(here, there, branch, known, step)
    return "every way to it depends on values that never come out right"


def _blocked(
    here: str, there: str, branch: Branch, known: Mapping[str, tuple[str, str]], step: Step
) -> str:
    target = next(b for b in step.next if b.goto == there)
    if target is branch:
        name = next(n for n, ok in branch.when.items() if n in known and known[n][0] not in ok)
        value, source = known[name]
        need = " or ".join(repr(v) for v in branch.when[name])
        return (
            f"step {here!r} goes to {there!r} only if {name} is {need}, "
            f"but {name} is {value!r} ({source})"
        )
    return f"step {here!r} always takes its branch to {branch.goto!r} before {there!r}"


def _any_path(
    flow: Flow, start: str, end: str, globals_: Sequence[tuple[str, str | None]]
) -> list[str] | None:
    """Steps from ``start`` to ``end`` taking every link, whatever the conditions say."""
    parents: dict[str, str | None] = {start: None}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for name in frontier:
            step = flow.steps.get(name)
            if step is None or step.kind == "end":
                continue
            targets = [r.goto for r in step.routes] + [b.goto for b in step.next]
            if step.waits:
                targets += [goto for _, goto in globals_ if goto]
            for target in targets:
                if target not in parents:
                    parents[target] = name
                    following.append(target)
        frontier = following
    if end not in parents:
        return None
    path: list[str] = []
    cursor: str | None = end
    while cursor is not None:
        path.append(cursor)
        cursor = parents[cursor]
    return path[::-1]


def _turn_budget(flow: Flow, goals: Sequence[Goal], plans: Sequence[Plan]) -> list[Diagnostic]:
    """Goals whose shortest way takes more customer messages than ``max_turns`` allows:
    every customer with such a goal ends stuck, whatever the flow says."""
    from ..flow.advice import diagnostic

    limit = flow.settings.max_turns
    found: list[Diagnostic] = []
    for goal, plan in zip(goals, plans, strict=True):
        if plan.moves > limit:
            message = (
                f"reaching '{goal.end}' takes at least {plan.moves} customer messages, but "
                f"max_turns is {limit}: every such conversation ends stuck"
            )
            found.append(diagnostic(flow, "settings.max_turns", message, "warning"))
    return found
