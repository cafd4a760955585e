"""Members' answers to reminders (coming or not) and the counts of the quiz polls."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatType

from content.texts import t
from handlers.base import Request, action, alert
from handlers.context import BotContext
from handlers.meetings.common import log
from storage import meetings
from storage.actors import TelegramUser
from storage.people import telegram_language
from views import meetings as render
from views.buttons import RSVP_PRESSED
from views.callbacks import Callback, unpack
from views.refusals import words as refusal_words

# -- RSVP and quiz answers ------------------------------------------------------------------------


def _group_press(update: Update) -> Callback | None:
    """The callback of a press on a group reminder that goes to the batch of presses."""
    chat, query, user = update.effective_chat, update.callback_query, update.effective_user
    if chat is None or chat.type == ChatType.PRIVATE or query is None:
        return None
    if user is None or user.is_bot:
        return None
    callback = unpack(query.data)
    if callback is None or callback.button is not RSVP_PRESSED:
        return None
    return callback


def recorded_with_the_press(update: Update) -> bool:
    """A press on a group reminder: its update is recorded as handled in the transaction that
    records the press (storage/meetings/presses.py), not beforehand by handlers/once.py. The
    presses of a burst then cost one transaction per batch instead of two, one after the
    other; and the update counts as handled exactly when its answer is committed."""
    return _group_press(update) is not None


async def rsvp_pressed(update: Update, context: BotContext) -> None:
    """Hadir / Tidak bisa: recorded at once; the group message's counts follow shortly.

    A group reminder gets a whole group's presses within a minute, so a press there skips the
    generic `action` wrapper (which registers the sender and loads their roles, a transaction
    of its own): the presses that arrive together share one transaction, which finds each
    presser on the group's roster, records the answers and queues the edits; then each press
    is answered. Presses on one's own private copy go
    through `action` (it notes that the private chat is open) and redraw that copy."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        await rsvp_in_private(update, context)
        return
    query, user = update.callback_query, update.effective_user
    if query is None or user is None or user.is_bot:
        return
    data = context.bot_data
    callback = _group_press(update)
    if callback is None:
        language = telegram_language(user.language_code, data.settings.language)
        await alert(query, t(language, "errors.stale_button"))
        return
    message = query.message if isinstance(query.message, Message) else None
    press = await data.group_presses.submit(
        meetings.GroupPress(
            TelegramUser(user.id, user.full_name, user.language_code),
            callback.arg(0),
            callback.arg(1) == 1,
            data.clock.now(),
            chat.id,
            message.message_id if message is not None else None,
            update.update_id,
        )
    )
    if press.repeated:
        log.info("update %s came again; it was handled already, skipped", update.update_id)
        return
    if press.refusal is not None:
        refusal = press.refusal
        key, params = refusal_words(refusal)
        if not await alert(query, t(press.language, key, **params)):
            log.info("could not tell %s why their press was refused: %s", user.id, key)
        return
    key = "meetings.rsvp.recorded_yes" if callback.arg(1) == 1 else "meetings.rsvp.recorded_no"
    await query.answer(t(press.language, key))


@action(private_only=False)
async def rsvp_in_private(request: Request) -> None:
    """A press on one's own copy of a reminder: recorded, and that copy redrawn at once."""
    query = request.update.callback_query
    assert query is not None
    meeting_id, coming = request.pressed["meeting"], request.pressed["coming"] == 1
    message = query.message if isinstance(query.message, Message) else None
    chat = request.update.effective_chat
    assert chat is not None
    result = await meetings.record_rsvp(
        request.data.db,
        request.actor,
        meeting_id,
        coming,
        request.data.clock.now(),
        chat.id,
        message.message_id if message is not None else None,
    )
    key = "meetings.rsvp.recorded_yes" if coming else "meetings.rsvp.recorded_no"
    await query.answer(request.t(key))
    if request.is_private and message is not None:
        # One's own copy is edited here; only group messages need the coalesced edit.
        detail = meetings.MeetingDetail(result.meeting, result.counts)
        # Its words stay as first sent: "3 hari lagi" does not turn into "2 hari lagi", nor
        # does the message change language.
        worded_at = result.worded_at or request.data.clock.now()
        screen = render.reminder(detail, result.worded_in or request.lang, worded_at)
        await request.data.screens.edit(
            request.context.bot, message.chat_id, message.message_id, screen
        )


async def quiz_counted(update: Update, context: BotContext) -> None:
    """New counts of one of our quiz polls (anonymous, so no person is named); others ignored.

    A poll update has no sender, so it skips the `action` wrapper, which needs one."""
    poll = update.poll
    if poll is None:
        return
    await meetings.record_quiz_counts(
        context.bot_data.db,
        poll.id,
        poll.total_voter_count,
        [option.voter_count for option in poll.options],
    )
