"""Free text and files in a private chat: they answer whatever the person was asked last."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.keyboards import button, rows
from handlers import (
    announcements,
    complaints,
    confirmations,
    groups,
    meetings,
    onboarding,
    reports,
    roster,
)
from handlers.base import Request, action
from handlers.menu import main_menu

TEXT_STEPS: dict[str, Callable[[Request], Awaitable[None]]] = {
    onboarding.JOIN_PICK: onboarding.join_typed_name,
    groups.NEW_NAME: groups.typed_group_field,
    groups.NEW_VILLAGE: groups.typed_group_field,
    groups.NEW_VENUE: groups.typed_group_field,
    roster.RENAME: roster.typed_rename,
    announcements.TYPING: announcements.typed_text,
    meetings.SESSION_STEP: meetings.typed_session,
    meetings.DATE_STEP: meetings.typed_date,
    meetings.TIME_STEP: meetings.typed_time,
    meetings.VENUE_STEP: meetings.typed_venue,
    meetings.CONFIRM_STEP: meetings.typed_at_confirm,
    **dict.fromkeys(complaints.TYPED_STEPS, complaints.typed),
    confirmations.CONFIRM_INPUT: confirmations.typed_answer,
    confirmations.LATE_NOTE: confirmations.typed_late_note,
    reports.DESCRIPTION: reports.typed_description,
    reports.PHOTO: reports.typed_while_photo,
    reports.LOCATION: reports.typed_while_photo,
}


@action()
async def text_received(request: Request) -> None:
    """Route typed text to the step waiting for it; otherwise explain and show the menu."""
    # A reply to a confirmation request belongs to that request, whatever else is pending.
    if await confirmations.reply_received(request):
        return
    step = request.pending.awaiting
    handler = TEXT_STEPS.get(step or "")
    if handler is not None:
        await handler(request)
        return
    if step == roster.ROSTER_FILE:
        await request.say(
            request.t("roster.expecting_file"), rows([button(request.t("buttons.cancel"), "x")])
        )
        return
    # A member writing out of the blue is asked whether to send it as a complaint (kept).
    if await complaints.offer(request):
        return
    text, markup = main_menu(request)
    await request.say(request.t("errors.not_understood") + "\n\n" + text, markup)


@action()
async def other_received(request: Request) -> None:
    """A sticker, photo, location... where we wanted text: say what we need, keep the step."""
    # The meeting photo and its location (awaited, or a chair's photo sent unasked).
    if await reports.media_received(request):
        return
    step = request.pending.awaiting
    if step in TEXT_STEPS:
        await request.say(
            request.t("errors.text_expected"), rows([button(request.t("buttons.cancel"), "x")])
        )
        return
    text, markup = main_menu(request)
    await request.say(request.t("errors.not_understood") + "\n\n" + text, markup)
