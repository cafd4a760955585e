"""Coordinators: invite facilitators and see who they are."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from storage import onboarding, people
from timekeeping.timefmt import format_datetime
from views.buttons import INVITE_FACILITATOR, LIST_FACILITATORS, SHOW_MENU
from views.deeplinks import start_link
from views.keyboards import button, rows


@action(Audience.COORDINATOR)
async def invite_facilitator(request: Request) -> None:
    """Issue a one-time facilitator link to forward to the new facilitator."""
    data = request.data
    invite = await onboarding.invite_facilitator(
        data.db, request.actor, data.clock.now(), timedelta(days=data.settings.invite_ttl_days)
    )
    await request.show(
        request.t(
            "staff.facilitator_link",
            link=start_link(data.bot_username, invite.token),
            expires=format_datetime(invite.expires_at, data.settings.timezone, request.lang),
        ),
        rows([button(request.t("buttons.menu"), SHOW_MENU)]),
    )


@action(Audience.COORDINATOR)
async def list_facilitators(request: Request) -> None:
    """The facilitators and how many groups each runs."""
    found = await people.list_facilitators(request.data.db, request.actor)
    lines = [
        request.t("staff.facilitator_line", name=name, groups=count) for _, name, count in found
    ]
    key = "staff.facilitators" if found else "staff.no_facilitators"
    await request.show(
        request.t(key, count=len(found)) + ("\n" + "\n".join(lines) if lines else ""),
        rows(
            [button(request.t("buttons.invite_facilitator"), INVITE_FACILITATOR)],
            [button(request.t("buttons.menu"), SHOW_MENU)],
        ),
    )


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler("undang", invite_facilitator),
        CommandHandler("pendamping", list_facilitators),
        on_button(INVITE_FACILITATOR, invite_facilitator),
        on_button(LIST_FACILITATORS, list_facilitators),
    ]
