"""Pleasantries and padding per style: the words a register adds around the request.

Pure data, chosen by a persona's ``style`` field: greetings for a first message,
openers for later ones, closings, context sentences that lengthen a first message and
asides that lengthen later ones (mostly social words: a later turn answers a question).
"""

from __future__ import annotations

from collections.abc import Mapping

from .personas import Style

GREETINGS: Mapping[Style, tuple[str, ...]] = {
    "terse": ("hi,", "yo,"),
    "casual": ("hi,", "hey,", "hello,", "hi there,", "hiya,", "hi"),
    "formal": (
        "Hello,",
        "Good morning,",
        "Excuse me,",
        "Good day,",
        "Hello, I hope you are well.",
        "Dear sir or madam,",
    ),
    "chatty": (
        "Hello dear,",
        "Good morning.",
        "Oh hello,",
        "Hello there, I hope you're keeping well.",
        "Good afternoon.",
        "Hello, is this the right place?",
        "Hello love,",
    ),
}

OPENERS: Mapping[Style, tuple[str, ...]] = {
    "terse": ("ok,", "so"),
    "casual": ("ok,", "right,", "so", "oh ok,", "ah ok"),
    "formal": ("Okay,", "I see.", "I understand.", "Thank you.", "Alright,"),
    "chatty": ("Oh,", "Well,", "Oh dear,", "Right,", "Oh I see,", "Now then,", "Let me see,"),
}

CLOSINGS: Mapping[Style, tuple[str, ...]] = {
    "terse": ("thx",),
    "casual": ("thanks", "cheers", "ty", "thanks!"),
    "formal": ("Thank you.", "Thank you very much.", "Thank you for your help.",
               "Thank you in advance."),
    "chatty": (
        "Thank you ever so much.",
        "Thanks dear.",
        "Many thanks, Margaret.",
        "Bless you, thank you.",
        "Kind regards, Joan.",
        "Thank you for your patience with me.",
        "Much appreciated, thank you.",
    ),
}  # fmt: skip

# Context that lengthens a first message: who is asking and why.
CONTEXT: Mapping[Style, tuple[str, ...]] = {
    "terse": (),
    "casual": (
        "quick question",
        "hope you can help",
        "been meaning to sort this",
        "no rush",
        "sorry if this is a silly question",
        "bit confused",
    ),
    "formal": (
        "I have a question, please.",
        "I hope you can help me.",
        "Sorry for my English.",
        "I need some help with this.",
        "I would be grateful for your help.",
        "I am writing to ask about this.",
    ),
    "chatty": (
        "I hope you can help me with something.",
        "I'm not very good with these computer things.",
        "My daughter usually does this for me but she's away this week.",
        "I've been trying to sort this out all morning.",
        "I don't want to be a nuisance.",
        "I was told to use this chat thing.",
        "Sorry if I'm doing this wrong.",
        "It's the first time I've done it this way.",
        "I did try the telephone but nobody answered.",
        "I'd be ever so grateful.",
        "I hope that makes sense.",
        "Please bear with me, I'm a bit slow at typing.",
        "My eyes aren't what they used to be.",
        "I wrote everything down on a piece of paper.",
        "My neighbour said you would know what to do.",
        "I've had a bit of a muddle with it all.",
    ),
}

# Asides that lengthen a later message without changing what it asks: social words,
# never a yes, a no or a request of their own, so they pad an answer without
# contradicting it (a real "I hope you can help" stays in the first message's context).
ASIDES: Mapping[Style, tuple[str, ...]] = {
    "terse": (),
    "casual": ("hmm", "one sec", "let me check", "no worries", "bear with me"),
    "formal": (
        "I understand.",
        "Thank you for asking.",
        "I hope this is correct.",
        "Sorry for the wait.",
        "Thank you for your patience.",
    ),
    "chatty": (
        "Oh that's lovely, thank you dear.",
        "Oh dear, let me see now.",
        "That's very kind of you.",
        "You're being ever so helpful.",
        "I hope I'm doing this properly.",
        "Oh good, I was hoping you would ask me that.",
        "Well now, let me think.",
        "Just give me a moment, dear.",
        "Ah, I see what you mean.",
        "Oh I'm so glad you're there.",
        "Sorry dear, I'm a bit slow with all this.",
        "Thank you for being so patient with me.",
    ),
}

# Asides after the assistant did not understand, or before asking it to say it again: a
# customer who is lost does not say "Oh good, I was hoping you would ask me that".
PUZZLED_ASIDES: Mapping[Style, tuple[str, ...]] = {
    "terse": (),
    "casual": ("hmm", "wait", "one sec"),
    "formal": ("Sorry for the confusion.", "I hope this is correct.", "Excuse me."),
    "chatty": (
        "Oh dear, let me see now.",
        "Well now, let me think.",
        "Sorry dear, I'm a bit slow with all this.",
        "I hope I'm doing this properly.",
        "Oh dear, I'm not sure I follow.",
    ),
}
