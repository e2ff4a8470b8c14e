"""Checks that need the whole flow: references, reachability, loops, goals, patterns.

Runs on the model after the schema and the builder, so every name is a plain string
here. Errors make a flow unusable; warnings (see :mod:`advice`) never do. The graph
helpers (:func:`successors`, :func:`reachable_steps`, :func:`next_loops`) are public:
the planner and the CLI use the same idea of "reachable".
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from .advice import advice, diagnostic, listed_key
from .errors import Diagnostic, did_you_mean
from .model import Flow, Step
from .patterns import pattern_problem
from .valuechecks import (
    branch_value_errors,
    choice_clash_errors,
    goal_value_errors,
    wordless_errors,
)


def successors(flow: Flow, step: Step) -> tuple[str, ...]:
    """Steps a conversation can go to from ``step`` (known steps only, in file order)."""
    targets = [route.goto for route in step.routes]
    targets += [branch.goto for branch in step.next]
    if step.on_exhausted:
        targets.append(step.on_exhausted)
    if step.waits:
        targets += [
            i.global_action.goto
            for i in flow.global_intents
            if i.global_action is not None and i.global_action.goto
        ]
    return tuple(dict.fromkeys(t for t in targets if t in flow.steps))


def _closure(starts: Iterable[str], edges: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    seen = set(starts)
    queue = deque(sorted(seen))
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return frozenset(seen)


def reachable_steps(flow: Flow) -> frozenset[str]:
    """Steps a conversation can reach from ``start`` (empty when start is unknown)."""
    if flow.start not in flow.steps:
        return frozenset()
    edges = {name: successors(flow, step) for name, step in flow.steps.items()}
    return _closure([flow.start], edges)


def steps_leading_to(flow: Flow, targets: Iterable[str]) -> frozenset[str]:
    """Steps from which one of ``targets`` can be reached (the targets included)."""
    reverse: dict[str, list[str]] = {}
    for name, step in flow.steps.items():
        for target in successors(flow, step):
            reverse.setdefault(target, []).append(name)
    edges = {k: tuple(v) for k, v in reverse.items()}
    return _closure([t for t in targets if t in flow.steps], edges)


def completed_ends(flow: Flow) -> tuple[str, ...]:
    """Names of ``end: completed`` steps, in file order."""
    return tuple(n for n, s in flow.steps.items() if s.kind == "end" and s.end == "completed")


def _cycle_from(start: str, edges: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    """The shortest cycle through ``start`` (as a path back to it), or None."""
    parent: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for target in edges.get(node, ()):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if target not in parent:
                parent[target] = node
                queue.append(target)
    return None


def next_loops(flow: Flow, kinds: tuple[str, ...] = ("next",)) -> list[list[str]]:
    """Cycles made of ``next`` links among steps of the given kinds, one per loop.

    With the default, each is a loop with no waiting step: the engine would go round
    it forever. Each cycle starts (and ends) at its first step in file order.
    """
    edges = {
        name: tuple(
            b.goto for b in step.next if b.goto in flow.steps and flow.steps[b.goto].kind in kinds
        )
        for name, step in flow.steps.items()
        if step.kind in kinds
    }
    loops: list[list[str]] = []
    covered: set[str] = set()
    for name in edges:
        if name in covered:
            continue
        cycle = _cycle_from(name, edges)
        if cycle is not None:
            loops.append(cycle)
            covered.update(_closure([name], edges) & steps_within(cycle[0], edges))
    return loops


def steps_within(start: str, edges: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    """Steps that can get back to ``start`` along ``edges``."""
    reverse: dict[str, list[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, []).append(source)
    return _closure([start], {k: tuple(v) for k, v in reverse.items()})


def lint(flow: Flow) -> list[Diagnostic]:
    """Every error and warning about a built flow: errors first, then by position."""
    reachable = reachable_steps(flow)
    towards = steps_leading_to(flow, [goal.end for goal in flow.goals])
    references = reference_errors(flow)
    found = [*references, *pattern_errors(flow), *wordless_errors(flow)]
    found += choice_clash_errors(flow)
    found += branch_value_errors(flow)
    if not references:
        # A misspelt step name also cuts the graph; report the cause, not its echoes.
        found += [*graph_findings(flow), *goal_errors(flow, reachable)]
    found += advice(flow, reachable, towards)
    return sorted(found, key=lambda d: (d.severity != "error", d.line, d.col, d.key))


class _Names:
    """Checks names against what the flow defines, suggesting near misses."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self.found: list[Diagnostic] = []
        self.set_names = {name for step in flow.steps.values() for name in step.set}

    def check(self, key: str, name: str | None, known: Iterable[str], what: str) -> None:
        known = list(known)
        if name is not None and name not in known:
            message = f"unknown {what} '{name}'{did_you_mean(name, known)}"
            self.found.append(diagnostic(self.flow, key, message))

    def step(self, key: str, name: str | None) -> None:
        self.check(key, name, self.flow.steps, "step")

    def variable(self, key: str, name: str, what: str = "slot") -> None:
        self.check(key, name, [*self.flow.slots, *sorted(self.set_names)], what)


def reference_errors(flow: Flow) -> list[Diagnostic]:
    """Unknown steps, intents and slots wherever the flow names one."""
    names = _Names(flow)
    names.step("start", flow.start)
    for name, step in flow.steps.items():
        _step_references(names, f"steps.{name}", step)
    for name, intent in flow.intents.items():
        if intent.global_action is not None:
            names.step(f"intents.{name}.global.goto", intent.global_action.goto)
    for index, goal in enumerate(flow.goals):
        for slot in goal.slots:
            names.check(f"goals[{index}].slots.{slot}", slot, flow.slots, "slot")
    return names.found


def _step_references(names: _Names, at: str, step: Step) -> None:
    flow, intents = names.flow, names.flow.intents
    for i, route in enumerate(step.routes):
        names.check(f"{at}.routes[{i}].intent", route.intent, intents, "intent")
        names.step(f"{at}.routes[{i}].goto", route.goto)
        for j, slot in enumerate(route.clear):
            names.variable(listed_key(flow, f"{at}.routes[{i}].clear", j), slot)
    if step.collect is not None:
        names.check(f"{at}.collect", step.collect, flow.slots, "slot")
    for i, branch in enumerate(step.next):
        names.step(listed_key(flow, f"{at}.next", i, ".goto"), branch.goto)
        for slot in branch.when:
            names.variable(f"{at}.next[{i}].if.{slot}", slot, "slot or 'set' name")
    names.step(f"{at}.on_exhausted", step.on_exhausted)
    if step.kind != "routes":
        return  # buttons elsewhere are already an error of their own: one is enough
    for label, intent in step.buttons.items():
        names.check(f"{at}.buttons.{label}", intent, intents, "intent")


def pattern_errors(flow: Flow) -> list[Diagnostic]:
    """Slot patterns that do not compile or could hang on a long message."""
    found = []
    for name, slot in flow.slots.items():
        problem = pattern_problem(slot.pattern) if slot.pattern is not None else None
        if problem:
            found.append(diagnostic(flow, f"slots.{name}.pattern", problem))
    return found


def graph_findings(flow: Flow) -> list[Diagnostic]:
    """Endless ``next`` loops (errors) and loops only collect steps break (warnings)."""
    found = []
    loops = next_loops(flow)
    for cycle in loops:
        message = f"a loop of next links with no waiting step: {' -> '.join(cycle)}"
        found.append(diagnostic(flow, f"steps.{cycle[0]}.next", message))
    looped = {name for cycle in loops for name in cycle}
    for cycle in next_loops(flow, ("next", "collect")):
        if looped.isdisjoint(cycle):
            slots = sorted({s for n in cycle if (s := flow.steps[n].collect)})
            message = (
                f"a loop with no routes step: {' -> '.join(cycle)}; once {', '.join(slots)} "
                "is filled its collect step is skipped, so the loop never waits again"
            )
            found.append(diagnostic(flow, f"steps.{cycle[0]}.next", message, "warning"))
    return found


def goal_errors(flow: Flow, reachable: frozenset[str]) -> list[Diagnostic]:
    """Goals must be reachable ``end: completed`` steps, and one such step must exist;
    ``reachable`` is :func:`reachable_steps` of the flow."""
    found = []
    for index, goal in enumerate(flow.goals):
        key = f"goals[{index}].end"
        step = flow.steps.get(goal.end)
        if step is None:
            message = f"unknown step '{goal.end}'{did_you_mean(goal.end, flow.steps)}"
            found.append(diagnostic(flow, key, message))
        elif step.kind != "end" or step.end != "completed":
            found.append(
                diagnostic(flow, key, f"step '{goal.end}' is not an 'end: completed' step")
            )
        elif flow.start in flow.steps and goal.end not in reachable:
            message = f"step '{goal.end}' cannot be reached from start '{flow.start}'"
            found.append(diagnostic(flow, key, message))
    if flow.start in flow.steps and not set(completed_ends(flow)) & reachable:
        message = (
            f"no 'end: completed' step can be reached from start '{flow.start}': "
            "no conversation could ever complete"
        )
        found.append(diagnostic(flow, "start", message))
    return found + goal_value_errors(flow)
