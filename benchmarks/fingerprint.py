"""A digest of everything simulations produce, to prove an optimisation changed nothing.

Runs every built-in persona over every example flow at seeds 0, 1 and 2 (50
conversations each) and hashes each conversation's full transcript (every turn's
speaker, text, intent, confidence, step and flags) with the batch's result (scores,
summaries, kept transcripts). With ``--scale N`` it also runs the four default
personas (10 conversations, seed 0) over N flows of the scale generator. Prints one
digest per part and an overall one; ``--detail FILE`` writes one line per batch so
two runs can be diffed to find what moved. ``--shared`` builds the per-flow parts once
per flow and shares them between personas (the plugin's way) where the API allows.

    python -m benchmarks.fingerprint [--scale 50] [--detail out.txt] [--shared]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import example_flow_paths
from pytest_persona.customers.personas import DEFAULT_PERSONAS, persona_names
from pytest_persona.flow.engine import Assistant
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.model import Flow
from pytest_persona.simulation import FlowPreparation, Simulator

SEEDS = (0, 1, 2)
COUNT = 50
SCALE_COUNT = 10


def _preparation(flow: Flow, shared: bool) -> dict[str, Any]:
    """Keyword arguments sharing one flow's persona-independent parts, when asked."""
    if not shared:
        return {}
    return {"assistant": Assistant(flow), "preparation": FlowPreparation(flow)}


def batch_digest(flow: Flow, persona: str, seed: int, count: int, shared: dict[str, Any]) -> str:
    from pytest_persona.customers.personas import get_persona

    simulator = Simulator(flow, get_persona(persona), seed, **shared)
    result = simulator.batch(count)
    h = hashlib.sha256(json.dumps(result.to_dict(), sort_keys=True).encode())
    for index in range(count):
        transcript = simulator.transcript(index)
        for turn in transcript.turns:
            h.update(repr(turn).encode())
        h.update(repr(transcript.summary).encode())
    return h.hexdigest()


def digests(flows: list[Flow], personas: tuple[str, ...], seeds: tuple[int, ...],
            count: int, shared: bool) -> list[tuple[str, str]]:  # fmt: skip
    rows = []
    for flow in flows:
        prepared = _preparation(flow, shared)
        for persona in personas:
            for seed in seeds:
                rows.append((f"{flow.id} {persona} {seed}",
                             batch_digest(flow, persona, seed, count, prepared)))  # fmt: skip
    return rows


def scale_flows(files: int) -> list[Flow]:
    """Generated flows, written to a fixed folder: a flow's path is part of its result."""
    from benchmarks.scale import write_flows

    folder = Path(tempfile.gettempdir()) / f"persona-fingerprint-scale-{files}"
    return [load_flow(path) for path in write_flows(folder, files)]


def combined(rows: list[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for key, digest in rows:
        h.update(f"{key} {digest}\n".encode())
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=0, help="also N generated flows")
    parser.add_argument("--detail", type=Path, help="write one digest per batch here")
    parser.add_argument("--shared", action="store_true", help="share per-flow parts")
    parser.add_argument("--no-examples", action="store_true", help="skip the example flows")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str]] = []
    if not args.no_examples:
        flows = [load_flow(path) for path in example_flow_paths()]
        found = digests(flows, persona_names(), SEEDS, COUNT, args.shared)
        print(f"examples {combined(found)}")
        rows += found
    if args.scale:
        found = digests(scale_flows(args.scale), DEFAULT_PERSONAS, (0,), SCALE_COUNT,
                        args.shared)  # fmt: skip
        print(f"scale    {combined(found)}")
        rows += found
    print(f"all      {combined(rows)}")
    if args.detail:
        args.detail.write_text("".join(f"{k} {d}\n" for k, d in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
