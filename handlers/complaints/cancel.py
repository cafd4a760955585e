"""Cancelling a half-written complaint: ask before dropping what was written."""

from __future__ import annotations

from handlers import menu
from handlers.base import Request, action
from handlers.complaints.common import DRAFT_STEPS, REVIEW, draft_of
from handlers.complaints.intake import show_step
from handlers.menu import main_menu
from views.buttons import COMPLAINT_KEEP, DISCARD
from views.keyboards import button, rows
from views.screen import Screen


async def ask_cancel(request: Request) -> None:
    """/batal or Batal in the middle of a complaint: ask before dropping what was written."""
    await request.show(
        Screen(
            request.t("complaints.cancel_confirm"),
            rows(
                [button(request.t("complaints.buttons.discard"), DISCARD)],
                [button(request.t("complaints.buttons.keep"), COMPLAINT_KEEP)],
            ),
        ),
    )


@action()
async def cancel_pressed(request: Request) -> None:
    """The intake's own Batal button."""
    if request.pending.awaiting in DRAFT_STEPS:
        await ask_cancel(request)
        return
    await request.expect(None)
    await request.show(main_menu(request).above(request.t("cancel.done")))


@action()
async def discard(request: Request) -> None:
    """Confirmed: drop the draft."""
    had = request.pending.awaiting in DRAFT_STEPS
    await request.expect(None)
    key = "complaints.discarded" if had else "cancel.nothing"
    await request.show(main_menu(request).above(request.t(key)))


@action()
async def keep(request: Request) -> None:
    """Not cancelled: back to where the member was."""
    step = request.pending.awaiting
    if step not in DRAFT_STEPS:
        await request.refuse("complaints.no_draft")
        return
    await show_step(request, step or REVIEW, draft_of(request))


menu.CANCEL_CONFIRMS.update(dict.fromkeys(DRAFT_STEPS, ask_cancel))
