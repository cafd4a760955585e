"""A sticker, photo, location... that no step asked for: say what we need, keep the step."""

from __future__ import annotations

from handlers import reports
from handlers.base import Request, action
from handlers.menu import main_menu
from handlers.steps import TEXT_STEPS
from views.buttons import MENU_CANCEL
from views.keyboards import button, rows
from views.screen import Screen


@action()
async def other_received(request: Request) -> None:
    """Media where we wanted text: say what we need and keep the step; else show the menu."""
    # The meeting photo and its location (awaited, or a chair's photo sent unasked).
    if await reports.media_received(request):
        return
    step = request.pending.awaiting
    if step in TEXT_STEPS:
        await request.say(
            Screen(
                request.t("errors.text_expected"),
                rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
            ),
        )
        return
    await request.say(main_menu(request).above(request.t("errors.not_understood")))
