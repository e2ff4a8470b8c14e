"""What one session leaves in the history: a run, and one record per item.

These are the plain, frozen values the store writes and reads back, the reports
render and the regression gates compare; nothing here touches the database.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from . import __version__
from .flow.model import METRICS, Metric
from .gitinfo import GitInfo, read_git_info
from .results import BatchResult, Transcript
from .scoring import Colour, ResolvedLimit, Scores, judge

Status = Literal["pass", "amber", "fail"]
STATUSES: tuple[Status, ...] = ("pass", "amber", "fail")


@dataclass(frozen=True, order=True)
class ItemKey:
    """What makes two items comparable across runs: same file, persona and batch size."""

    flow_path: str
    persona: str
    count: int

    def __str__(self) -> str:
        return f"{self.flow_path}::{self.persona}[{self.count}]"


@dataclass(frozen=True)
class ItemRecord:
    """One item's outcome as history keeps it: scores, colours, limits, status."""

    flow_path: str  # relative to the rootdir, with forward slashes
    flow_id: str
    content_hash: str
    persona: str
    count: int
    seed: int
    scores: Scores
    colours: Mapping[Metric, Colour]
    status: Status
    limits: Mapping[Metric, ResolvedLimit] = field(default_factory=dict)
    flow_description: str = ""
    # Messages of the regression gates that failed this item, if any.
    regressions: tuple[str, ...] = ()
    failing_transcripts: tuple[Transcript, ...] = ()

    @property
    def key(self) -> ItemKey:
        return ItemKey(self.flow_path, self.persona, self.count)

    @property
    def label(self) -> str:
        return f"{self.persona}[{self.count}]"

    @classmethod
    def from_result(
        cls,
        result: BatchResult,
        limits: Mapping[Metric, ResolvedLimit],
        *,
        flow_path: str,
        content_hash: str,
        flow_description: str = "",
        regressions: Sequence[str] = (),
    ) -> ItemRecord:
        """The record of a finished item; a failed regression gate fails it too."""
        verdict = judge(result.scores, limits)
        status: Status = "fail" if regressions else verdict.status
        return cls(
            flow_path=flow_path,
            flow_id=result.flow_id,
            content_hash=content_hash,
            persona=result.persona,
            count=result.count,
            seed=result.seed,
            scores=result.scores,
            colours={m: verdict.colours[m] for m in METRICS},
            status=status,
            limits=dict(limits),
            flow_description=flow_description,
            regressions=tuple(regressions),
            failing_transcripts=result.failing_transcripts,
        )

    def with_regressions(self, messages: Sequence[str]) -> ItemRecord:
        if not messages:
            return self
        return replace(self, regressions=(*self.regressions, *messages), status="fail")


def relative_flow_path(path: str | os.PathLike[str], rootdir: str | os.PathLike[str]) -> str:
    """The flow's path as history keys it: relative to the rootdir when inside it."""
    absolute = Path(os.path.abspath(path))
    root = Path(os.path.abspath(rootdir))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


@dataclass(frozen=True)
class RunInfo:
    """One pytest session. ``uid`` is unique across machines; the store numbers runs."""

    uid: str
    started_at: float  # seconds since the epoch
    finished_at: float
    seed: int
    counts: tuple[int, ...] = ()  # the batch sizes asked for
    personas: tuple[str, ...] = ()
    git_commit: str | None = None
    git_branch: str | None = None
    version: str = __version__

    @classmethod
    def start(
        cls,
        rootdir: str | os.PathLike[str] | None,
        seed: int,
        counts: Sequence[int] = (),
        personas: Sequence[str] = (),
        *,
        now: float | None = None,
        git: GitInfo | None = None,
    ) -> RunInfo:
        """A run beginning now; git commit and branch are read when rootdir is a checkout."""
        started = time.time() if now is None else now
        if git is None:
            git = read_git_info(rootdir) if rootdir is not None else GitInfo()
        return cls(
            uid=uuid.uuid4().hex,
            started_at=started,
            finished_at=started,
            seed=seed,
            counts=tuple(counts),
            personas=tuple(personas),
            git_commit=git.commit,
            git_branch=git.branch,
        )

    def finished(self, now: float | None = None) -> RunInfo:
        return replace(self, finished_at=time.time() if now is None else now)

    @property
    def started(self) -> datetime:
        return datetime.fromtimestamp(self.started_at)

    @property
    def short_commit(self) -> str | None:
        return self.git_commit[:7] if self.git_commit else None


@dataclass(frozen=True)
class StoredRun:
    """A run as the store has it: its number and the baseline names pointing at it."""

    number: int
    info: RunInfo
    items: int = 0
    passed: int = 0
    amber: int = 0
    failed: int = 0
    names: tuple[str, ...] = ()

    def describe(self) -> str:
        """``run 12, 2026-11-20, abc1234``: enough to find the run again."""
        parts = [f"run {self.number}", self.info.started.strftime("%Y-%m-%d")]
        if self.info.short_commit:
            parts.append(self.info.short_commit)
        return ", ".join(parts)


@dataclass(frozen=True)
class HistoryEntry:
    """One item of one stored run."""

    run: StoredRun
    item: ItemRecord


def status_counts(items: Sequence[ItemRecord]) -> dict[Status, int]:
    return {s: sum(1 for i in items if i.status == s) for s in STATUSES}
