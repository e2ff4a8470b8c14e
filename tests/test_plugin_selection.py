"""Which personas each flow runs with: defaults, persona files by folder, the hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_persona.customers.personas import PLAIN, Persona
from pytest_persona.flow.errors import Diagnostic, FlowError
from pytest_persona.selection import (
    HOOK,
    PersonaCatalog,
    global_choices,
    unknown_personas_message,
)

DEFAULTS = ["impatient", "typo-prone", "non-native", "elderly"]
PATTERNS = ("*.persona.yaml",)


def fake_load(path: Path) -> Persona:
    """Persona files in these tests hold just a name; 'broken' in it is a load error."""
    name = path.read_text().strip()
    if "broken" in name:
        raise FlowError(Diagnostic(str(path), 2, 3, "caps", "not a probability"))
    return PLAIN.with_overrides(name=name, description=str(path))


def touch(root: Path, relative: str, content: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    return path


def catalog(root: Path, selected: tuple[str, ...] = (), hook: tuple[Persona, ...] = ()
            ) -> PersonaCatalog:
    found, names = global_choices(root, PATTERNS, selected, hook, fake_load)
    return PersonaCatalog(root, PATTERNS, names, found, fake_load)


def names(cat: PersonaCatalog, flow: Path) -> list[str]:
    return [c.persona.name for c in cat.for_flow(flow).choices]


def test_defaults_without_custom_personas(tmp_path: Path) -> None:
    assert names(catalog(tmp_path), tmp_path / "a.flow.yaml") == DEFAULTS


def test_persona_files_apply_to_their_folder_and_below(tmp_path: Path) -> None:
    touch(tmp_path, "root.persona.yaml", "coach")
    touch(tmp_path, "team/team.persona.yaml", "rushed")
    cat = catalog(tmp_path)
    assert names(cat, tmp_path / "a.flow.yaml") == [*DEFAULTS, "coach"]
    assert names(cat, tmp_path / "team/deep/b.flow.yaml") == [*DEFAULTS, "coach", "rushed"]
    assert names(cat, tmp_path / "other/c.flow.yaml") == [*DEFAULTS, "coach"]


def test_nearer_folder_wins_a_name(tmp_path: Path) -> None:
    touch(tmp_path, "coach.persona.yaml", "coach")
    near = touch(tmp_path, "team/coach.persona.yaml", "coach")
    choices = catalog(tmp_path).for_flow(tmp_path / "team" / "a.flow.yaml").choices
    coach = [c for c in choices if c.persona.name == "coach"]
    assert len(coach) == 1 and coach[0].ref == str(near)


def test_explicit_selection_keeps_its_order_and_reports_unknown_names(tmp_path: Path) -> None:
    touch(tmp_path, "team/coach.persona.yaml", "coach")
    cat = catalog(tmp_path, selected=("plain", "coach", "nobody", "elderly"))
    assert names(cat, tmp_path / "a.flow.yaml") == ["plain", "elderly"]
    assert cat.unknown_selected() == ["coach", "nobody"]
    assert names(cat, tmp_path / "team" / "b.flow.yaml") == ["plain", "coach", "elderly"]
    assert cat.unknown_selected() == ["nobody"]


def test_broken_persona_file_is_reported_by_the_first_flow_only(tmp_path: Path) -> None:
    broken = touch(tmp_path, "x.persona.yaml", "broken")
    cat = catalog(tmp_path)
    first = cat.for_flow(tmp_path / "a.flow.yaml")
    second = cat.for_flow(tmp_path / "b.flow.yaml")
    assert [b.path for b in first.new_errors] == [broken]
    assert str(first.new_errors[0].error).startswith(f"{broken}:2:3: caps:")
    assert second.new_errors == ()
    assert [c.persona.name for c in second.choices] == DEFAULTS


def test_two_files_of_one_name_in_a_folder_is_an_error(tmp_path: Path) -> None:
    touch(tmp_path, "a.persona.yaml", "coach")
    second = touch(tmp_path, "b.persona.yaml", "coach")
    result = catalog(tmp_path).for_flow(tmp_path / "f.flow.yaml")
    assert [b.path for b in result.new_errors] == [second]
    assert "already defined" in str(result.new_errors[0].error)


def test_hook_and_selected_files_apply_everywhere(tmp_path: Path) -> None:
    path = touch(tmp_path, "lib/rushed.persona.yaml", "rushed")
    hook = (PLAIN.with_overrides(name="hooked"),)
    cat = catalog(tmp_path, selected=(str(path), "hooked"), hook=hook)
    assert cat.selected == ("rushed", "hooked")
    assert names(cat, tmp_path / "far" / "away" / "a.flow.yaml") == ["rushed", "hooked"]
    choices = catalog(tmp_path, hook=hook).for_flow(tmp_path / "a.flow.yaml").choices
    assert [(c.persona.name, c.source) for c in choices][-1] == ("hooked", HOOK)


@pytest.mark.parametrize("name", ["plain", "impatient"])
def test_hook_persona_may_not_take_a_builtin_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="taken by a built-in"):
        catalog(tmp_path, hook=(PLAIN.with_overrides(name=name),))


def test_unknown_message_suggests_and_lists() -> None:
    message = unknown_personas_message(["elderyl"], {"elderly", "plain"})
    assert message == (
        "unknown persona 'elderyl' (did you mean 'elderly'?); known personas: elderly, plain"
    )
