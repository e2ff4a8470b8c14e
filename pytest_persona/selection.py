"""Which personas each flow file runs with.

Three sources join the built-ins. Persona files are found like conftest.py files: next
to a flow and in its parent folders up to the rootdir, the nearest folder winning for a
name, so a team keeps project-wide personas at the root and special ones beside the
flows they concern. Persona files named in the ini option with a '/' (a glob from the
rootdir) or on the command line, and personas from the ``pytest_persona_add_personas``
hook, apply to every flow. Without an explicit selection a flow runs the four default
built-ins plus every custom persona it can see; ``plain`` runs only when asked for.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .customers.personas import BUILTIN_PERSONAS, DEFAULT_PERSONAS, Persona
from .flow.errors import FlowError

PersonaLoader = Callable[[Path], Persona]
# Where custom personas are found when the ini file names no other patterns; and the
# flow files a run collects (kept here so that ``validate`` finds both without pytest).
DEFAULT_PERSONA_FILE_PATTERNS = ("*.persona.yaml", "*.persona.yml")
DEFAULT_FLOW_PATTERNS = ("*.flow.yaml", "*.flow.yml")
BUILTIN = "built-in"
HOOK = "plugin hook"


@dataclass(frozen=True)
class PersonaChoice:
    persona: Persona
    # What `pytest-persona replay --persona` takes: a built-in name or a persona file path.
    ref: str
    source: str  # BUILTIN, HOOK or the persona file's path


@dataclass(frozen=True)
class BrokenPersonaFile:
    path: Path
    error: FlowError


@dataclass(frozen=True)
class FlowPersonas:
    choices: tuple[PersonaChoice, ...]
    # Broken persona files in this flow's scope that no earlier flow has reported.
    new_errors: tuple[BrokenPersonaFile, ...]


def load_persona_path(path: Path) -> Persona:
    """The default loader; imported late so that loading the plugin stays cheap."""
    from .customers.persona_file import load_persona_file

    return load_persona_file(str(path))


def builtin_choices() -> list[PersonaChoice]:
    return [PersonaChoice(p, name, BUILTIN) for name, p in BUILTIN_PERSONAS.items()]


def global_choices(
    rootdir: Path,
    patterns: Sequence[str],
    selected: Sequence[str],
    hook_personas: Iterable[Persona],
    load: PersonaLoader = load_persona_path,
) -> tuple[list[PersonaChoice], tuple[str, ...]]:
    """Personas for every flow, and the selection with file paths replaced by names.

    Raises ValueError (or FlowError for a broken file): these are known before
    collection starts, so the plugin can stop with a usage error.
    """
    files = sorted({p for pattern in patterns if "/" in pattern for p in rootdir.glob(pattern)})
    files += [Path(ref) for ref in selected if _is_path(ref) and Path(ref) not in files]
    found: dict[str, PersonaChoice] = {}
    for persona in hook_personas:
        if not isinstance(persona, Persona):
            raise ValueError(
                f"pytest_persona_add_personas returned {persona!r}, not a Persona"
            )
        _add_unique(found, PersonaChoice(persona, persona.name, HOOK))
    by_path: dict[str, str] = {}
    for path in files:
        if not path.is_file():
            raise ValueError(f"persona file not found: {path}")
        choice = PersonaChoice(load(path), str(path), str(path))
        _add_unique(found, choice)
        by_path[str(path)] = choice.persona.name
    names = tuple(by_path.get(ref, ref) for ref in selected)
    return list(found.values()), tuple(dict.fromkeys(names))


def _add_unique(found: dict[str, PersonaChoice], choice: PersonaChoice) -> None:
    name = choice.persona.name
    if name in BUILTIN_PERSONAS:
        message = f"persona name {name!r} is taken by a built-in persona"
        if choice.source == HOOK:
            raise ValueError(f"{choice.source}: {message}")
        raise ValueError(str(_name_error(Path(choice.source), f"{message}; choose another name")))
    if name in found:
        raise ValueError(
            f"persona {name!r} is defined twice: {found[name].source} and {choice.source}"
        )
    found[name] = choice


def _is_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml"))


class PersonaCatalog:
    """Answers "which personas for this flow?", loading each persona file once."""

    def __init__(
        self,
        rootdir: Path,
        patterns: Sequence[str],
        selected: Sequence[str],
        global_personas: Sequence[PersonaChoice],
        load: PersonaLoader = load_persona_path,
    ) -> None:
        self.rootdir = rootdir
        self.name_patterns = tuple(p for p in patterns if "/" not in p)
        self.selected = tuple(selected)
        self.load = load
        self._base: dict[str, PersonaChoice] = {c.persona.name: c for c in builtin_choices()}
        self._base.update((c.persona.name, c) for c in global_personas)
        self._folders: dict[Path, tuple[list[PersonaChoice], list[BrokenPersonaFile]]] = {}
        self._reported: set[Path] = set()
        self.known: set[str] = set(self._base)
        self.flows_seen = 0

    def global_custom(self) -> list[str]:
        """Custom personas every flow can run: from the hook or a persona file named with
        a '/' pattern or on the command line."""
        return [name for name, choice in self._base.items() if choice.source != BUILTIN]

    def available(
        self, flow_path: Path
    ) -> tuple[dict[str, PersonaChoice], list[BrokenPersonaFile]]:
        """Every persona a flow can run, by name, and the broken persona files in its scope."""
        available = dict(self._base)
        broken: list[BrokenPersonaFile] = []
        for folder in self._scope(flow_path.parent):
            choices, errors = self._folder(folder)
            available.update((c.persona.name, c) for c in choices)
            broken += errors
        return available, broken

    def for_flow(self, flow_path: Path) -> FlowPersonas:
        self.flows_seen += 1
        available, broken = self.available(flow_path)
        errors = [b for b in broken if b.path not in self._reported]
        self._reported.update(b.path for b in errors)
        self.known.update(available)
        if self.selected:
            chosen = [available[name] for name in self.selected if name in available]
        else:
            chosen = [available[name] for name in DEFAULT_PERSONAS]
            chosen += [c for c in available.values() if c.source != BUILTIN]
        return FlowPersonas(tuple(chosen), tuple(errors))

    def unknown_selected(self) -> list[str]:
        """Selected names that no flow seen so far could run."""
        return [name for name in self.selected if name not in self.known]

    def _scope(self, folder: Path) -> list[Path]:
        """The folder and its parents up to the rootdir, farthest first (nearest wins)."""
        if not self.name_patterns:
            return []
        chain = [folder]
        if folder.is_relative_to(self.rootdir):
            while chain[-1] != self.rootdir and chain[-1].parent != chain[-1]:
                chain.append(chain[-1].parent)
        return chain[::-1]

    def _folder(self, folder: Path) -> tuple[list[PersonaChoice], list[BrokenPersonaFile]]:
        cached = self._folders.get(folder)
        if cached is None:
            cached = self._folders[folder] = self._load_folder(folder)
        return cached

    def _load_folder(self, folder: Path) -> tuple[list[PersonaChoice], list[BrokenPersonaFile]]:
        try:
            names = sorted(e.name for e in os.scandir(folder) if e.is_file())
        except OSError:
            return [], []
        choices: dict[str, PersonaChoice] = {}
        broken: list[BrokenPersonaFile] = []
        for name in names:
            if not any(fnmatch.fnmatch(name, p) for p in self.name_patterns):
                continue
            path = folder / name
            try:
                persona = self.load(path)
            except FlowError as error:
                broken.append(BrokenPersonaFile(path, error))
                continue
            clash = self._clash(persona.name, choices)
            if clash:
                broken.append(BrokenPersonaFile(path, _name_error(path, clash)))
                continue
            choices[persona.name] = PersonaChoice(persona, str(path), str(path))
        return list(choices.values()), broken

    def _clash(self, name: str, same_folder: dict[str, PersonaChoice]) -> str | None:
        if name in BUILTIN_PERSONAS:
            return f"persona name {name!r} is taken by a built-in persona; choose another name"
        if name in same_folder:
            return f"persona {name!r} is already defined by {same_folder[name].source}"
        if name in self._base:
            return f"persona {name!r} is already defined by {self._base[name].source}"
        return None


def _name_error(path: Path, message: str) -> FlowError:
    from .customers.persona_file import name_error  # as load_persona_path: only when needed

    return name_error(path, message)


def unknown_personas_message(unknown: Sequence[str], known: Iterable[str]) -> str:
    """A usage error naming each unknown persona, a likely meant name, and the known ones."""
    from .customers.personas import did_you_mean

    names = sorted(known)
    listed = ", ".join(f"{name!r}{did_you_mean(name, names)}" for name in unknown)
    plural = "s" if len(unknown) > 1 else ""
    return f"unknown persona{plural} {listed}; known personas: {', '.join(names)}"
