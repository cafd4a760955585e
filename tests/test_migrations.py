"""The migration history: one head, no migration that reads the live models, and a database
left at any released revision, with rows in every table, upgrades to head with its data
intact (and 0011's key rewriting done) on SQLite and PostgreSQL.

Rows are written through the tables as the database has them at that revision (reflected),
never through storage.models, which describe only the head."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine
from storage.models import Base

T = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
DUPLICATE = "duplicate after supergroup upgrade"  # 0011's reason for a folded duplicate

# States a release may have left a database in: the base of the seven feature branches
# (0002: every branch then runs over its rows), all seven heads before the merge ("heads":
# every table has rows), and each of the two branches that change deliveries alone, so
# that both orders of 0010 and 0011 run, and 0016 (areas, before 0017 and 0018 run
# over its rows). (The other branches alone add only tables no
# later branch touches; 0002 and "heads" cover them, and each state costs a second.)
STATES = ["0002", "0010", "0011", "0016", "heads"]


def _at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


def _delivery(
    delivery_id: int, key: str, kind: str, chat_id: int, status: str
) -> tuple[str, dict[str, Any]]:
    due = _at(delivery_id)
    return (
        "deliveries",
        {
            "id": delivery_id,
            "key": key,
            "kind": kind,
            "chat_id": chat_id,
            "group_id": 1,
            "meeting_id": 1 if kind != "link_hint" else None,
            "payload": {"n": delivery_id},
            "due_at": due,
            "status": status,
            "attempts": 1 if status == "sent" else 0,
            "claimed_until": due if status == "pending" else None,
            "sent_at": due if status == "sent" else None,
            "message_id": 900 + delivery_id if status == "sent" else None,
            "created_at": T,
            # Columns of 0010: written only where the table has them already.
            "send_from": due - timedelta(hours=1),
            "send_by": due + timedelta(hours=1),
            "priority": 2,
        },
    )


# Every table's rows, parents first. Columns a table does not have yet are left out.
ROWS: list[tuple[str, dict[str, Any]]] = [
    ("people", {"id": 1, "telegram_user_id": 1001, "name": "Fasilitator Sari", "language": "id",
                "staff_role": "facilitator", "active": True, "private_chat_open": True,
                "blocked_bot_at": None, "private_reminders": True, "menu": "facilitator",
                "awaiting": "group_name", "draft": {"name": "Melati"}, "created_at": T}),
    ("people", {"id": 2, "telegram_user_id": 2001, "name": "Ibu Ani", "language": None,
                "staff_role": None, "active": True, "private_chat_open": False,
                "blocked_bot_at": _at(5), "private_reminders": False, "menu": None,
                "awaiting": None, "draft": None, "created_at": T}),
    ("people", {"id": 3, "telegram_user_id": 3001, "name": "Pak Koordinator", "language": "id",
                "staff_role": "coordinator", "active": True, "private_chat_open": True,
                "blocked_bot_at": None, "private_reminders": True, "menu": "coordinator",
                "awaiting": None, "draft": None, "created_at": T}),
    ("audit_log", {"id": 1, "at": T, "actor_id": 1, "action": "group.create", "detail": "Melati"}),
    ("groups", {"id": 1, "code": "MLT01", "name": "Melati", "village": "Sukamaju",
                "venue": "Balai desa", "timezone": "Asia/Jakarta", "facilitator_id": 1,
                "chat_id": -1005001, "chat_title": "P2K2 Melati", "chair_member_id": None,
                "active": True, "created_at": T}),
    ("invites", {"id": 1, "token": "tok-member-1", "kind": "member", "group_id": 1,
                 "created_by": 1, "created_at": T, "expires_at": _at(60 * 24 * 7),
                 "max_uses": 30, "uses": 1, "revoked_at": None}),
    ("members", {"id": 1, "group_id": 1, "name": "Ani", "programme_id": "3201010101010001",
                 "phone": "+6281200000001", "person_id": 2, "active": True, "created_at": T}),
    ("dispatcher_heartbeat", {"id": 1, "holder": "host:123", "ticked_at": T}),
    ("announcements", {"id": 1, "sender_id": 1, "text": "Posyandu Sabtu", "group_ids": [1],
                       "created_at": T, "reported_at": None}),
    ("meetings", {"id": 1, "group_id": 1, "session_number": 3, "starts_at": _at(60 * 24 * 7),
                  "duration_minutes": 90, "venue": "Rumah Ibu Ani", "status": "scheduled",
                  "revision": 2, "created_by": 1, "created_at": T, "updated_at": _at(1)}),
    # 0011 rewrites the keys of a meeting's deliveries to a group chat; where a supergroup
    # upgrade left two rows for one purpose, the sent one (else the oldest) keeps the key.
    _delivery(1, "reminder:1:r2:259200:-5001", "reminder", -1005001, "sent"),
    _delivery(2, "reminder:1:r2:259200:-1005001", "reminder", -1005001, "pending"),
    _delivery(3, "reminder:1:r2:86400:-5001", "reminder", -1005001, "pending"),
    _delivery(4, "reminder:1:r2:86400:-1005001", "reminder", -1005001, "pending"),
    _delivery(5, "summary:1:r2:-5001", "summary", -1005001, "pending"),
    _delivery(6, "changed:1:cancelled:-5001", "meeting_changed", -5001, "sent"),
    _delivery(7, "reminder:1:r2:259200:2001", "reminder", 2001, "pending"),
    _delivery(8, "link_hint:-5001:1.000", "link_hint", -5001, "sent"),
    ("quiz_polls", {"poll_id": "poll-1", "meeting_id": 1, "question_index": 0,
                    "correct_option": 2, "voters": 5, "correct_voters": 3}),
    ("rsvps", {"id": 1, "meeting_id": 1, "member_id": 1, "coming": True, "answered_at": T}),
    ("quiz_answers", {"id": 1, "poll_id": "poll-1", "person_id": 2, "option": 2,
                      "correct": True, "answered_at": T}),
    ("attendance_locks", {"id": 1, "group_id": 1, "month": 202611, "locked_by": 1,
                          "locked_at": T}),
    ("attendance", {"id": 1, "meeting_id": 1, "member_id": 1, "status": "hadir",
                    "source": "chair", "recorded_by": 1, "recorded_at": T}),
    ("attendance_changes", {"id": 1, "meeting_id": 1, "member_id": 1, "old_status": "izin",
                            "new_status": "hadir", "source": "facilitator", "changed_by": 1,
                            "changed_at": T}),
    ("confirmation_requests", {"id": 1, "meeting_id": 1, "group_id": 1, "chair_person_id": 2,
                               "requested_by": 1, "state": "answered", "step": "done",
                               "outcome": "moved", "moved_to": date(2026, 11, 20),
                               "attendees": 14, "info_passed": True, "notes": "hujan",
                               "message_id": 77, "nudges": 1, "created_at": T,
                               "sent_at": T, "chased_at": _at(60), "escalated_at": None,
                               "answered_at": _at(90)}),
    ("roll_calls", {"id": 1, "meeting_id": 1, "saved_by": 1, "saved_at": T}),
    ("confirmation_messages", {"id": 1, "request_id": 1, "chat_id": 2001, "message_id": 77,
                               "kind": "ask"}),
    ("complaints", {"id": 1, "person_id": 2, "member_id": 1, "group_id": 1,
                    "facilitator_id": 1, "category": "aid", "status": "in_progress",
                    "discuss_anonymously": True, "reject_reason": None,
                    "acknowledged_at": _at(10), "escalated_at": None, "created_at": T,
                    "updated_at": _at(10)}),
    ("complaint_messages", {"id": 1, "complaint_id": 1, "author_id": 2, "from_staff": False,
                            "kind": "photo", "text": "bantuan belum cair",
                            "file_id": "AgAD-file", "file_name": None, "created_at": T}),
    ("complaint_events", {"id": 1, "complaint_id": 1, "actor_id": 1, "at": _at(10),
                          "action": "status", "status": "in_progress", "message_id": 1,
                          "detail": None}),
    ("activity_descriptions", {"id": 1, "meeting_id": 1, "text": "Modul kesehatan",
                               "edited_by": 1, "edited_at": T}),
    ("meeting_photos", {"id": 1, "meeting_id": 1, "file_id": "AgAD-photo",
                        "file_unique_id": "uniq-1", "sent_by": 1, "latitude": -6.2,
                        "longitude": 106.8, "created_at": T}),
    ("meeting_rules", {"id": 1, "group_id": 1, "weekday": 1, "nth": 2, "day": None,
                       "minute_of_day": 540, "venue": "Balai desa", "updated_by": 1,
                       "updated_at": T}),
    ("activity_end_times", {"id": 1, "meeting_id": 1, "ends_at": _at(60 * 24 * 7 + 100),
                            "edited_by": 1, "edited_at": T}),
]  # fmt: skip

# The keys 0011 gives the deliveries above (by id), as its docstring says.
REWRITTEN = {
    1: ("reminder:1:r2:259200:group", "sent", None),
    2: ("reminder:1:r2:259200:group:duplicate:2", "skipped", DUPLICATE),
    3: ("reminder:1:r2:86400:group", "pending", None),
    4: ("reminder:1:r2:86400:group:duplicate:4", "skipped", DUPLICATE),
    5: ("summary:1:r2:group", "pending", None),
    6: ("changed:1:cancelled:group", "sent", None),
    7: ("reminder:1:r2:259200:2001", "pending", None),  # a private chat keeps its key
    8: ("link_hint:-5001:1.000", "sent", None),  # not a meeting's delivery
}


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))


def _applied(script: ScriptDirectory, heads: Iterable[str]) -> set[str]:
    """Every revision applied in a database whose heads are these."""
    applied: set[str] = set()
    todo = list(heads)
    while todo:
        revision = script.get_revision(todo.pop())
        assert revision is not None
        if revision.revision not in applied:
            applied.add(revision.revision)
            todo.extend(revision._normalized_down_revisions)
    return applied


def _normal(value: object) -> object:
    # SQLite hands back naive datetimes (UTC, as written); PostgreSQL aware ones.
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


# What went into the database: (table, primary key, the values written), in order.
Written = list[tuple[str, dict[str, Any], dict[str, Any]]]


def _insert(connection: Connection) -> Written:
    """Write ROWS into the tables as they are now (reflected); return what went in."""
    metadata = sa.MetaData()
    metadata.reflect(connection)
    written: Written = []
    for name, row in ROWS:
        table = metadata.tables.get(name)
        if table is None:
            continue
        values = {key: value for key, value in row.items() if key in table.columns}
        connection.execute(sa.insert(table).values(values))
        key = {column.name: values[column.name] for column in table.primary_key.columns}
        written.append((name, key, values))
    # groups and members refer to each other: the chair is set once both rows exist.
    connection.execute(sa.update(metadata.tables["groups"]).values(chair_member_id=1))
    next(values for name, _, values in written if name == "groups")["chair_member_id"] = 1
    return written


def _read(connection: Connection, written: Written) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Each written row as the code reads it at head (through the models' tables: enums and
    UTC datetimes must parse), in the same order; and how many rows every table holds."""
    tables = Base.metadata.tables
    found = []
    for name, key, _ in written:
        table = tables[name]
        condition = sa.and_(*(table.c[column] == value for column, value in key.items()))
        found.append(dict(connection.execute(sa.select(table).where(condition)).mappings().one()))
    counts = {
        name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for name, table in tables.items()
    }
    return found, counts


async def _upgrade(url: str, revision: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine, revision)
    finally:
        await engine.dispose()


def test_one_head() -> None:
    """One line of history: a single head, and every revision after 0012 has one parent."""
    script = _script()
    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions("0012", "heads"):
        if revision.revision != "0012":
            assert isinstance(revision.down_revision, str), revision.revision


def test_no_migration_imports_the_models() -> None:
    """A migration frozen at its own day's schema: the models change, the migration must not."""
    versions = Path(migrate.MIGRATIONS, "versions")
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not [n for n in names if n.startswith("storage")], path.name


@pytest.mark.parametrize("state", STATES)
async def test_a_database_left_at_a_release_upgrades_with_its_data(
    blank_database_url: str, state: str
) -> None:
    await _upgrade(blank_database_url, state)
    engine: AsyncEngine = create_engine(blank_database_url)
    try:
        async with engine.begin() as connection:
            written = await connection.run_sync(_insert)
            heads = await connection.run_sync(
                lambda sync: tuple(
                    sync.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
                )
            )
        before = _applied(_script(), heads)
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            found, counts = await connection.run_sync(_read, written)
            assignments = (
                await connection.execute(
                    sa.text("SELECT person_id, role, area_code FROM assignments")
                )
            ).all()
            month_counts = (
                await connection.execute(sa.text("SELECT * FROM report_month_counts"))
            ).all()
            version = (
                (await connection.execute(sa.text("SELECT version_num FROM alembic_version")))
                .scalars()
                .all()
            )
    finally:
        await engine.dispose()

    assert version == [_script().get_current_head()]
    if "0016" not in before:
        # Coordinators had no area: each now covers the whole deployment, as before.
        assert [tuple(row) for row in assignments] == [(3, "korwil", None)]
    tables = [name for name, _, _ in written]
    assert {"people", "deliveries", "quiz_polls"} <= set(tables)
    expected_counts = {name: tables.count(name) for name in counts}
    if "assignments" in expected_counts and "0016" not in before:
        expected_counts["assignments"] = 1  # the coordinator's, written by 0016
    if "0019" not in before:
        # 0019 counted the meeting's month (November in Jakarta): not cancelled, but the
        # chair said it moved, so neither confirmed nor its roll call counted.
        expected_counts["report_month_counts"] = 1
        assert [tuple(row) for row in month_counts] == [(1, 202611, 1, 0, 0, 0, 0, 0)]
    assert counts == expected_counts

    for (name, _, row), now in zip(written, found, strict=True):
        expected = {column: _normal(value) for column, value in row.items()}
        if name == "deliveries" and "0011" not in before:
            new_key, status, reason = REWRITTEN[row["id"]]
            expected.update(key=new_key, status=status)
            if reason is not None:
                expected.update(claimed_until=None)
            assert now["reason"] == reason
        assert {column: _normal(now[column]) for column in row} == expected, (name, row)
        if name == "deliveries" and "0010" not in before:
            # Planned before send windows: it goes at its time, as it would have.
            assert _normal(now["send_from"]) == _normal(row["due_at"])
            assert _normal(now["send_by"]) == _normal(row["due_at"])
            assert now["priority"] == 0
        if name == "invites" and "0018" not in before:
            # An invite from before staff areas gives no area: a pendamping as before.
            assert now["area_code"] is None
        if name == "people" and "0018" not in before:
            # 0018 changes no one's role: staff keep theirs, nobody becomes a viewer.
            assert now["staff_role"] == row["staff_role"]
        if name == "quiz_polls" and "0006tw" not in before:
            assert (now["voters"], now["correct_voters"]) == (0, 0)
