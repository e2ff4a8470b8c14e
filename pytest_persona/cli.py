"""The ``pytest-persona`` command: validate, chat, replay, history, report.

Every input mistake ends in one clear line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .flow.errors import FlowError

if TYPE_CHECKING:
    from .customers.personas import Persona
    from .selection import PersonaChoice


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
    except FlowError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python's exit-time
        # flush of stdout from raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return result


def _build_parser() -> argparse.ArgumentParser:
    from .history_cli import add_history_parsers, non_negative
    from .validate_cli import validate_command

    parser = argparse.ArgumentParser(
        prog="pytest-persona",
        description="Stress-test chatbot flows with simulated customer personas.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate", help="check flow and persona files (a folder: every one in it and below)"
    )
    validate.add_argument("files", nargs="+", metavar="PATH")
    validate.add_argument("--quiet", "-q", action="store_true", help="errors only, no warnings")
    validate.set_defaults(handler=validate_command)

    chat = commands.add_parser("chat", help="talk to a flow in the terminal")
    chat.add_argument("file", metavar="FILE")
    chat.add_argument("--persona", help="apply this persona's typing noise to what you type")
    chat.add_argument("--seed", type=_seed, default=0, metavar="N|random",
                      help="seed for the persona's noise (as --persona-seed takes)")
    chat.set_defaults(handler=_chat)

    replay = commands.add_parser("replay", help="print one simulated conversation")
    replay.add_argument("file", metavar="FILE")
    replay.add_argument("--persona", required=True, help="a built-in name or a .persona.yaml file")
    replay.add_argument("--conversation", type=non_negative, required=True, metavar="I")
    replay.add_argument("--seed", type=_seed, default=0, metavar="N|random",
                        help="the run's seed (as --persona-seed takes; default 0)")
    replay.set_defaults(handler=_replay)

    schema = commands.add_parser("schema", help="print where the flow JSON Schema is installed")
    schema.add_argument("--modeline", action="store_true",
                        help="print the yaml-language-server line to put atop a flow file")
    schema.set_defaults(handler=_schema)

    add_history_parsers(commands)
    return parser


def _seed(text: str) -> int:
    """A seed as ``--persona-seed`` takes it; ``random`` draws one (replay prints it)."""
    from .rng import draw_seed, parse_seed

    try:
        seed = parse_seed(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return draw_seed() if seed == "random" else seed


def resolve_persona(name: str, flow_path: str | None = None) -> Persona:
    """A built-in persona by name, a custom one from a ``*.persona.yaml`` path, or a
    custom one by name among the persona files a test run would give the flow: in its
    folder and the folders above it, up to the repository's root or the current folder."""
    from .customers.persona_file import load_persona_file
    from .customers.personas import BUILTIN_PERSONAS, get_persona

    if name.endswith((".yaml", ".yml")) or Path(name).is_file():
        return load_persona_file(name)
    if name not in BUILTIN_PERSONAS and flow_path is not None:
        found = _personas_near(Path(flow_path).resolve()).get(name)
        if found is not None:
            return found.persona
    return get_persona(name)


def _personas_near(flow: Path) -> dict[str, PersonaChoice]:
    from .selection import DEFAULT_PERSONA_FILE_PATTERNS, PersonaCatalog

    top = Path(flow.anchor)
    for folder in flow.parents:
        if (folder / ".git").exists() or folder == Path.cwd():
            top = folder
            break
    catalog = PersonaCatalog(top, DEFAULT_PERSONA_FILE_PATTERNS, (), ())
    return catalog.available(flow)[0]


def _replay(args: argparse.Namespace) -> int:
    from .customers.goals import located
    from .flow.loader import load_flow
    from .report.transcript import format_transcript
    from .simulation import GoalUnreachable, Simulator

    flow = load_flow(args.file)
    try:
        persona = resolve_persona(args.persona, args.file)
    except KeyError as error:
        print(f"pytest-persona: {error.args[0]}", file=sys.stderr)
        return 2
    try:
        simulator = Simulator(flow, persona, args.seed)
    except GoalUnreachable as error:
        print(f"{flow.path}:{located(flow, error)}", file=sys.stderr)
        return 1
    transcript = simulator.transcript(args.conversation)
    print(format_transcript(transcript, flow.path, persona.name, args.seed))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .flow.loader import schema_path

    path = Path(schema_path()).resolve()
    print(f"# yaml-language-server: $schema={path.as_uri()}" if args.modeline else path)
    return 0


def _chat(args: argparse.Namespace) -> int:
    from .chat import ChatSession

    try:
        session = ChatSession.open(args.file, args.persona, args.seed)
    except KeyError as error:  # an unknown persona name, with a suggestion
        print(f"pytest-persona: {error.args[0]}", file=sys.stderr)
        return 2
    return session.run(sys.stdin, sys.stdout)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
