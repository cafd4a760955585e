"""The demo cast: PKH's hierarchy in one province, a facilitator with two groups, a chair and
members of the first group with its chat.

The province is Jawa Barat (32) with two kabupaten/kota: Kota Banjar (32.79) and Kabupaten
Ciamis (32.07). A Korkab covers each, a Korwil the province, and a programme viewer reads the
province (she changes nothing); the facilitator's groups are placed in a desa of each, so each
Korkab sees one group and the Korwil and the viewer both.

Everything is written through the storage use cases, as if each person had used the bot's
links: staff are registered, the facilitator creates the groups, places them and imports their
rosters, the chair and members claim their names, and the group chat is bound."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from config.settings import Settings
from simulator.emulator import Chat, FakeTelegram, User
from storage import deliveries, groups, joining, people, roster
from storage.actors import Actor, TelegramUser
from storage.areas.importing import VENDORED, import_areas, read_rows
from storage.db import SessionFactory
from storage.models import InviteKind, StaffRole
from storage.roster.roster_file import RosterRow

GROUP_CHAT_ID = -1_001_234_567_890
GROUP_NAME = "Mawar 1"
GROUP_CHAT_TITLE = "Kelompok Mawar 1 (Sukamaju)"
PROVINCE = "32"  # Jawa Barat
# Real desa/kelurahan codes of the vendored list (storage/areas/data): Kelurahan Balokang in
# Kecamatan Banjar, Kota Banjar; Desa Pawindan in Kecamatan Ciamis, Kabupaten Ciamis.
GROUP_DESA = "32.79.01.2003"
SECOND_GROUP_NAME = "Melati 2"
SECOND_GROUP_DESA = "32.07.01.2008"
# The second group's mothers are not on Telegram yet: the demo's phones stay few.
SECOND_GROUP_ROSTER = ("Euis Komalasari", "Enok Rohaeti", "Iis Sumiati")


@dataclass(frozen=True)
class Role:
    key: str  # a stable name the page and the tests use
    telegram_id: int
    first_name: str
    last_name: str | None
    role: str  # coordinator / facilitator / viewer / chair / member
    in_group_chat: bool
    # A coordinator's: kabupaten/kota (Korkab) or province (Korwil); a viewer's area.
    area: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


CAST: tuple[Role, ...] = (
    Role("coordinator", 100_001, "Budi", "Santoso", "coordinator", False, "32.79"),
    Role("korkab_ciamis", 100_008, "Asep", "Hidayat", "coordinator", False, "32.07"),
    Role("korwil", 100_009, "Dedeh", "Kurniasih", "coordinator", False, PROVINCE),
    Role("viewer", 100_010, "Wati", "Susilawati", "viewer", False, PROVINCE),
    Role("facilitator", 100_002, "Rina", "Wulandari", "facilitator", True),
    Role("chair", 100_003, "Siti", "Aminah", "chair", True),
    Role("member1", 100_004, "Dewi", "Lestari", "member", True),
    Role("member2", 100_005, "Nur", "Aini", "member", True),
    Role("member3", 100_006, "Sri", "Wahyuni", "member", True),
    Role("member4", 100_007, "Yuliani", None, "member", True),
)

# Roster lines of the group: the cast's members, plus two mothers not on Telegram yet.
NOT_ON_TELEGRAM = ("Ratna Sari", "Ida Farida")


@dataclass(frozen=True)
class Demo:
    users: dict[str, User]  # by role key
    person_ids: dict[str, int]
    group_id: int
    group_chat: Chat
    member_link_token: str


def roster_rows() -> list[RosterRow]:
    rows: list[RosterRow] = []
    named = [r for r in CAST if r.role in ("chair", "member")]
    for line, role in enumerate(named, start=2):
        rows.append(
            RosterRow(
                line=line,
                name=role.full_name,
                programme_id=f"32010101010100{line:02d}",
                phone=f"08123456{line:04d}",
                is_chair=role.role == "chair",
            )
        )
    for offset, name in enumerate(NOT_ON_TELEGRAM, start=len(rows) + 2):
        rows.append(RosterRow(offset, name, f"32010101010100{offset:02d}", None, False))
    return rows


async def _actor(db: SessionFactory, role: Role, language: str) -> Actor:
    user = TelegramUser(role.telegram_id, role.full_name, language)
    actor, _pending = await people.identify(db, user, (), language, private_chat=True)
    return actor


async def load_province(db: SessionFactory) -> None:
    """The province's areas from the vendored list; only this province, so that starting
    the demo over stays quick (the whole country is some 90,000 rows)."""
    rows = read_rows(VENDORED.read_bytes())
    await import_areas(
        db, {code: name for code, name in rows.items() if code.split(".")[0] == PROVINCE}
    )


async def seed(db: SessionFactory, fake: FakeTelegram, settings: Settings, now: datetime) -> Demo:
    """Create the cast in the emulator and in the database; the database must be empty."""
    language = settings.language
    await load_province(db)
    users: dict[str, User] = {}
    for role in CAST:
        users[role.key] = fake.user(
            role.telegram_id, role.first_name, role.last_name, language_code=language
        )
        # Each of them has opened the bot once, so the bot may write to them.
        fake.private_chat(users[role.key]).started = True

    actors: dict[str, Actor] = {}
    for role in CAST:
        if role.role in ("coordinator", "facilitator", "viewer"):
            await people.add_staff(
                db, role.telegram_id, role.full_name, StaffRole(role.role), role.area
            )
        actors[role.key] = await _actor(db, role, language)

    facilitator = actors["facilitator"]
    ttl = timedelta(days=settings.invite_ttl_days)
    links = await groups.create_group(
        db,
        facilitator,
        name=GROUP_NAME,
        village="Sukamaju",
        venue="Rumah Bu Siti, RT 02",
        timezone=settings.timezone,
        now=now,
        ttl=ttl,
    )
    group_id = links.group.id
    await groups.place_group(db, facilitator, group_id, GROUP_DESA)
    await roster.import_rows(db, facilitator, group_id, roster_rows())
    second = await groups.create_group(
        db,
        facilitator,
        name=SECOND_GROUP_NAME,
        village="Pawindan",
        venue="Balai Desa Pawindan",
        timezone=settings.timezone,
        now=now,
        ttl=ttl,
    )
    await groups.place_group(db, facilitator, second.group.id, SECOND_GROUP_DESA)
    await roster.import_rows(
        db,
        facilitator,
        second.group.id,
        [
            RosterRow(line, name, f"32070108010200{line:02d}", None, False)
            for line, name in enumerate(SECOND_GROUP_ROSTER, start=2)
        ],
    )
    _, lines = await roster.list_members(db, facilitator, group_id)
    by_name = {member.name: member for member in lines}
    for role in CAST:
        if role.role not in ("chair", "member"):
            continue
        # The cast joins as anyone would: the link, her line, the last digits of her ID KPM.
        kind = InviteKind.CHAIR if role.role == "chair" else InviteKind.MEMBER
        line = by_name[role.full_name]
        step = await joining.choose(db, actors[role.key], links.tokens[kind], line.id, now)
        await joining.check_digits(
            db, actors[role.key], step.request_id, line.programme_id or "", now
        )

    group_chat = fake.group(
        GROUP_CHAT_TITLE,
        chat_id=GROUP_CHAT_ID,
        type="supergroup",
        bot_status="member",
        creator=users["facilitator"],
        members=[users[r.key] for r in CAST if r.in_group_chat],
    )
    await groups.bind_chat(db, facilitator, group_id, group_chat.id, group_chat.title, now)
    return Demo(
        users=users,
        person_ids={key: actor.person_id for key, actor in actors.items()},
        group_id=group_id,
        group_chat=group_chat,
        member_link_token=links.tokens[InviteKind.MEMBER],
    )


async def forget_setup_deliveries(db: SessionFactory) -> None:
    async with db.begin() as session:
        await deliveries.cancel_pending(session, reason="demo set-up")
