"""The simulator's pool of chit-chat and out-of-scope remarks, flavoured by style.

The pool lives with the simulated customers and is never handed to the assistant's
matcher: a flow recognises these only through its own ``off_topic`` examples.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from .personas import STYLES, Style

# remark -> the styles it suits ("any" suits all)
_POOL: tuple[tuple[str, str], ...] = (
    ("what's the weather like where you are", "any"),
    ("are you a robot", "any"),
    ("is this a real person", "any"),
    ("what's your name", "any"),
    ("do you have any discount codes", "any"),
    ("tell me a joke", "casual terse"),
    ("who won the football last night", "casual terse"),
    ("lol this is taking forever", "casual terse"),
    ("ugh my phone is nearly dead", "casual"),
    ("can you recommend a good film", "casual"),
    ("do you guys do gift cards", "casual"),
    ("what music do you like", "casual"),
    ("sorry my cat just walked across the keyboard", "casual"),
    ("is it cheaper on the app", "casual"),
    ("random but are you hiring", "casual"),
    ("whatever", "terse"),
    ("is this a bot", "terse"),
    ("hurry up", "terse"),
    ("this is so slow", "terse"),
    ("why so many questions", "terse"),
    ("boring", "terse"),
    ("what time is it", "terse casual"),
    ("how old are you", "casual formal"),
    ("may I ask where your company is located", "formal"),
    ("excuse me, is this service free of charge", "formal"),
    ("do you also speak Spanish", "formal"),
    ("what is the exchange rate for euros today", "formal"),
    ("I am learning English, sorry for my mistakes", "formal"),
    ("is there a holiday in your country this week", "formal"),
    ("can you help me with my visa application", "formal"),
    ("how is your day going", "formal chatty"),
    ("where are you based", "formal casual"),
    ("my grandson says these computers can talk now, is that right", "chatty"),
    ("it's been raining here all week, terrible weather", "chatty"),
    ("I used to go to your shop on the high street years ago", "chatty"),
    ("do you know if the buses are running today", "chatty"),
    ("my daughter normally does all this for me", "chatty"),
    ("I hope you're not working too hard, love", "chatty"),
    ("can you tell me what's on the telly tonight", "chatty"),
    ("the doctor says I should walk more, what do you think", "chatty"),
    ("I've just made a cup of tea", "chatty"),
    ("is it going to snow this weekend", "chatty casual"),
    ("do you have a catalogue you could post me", "chatty"),
    ("my neighbour had the same problem last year", "chatty"),
    ("what's the meaning of life", "casual"),
    ("i'm bored", "casual terse"),
    ("are you open on bank holidays", "any"),
    ("can I get a job there", "casual formal"),
)


def _by_style() -> Mapping[Style, tuple[str, ...]]:
    table: dict[Style, tuple[str, ...]] = {}
    for style in STYLES:
        table[style] = tuple(
            text for text, tags in _POOL if "any" in tags.split() or style in tags.split()
        )
    return table


OFF_TOPIC_POOL: tuple[str, ...] = tuple(text for text, _ in _POOL)
OFF_TOPIC_BY_STYLE: Mapping[Style, tuple[str, ...]] = _by_style()


def off_topic_remark(style: Style, rng: random.Random, avoid: str = "") -> str:
    """One remark that suits ``style``, not ``avoid`` (the previous one) if possible."""
    pool = OFF_TOPIC_BY_STYLE[style]
    remark = rng.choice(pool)
    if remark == avoid:
        remark = pool[(pool.index(remark) + 1) % len(pool)]
    return remark
