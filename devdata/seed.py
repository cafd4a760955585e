"""Synthetic data of a chosen size for benchmarks and demos: `p2k2 seed`.

Everything is deterministic (one random seed) and written with bulk inserts, so 100,000
members with a year of history take a minute or two rather than hours. Telegram ids follow
a fixed scheme (see the *_ID functions) so the Bot API emulator can be told about the same
users and group chats: every person with a Telegram account has started the private chat.

A table missing from the database (one migrated only to an older revision) is skipped and
named in the summary instead of failing the whole seed."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage import month_counts
from storage.db import session_factory
from storage.models import (
    Base,
    DeliveryStatus,
    Group,
    MeetingStatus,
    Member,
    MonthCounts,
    Person,
    StaffRole,
)
from timekeeping.send_windows import Priority

COORDINATOR_USER_ID = 900_000_001
GROUPS_PER_FACILITATOR = 20
TIMEZONE = "Asia/Jakarta"
BLOCK = 50  # groups written per transaction


def facilitator_user_id(index: int) -> int:
    return 910_000_000 + index


def member_user_id(index: int) -> int:
    """Member number `index` over all groups (0-based), when that member uses Telegram."""
    return 1_000_000_000 + index


def group_chat_id(index: int) -> int:
    """Basic groups look like -4xxxxxxxxx in Telegram."""
    return -(4_200_000_000 + index)


class SeedError(Exception):
    pass


# -- names --------------------------------------------------------------------------------------

FIRST = (
    "Siti", "Sri", "Dewi", "Nur", "Ani", "Rina", "Wati", "Yuni", "Ratna", "Kartini", "Fatimah",
    "Aisyah", "Lestari", "Suryani", "Endang", "Tuti", "Sumiati", "Rohani", "Maryam", "Halimah",
    "Dian", "Eka", "Intan", "Puji", "Wulan", "Yanti", "Susanti", "Ningsih", "Rukmini", "Juminten",
)  # fmt: skip
LAST = (
    "Rahayu", "Wahyuni", "Handayani", "Susilowati", "Lestari", "Purwanti", "Hasanah", "Aminah",
    "Kurniasih", "Safitri", "Puspita", "Utami", "Setiawati", "Marlina", "Nasution", "Siregar",
    "Hutapea", "Manurung", "Daeng", "Binti Ahmad", "Binti Usman", "Sembiring", "Pohan", "Lubis",
)  # fmt: skip
# Names that break naive code: quotes, apostrophes, ampersands, angle brackets, dots, commas.
SPECIAL = (
    "Nur'aini",
    "Ma'rifah",
    'Siti "Ani" Rahayu',
    "Dewi & co",
    "Hj. Siti Khadijah, S.Pd",
    "Ni Luh Putu Ayu",
    "I Gusti Ayu <Kadek>",
    "Ummi Kultsum (Bu RT)",
    "=Rina+1",
    "Sri   Mulyani",
)
VILLAGES = (
    "Sukamaju", "Sukamakmur", "Mekarsari", "Sindangsari", "Tanjung Karang", "Karang Anyar",
    "Sumber Rejo", "Margahayu", "Cibeureum", "Kampung Bali", "Ko'to Gadang", "Pasir Putih",
)  # fmt: skip
FLOWERS = ("Mawar", "Melati", "Anggrek", "Kenanga", "Cempaka", "Dahlia", "Teratai", "Flamboyan")
NOTES = (
    "Pertemuan lancar, ibu-ibu aktif bertanya.",
    "Hujan deras, beberapa ibu datang terlambat.",
    'Materi gizi anak diulang karena banyak yang bertanya "makanan bergizi" itu apa.',
    "Ibu Nur'aini berbagi pengalaman menabung & mengatur uang belanja.",
    "Tempat pindah ke rumah Bu RT <sementara>.",
)
COMPLAINT_TEXTS = (
    "Bantuan bulan ini belum masuk ke rekening saya.",
    "Kartu KKS saya hilang, bagaimana mengurusnya?",
    "Nama anak saya salah di data sekolah (ditulis \"Ahmad\" padahal 'Achmad').",
    "Saldo di kartu berkurang Rp 50.000 & saya tidak tahu kenapa.",
    "Anak saya sakit, apakah bisa dapat bantuan kesehatan?",
)


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.03:
        return rng.choice(SPECIAL)
    first = rng.choice(FIRST)
    if rng.random() < 0.2:
        first = f"{first} {rng.choice(FIRST)}"
    return f"{first} {rng.choice(LAST)}"


# -- the plan and the result ----------------------------------------------------------------------


@dataclass(frozen=True)
class SeedPlan:
    groups: int = 110
    members: int = 30  # per group
    months: int = 12  # months of past meetings per group
    telegram_share: float = 0.7  # members with a Telegram account (the chair always has one)
    upcoming: bool = True  # one meeting ahead per group, its reminders pending
    history_deliveries: bool = True  # the past meetings' reminders, as sent deliveries
    seed: int = 7


@dataclass
class SeedSummary:
    rows: Counter[str] = field(default_factory=Counter)
    skipped_tables: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [f"{table}: {count:,}" for table, count in sorted(self.rows.items())]
        text = "seeded " + ", ".join(parts)
        if self.skipped_tables:
            text += f"\nnot in this database (not seeded): {', '.join(self.skipped_tables)}"
        return text


# -- helpers -----------------------------------------------------------------------------------


async def _tables_present(connection: AsyncConnection) -> set[str]:
    names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    return set(names)


def _optional_table(name: str, present: set[str]) -> Table | None:
    table = Base.metadata.tables.get(name)
    return table if table is not None and name in present else None


async def _next_id(connection: AsyncConnection, table: Table) -> int:
    current = await connection.scalar(select(func.max(table.c.id)))
    return int(current or 0) + 1


async def _insert(
    connection: AsyncConnection, table: Table, rows: list[dict[str, Any]], summary: SeedSummary
) -> None:
    if rows:
        await connection.execute(table.insert(), rows)
        summary.rows[table.name] += len(rows)


async def _fix_sequences(connection: AsyncConnection, tables: Sequence[Table]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the seeded rows."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        await connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
            )
        )


def _meeting_start(now: datetime, months_ago: int, group_index: int) -> datetime:
    """A weekday morning in the group's month, 09.00 or 14.00 local time."""
    local_now = now.astimezone(ZoneInfo(TIMEZONE))
    year, month = local_now.year, local_now.month - months_ago
    while month < 1:
        month += 12
        year -= 1
    day = 3 + group_index % 22
    hour = 9 if group_index % 3 else 14
    local = datetime(year, month, day, hour, 0, tzinfo=ZoneInfo(TIMEZONE))
    return local.astimezone(UTC)


# -- the seeding ---------------------------------------------------------------------------------


async def seed(engine: AsyncEngine, plan: SeedPlan, now: datetime) -> SeedSummary:
    """Write `plan` into a migrated database; refuses a database seeded before."""
    summary = SeedSummary()
    rng = random.Random(plan.seed)
    async with engine.begin() as connection:
        present = await _tables_present(connection)
        taken = await connection.scalar(
            select(Person.id).where(Person.telegram_user_id == COORDINATOR_USER_ID)
        )
        if taken is not None:
            raise SeedError("this database was seeded already; seed a fresh one")
        ids = {
            name: await _next_id(connection, Base.metadata.tables[name])
            for name in sorted(present & set(Base.metadata.tables))
            if "id" in Base.metadata.tables[name].c
        }
        facilitators = max(1, -(-plan.groups // GROUPS_PER_FACILITATOR))
        staff = [
            _person(ids, COORDINATOR_USER_ID, "Pak Koordinator", StaffRole.COORDINATOR, now),
            *(
                _person(ids, facilitator_user_id(i), person_name(rng), StaffRole.FACILITATOR, now)
                for i in range(facilitators)
            ),
        ]
        await _insert(connection, Person.__table__, staff, summary)  # type: ignore[arg-type]
    facilitator_ids = [row["id"] for row in staff[1:]]
    for start in range(0, plan.groups, BLOCK):
        block = range(start, min(start + BLOCK, plan.groups))
        async with engine.begin() as connection:
            present = await _tables_present(connection)
            await _seed_block(connection, plan, block, facilitator_ids, ids, rng, now, summary)
    async with engine.begin() as connection:
        present = await _tables_present(connection)
        tables = [Base.metadata.tables[name] for name in ids if name in present]
        await _fix_sequences(connection, tables)
    if MonthCounts.__tablename__ in present:
        async with session_factory(engine).begin() as session:
            # Written around the use cases: each group's month in figures counted at the end.
            await month_counts.rebuild(session)
    wanted = ("attendance", "roll_calls", "confirmation_requests", "complaints")
    summary.skipped_tables = [name for name in wanted if name not in ids]
    await _refresh_statistics(engine)
    return summary


async def _refresh_statistics(engine: AsyncEngine) -> None:
    """On PostgreSQL, VACUUM ANALYZE after the bulk load, as its manual advises ("Populating a
    Database"): until autovacuum gets to it, the planner knows neither the new rows' spread
    nor which pages are all visible, and read a year's pending deliveries for the
    dispatcher's look-ahead instead of its index (benchmarks/scale.py, the idle tick)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("VACUUM ANALYZE")


def _take(ids: dict[str, int], table: str) -> int:
    value = ids[table]
    ids[table] = value + 1
    return value


def _person(
    ids: dict[str, int], telegram_id: int | None, name: str, role: StaffRole | None, now: datetime
) -> dict[str, Any]:
    return {
        "id": _take(ids, "people"),
        "telegram_user_id": telegram_id,
        "name": name,
        "language": "id" if telegram_id is not None else None,
        "staff_role": role,
        "active": True,
        "private_chat_open": telegram_id is not None,
        "blocked_bot_at": None,
        "private_reminders": True,
        "menu": None,
        "awaiting": None,
        "draft": None,
        "created_at": now - timedelta(days=400),
    }


class MemberRef(NamedTuple):
    member_id: int
    person_id: int | None
    telegram_id: int | None


@dataclass
class _Rows:
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.tables.setdefault(table, []).append(row)

    def get(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])


async def _seed_block(
    connection: AsyncConnection,
    plan: SeedPlan,
    block: range,
    facilitator_ids: list[int],
    ids: dict[str, int],
    rng: random.Random,
    now: datetime,
    summary: SeedSummary,
) -> None:
    present = await _tables_present(connection)
    rows = _Rows()
    chairs: dict[int, tuple[int, int]] = {}  # group id -> (chair member id, chair person id)
    group_members: dict[int, list[MemberRef]] = {}
    group_rows: list[dict[str, Any]] = []
    for g in block:
        group_id = _take(ids, "groups")
        village = rng.choice(VILLAGES)
        name = f"{FLOWERS[g % len(FLOWERS)]} {g // len(FLOWERS) + 1} {village}"
        group_rows.append(
            {
                "id": group_id,
                "code": f"S{g:05d}",
                "name": name,
                "village": village,
                "venue": f"Rumah Bu {rng.choice(FIRST)}, RT {g % 12 + 1:02d}",
                "timezone": TIMEZONE,
                "facilitator_id": facilitator_ids[g // GROUPS_PER_FACILITATOR],
                "chat_id": group_chat_id(g),
                "chat_title": f"P2K2 {name}",
                "chair_member_id": None,
                "active": True,
                "created_at": now - timedelta(days=400),
            }
        )
        members: list[MemberRef] = []
        for m in range(plan.members):
            number = g * plan.members + m
            person_id: int | None = None
            telegram_id: int | None = None
            member_name = person_name(rng)
            if m == 0 or rng.random() < plan.telegram_share:
                telegram_id = member_user_id(number)
                person = _person(ids, telegram_id, member_name, None, now)
                rows.add("people", person)
                person_id = person["id"]
            member_id = _take(ids, "members")
            rows.add(
                "members",
                {
                    "id": member_id,
                    "group_id": group_id,
                    "name": member_name,
                    "programme_id": f"3201{number:012d}",
                    "phone": f"08{rng.randrange(10**9, 10**10)}" if rng.random() < 0.6 else None,
                    "person_id": person_id,
                    "active": True,
                    "created_at": now - timedelta(days=390),
                },
            )
            members.append(MemberRef(member_id, person_id, telegram_id))
        group_members[group_id] = members
        chair = members[0]
        assert chair.person_id is not None
        chairs[group_id] = (chair.member_id, chair.person_id)
        group_rows[-1]["chair_member_id"] = chair.member_id
    # Groups point at their chair and members at their group: insert groups first without
    # the chair, then members, then set the chair.
    chair_of = {row["id"]: row["chair_member_id"] for row in group_rows}
    for row in group_rows:
        row["chair_member_id"] = None
    await _insert(connection, Person.__table__, rows.get("people"), summary)  # type: ignore[arg-type]
    await _insert(connection, Group.__table__, group_rows, summary)  # type: ignore[arg-type]
    await _insert(connection, Member.__table__, rows.get("members"), summary)  # type: ignore[arg-type]
    groups_table: Table = Group.__table__  # type: ignore[assignment]
    for group_id, member_id in chair_of.items():
        await connection.execute(
            groups_table.update()
            .where(groups_table.c.id == group_id)
            .values(chair_member_id=member_id)
        )
    for table, batch in _history(plan, block, group_rows, group_members, chairs, ids, rng, now):
        optional = table not in ("meetings", "rsvps", "deliveries")
        target = _optional_table(table, present) if optional else Base.metadata.tables[table]
        if target is not None:
            await _insert(connection, target, batch, summary)


def _history(
    plan: SeedPlan,
    block: range,
    group_rows: list[dict[str, Any]],
    group_members: dict[int, list[MemberRef]],
    chairs: dict[int, tuple[int, int]],
    ids: dict[str, int],
    rng: random.Random,
    now: datetime,
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Meetings, RSVPs, attendance, confirmations, complaints and deliveries, table by table."""
    out = _Rows()
    for g, group in zip(block, group_rows, strict=True):
        group_id = group["id"]
        members = group_members[group_id]
        _, chair_person = chairs[group_id]
        facilitator = group["facilitator_id"]
        months = list(range(plan.months, 0, -1))
        for months_ago in months:
            starts = _meeting_start(now, months_ago, g)
            lock = months_ago >= 2  # earlier months are closed; the last one is still open
            _past_meeting(
                out, plan, g, group, members, chair_person, facilitator, starts, lock, ids, rng
            )
        if plan.upcoming:
            starts = now + timedelta(days=2 + g % 5, hours=g % 7)
            _upcoming_meeting(out, plan, group, members, starts, ids, rng, now)
        for k in range(max(1, plan.months // 4)):
            _complaint(out, group, members, facilitator, now - timedelta(days=30 * k + 5), ids, rng)
    for table in (
        "meetings",
        "rsvps",
        "roll_calls",
        "attendance",
        "confirmation_requests",
        "attendance_locks",
        "complaints",
        "complaint_messages",
        "complaint_events",
        "deliveries",
    ):
        yield table, out.get(table)


def _meeting_row(
    ids: dict[str, int], group: dict[str, Any], number: int, starts: datetime, creator: int
) -> dict[str, Any]:
    return {
        "id": _take(ids, "meetings"),
        "group_id": group["id"],
        "session_number": number,
        "starts_at": starts,
        "duration_minutes": 120,
        "venue": group["venue"],
        "status": MeetingStatus.SCHEDULED,
        "revision": 1,
        "created_by": creator,
        "created_at": starts - timedelta(days=14),
        "updated_at": starts - timedelta(days=14),
    }


def _delivery(
    ids: dict[str, int],
    key: str,
    kind: str,
    chat_id: int,
    due: datetime,
    meeting: dict[str, Any],
    person_id: int | None,
    status: DeliveryStatus,
) -> dict[str, Any]:
    sent = status is DeliveryStatus.SENT
    return {
        "id": _take(ids, "deliveries"),
        "key": key,
        "kind": kind,
        "chat_id": chat_id,
        "person_id": person_id,
        "group_id": meeting["group_id"],
        "meeting_id": meeting["id"],
        "announcement_id": None,
        "payload": {"revision": 1},
        "due_at": due,
        "send_from": due,
        "send_by": due,
        "priority": int(Priority.REMINDER_PRIVATE if chat_id > 0 else Priority.REMINDER_GROUP),
        "status": status,
        "attempts": 1 if sent else 0,
        "claimed_until": None,
        "sent_at": due if sent else None,
        "message_id": 1 if sent else None,
        "reason": None,
        "created_at": due - timedelta(days=7),
    }


STATUSES = (("hadir", 0.75), ("izin", 0.1), ("sakit", 0.05), ("alfa", 0.1))


def _status(rng: random.Random) -> str:
    roll = rng.random()
    for status, share in STATUSES:
        if roll < share:
            return status
        roll -= share
    return "alfa"


def _past_meeting(
    out: _Rows,
    plan: SeedPlan,
    g: int,
    group: dict[str, Any],
    members: list[MemberRef],
    chair_person: int,
    facilitator: int,
    starts: datetime,
    lock: bool,
    ids: dict[str, int],
    rng: random.Random,
) -> None:
    number = (starts.month + g) % 14 + 1
    meeting = _meeting_row(ids, group, number, starts, facilitator)
    out.add("meetings", meeting)
    hadir = 0
    for member_id, person_id, _ in members:
        if person_id is not None and rng.random() < 0.6:
            out.add(
                "rsvps",
                {
                    "id": _take(ids, "rsvps"),
                    "meeting_id": meeting["id"],
                    "member_id": member_id,
                    "coming": rng.random() < 0.85,
                    "answered_at": starts - timedelta(hours=rng.randrange(2, 40)),
                },
            )
        status = _status(rng)
        hadir += status == "hadir"
        if "attendance" in ids:
            out.add(
                "attendance",
                {
                    "id": _take(ids, "attendance"),
                    "meeting_id": meeting["id"],
                    "member_id": member_id,
                    "status": status,
                    "source": "chair",
                    "recorded_by": chair_person,
                    "recorded_at": starts + timedelta(minutes=30),
                },
            )
    if "roll_calls" in ids:
        out.add(
            "roll_calls",
            {
                "id": _take(ids, "roll_calls"),
                "meeting_id": meeting["id"],
                "saved_by": chair_person,
                "saved_at": starts + timedelta(minutes=40),
            },
        )
    if "confirmation_requests" in ids:
        answered = starts + timedelta(hours=5)
        out.add(
            "confirmation_requests",
            {
                "id": _take(ids, "confirmation_requests"),
                "meeting_id": meeting["id"],
                "group_id": group["id"],
                "chair_person_id": chair_person,
                "requested_by": facilitator,
                "state": "answered",
                "step": "done",
                "outcome": "held",
                "moved_to": None,
                "attendees": hadir,
                "info_passed": rng.random() < 0.9,
                "notes": rng.choice(NOTES) if rng.random() < 0.5 else None,
                "message_id": None,
                "nudges": 0,
                "created_at": starts + timedelta(hours=3),
                "sent_at": starts + timedelta(hours=3),
                "chased_at": None,
                "escalated_at": None,
                "answered_at": answered,
            },
        )
    if "attendance_locks" in ids and lock:
        local = starts.astimezone(ZoneInfo(TIMEZONE))
        out.add(
            "attendance_locks",
            {
                "id": _take(ids, "attendance_locks"),
                "group_id": group["id"],
                "month": local.year * 100 + local.month,
                "locked_by": facilitator,
                "locked_at": starts + timedelta(days=20),
            },
        )
    if plan.history_deliveries:
        due = starts - timedelta(days=1)
        sent = DeliveryStatus.SENT
        key = f"seed:reminder:{meeting['id']}"
        out.add(
            "deliveries",
            _delivery(ids, f"{key}:group", "reminder", group["chat_id"], due, meeting, None, sent),
        )
        for _, person_id, chat in members:
            if person_id is not None and chat is not None:
                out.add(
                    "deliveries",
                    _delivery(
                        ids, f"{key}:{chat}", "reminder", chat, due, meeting, person_id, sent
                    ),
                )


def _upcoming_meeting(
    out: _Rows,
    plan: SeedPlan,
    group: dict[str, Any],
    members: list[MemberRef],
    starts: datetime,
    ids: dict[str, int],
    rng: random.Random,
    now: datetime,
) -> None:
    meeting = _meeting_row(ids, group, 1 + group["id"] % 14, starts, group["facilitator_id"])
    meeting["created_at"] = meeting["updated_at"] = now - timedelta(days=1)
    out.add("meetings", meeting)
    due = starts - timedelta(days=1)
    pending = DeliveryStatus.PENDING
    key = f"seed:reminder:{meeting['id']}"
    out.add(
        "deliveries",
        _delivery(ids, f"{key}:group", "reminder", group["chat_id"], due, meeting, None, pending),
    )
    for member_id, person_id, chat in members:
        if person_id is None or chat is None:
            continue
        out.add(
            "deliveries",
            _delivery(ids, f"{key}:{chat}", "reminder", chat, due, meeting, person_id, pending),
        )
        if rng.random() < 0.3:
            out.add(
                "rsvps",
                {
                    "id": _take(ids, "rsvps"),
                    "meeting_id": meeting["id"],
                    "member_id": member_id,
                    "coming": True,
                    "answered_at": now - timedelta(hours=2),
                },
            )


COMPLAINT_FLOW = ("new", "received", "in_progress", "resolved", "closed")


def _complaint(
    out: _Rows,
    group: dict[str, Any],
    members: list[MemberRef],
    facilitator: int,
    at: datetime,
    ids: dict[str, int],
    rng: random.Random,
) -> None:
    if "complaints" not in ids:
        return
    with_telegram = [(m, p) for m, p, _ in members if p is not None]
    member_id, person_id = rng.choice(with_telegram)
    final = rng.choice(COMPLAINT_FLOW)
    complaint_id = _take(ids, "complaints")
    out.add(
        "complaints",
        {
            "id": complaint_id,
            "person_id": person_id,
            "member_id": member_id,
            "group_id": group["id"],
            "facilitator_id": facilitator,
            "category": rng.choice(("aid", "card", "data", "health", "school", "money", "other")),
            "status": final,
            "discuss_anonymously": rng.random() < 0.3,
            "reject_reason": None,
            "acknowledged_at": None if final == "new" else at + timedelta(hours=6),
            "escalated_at": None,
            "created_at": at,
            "updated_at": at + timedelta(hours=6),
        },
    )
    message_id: int | None = None
    if "complaint_messages" in ids:
        message_id = _take(ids, "complaint_messages")
        out.add(
            "complaint_messages",
            {
                "id": message_id,
                "complaint_id": complaint_id,
                "author_id": person_id,
                "from_staff": False,
                "kind": "text",
                "text": rng.choice(COMPLAINT_TEXTS),
                "file_id": None,
                "file_name": None,
                "created_at": at,
            },
        )
    if "complaint_events" in ids:
        steps = COMPLAINT_FLOW[: COMPLAINT_FLOW.index(final) + 1]
        for index, status in enumerate(steps):
            out.add(
                "complaint_events",
                {
                    "id": _take(ids, "complaint_events"),
                    "complaint_id": complaint_id,
                    "actor_id": person_id if index == 0 else facilitator,
                    "at": at + timedelta(hours=6 * index),
                    "action": "submitted" if index == 0 else "status",
                    "status": status,
                    "message_id": message_id if index == 0 else None,
                    "detail": None,
                },
            )


# -- what the emulator must know ------------------------------------------------------------------


@dataclass(frozen=True)
class KnownChats:
    users: tuple[tuple[int, str], ...]  # (telegram user id, name): private chats started
    groups: tuple[tuple[int, str], ...]  # (chat id, title): the bot is a member


async def known_chats(engine: AsyncEngine) -> KnownChats:
    async with engine.connect() as connection:
        users = (
            await connection.execute(
                select(Person.telegram_user_id, Person.name)
                .where(Person.telegram_user_id.is_not(None))
                .order_by(Person.telegram_user_id)
            )
        ).all()
        chats = (
            await connection.execute(
                select(Group.chat_id, Group.chat_title)
                .where(Group.chat_id.is_not(None))
                .order_by(Group.id)
            )
        ).all()
    return KnownChats(
        tuple((int(u), str(n)) for u, n in users),
        tuple((int(c), str(t or "")) for c, t in chats),
    )
