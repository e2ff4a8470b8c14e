"""The history store: what goes in comes back, runs are numbered, baselines are named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from history_builders import record, run, transcript

from pytest_persona.history import HistoryStore
from pytest_persona.history_records import ItemKey
from pytest_persona.history_schema import SCHEMA_VERSION, HistoryError

KEY = ItemKey("flows/checkout.flow.yaml", "impatient", 50)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / ".persona" / "history.db"


def test_a_run_comes_back_exactly_as_written(db: Path) -> None:
    items = [
        record(transcripts=[transcript(3, 'a "quoted" <b>text</b>')]),
        record(persona="elderly", completed=30, misunderstood=20, regressions=["fell"]),
    ]
    with HistoryStore.open(db) as store:
        stored = store.write_run(run(0), items)
        assert stored.number == 1
        assert stored.info == run(0)
        assert (stored.items, stored.passed, stored.amber, stored.failed) == (2, 1, 0, 1)
        back = store.items(stored.number)
    assert sorted(back, key=lambda i: i.persona) == sorted(items, key=lambda i: i.persona)


def test_the_store_is_created_with_its_folder_in_wal_mode(db: Path) -> None:
    with HistoryStore.open(db) as store:
        store.write_run(run(0), [record()])
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = {r[1] for r in raw.execute("PRAGMA table_info(results)")}
    finally:
        raw.close()
    # The spec's per-item fields are plain columns, so anyone can query the file.
    assert {
        "mean_turns",
        "misunderstandings_per_turn",
        "stuck_step",
        "completion_hits",
        "completion_total",
        "content_hash",
        "status",
        "completed",
        "misrouted",
    } <= columns


def test_runs_are_numbered_in_order_and_listed_oldest_first(db: Path) -> None:
    with HistoryStore.open(db) as store:
        for n in range(5):
            store.write_run(run(n), [record(completed=40 + n)])
        assert [r.number for r in store.runs()] == [1, 2, 3, 4, 5]
        assert [r.number for r in store.runs(last=2)] == [4, 5]
        assert store.run_count() == 5
        latest = store.latest_run()
        assert latest is not None and latest.info.uid == run(4).uid
        assert store.run(99) is None


def test_previous_is_the_latest_result_of_the_same_key(db: Path) -> None:
    with HistoryStore.open(db) as store:
        store.write_run(run(0), [record(completed=40)])
        store.write_run(run(1), [record(persona="elderly", completed=20)])
        store.write_run(
            run(2), [record(completed=44), record(count=10, completed=9, wandered=2, recovered=1)]
        )
        latest = store.previous(KEY)
        before_three = store.previous(KEY, before_run=3)
        elderly = store.previous(ItemKey(KEY.flow_path, "elderly", 50))
        missing = store.previous(ItemKey("other.flow.yaml", "impatient", 50))
    assert latest is not None and latest.run.number == 3
    assert latest.item.scores.completion.hits == 44
    assert before_three is not None and before_three.run.number == 1
    assert elderly is not None and elderly.item.scores.completion.hits == 20
    assert missing is None


def test_trend_is_limited_and_oldest_first(db: Path) -> None:
    with HistoryStore.open(db) as store:
        for n in range(6):
            store.write_run(run(n), [record(completed=40 + n)])
        trend = store.trend(KEY, up_to_run=5, limit=3)
    assert [e.run.number for e in trend] == [3, 4, 5]
    assert [e.item.scores.completion.hits for e in trend] == [42, 43, 44]


def test_the_same_key_twice_in_a_run_keeps_the_last(db: Path) -> None:
    with HistoryStore.open(db) as store:
        stored = store.write_run(run(0), [record(completed=10), record(completed=44)])
        items = store.items(stored.number)
    assert stored.items == 1
    assert [i.scores.completion.hits for i in items] == [44]


def test_save_as_names_a_run_and_a_later_save_moves_the_name(db: Path) -> None:
    with HistoryStore.open(db) as store:
        first = store.write_run(run(0), [record()], save_as="release-1")
        assert first.names == ("release-1",)
        store.write_run(run(1), [record(completed=30)])
        baseline = store.baseline("release-1")
        assert baseline is not None and baseline.number == first.number
        store.save_baseline("release-1", 2)
        moved = store.baseline("release-1")
        assert moved is not None and moved.number == 2
        assert store.baseline("nope") is None
        assert store.baseline_names() == ["release-1"]
        with pytest.raises(HistoryError, match="no run 7"):
            store.save_baseline("x", 7)
        entry = store.at_run(KEY, 1)
    assert entry is not None and entry.item.scores.completion.hits == 45


def test_entries_filter_by_flow_path_id_or_name_and_persona(db: Path) -> None:
    with HistoryStore.open(db) as store:
        for n in range(4):
            store.write_run(
                run(n),
                [
                    record(),
                    record(persona="elderly"),
                    record(flow_path="flows/lost_card.flow.yaml", flow_id="lost_card"),
                ],
            )
        by_path = store.entries(flow="flows/lost_card.flow.yaml")
        by_id = store.entries(flow="lost_card")
        by_name = store.entries(flow="lost_card.flow.yaml")
        # "_" is a LIKE wildcard: it must not match "lostXcard".
        assert store.entries(flow="lost_card.flow.yam_") == []
        one = store.entries(flow="checkout", persona="elderly", last_runs=2)
    assert len(by_path) == len(by_id) == len(by_name) == 4
    assert [e.run.number for e in one] == [3, 4]
    assert {e.item.persona for e in one} == {"elderly"}


def test_reading_a_missing_store_without_create_does_not_make_it(tmp_path: Path) -> None:
    target = tmp_path / "nothing" / "history.db"
    with pytest.raises(HistoryError, match="no history at"):
        HistoryStore.open(target, create=False)
    assert not target.parent.exists()


def test_an_empty_baseline_name_is_refused(db: Path) -> None:
    with HistoryStore.open(db) as store, pytest.raises(HistoryError, match="empty"):
        store.write_run(run(0), [record()], save_as="  ")
    with HistoryStore.open(db) as store:
        assert store.run_count() == 0  # the whole run was rolled back with the name


def test_transcripts_are_kept_for_the_latest_runs_only(db: Path) -> None:
    from pytest_persona.history import KEEP_TRANSCRIPTS_RUNS

    kept = [record(completed=20, transcripts=[transcript()])]
    with HistoryStore.open(db) as store:
        for n in range(KEEP_TRANSCRIPTS_RUNS + 3):
            store.write_run(run(n), kept)
        oldest, newest = store.items(1)[0], store.items(KEEP_TRANSCRIPTS_RUNS + 3)[0]
        border = store.items(4)[0]
    assert oldest.failing_transcripts == ()
    assert oldest.scores == newest.scores  # only the transcripts go
    assert border.failing_transcripts == (transcript(),)
    assert newest.failing_transcripts == (transcript(),)


def test_only_the_historys_own_folder_is_created(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="missing does not exist") as raised:
        HistoryStore.open(tmp_path / "missing" / "store" / "h.db")
    assert "cannot create the history folder" in str(raised.value)
    assert not (tmp_path / "missing").exists()
    with HistoryStore.open(tmp_path / "store" / "h.db") as store:
        assert store.run_count() == 0


def test_a_trusted_path_gets_the_missing_folders_above_it(tmp_path: Path) -> None:
    with HistoryStore.open(tmp_path / "cache" / "persona" / "h.db", parents=True) as store:
        assert store.run_count() == 0
    assert (tmp_path / "cache" / "persona" / "h.db").is_file()
