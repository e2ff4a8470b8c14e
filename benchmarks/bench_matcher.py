"""Speed of one ``StepMatcher.match`` against the rapidfuzz work it wraps.

A step of ten customer-service intents with five examples each, plus off-topic
examples, answers a fixed, seeded mix of realistic messages: paraphrases, short
replies, typing slips, long polite messages and unrelated chit-chat. Printed:

- the median time of one ``match()`` (warm caches, as in a simulation batch);
- the median time of the bare rapidfuzz calls the matcher makes for the same message
  (same query string, same choices, same arguments), and the ratio of the two
  (matcher time / bare rapidfuzz time), over the messages that reach rapidfuzz;
- the share of messages answered without any rapidfuzz call (no active word);
- the cost of the first sight of a message (cold caches: word analysis and repair).

    python benchmarks/bench_matcher.py [--quick]
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import LCSseq

from pytest_persona.flow.matcher import IntentMatcher, StepMatcher
from pytest_persona.flow.model import Flow, GlobalAction, Intent, OffTopic, Route, Step

INTENTS: dict[str, tuple[str, ...]] = {
    "track_order": (
        "where is my order",
        "track my package",
        "has my parcel shipped",
        "when will my order arrive",
        "order status",
    ),
    "change_address": (
        "change my delivery address",
        "ship it somewhere else",
        "send it to a different address",
        "update my address",
        "wrong address on my order",
    ),
    "cancel_order": (
        "cancel my order",
        "i don't want it anymore",
        "stop my order",
        "please cancel the purchase",
        "cancel it",
    ),
    "refund": (
        "i want a refund",
        "give me my money back",
        "how do i get refunded",
        "refund my payment",
        "can i get a refund",
    ),
    "return_item": (
        "return an item",
        "send this back",
        "how do i return something",
        "the item is broken i want to return it",
        "start a return",
    ),
    "opening_hours": (
        "what are your opening hours",
        "when are you open",
        "are you open on sunday",
        "what time do you close",
        "opening times",
    ),
    "reset_password": (
        "reset my password",
        "i forgot my password",
        "can't log in",
        "locked out of my account",
        "change my password",
    ),
    "agent": (
        "talk to a human",
        "real person please",
        "agent",
        "speak to someone",
        "customer service representative",
    ),
    "repeat": ("say that again", "sorry what", "can you repeat", "pardon", "come again"),
    "help": ("help", "what can you do", "what are my options", "i need help", "how does this work"),
}
GLOBALS = ("agent", "repeat", "help")
OFF_TOPIC = (
    "what's the weather like",
    "tell me a joke",
    "who won the match",
    "are you a robot",
    "what is the meaning of life",
)
BASE_MESSAGES = (
    "where's my order",
    "I haven't received my package yet",
    "track order",
    "when does my parcel arrive",
    "can you change the delivery address",
    "I moved, please send it to my new address",
    "cancel",
    "please cancel my order now",
    "I want my money back",
    "how can I get a refund for my purchase",
    "return it",
    "I'd like to return a broken item",
    "are you open tomorrow",
    "what time do you open",
    "I forgot my password and can't log in",
    "reset password",
    "human please",
    "let me speak to a real person",
    "what?",
    "say again please",
    "help me",
    "what can I do here",
    "yes",
    "no thanks",
    "what's the weather like today",
    "tell me something funny",
    "do you like football",
    "I have no idea where my parcel is",
)
_OPENERS = ("Hello there, I hope you are well.", "Hi,", "Good morning.")
_CLOSERS = ("Thank you so much.", "Thanks!", "Cheers")


def build_flow() -> Flow:
    intents = {
        name: Intent(
            name, examples, global_action=GlobalAction(goto="done") if name in GLOBALS else None
        )
        for name, examples in INTENTS.items()
    }
    routes = tuple(Route(name, "done") for name in INTENTS if name not in GLOBALS)
    steps = {
        "ask": Step(name="ask", kind="routes", say=("How can I help?",), routes=routes),
        "done": Step(name="done", kind="end", end="completed"),
    }
    return Flow(
        id="bench", start="ask", intents=intents, steps=steps, off_topic=OffTopic(OFF_TOPIC)
    )


def slip(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 20)):
        i = rng.randrange(len(chars))
        if chars[i].isalpha():
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz") if rng.random() < 0.6 else ""
    return "".join(chars)


def messages(count: int, seed: int = 0) -> list[str]:
    """A seeded mix of plain, typo-ridden and polite versions of the base messages."""
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        text = rng.choice(BASE_MESSAGES)
        roll = rng.random()
        if roll < 0.3:
            text = slip(rng, text)
        elif roll < 0.5:
            text = f"{rng.choice(_OPENERS)} {text}. {rng.choice(_CLOSERS)}"
        out.append(text)
    return out


def per_call(fn: Callable[[], object], repeat: int) -> float:
    """Seconds per call: the best of three batches of ``repeat`` calls."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, time.perf_counter() - start)
    return best / repeat


def bare_calls(step: StepMatcher, text: str) -> Callable[[], object] | None:
    """The rapidfuzz calls ``match`` makes for ``text``: same queries, choices, arguments
    (one pair per reading of the message)."""
    readings = list(step._reader.readings(text))  # benchmark only: reach the prepared inputs
    if not readings:
        return None
    if step._clear(step._score(*readings[0])):
        readings = readings[:1]  # the sentences are read only when the whole is unclear
    profiles, examples = step._profiles, step._examples

    def calls() -> None:
        for shared, _, present in readings:
            process.extract(
                shared, profiles, scorer=LCSseq.similarity, processor=None, limit=None,
                score_cutoff=1,
            )
            process.extract(
                present, examples, scorer=LCSseq.similarity, processor=None, limit=None,
                score_cutoff=1,
            )

    return calls


def run(count: int, repeat: int) -> None:
    flow = build_flow()
    active = [name for name in INTENTS]
    texts = messages(count)

    cold: list[float] = []
    for text in texts:
        fresh = IntentMatcher(flow).for_intents(active)
        start = time.perf_counter()
        fresh.match(text)
        cold.append(time.perf_counter() - start)

    step = IntentMatcher(flow).for_intents(active)
    for text in texts:
        step.match(text)  # warm the word caches, as a batch of conversations would
    whole: list[float] = []
    pairs: list[tuple[float, float, str]] = []  # (matcher, bare rapidfuzz, message)
    for text in texts:
        seconds = per_call(functools.partial(step.match, text), repeat)
        whole.append(seconds)
        call = bare_calls(step, text)
        if call is not None:
            pairs.append((seconds, per_call(call, repeat), text))

    matched = [m for m, _, _ in pairs]
    bare = [b for _, b, _ in pairs]
    ratios = sorted((m / b, text) for m, b, text in pairs)
    accepted = sum(step.match(t).accepted for t in texts)
    print(f"step: {len(active)} intents x 5 examples + {len(OFF_TOPIC)} off-topic examples")
    print(f"messages: {len(texts)} (accepted at defaults: {accepted}); {repeat} calls per timing")
    print(f"match(), warm, median over all messages:   {us(statistics.median(whole))}")
    print(f"match(), warm, messages reaching rapidfuzz: {us(statistics.median(matched))}")
    print(f"bare rapidfuzz calls, same messages:        {us(statistics.median(bare))}")
    print(
        f"ratio matcher / bare rapidfuzz: total {sum(matched) / sum(bare):.2f}, "
        f"median {statistics.median(r for r, _ in ratios):.2f}, "
        f"90th percentile {ratios[int(0.9 * (len(ratios) - 1))][0]:.2f}, "
        f"worst {ratios[-1][0]:.2f} ({ratios[-1][1]!r})"
    )
    print(f"answered without a rapidfuzz call: {len(texts) - len(pairs)}/{len(texts)}")
    print(f"match(), cold caches, median: {us(statistics.median(cold))}, max {us(max(cold))}")


def us(seconds: float) -> str:
    return f"{seconds * 1e6:7.2f} us"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for CI")
    args = parser.parse_args(argv)
    if args.quick:
        run(count=40, repeat=50)
    else:
        run(count=400, repeat=300)
    return 0


if __name__ == "__main__":
    sys.exit(main())
