"""How the intent matcher does on real customer messages (Banking77).

One step whose routes are ten Banking77 intents (``INTENTS``, fixed: distinct tasks
with a few near neighbours, as real flows have), each given the first N training
messages of its category in file order. Test messages of those ten intents should be
accepted as the right intent; test messages of the other 67 intents should not be
understood at all. Also shown: how acceptance falls with fewer examples and with
typing slips, and how it holds up when messages are wrapped in courtesies: the
behaviours the simulated personas rely on.

The matcher's weights were tuned on train.csv rows 11 to 50 of each category (never
used as examples here) and on simulated conversations, never on test.csv.

    python benchmarks/banking77_eval.py [DATA_DIR] [--examples N]

Data: Banking77 (Casanueva et al., 2020, PolyAI), CC BY 4.0; read from DATA_DIR,
never copied into this repository.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pytest_persona.flow.matcher import IntentMatcher
from pytest_persona.flow.model import Flow, FlowSettings, Intent, Route, Step

DEFAULT_DATA = Path("/work/shared/data/banking77")
ATTRIBUTION = (
    "Data: Banking77, Casanueva et al. (2020), 'Efficient Intent Detection with Dual "
    "Sentence Encoders', PolyAI; licensed CC BY 4.0."
)
# A fixed, varied step: distinct tasks, with some near neighbours (two PIN intents,
# two top-up intents, refund next to cancelling a transfer) as real flows have.
INTENTS = (
    "age_limit",
    "apple_pay_or_google_pay",
    "cancel_transfer",
    "card_arrival",
    "change_pin",
    "exchange_rate",
    "lost_or_stolen_card",
    "pin_blocked",
    "request_refund",
    "top_up_limits",
)
THRESHOLDS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.9)
_OPENERS = ("Hello there, I hope you are well.", "Hi, good morning!", "Sorry to bother you,")
_MIDDLES = ("I was wondering if you could tell me", "could you please help me with this:", "")
_CLOSERS = ("Thank you so much.", "Many thanks in advance!", "Cheers")


@dataclass(frozen=True)
class Outcome:
    correct: float  # in scope, accepted as the right intent
    wrong: float  # in scope, accepted as another intent
    not_understood: float  # in scope, not accepted
    out_accepted: float  # out of scope, accepted as any intent
    best_right: float  # in scope, the right intent ranked first, accepted or not


def read_rows(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"], row["category"]) for row in csv.DictReader(handle)]


def build_flow(train: Sequence[tuple[str, str]], per_intent: int, threshold: float) -> Flow:
    examples: dict[str, list[str]] = {name: [] for name in INTENTS}
    for text, category in train:
        bucket = examples.get(category)
        if bucket is not None and len(bucket) < per_intent:
            bucket.append(text)
    intents = {name: Intent(name, tuple(texts)) for name, texts in examples.items()}
    routes = tuple(Route(intent=name, goto="done") for name in INTENTS)
    steps = {
        "ask": Step(name="ask", kind="routes", say=("How can I help?",), routes=routes),
        "done": Step(name="done", kind="end", end="completed"),
    }
    return Flow(
        id="banking77",
        start="ask",
        intents=intents,
        steps=steps,
        settings=FlowSettings(match_threshold=threshold),
    )


def evaluate(
    flow: Flow,
    test: Sequence[tuple[str, str]],
    voice: Callable[[int, str], str] = lambda _i, text: text,
) -> Outcome:
    step = IntentMatcher(flow).for_intents(INTENTS)
    correct = wrong = missed = out_total = out_accepted = best_right = 0
    for index, (raw, category) in enumerate(test):
        match = step.match(voice(index, raw))
        if category in flow.intents:
            best_right += match.intent == category
            if not match.accepted:
                missed += 1
            elif match.intent == category:
                correct += 1
            else:
                wrong += 1
        else:
            out_total += 1
            out_accepted += match.accepted
    in_total = correct + wrong + missed
    return Outcome(
        correct / in_total,
        wrong / in_total,
        missed / in_total,
        out_accepted / max(1, out_total),
        best_right / in_total,
    )


def typos(index: int, text: str, rate: float = 0.03) -> str:
    """Seeded slips per letter, mixed as in typing studies: substitute, omit, insert, swap."""
    rng = random.Random(index)
    letters = "abcdefghijklmnopqrstuvwxyz"
    out: list[str] = []
    chars = list(text)
    i = 0
    while i < len(chars):
        ch = chars[i]
        roll = rng.random()
        if not ch.isalpha() or roll >= rate:
            out.append(ch)
        elif roll < rate * 0.5:
            out.append(rng.choice(letters))
        elif roll < rate * 0.75:
            pass
        elif roll < rate * 0.9:
            out.extend((ch, rng.choice(letters)))
        elif i + 1 < len(chars):
            out.extend((chars[i + 1], ch))
            i += 1
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def polite(index: int, text: str) -> str:
    """The message wrapped in a greeting, a lead-in and a sign-off, as an elderly voice."""
    rng = random.Random(index)
    body = text[0].lower() + text[1:] if text else text
    return " ".join(
        part
        for part in (rng.choice(_OPENERS), rng.choice(_MIDDLES), body, rng.choice(_CLOSERS))
        if part
    )


def pct(value: float) -> str:
    return f"{100 * value:5.1f}%"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--examples", type=int, default=10, help="examples per intent")
    args = parser.parse_args(argv)
    if not (args.data / "train.csv").is_file() or not (args.data / "test.csv").is_file():
        print(f"no Banking77 train.csv and test.csv in {args.data}", file=sys.stderr)
        return 2
    train = read_rows(args.data / "train.csv")
    test = read_rows(args.data / "test.csv")
    in_scope = sum(category in INTENTS for _, category in test)
    print(ATTRIBUTION)
    print(f"step: {len(INTENTS)} intents x {args.examples} examples (first rows of train.csv)")
    print(f"intents: {', '.join(INTENTS)}")
    print(f"test: {in_scope} messages of these intents, {len(test) - in_scope} of the other 67\n")

    base = evaluate(build_flow(train, args.examples, 0.75), test)
    print("default settings (match_threshold 0.75, ambiguity_margin 0.05):")
    print(
        f"  in scope:     correct {pct(base.correct)}   wrong {pct(base.wrong)}   "
        f"not understood {pct(base.not_understood)}"
    )
    print(f"  out of scope: wrongly accepted {pct(base.out_accepted)}")
    print(f"  right intent ranked first, whatever its confidence: {pct(base.best_right)}\n")

    print("threshold  correct   wrong  not-und.  out-of-scope accepted")
    for threshold in THRESHOLDS:
        o = evaluate(build_flow(train, args.examples, threshold), test)
        print(
            f"  {threshold:4.2f}    {pct(o.correct)}  {pct(o.wrong)}  {pct(o.not_understood)}"
            f"   {pct(o.out_accepted)}"
        )

    print("\nin-scope correct at 0.75 by examples per intent and voice:")
    print("examples   clean   typos 3%   polite   out-of-scope accepted (clean)")
    for count in (1, 3, 5, 10):
        flow = build_flow(train, count, 0.75)
        clean = evaluate(flow, test)
        slipped = evaluate(flow, test, typos)
        wrapped = evaluate(flow, test, polite)
        print(
            f"  {count:3d}     {pct(clean.correct)}   {pct(slipped.correct)}   "
            f"{pct(wrapped.correct)}   {pct(clean.out_accepted)}"
        )
    print("\n" + ATTRIBUTION)
    return 0


if __name__ == "__main__":
    sys.exit(main())
