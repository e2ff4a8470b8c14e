"""Hooks that other plugins and ``conftest.py`` files can implement.

Registered with ``pluginmanager.add_hookspecs`` by the plugin's ``pytest_addhooks``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .customers.personas import Persona


@pytest.hookspec
def pytest_persona_add_personas(config: pytest.Config) -> list[Persona]:
    """Return custom personas to run alongside the built-ins.

    Called once per session, from the plugin's ``pytest_configure`` (before collection),
    so implement it in a plugin or in a ``conftest.py`` pytest loads at startup (the
    rootdir's, or one next to the paths given on the command line).
    Every implementation's personas are added; names must be unique and must not be a
    built-in's. Hook personas run by default, like persona files, and can be selected with
    ``--persona NAME``. Build them from a built-in with ``Persona.with_overrides``::

        from pytest_persona.customers.personas import get_persona

        def pytest_persona_add_personas(config):
            return [get_persona("impatient").with_overrides(name="rushed", patience=[0.5])]

    A failure report's replay command cannot rebuild a hook persona on its own: the
    ``pytest-persona replay`` command knows built-ins and persona files only.
    """
    raise NotImplementedError  # pragma: no cover - a specification, never called
