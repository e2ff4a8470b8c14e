"""Hostile or broken files end in one clear FlowError: never another exception, never a hang.

Each case runs with libyaml (the default when installed) and with PyYAML's pure-Python
parser (the fallback), since they fail in different places.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from loader_helpers import MINI

from pytest_persona.flow import yamlsource
from pytest_persona.flow.errors import FlowError
from pytest_persona.flow.loader import load_flow, load_flow_text

LOADERS = ["libyaml", "python"]


@pytest.fixture(params=LOADERS, autouse=True)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("libyaml is not installed")
        monkeypatch.setattr(yamlsource, "_loader", lambda: yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yamlsource, "_loader", lambda: yaml.SafeLoader)
    yield str(request.param)


def load_bytes(tmp_path: Path, data: bytes) -> FlowError:
    path = tmp_path / "bad.flow.yaml"
    path.write_bytes(data)
    with pytest.raises(FlowError) as info:
        load_flow(path)
    return info.value


def first(error: FlowError, tmp_path: Path) -> str:
    """The first diagnostic, with the temporary directory shortened to ``bad.flow.yaml``."""
    return str(error.diagnostics[0]).replace(str(tmp_path / "bad.flow.yaml"), "bad.flow.yaml")


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# nothing here\n", b"---\n...\n", b"~\n"])
def test_an_empty_file(tmp_path: Path, data: bytes) -> None:
    error = load_bytes(tmp_path, data)
    assert first(error, tmp_path) == "bad.flow.yaml:1:1: the file is empty: expected a mapping"


def test_a_file_that_is_a_list(tmp_path: Path) -> None:
    error = load_bytes(tmp_path, b"- flow: x\n- start: y\n")
    assert first(error, tmp_path) == (
        "bad.flow.yaml:1:1: expected a mapping at the top level, got a list"
    )


def test_a_5_mb_file_is_refused_before_parsing(tmp_path: Path) -> None:
    error = load_bytes(tmp_path, MINI.encode() + b"#" * 5_000_000)
    assert first(error, tmp_path) == "bad.flow.yaml:1:1: file too large: over 1,000,000 bytes"


def test_text_over_the_cap_is_refused_too() -> None:
    with pytest.raises(FlowError, match=r"^t:1:1: file too large"):
        load_flow_text("a: '" + "x" * 1_000_001 + "'\n", "t")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "{a: " * 10_000 + "1" + "}" * 10_000,
        "- " * 10_000 + "x\n",
        "".join(" " * i + "k:\n" for i in range(300)),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "block-mappings"],
)
def test_nesting_10000_deep(tmp_path: Path, text: str) -> None:
    error = load_bytes(tmp_path, text.encode())
    assert re.match(r"^bad\.flow\.yaml:\d+:\d+: ", first(error, tmp_path))
    assert re.search(r"nested too deeply|maximum nesting depth", str(error))


def test_the_depth_cap_is_64_collections() -> None:
    ok = MINI + "x-deep: " + "[" * 63 + "]" * 63 + "\n"
    assert load_flow_text(ok).id == "mini"
    too_deep = MINI + "x-deep: " + "[" * 64 + "]" * 64 + "\n"
    with pytest.raises(FlowError, match="nested too deeply: over 64 levels"):
        load_flow_text(too_deep)


def test_aliases_count_towards_depth() -> None:
    text = MINI + "x-a: &a " + "[" * 40 + "]" * 40 + "\nx-b: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    with pytest.raises(FlowError, match=r"x-b[\[\]0.]+: nested too deeply: over 64 levels"):
        load_flow_text(text)


def test_a_billion_laughs_alias_bomb(tmp_path: Path) -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    error = load_bytes(tmp_path, ("\n".join(lines) + "\n").encode())
    assert "too many values: over 50,000 once aliases are expanded" in str(error)
    assert re.match(r"^bad\.flow\.yaml:\d+:\d+: [a-i]\[\d+\]: ", first(error, tmp_path))


def test_binary_garbage(tmp_path: Path) -> None:
    rnd = random.Random(7)
    error = load_bytes(tmp_path, bytes(rnd.randrange(256) for _ in range(4096)))
    assert re.search(r"binary data|invalid UTF-8|unacceptable character", str(error))


def test_control_characters(tmp_path: Path) -> None:
    error = load_bytes(tmp_path, b"flow: mini\nstart: a\x07b\n")
    assert first(error, tmp_path).startswith("bad.flow.yaml:2:9: unacceptable character U+0007")


def test_a_nul_byte(tmp_path: Path) -> None:
    error = load_bytes(tmp_path, b"flow: mini\nst\x00art: x\n")
    assert first(error, tmp_path) == (
        "bad.flow.yaml:2:3: binary data (a NUL byte): not a YAML text file"
    )


@pytest.mark.parametrize(
    ("data", "prefix"),
    [
        (b"flow: caf\xe9\n", "bad.flow.yaml:1:10: invalid UTF-8 (byte 0xe9)"),
        (b"flow: x\nstart: \xff\xfe\n", "bad.flow.yaml:2:8: invalid UTF-8 (byte 0xff)"),
        ("flow: x\n".encode("utf-16"), "bad.flow.yaml:1:1: UTF-16 text: save the file as UTF-8"),
    ],
)
def test_invalid_utf8(tmp_path: Path, data: bytes, prefix: str) -> None:
    error = load_bytes(tmp_path, data)
    assert first(error, tmp_path).startswith(prefix)


def test_a_lone_surrogate_in_text() -> None:
    with pytest.raises(FlowError, match=r"^t:1:7: text is not valid Unicode"):
        load_flow_text("flow: \ud800\n", "t")


def test_a_number_too_long_to_convert() -> None:
    with pytest.raises(FlowError, match=r"^t:2:8: x-big: '9{37}\.\.\.' is not a valid int"):
        load_flow_text("flow: x\nx-big: " + "9" * 5000 + "\n", "t")


def test_a_catastrophic_pattern_is_refused_at_load() -> None:
    text = "slots:\n  code:\n    type: pattern\n    pattern: '(a+)+$'\n    examples: [aaa]\n" + MINI
    with pytest.raises(FlowError) as info:
        load_flow_text(text, "t")
    assert str(info.value).startswith(
        "t:4:14: slots.code.pattern: can backtrack catastrophically: '(a+)+'"
    )


def test_a_directory_is_not_a_flow(tmp_path: Path) -> None:
    with pytest.raises(FlowError, match=r":1:1: cannot read the file"):
        load_flow(tmp_path)


def test_python_tags_are_refused() -> None:
    with pytest.raises(FlowError, match=r"^t:1:7: flow: unsupported YAML tag"):
        load_flow_text("flow: !!python/object/apply:os.system [echo hi]\n", "t")
