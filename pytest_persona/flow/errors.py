"""Diagnostics about a flow (or persona) file, always located as ``path:line:col``."""

from __future__ import annotations

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
