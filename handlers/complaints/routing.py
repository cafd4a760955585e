"""Typed text and files in a private chat, routed to the complaint step waiting for them."""

from __future__ import annotations

from telegram import Message

from handlers import roster, unexpected
from handlers.base import Request, action
from handlers.complaints.common import (
    ADD,
    DESCRIBE,
    FILE_STEPS,
    OFFER,
    REJECT,
    REPLY,
    TYPED_STEPS,
    draft_text,
    joined,
)
from handlers.complaints.free_text import show_offer
from handlers.complaints.handling import typed_reason, typed_reply
from handlers.complaints.intake import file_received, typed_draft
from handlers.complaints.member import add_to_ticket
from handlers.steps import text_step
from storage.complaints import Attachment
from storage.models.complaints import AttachmentKind


@text_step(*TYPED_STEPS)
async def typed(request: Request) -> None:
    """Free text in any complaint step (routed from handlers/input.py)."""
    step = request.pending.awaiting
    if step == REPLY:
        await typed_reply(request)
    elif step == REJECT:
        await typed_reason(request)
    elif step == ADD:
        await add_to_ticket(request, text=request.text)
    elif step == OFFER:
        draft = dict(request.pending.draft)
        draft["text"] = joined(draft_text(draft), request.text)
        await show_offer(request, draft)
    else:
        await typed_draft(request, step or DESCRIBE)


def _attachment(message: Message) -> Attachment | None:
    if message.photo:
        return Attachment(AttachmentKind.PHOTO, message.photo[-1].file_id)
    if message.voice is not None:
        return Attachment(AttachmentKind.VOICE, message.voice.file_id)
    if message.document is not None:
        return Attachment(
            AttachmentKind.DOCUMENT, message.document.file_id, message.document.file_name
        )
    return None


@action()
async def attachment_received(request: Request) -> None:
    """A photo, voice note or document: part of a complaint when one is being written."""
    message = request.update.effective_message
    found = _attachment(message) if message is not None else None
    step = request.pending.awaiting
    if found is None or step not in FILE_STEPS:
        # Not for a complaint: a document may be a roster file, anything else is unexpected.
        other = roster.received_file if message and message.document else unexpected.other_received
        await other(request.update, request.context)
        return
    if step == ADD:
        await add_to_ticket(request, attachment=found, text=request.text or None)
        return
    await file_received(request, step, found)
