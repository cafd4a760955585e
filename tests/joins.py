"""Joining through the real use cases, for tests about what happens after someone joined.

Joining is confirmed (storage/joining/__init__.py): a name not on the roster is a request that the
facilitator answers; these helpers ask and answer in one go."""

from __future__ import annotations

from datetime import datetime

from storage import joining
from storage.actors import Actor
from storage.db import SessionFactory
from storage.joining.onboarding import Joined


async def join_added(
    db: SessionFactory, person: Actor, token: str, name: str, facilitator: Actor, now: datetime
) -> Joined:
    """She types a name not on the roster; the facilitator answers ✅ Tambahkan."""
    step = await joining.ask_to_be_added(db, person, token, name, now)
    answered = await joining.answer(db, facilitator, step.request_id, True, now)
    assert answered.joined is not None
    return answered.joined
