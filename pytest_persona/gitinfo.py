"""The commit and branch of a checkout, read from ``.git`` files without running git.

Reading the files keeps every session free of subprocesses; it handles plain
checkouts, worktrees and submodules (``.git`` as a file), packed refs and detached
heads. When HEAD is detached (CI checkouts of pull requests), the CI's own branch
variable names the branch if it is set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")
_BRANCH_VARIABLES = ("GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME", "BRANCH_NAME")


@dataclass(frozen=True)
class GitInfo:
    commit: str | None = None
    branch: str | None = None


def read_git_info(
    start: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> GitInfo:
    """Commit and branch of the checkout holding ``start``; empty when there is none."""
    env = os.environ if environ is None else environ
    try:
        git_dir = _find_git_dir(Path(os.path.abspath(start)))
        if git_dir is None:
            return GitInfo()
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        common = _common_dir(git_dir)
    except (OSError, UnicodeDecodeError):
        return GitInfo()
    if head.startswith("ref:"):
        ref = head[4:].strip()
        branch = ref.removeprefix("refs/heads/")
        return GitInfo(_resolve_ref(ref, (git_dir, common)), branch)
    commit = head if _SHA.match(head) else None
    named = next((env[v] for v in _BRANCH_VARIABLES if env.get(v)), None)
    return GitInfo(commit, named)


def _find_git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / ".git"
        if candidate.is_dir():
            return candidate
        if candidate.is_file():
            # A worktree or submodule: ".git" holds "gitdir: <path>".
            text = candidate.read_text(encoding="utf-8").strip()
            if text.startswith("gitdir:"):
                target = Path(text[7:].strip())
                return target if target.is_absolute() else (folder / target).resolve()
            return None
    return None


def _common_dir(git_dir: Path) -> Path:
    marker = git_dir / "commondir"
    if marker.is_file():
        target = Path(marker.read_text(encoding="utf-8").strip())
        return target if target.is_absolute() else (git_dir / target).resolve()
    return git_dir


def _resolve_ref(ref: str, git_dirs: tuple[Path, ...]) -> str | None:
    """A ref's commit from its loose file or ``packed-refs``; None for an unborn branch."""
    for git_dir in git_dirs:
        try:
            value = (git_dir / ref).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if _SHA.match(value):
            return value
    for git_dir in git_dirs:
        try:
            packed = (git_dir / "packed-refs").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for line in packed.splitlines():
            sha, _, name = line.partition(" ")
            if name.strip() == ref and _SHA.match(sha):
                return sha
    return None
