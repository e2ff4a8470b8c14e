"""Is a slot ``pattern`` usable: does it compile, and can it backtrack catastrophically?

Python's ``re`` backtracks; a pattern such as ``(a+)+$`` takes exponential time on
a message like ``aaaaaaaaaaaaaaaaaaaaaaaaaaaa!`` and would hang a simulation. The
check here is a heuristic over the pattern's text, run at load time:

- a group that contains an unbounded quantifier (``*``, ``+``, ``{n,}``) and is
  itself repeated without bound or more than ``_MAX_BOUNDED`` times is rejected
  (``(a+)+``, ``(\\w*\\s?)*``, ``(?:x+y?){1,100}``);
- a repeated group whose alternatives are equal or one is a prefix of another is
  rejected (``(a|a)+``, ``(a|ab)*``).

Possessive quantifiers (``a++``) and atomic groups (``(?>...)``) do not backtrack and
are allowed. It errs on the side of rejecting: ``(\\d+,)+`` is safe in practice
but is refused with the same advice (rewrite as ``\\d+(?:,\\d+)*`` ... or simplify).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

_MAX_BOUNDED = 10
_QUANTIFIER = re.compile(r"\*|\+|\?|\{(\d*)(,?)(\d*)\}")


@dataclass
class _Group:
    start: int
    atomic: bool = False
    unbounded: bool = False
    bars: list[int] = field(default_factory=list)
    body_start: int = 0


@dataclass(frozen=True)
class _Atom:
    """What the next quantifier would repeat."""

    start: int
    end: int
    unbounded_inside: bool = False
    alternatives: tuple[str, ...] = ()
    atomic: bool = False


def pattern_problem(pattern: str) -> str | None:
    """Why a slot pattern cannot be used, or None when it can."""
    try:
        re.compile(pattern)
    except re.error as exc:
        where = f" (at position {exc.pos})" if exc.pos is not None else ""
        return f"does not compile: {exc.msg}{where}"
    except (OverflowError, RecursionError, ValueError) as exc:
        return f"does not compile: {exc}"
    return backtracking_hazard(pattern)


def backtracking_hazard(pattern: str) -> str | None:
    """A message when the pattern has a nested or ambiguous repetition, else None."""
    stack = [_Group(start=-1)]
    atom: _Atom | None = None
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            atom, i = _Atom(i, i + 2), i + 2
        elif char == "[":
            end = _class_end(pattern, i)
            atom, i = _Atom(i, end), end
        elif char == "(":
            i = _open_group(pattern, i, stack)
            atom = None
        elif char == ")" and len(stack) > 1:
            atom = _close_group(pattern, i, stack)
            i += 1
        elif char == "|":
            stack[-1].bars.append(i)
            atom, i = None, i + 1
        else:
            quantifier = _QUANTIFIER.match(pattern, i)
            if quantifier is None or atom is None:
                atom, i = _Atom(i, i + 1), i + 1
                continue
            problem, i = _quantify(pattern, atom, quantifier, stack[-1])
            if problem:
                return problem
            atom = None
    return None


def _class_end(pattern: str, i: int) -> int:
    """Index just past the ``]`` closing the character class opened at ``i``."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _open_group(pattern: str, i: int, stack: list[_Group]) -> int:
    if pattern.startswith("(?#", i):
        end = pattern.find(")", i)
        return len(pattern) if end < 0 else end + 1
    group = _Group(start=i, atomic=pattern.startswith("(?>", i))
    body = i + 1
    if pattern.startswith("(?", i):
        header = re.match(r"\(\?(?:P<[^>]*>|<[^>=!]*>|[<]?[=!]|[>:]|[a-zA-Z-]*:?)", pattern[i:])
        body = i + (header.end() if header else 2)
    group.body_start = body
    stack.append(group)
    return body


def _close_group(pattern: str, i: int, stack: list[_Group]) -> _Atom:
    group = stack.pop()
    cuts = [group.body_start - 1, *group.bars, i]
    alternatives = tuple(pattern[a + 1 : b] for a, b in itertools.pairwise(cuts))
    stack[-1].unbounded = stack[-1].unbounded or (group.unbounded and not group.atomic)
    return _Atom(
        group.start,
        i + 1,
        unbounded_inside=group.unbounded,
        alternatives=alternatives if group.bars else (),
        atomic=group.atomic,
    )


def _quantify(
    pattern: str, atom: _Atom, quantifier: re.Match[str], group: _Group
) -> tuple[str | None, int]:
    """Apply a quantifier to ``atom``; a problem message when it is catastrophic."""
    end = quantifier.end()
    possessive = end < len(pattern) and pattern[end] == "+"
    end += 1 if end < len(pattern) and pattern[end] in "?+" else 0
    token = quantifier.group(0)
    if token.startswith("{") and not (quantifier.group(1) or quantifier.group(3)):
        return None, quantifier.end()  # "{,}" and "{}" are literal text in Python
    unbounded = token in ("*", "+") or (
        token.startswith("{") and quantifier.group(2) == "," and not quantifier.group(3)
    )
    many = unbounded or (
        token.startswith("{") and int(quantifier.group(3) or quantifier.group(1)) > _MAX_BOUNDED
    )
    if possessive or atom.atomic:
        return None, end
    group.unbounded = group.unbounded or unbounded
    shown = pattern[atom.start : end]
    if many and atom.unbounded_inside:
        return (
            f"can backtrack catastrophically: {shown!r} repeats a group that itself repeats "
            "without bound (like '(a+)+'); rewrite it without the nested repetition",
            end,
        )
    if unbounded and _overlapping(atom.alternatives):
        return (
            f"can backtrack catastrophically: {shown!r} repeats alternatives that can match "
            "the same text (like '(a|ab)*'); make the alternatives distinct",
            end,
        )
    return None, end


def _overlapping(alternatives: tuple[str, ...]) -> bool:
    ordered = sorted(alternatives)
    return any(b.startswith(a) for a, b in itertools.pairwise(ordered))
