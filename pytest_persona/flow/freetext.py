"""A free-text detail (a name, a station, a house) as a customer types it, without the
words around it: lead-ins ("it's", "my name is", "ah ok."), and sign-offs ("thanks",
"ty", "cheers") that would otherwise be stored and read back ("York. Ty").
"""

from __future__ import annotations

import re

# Work on very long messages is bounded: only this many characters are read.
MAX_TEXT = 500

_LEAD_IN = re.compile(
    r"^(?:(?:sure|ok|okay|yes|yea+h*|yep|um+|uh+)\b[\s,.!:-]*"
    r"|(?:well|so|right|alright|hi|hello|hey|oh|ah|oh ok|ah ok|ok so|i see)\s*[,.!:-]+\s*"
    r"|(?:it['\u2019]?s|it is|that['\u2019]?s|that is|this is|here it is"
    r"|i['\u2019]?m|i am|call me|name['\u2019]?s"
    r"|(?:my|the)(?: [\w-]+){1,3} (?:is|are|will be|would be|should be)|please)\b[\s,:-]*)",
    re.IGNORECASE,
)
_SIGN_OFFS = (
    "please", "thanks", "thank you", "thx", "ty", "ta", "cheers", "many thanks",
    "thanks a lot", "thank you very much", "i think", "i believe",
)  # fmt: skip
_TRAILER = re.compile(rf"[\s,.!]*(?:\b(?:{'|'.join(_SIGN_OFFS)})[\s.!]*)?$", re.IGNORECASE)
_LONGEST_TRAILER = max(map(len, _SIGN_OFFS))  # in characters
_TRAILER_GAPS = ",.!"  # beside whitespace, what ``_TRAILER`` lets stand around its sign-off
_ALSO_NAMES = frozenset({"ty", "ta"})  # sign-offs that are names when nothing else is said
_NOT_WORD = re.compile(r"[\W_]")


def extract_text(text: str) -> str | None:
    """The message without lead-ins ("it's", "my name is", "sure,") or sign-offs."""
    value = text[:MAX_TEXT].strip().strip("\"'")
    while True:
        stripped = _LEAD_IN.sub("", value, count=1)
        if stripped == value:
            break
        value = stripped.strip()
    while True:
        stripped = _without_trailer(value).strip().strip("\"'")
        if not stripped and value.casefold() in _ALSO_NAMES:
            break  # "Ty" alone is a name, not a sign-off
        if stripped == value:
            break
        value = stripped
    return value or None


def _without_trailer(value: str) -> str:
    """``_TRAILER.sub("", value)``, read from near the end only: a sign-off is at most
    ``_LONGEST_TRAILER`` characters between runs of gaps, so no match starts earlier
    than the point found here. The cut follows a space, which keeps ``\\b`` as it was."""
    cut = len(value)
    while cut and (value[cut - 1] in _TRAILER_GAPS or value[cut - 1].isspace()):
        cut -= 1
    cut = max(0, cut - _LONGEST_TRAILER)
    while cut and (value[cut - 1] in _TRAILER_GAPS or value[cut - 1].isspace()):
        cut -= 1
    cut = value.rfind(" ", 0, cut) + 1
    return value[:cut] + _TRAILER.sub("", value[cut:])


def same_value(value: str, other: str | None) -> bool:
    """Whether two read values are one reading, case, spacing and punctuation aside: the
    same characters, or one inside the other (the digits of "AC-1234567")."""
    if other is None:
        return False
    mine, theirs = _NOT_WORD.sub("", value.casefold()), _NOT_WORD.sub("", other.casefold())
    return bool(mine) and bool(theirs) and (mine in theirs or theirs in mine)
