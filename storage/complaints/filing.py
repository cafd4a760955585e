"""The member files a ticket, or adds text or a file to their open one."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.actors import Actor
from storage.complaints.access import for_member, membership
from storage.complaints.constants import MAX_FILES, OPEN, is_protected
from storage.complaints.errors import NotOpen, TooManyFiles
from storage.complaints.history import add_event, add_message, clean_complaint_text
from storage.complaints.notify import member_step_to_facilitator
from storage.complaints.reading import build_ticket
from storage.complaints.routing import route, send_along
from storage.complaints.views import Attachment, Filed, Level, Ticket
from storage.db import SessionFactory
from storage.errors import EmptyText
from storage.models import Group
from storage.models.complaints import (
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    ticket_number,
)


async def submit(
    db: SessionFactory,
    actor: Actor,
    *,
    group_id: int,
    category: ComplaintCategory,
    text: str,
    attachments: list[Attachment],
    discuss_anonymously: bool,
    now: datetime,
    sla: timedelta,
    escalate_to: tuple[int, ...] = (),
) -> Filed:
    """File the ticket and queue who reads it, level by level (storage/complaints/routing.py):
    the nearest level that can be reached now, each next one after one more SLA if nobody
    answered. An ordinary complaint starts at the group's pendamping; a protected one (about
    the pendamping, the chair, or cuts from the aid) at the Korkab, never the pendamping.
    `escalate_to` (Telegram user ids) is the level above the top area."""
    body = clean_complaint_text(text)
    if len(attachments) > MAX_FILES:
        raise TooManyFiles(MAX_FILES)
    async with db.begin() as session:
        member = await membership(session, actor, group_id)
        group = await session.get_one(Group, group_id)
        complaint = Complaint(
            person_id=actor.person_id,
            member_id=member.id,
            group_id=group_id,
            facilitator_id=group.facilitator_id,
            category=category,
            status=ComplaintStatus.NEW,
            # Never a meeting topic: the facilitator who would raise it must not see it.
            discuss_anonymously=discuss_anonymously and not is_protected(category),
            created_at=now,
            updated_at=now,
        )
        session.add(complaint)
        await session.flush()
        await add_message(session, complaint, actor.person_id, now, text=body)
        for attachment in attachments:
            await add_message(session, complaint, actor.person_id, now, attachment=attachment)
        add_event(session, complaint, actor.person_id, "filed", now, status=ComplaintStatus.NEW)
        found = await route(session, group, complaint.facilitator_id, category, escalate_to)
        await send_along(session, complaint, found, now, sla)
        natural = Level.KORKAB if is_protected(category) else Level.PENDAMPING
        if found.first is None or found.first.level > natural:
            # Kept in the history: nobody at the nearest level could be reached through the
            # bot, so it went higher at once (or nowhere, and the member was told so).
            add_event(
                session,
                complaint,
                None,
                "climbed" if found.first else "unreached",
                now,
            )
        await session.flush()
        return Filed(await build_ticket(session, complaint), found.first is not None, found)


async def add_more(
    db: SessionFactory,
    actor: Actor,
    complaint_id: int,
    now: datetime,
    *,
    text: str | None = None,
    attachment: Attachment | None = None,
) -> Ticket:
    """The member adds text or a file to their open ticket; the facilitator is told."""
    async with db.begin() as session:
        complaint = await for_member(session, actor, complaint_id)
        if complaint.status not in OPEN:
            raise NotOpen(ticket_number(complaint.id))
        if text is not None:
            text = clean_complaint_text(text)
        if attachment is None and text is None:
            raise EmptyText()
        message = await add_message(
            session, complaint, actor.person_id, now, text=text, attachment=attachment
        )
        event = add_event(session, complaint, actor.person_id, "added", now, message_id=message.id)
        await member_step_to_facilitator(session, complaint, event, now)
        return await build_ticket(session, complaint)
