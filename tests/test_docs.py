"""The generated persona reference matches the code, and the README's commands exist."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_persona_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location("persona_table", ROOT / "tools/persona_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (ROOT / "docs/personas.md").read_text(encoding="utf-8")
    assert written == module.render(), "run: python tools/persona_table.py"


def test_readme_opens_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    head = "\n".join(lines[:30])
    assert "pytest example_flows" in head
    assert "pytest -n 2 tests" in head or "pytest tests" in head
