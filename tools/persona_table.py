"""Writes docs/personas.md from the Persona dataclass, so the table never drifts from code."""

from __future__ import annotations

import sys
from pathlib import Path

from pytest_persona.customers.personas import BUILTIN_PERSONAS, PARAMETERS, parameter_doc

ORDER = ("impatient", "typo-prone", "non-native", "elderly", "plain")
HEADER = """# Personas: every parameter

Generated from `pytest_persona/customers/personas.py` by `python tools/persona_table.py`.
A custom persona (`*.persona.yaml`, or the `pytest_persona_add_personas` hook) starts
from a built-in (`base:`, default `plain`) and overrides any of these parameters.
Figures and their sources are discussed in the README ("How the scores are computed").

```yaml
# support/rushed-commuter.persona.yaml
persona: rushed-commuter
base: impatient
description: Types on the train, one thumb.
char_error_rate: 0.02
patience: [0.3, 0.6, 1.0]
```

"""


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_cell(v) for v in value) + "]"
    if value is None:
        return "—"
    return str(value).replace("|", "\\|")


def render() -> str:
    personas = [BUILTIN_PERSONAS[name] for name in ORDER]
    rows = ["| parameter | meaning | " + " | ".join(ORDER) + " |",
            "|---|---|" + "---|" * len(ORDER)]
    for name in PARAMETERS:
        if name in ("name",):
            continue
        values = " | ".join(_cell(getattr(p, name)) for p in personas)
        rows.append(f"| `{name}` | {parameter_doc(name)} | {values} |")
    return HEADER + "\n".join(rows) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/personas.md")
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
