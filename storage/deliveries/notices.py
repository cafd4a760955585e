"""The ready "notice" delivery: one text key sent to one person, in their language.

scheduler/composers/notices.py composes it at send time from the payload written here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage import deliveries
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.models import Person

KIND = DeliveryKind.NOTICE


async def send_notice(
    session: AsyncSession,
    person: Person,
    *,
    key: str,
    text: str,
    params: dict[str, Any],
    now: datetime,
    group_id: int | None = None,
) -> None:
    """Queue the text for this person now; nothing while she has no chat with the bot."""
    if person.telegram_user_id is None:
        return
    await deliveries.enqueue(
        session,
        key=key,
        kind=KIND,
        chat_id=person.telegram_user_id,
        person_id=person.id,
        group_id=group_id,
        due_at=now,
        payload={"text": text, "params": params},
    )
