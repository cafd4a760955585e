"""The member's own tickets: /keluhanku, adding to an open ticket, closing or reopening it."""

from __future__ import annotations

from handlers.base import Request, action
from handlers.complaints.card import show_ticket
from handlers.complaints.common import ADD, callback_id
from storage import complaints
from storage.complaints import Attachment, Ticket
from views.buttons import COMPLAINT_BUTTON, MY_TICKETS, SHOW_CHANNELS, SHOW_MENU, VIEW_TICKET
from views.complaints import category_name, status_name
from views.keyboards import button, column, rows
from views.screen import Screen


@action()
async def my_tickets(request: Request) -> None:
    """/keluhanku: the member's tickets and statuses (or one ticket by its number)."""
    if request.args:
        number = "".join(ch for ch in request.args[0] if ch.isdigit())
        if number:
            await show_ticket(request, int(number[:9]))
            return
    found = await complaints.my_tickets(request.data.db, request.actor)
    t = request.t
    buttons = [
        button(
            f"{s.number} · {category_name(request.lang, s.category.value)} · "
            f"{status_name(request.lang, s.status, s.by_coordinators)}",
            VIEW_TICKET,
            s.id,
        )
        for s in found
    ]
    extra = (
        [button(t("complaints.buttons.new"), COMPLAINT_BUTTON)] if request.actor.member_of else []
    )
    await request.show(
        Screen(
            t("complaints.mine" if found else "complaints.mine_none", count=len(found)),
            rows(
                *column(buttons, 1),
                extra,
                [button(t("complaints.buttons.channels"), SHOW_CHANNELS)],
                [button(t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


@action()
async def add_more(request: Request) -> None:
    """The member wants to add text or files to their open ticket."""
    ticket = await complaints.ticket(request.data.db, request.actor, callback_id(request))
    if ticket.person_id != request.actor.person_id:
        await request.refuse_error(complaints.NotYours())
        return
    if not ticket.is_open:
        await request.refuse("complaints.not_open", number=ticket.number)
        return
    await request.expect(ADD, {"id": ticket.id})
    await request.show(
        Screen(
            request.t("complaints.add_prompt", number=ticket.number),
            rows([button(request.t("complaints.buttons.done"), VIEW_TICKET, ticket.id)]),
        ),
    )


async def add_to_ticket(
    request: Request, *, text: str | None = None, attachment: Attachment | None = None
) -> None:
    """Text or a file sent while adding to a ticket: it joins the ticket."""
    complaint_id = request.pending.draft.get("id")
    if not isinstance(complaint_id, int):
        await request.expect(None)
        await request.refuse("complaints.no_draft")
        return
    data = request.data
    ticket: Ticket | None = None
    if attachment is not None:
        ticket = await complaints.add_more(
            data.db, request.actor, complaint_id, data.clock.now(), attachment=attachment
        )
    if text and text.strip():
        ticket = await complaints.add_more(
            data.db, request.actor, complaint_id, data.clock.now(), text=text
        )
    if ticket is None:
        await request.say(Screen(request.t("errors.empty_text")))
        return
    await request.say(
        Screen(
            request.t("complaints.added", number=ticket.number),
            rows([button(request.t("complaints.buttons.done"), VIEW_TICKET, ticket.id)]),
        ),
    )


@action()
async def solved(request: Request) -> None:
    """The member confirms it is solved: the ticket closes."""
    data = request.data
    ticket = await complaints.member_verdict(
        data.db, request.actor, callback_id(request), True, data.clock.now()
    )
    await request.show(
        Screen(
            request.t("complaints.closed", number=ticket.number),
            rows([button(request.t("complaints.buttons.mine"), MY_TICKETS)]),
        ),
    )


@action()
async def reopen(request: Request) -> None:
    """Not solved: the ticket is open again and the facilitator is told."""
    data = request.data
    ticket = await complaints.member_verdict(
        data.db, request.actor, callback_id(request), False, data.clock.now()
    )
    await request.expect(ADD, {"id": ticket.id})
    await request.show(
        Screen(
            request.t("complaints.reopened", number=ticket.number),
            rows([button(request.t("complaints.buttons.done"), VIEW_TICKET, ticket.id)]),
        ),
    )
