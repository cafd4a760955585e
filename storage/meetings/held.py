"""Whether a meeting was held, as far as the bot knows: the words after it depend on it.

The recap must not thank people "for coming" to a meeting that did not take place. What the
bot knows comes from two people: the chair's answer to a confirmation request and the roll
call (anyone marked Hadir). Without either, nothing is known and the wording stays neutral."""

from __future__ import annotations

import enum

from sqlalchemy import func, select

from storage.db import SessionFactory
from storage.models import (
    Attendance,
    AttendanceStatus,
    ConfirmationRequest,
    ConfirmOutcome,
    ConfirmState,
)


class Held(enum.StrEnum):
    HELD = "held"
    NOT_HELD = "not_held"
    UNKNOWN = "unknown"


async def held_state(db: SessionFactory, meeting_id: int) -> Held:
    """The chair's answer first (she was there); else anyone marked present means it was held."""
    async with db.begin() as session:
        outcomes = (
            await session.scalars(
                select(ConfirmationRequest.outcome).where(
                    ConfirmationRequest.meeting_id == meeting_id,
                    ConfirmationRequest.state == ConfirmState.ANSWERED,
                    ConfirmationRequest.outcome.is_not(None),
                )
            )
        ).all()
        if ConfirmOutcome.HELD in outcomes:
            return Held.HELD
        if outcomes:
            return Held.NOT_HELD
        present = await session.scalar(
            select(func.count(Attendance.id)).where(
                Attendance.meeting_id == meeting_id,
                Attendance.status == AttendanceStatus.HADIR,
            )
        )
        return Held.HELD if present else Held.UNKNOWN
