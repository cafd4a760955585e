"""One ticket on screen, for whoever may see it: the card, its files, its history.

The ticket id in a button is untrusted: storage.complaints.ticket checks who may see it."""

from __future__ import annotations

from typing import Any

from telegram.error import TelegramError

from handlers.base import Request, action
from handlers.complaints.common import SNIPPET, callback_id
from storage import access, complaints
from storage.audit import Read
from storage.complaints import Ticket
from storage.models.complaints import ComplaintStatus
from timekeeping.timefmt import format_datetime
from views.buttons import COMPLAINT_FILES, COMPLAINT_INBOX, FULL_TEXT, MY_TICKETS, VIEW_TICKET
from views.complaints import (
    FILE_ICONS,
    category_name,
    event_line,
    handler_name,
    header,
    member_markup,
    staff_markup,
    ticket_file,
    ticket_status,
)
from views.keyboards import Keyboard, button, rows
from views.screen import Screen


@action()
async def view_ticket(request: Request) -> None:
    """One ticket, for whoever may see it."""
    await show_ticket(request, callback_id(request))


async def show_ticket(request: Request, complaint_id: int) -> None:
    ticket = await complaints.ticket(
        request.data.db, request.actor, complaint_id, now=request.data.clock.now()
    )
    mine = ticket.person_id == request.actor.person_id
    await request.show(
        Screen(_ticket_card(request, ticket, mine), _ticket_markup(request, ticket, mine))
    )


def _ticket_card(request: Request, ticket: Ticket, mine: bool) -> str:
    t, lang = request.t, request.lang
    lines = [
        header(lang, ticket),
        t(
            "complaints.card",
            category=category_name(lang, ticket),
            status=ticket_status(lang, ticket),
            filed=format_datetime(ticket.created_at, ticket.timezone, lang),
            facilitator=handler_name(lang, ticket),
        ),
    ]
    if not mine:
        lines.append(t("complaints.card_member", member=ticket.member_name))
    if ticket.reject_reason and ticket.status is ComplaintStatus.REJECTED:
        lines.append(t("complaints.card_reason", reason=ticket.reject_reason))
    conversation = [_message_line(request, ticket, m, mine) for m in ticket.messages]
    while conversation and len("\n".join(lines + conversation)) > 3800:
        conversation.pop(0)
    if len(conversation) < len(ticket.messages):
        lines.append(t("complaints.earlier_hidden"))
    return "\n".join(lines + conversation)


def _message_line(request: Request, ticket: Ticket, message: Any, mine: bool) -> str:
    t = request.t
    if message.from_staff:
        who = message.author_name
    else:
        who = t("complaints.you") if mine else ticket.member_name
    if message.file_id:
        body = f"{FILE_ICONS[message.kind]} {message.file_name or ''}".strip()
    else:
        text = message.text or ""
        body = text if len(text) <= SNIPPET else text[:SNIPPET] + "…"
    return t(
        "complaints.message_line",
        who=who,
        at=format_datetime(message.created_at, ticket.timezone, request.lang),
        text=body,
    )


def _ticket_markup(request: Request, ticket: Ticket, mine: bool) -> Keyboard:
    t, lang = request.t, request.lang
    if mine:
        base = member_markup(lang, ticket).rows
        back = [button(t("complaints.buttons.mine"), MY_TICKETS)]
    else:
        base = staff_markup(
            lang, ticket, coordinator=access.may(request.actor, access.Duty.COORDINATE)
        ).rows
        back = [
            button(t("complaints.buttons.full_text"), FULL_TEXT, ticket.id),
            button(t("complaints.buttons.inbox"), COMPLAINT_INBOX, 0, 0),
        ]
    if mine and ticket.files:
        back.insert(
            0,
            button(
                t("complaints.buttons.files", count=len(ticket.files)), COMPLAINT_FILES, ticket.id
            ),
        )
    return rows(*[list(row) for row in base], back)


@action()
async def send_files(request: Request) -> None:
    """The ticket's photos, voice notes and documents, sent to whoever may see them."""
    ticket = await complaints.ticket(
        request.data.db,
        request.actor,
        callback_id(request),
        now=request.data.clock.now(),
        reading=Read.ATTACHMENTS,
    )
    await request.ack()
    for item in ticket.files:
        try:
            await request.say(ticket_file(ticket, item))
        except TelegramError:
            await request.say(
                Screen(request.t("complaints.file_unavailable", number=ticket.number))
            )
    if not ticket.files:
        await request.say(Screen(request.t("complaints.no_files")))


@action()
async def history(request: Request) -> None:
    """Every step of the ticket, with who and when."""
    ticket = await complaints.ticket(
        request.data.db, request.actor, callback_id(request), now=request.data.clock.now()
    )
    lines = [
        event_line(request.lang, e, ticket.timezone, ticket.protected) for e in ticket.events[-25:]
    ]
    await request.show(
        Screen(
            header(request.lang, ticket)
            + "\n"
            + request.t("complaints.history")
            + "\n"
            + "\n".join(lines),
            rows([button(request.t("buttons.back"), VIEW_TICKET, ticket.id)]),
        ),
    )
