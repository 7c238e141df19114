"""Backups (manual and before migrations), restore, and the doctor."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import FakeClock, small_agenda
from viva.admin.backup import check_viva_store
from viva.errors import VivaError
from viva.rehearsal.session import LiveSession, session_report
from viva.store.database import MIGRATIONS, open_store


def _recorded(home: Path) -> str:
    clock = FakeClock()
    store = open_store(home / "viva.db")
    live = LiveSession.start(store, small_agenda(), "Ada", clock.clock())
    clock.advance(12)
    live.act("answer", text="kept in the backup")
    store.close()
    return live.id


def test_backup_and_restore_round_trip(run: Runner, viva_home: Path, tmp_path: Path) -> None:
    session = _recorded(viva_home)
    target = tmp_path / "b.db"
    result = run("backup", "-o", str(target))
    assert result.code == 0 and str(target) in result.err
    assert check_viva_store(target) >= 1
    # lose the store, then restore it
    (viva_home / "viva.db").unlink()
    for suffix in ("-wal", "-shm"):
        (viva_home / f"viva.db{suffix}").unlink(missing_ok=True)
    assert run("restore", str(target)).code == 0
    with open_store() as store:
        report = session_report(store, session).to_json()
    assert report["sections"][0]["questions"][0]["answer"] == "kept in the backup"


def test_backup_names_the_audio_folder_or_copies_it_and_restore_brings_it_back(
    run: Runner, viva_home: Path, tmp_path: Path
) -> None:
    session = _recorded(viva_home)
    audio = viva_home / "audio" / session
    audio.mkdir(parents=True)
    (audio / "q-1.flac").write_bytes(b"a" * 1_500_000)
    (audio / "q-2.flac").write_bytes(b"b" * 500_000)

    plain = run("backup", "-o", str(tmp_path / "plain.db"))
    assert plain.code == 0, plain.err
    assert f"audio not included: 2 files (2.0 MB) in {viva_home / 'audio'}" in plain.err
    assert not (tmp_path / "plain.db.audio").exists()

    full = run("backup", "-o", str(tmp_path / "full.db"), "--with-audio")
    assert full.code == 0, full.err
    copy = tmp_path / "full.db.audio"
    assert f"audio copied: 2 files (2.0 MB) in {copy}" in full.err
    assert (copy / session / "q-1.flac").read_bytes() == b"a" * 1_500_000
    again = run("backup", "-o", str(tmp_path / "other.db"), "--with-audio")
    assert again.code == 0  # a second backup gets its own folder

    taken = tmp_path / "taken.db"
    (tmp_path / "taken.db.audio").mkdir()
    refused = run("backup", "-o", str(taken), "--with-audio")
    assert refused.code == 1 and "taken.db.audio: already exists" in refused.err
    assert not taken.exists()  # refused before anything was written

    # a link or a FIFO in the audio folder is not a recording: neither followed nor copied
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_bytes(b"x" * 10)
    (audio / "link").symlink_to(outside)
    os.mkfifo(audio / "pipe.flac")
    linked = run("backup", "-o", str(tmp_path / "linked.db"), "--with-audio")
    assert linked.code == 0, linked.err
    assert "audio copied: 2 files (2.0 MB)" in linked.err
    assert sorted(p.name for p in (tmp_path / "linked.db.audio" / session).iterdir()) == [
        "q-1.flac",
        "q-2.flac",
    ]
    (audio / "link").unlink()
    (audio / "pipe.flac").unlink()

    # lose one recording and change another: restore brings back only what is missing
    (audio / "q-1.flac").unlink()
    (audio / "q-2.flac").write_bytes(b"newer")
    restored = run("restore", str(tmp_path / "full.db"))
    assert restored.code == 0, restored.err
    assert "restored 1 audio file" in restored.err
    assert (audio / "q-1.flac").read_bytes() == b"a" * 1_500_000
    assert (audio / "q-2.flac").read_bytes() == b"newer"  # never overwritten


def test_backup_refuses_to_overwrite(run: Runner, viva_home: Path, tmp_path: Path) -> None:
    _recorded(viva_home)
    target = tmp_path / "b.db"
    target.write_text("precious", encoding="utf-8")
    result = run("backup", "-o", str(target))
    assert result.code == 1 and "already exists" in result.err
    assert target.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not sqlite", "not an SQLite database"),
        (None, "no events, schema_migrations, sessions table"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_viva_store(
    run: Runner,
    viva_home: Path,
    tmp_path: Path,
    content: bytes | None,
    message: str,
) -> None:
    session = _recorded(viva_home)
    bad = tmp_path / "bad.db"
    if content is None:
        sqlite3.connect(bad).execute("CREATE TABLE other (x)").connection.commit()
    else:
        bad.write_bytes(content)
    result = run("restore", str(bad))
    assert result.code == 1 and message in result.err and "Traceback" not in result.err
    with open_store() as store:  # nothing recorded was touched
        assert store.session(session).id == session


def test_a_migration_backs_the_store_up_first(viva_home: Path) -> None:
    latest = max(v for v, _, _ in MIGRATIONS)
    if latest == 1:
        pytest.skip("only one migration")
    # a store made by an older viva, which knew every migration but the last
    saved = list(MIGRATIONS)
    MIGRATIONS[:] = [m for m in saved if m[0] != latest]
    try:
        open_store(viva_home / "old.db").close()
    finally:
        MIGRATIONS[:] = saved
    with open_store(viva_home / "old.db") as store:
        assert store.schema_version() == latest
    copies = list(viva_home.glob(f"old.db.before-v{latest}-*"))
    assert len(copies) == 1
    assert check_viva_store(copies[0]) == latest - 1


def _newer_store(db: Path) -> Path:
    """A store as a future viva (schema version 999) would leave it."""
    open_store(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    conn.commit()
    conn.close()
    return db


def test_store_from_a_newer_viva_is_refused(viva_home: Path) -> None:
    db = _newer_store(viva_home / "viva.db")
    with pytest.raises(VivaError, match="newer than this viva"):
        open_store(db)


def test_doctor_calls_a_newer_store_newer_and_does_not_advise_a_restore(viva_home: Path) -> None:
    from viva.admin.doctor import run_checks

    db = _newer_store(viva_home / "viva.db")
    (store,) = [c for c in run_checks(db) if c.name == "Store"]
    assert not store.ok and "newer than this viva" in store.detail
    assert "upgrade viva" in store.advice and "restore" not in store.advice


def test_doctor_reports_each_check(run: Runner, viva_home: Path) -> None:
    _recorded(viva_home)
    result = run("doctor")
    assert result.code == 0, result.out
    for name in ("Python", "WeasyPrint", "Pango", "HarfBuzz", "Fonts", "Catalog", "Store"):
        assert name in result.out
    assert "integrity ok" in result.out.replace("\n", " ") or "integrity" in result.out


def test_doctor_fails_with_advice_on_a_damaged_store(run: Runner, viva_home: Path) -> None:
    (viva_home / "viva.db").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = run("doctor")
    assert result.code == 1
    assert "viva restore" in result.out.replace("\n", " ")


def _store_bytes(viva_home: Path) -> bytes:
    return (viva_home / "viva.db").read_bytes()


def test_restore_refuses_tables_with_the_right_names_and_the_wrong_columns(
    run: Runner, viva_home: Path, tmp_path: Path
) -> None:
    session = _recorded(viva_home)
    before = _store_bytes(viva_home)
    evil = tmp_path / "evil.db"
    conn = sqlite3.connect(evil)
    conn.executescript(
        "CREATE TABLE schema_migrations (version INTEGER, name TEXT, applied_at TEXT);"
        "INSERT INTO schema_migrations VALUES (1, 'x', 'y');"
        "CREATE TABLE sessions (evil TEXT); CREATE TABLE events (evil TEXT);"
    )
    conn.commit()
    conn.close()
    result = run("restore", str(evil))
    assert result.code == 1 and "Traceback" not in result.err
    assert "table sessions has no" in result.err and "started_at" in result.err
    assert _store_bytes(viva_home) == before
    assert list(viva_home.glob("viva-before-restore-*")) == []
    assert run("report", session).code == 0  # every command still works


def test_a_backup_from_a_newer_viva_is_refused_before_the_store_is_touched(
    run: Runner, viva_home: Path, tmp_path: Path
) -> None:
    _recorded(viva_home)
    newer = tmp_path / "newer.db"
    assert run("backup", "-o", str(newer)).code == 0
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'then')")
    conn.commit()
    conn.close()
    before = _store_bytes(viva_home)
    result = run("restore", str(newer))
    assert result.code == 1 and "written by a newer viva" in result.err
    assert _store_bytes(viva_home) == before
    assert [p.name for p in viva_home.iterdir() if p.name.startswith(".viva-restore")] == []


def test_two_restores_in_a_row_each_keep_the_store_they_replace(
    run: Runner, viva_home: Path, tmp_path: Path
) -> None:
    session = _recorded(viva_home)
    copy = tmp_path / "copy.db"
    assert run("backup", "-o", str(copy)).code == 0
    first = run("restore", str(copy))
    second = run("restore", str(copy))
    assert first.code == 0 and second.code == 0, first.err + second.err
    saved = sorted(viva_home.glob("viva-before-restore-*.db"))
    assert len(saved) == 2
    for result in (first, second):
        assert "previous store saved as" in result.err
    with open_store() as store:
        assert store.session(session).id == session


def test_backup_refuses_a_store_that_fails_its_integrity_check(
    run: Runner, viva_home: Path, tmp_path: Path
) -> None:
    _recorded(viva_home)
    db = viva_home / "viva.db"
    # an index left behind by a write: "row 2 missing from index sessions_by_track"
    conn = sqlite3.connect(db)
    row = conn.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master "
        "WHERE name = 'sessions_by_track'"
    ).fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = 'sessions_by_track'")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO sessions VALUES "
        "('x', 'go/raft-kv', 45, 1, NULL, '{}', 'ended', 't', 't', 'rehearsal')"
    )
    conn.commit()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", row)
    conn.commit()
    conn.close()
    out = tmp_path / "b.db"
    result = run("backup", "-o", str(out))
    assert result.code == 1 and "Traceback" not in result.err
    assert "fails its integrity check, so a backup would copy the damage" in result.err
    assert not out.exists()


def test_restore_replaces_a_damaged_store_and_keeps_it_aside(
    run: Runner, viva_home: Path, tmp_path: Path
) -> None:
    session = _recorded(viva_home)
    good = tmp_path / "good.db"
    assert run("backup", "-o", str(good)).code == 0
    db = viva_home / "viva.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET name = 'gone' WHERE name = 'sessions_by_track'")
    conn.commit()
    conn.close()
    result = run("restore", str(good))
    assert result.code == 0, result.err
    assert "previous store saved as" in result.err
    with open_store() as store:
        assert store.integrity_ok() and store.session(session).id == session
