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
    """The counts of one of our anonymous quiz polls, the largest Telegram has reported.

    Telegram sends no answer per person for an anonymous poll, only the poll's new state; so
    the bot knows how many answered and how many were right, never who. False for polls that
    are not ours."""
    async with db.begin() as session:
        # Poll updates have no sender, so two can be handled at once and arrive out of order.
        # A quiz answer cannot be taken back, so counts only grow: keep the largest seen,
        # under a row lock so two updates do not both read the old value.
        poll = await session.get(QuizPoll, poll_id, with_for_update=True)
        if poll is None:
            return False
        index = poll.correct_option
        right = option_voters[index] if index < len(option_voters) else 0
        poll.voters = max(poll.voters, voters)
        poll.correct_voters = max(poll.correct_voters, right)
        return True
