"""The customer's map: the shortest way from where the assistant waits to the goal.

A goal that fixes a detail ("slots: {address: ...}") says what its customer gives, so
its customer takes the shortest way on which it is asked for that detail, where there is
one: a delivery customer, not the shortest collection. Otherwise the shortest way wins.

The search runs over waiting steps reached through routes, ``collect`` steps and
global intents with ``goto``; the steps that only move on are followed at once, their
``set`` values applied and their branches evaluated against what is known: ``set``
constants and the customer's own details. A branch on an unknown value may go either
way. A branch on a detail the customer has not fixed yet (``FREE``) is taken by
choosing the value, which is how a customer picks the answer its goal needs.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..flow.model import Branch, Flow, Goal, Step

FREE = "\x00free"  # a detail the customer may still choose
OTHER = "\x00other"  # in plan memo keys: any value no branch tests for and no step sets
Env = tuple[str | None, ...]
MOVE_COST = 10
GLOBAL_PENALTY = 1  # prefer the flow's own routes over jumping with a global intent
# Reaching the goal without being asked for a detail the goal fixes costs more than any
# way that asks for it: many moves, so the detour is always worth it.
UNASKED_PENALTY = 1000 * MOVE_COST
_MAX_PASS_THROUGH = 64
MAX_MEMO = 100_000  # memoised searches and moves per planner; past this, worked out afresh


class GoalUnreachable(Exception):
    """A goal whose end step no customer can reach; ``str()`` says which and why, and
    ``key`` names the flow's entry to fix (``goals[0].end``), for its line and column."""

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Action:
    kind: Literal["intent", "slot"]
    name: str


@dataclass(frozen=True)
class Plan:
    """The next move toward a goal and what the rest of the way looks like."""

    action: Action | None  # None: the goal is reached without another message
    moves: int  # customer messages still needed, this one included
    slots: tuple[str, ...]  # details collected on the way, in order
    chosen: Mapping[str, str] = field(default_factory=dict)  # values picked for branches


@dataclass(frozen=True)
class Landing:
    """Where entering a step comes to rest: a waiting step or an end step."""

    step: str
    env: Env
    ended: bool


# What each message at a waiting step does: (action, where it may land, cost).
Moves = tuple[tuple[Action, tuple[Landing, ...], int], ...]
# A search state: the waiting step, the known values, the fixed details not asked yet.
_State = tuple[str, Env, frozenset[str]]
_NONE_OWED: frozenset[str] = frozenset()
_UNPLANNED = Plan(None, -1, ())  # a plan memo's "not worked out yet" (None is an answer)


class Planner:
    """Shortest ways over one flow; answers are cached per (step, goal, known values)."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        names: set[str] = set()
        for step in flow.steps.values():
            for branch in step.next:
                names.update(branch.when)
        self.names: tuple[str, ...] = tuple(sorted(names))
        self._index = {name: i for i, name in enumerate(self.names)}
        # Per name: the values that can change a search (tested or set somewhere).
        telling: dict[str, set[str]] = {name: set() for name in self.names}
        for step in flow.steps.values():
            for branch in step.next:
                for name, accepted in branch.when.items():
                    telling[name].update(accepted)
            for name in telling.keys() & step.set.keys():
                telling[name].add(step.set[name])
        self._telling = tuple(frozenset(telling[name]) for name in self.names)
        self.global_gotos = tuple(
            (intent.name, intent.global_action.goto)
            for intent in flow.intents.values()
            if intent.global_action is not None and intent.global_action.goto
        )
        # The step that asks for each slot (the last, if several do).
        self.asking_step = {s.collect: name for name, s in flow.steps.items() if s.collect}
        self._cache: dict[tuple[str, str, Env, frozenset[str]], Plan | None] = {}
        self._moves: dict[tuple[str, Env], Moves] = {}
        self._memo_envs: dict[Env, Env] = {}

    # --- values --------------------------------------------------------------------
    def env_of(self, values: Mapping[str, str | None]) -> Env:
        """The known values of the names that branches test, in a fixed order."""
        return tuple(map(values.get, self.names))

    def owed(self, goal: Goal) -> frozenset[str]:
        """The details ``goal`` fixes that some step asks for: its way should ask them."""
        return frozenset(goal.slots).intersection(self.asking_step)

    def start_env(self, goal: Goal) -> Env:
        """What is known before the conversation: the goal's details; other slots free."""
        return tuple(
            goal.slots.get(name, FREE if name in self.flow.slots else None) for name in self.names
        )

    def _apply_set(self, env: Env, step: Step) -> Env:
        if not step.set or not self.names:
            return env
        values = list(env)
        for name, value in step.set.items():
            at = self._index.get(name)
            if at is not None:
                values[at] = value
        return tuple(values)

    def _test(self, when: Mapping[str, tuple[str, ...]], env: Env) -> tuple[bool | None, Env]:
        """True, False or None (may go either way), and the env with free choices made."""
        verdict: bool | None = True
        values = list(env)
        for name, accepted in when.items():
            at = self._index[name]
            value = values[at]
            if value == FREE:
                values[at] = accepted[0]
                verdict = None
            elif value is None:
                verdict = None
            elif value not in accepted:
                return False, env
        return verdict, tuple(values)

    # --- following steps that do not wait ------------------------------------------
    def enter(self, name: str, env: Env) -> list[Landing]:
        """Every place entering ``name`` may come to rest, given what is known."""
        out: list[Landing] = []
        self._enter(name, env, 0, out)
        return out

    def _enter(self, name: str, env: Env, depth: int, out: list[Landing]) -> None:
        step = self.flow.steps.get(name)
        if step is None or depth > _MAX_PASS_THROUGH:
            return
        env = self._apply_set(env, step)
        if step.kind == "end" or step.waits:
            out.append(Landing(name, env, step.kind == "end"))
            return
        self._branches(step.next, env, depth, out)

    def _branches(
        self, branches: Sequence[Branch], env: Env, depth: int, out: list[Landing]
    ) -> None:
        for branch in branches:
            verdict, taken = self._test(branch.when, env) if branch.when else (True, env)
            if verdict is False:
                continue
            self._enter(branch.goto, taken, depth + 1, out)
            if verdict:
                return

    def moves_from(self, name: str, env: Env) -> Moves:
        """Each message the customer can send at waiting step ``name``: action, landings,
        cost. Every search asks again and again, so it is memoised (shared: read only)."""
        found = self._moves.get((name, env))
        if found is None:
            found = self._moves_from(name, env)
            if len(self._moves) < MAX_MEMO:
                self._moves[name, env] = found
        return found

    def _moves_from(self, name: str, env: Env) -> Moves:
        step = self.flow.steps[name]
        found: list[tuple[Action, tuple[Landing, ...], int]] = []
        if step.kind == "routes":
            for route in step.routes:
                cleared = self._clear(env, route.clear)
                found.append((Action("intent", route.intent),
                              tuple(self.enter(route.goto, cleared)), MOVE_COST))  # fmt: skip
        elif step.kind == "collect" and step.collect:
            landings: list[Landing] = []
            self._branches(step.next, env, 0, landings)
            found.append((Action("slot", step.collect), tuple(landings), MOVE_COST))
        routed = {route.intent for route in step.routes}
        for intent, goto in self.global_gotos:
            if intent not in routed and goto:
                found.append((Action("intent", intent), tuple(self.enter(goto, env)),
                              MOVE_COST + GLOBAL_PENALTY))  # fmt: skip
        return tuple(found)

    def _clear(self, env: Env, names: Sequence[str]) -> Env:
        if not names or not self.names:
            return env
        values = list(env)
        for name in names:
            at = self._index.get(name)
            if at is not None and name not in self.flow.slots:
                values[at] = None
        return tuple(values)

    # --- the search ----------------------------------------------------------------
    def plan(
        self, step: str, goal_end: str, env: Env, owed: frozenset[str] = _NONE_OWED
    ) -> Plan | None:
        """The shortest way from waiting step ``step`` (asking for the ``owed`` details on
        the way where it can); None when the goal is out of reach."""
        key = (step, goal_end, self.memo_env(env), owed)
        found = self._cache.get(key, _UNPLANNED)
        if found is _UNPLANNED:
            found = self._search([Landing(step, env, False)], goal_end, env, owed)
            if len(self._cache) < MAX_MEMO:
                self._cache[key] = found
        return found

    def memo_env(self, env: Env) -> Env:
        """``env`` as a search tells it apart: a value no branch tests for and no step
        sets (a customer's order number) is only ever "not an accepted value", so all
        such values read as ``OTHER``; a plan never shows them (``chosen`` holds values
        picked for free details), so envs that read the same have the same plans."""
        found = self._memo_envs.get(env)
        if found is None:
            found = tuple(
                value if value is None or value in telling or value == FREE else OTHER
                for value, telling in zip(env, self._telling, strict=True)
            )
            if len(self._memo_envs) < MAX_MEMO:
                self._memo_envs[env] = found
        return found

    def plan_from_start(self, goal: Goal) -> Plan | None:
        env = self.start_env(goal)
        return self._search(self.enter(self.flow.start, env), goal.end, env, self.owed(goal))

    def _search(
        self, seeds: list[Landing], goal_end: str, origin: Env, owed: frozenset[str]
    ) -> Plan | None:
        counter = itertools.count()
        queue: list[tuple[int, int, _State]] = []
        # state -> (cost, parent state, action taken from parent)
        best: dict[_State, tuple[int, _State | None, Action | None]] = {}
        for seed in seeds:
            if seed.ended:
                if seed.step == goal_end:
                    return Plan(None, 0, (), _chosen(self.names, origin, seed.env))
                continue
            state = (seed.step, seed.env, owed)
            if state not in best:
                best[state] = (0, None, None)
                heapq.heappush(queue, (0, next(counter), state))
        done: set[_State] = set()
        while queue:
            cost, _, state = heapq.heappop(queue)
            if state in done:
                continue
            done.add(state)
            name, env, owing = state
            if name == goal_end:
                return self._plan_back(state, best, origin)
            for action, landings, step_cost in self.moves_from(name, env):
                total = cost + step_cost
                left = owing - {action.name} if owing and action.kind == "slot" else owing
                for landing in landings:
                    arrival = total
                    if landing.ended:
                        if landing.step != goal_end:
                            continue
                        arrival += UNASKED_PENALTY * len(left)
                    nxt = (landing.step, landing.env, left)
                    known = best.get(nxt)
                    if known is None or arrival < known[0]:
                        best[nxt] = (arrival, state, action)
                        heapq.heappush(queue, (arrival, next(counter), nxt))
        return None

    def _plan_back(
        self,
        state: _State,
        best: Mapping[_State, tuple[int, _State | None, Action | None]],
        origin: Env,
    ) -> Plan:
        actions: list[Action] = []
        cursor: _State | None = state
        while cursor is not None:
            _, parent, action = best[cursor]
            if action is not None:
                actions.append(action)
            cursor = parent
        actions.reverse()
        slots = tuple(a.name for a in actions if a.kind == "slot")
        first = actions[0] if actions else None
        return Plan(first, len(actions), slots, _chosen(self.names, origin, state[1]))

    # --- questions about the flow's shape ------------------------------------------
    def leads_to(self, name: str, outcome: str) -> bool:
        """Whether entering ``name`` can end the conversation with ``outcome`` at once."""
        env: Env = tuple(None for _ in self.names)
        return any(
            landing.ended and self.flow.steps[landing.step].end == outcome
            for landing in self.enter(name, env)
        )


def _chosen(names: tuple[str, ...], origin: Env, final: Env) -> dict[str, str]:
    return {
        name: value
        for name, before, value in zip(names, origin, final, strict=True)
        if before == FREE and value is not None and value != FREE
    }
