"""Presses on group reminders that arrive together, recorded in one transaction.

When a reminder reaches a group, its members press within seconds of each other; a city's
hundred groups make thousands of presses a minute. One transaction per press spent most of
its time on round trips (begin, read, write, commit, each a hop to the database), so the
presses of one moment share a transaction and each statement serves all of them: one read of
the meetings, one of the pressers with their roster lines, one upsert executed for every
answer, one read of the pending count edits.

On PostgreSQL the rows a batch locks are taken in one order: the meetings by id, the answers by
(meeting, member), the count edits by key (the dispatcher, recording a sent edit, takes them
through the same query, rsvp.lock_refreshes), the new count edits only under their meeting's
lock. Should the database still fail a batch to break a lock cycle, the whole batch runs again
(storage.db.retrying) instead of its presses being answered with an error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, and_, bindparam, select

from storage.actors import TelegramUser
from storage.db import SessionFactory, retrying
from storage.errors import UseCaseError
from storage.meetings.rsvp import (
    BALLOT_MEETING,
    Answer,
    Ballot,
    check_open,
    for_update,
    record_answers,
)
from storage.models import Group, Meeting, Member, Person
from storage.operations import handled_updates
from storage.people import telegram_language


@dataclass(frozen=True)
class GroupPress:
    """A press on a reminder in a group chat, as the update brought it."""

    user: TelegramUser
    meeting_id: int
    coming: bool
    at: datetime
    chat_id: int
    message_id: int | None
    # The Telegram update that brought it, recorded as handled with the press (see
    # storage/operations/handled_updates.py); None when the caller keeps no such record.
    update_id: int | None = None


@dataclass(frozen=True)
class RsvpPress:
    """A press, resolved: the presser's language and whether it was refused (`refusal`, a
    text key and its parameters) or recorded; `repeated` when its update was handled before
    (Telegram handed it out again): nothing was done and nothing is to be said."""

    language: str
    refusal: UseCaseError | None = None
    repeated: bool = False


@cache
def _meetings_query(for_update: bool) -> Select[Any]:
    query = (
        select(*BALLOT_MEETING)
        .join(Group, Group.id == Meeting.group_id)
        .where(Meeting.id.in_(bindparam("meetings", expanding=True)))
        .order_by(Meeting.id)  # locks taken in one order, so two batches never deadlock
    )
    return query.with_for_update(of=Meeting, key_share=True) if for_update else query


# The pressers, each with her active roster lines in the pressed meetings' groups (one row
# per line; one row without a line for a presser on none of them): one statement, not two.
_PRESSERS = (
    select(Person.telegram_user_id, Person.id, Person.language, Member.group_id, Member.id)
    .outerjoin(
        Member,
        and_(
            Member.person_id == Person.id,
            Member.group_id.in_(bindparam("groups", expanding=True)),
            Member.active.is_(True),
        ),
    )
    .where(Person.telegram_user_id.in_(bindparam("users", expanding=True)))
)


async def press_rsvps(
    db: SessionFactory, presses: Sequence[GroupPress], default_language: str
) -> list[RsvpPress]:
    """Presses on group reminders, in one transaction, each answered in the order given:
    only the group's active roster members may answer (the last press wins), and one
    coalesced edit of each pressed message's counts is queued. Unknown users are not
    registered here: they are only told to join. The presses' update ids are recorded as
    handled in the same transaction; a press whose update was handled before is `repeated`."""
    if not presses:
        return []
    return await retrying(lambda: _record(db, presses, default_language))


async def _record(
    db: SessionFactory, presses: Sequence[GroupPress], default_language: str
) -> list[RsvpPress]:
    async with db.begin() as session:
        # First, like every transaction that records update ids: one order for their locks.
        numbered = [(i, p.update_id) for i, p in enumerate(presses) if p.update_id is not None]
        first = await handled_updates.record(
            session, [update_id for _, update_id in numbered], max(p.at for p in presses)
        )
        repeated = {i for (i, _), new in zip(numbered, first, strict=True) if not new}
        fresh = [p for i, p in enumerate(presses) if i not in repeated]
        if not fresh:
            return [RsvpPress(default_language, repeated=True) for _ in presses]
        meeting_ids = sorted({p.meeting_id for p in fresh})
        meetings = {
            row[0]: row
            for row in await session.execute(
                _meetings_query(for_update(session)), {"meetings": meeting_ids}
            )
        }
        people: dict[int, tuple[int, str | None]] = {}
        lines: dict[tuple[int, int], int] = {}
        found = await session.execute(
            _PRESSERS,
            {
                "users": sorted({p.user.id for p in fresh}),
                "groups": sorted({row[1] for row in meetings.values()}),
            },
        )
        for user_id, person_id, chosen, group_id, member_id in found:
            people[user_id] = (person_id, chosen)
            if member_id is not None:
                lines.setdefault((person_id, group_id), member_id)

        results: list[RsvpPress] = []
        answers: list[Answer] = []
        for index, press in enumerate(presses):
            if index in repeated:
                results.append(RsvpPress(default_language, repeated=True))
                continue
            person_id, chosen = people.get(press.user.id, (None, None))
            language = chosen or telegram_language(press.user.language_code, default_language)
            meeting = meetings.get(press.meeting_id)
            ballot = None
            if meeting is not None:
                member = lines.get((person_id, meeting[1])) if person_id is not None else None
                meeting_id, group_id, group_name, chat_id, status, starts_at = meeting
                ballot = Ballot(
                    meeting_id, group_id, group_name, chat_id, status, starts_at, chosen, member
                )
            try:
                answers.append(
                    Answer(check_open(ballot, press.at), press.coming, press.at, press.chat_id,
                           press.message_id)
                )  # fmt: skip
            except UseCaseError as refusal:
                results.append(RsvpPress(language, refusal))
                continue
            results.append(RsvpPress(language))
        await record_answers(session, answers)
        return results
