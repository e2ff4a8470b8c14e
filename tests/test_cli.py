"""The pytest-persona command: validate, replay and chat (history/report: test_history_cli)."""

from __future__ import annotations

import io
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from loader_helpers import MINI, validated

from pytest_persona.chat import ChatSession
from pytest_persona.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "example_flows").glob("*.flow.yaml"))
ORDER = ROOT / "example_flows" / "order-status.flow.yaml"

BROKEN = """flow: broken
start: greet
intents:
  yes_please: {examples: ["yes please", "sure", "ok then"]}
steps:
  greet:
    say: "Hello"
    routes:
      - {intent: yes_please, goto: finsh}
  finish: {say: "Bye", end: completed}
"""


def test_validate_accepts_every_example_flow(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", *map(str, EXAMPLES)]) == 0
    out = capsys.readouterr().out
    assert f"{len(EXAMPLES)} files checked: 0 errors" in out


def test_validate_reports_errors_with_position_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.flow.yaml"
    path.write_text(BROKEN)
    assert main(["validate", str(path), str(EXAMPLES[0])]) == 1
    out = capsys.readouterr().out
    assert f"{path}:9:" in out
    assert "steps.greet.routes[0].goto" in out
    assert "did you mean 'finish'" in out
    assert "2 files checked: 1 error" in out


def test_validate_a_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nope.flow.yaml")]) == 1
    out = capsys.readouterr().out
    assert "nope.flow.yaml" in out and "Traceback" not in out


def test_replay_prints_the_conversation_with_intents(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(ORDER), "--persona", "typo-prone", "--conversation", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("conversation 3 (typo-prone, seed 0)")
    assert "customer :" in out and "assistant:" in out
    assert "--conversation 3 --seed 0" in out


def test_replay_is_the_same_every_time(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["replay", str(ORDER), "--persona", "elderly", "--conversation", "7", "--seed", "9"]
    main(args)
    first = capsys.readouterr().out
    main(args)
    assert capsys.readouterr().out == first


def test_replay_unknown_persona_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(ORDER), "--persona", "grumpy", "--conversation", "0"]) == 2
    assert "grumpy" in capsys.readouterr().err


def test_replay_rejects_a_negative_conversation() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["replay", str(ORDER), "--persona", "plain", "--conversation", "-1"])
    assert raised.value.code == 2


@pytest.mark.parametrize("command", ["replay", "chat"])
@pytest.mark.parametrize(
    ("seed", "message"),
    [("-5", "seed must be 0 or more"), (str(2**63), "seed must be at most 9223372036854775807"),
     ("1.5", "seed must be a whole number or 'random'")],
)
def test_replay_and_chat_refuse_a_seed_the_plugin_refuses(
    command: str, seed: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["--conversation", "0"] if command == "replay" else []
    with pytest.raises(SystemExit) as raised:
        main([command, str(ORDER), "--persona", "plain", *extra, f"--seed={seed}"])
    assert raised.value.code == 2
    assert f"argument --seed: {message}" in capsys.readouterr().err


def test_replay_with_a_random_seed_prints_the_seed_it_drew(
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["replay", str(ORDER), "--persona", "plain", "--conversation", "2"]
    assert main([*base, "--seed", "random"]) == 0
    drawn = capsys.readouterr().out
    seed = drawn.split("seed ", 1)[1].split(")", 1)[0]
    assert f"--conversation 2 --seed {seed}" in drawn
    assert main([*base, "--seed", seed]) == 0
    assert capsys.readouterr().out == drawn


def test_chat_with_a_random_seed_shows_it(capsys: pytest.CaptureFixture[str]) -> None:
    from unittest import mock

    with mock.patch("sys.stdin", io.StringIO("/quit\n")):
        assert main(["chat", str(ORDER), "--persona", "typo-prone", "--seed", "random"]) == 0
    assert "typing noise seed " in capsys.readouterr().out


def test_broken_flow_in_replay_prints_the_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.flow.yaml"
    path.write_text(BROKEN)
    done = subprocess.run(
        [sys.executable, "-m", "pytest_persona.cli", "replay", str(path), "--persona", "plain",
         "--conversation", "0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith(f"{path}:9:")
    assert "Traceback" not in done.stderr


def _chat(lines: list[str], persona: str | None = None) -> str:
    session = ChatSession.open(str(ORDER), persona, 0)
    out = io.StringIO()
    assert session.run(io.StringIO("".join(line + "\n" for line in lines)), out) == 0
    return out.getvalue()


def test_chat_shows_intent_confidence_and_step() -> None:
    out = _chat(["where is my order", "/quit", "never read"])
    assert "bot> " in out
    assert "intent " in out and "confidence " in out and "step " in out
    assert "never read" not in out


def test_chat_restart_starts_over() -> None:
    out = _chat(["/restart", "/quit"])
    first_line = out.splitlines()[1]
    assert out.count(first_line) == 2


def test_chat_clicks_a_button_by_its_label() -> None:
    from pytest_persona import load_flow

    flow = load_flow(ORDER)
    step = flow.steps[flow.start]
    assert step.buttons, "the order flow greets with buttons"
    label, intent = next(iter(step.buttons.items()))
    out = _chat([label.upper(), "/quit"])
    assert f"intent {intent}, confidence 1.00" in out


def test_chat_with_a_persona_shows_what_was_sent() -> None:
    out = _chat(["where is my order please, it should have come by now", "/quit"], "typo-prone")
    assert "(sent as: " in out


def test_schema_prints_the_installed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["schema"]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert json.loads(path.read_text())["$schema"].startswith("http://json-schema.org/draft-07")
    assert main(["schema", "--modeline"]) == 0
    assert capsys.readouterr().out.startswith("# yaml-language-server: $schema=file://")


def test_a_conversation_that_ends_stuck_says_so_where_the_assistant_falls_silent() -> None:
    from pytest_persona.report.transcript import format_transcript
    from pytest_persona.results import ConversationSummary, Transcript, Turn

    summary = ConversationSummary(3, "done", "stuck", 3, 3, False, "ask")
    turns = (
        Turn("assistant", "Which size?", step="ask"),
        Turn("customer", "blue"),
        Turn("assistant", "", confidence=0.0, misunderstood=True),
    )
    text = format_transcript(Transcript(summary, turns), "f.flow.yaml", "plain", 0)
    last = [line for line in text.splitlines() if "assistant:" in line][-1]
    assert last.endswith("assistant: (no answer: the conversation ends stuck)")
    assert "assistant: Which size?" in text




def test_validate_warns_about_examples_the_flows_own_matcher_misreads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "clash.flow.yaml"
    code, out = validated(
        flow,
        "flow: clash\nstart: greet\nintents:\n"
        '  change_plan: {examples: ["upgrade my plan", "change my plan", "switch plan"]}\n'
        '  more_data: {examples: ["upgrade my plan please", "more data", "add data"]}\n'
        "steps:\n  greet:\n    say: Hi\n    routes:\n"
        "      - {intent: change_plan, goto: done}\n      - {intent: more_data, goto: done}\n"
        "  done: {say: Done., end: completed}\n",
        capsys,
    )
    assert code == 0  # warnings only
    assert f"{flow}:4:28: warning: intents.change_plan.examples[0]: 'upgrade my plan' is not " \
        "understood: intent 'more_data' scores too close" in out
    assert "intents.more_data.examples[0]: 'upgrade my plan please'" in out
    assert "change my plan'" not in out and "more data'" not in out  # read as their own


def test_validate_is_quiet_about_the_example_flows_own_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    flows = sorted(str(p) for p in (Path(__file__).parent.parent / "example_flows").glob("*.yaml"))
    main(["validate", *flows])
    out = capsys.readouterr().out
    assert "is not understood" not in out and "typed rather than clicked" not in out


def test_a_reader_that_goes_away_ends_the_output_without_a_traceback(tmp_path: Path) -> None:
    flow = tmp_path / "bare.flow.yaml"  # no off_topic, no repeat: warnings to print
    flow.write_text(
        "flow: bare\nstart: s\nintents:\n  go: {examples: [go, go on, carry on]}\n"
        "steps:\n  s: {say: Hi, routes: [{intent: go, goto: e}]}\n"
        "  e: {say: Bye, end: completed}\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "pytest_persona.cli", "validate", *[str(flow)] * 600]
    done = subprocess.run(
        f"{shlex.join(command)} | head -c 10", shell=True, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert len(done.stdout) == 10
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr


def test_validate_warns_about_limits_for_a_persona_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = validated(
        tmp_path / "limits.flow.yaml",
        MINI + "thresholds:\n  personas:\n    elderley: {completion: 0.5}\n"
        "    elderly: {completion: 0.6}\n",
        capsys,
    )
    assert code == 0
    assert "thresholds.personas.elderley: 'elderley' is no built-in persona (did you mean " \
        "'elderly'?)" in out
    assert "thresholds.personas.elderly:" not in out


def test_validate_warns_about_button_labels_that_typed_are_not_understood(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = validated(
        tmp_path / "buttons.flow.yaml",
        "flow: buttons\nstart: greet\nintents:\n"
        '  new_claim: {examples: ["make a claim", "claim for my delay", "I want to claim"]}\n'
        '  status: {examples: ["where is my claim", "claim status", "check my claim"]}\n'
        "steps:\n  greet:\n    say: Hi\n"
        '    buttons: {"Start one": new_claim, "Claim status": status}\n'
        "    routes:\n      - {intent: new_claim, goto: done}\n"
        "      - {intent: status, goto: done}\n"
        "  done: {say: Done., end: completed}\n",
        capsys,
    )
    assert "steps.greet.buttons.Start one: typed rather than clicked, 'Start one' is not " \
        "understood" in out
    assert "add it to intent 'new_claim''s examples" in out
    assert "buttons.Claim status" not in out  # an example word for word: understood


def test_chat_with_an_unknown_persona_is_a_usage_error_with_a_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    flow = str(Path(__file__).parent.parent / "example_flows" / "order-status.flow.yaml")
    assert main(["chat", flow, "--persona", "impatent"]) == 2
    assert "unknown persona 'impatent' (did you mean 'impatient'?)" in capsys.readouterr().err


def test_replay_finds_a_custom_persona_by_name_beside_the_flow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flows = tmp_path / "flows"
    flows.mkdir()
    flow = flows / "mini.flow.yaml"
    flow.write_text(MINI, encoding="utf-8")
    (tmp_path / "rushed.persona.yaml").write_text(
        "persona: rushed\nbase: impatient\n", encoding="utf-8"
    )
    assert main(["replay", str(flow), "--persona", "rushed", "--conversation", "0"]) == 0
    assert "conversation 0 (rushed, seed 0)" in capsys.readouterr().out


def test_replay_finds_a_custom_persona_by_the_name_inside_its_file_as_a_test_run_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "mini.flow.yaml"
    flow.write_text(MINI, encoding="utf-8")
    (tmp_path / "team.persona.yaml").write_text(
        "persona: rushed\nbase: impatient\n", encoding="utf-8"
    )
    assert main(["replay", str(flow), "--persona", "rushed", "--conversation", "0"]) == 0
    assert "conversation 0 (rushed, seed 0)" in capsys.readouterr().out


def test_validate_warns_when_max_turns_is_too_short_for_a_goal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        MINI.replace("start: ask\n", "start: ask\nsettings: {max_turns: 1}\n")
        .replace("      - {intent: go_on, goto: done}", "      - {intent: go_on, goto: again}")
        + "  again:\n    say: Sure?\n    routes:\n      - {intent: go_on, goto: done}\n"
    )
    _, out = validated(tmp_path / "short.flow.yaml", text, capsys)
    assert "settings.max_turns: reaching 'done' takes at least 2 customer messages, but " \
        "max_turns is 1: every such conversation ends stuck" in out


def test_validate_checks_a_persona_file_as_a_persona_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "coach.persona.yaml"
    good.write_text("persona: coach\nbase: plain\n")
    bad = tmp_path / "x.persona.yml"
    bad.write_text("persona: grumpy\nbase: impatint\n")
    taken = tmp_path / "sub" / "old.persona.yaml"
    taken.parent.mkdir()
    taken.write_text("base: plain\npersona: elderly\n")
    assert main(["validate", str(good), str(bad), str(taken)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{bad}:2:7: base: expected impatient, typo-prone, non-native, elderly or plain, "
        "got 'impatint' (did you mean 'impatient'?)",
        f"{taken}:2:10: persona: persona name 'elderly' is taken by a built-in persona; "
        "choose another name",
        "3 files checked: 2 errors, 0 warnings",
    ]


def test_validate_a_folder_checks_the_flow_and_persona_files_a_test_run_would_find(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "flows" / "deep").mkdir(parents=True)
    (tmp_path / "flows" / "deep" / "broken.flow.yml").write_text(BROKEN)
    (tmp_path / "flows" / "order.flow.yaml").write_text(ORDER.read_text())
    (tmp_path / "flows" / "a.persona.yaml").write_text("persona: coach\n")
    (tmp_path / "flows" / "b.persona.yaml").write_text("persona: coach\n")
    (tmp_path / "flows" / "notes.yaml").write_text("not: [a flow")
    for skipped in (".hidden", "node_modules", "env"):
        (tmp_path / "flows" / skipped).mkdir()
        (tmp_path / "flows" / skipped / "x.flow.yaml").write_text("broken: [")
    (tmp_path / "flows" / "env" / "pyvenv.cfg").write_text("")
    assert main(["validate", str(tmp_path / "flows")]) == 1
    out = capsys.readouterr().out.splitlines()
    errors = [line for line in out[:-1] if ": warning: " not in line]
    assert [line.split(":")[0] for line in errors] == [
        str(tmp_path / "flows" / "b.persona.yaml"),
        str(tmp_path / "flows" / "deep" / "broken.flow.yml"),
    ]
    assert "persona 'coach' is already defined by" in errors[0]
    assert out[-1].startswith("4 files checked: 2 errors, ")


def test_validate_warns_about_a_second_flow_with_the_same_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """History keys on the path, so nothing mixes: a warning, as a variant may share it."""
    first, second = tmp_path / "a.flow.yaml", tmp_path / "sub" / "b.flow.yaml"
    second.parent.mkdir()
    for path in (first, second):
        path.write_text(ORDER.read_text())
    line = ORDER.read_text().splitlines().index("flow: order-status") + 1
    assert main(["validate", str(tmp_path)]) == 0
    assert [out for out in capsys.readouterr().out.splitlines() if "is also the id" in out] == [
        f"{second}:{line}:7: warning: flow: 'order-status' is also the id of {first}: both "
        "draw simulated customers from the same seeds and `pytest-persona history "
        "order-status` lists both; give each flow its own id unless this one is a variant "
        "to compare with it"
    ]
    # The same file named twice is one flow, and one file alone has nothing to share.
    assert main(["validate", "--quiet", str(first), str(first), str(first)]) == 0
    assert main(["validate", "--quiet", str(second)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "1 file checked: 0 errors, 0 warnings", "1 file checked: 0 errors, 0 warnings"
    ]


def test_validate_checks_a_file_named_in_several_ways_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.persona.yaml").write_text("persona: coach\nbase: plain\n")
    (tmp_path / "sub" / "a.flow.yaml").write_text(ORDER.read_text())
    (tmp_path / "link.persona.yaml").symlink_to(tmp_path / "sub" / "b.persona.yaml")
    monkeypatch.chdir(tmp_path)
    given = ["sub/b.persona.yaml", "./sub/b.persona.yaml", str(tmp_path / "sub"),
             "sub/../sub/a.flow.yaml", "link.persona.yaml"]
    assert main(["validate", "--quiet", *given]) == 0
    assert capsys.readouterr().out.splitlines() == ["2 files checked: 0 errors, 0 warnings"]


def test_validate_a_folder_with_nothing_to_check_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path}: no flow or persona files in this folder or below" in out
    assert "Traceback" not in out and "Is a directory" not in out


def test_chat_sends_nothing_for_an_empty_line() -> None:
    """Three empty lines sent would be three misunderstandings: an escalated conversation."""
    out = _chat(["", "", "", "", "/quit"])
    assert "not understood" not in out and "ended:" not in out
    assert out.count("you> ") == 5


def test_chat_names_an_unknown_command_and_sends_nothing() -> None:
    out = _chat(["/frob", "/frob", "/frob", "/SLOTS", "/quit"])
    assert out.count("unknown command /frob: nothing sent (/restart  /slots") == 3
    assert "not understood" not in out and "ended:" not in out
    assert "slots: (none)" in out
