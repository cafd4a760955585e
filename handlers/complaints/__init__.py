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
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

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


def _button(action_name: str, callback: Any) -> CallbackQueryHandler[BotContext, None]:
    return CallbackQueryHandler(callback, pattern=rf"^{action_name}(:|$)")


FILES = filters.PHOTO | filters.VOICE | filters.Document.ALL


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("keluhan", intake.complaint_command),
        CommandHandler("keluhanku", member.my_tickets),
        CommandHandler("keluhan_masuk", queue.inbox_command),
        _button("kl", intake.complaint_button),
        _button("klg", intake.pick_group),
        _button("klc", intake.pick_category),
        _button("klcc", intake.change_category),
        _button("klr", intake.to_review),
        _button("klb", intake.to_attach),
        _button("kla", intake.toggle_anonymous),
        _button("kls", intake.send),
        _button("klch", intake.show_channels),
        _button("klq", cancel.cancel_pressed),
        _button("klx", cancel.discard),
        _button("klk", cancel.keep),
        _button("klo", free_text.offer_yes),
        _button("kln", free_text.offer_no),
        _button("klm", member.my_tickets),
        _button("klv", card.view_ticket),
        _button("kld", member.add_more),
        _button("klok", member.solved),
        _button("klre", member.reopen),
        _button("kle", card.send_files),
        _button("klh", card.history),
        _button("kli", queue.inbox),
        _button("klp", handling.ask_reply),
        _button("klt", handling.status_menu),
        _button("klu", handling.set_status),
        _button("klj", handling.ask_reject),
        _button("klf", handling.forward),
        _button("klft", handling.full_text),
        _button("klan", queue.meeting_topics),
        _button("klho", handover.handover_from),
        _button("klhf", handover.handover_to),
        _button("klht", handover.handover),
        MessageHandler(filters.ChatType.PRIVATE & FILES, routing.attachment_received),
    ]
