"""Members and chairs: the group they belong to, without anyone's identifiers."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Request, action, on_button
from handlers.context import BotContext
from storage import people
from storage.groups import membership
from views.buttons import SHOW_MENU, SHOW_MY_GROUPS, TOGGLE_PRIVATE_REMINDERS
from views.keyboards import button, rows
from views.screen import Screen


@action()
async def show_my_groups(request: Request) -> None:
    """The member's group(s): name, facilitator, chair, usual venue."""
    await _show(request)


async def _show(request: Request) -> None:
    found = await membership.my_groups(request.data.db, request.actor)
    if not found:
        await request.show(
            Screen(request.t("my_group.none"), rows([button(request.t("buttons.menu"), SHOW_MENU)]))
        )
        return
    parts = [
        request.t(
            "my_group.card",
            group=g.name,
            code=g.code,
            facilitator=g.facilitator,
            chair=g.chair or request.t("groups.no_chair"),
            venue=g.venue or "-",
            member=g.member_name,
        )
        for g in found
    ]
    wants = await people.wants_private_reminders(request.data.db, request.actor.person_id)
    await request.show(
        Screen(
            "\n\n".join(parts)
            + "\n\n"
            + request.t("my_group.reminders_on" if wants else "my_group.reminders_off"),
            rows(
                [
                    button(
                        request.t("my_group.turn_off" if wants else "my_group.turn_on"),
                        TOGGLE_PRIVATE_REMINDERS,
                    )
                ],
                [button(request.t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


@action()
async def toggle_private_reminders(request: Request) -> None:
    """Turn private meeting reminders off or on (the group chat still gets them)."""
    wants = await people.wants_private_reminders(request.data.db, request.actor.person_id)
    await people.set_private_reminders(request.data.db, request.actor.person_id, not wants)
    await _show(request)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler("kelompok_saya", show_my_groups),
        on_button(SHOW_MY_GROUPS, show_my_groups),
        on_button(TOGGLE_PRIVATE_REMINDERS, toggle_private_reminders),
    ]
