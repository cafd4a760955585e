"""A member writes to the bot outside any flow: offer to send it as a complaint (kept)."""

from __future__ import annotations

from typing import Any

from handlers.base import Request, action
from handlers.complaints.common import OFFER, SNIPPET, draft_text
from handlers.complaints.intake import start_intake
from handlers.menu import main_menu
from storage import access, complaints
from views.buttons import OFFER_NO, OFFER_YES
from views.keyboards import button, rows
from views.screen import Screen


async def offer(request: Request) -> bool:
    """A member wrote to the bot out of the blue: offer to send it as a complaint (kept)."""
    if (
        access.may(request.actor, access.Duty.STAFF)
        or not request.actor.member_of
        or not request.text.strip()
    ):
        return False
    await show_offer(request, {"text": request.text.strip()[: complaints.MAX_TEXT]})
    return True


async def show_offer(request: Request, draft: dict[str, Any]) -> None:
    await request.expect(OFFER, draft)
    text = draft_text(draft)
    await request.say(
        Screen(
            request.t(
                "complaints.offer",
                text=text if len(text) <= SNIPPET else text[:SNIPPET] + "…",
            ),
            rows(
                [button(request.t("complaints.buttons.offer_yes"), OFFER_YES)],
                [button(request.t("complaints.buttons.offer_no"), OFFER_NO)],
            ),
        ),
    )


@action()
async def offer_yes(request: Request) -> None:
    """Yes: start the intake with what they wrote."""
    if request.pending.awaiting != OFFER:
        await request.refuse("complaints.no_draft")
        return
    await start_intake(request, kept_text=draft_text(dict(request.pending.draft)))


@action()
async def offer_no(request: Request) -> None:
    """No: nothing is sent; show the menu."""
    if request.pending.awaiting == OFFER:
        await request.expect(None)
    await request.show(main_menu(request).above(request.t("complaints.offer_declined")))
