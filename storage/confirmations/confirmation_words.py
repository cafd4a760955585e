"""A chair's answer in her own words, as read by language.chair_reply, recorded in one go.

The reading states some parts for certain and leaves the rest None; what it states is
recorded, her words are kept in the notes, and the request moves to the first question still
open. When nothing is left, the answer is finished in the same transaction (the facilitator is
told through the dispatcher, as with buttons). Counts the reader questions (more than the
roster, negative, held with nobody there) are never recorded: the reading leaves them None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from language.chair_reply import Problem, Reading
from storage import month_counts
from storage.actors import Actor
from storage.confirmations import (
    CountNegative,
    RequestView,
    _chairs_request,
    _clean_notes,
    _finish,
    _view,
)
from storage.db import SessionFactory
from storage.deliveries.notices import send_notice
from storage.models import AuditEntry, Group, Meeting, Person
from storage.models.attendance import ConfirmationRequest, ConfirmOutcome, ConfirmState, ConfirmStep

OUTCOMES = {
    "held": ConfirmOutcome.HELD,
    "not_held": ConfirmOutcome.NOT_HELD,
    "postponed": ConfirmOutcome.MOVED,
}


@dataclass(frozen=True)
class WordsAnswer:
    """What became of her words: the request now, and why the bot must still ask (if it must)."""

    view: RequestView
    finished: bool  # everything was clear: recorded and sent to the facilitator
    understood: bool  # the words said something about the meeting (not only a note)
    forwarded: bool  # her words were (also) about something else: sent to the facilitator
    problems: tuple[Problem, ...]
    inexact_count: bool
    cancelled_or_moved: bool
    # These words said otherwise than an answer already recorded: the recorded one is kept.
    kept_earlier: bool = False


def _next_step(request: ConfirmationRequest, date_said: bool) -> ConfirmStep | None:
    """The first question still open; None when the answer is complete."""
    if request.outcome is None:
        return ConfirmStep.OUTCOME
    if request.outcome is ConfirmOutcome.HELD:
        if request.attendees is None:
            return ConfirmStep.COUNT
        if request.info_passed is None:
            return ConfirmStep.INFO
    if request.outcome is ConfirmOutcome.MOVED and request.moved_to is None and not date_said:
        return ConfirmStep.DATE
    return None


_OUTCOME_PROBLEMS = frozenset({"held_but_nobody", "outcome_conflict", "moved_but_attended"})
_COUNT_PROBLEMS = frozenset({"count_over_roster", "count_negative", "count_conflict"})


def _still_open(request: ConfirmationRequest, problem: Problem) -> bool:
    """Whether the answer a problem asks for is still missing. A problem about an answer she
    gave in an earlier message asks for nothing: no button would answer it."""
    if problem.code in _OUTCOME_PROBLEMS:
        return request.outcome is None
    if problem.code in _COUNT_PROBLEMS:
        return _count_open(request)
    return request.info_passed is None  # info_conflict


def _count_open(request: ConfirmationRequest) -> bool:
    return request.attendees is None and request.outcome in (None, ConfirmOutcome.HELD)


def _apply(request: ConfirmationRequest, reading: Reading) -> bool:
    """Record what the reading states; True when it stated anything."""
    outcome = OUTCOMES.get(reading.outcome) if reading.outcome else None
    if outcome is not None and outcome is not request.outcome:
        # A new outcome: what was said under the old one no longer applies.
        request.outcome = outcome
        request.attendees = request.info_passed = request.moved_to = None
    if reading.attended is not None and request.outcome in (None, ConfirmOutcome.HELD):
        request.attendees = reading.attended
    if reading.info_passed is not None:
        request.info_passed = reading.info_passed
    if reading.postponed_to is not None and request.outcome is ConfirmOutcome.MOVED:
        request.moved_to = reading.postponed_to
    return any(
        value is not None
        for value in (outcome, reading.attended, reading.info_passed, reading.postponed_to)
    )


async def answer_in_words(
    db: SessionFactory,
    actor: Actor,
    request_id: int,
    words: str,
    reading: Reading,
    now: datetime,
) -> WordsAnswer:
    """Record what her words say clearly, keep her words as the note, finish when complete."""
    cleaned = _clean_notes(words)
    async with db.begin() as session:
        request = await _chairs_request(session, actor, request_id)
        request.notes = f"{request.notes}\n{cleaned}" if request.notes else cleaned
        stated = _apply(request, reading)
        if request.attendees is not None and request.attendees < 0:
            raise CountNegative()  # never from the reader; kept safe
        open_problems = tuple(p for p in reading.problems if _still_open(request, p))
        kept_earlier = (
            len(open_problems) < len(reading.problems)
            or (reading.inexact_count and not _count_open(request))
            or (reading.cancelled_or_moved and request.outcome is not None)
        )
        step = _next_step(request, date_said=reading.postponed_to is not None)
        finished = step is None
        forwarded = False
        if finished:
            await _finish(session, actor, request, now)
            kind = "finished"
        else:
            request.step = step or ConfirmStep.OUTCOME
            if reading.note:
                # Not (yet) part of an answer: the facilitator reads it now, not at the end.
                await _forward(session, actor, request, cleaned, now)
                forwarded = True
            kind = "partial" if stated else "note"
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="confirm.words",
                detail=f"request {request.id} {kind} {request.outcome} {request.attendees}",
            )
        )
        return WordsAnswer(
            view=await _view(session, request),
            finished=finished,
            understood=stated or bool(reading.problems),
            forwarded=forwarded,
            problems=open_problems,
            inexact_count=reading.inexact_count and _count_open(request),
            cancelled_or_moved=reading.cancelled_or_moved and request.outcome is None,
            kept_earlier=kept_earlier,
        )


async def _forward(
    session: AsyncSession, actor: Actor, request: ConfirmationRequest, words: str, now: datetime
) -> None:
    group = await session.get_one(Group, request.group_id)
    await send_notice(
        session,
        await session.get_one(Person, group.facilitator_id),
        key=f"confirm:{request.id}:words:{int(now.timestamp())}:{len(request.notes or '')}",
        text="confirm.words_notice",
        params={"group": group.name, "chair": actor.name, "note": words},
        now=now,
        group_id=group.id,
    )


async def reopen_answer(
    db: SessionFactory, actor: Actor, request_id: int, now: datetime
) -> RequestView:
    """The chair corrects an answer the bot recorded from her words: back to the first
    question, her notes kept; answering again tells the facilitator the corrected answer."""
    async with db.begin() as session:
        request = await _chairs_request(session, actor, request_id, open_only=False)
        request.state = ConfirmState.OPEN
        request.step = ConfirmStep.OUTCOME
        request.outcome = request.attendees = request.info_passed = request.moved_to = None
        request.answered_at = None
        await month_counts.refresh_meeting(
            session,
            await session.get_one(Group, request.group_id),
            (await session.get_one(Meeting, request.meeting_id)).starts_at,
        )
        session.add(
            AuditEntry(
                at=now,
                actor_id=actor.person_id,
                action="confirm.reopen",
                detail=f"request {request.id}",
            )
        )
        return await _view(session, request)
