"""Meeting deliveries, composed at send time from the meeting as it is then.

A delivery planned for an old time (the meeting was moved), a cancelled meeting or one that
has already begun is skipped with a reason rather than sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message

from content.session_render import render_recap, render_summary
from content.sessions import get_session
from content.texts import t
from scheduler.message import ComposeContext, Edit, Outgoing, Poll, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage import meetings
from storage.deliveries import DueDelivery, recipients
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.meetings import MeetingDetail
from storage.meetings.held import Held, held_state
from storage.meetings.rsvp import WORDED_AT, WORDED_IN
from timekeeping.rules import (
    after_meeting_still_useful,
    reminder_still_useful,
    reminder_superseded,
)
from timekeeping.timefmt import day_word, format_datetime
from views.meetings import (
    card,
    reminder,
    rsvp_markup,
    when,
)
from views.split import split_html


async def _detail(context: ComposeContext, meeting_id: int | None) -> MeetingDetail | None:
    """The meeting with its counts; within a dispatcher tick, shared by its sends for a
    second (a reminder to a group and its thirty members reads the meeting once)."""
    if context.recent is None or meeting_id is None:
        return await meetings.for_delivery(context.db, meeting_id)
    return await context.recent.get(
        ("meeting", meeting_id), lambda: meetings.for_delivery(context.db, meeting_id)
    )


async def _current(context: ComposeContext, delivery: DueDelivery) -> MeetingDetail | Skip:
    """The meeting if this delivery still belongs to it: not cancelled, not moved since."""
    detail = await _detail(context, delivery.meeting_id)
    if detail is None:
        return Skip("meeting not found")
    if detail.meeting.cancelled:
        return Skip("meeting cancelled")
    if delivery.payload.get("revision") != detail.meeting.revision:
        return Skip("meeting rescheduled")
    return detail


async def _language(context: ComposeContext, delivery: DueDelivery) -> str | Skip:
    """The group's language, or the member's (Skip when they blocked the bot)."""
    return await private_recipient_language(context, delivery)


@composer(DeliveryKind.REMINDER)
async def compose_reminder(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    detail = await _current(context, delivery)
    if isinstance(detail, Skip):
        return detail
    starts_at = detail.meeting.starts_at
    if not reminder_still_useful(starts_at, context.now):
        return Skip("meeting already started")
    offset = timedelta(seconds=int(delivery.payload.get("offset", 0)))
    if reminder_superseded(starts_at, offset, context.settings.reminder_offsets, context.now):
        return Skip("a later reminder is due too")
    lang = context.settings.language
    if delivery.chat_id > 0:
        # One transaction for everything about the member (a broadcast sends thousands).
        state, member = await recipients.reminder_recipient(
            context.db, delivery.chat_id, detail.meeting.group_id, delivery.person_id
        )
        if state is not None and not state.wants_reminders:
            return Skip("private reminders turned off")
        if not member:
            return Skip("no longer a member")
        if state is not None and state.blocked:
            return Skip("blocked")
        if state is not None and state.language:
            lang = state.language
    screen = reminder(detail, lang, context.now)
    # Its time words are said from now; a later redraw of its counts says them from here.
    return Text(
        (screen.text,),
        screen.keyboard,
        remember={WORDED_AT: context.now.isoformat(), WORDED_IN: lang},
    )


@composer(DeliveryKind.RSVP_REFRESH)
async def compose_rsvp_refresh(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    """New counts on a group reminder; the key coalesces presses into one edit."""
    detail = await meetings.for_delivery(context.db, delivery.meeting_id)
    if detail is None or detail.meeting.cancelled:
        return Skip("meeting cancelled")
    message_id = delivery.payload.get("message_id")
    if not isinstance(message_id, int):
        return Skip("no message to edit")
    written = delivery.payload.get("written_for")
    as_of = datetime.fromisoformat(written) if isinstance(written, str) else context.now
    screen = reminder(detail, context.settings.language, as_of)

    async def lock_refreshes(session: AsyncSession) -> None:
        await meetings.lock_refreshes(session, delivery.key)

    async def again_if_changed(session: AsyncSession, now: datetime) -> None:
        await meetings.refresh_again_if_changed(session, delivery.id, delivery.key, detail, now)

    return Edit(message_id, screen, before=lock_refreshes, after=again_if_changed)


@composer(DeliveryKind.SUMMARY)
async def compose_summary(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    detail = await _current(context, delivery)
    if isinstance(detail, Skip):
        return detail
    meeting = detail.meeting
    if not reminder_still_useful(meeting.starts_at, context.now):
        return Skip("meeting already started")
    lang = context.settings.language
    # The day as named on the group's calendar when it is sent: a meeting set for this
    # afternoon gets its summary at once, and it must not say "tomorrow".
    day = day_word(meeting.starts_at, context.now, meeting.timezone, lang)
    intro = t(
        lang, "meetings.summary_intro", day=day, group=meeting.group_name, when=when(meeting, lang)
    )
    summary = render_summary(get_session(meeting.session_number, lang), lang)
    return Text(split_html(f"{intro}\n\n{summary}"))


@composer(DeliveryKind.RECAP)
async def compose_recap(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    detail = await _current(context, delivery)
    if isinstance(detail, Skip):
        return detail
    meeting = detail.meeting
    if not after_meeting_still_useful(meeting.starts_at, meeting.duration_minutes, context.now):
        return Skip("too long after the meeting")
    held = await held_state(context.db, meeting.id)
    if held is Held.NOT_HELD:
        return Skip("the chair said the meeting was not held")
    lang = context.settings.language
    # The group chat is read by those who came and those who did not: thank only "those who
    # came", and only when someone is known to have come.
    key = "meetings.recap_intro_held" if held is Held.HELD else "meetings.recap_intro"
    intro = t(lang, key, group=meeting.group_name, when=when(meeting, lang))
    recap = render_recap(get_session(meeting.session_number, lang), lang)
    outro = t(lang, "meetings.quiz_intro")
    return Text(split_html(f"{intro}\n\n{recap}\n\n{outro}"))


@composer(DeliveryKind.QUIZ)
async def compose_quiz(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    detail = await _current(context, delivery)
    if isinstance(detail, Skip):
        return detail
    meeting = detail.meeting
    if not after_meeting_still_useful(meeting.starts_at, meeting.duration_minutes, context.now):
        return Skip("too long after the meeting")
    if await held_state(context.db, meeting.id) is Held.NOT_HELD:
        return Skip("the chair said the meeting was not held")
    index = delivery.payload.get("index")
    quiz = get_session(meeting.session_number, context.settings.language).quiz
    if not isinstance(index, int) or not 0 <= index < len(quiz):
        return Skip("no such quiz question")
    item = quiz[index]
    meeting_id = meeting.id

    async def remember(session: AsyncSession, message: Message) -> None:
        if message.poll is not None:
            await meetings.store_quiz_poll(
                session, message.poll.id, meeting_id, index, item.correct
            )

    return Poll(item.question, item.options, item.correct, item.explanation, after=remember)


@composer(DeliveryKind.MEETING_CHANGED)
async def compose_meeting_changed(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    detail = await meetings.for_delivery(context.db, delivery.meeting_id)
    if detail is None:
        return Skip("meeting not found")
    meeting = detail.meeting
    lang = await _language(context, delivery)
    if isinstance(lang, Skip):
        return lang
    if delivery.payload.get("change") == "cancelled":
        return Text((t(lang, "meetings.changed_cancelled", card=card(meeting, lang)),))
    if meeting.cancelled or delivery.payload.get("revision") != meeting.revision:
        return Skip("superseded by a later change")
    old = delivery.payload.get("old_starts_at")
    old_text = (
        format_datetime(datetime.fromisoformat(old), meeting.timezone, lang)
        if isinstance(old, str)
        else "-"
    )
    text = t(lang, "meetings.changed", old=old_text, card=card(meeting, lang))
    return Text((text,), rsvp_markup(meeting, detail.counts, lang))
