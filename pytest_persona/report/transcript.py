"""One conversation as plain text: for replay, failure reports and xdist output."""

from __future__ import annotations

import shlex

from ..results import Transcript, Turn


def replay_command(flow_path: str, persona: str, index: int, seed: int) -> str:
    return (
        f"pytest-persona replay {shlex.quote(flow_path)} --persona {shlex.quote(persona)} "
        f"--conversation {index} --seed {seed}"
    )


def turn_notes(
    turn: Turn, intent: str = "intent ", confidence: str = "confidence ", step: str = "step "
) -> list[str]:
    """What an assistant turn understood, how sure it was and where it waits, as tags;
    the HTML report shows them labelled, the plain text tersely."""
    notes: list[str] = []
    if turn.misunderstood:
        notes.append("not understood")
    if turn.intent is not None:
        notes.append(f"{intent}{turn.intent}")
    if turn.confidence is not None:
        notes.append(f"{confidence}{turn.confidence:.2f}")
    if turn.step is not None:
        notes.append(f"{step}{turn.step}")
    return notes


def describe_turn(turn: Turn) -> str:
    """The note after an assistant turn in plain text: ``[refund, 0.83, @ ask_order]``."""
    notes = turn_notes(turn, intent="", confidence="", step="@ ")
    return f"[{', '.join(notes)}]" if notes else ""


def format_transcript(
    transcript: Transcript, flow_path: str, persona: str, seed: int, indent: str = "",
    persona_arg: str | None = None,
) -> str:
    """The conversation under its persona's name; ``persona_arg`` is what the replay
    command should pass instead, when that differs (a custom persona's file)."""
    summary = transcript.summary
    stopped = f", stopped at {summary.stopped_at}" if summary.stopped_at else ""
    lines = [
        f"{indent}conversation {summary.index} ({persona}, seed {seed}): goal {summary.goal}, "
        f"{summary.outcome} after {summary.customer_turns} customer "
        f"turn{'' if summary.customer_turns == 1 else 's'}{stopped}"
    ]
    for turn in transcript.turns:
        if turn.speaker == "customer":
            marks = " (clicked)" if turn.clicked else " (off-topic)" if turn.off_topic else ""
            lines.append(f"{indent}  customer : {turn.text}{marks}")
        else:
            # A conversation that ends stuck ends on the assistant's silence.
            text_lines = turn.text.splitlines() or ["(no answer: the conversation ends stuck)"]
            lines.append(f"{indent}  assistant: {text_lines[0]}")
            lines.extend(f"{indent}             {more}" for more in text_lines[1:])
            note = describe_turn(turn)
            if note:
                lines.append(f"{indent}             {note}")
    replay = replay_command(flow_path, persona_arg or persona, summary.index, seed)
    lines.append(f"{indent}  replay: {replay}")
    return "\n".join(lines)
