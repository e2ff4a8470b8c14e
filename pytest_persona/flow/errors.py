"""Diagnostics about a flow (or persona) file, always located as ``path:line:col``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One finding about an input file; ``key`` is dotted (``steps.confirm.routes[1].goto``)."""

    path: str
    line: int
    col: int
    key: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.key}: " if self.key else ""
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.col}: {label}{where}{self.message}"


class FlowError(Exception):
    """A flow or persona file that cannot be used; ``str()`` starts ``path:line:col:``.

    ``diagnostics`` holds every error found (at least one); the message shows them all.
    """

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic) -> None:
        found = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        if not found:
            raise ValueError("FlowError needs at least one diagnostic")
        self.diagnostics: tuple[Diagnostic, ...] = tuple(found)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @property
    def first(self) -> Diagnostic:
        return self.diagnostics[0]


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or "" when nothing is close.

    Closeness is optimal-string-alignment similarity, so a swap of two letters
    (``statsu``) costs one edit; ties go to the choice of the same length, then A-Z.
    """
    from rapidfuzz.distance import OSA  # here, not at import: persona names need no flow

    options = sorted(set(choices))
    if not options or word in options:
        return ""
    typed = word.casefold()

    def score(option: str) -> tuple[float, int]:
        return OSA.normalized_similarity(typed, option.casefold()), -abs(len(option) - len(word))

    best = max(options, key=score)  # max keeps the first of equals: options are sorted
    return f" (did you mean '{best}'?)" if score(best)[0] >= cutoff else ""
