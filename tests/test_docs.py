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


def _yaml_blocks(text: str) -> list[str]:
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        if line.startswith("```yaml"):
            inside, current = True, []
        elif line.startswith("```") and inside:
            inside = False
            blocks.append("\n".join(current) + "\n")
        elif inside:
            current.append(line)
    return blocks


def test_readme_first_flow_loads_without_errors_and_completes() -> None:
    from pytest_persona import simulate
    from pytest_persona.flow.loader import check_flow_text

    flows = [b for b in _yaml_blocks((ROOT / "README.md").read_text()) if "\nsteps:" in b]
    assert flows, "the README shows a first flow"
    flow, diagnostics = check_flow_text(flows[0], "README.md")
    assert flow is not None, [str(d) for d in diagnostics]
    assert simulate(flow, "plain", 20).scores.completion.hits >= 15


def test_readme_persona_file_loads() -> None:
    from pytest_persona.customers.persona_file import parse_persona

    text = (ROOT / "README.md").read_text()
    blocks = [b for b in _yaml_blocks(text) if any(
        line.startswith("persona:") for line in b.splitlines()
    )]  # fmt: skip
    assert blocks
    persona = parse_persona(blocks[0], "README.md")
    assert persona.name == "rushed-commuter"
