"""Writing a ticket's record: its messages (cleaned text or a file) and its history events."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from storage.complaints.constants import MAX_TEXT
from storage.complaints.views import Attachment
from storage.errors import EmptyText, TooLong
from storage.models.complaints import (
    AttachmentKind,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintStatus,
)


def clean_complaint_text(text: str, limit: int = MAX_TEXT) -> str:
    """Keep line breaks (people write lists); only trim the ends."""
    cleaned = text.strip()
    if not cleaned:
        raise EmptyText()
    if len(cleaned) > limit:
        raise TooLong(limit, len(cleaned))
    return cleaned


# Each step of a ticket's history; views word them as complaints.event.<step>.
EventAction = Literal[
    "filed",
    "added",
    "reply",
    "status",
    "forwarded",
    "closed",
    "reopened",
    "escalated",
    "handed_over",
    "climbed",
    "unreached",
    "coordinator_left",
    "escalated_korwil",
    "escalated_whole",
    "escalated_above",
]


def add_event(
    session: AsyncSession,
    complaint: Complaint,
    actor_id: int | None,
    action: EventAction,
    now: datetime,
    *,
    status: ComplaintStatus | None = None,
    message_id: int | None = None,
    detail: str | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint_id=complaint.id,
        actor_id=actor_id,
        at=now,
        action=action,
        status=status,
        message_id=message_id,
        detail=detail,
    )
    session.add(event)
    complaint.updated_at = now
    return event


async def add_message(
    session: AsyncSession,
    complaint: Complaint,
    author_id: int,
    now: datetime,
    *,
    text: str | None = None,
    attachment: Attachment | None = None,
    from_staff: bool = False,
) -> ComplaintMessage:
    message = ComplaintMessage(
        complaint_id=complaint.id,
        author_id=author_id,
        from_staff=from_staff,
        kind=attachment.kind if attachment else AttachmentKind.TEXT,
        text=text,
        file_id=attachment.file_id if attachment else None,
        file_name=(attachment.file_name or None) if attachment else None,
        created_at=now,
    )
    session.add(message)
    await session.flush()
    return message
