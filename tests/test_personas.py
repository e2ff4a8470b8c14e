"""Personas as data: the built-ins' spec values, overrides, and persona files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pytest_persona.customers.persona_file import load_persona_file, parse_persona, persona_schema
from pytest_persona.customers.personas import (
    BUILTIN_PERSONAS,
    DEFAULT_PERSONAS,
    PARAMETERS,
    Persona,
    get_persona,
    parameter_doc,
    persona_names,
)
from pytest_persona.flow.errors import FlowError


def test_the_builtins_are_named_and_ordered() -> None:
    assert DEFAULT_PERSONAS == ("impatient", "typo-prone", "non-native", "elderly")
    assert persona_names() == (*DEFAULT_PERSONAS, "plain")
    for name, persona in BUILTIN_PERSONAS.items():
        assert persona.name == name
        assert persona.description


def test_every_parameter_is_documented() -> None:
    for name in PARAMETERS:
        assert parameter_doc(name), name


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("impatient", "length_median", 4),
        ("impatient", "length_cap", 10),
        ("impatient", "char_error_rate", 0.005),
        ("impatient", "front_load", 0.4),
        ("impatient", "question_marks", 0.1),
        ("impatient", "caps", 0.02),
        ("impatient", "frustration_step", 0.15),
        ("impatient", "demands_person", 0.44),
        ("impatient", "patience", (0.2, 0.5, 0.8)),
        ("impatient", "button_click", 0.6),
        ("impatient", "wander_share", 0.2),
        ("impatient", "return_after_redirect", 0.6),
        ("typo-prone", "char_error_rate", 0.03),
        ("typo-prone", "substitution_share", 0.45),
        ("typo-prone", "omission_share", 0.25),
        ("typo-prone", "insertion_share", 0.20),
        ("typo-prone", "transposition_share", 0.10),
        ("typo-prone", "adjacent_key_share", 0.7),
        ("typo-prone", "space_drop", 0.02),
        ("typo-prone", "space_insert", 0.003),
        ("typo-prone", "misspelling_rate", 0.05),
        ("typo-prone", "lowercase_start", 0.5),
        ("typo-prone", "apostrophe_drop", 0.4),
        ("typo-prone", "patience", (0.0, 0.0, 1.0)),
        ("non-native", "contractions", False),
        ("non-native", "greeting", 0.5),
        ("non-native", "thanks", 0.4),
        ("non-native", "article_drop", 0.10),
        ("non-native", "article_insert", 0.03),
        ("non-native", "preposition_swap", 0.05),
        ("non-native", "verb_agreement", 0.15),
        ("non-native", "past_to_present", 0.10),
        ("non-native", "no_question_inversion", 0.3),
        ("non-native", "misspelling_rate", 0.015),
        ("non-native", "repeat_request", 0.15),
        ("non-native", "repeat_request_long", 0.3),
        ("non-native", "return_after_redirect", 0.9),
        ("elderly", "length_median", 25),
        ("elderly", "greeting", 0.8),
        ("elderly", "please", 0.7),
        ("elderly", "thanks", 0.8),
        ("elderly", "reassurance", 0.3),
        ("elderly", "plain_words", 0.5),
        ("elderly", "front_load", 0.3),
        ("elderly", "button_click", 0.3),
        ("elderly", "wander_share", 0.5),
        ("elderly", "patience", (0.0, 0.0, 0.0, 1.0)),
        ("plain", "char_error_rate", 0.0),
        ("plain", "wander_share", 0.2),
        ("plain", "return_after_redirect", 0.9),
    ],
)
def test_builtins_carry_the_spec_figures(name: str, field: str, value: object) -> None:
    assert getattr(BUILTIN_PERSONAS[name], field) == value


def test_overrides_are_validated() -> None:
    base = BUILTIN_PERSONAS["impatient"]
    faster = base.with_overrides(patience=[0.5, 1], caps=0.1)
    assert faster.patience == (0.5, 1.0)
    assert faster.caps == 0.1
    assert base.caps == 0.02
    with pytest.raises(ValueError, match="did you mean 'caps'"):
        base.with_overrides(cpas=0.1)
    with pytest.raises(ValueError, match="probability"):
        base.with_overrides(caps=1.5)
    with pytest.raises(ValueError, match="sum"):
        base.with_overrides(substitution_share=0.9)
    with pytest.raises(ValueError, match="length_cap"):
        base.with_overrides(length_cap=2)
    with pytest.raises(ValueError, match="whole number"):
        base.with_overrides(length_median=4.5)


def test_a_persona_is_frozen_and_checks_itself() -> None:
    persona = BUILTIN_PERSONAS["plain"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        persona.caps = 0.5  # type: ignore[misc]
    with pytest.raises(ValueError, match="name"):
        Persona(name="Not A Name")


def test_unknown_persona_names_get_a_suggestion() -> None:
    with pytest.raises(KeyError, match="did you mean 'elderly'"):
        get_persona("elderley")


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "rushed.persona.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_persona_file_overrides_its_base(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "persona: rushed\nbase: impatient\ndescription: On the train.\n"
        "char_error_rate: 0.02\npatience: [0.3, 0.6, 1.0]\nstyle: casual\n",
    )
    persona = load_persona_file(path)
    assert persona.name == "rushed"
    assert persona.description == "On the train."
    assert persona.char_error_rate == 0.02
    assert persona.patience == (0.3, 0.6, 1.0)
    assert persona.length_median == 4  # from the base
    assert persona.style == "casual"


def test_the_default_base_is_plain() -> None:
    persona = parse_persona("persona: calm\n")
    assert dataclasses.replace(persona, name="plain", description="") == dataclasses.replace(
        BUILTIN_PERSONAS["plain"], description=""
    )


def test_unknown_parameters_are_located_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "persona: rushed\nbase: impatient\nchar_eror_rate: 0.02\n")
    with pytest.raises(FlowError) as caught:
        load_persona_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3:1: char_eror_rate:")
    assert "did you mean 'char_error_rate'" in message


def test_bad_values_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, "persona: rushed\ncaps: 2\nbase: impatiant\n")
    with pytest.raises(FlowError) as caught:
        load_persona_file(path)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}:2:7: caps:")
    assert lines[1].startswith(f"{path}:3:7: base:")
    assert "impatient" in lines[1]


def test_problems_between_parameters_point_at_the_one_written(tmp_path: Path) -> None:
    path = write(tmp_path, "persona: rushed\nbase: typo-prone\n\nomission_share: 0.5\n")
    with pytest.raises(FlowError) as caught:
        load_persona_file(path)
    assert str(caught.value).startswith(f"{path}:4:17: omission_share:")


def test_a_file_without_a_name_or_mapping_is_refused() -> None:
    with pytest.raises(FlowError, match="persona"):
        parse_persona("base: impatient\n", "x.persona.yaml")
    with pytest.raises(FlowError, match="mapping"):
        parse_persona("- a list\n", "x.persona.yaml")


def test_the_schema_lists_every_parameter() -> None:
    properties = persona_schema()["properties"]
    for name in PARAMETERS:
        if name != "name":
            assert name in properties
    assert properties["patience"]["type"] == "array"
