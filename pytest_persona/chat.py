"""``pytest-persona chat``: talk to a flow yourself, seeing what the engine understood.

Typing a quick-reply label clicks it; ``/restart`` starts over and ``/quit`` leaves.
An empty line or a mistyped ``/command`` sends nothing: sent, it would count as a
misunderstanding, and three in a row end the conversation as escalated.
With a persona, what you type first passes through that persona's typing noise, so
you can feel how a typo-prone customer's message lands.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from .flow.engine import Assistant, Conversation, Reply
from .flow.loader import load_flow
from .flow.model import Flow
from .rng import derive_rng

Noise = Callable[[str, random.Random], str]

HELP = "commands: /restart  /slots  /quit   (type a button's label to click it)"
COMMANDS = ("/restart", "/slots", "/quit", "/exit", "/help", "/?")


@dataclass
class ChatSession:
    flow: Flow
    noise: Noise | None = None
    seed: int = 0

    @classmethod
    def open(cls, path: str, persona: str | None = None, seed: int = 0) -> ChatSession:
        flow = load_flow(path)
        noise: Noise | None = None
        if persona is not None:
            from .cli import resolve_persona
            from .customers.voice import typing_noise_for

            noise = typing_noise_for(resolve_persona(persona, path))
        return cls(flow, noise, seed)

    def run(self, stdin: TextIO, stdout: TextIO) -> int:
        assistant = Assistant(self.flow)
        conversation, reply = self._restart(assistant, stdout)
        turn = 0
        while True:
            stdout.write("you> ")
            stdout.flush()
            line = stdin.readline()
            if not line:
                stdout.write("\n")
                return 0
            text = line.strip()
            command = text.casefold()
            if not text:
                continue
            if command in ("/quit", "/exit"):
                return 0
            if command == "/restart":
                conversation, reply = self._restart(assistant, stdout)
                continue
            if command == "/slots":
                filled = ", ".join(f"{k}={v}" for k, v in sorted(conversation.slots.items()))
                stdout.write(f"  slots: {filled or '(none)'}\n")
                continue
            if command in ("/help", "/?"):
                stdout.write(HELP + "\n")
                continue
            label = _button_for(text, reply.buttons)
            if label is None and _looks_like_a_command(text):
                known = "  ".join(COMMANDS)
                stdout.write(f"  unknown command {text.split()[0]}: nothing sent ({known})\n")
                continue
            if conversation.ended:
                stdout.write("  (the conversation has ended: /restart or /quit)\n")
                continue
            if label is not None:
                reply = conversation.click(label)
            else:
                if self.noise is not None:
                    text = self.noise(text, derive_rng("chat", self.seed, turn))
                    stdout.write(f"  (sent as: {text})\n")
                reply = conversation.reply(text)
            turn += 1
            _show(reply, stdout)

    def _restart(self, assistant: Assistant, stdout: TextIO) -> tuple[Conversation, Reply]:
        # The noise seed is shown so that a drawn one (``--seed random``) can be typed again.
        noise = f", typing noise seed {self.seed}" if self.noise is not None else ""
        stdout.write(f"chatting with {self.flow.id} ({self.flow.path}{noise}). {HELP}\n")
        conversation = assistant.conversation()
        reply = conversation.start()
        _show(reply, stdout)
        return conversation, reply


def _looks_like_a_command(text: str) -> bool:
    """``/frob`` is a command mistyped, not a message; ``/ 2 large`` or ``//`` may be either."""
    return len(text) > 1 and text[0] == "/" and text[1].isalpha()


def _button_for(text: str, labels: tuple[str, ...]) -> str | None:
    folded = text.casefold()
    for label in labels:
        if label.casefold() == folded:
            return label
    return None


def _show(reply: Reply, stdout: TextIO) -> None:
    for message in reply.messages:
        stdout.write(f"bot> {message}\n")
    if reply.buttons:
        stdout.write("     " + "  ".join(f"[{label}]" for label in reply.buttons) + "\n")
    notes: list[str] = []
    if reply.misunderstood:
        notes.append("not understood")
    if reply.intent is not None:
        notes.append(f"intent {reply.intent}")
    if reply.intent is not None or reply.misunderstood:
        notes.append(f"confidence {reply.confidence:.2f}")
    for slot, value in sorted(reply.filled.items()):
        notes.append(f"{slot}={value}")
    if reply.outcome is not None:
        notes.append(f"ended: {reply.outcome}")
    elif reply.step is not None:
        notes.append(f"step {reply.step}")
    stdout.write(f"     [{', '.join(notes)}]\n")
