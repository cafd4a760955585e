"""A person who blocked the bot, for tests about who can still be told.

In the bot this is learnt from a failed send (storage/operations/delivery_outcomes.py records the
BLOCKED verdict); tests set it directly instead of staging a failed delivery first."""

from __future__ import annotations

from sqlalchemy import update

from storage.db import SessionFactory
from storage.models import Person, utcnow


async def blocked_the_bot(db: SessionFactory, telegram_user_id: int) -> None:
    """Record that this Telegram user blocked the bot, as a failed send would."""
    async with db.begin() as session:
        await session.execute(
            update(Person)
            .where(Person.telegram_user_id == telegram_user_id)
            .values(blocked_bot_at=utcnow(), private_chat_open=False)
        )
