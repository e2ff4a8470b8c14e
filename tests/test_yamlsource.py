"""The generic positioned YAML parser and schema checker (used for flows and personas)."""

from __future__ import annotations

import pytest
from jsonschema import Draft7Validator

from pytest_persona.flow.errors import FlowError, did_you_mean
from pytest_persona.flow.model import Position
from pytest_persona.flow.yamlschema import schema_diagnostics
from pytest_persona.flow.yamlsource import (
    MapNode,
    ScalarNode,
    SeqNode,
    decode_yaml_bytes,
    find,
    format_path,
    key_position_of,
    nearest_position,
    parse_yaml,
    position_of,
    positions,
    to_python,
)


def error_of(text: str) -> FlowError:
    with pytest.raises(FlowError) as info:
        parse_yaml(text, "f.yaml")
    return info.value


def test_values_resolve_as_yaml_11_but_timestamps_stay_text() -> None:
    root = parse_yaml("a: 1\nb: 1.5\nc: yes\nd: ~\ne: '5'\nf: 2025-01-15\ng: 0x1F\n")
    assert to_python(root) == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": "5",
        "f": "2025-01-15",
        "g": 31,
    }


def test_scalars_keep_their_source_text_and_quoting() -> None:
    root = parse_yaml("a: no\nb: 'no'\nc: 007\n")
    assert isinstance(root, MapNode)
    plain, quoted, number = (root.get(k) for k in "abc")
    assert isinstance(plain, ScalarNode) and plain.value is False and plain.plain
    assert isinstance(quoted, ScalarNode) and quoted.value == "no" and not quoted.plain
    assert isinstance(number, ScalarNode) and number.text == "007"


def test_keys_are_always_the_text_as_written() -> None:
    assert to_python(parse_yaml("yes: 1\n1: 2\nnull: 3\n")) == {"yes": 1, "1": 2, "null": 3}


def test_positions_are_one_based_values_for_scalars_keys_for_collections() -> None:
    text = (
        "steps:\n  confirm:\n    routes:\n"
        "      - {intent: a, goto: b}\n      - {intent: c, goto: statsu}\n"
    )
    root = parse_yaml(text)
    assert position_of(root, ("steps", "confirm", "routes", 1, "goto")) == Position(5, 27)
    assert position_of(root, ("steps", "confirm")) == Position(2, 3)
    assert position_of(root, ("steps", "confirm", "routes", 1)) == Position(5, 9)
    assert key_position_of(root, ("steps", "confirm", "routes", 1, "goto")) == Position(5, 21)
    found = positions(root)
    assert found["steps.confirm.routes[1].goto"] == Position(5, 27)
    assert found["steps.confirm.routes[0].intent"] == Position(4, 18)


def test_position_of_a_missing_path_falls_back_to_the_nearest_parent() -> None:
    root = parse_yaml("a:\n  b: 1\n")
    assert position_of(root, ("a", "nope", "deeper")) == Position(1, 1)
    found = positions(root)
    assert nearest_position(found, "a.b[3].x") == Position(2, 6)
    assert nearest_position(found, "zzz") == Position(1, 1)


def test_format_path() -> None:
    assert format_path(("steps", "confirm", "routes", 1, "goto")) == "steps.confirm.routes[1].goto"
    assert format_path((0, "a")) == "[0].a"
    assert format_path(()) == ""


def test_aliases_are_shared_and_expanded() -> None:
    root = parse_yaml("base: &b [x, y]\ncopy: *b\n")
    assert to_python(root) == {"base": ["x", "y"], "copy": ["x", "y"]}
    assert find(root, ("copy", 1)) is find(root, ("base", 1))


def test_merge_keys_let_explicit_keys_win() -> None:
    root = parse_yaml("base: &b {say: hi, end: completed}\nstep:\n  <<: *b\n  say: bye\n")
    assert to_python(root)["step"] == {"say": "bye", "end": "completed"}  # type: ignore[index]


def test_every_duplicate_key_is_reported_at_the_second_key() -> None:
    error = error_of("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert [str(d) for d in error.diagnostics] == [
        "f.yaml:4:3: b.c: duplicate key 'c' (first at line 3)",
        "f.yaml:5:1: a: duplicate key 'a' (first at line 1)",
    ]


def test_syntax_error_names_where_the_parser_was() -> None:
    error = error_of("steps:\n  ask: [a,\n")
    assert str(error).startswith("f.yaml:3:1: steps.ask: YAML syntax error:")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object:os.system x\n", "f.yaml:1:4: a: unsupported YAML tag"),
        ("a: !!set {x}\n", "f.yaml:1:4: a: unsupported YAML tag"),
        ("a: !!int abc\n", "f.yaml:1:4: a: 'abc' is not a valid int"),
        ("a: *nowhere\n", "f.yaml:1:4: a: unknown alias *nowhere"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: a second YAML document"),
        ("? [a]\n: 1\n", "f.yaml:1:3: a key must be a plain name"),
        ("a: &x [*x]\n", "f.yaml:1:8: a[0]: unknown alias *x"),
        ("a: {<<: 5}\n", "f.yaml:1:5: a: '<<' (merge) needs a mapping"),
    ],
)
def test_unsupported_constructs_are_flow_errors(text: str, expected: str) -> None:
    assert str(error_of(text)).startswith(expected)


def test_empty_text_is_a_null_scalar_at_the_start() -> None:
    root = parse_yaml("# only a comment\n")
    assert isinstance(root, ScalarNode) and root.value is None and root.pos == Position(1, 1)


def test_depth_limit_counts_collections() -> None:
    nested = "[" * 5 + "]" * 5
    assert isinstance(parse_yaml(nested, max_depth=5), SeqNode)
    assert "nested too deeply" in str(error_of_with(nested, max_depth=4))


def test_node_limit_counts_alias_expansion() -> None:
    # root 1 + key a 1 + list 1 + 4 items + key b 1 + list 1 + 3 aliases x 5 values = 24
    text = "a: &a [1, 2, 3, 4]\nb: [*a, *a, *a]\n"
    assert parse_yaml(text, max_nodes=24) is not None
    assert "too many values" in str(error_of_with(text, max_nodes=23))


def error_of_with(text: str, **limits: int) -> FlowError:
    with pytest.raises(FlowError) as info:
        parse_yaml(text, "f.yaml", **limits)
    return info.value


def test_decode_strips_a_bom_and_locates_bad_bytes() -> None:
    assert decode_yaml_bytes("\ufeffa: 1\n".encode(), "f") == "a: 1\n"
    with pytest.raises(FlowError, match=r"^f:2:4: invalid UTF-8 \(byte 0xc3\)"):
        decode_yaml_bytes(b"a: 1\nb: \xc3(\n", "f")


SCHEMA = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "patternProperties": {"^x-": {}},
    "properties": {
        "name": {"type": "string"},
        "kind": {"enum": ["alpha", "beta"]},
        "share": {"type": "number", "minimum": 0, "maximum": 1},
        "tags": {"type": "array", "minItems": 1, "items": {"type": "string"}},
    },
}


def check(text: str) -> list[str]:
    return [
        str(d)
        for d in schema_diagnostics(parse_yaml(text, "p.yaml"), Draft7Validator(SCHEMA), "p.yaml")
    ]


def test_schema_messages_point_at_the_offending_key_or_value() -> None:
    text = "name: no\nknd: beta\nkind: alpah\nshare: 1.5\ntags: []\nx-mine: 1\n"
    assert check(text) == [
        "p.yaml:1:7: name: expected a string, got the boolean no; YAML 1.1 reads unquoted no"
        ' as a boolean: write "no" (quoted) if you mean the text',
        "p.yaml:2:1: knd: unknown key 'knd' (did you mean 'kind'?)",
        "p.yaml:3:7: kind: expected alpha or beta, got 'alpah' (did you mean 'alpha'?)",
        "p.yaml:4:8: share: must be at most 1, got 1.5",
        "p.yaml:5:1: tags: must not be empty",
    ]


def test_schema_missing_key_and_unrelated_unknown_key_lists_choices() -> None:
    assert check("zzzzzz: 1\n") == [
        "p.yaml:1:1: missing required key 'name'",
        "p.yaml:1:1: zzzzzz: unknown key 'zzzzzz' (expected one of: kind, name, share, tags)",
    ]


def test_did_you_mean_is_deterministic_and_quiet_when_nothing_is_close() -> None:
    assert did_you_mean("statsu", ["status", "start", "stats"]) == " (did you mean 'status'?)"
    assert did_you_mean("qqq", ["status", "start"]) == ""
    assert did_you_mean("status", ["status"]) == ""
