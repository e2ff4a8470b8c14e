"""Flow texts and helpers shared by the loader and lint tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_persona.flow.errors import FlowError
from pytest_persona.flow.loader import load_flow_text

# Fixture flows are named *.yaml, not *.flow.yaml, so the plugin does not collect them
# as persona items when this test suite runs.
FLOWS = Path(__file__).parent / "flows"
MINI = (FLOWS / "mini.yaml").read_text(encoding="utf-8")
SPEC = FLOWS / "order_status.yaml"
NAME = "m.flow.yaml"
SLOTS = "slots:\n  name: {type: text, examples: [Ann, Bob, Cy]}\n"


def where(text: str, needle: str, nth: int = 0) -> str:
    """``path:line:col:`` of the nth occurrence of ``needle`` in ``text`` (-1: the last)."""
    index = text.rindex(needle) if nth < 0 else -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{NAME}:{line}:{col}:"


def errors_of(text: str) -> list[str]:
    """Every error the loader reports for ``text``, as printed."""
    with pytest.raises(FlowError) as info:
        load_flow_text(text, NAME)
    return [str(d) for d in info.value.diagnostics]


def edit(*pairs: tuple[str, str], base: str = MINI) -> str:
    """``base`` with each (old, new) replaced once; old must be there."""
    text = base
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def with_steps(steps: str, *pairs: tuple[str, str]) -> str:
    """MINI with extra steps inserted before ``bye``, plus other edits."""
    return edit(("  bye:\n", steps + "  bye:\n"), *pairs)


def validated(flow: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``text`` written to ``flow`` and checked by ``pytest-persona validate``: the exit
    code and what was printed."""
    from pytest_persona.cli import main

    flow.write_text(text, encoding="utf-8")
    code = main(["validate", str(flow)])
    return code, capsys.readouterr().out
