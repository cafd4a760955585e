"""Property: whatever data a button press carries, for every button declared (views/buttons.py),
the answer is a refusal or a normal screen, never the internal-error path, and a press that is
not the presser's to make changes nothing in the database (issue 16).

The data is random and boundary values (ids of another group, its people and members, months
like 12, -88 or 999912, zero, negatives, the largest 32-bit numbers and beyond, words where
numbers belong), pressed by a member, by a facilitator reaching into another facilitator's
group and by a stranger. Seeded, so a failure is repeatable; the seed is in the assertion.
Data that lacks a declared field or carries a value the field does not admit is answered with
the stale-button text."""

from __future__ import annotations

import asyncio
import functools
import random
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Dialect
from telegram import Update

from handlers.base import ButtonHandler
from simulator.emulator import FakeTelegram, SentMessage
from storage.db import SessionFactory
from storage.models import AuditEntry, Base, HandledUpdate, Person
from tests.e2e.builders import GroupSetup, group_with_chat
from tests.e2e.harness import Person as User
from tests.e2e.harness import RunningBot
from tests.e2e.test_permissions import STALE
from tests.e2e.test_permissions import press as press_and_read
from timekeeping.clock import ManualClock
from views.callbacks import MAX_ARG, Button, Kind, declared

SEED = 20261130
MONTHS = (202612, 202611, 202601, 202613, 202600, 12, -88, 999912, 190001, 0)
BOUNDS = (0, -1, 1, 2**31 - 1, -(2**31 - 1), 2**31, 10**10 - 1, 99999999999)
WORDS = ("", "x", "1.5", "１", "-", "0x1", "٣", "NaN")
INTERNAL_ERROR = "gangguan"
CASES = 7  # presses per button and presser: 5 boundary and declared shapes, then random ones


def declared_buttons(bot: RunningBot) -> list[Button]:
    """Every declared button; the running Application has a handler for each (and for no
    other button: start-up checks both)."""
    assert bot.app is not None
    registered = {
        handler.button.code
        for handlers in bot.app.handlers.values()
        for handler in handlers
        if isinstance(handler, ButtonHandler)
    }
    buttons = list(declared())
    assert registered == {b.code for b in buttons}
    return buttons


def datas(button: Button, numbers: list[int], rng: random.Random, count: int) -> list[str]:
    """Callback data for one button: boundary cases first, then data of the declared shape
    with forged values, then random ones (<= 64 bytes)."""
    action = button.code
    month, other = rng.choice(MONTHS), rng.choice(numbers)
    shaped = [
        rng.choice(MONTHS) if f.kind is not Kind.NUMBER else rng.choice(numbers)
        for f in button.fields
    ]
    out = [
        action,
        f"{action}:{month}",
        f"{action}:{other}:{month}",
        f"{action}:{rng.choice(WORDS)}",
        ":".join([action, *map(str, shaped)]),
    ]
    while len(out) < count:
        arity = rng.randint(1, 4)
        parts: list[str] = []
        for _ in range(arity):
            roll = rng.random()
            if roll < 0.75:
                parts.append(str(rng.choice(numbers)))
            elif roll < 0.9:
                parts.append(str(rng.randint(-(2**40), 2**40)))
            else:
                parts.append(rng.choice(WORDS))
        data = ":".join([action, *parts])
        if len(data.encode()) <= 64:
            out.append(data)
    return out


async def press_all(
    fake: FakeTelegram, presser: User, screen: SentMessage, datas: list[str]
) -> list[str]:
    """Press the screen's button with each data, all at once (her presses are handled one
    after another, in order: bot/update_order.py), and wait until every press is answered
    (never silence); returns the answers' texts, in the order of `datas`."""
    query_ids = [await fake.press(presser.user, screen, data, forged=True) for data in datas]

    def answered() -> bool:
        # A lookup per press, not fake.callback_answers: that builds a dict of every answer so
        # far, and this runs on every change of the fake (thousands of presses: quadratic).
        for query_id in query_ids:
            pending = fake.world.callbacks.get(query_id)
            if pending is None or pending.answer is None:
                return False
        return True

    async with fake.world.changed:
        try:
            await asyncio.wait_for(fake.world.changed.wait_for(answered), 30.0)
        except TimeoutError:
            recent = [(c.method, c.status, str(c.params)[:300]) for c in fake.calls[-6:]]
            raise AssertionError(f"no answer to every button of {datas!r}: {recent}") from None
    answers = [fake.world.callbacks[query_id].answer for query_id in query_ids]
    return [answer.text or "" if answer is not None else "" for answer in answers]


def shown_since(fake: FakeTelegram, chat_id: int, start: int) -> list[str]:
    """Every message or edit in the chat since event `start`."""
    return [
        event.message.plain or ""
        for event in fake.world.events[start:]
        if event.message.chat_id == chat_id and event.kind != "deleted"
    ]


Snapshot = dict[str, str | None]


async def snapshot(db: SessionFactory, presser: int) -> Snapshot:
    """Every row of every table, but the presser's own row of people (a press may change
    her own language, step or settings; nobody else's), the audit log's lines of her own reads
    (opening a report she may see is recorded: storage/audit.py) and the ids of handled
    updates (every press is one). One statement, one round trip: each table's rows as text,
    in the order of its primary key."""
    async with db.begin() as session:
        dialect = session.get_bind().dialect
        rows = (await session.execute(text(snapshot_sql(dialect)), {"presser": presser})).all()
    return {str(name): rows_text for name, rows_text in rows}


@functools.cache
def snapshot_sql(dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    # Ids start at 1: 0 stands for "she has no row yet" (then no row of people is left out).
    own = "coalesce((SELECT p.id FROM people AS p WHERE p.telegram_user_id = :presser), 0)"
    parts = []
    for table in Base.metadata.sorted_tables:
        if table.name == HandledUpdate.__tablename__:
            continue
        where = "1 = 1"
        if table.name == Person.__tablename__:
            where = f"t.id <> {own}"
        if table.name == AuditEntry.__tablename__:
            where = f"(t.actor_id IS NULL OR t.actor_id <> {own} OR t.action NOT LIKE 'read.%')"
        order = ", ".join(f"t.{quote(column.name)}" for column in table.primary_key.columns)
        name = quote(table.name)
        if dialect.name == "postgresql":
            rows = f"SELECT string_agg(t::text, chr(10) ORDER BY {order}) FROM {name} AS t"
            rows += f" WHERE {where}"
        else:
            row = " || ',' || ".join(f"quote(t.{quote(column.name)})" for column in table.columns)
            rows = (
                f"SELECT group_concat(r, char(10)) FROM (SELECT {row} AS r FROM {name} AS t"
                f" WHERE {where} ORDER BY {order})"
            )
        parts.append(f"SELECT '{table.name}' AS name, ({rows}) AS rows_text")
    return "\nUNION ALL ".join(parts)


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    return [name for name in before if before[name] != after[name]]


async def ids_of(db: SessionFactory, setup: GroupSetup) -> list[int]:
    """The other group's id, its members' and people's ids."""
    from storage.models import Member

    async with db.begin() as session:
        members = list(
            await session.scalars(select(Member.id).where(Member.group_id == setup.group.id))
        )
        people = list(
            await session.scalars(
                select(Person.id).where(
                    Person.telegram_user_id.in_([u.id for u in setup.members])
                    | (Person.telegram_user_id == setup.facilitator.id)
                )
            )
        )
    return [setup.group.id, *members, *people]


# About 1,080 presses per presser, each answered before the next. The buttons are dealt into
# SLICES tests per presser (each with its own bot and database), so that parallel workers
# share the work and none is left running one long test at the end.
PRESSERS = ("member", "facilitator", "stranger")
SLICES = 3


def sliced(buttons: list[Button], part: int) -> list[Button]:
    return buttons[part::SLICES]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("part", range(SLICES))
@pytest.mark.parametrize("who", PRESSERS)
async def test_any_button_data_is_refused_or_shown_and_changes_nothing(
    bot: RunningBot,
    fake: FakeTelegram,
    db: SessionFactory,
    clock: ManualClock,
    who: str,
    part: int,
) -> None:
    ours = await group_with_chat(db, fake, clock, name="Mawar 1")
    theirs = await group_with_chat(
        db, fake, clock, name="Melati 2", facilitator_id=510, first_member_id=700
    )
    errors: list[tuple[str | None, BaseException]] = []  # the pressed data, what it raised

    async def record(update: object, context: Any) -> None:
        if isinstance(update, Update) and context.error is not None:
            data = update.callback_query.data if update.callback_query else None
            errors.append((data, context.error))

    assert bot.app is not None
    bot.app.add_error_handler(record)
    other_ids = await ids_of(db, theirs)
    own_ids = set((await ids_of(db, ours))[:4])  # the group's id and its members' lines
    stranger = fake.user(900, "Orang", "Asing")
    fake.private_chat(stranger).started = True
    pressers = {
        "member": User(fake, ours.members[0]),  # a member of our group
        "facilitator": User(fake, ours.facilitator),  # reaching into the other group
        "stranger": User(fake, stranger),  # someone in no group at all
    }
    buttons = declared_buttons(bot)
    assert len(buttons) > 50
    presser = pressers[who]
    screen: SentMessage = await presser.says("/start")
    # Only ids that are not the presser's own to change: the other group's, months,
    # boundaries. (Our facilitator may legitimately change her own group's rows.)
    numbers = [*other_ids, *MONTHS, *BOUNDS]
    if presser.user is ours.facilitator:
        # Ids are per table: "1" is also her own group and her first member's line, which
        # she may change (activate, unlink); leave out every number that names her rows.
        numbers = [n for n in numbers if n not in own_ids]
    # Nothing happens between one button's last snapshot and the next button's presses.
    before = await snapshot(db, presser.id)
    for button in sliced(buttons, part):
        start = len(fake.world.events)
        rng = random.Random(f"{SEED}:{who}:{button.code}")  # a button's data: the same in any slice
        pressed = datas(button, numbers, rng, CASES)
        answers = await press_all(fake, presser, screen, pressed)
        for data, answer in zip(pressed, answers, strict=True):
            where = (SEED, presser.user.first_name, data)
            assert INTERNAL_ERROR not in answer, (*where, answer)
        await bot.settle()
        screen = fake.last_message(screen.chat_id) or screen  # what she sees now
        where = (SEED, presser.user.first_name, button.code)
        assert not errors, (*where, errors)
        shown = shown_since(fake, screen.chat_id, start)
        assert not any(INTERNAL_ERROR in text for text in shown), (*where, shown)
        after = await snapshot(db, presser.id)
        assert not changed(before, after), (*where, changed(before, after))
        before = after


def malformed(button: Button) -> list[str]:
    """Data that names the button but that no view makes: a word or a number beyond 32 bits
    in the first field, a required field left out, a forged month in a month field."""
    code = button.code
    found = [f"{code}:x", f"{code}:{'9' * 12}", f"{code}:{MAX_ARG + 1}"]
    if button.required:
        found.append(code)
    for index, field in enumerate(button.fields):
        if field.kind is not Kind.NUMBER:
            found.append(":".join([code, *["1"] * index, "999912"]))
    return found


@pytest.mark.parametrize("part", range(SLICES))
async def test_malformed_data_of_every_declared_button_is_a_stale_button(
    bot: RunningBot, fake: FakeTelegram, db: SessionFactory, clock: ManualClock, part: int
) -> None:
    ours = await group_with_chat(db, fake, clock, name="Mawar 1")
    facilitator = User(fake, ours.facilitator)
    screen = await facilitator.says("/start")
    before = await snapshot(db, facilitator.id)
    for button in sliced(declared_buttons(bot), part):
        for data in malformed(button):
            reply = await press_and_read(fake, facilitator, screen, data)
            assert STALE in reply.text, (data, reply.text)
    assert await snapshot(db, facilitator.id) == before
