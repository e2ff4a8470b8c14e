"""One step of a flow compiled for conversations: its say templates, routes, branches,
and the matcher and extractors the assistant fills in. Built once per ``Assistant`` and
read by every conversation, so a reply looks nothing up in the flow itself."""

from __future__ import annotations

from collections.abc import Mapping

from .advice import PLACEHOLDER
from .matcher import StepMatcher
from .model import Route, Step
from .slots import Extractor

__all__ = ["Condition", "StepPlan", "Template", "templates"]


class Template:
    """One assistant text with its ``{slot}`` references found once, at compile time."""

    __slots__ = ("_names", "_pieces", "refers", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        parts = PLACEHOLDER.split(text)
        self._pieces = tuple(parts[0::2])  # literal text around the references
        self._names = tuple(parts[1::2])
        self.refers = bool(self._names)  # False: ``render`` always gives ``text``

    def render(self, slots: Mapping[str, str]) -> str:
        if not self._names:
            return self.text
        out = [self._pieces[0]]
        for name, after in zip(self._names, self._pieces[1:], strict=True):
            out.append(slots.get(name, "{" + name + "}"))
            out.append(after)
        return "".join(out)


def templates(texts: tuple[str, ...]) -> tuple[Template, ...]:
    return tuple(Template(text) for text in texts)


Condition = tuple[tuple[str, frozenset[str]], ...]


class StepPlan:
    """Everything about one step that does not change between conversations."""

    __slots__ = (
        "branches", "buttons", "collect", "collector", "end", "labels", "matcher", "name",
        "no_match", "on_exhausted", "routes", "said", "say", "scans", "sets", "step", "waits",
    )  # fmt: skip

    def __init__(self, step: Step) -> None:
        self.step = step
        self.name = step.name
        self.say = templates(step.say)
        # The say texts themselves when none refers to a slot: most steps say the same.
        self.said = None if any(t.refers for t in self.say) else step.say
        self.no_match = templates(step.no_match)
        self.sets = tuple(step.set.items())
        self.routes: dict[str, Route] = {route.intent: route for route in step.routes}
        self.buttons = dict(step.buttons)
        self.labels = tuple(step.buttons)
        self.collect = step.collect
        self.on_exhausted = step.on_exhausted
        self.end = step.end
        self.waits = step.waits
        self.branches: tuple[tuple[Condition, str], ...] = tuple(
            (tuple((k, frozenset(v)) for k, v in b.when.items()), b.goto) for b in step.next
        )
        self.matcher: StepMatcher | None = None
        self.collector: Extractor | None = None
        self.scans: tuple[tuple[str, Extractor], ...] = ()

    def spoken(self, slots: Mapping[str, str]) -> tuple[str, ...]:
        """The step's say texts as said now, with the slots they name filled in."""
        if self.said is not None:
            return self.said
        return tuple([t.render(slots) for t in self.say])
