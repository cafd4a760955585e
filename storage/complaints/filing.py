"""The member files a ticket, or adds text or a file to their open one."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.actors import Actor
from storage.complaints.access import for_member, membership
from storage.complaints.constants import MAX_FILES, NEW_KIND, OPEN, PROTECTED_KIND, is_protected
from storage.complaints.history import add_event, add_message, clean_complaint_text
from storage.complaints.notify import (
    above_coordinators,
    member_step_to_facilitator,
    to_coordinators,
    to_facilitator,
)
from storage.complaints.reading import build_ticket
from storage.complaints.views import Attachment, Filed, Ticket
from storage.db import SessionFactory
from storage.errors import UseCaseError
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
    """File the ticket, tell the facilitator now, and the coordinators at the SLA if unanswered.

    A protected complaint (about the facilitator, the chair, or cuts from the aid) goes to
    every coordinator now instead (the data model has no areas), never to the facilitator;
    unanswered at the SLA it goes up to `escalate_to` (Telegram user ids above the
    coordinators), or to every coordinator again when none is configured."""
    body = clean_complaint_text(text)
    if len(attachments) > MAX_FILES:
        raise UseCaseError("complaints.too_many_files", limit=MAX_FILES)
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
        escalate_key = f"complaint:{complaint.id}:escalate"
        if is_protected(category):
            told = bool(
                await to_coordinators(
                    session,
                    complaint,
                    f"complaint:{complaint.id}:protected",
                    now,
                    kind=PROTECTED_KIND,
                )
            )
            if escalate_to:
                await above_coordinators(session, complaint, escalate_key, now + sla, escalate_to)
            else:
                await to_coordinators(session, complaint, escalate_key, now + sla)
        else:
            told = await to_facilitator(
                session, complaint, NEW_KIND, f"complaint:{complaint.id}:new", now
            )
            await to_coordinators(session, complaint, escalate_key, now + sla)
        await session.flush()
        return Filed(await build_ticket(session, complaint), told)


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
            raise UseCaseError("complaints.not_open", number=ticket_number(complaint.id))
        if text is not None:
            text = clean_complaint_text(text)
        if attachment is None and text is None:
            raise UseCaseError("errors.empty_text")
        message = await add_message(
            session, complaint, actor.person_id, now, text=text, attachment=attachment
        )
        event = add_event(session, complaint, actor.person_id, "added", now, message_id=message.id)
        await member_step_to_facilitator(session, complaint, event, now)
        return await build_ticket(session, complaint)
