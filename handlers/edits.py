"""Edited messages: never acted on a second time.

Telegram sends an edit of a sent message as a new update. Handled like a message, an edit of
"/jadwalkan ..." to correct the date made a second meeting. The bot acts on messages when
they are sent; an edit is answered with what to do instead (send the correction as a new
message), so nothing happens twice and nobody thinks the edit was applied."""

from __future__ import annotations

from handlers.base import Request, action
from storage import access
from views.screen import Screen


@action(private_only=False)
async def edited_received(request: Request) -> None:
    """Say that an edit changes nothing; in a group chat only for an edited command."""
    message = request.update.edited_message
    if message is None:
        return
    text = message.text or message.caption or ""
    if not request.is_private and not text.startswith("/"):
        return  # people correct their chat in groups all the time; that is not for the bot
    # Only staff can change a meeting, so only they are pointed at /jadwal.
    key = (
        "edits.not_applied"
        if access.may(request.actor, access.Duty.STAFF)
        else "edits.not_applied_member"
    )
    await request.data.screens.send(
        request.context.bot,
        message.chat.id,
        Screen(request.t(key)),
        reply_to_message_id=message.message_id,
    )
