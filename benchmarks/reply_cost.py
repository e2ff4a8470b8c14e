"""What one ``Conversation.reply()`` costs next to the bare rapidfuzz calls it makes.

Simulated customers of every persona talk to each example flow once while the
matcher's ``process.extract`` calls are captured per reply (query, choices and
arguments). Replaying a customer's messages on a fresh conversation reproduces every
state, because the engine is deterministic; so each ``reply()`` can then be timed
again and again, warm (as in a batch), next to the same rapidfuzz calls made bare, and
next to the waiting step's ``match()`` alone. The ratio reply / bare is the cost of
everything around rapidfuzz: word analysis, typo repair, scoring, slots, the reply.

    python -m benchmarks.reply_cost [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import ALL_PERSONAS, example_flow_paths
from pytest_persona.customers.customer import CustomerFactory
from pytest_persona.customers.personas import get_persona
from pytest_persona.flow import matcher as matcher_module
from pytest_persona.flow.engine import Assistant, Conversation
from pytest_persona.flow.loader import load_flow
from pytest_persona.flow.matcher import StepMatcher
from pytest_persona.flow.model import Flow

Call = tuple[str, Sequence[str], dict[str, Any]]


@dataclass
class Script:
    """One customer's moves, replayable: ("text", message) or ("click", label)."""

    moves: list[tuple[str, str]] = field(default_factory=list)
    calls: list[list[Call]] = field(default_factory=list)  # per move: rapidfuzz calls made


class _Recorder:
    """Stands in for ``rapidfuzz.process`` inside the matcher module while recording."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[Call] = []

    def extract(self, query: str, choices: Sequence[str], **kwargs: Any) -> Any:
        self.calls.append((query, choices, kwargs))
        return self.real.extract(query, choices, **kwargs)


@contextmanager
def recording() -> Iterator[_Recorder]:
    real = vars(matcher_module)["process"]
    recorder = _Recorder(real)
    setattr(matcher_module, "process", recorder)  # noqa: B010 (benchmark only)
    try:
        yield recorder
    finally:
        setattr(matcher_module, "process", real)  # noqa: B010


def record_scripts(flow: Flow, assistant: Assistant, personas: Sequence[str],
                   per_persona: int) -> list[Script]:  # fmt: skip
    scripts: list[Script] = []
    with recording() as recorder:
        for name in personas:
            factory = CustomerFactory(flow, get_persona(name), seed=0)
            for index in range(per_persona):
                customer = factory.customer(index)
                conversation = assistant.conversation()
                reply = conversation.start()
                script = Script()
                while not conversation.ended:
                    move = customer.respond(reply)
                    if move.kind == "give_up":
                        break
                    recorder.calls = []
                    if move.kind == "click":
                        reply = conversation.click(move.text)
                    else:
                        reply = conversation.reply(move.text)
                    script.moves.append((move.kind, move.text))
                    script.calls.append(recorder.calls)
                scripts.append(script)
    return scripts


def _forget_scores(step_matcher: StepMatcher | None) -> None:
    """Replays would otherwise be answered from the matcher's score memos, skipping the
    rapidfuzz calls they are compared with: keep the word and sentence analyses (warm,
    as in a long run) but score every reply afresh, as a message not seen before is."""
    if step_matcher is not None:
        step_matcher.forget_scores()


def _time_once(assistant: Assistant, scripts: list[Script], run: int) -> tuple[
        list[float], list[float], list[float]]:  # fmt: skip
    """Seconds of every typed reply: reply(), its step's match() alone, its calls bare.

    Whichever of reply() and the bare calls runs first pays for the caches the other
    then finds warm (the same strings, the same rapidfuzz tables): timed always first,
    reply() read about 11% dearer against the bare calls than timed always second. So
    the order alternates from reply to reply and from ``run`` to run, and each side is
    first half the time; match() alone always runs between them."""
    clock = time.perf_counter
    replies: list[float] = []
    matches: list[float] = []
    bares: list[float] = []
    plans = assistant.plans
    extract = vars(matcher_module)["process"].extract
    typed = run
    for script in scripts:
        conversation = assistant.conversation()
        conversation.start()
        for (kind, text), calls in zip(script.moves, script.calls, strict=True):
            if kind == "click":
                conversation.click(text)
                continue
            waiting = conversation.step
            assert waiting is not None
            step_matcher = plans[waiting].matcher
            typed += 1
            bare_first = typed % 2 == 0
            if bare_first:
                bares.append(_time_bare(extract, calls))
            else:
                replies.append(_time_reply(conversation, step_matcher, text))
            if step_matcher is not None:
                _forget_scores(step_matcher)
                began = clock()
                step_matcher.match(text)
                matches.append(clock() - began)
            else:
                matches.append(0.0)
            if bare_first:
                replies.append(_time_reply(conversation, step_matcher, text))
            else:
                bares.append(_time_bare(extract, calls))
    return replies, matches, bares


def _time_reply(conversation: Conversation, step_matcher: StepMatcher | None,
                text: str) -> float:  # fmt: skip
    _forget_scores(step_matcher)
    began = time.perf_counter()
    conversation.reply(text)
    return time.perf_counter() - began


def _time_bare(extract: Callable[..., object], calls: list[Call]) -> float:
    began = time.perf_counter()
    for query, choices, kwargs in calls:
        extract(query, choices, **kwargs)
    return time.perf_counter() - began


def measure(paths: Sequence[str | os.PathLike[str]] | None = None, per_persona: int = 20,
            repeats: int = 7) -> dict[str, Any]:  # fmt: skip
    """Per flow and over all: medians of per-reply times and the reply / bare ratio."""
    chosen = [os.fspath(p) for p in (paths or example_flow_paths())]
    per_flow: dict[str, dict[str, float]] = {}
    sums = {"reply": 0.0, "match": 0.0, "bare": 0.0}
    all_ratios: list[float] = []
    all_replies: list[float] = []
    counted = typed = 0
    for path in chosen:
        flow = load_flow(path)
        assistant = Assistant(flow)
        scripts = record_scripts(flow, assistant, ALL_PERSONAS, per_persona)
        runs = [_time_once(assistant, scripts, run) for run in range(repeats)]
        reply = [statistics.median(r[0][i] for r in runs) for i in range(len(runs[0][0]))]
        match = [statistics.median(r[1][i] for r in runs) for i in range(len(runs[0][1]))]
        bare = [statistics.median(r[2][i] for r in runs) for i in range(len(runs[0][2]))]
        made = [bool(calls) for s in scripts for (kind, _), calls in zip(s.moves, s.calls,
                                                                         strict=True)
                if kind != "click"]  # fmt: skip
        with_calls = [i for i, has in enumerate(made) if has]
        flow_sums = {name: sum(values[i] for i in with_calls)
                     for name, values in (("reply", reply), ("match", match), ("bare", bare))}
        for name, value in flow_sums.items():
            sums[name] += value
        ratios = [reply[i] / bare[i] for i in with_calls if bare[i] > 0]
        all_ratios += ratios
        all_replies += reply
        counted += len(with_calls)
        typed += len(reply)
        per_flow[flow.id] = {
            "replies": len(reply),
            "replies_reaching_rapidfuzz": len(with_calls),
            "reply_us_median": statistics.median(reply) * 1e6 if reply else 0.0,
            "bare_us_median": statistics.median(bare[i] for i in with_calls) * 1e6
            if with_calls else 0.0,
            "ratio_total": flow_sums["reply"] / flow_sums["bare"] if flow_sums["bare"] else 0.0,
            "ratio_median": statistics.median(ratios) if ratios else 0.0,
        }
    ordered = sorted(all_ratios)
    return {
        "flows": per_flow,
        "replies": typed,
        "replies_reaching_rapidfuzz": counted,
        "reply_us_median": statistics.median(all_replies) * 1e6,
        "ratio_total": sums["reply"] / sums["bare"],
        "match_ratio_total": sums["match"] / sums["bare"],
        "ratio_median": statistics.median(ordered),
        "ratio_p90": ordered[int(0.9 * (len(ordered) - 1))],
        "reply_us_mean_reaching": sums["reply"] / counted * 1e6,
        "bare_us_mean": sums["bare"] / counted * 1e6,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two flows, a few customers")
    args = parser.parse_args(argv)
    paths = example_flow_paths()
    found = measure(paths[:2], 3, 3) if args.quick else measure(paths, 20, 7)
    for flow_id, row in found["flows"].items():
        print(f"{flow_id:22s} replies={row['replies']:5d} reply median "
              f"{row['reply_us_median']:6.1f} us, bare {row['bare_us_median']:6.1f} us, "
              f"ratio total {row['ratio_total']:.2f} median {row['ratio_median']:.2f}")
    print(f"all: reply / bare rapidfuzz = {found['ratio_total']:.2f} (total), "
          f"{found['ratio_median']:.2f} (median), {found['ratio_p90']:.2f} (90th pct); "
          f"match() alone / bare = {found['match_ratio_total']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
