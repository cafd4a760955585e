"""The facilitator (or a coordinator) handles a ticket: reply, status, reject, forward.

The ticket id in a button is untrusted: storage.complaints refuses anyone who does not
handle the ticket."""

from __future__ import annotations

from handlers.base import Audience, Request, action
from handlers.complaints.common import REJECT, REPLY, callback_id
from storage import access, complaints
from storage.complaints import Ticket
from storage.models.complaints import ComplaintStatus
from views.buttons import ASK_REJECT, CANCEL_PRESSED, SET_STATUS, VIEW_TICKET
from views.complaints import (
    header,
    staff_body,
    staff_markup,
    status_name,
    ticket_status,
    with_header,
)
from views.keyboards import button, column, rows
from views.screen import Screen


async def _staff_ticket(request: Request, complaint_id: int) -> Ticket:
    """The ticket if this staff member handles it (storage refuses otherwise)."""
    return await complaints.ticket(request.data.db, request.actor, complaint_id)


@action(Audience.STAFF)
async def ask_reply(request: Request) -> None:
    """Ask the facilitator to type the answer for the member."""
    ticket = await _staff_ticket(request, callback_id(request))
    await request.expect(REPLY, {"id": ticket.id})
    await request.show(
        Screen(
            header(request.lang, ticket)
            + "\n"
            + request.t("complaints.reply_prompt", member=ticket.member_name),
            rows([button(request.t("buttons.cancel"), CANCEL_PRESSED)]),
        ),
    )


async def typed_reply(request: Request) -> None:
    """The typed answer: relayed to the member."""
    complaint_id = request.pending.draft.get("id")
    assert isinstance(complaint_id, int)
    data = request.data
    ticket = await complaints.reply(
        data.db, request.actor, complaint_id, request.text, data.clock.now()
    )
    await request.expect(None)
    await request.say(
        Screen(
            request.t("complaints.reply_sent", number=ticket.number, member=ticket.member_name),
            staff_markup(
                request.lang, ticket, coordinator=access.may(request.actor, access.Duty.COORDINATE)
            ),
        ),
    )


@action(Audience.STAFF)
async def status_menu(request: Request) -> None:
    """The statuses the facilitator can set."""
    ticket = await _staff_ticket(request, callback_id(request))
    t, lang = request.t, request.lang
    buttons = []
    for index, status in enumerate(complaints.STAFF_STATUSES):
        if status is ticket.status:
            continue
        action_name = ASK_REJECT if status is ComplaintStatus.REJECTED else SET_STATUS
        args = (ticket.id,) if status is ComplaintStatus.REJECTED else (ticket.id, index)
        # The words the member will read if this person sets it.
        by_coordinators = ticket.protected or access.may(request.actor, access.Duty.COORDINATE)
        buttons.append(button(status_name(lang, status, by_coordinators), action_name, *args))
    await request.show(
        Screen(
            header(lang, ticket)
            + "\n"
            + t("complaints.status_prompt", status=ticket_status(lang, ticket)),
            rows(*column(buttons, 2), [button(t("buttons.back"), VIEW_TICKET, ticket.id)]),
        ),
    )


@action(Audience.STAFF)
async def set_status(request: Request) -> None:
    """Set received, in progress or resolved; the member is told."""
    index = callback_id(request, 1)
    if not 0 <= index < len(complaints.STAFF_STATUSES):
        await request.refuse("errors.stale_button")
        return
    status = complaints.STAFF_STATUSES[index]
    if status is ComplaintStatus.REJECTED:
        await request.refuse("errors.stale_button")
        return
    data = request.data
    ticket = await complaints.set_status(
        data.db, request.actor, callback_id(request), status, data.clock.now()
    )
    await request.show(
        Screen(
            header(request.lang, ticket)
            + "\n"
            + request.t("complaints.status_set", status=ticket_status(request.lang, ticket)),
            staff_markup(
                request.lang, ticket, coordinator=access.may(request.actor, access.Duty.COORDINATE)
            ),
        ),
    )


@action(Audience.STAFF)
async def ask_reject(request: Request) -> None:
    """Rejecting needs a reason the member can understand."""
    ticket = await _staff_ticket(request, callback_id(request))
    await request.expect(REJECT, {"id": ticket.id})
    await request.show(
        Screen(
            header(request.lang, ticket) + "\n" + request.t("complaints.reject_prompt"),
            rows([button(request.t("buttons.cancel"), CANCEL_PRESSED)]),
        ),
    )


async def typed_reason(request: Request) -> None:
    """The typed reason: the ticket is rejected and the member is told why."""
    complaint_id = request.pending.draft.get("id")
    assert isinstance(complaint_id, int)
    data = request.data
    ticket = await complaints.set_status(
        data.db,
        request.actor,
        complaint_id,
        ComplaintStatus.REJECTED,
        data.clock.now(),
        reason=request.text,
    )
    await request.expect(None)
    await request.say(
        Screen(
            header(request.lang, ticket)
            + "\n"
            + request.t("complaints.status_set", status=ticket_status(request.lang, ticket)),
            staff_markup(
                request.lang, ticket, coordinator=access.may(request.actor, access.Duty.COORDINATE)
            ),
        ),
    )


@action(Audience.STAFF)
async def forward(request: Request) -> None:
    """Send the ticket to the nearest level above that can be reached."""
    data = request.data
    ticket = await complaints.forward(
        data.db,
        request.actor,
        callback_id(request),
        data.clock.now(),
        data.settings.complaint_escalation_ids,
    )
    await request.show(
        Screen(
            header(request.lang, ticket) + "\n" + request.t("complaints.forwarded"),
            staff_markup(request.lang, ticket, coordinator=True),
        ),
    )


@action(Audience.STAFF)
async def full_text(request: Request) -> None:
    """The whole ticket again, split like the notification."""
    ticket = await complaints.ticket(
        request.data.db, request.actor, callback_id(request), now=request.data.clock.now()
    )
    await request.ack()
    parts = with_header(header(request.lang, ticket), staff_body(request.lang, ticket))
    for part in parts[:-1]:
        await request.say(Screen(part))
    await request.say(
        Screen(
            parts[-1],
            staff_markup(
                request.lang, ticket, coordinator=access.may(request.actor, access.Duty.COORDINATE)
            ),
        )
    )
