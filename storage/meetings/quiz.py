"""Quiz polls sent after a meeting and the answers members give."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory
from storage.models import (
    QuizAnswer,
    QuizPoll,
)

# -- quiz ---------------------------------------------------------------------------------------


async def store_quiz_poll(
    session: AsyncSession, poll_id: str, meeting_id: int, index: int, correct: int
) -> None:
    if await session.get(QuizPoll, poll_id) is None:
        session.add(
            QuizPoll(
                poll_id=poll_id, meeting_id=meeting_id, question_index=index, correct_option=correct
            )
        )


async def record_quiz_answer(
    db: SessionFactory, person_id: int, poll_id: str, options: list[int], now: datetime
) -> bool | None:
    """Whether the answer was right; None for polls that are not ours (or a retracted vote)."""
    async with db.begin() as session:
        poll = await session.get(QuizPoll, poll_id)
        if poll is None:
            return None
        answer = await session.scalar(
            select(QuizAnswer).where(
                QuizAnswer.poll_id == poll_id, QuizAnswer.person_id == person_id
            )
        )
        if not options:
            if answer is not None:
                await session.delete(answer)
            return None
        correct = options[0] == poll.correct_option
        if answer is None:
            session.add(
                QuizAnswer(
                    poll_id=poll_id,
                    person_id=person_id,
                    option=options[0],
                    correct=correct,
                    answered_at=now,
                )
            )
        else:
            answer.option, answer.correct, answer.answered_at = options[0], correct, now
        return correct
