"""Quiz polls sent after a meeting and how many answered them (anonymous: never who)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import SessionFactory
from storage.models import QuizPoll

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


async def record_quiz_counts(
    db: SessionFactory, poll_id: str, voters: int, option_voters: list[int]
) -> bool:
    """The counts of one of our anonymous quiz polls, as Telegram last reported them.

    Telegram sends no answer per person for an anonymous poll, only the poll's new state; so
    the bot knows how many answered and how many were right, never who. False for polls that
    are not ours."""
    async with db.begin() as session:
        poll = await session.get(QuizPoll, poll_id)
        if poll is None:
            return False
        poll.voters = max(voters, 0)
        index = poll.correct_option
        right = option_voters[index] if index < len(option_voters) else 0
        poll.correct_voters = max(right, 0)
        return True
