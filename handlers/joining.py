"""The chair's and the facilitator's side of joining: answer a claim, choose how a group's
joins are confirmed, free a roster line from a wrongly joined Telegram account.

Every press is checked in storage/joining/: only the group's facilitator, or its chair for a
member's claim to a roster line, may answer; a forged or stale press is refused politely."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from handlers.groups import detail_keyboard, detail_text
from handlers.roster import member_screen
from storage import access, groups, joining
from storage.models import JoinCheck
from views.buttons import JOIN_ANSWER, SHOW_QUESTION, TOGGLE_CHECK, UNLINK
from views.joining import answered_text, question_markup, question_text
from views.screen import Screen


@action()
async def answer(request: Request) -> None:
    """✅ Benar / ❌ Bukan (or Tambahkan / Tolak) under a join question."""
    request_id, accept = request.pressed["join"], request.pressed["yes"]
    if accept not in (0, 1):
        await request.refuse("errors.stale_button")
        return
    answered = await joining.answer(
        request.data.db, request.actor, request_id, accept == 1, request.data.clock.now()
    )
    await request.show(
        Screen(
            answered_text(request.lang, answered.join, answered.accepted),
            question_markup(
                request.lang,
                answered.join,
                back_to_group=access.may(request.actor, access.Duty.STAFF),
            ),
        ),
    )


@action(Audience.STAFF)
async def show_question(request: Request) -> None:
    """A pending join from the group's card, with the same buttons as the message."""
    join = await joining.question(request.data.db, request.actor, request.pressed["join"])
    await request.show(
        Screen(
            question_text(request.lang, join),
            question_markup(request.lang, join, back_to_group=True),
        ),
    )


@action(Audience.FACILITATOR)
async def toggle_check(request: Request) -> None:
    """Switch the group between "digits where the roster has them" and "always a person"."""
    gid = request.pressed["join"]
    detail = await groups.group_detail(request.data.db, request.actor, gid)
    new = JoinCheck.PERSON if detail.group.join_check is JoinCheck.DIGITS else JoinCheck.DIGITS
    await joining.set_join_check(request.data.db, request.actor, gid, new)
    detail = await groups.group_detail(request.data.db, request.actor, gid)
    await request.show(
        Screen(
            request.t(f"joining.check_set_{new.value}") + "\n\n" + detail_text(request, detail),
            detail_keyboard(request, detail),
        ),
    )


@action(Audience.STAFF)
async def unlink(request: Request) -> None:
    """Free the roster line from its Telegram account; the person is told."""
    group, member = await joining.unlink(
        request.data.db, request.actor, request.pressed["member"], request.data.clock.now()
    )
    await request.show(member_screen(request, group, member).above(request.t("joining.unlinked")))


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's buttons (gathered in order by bot/app.py)."""
    return [
        on_button(JOIN_ANSWER, answer),
        on_button(SHOW_QUESTION, show_question),
        on_button(TOGGLE_CHECK, toggle_check),
        on_button(UNLINK, unlink),
    ]
