"""/data_saya and /hapus_data: a person sees what the bot holds about her, asks for a
correction, or asks her facilitator to erase her; the facilitator answers the erasure."""

from __future__ import annotations

import secrets
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from handlers.steps import text_step
from storage import access, audit
from storage.errors import UseCaseError
from storage.models import ErasureStatus
from storage.privacy import correction, erasure, own_data
from views.buttons import ANSWER_ERASURE, MENU_CANCEL, MY_DATA, SHOW_MENU, SHOW_TRAIL
from views.callbacks import MAX_ARG
from views.keyboards import button, rows
from views.privacy import (
    erase_explain_markup,
    erase_question,
    own_data_file,
    summary,
    trail_screen,
)
from views.screen import Screen

CORRECTION = "privacy_correction"
# The screens of "Data saya" share one button action, "ds:<step>[:<arg>]".
SUMMARY, FILE, CORRECT, ERASE, ERASE_CONFIRM = 0, 1, 2, 3, 4
# Set with a random number when the explanation is shown; "Ya, minta dihapus" carries that
# number, so it acts only from the screen she read (a forged or old press is stale).
ERASE_READ = "privacy_erase_read"


async def show_my_data(request: Request) -> None:
    """Everything held about her, counted per kind, and the whole of it as a file."""
    data = await _collect(request)
    await request.show(summary(request.lang, data))
    await _send_file(request, data)


async def send_file(request: Request) -> None:
    """The file again."""
    await request.ack()
    await _send_file(request, await _collect(request))


async def _collect(request: Request) -> own_data.OwnData:
    return await own_data.collect(
        request.data.db, request.actor.person_id, request.data.settings.timezone
    )


async def _send_file(request: Request, data: own_data.OwnData) -> None:
    now = request.data.clock.now()
    await request.say(own_data_file(request.lang, data, now, request.data.settings.retention))


async def ask_correction(request: Request) -> None:
    """Ask what is wrong; her next message goes to the facilitator."""
    who = await correction.facilitator(request.data.db, request.actor)
    await request.expect(CORRECTION)
    await request.show(
        Screen(
            request.t("privacy.correct_ask", facilitator=who.name),
            rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
        ),
    )


@text_step(CORRECTION)
async def typed_correction(request: Request) -> None:
    """What she wrote is sent to her facilitator."""
    who = await correction.ask(
        request.data.db, request.actor, request.text, request.data.clock.now()
    )
    await request.expect(None)
    await request.say(
        Screen(
            request.t("privacy.correct_sent", facilitator=who.name),
            rows([button(request.t("privacy.buttons.menu"), MY_DATA)]),
        ),
    )


async def explain_erasure(request: Request) -> None:
    """What is erased, what the programme keeps and why; then she confirms."""
    if access.may(request.actor, access.Duty.STAFF):
        await request.refuse("privacy.erase_staff")
        return
    nonce = secrets.randbelow(MAX_ARG) + 1
    await request.expect(ERASE_READ, {"nonce": nonce})
    try:
        who = await correction.facilitator(request.data.db, request.actor)
    except UseCaseError:
        await request.show(
            Screen(
                request.t("privacy.erase_explain_alone"), erase_explain_markup(request.lang, nonce)
            )
        )
        return
    await request.show(
        Screen(
            request.t("privacy.erase_explain", facilitator=who.name),
            erase_explain_markup(request.lang, nonce),
        ),
    )


async def confirm_erasure(request: Request) -> None:
    """She confirmed: her facilitator is asked, or with no roster line she is erased now."""
    nonce = request.pressed["nonce"]
    if request.pending.awaiting != ERASE_READ or request.pending.draft.get("nonce") != nonce:
        await request.refuse("errors.stale_button")
        return
    await request.expect(None)
    done = await erasure.request(request.data.db, request.actor, request.data.clock.now())
    if done.asked is erasure.Asked.ERASED:
        await request.show(Screen(request.t("privacy.erase_done_now")))
        return
    await request.show(
        Screen(
            request.t("privacy.erase_asked", facilitator=done.facilitator, group=done.group),
            rows([button(request.t("buttons.menu"), SHOW_MENU)]),
        ),
    )


@action(Audience.STAFF)
async def answer_erasure(request: Request) -> None:
    """🗑️ Hapus / ✋ Jangan dulu under the facilitator's question."""
    request_id, erase = request.pressed["erasure"], request.pressed["yes"]
    if erase not in (0, 1):
        await request.refuse("errors.stale_button")
        return
    answered = await erasure.answer(
        request.data.db, request.actor, request_id, erase == 1, request.data.clock.now()
    )
    assert answered.status is not ErasureStatus.PENDING
    await request.show(erase_question(request.lang, answered))


@action(Audience.COORDINATOR)
async def show_trail(request: Request) -> None:
    """/jejak: who opened which complaint, file, roster, report or export, newest first."""
    page = request.pressed.get("page", 0) if request.callback is not None else 0
    found = await audit.trail(request.data.db, request.actor, page)
    await request.show(trail_screen(request.lang, found, request.data.settings.timezone))


@action()
async def my_data(request: Request) -> None:
    """/data_saya and its buttons: the summary, the file, a correction, the erasure steps."""
    step = request.pressed.get("step", SUMMARY) if request.callback is not None else SUMMARY
    screens = {
        SUMMARY: show_my_data,
        FILE: send_file,
        CORRECT: ask_correction,
        ERASE: explain_erasure,
        ERASE_CONFIRM: confirm_erasure,
    }
    screen = screens.get(step)
    if screen is None:
        await request.refuse("errors.stale_button")
        return
    await screen(request)


@action()
async def erase_command(request: Request) -> None:
    """/hapus_data: straight to the erasure's explanation."""
    await explain_erasure(request)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler("data_saya", my_data),
        CommandHandler("hapus_data", erase_command),
        on_button(MY_DATA, my_data),
        on_button(ANSWER_ERASURE, answer_erasure),
        CommandHandler("jejak", show_trail),
        on_button(SHOW_TRAIL, show_trail),
    ]
