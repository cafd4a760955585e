"""Complaints (keluhan): a member writes privately, the facilitator answers, nothing is lost.

The member's draft lives in Person.awaiting/draft (one step constant per screen), so a
restart or a stray message never loses what was typed. Every button's ticket id is
untrusted: storage.complaints checks who may see or change the ticket on every press.

One idea per module: common (steps, draft, helpers), intake (filing a new complaint),
cancel (dropping a draft), free_text (offering to file what a member wrote unasked), card
(one ticket, its files and history), member (/keluhanku, adding, closing, reopening),
handling (the facilitator's reply, status, forward), queue (/keluhan_masuk, filters, meeting
topics), handover, routing (typed text and files to the waiting step). This module
registers them."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from handlers.base import on_button
from handlers.complaints import (
    cancel,
    card,
    free_text,
    handling,
    handover,
    intake,
    member,
    queue,
    routing,
)
from handlers.complaints.common import DRAFT_STEPS, FILE_STEPS, TYPED_STEPS
from handlers.complaints.free_text import offer
from handlers.complaints.intake import START_PAYLOAD, start_intake
from handlers.complaints.routing import attachment_received, typed
from handlers.context import BotContext
from views.buttons import (
    ADD_MORE,
    ASK_REJECT,
    ASK_REPLY,
    CANCEL_PRESSED,
    CHANGE_CATEGORY,
    COMPLAINT_BUTTON,
    COMPLAINT_CATEGORY,
    COMPLAINT_FILES,
    COMPLAINT_FORWARD,
    COMPLAINT_GROUP,
    COMPLAINT_HISTORY,
    COMPLAINT_INBOX,
    COMPLAINT_KEEP,
    COMPLAINTS_SEND,
    DISCARD,
    FULL_TEXT,
    HANDOVER,
    HANDOVER_FROM,
    HANDOVER_TO,
    MEETING_TOPICS,
    MY_TICKETS,
    OFFER_NO,
    OFFER_YES,
    REOPEN,
    SET_STATUS,
    SHOW_CHANNELS,
    SOLVED,
    STATUS_MENU,
    TO_ATTACH,
    TO_REVIEW,
    TOGGLE_ANONYMOUS,
    VIEW_TICKET,
)

__all__ = [
    "DRAFT_STEPS",
    "FILE_STEPS",
    "START_PAYLOAD",
    "TYPED_STEPS",
    "attachment_received",
    "handlers",
    "offer",
    "start_intake",
    "typed",
]


FILES = filters.PHOTO | filters.VOICE | filters.Document.ALL


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("keluhan", intake.complaint_command),
        CommandHandler("keluhanku", member.my_tickets),
        CommandHandler("keluhan_masuk", queue.inbox_command),
        on_button(COMPLAINT_BUTTON, intake.complaint_button),
        on_button(COMPLAINT_GROUP, intake.pick_group),
        on_button(COMPLAINT_CATEGORY, intake.pick_category),
        on_button(CHANGE_CATEGORY, intake.change_category),
        on_button(TO_REVIEW, intake.to_review),
        on_button(TO_ATTACH, intake.to_attach),
        on_button(TOGGLE_ANONYMOUS, intake.toggle_anonymous),
        on_button(COMPLAINTS_SEND, intake.send),
        on_button(SHOW_CHANNELS, intake.show_channels),
        on_button(CANCEL_PRESSED, cancel.cancel_pressed),
        on_button(DISCARD, cancel.discard),
        on_button(COMPLAINT_KEEP, cancel.keep),
        on_button(OFFER_YES, free_text.offer_yes),
        on_button(OFFER_NO, free_text.offer_no),
        on_button(MY_TICKETS, member.my_tickets),
        on_button(VIEW_TICKET, card.view_ticket),
        on_button(ADD_MORE, member.add_more),
        on_button(SOLVED, member.solved),
        on_button(REOPEN, member.reopen),
        on_button(COMPLAINT_FILES, card.send_files),
        on_button(COMPLAINT_HISTORY, card.history),
        on_button(COMPLAINT_INBOX, queue.inbox),
        on_button(ASK_REPLY, handling.ask_reply),
        on_button(STATUS_MENU, handling.status_menu),
        on_button(SET_STATUS, handling.set_status),
        on_button(ASK_REJECT, handling.ask_reject),
        on_button(COMPLAINT_FORWARD, handling.forward),
        on_button(FULL_TEXT, handling.full_text),
        on_button(MEETING_TOPICS, queue.meeting_topics),
        on_button(HANDOVER_FROM, handover.handover_from),
        on_button(HANDOVER_TO, handover.handover_to),
        on_button(HANDOVER, handover.handover),
        MessageHandler(filters.ChatType.PRIVATE & FILES, routing.attachment_received),
    ]
