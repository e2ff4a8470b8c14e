"""The simulator's pool of chit-chat and out-of-scope remarks, flavoured by style.

The pool lives with the simulated customers and is never handed to the assistant's
matcher: a flow recognises these only through its own ``off_topic`` examples.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping

from .personas import STYLES, Style

# (remark, the styles it suits ("any" suits all), the phrase-bank task that makes it
# the flow's own business rather than a digression: a flow that answers opening hours
# hears "are you open on bank holidays" as a request, so its customers do not wander
# with it)
_POOL: tuple[tuple[str, str, str], ...] = (
    ("what's the weather like where you are", "any", ""),
    ("are you a robot", "any", ""),
    ("is this a real person", "any", ""),
    ("what's your name", "any", ""),
    ("do you have any discount codes", "any", "prices"),
    ("tell me a joke", "casual terse", ""),
    ("who won the football last night", "casual terse", ""),
    ("lol this is taking forever", "casual terse", ""),
    ("ugh my phone is nearly dead", "casual", ""),
    ("can you recommend a good film", "casual", ""),
    ("do you guys do gift cards", "casual", ""),
    ("what music do you like", "casual", ""),
    ("sorry my cat just walked across the keyboard", "casual", ""),
    ("is it cheaper on the app", "casual", "prices"),
    ("random but are you hiring", "casual", ""),
    ("whatever", "terse", ""),
    ("is this a bot", "terse", ""),
    ("hurry up", "terse", ""),
    ("this is so slow", "terse", ""),
    ("why so many questions", "terse", ""),
    ("boring", "terse", ""),
    ("what time is it", "terse casual", ""),
    ("how old are you", "casual formal", ""),
    ("may I ask where your company is located", "formal", "store_location"),
    ("excuse me, is this service free of charge", "formal", "prices"),
    ("do you also speak Spanish", "formal", ""),
    ("what is the exchange rate for euros today", "formal", ""),
    ("I am learning English, sorry for my mistakes", "formal", ""),
    ("is there a holiday in your country this week", "formal", ""),
    ("can you help me with my visa application", "formal", ""),
    ("how is your day going", "formal chatty", ""),
    ("where are you based", "formal casual", "store_location"),
    ("my grandson says these computers can talk now, is that right", "chatty", ""),
    ("it's been raining here all week, terrible weather", "chatty", ""),
    ("I used to go to your shop on the high street years ago", "chatty", ""),
    ("do you know if the buses are running today", "chatty", ""),
    ("my daughter normally does all this for me", "chatty", ""),
    ("I hope you're not working too hard, love", "chatty", ""),
    ("can you tell me what's on the telly tonight", "chatty", ""),
    ("the doctor says I should walk more, what do you think", "chatty", ""),
    ("I've just made a cup of tea", "chatty", ""),
    ("is it going to snow this weekend", "chatty casual", ""),
    ("do you have a catalogue you could post me", "chatty", ""),
    ("my neighbour had the same problem last year", "chatty", ""),
    ("what's the meaning of life", "casual", ""),
    ("i'm bored", "casual terse", ""),
    ("are you open on bank holidays", "any", "opening_hours"),
    ("can I get a job there", "casual formal", ""),
)


def _by_style() -> Mapping[Style, tuple[tuple[str, str], ...]]:
    table: dict[Style, tuple[tuple[str, str], ...]] = {}
    for style in STYLES:
        table[style] = tuple(
            (text, topic)
            for text, tags, topic in _POOL
            if "any" in tags.split() or style in tags.split()
        )
    return table


OFF_TOPIC_POOL: tuple[str, ...] = tuple(text for text, _, _ in _POOL)
OFF_TOPIC_TOPICS: frozenset[str] = frozenset(topic for _, _, topic in _POOL if topic)
_BY_STYLE = _by_style()


@functools.lru_cache(maxsize=256)
def off_topic_pool(style: Style, in_scope: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The remarks that suit ``style``, less those about a task in ``in_scope`` (phrase
    bank keys the flow has an intent for)."""
    return tuple(text for text, topic in _BY_STYLE[style] if topic not in in_scope)


def off_topic_remark(
    style: Style, rng: random.Random, avoid: str = "", in_scope: frozenset[str] = frozenset()
) -> str:
    """One remark that suits ``style`` and is off the flow's topics, not ``avoid`` (the
    previous one) if possible."""
    pool = off_topic_pool(style, in_scope)
    remark = rng.choice(pool)
    if remark == avoid:
        remark = pool[(pool.index(remark) + 1) % len(pool)]
    return remark
