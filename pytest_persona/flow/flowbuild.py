"""Turn a schema-valid flow tree into the frozen model, catching what a schema cannot say.

The JSON Schema has already checked structure and types; here the shapes become
dataclasses (shorthands expanded, scalars stringified as written) and the rules that
span several keys are checked: one behaviour per step, where a branch's default goes,
which slot keys belong to which type, warn on the right side of its limit. Every
problem is collected, so one pass reports them all; the Flow built alongside is then
only good for linting (it stands in where a value was wrong).
"""

from __future__ import annotations

import math
from typing import cast

from .errors import Diagnostic
from .model import (
    HIGHER_IS_BETTER,
    METRICS,
    Branch,
    EndOutcome,
    Fallback,
    Flow,
    FlowSettings,
    FlowThresholds,
    GlobalAction,
    Goal,
    Intent,
    Limit,
    Metric,
    OffTopic,
    Position,
    Route,
    Slot,
    SlotType,
    Step,
    StepKind,
    Thresholds,
)
from .yamlsource import (
    Entry,
    KeyPath,
    MapNode,
    Node,
    ScalarNode,
    SeqNode,
    format_path,
    located,
    position_of,
    positions,
)

SCAN_BY_DEFAULT = frozenset({"pattern", "choice", "email", "phone"})
_SLOT_TYPE_KEYS = {"pattern": "pattern", "values": "choice", "min": "number", "max": "number"}
# Keys that only make sense on some kinds of step, and how to say which.
_ONLY_FOR: dict[str, tuple[tuple[str, ...], str]] = {
    "buttons": (("routes",), "with routes"),
    "no_match": (("routes", "collect"), "that waits (routes or collect)"),
    "on_exhausted": (("routes", "collect"), "that waits (routes or collect)"),
}
_EMPTY = MapNode((), Position(1, 1))


def text(node: Node | None) -> str:
    """A scalar as text: strings as they are, numbers as written in the file."""
    if not isinstance(node, ScalarNode) or node.value is None:
        return ""
    return node.value if isinstance(node.value, str) else node.text


def texts(node: Node | None) -> tuple[str, ...]:
    """One text or a list of texts, as a tuple (``None`` is empty)."""
    if isinstance(node, SeqNode):
        return tuple(text(item) for item in node.items)
    if isinstance(node, ScalarNode) and node.value is not None:
        return (text(node),)
    return ()


def mapping(node: Node | None) -> MapNode:
    return node if isinstance(node, MapNode) else _EMPTY


def _seq(node: Node | None) -> tuple[Node, ...]:
    return node.items if isinstance(node, SeqNode) else ()


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class FlowBuilder:
    """Builds one Flow from its tree; ``errors`` collects what could not be built."""

    def __init__(self, root: MapNode, path: str) -> None:
        self.root = root
        self.path = path
        self.errors: list[Diagnostic] = []

    def error(self, parts: KeyPath, message: str) -> None:
        where = position_of(self.root, parts)
        self.errors.append(located(self.path, where, format_path(parts), message))

    def number(self, node: Node | None, parts: KeyPath, default: float) -> float:
        if not isinstance(node, ScalarNode) or isinstance(node.value, bool):
            return default
        if not isinstance(node.value, (int, float)):
            return default
        if not math.isfinite(node.value):
            self.error(parts, f"must be a finite number, got {node.text}")
            return default
        return float(node.value)

    def build(self, content_hash: str) -> Flow:
        root = self.root
        return Flow(
            id=text(root.get("flow")),
            start=text(root.get("start")),
            description=text(root.get("description")),
            settings=self._settings(mapping(root.get("settings"))),
            intents={e.key: self._intent(e.key, mapping(e.value)) for e in self._items("intents")},
            slots={e.key: self._slot(e.key, mapping(e.value)) for e in self._items("slots")},
            steps={e.key: self._step(e.key, mapping(e.value)) for e in self._items("steps")},
            off_topic=self._off_topic(root.get("off_topic")),
            fallback=self._fallback(mapping(root.get("fallback"))),
            goals=tuple(self._goal(i, mapping(n)) for i, n in enumerate(_seq(root.get("goals")))),
            thresholds=self._thresholds(mapping(root.get("thresholds"))),
            path=self.path,
            content_hash=content_hash,
            positions=positions(root),
        )

    def _items(self, key: str) -> tuple[Entry, ...]:
        return mapping(self.root.get(key)).entries

    def _settings(self, node: MapNode) -> FlowSettings:
        base = FlowSettings()
        at = ("settings",)
        return FlowSettings(
            match_threshold=self.number(
                node.get("match_threshold"), (*at, "match_threshold"), base.match_threshold
            ),
            ambiguity_margin=self.number(
                node.get("ambiguity_margin"), (*at, "ambiguity_margin"), base.ambiguity_margin
            ),
            max_no_match=int(
                self.number(node.get("max_no_match"), (*at, "max_no_match"), base.max_no_match)
            ),
            max_turns=int(self.number(node.get("max_turns"), (*at, "max_turns"), base.max_turns)),
        )

    def _intent(self, name: str, node: MapNode) -> Intent:
        action = None
        spec = node.get("global")
        if isinstance(spec, MapNode):
            action = self._global(spec, ("intents", name, "global"))
        return Intent(
            name=name,
            examples=texts(node.get("examples")),
            test_phrases=texts(node.get("test_phrases")),
            global_action=action,
        )

    def _global(self, node: MapNode, at: KeyPath) -> GlobalAction:
        goto = node.get("goto")
        returns = text(node.get("then")) == "return"
        if goto is None and not returns:
            self.error(at, "a global intent needs 'goto: STEP' or 'then: return'")
        if goto is not None and returns:
            self.error((*at, "then"), "'goto' and 'then: return' exclude each other; keep one")
        return GlobalAction(
            goto=text(goto) if goto is not None else None,
            say=texts(node.get("say")),
            then_return=returns,
        )

    def _slot(self, name: str, node: MapNode) -> Slot:
        kind = text(node.get("type")) or "text"
        at = ("slots", name)
        for key, owner in _SLOT_TYPE_KEYS.items():
            if key in node and owner != kind:
                self.error((*at, key), f"'{key}' is only for type: {owner} (this slot is {kind})")
        low = self._optional_number(node.get("min"), (*at, "min"))
        high = self._optional_number(node.get("max"), (*at, "max"))
        if low is not None and high is not None and low > high:
            self.error((*at, "min"), f"min ({low:g}) is above max ({high:g})")
        scan = node.get("scan")
        return Slot(
            name=name,
            type=cast(SlotType, kind),
            scan=scan.value
            if isinstance(scan, ScalarNode) and isinstance(scan.value, bool)
            else kind in SCAN_BY_DEFAULT,
            examples=texts(node.get("examples")),
            pattern=text(node.get("pattern")) or None,
            values=self._choice_values(node.get("values")),
            minimum=low,
            maximum=high,
        )

    def _optional_number(self, node: Node | None, parts: KeyPath) -> float | None:
        return None if node is None else self.number(node, parts, 0.0)

    @staticmethod
    def _choice_values(node: Node | None) -> dict[str, tuple[str, ...]]:
        if isinstance(node, SeqNode):
            return {text(item): () for item in node.items}
        return {e.key: texts(e.value) for e in mapping(node).entries}

    def _off_topic(self, node: Node | None) -> OffTopic | None:
        if not isinstance(node, MapNode):
            return None
        return OffTopic(
            examples=texts(node.get("examples")),
            say=texts(node.get("say")),
            then_return=text(node.get("then")) == "return",
        )

    @staticmethod
    def _fallback(node: MapNode) -> Fallback:
        base = Fallback()
        reprompt = node.get("reprompt")
        return Fallback(
            say=texts(node.get("say")) if "say" in node else base.say,
            reprompt=reprompt.value is True if isinstance(reprompt, ScalarNode) else base.reprompt,
        )

    def _step(self, name: str, node: MapNode) -> Step:
        at = ("steps", name)
        kind = self._step_kind(node, at)
        say = texts(node.get("say"))
        if kind in ("routes", "collect") and not any(line.strip() for line in say):
            message = "a waiting step needs 'say': the question the customer answers"
            if "say" in node:  # a blank text is no question either
                self.error((*at, "say"), f"{message}; this one is empty")
            else:
                self.error(at, message)
        self._check_waiting_only(node, at, kind)
        return Step(
            name=name,
            kind=kind,
            say=say,
            routes=tuple(self._route(mapping(n)) for n in _seq(node.get("routes"))),
            collect=text(node.get("collect")) or None,
            next=self._branches(node.get("next"), (*at, "next")),
            end=cast(EndOutcome, text(node.get("end")))
            if kind == "end" and "end" in node
            else None,
            set={e.key: text(e.value) for e in mapping(node.get("set")).entries},
            buttons=self._buttons(mapping(node.get("buttons")), (*at, "buttons")),
            no_match=texts(node.get("no_match")),
            on_exhausted=text(node.get("on_exhausted")) or None,
        )

    def _step_kind(self, node: MapNode, at: KeyPath) -> StepKind:
        keys = node.keys()
        plain_next = "next" in keys and "collect" not in keys
        present = {
            "routes": "routes" in keys,
            "collect": "collect" in keys,
            "next": plain_next,
            "end": "end" in keys,
        }
        kinds = [cast(StepKind, k) for k, there in present.items() if there]
        if not kinds:
            self.error(at, "a step needs one behaviour: routes, collect (with next), next or end")
            return "end"
        if len(kinds) > 1:
            found = _and_list([str(k) for k in kinds])
            self.error(
                at,
                f"a step has exactly one behaviour (routes, collect, next or end); "
                f"this one has {found}",
            )
        return kinds[0]

    def _check_waiting_only(self, node: MapNode, at: KeyPath, kind: StepKind) -> None:
        for key, (kinds, what) in _ONLY_FOR.items():
            if key in node and kind not in kinds:
                self.error((*at, key), f"'{key}' is only for a step {what}")

    def _buttons(self, node: MapNode, at: KeyPath) -> dict[str, str]:
        for entry in node.entries:
            if not entry.key.strip():  # at the key: its dotted path would end in nothing
                self.errors.append(located(
                    self.path, entry.key_pos, format_path(at),
                    "a button needs a label: the text the customer sees and clicks",
                ))
        return {e.key: text(e.value) for e in node.entries}

    @staticmethod
    def _route(node: MapNode) -> Route:
        return Route(
            intent=text(node.get("intent")),
            goto=text(node.get("goto")),
            clear=texts(node.get("clear")),
        )

    def _branches(self, node: Node | None, at: KeyPath) -> tuple[Branch, ...]:
        if isinstance(node, ScalarNode):
            return (Branch(goto=text(node)),)
        items = _seq(node)
        branches = []
        for index, item in enumerate(items):
            spec = mapping(item)
            condition = spec.get("if")
            last = index == len(items) - 1
            if condition is None and not last:
                self.error((*at, index), "only the last branch may have no 'if' (the default)")
            if condition is not None and last:
                self.error(
                    (*at, index, "if"),
                    "the last branch must have no 'if': it is the "
                    "default taken when no other branch holds",
                )
            when = {e.key: texts(e.value) for e in mapping(condition).entries}
            branches.append(Branch(goto=text(spec.get("goto")), when=when))
        return tuple(branches)

    def _goal(self, index: int, node: MapNode) -> Goal:
        return Goal(
            end=text(node.get("end")),
            weight=self.number(node.get("weight"), ("goals", index, "weight"), 1.0),
            slots={e.key: text(e.value) for e in mapping(node.get("slots")).entries},
        )

    def _thresholds(self, node: MapNode) -> FlowThresholds:
        personas = {
            e.key: self._limits(mapping(e.value), ("thresholds", "personas", e.key))
            for e in mapping(node.get("personas")).entries
        }
        return FlowThresholds(flow=self._limits(node, ("thresholds",)), personas=personas)

    def _limits(self, node: MapNode, at: KeyPath) -> Thresholds:
        found: dict[str, Limit] = {}
        for metric in METRICS:
            value = node.get(metric)
            if value is not None:
                found[metric] = self._limit(value, metric, (*at, metric))
        return Thresholds(**found)

    def _limit(self, node: Node, metric: Metric, at: KeyPath) -> Limit:
        if isinstance(node, ScalarNode):
            return Limit(limit=self.number(node, at, 0.0))
        spec = mapping(node)
        higher = HIGHER_IS_BETTER[metric]
        bound_key = "min" if higher else "max"
        bound = spec.get(bound_key)
        warn = spec.get("warn")
        limit = None if bound is None else self.number(bound, (*at, bound_key), 0.0)
        warning = None if warn is None else self.number(warn, (*at, "warn"), 0.0)
        if (
            limit is not None
            and warning is not None
            and (warning < limit if higher else warning > limit)
        ):
            side = "at or above" if higher else "at or below"
            self.error(
                (*at, "warn"),
                f"warn ({warning:g}) must be {side} {bound_key} "
                f"({limit:g}): amber lies between them",
            )
        return Limit(limit=limit, warn=warning)
