"""Flow texts and helpers shared by the plugin tests (tests/test_plugin_*.py).

The flows are chosen so their scores do not depend on how well the simulated
customers talk: ``INSTANT`` completes before anyone speaks, ``HOPELESS`` understands
nothing a customer could say, so the plugin's behaviour is what the tests pin.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

# pytester's in-process runs forget the modules first imported during a run; a module
# imported again then holds classes other modules do not recognise (isinstance fails).
# Importing what the plugin imports lazily, here in the outer process, keeps one copy.
for _module in (
    "hypothesis",  # its pytest plugin imports it in every run: ~0.5 s each time
    "pytest_persona.flow.loader",
    "pytest_persona.simulation",
    "pytest_persona.selection",
    "pytest_persona.report.record",
    "pytest_persona.controller",
    "pytest_persona.session_outputs",
    "pytest_persona.history_records",
    "pytest_persona.report.terminal",
    "pytest_persona.xdist_support",
    "pytest_persona.customers.persona_file",
):
    importlib.import_module(_module)

# Every conversation completes at once: completion 100%, fallback 0%, off-topic n/a.
INSTANT = """\
flow: instant
start: done
intents:
  hello:
    examples: ["hello there", "hi", "good morning"]
steps:
  done:
    say: "All done."
    end: completed
"""

# Nobody is ever understood: the only detail customers can give never fits the slot's
# pattern, so completion is 0% and every conversation has a misunderstanding. The flow
# allows that fallback rate and any off-topic recovery, so only completion decides.
HOPELESS = """\
flow: hopeless
start: ask
settings: {max_turns: 4}
intents:
  hello:
    examples: ["hello there", "hi", "good morning"]
slots:
  code:
    type: pattern
    pattern: 'QX\\d{9}ZZ'
    examples: ["my code is blue"]
steps:
  ask:
    say: "What is your code?"
    collect: code
    next: done
  done:
    say: "Done."
    end: completed
thresholds:
  fallback_rate: {max: 1.0, warn: 1.0}
  off_topic_recovery: {min: 0.0, warn: 0.0}
"""



def hopeless(completion: str | None = None, persona_completion: str | None = None) -> str:
    """HOPELESS with a flow-level completion limit and/or one for the impatient persona."""
    text = HOPELESS
    if completion is not None:
        text += f"  completion: {completion}\n"
    if persona_completion is not None:
        text += f"  personas:\n    impatient: {{completion: {persona_completion}}}\n"
    return text


BROKEN = """\
flow: broken
start: ask
intents:
  affirm:
    examples: ["yes", "yeah", "correct"]
steps:
  ask:
    say: "Is that right?"
    routes:
      - {intent: affirm, goto: statsu}
  status:
    say: "Good."
    end: completed
"""

COACH = """\
persona: coach
base: plain
description: a test persona
"""

BUILTIN_DEFAULTS = ("impatient", "typo-prone", "non-native", "elderly")


def write(pytester: pytest.Pytester, relative: str, text: str) -> Path:
    path = pytester.path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def collected_ids(result: pytest.RunResult) -> list[str]:
    """The node ids ``--co -q`` printed."""
    return [line for line in result.outlines if "::" in line and " " not in line.strip()]


def junit_cases(path: Path) -> dict[str, dict[str, str]]:
    """Each junit testcase (by classname and name) -> its properties and outcome."""
    cases: dict[str, dict[str, str]] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        props = {p.get("name", ""): p.get("value", "") for p in case.iter("property")}
        failed = case.find("failure") is not None or case.find("error") is not None
        props["outcome"] = "failed" if failed else "passed"
        cases[f"{case.get('classname')}::{case.get('name')}"] = props
    return cases


def strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


# A flow whose only completed end no customer can reach ("dispatched" is never "yes").
UNREACHABLE = """\
flow: unreachable
start: check
intents:
  hello:
    examples: ["hello there", "hi", "good morning"]
steps:
  check:
    say: "Checking."
    set: {dispatched: "no"}
    next:
      - {if: {dispatched: "yes"}, goto: done}
      - {goto: sorry}
  done:
    say: "Done."
    end: completed
  sorry:
    say: "Sorry."
    end: abandoned
"""
