"""Item records and run information: status, keys, paths and the git checkout."""

from __future__ import annotations

from pathlib import Path

import pytest
from history_builders import LIMITS, batch, record

from pytest_persona.gitinfo import GitInfo, read_git_info
from pytest_persona.history_records import ItemKey, ItemRecord, RunInfo, relative_flow_path

SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"


def test_a_record_takes_its_colours_and_status_from_the_limits() -> None:
    good = record(completed=48, misunderstood=2, wandered=10, recovered=9)
    amber = record(completed=42)  # 84%: under warn 0.9, above limit 0.75
    red = record(completed=30)
    assert (good.status, amber.status, red.status) == ("pass", "amber", "fail")
    assert amber.colours["completion"] == "amber"
    assert red.colours["completion"] == "red"
    assert red.key == ItemKey("flows/checkout.flow.yaml", "impatient", 50)
    assert str(red.key) == "flows/checkout.flow.yaml::impatient[50]"


def test_a_failed_regression_gate_fails_an_otherwise_green_item() -> None:
    result = batch(completed=48, misunderstood=2, wandered=10, recovered=9)
    gated = ItemRecord.from_result(
        result, LIMITS, flow_path="f.flow.yaml", content_hash="h", regressions=["completion fell"]
    )
    assert gated.status == "fail"
    later = record(completed=48, misunderstood=2, wandered=10, recovered=9)
    assert later.status == "pass"
    assert later.with_regressions(["x"]).status == "fail"
    assert later.with_regressions([]) is later


def test_flow_paths_are_relative_to_the_rootdir_with_forward_slashes(tmp_path: Path) -> None:
    flow = tmp_path / "flows" / "sub" / "x.flow.yaml"
    assert relative_flow_path(flow, tmp_path) == "flows/sub/x.flow.yaml"
    outside = tmp_path.parent / "elsewhere.flow.yaml"
    assert relative_flow_path(outside, tmp_path / "flows") == outside.as_posix()


def _git(root: Path, head: str) -> Path:
    git = root / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text(head + "\n")
    return git


def test_git_branch_and_commit_from_a_loose_ref(tmp_path: Path) -> None:
    git = _git(tmp_path, "ref: refs/heads/feature/checkout")
    (git / "refs" / "heads" / "feature").mkdir()
    (git / "refs" / "heads" / "feature" / "checkout").write_text(SHA + "\n")
    nested = tmp_path / "flows" / "deep"
    nested.mkdir(parents=True)
    assert read_git_info(nested, {}) == GitInfo(SHA, "feature/checkout")


def test_git_commit_from_packed_refs(tmp_path: Path) -> None:
    git = _git(tmp_path, "ref: refs/heads/main")
    (git / "packed-refs").write_text(
        f"# pack-refs with: peeled fully-peeled sorted\n{OTHER} refs/heads/other\n"
        f"{SHA} refs/heads/main\n"
    )
    assert read_git_info(tmp_path, {}) == GitInfo(SHA, "main")


def test_a_detached_head_takes_the_branch_from_ci(tmp_path: Path) -> None:
    _git(tmp_path, SHA)
    assert read_git_info(tmp_path, {}) == GitInfo(SHA, None)
    assert read_git_info(tmp_path, {"GITHUB_HEAD_REF": "fix-typos"}) == GitInfo(SHA, "fix-typos")


def test_a_worktree_points_at_its_git_dir_and_shares_refs(tmp_path: Path) -> None:
    common = _git(tmp_path / "main", "ref: refs/heads/main")
    (common / "refs" / "heads" / "wip").write_text(OTHER + "\n")
    worktree_git = common / "worktrees" / "wip"
    worktree_git.mkdir(parents=True)
    (worktree_git / "HEAD").write_text("ref: refs/heads/wip\n")
    (worktree_git / "commondir").write_text("../..\n")
    checkout = tmp_path / "wip"
    checkout.mkdir()
    (checkout / ".git").write_text(f"gitdir: {worktree_git}\n")
    assert read_git_info(checkout, {}) == GitInfo(OTHER, "wip")


def test_no_checkout_or_an_unborn_branch_gives_what_is_known(tmp_path: Path) -> None:
    assert read_git_info(tmp_path / "nowhere", {}) == GitInfo()
    _git(tmp_path, "ref: refs/heads/main")
    assert read_git_info(tmp_path, {}) == GitInfo(None, "main")


def test_a_run_starts_with_a_unique_id_and_reads_git(tmp_path: Path) -> None:
    git = _git(tmp_path, "ref: refs/heads/main")
    (git / "refs" / "heads" / "main").write_text(SHA)
    first = RunInfo.start(tmp_path, seed=7, counts=[10, 50], personas=["elderly"], now=100.0)
    second = RunInfo.start(tmp_path, seed=7, now=100.0)
    assert first.uid != second.uid
    assert (first.git_commit, first.git_branch, first.short_commit) == (SHA, "main", SHA[:7])
    assert first.counts == (10, 50) and first.personas == ("elderly",)
    done = first.finished(now=160.0)
    assert (done.started_at, done.finished_at) == (100.0, 160.0)
    assert RunInfo.start(None, seed=0).git_commit is None


@pytest.mark.parametrize("number, expected", [(12, "run 12, "), (3, "run 3, ")])
def test_a_stored_run_describes_itself_for_messages(number: int, expected: str) -> None:
    from history_builders import run as make_run

    from pytest_persona.history_records import StoredRun

    text = StoredRun(number, make_run(2)).describe()
    assert text.startswith(expected)
    assert text.endswith(", 0000002")
