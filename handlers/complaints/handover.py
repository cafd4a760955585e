"""A coordinator moves a leaving facilitator's open tickets to another facilitator."""

from __future__ import annotations

from handlers.base import Audience, Request, action
from handlers.complaints.common import callback_id
from storage import complaints
from views.buttons import COMPLAINT_INBOX, HANDOVER, HANDOVER_FROM, HANDOVER_TO
from views.keyboards import button, column, rows
from views.screen import Screen


@action(Audience.COORDINATOR)
async def handover_from(request: Request) -> None:
    """Whose open tickets move (a facilitator who leaves)?"""
    found = await complaints.open_counts(request.data.db, request.actor)
    buttons = [button(f"{name} ({count})", HANDOVER_TO, pid) for pid, name, count in found if count]
    key = "complaints.handover_from" if buttons else "complaints.handover_nothing"
    await request.show(
        Screen(
            request.t(key),
            rows(
                *column(buttons, 1),
                [button(request.t("complaints.buttons.inbox"), COMPLAINT_INBOX, 0, 0)],
            ),
        ),
    )


@action(Audience.COORDINATOR)
async def handover_to(request: Request) -> None:
    """To whom?"""
    source = callback_id(request)
    found = await complaints.open_counts(request.data.db, request.actor)
    buttons = [button(name, HANDOVER, source, pid) for pid, name, _ in found if pid != source]
    await request.show(
        Screen(
            request.t("complaints.handover_to"),
            rows(*column(buttons, 1), [button(request.t("buttons.back"), HANDOVER_FROM)]),
        ),
    )


@action(Audience.COORDINATOR)
async def handover(request: Request) -> None:
    """Move the open tickets and tell the new facilitator."""
    data = request.data
    moved = await complaints.hand_over(
        data.db, request.actor, callback_id(request), callback_id(request, 1), data.clock.now()
    )
    await request.show(
        Screen(
            request.t("complaints.handed_over", count=moved),
            rows([button(request.t("complaints.buttons.inbox"), COMPLAINT_INBOX, 0, 0)]),
        ),
    )
