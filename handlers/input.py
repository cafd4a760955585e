"""Free text in a private chat: it answers whatever the person was asked last."""

from __future__ import annotations

from handlers import complaints, confirmations, roster
from handlers.base import Request, action
from handlers.menu import main_menu
from handlers.steps import TEXT_STEPS
from views.buttons import MENU_CANCEL
from views.keyboards import button, rows
from views.screen import Screen


@action()
async def text_received(request: Request) -> None:
    """Route typed text to the step waiting for it; otherwise explain and show the menu."""
    # A reply to a confirmation request belongs to that request, whatever else is pending.
    if await confirmations.reply_received(request):
        return
    step = request.pending.awaiting
    handler = TEXT_STEPS.get(step or "")
    if handler is not None:
        await handler(request)
        return
    if step == roster.ROSTER_FILE:
        await request.say(
            Screen(
                request.t("roster.expecting_file"),
                rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
            ),
        )
        return
    # A member writing out of the blue is asked whether to send it as a complaint (kept).
    if await complaints.offer(request):
        return
    await request.say(main_menu(request).above(request.t("errors.not_understood")))
