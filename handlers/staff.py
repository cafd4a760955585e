"""Coordinators: invite pendamping (into a kecamatan of their area) and Korkab (a Korwil,
into a kabupaten/kota of hers), and see who the facilitators are."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from storage import people
from storage.areas.codes import area_from_number, area_number
from storage.joining import staff_invites
from storage.joining.staff_invites import AreaOptions
from storage.models import InviteKind
from timekeeping.timefmt import format_datetime
from views.buttons import (
    INVITE_FACILITATOR,
    LIST_FACILITATORS,
    PICK_INVITE_KABUPATEN,
    PICK_INVITE_KECAMATAN,
    SHOW_MENU,
)
from views.deeplinks import start_link
from views.keyboards import button, column, rows
from views.screen import Screen
from views.staff import staff_title

# The command, and the button that picks an area from a list, for each kind of invite.
COMMANDS = {InviteKind.FACILITATOR: "undang", InviteKind.COORDINATOR: "undang_korkab"}
PICKS = {
    InviteKind.FACILITATOR: PICK_INVITE_KECAMATAN,
    InviteKind.COORDINATOR: PICK_INVITE_KABUPATEN,
}


async def _invite(request: Request, kind: InviteKind, typed: str | None) -> None:
    data = request.data
    ttl = timedelta(days=data.settings.invite_ttl_days)
    found = await staff_invites.invite(data.db, request.actor, kind, typed, data.clock.now(), ttl)
    if isinstance(found, AreaOptions):
        await _show_options(request, kind, found)
        return
    await _show_link(request, found)


async def _show_link(request: Request, found: staff_invites.StaffInvite) -> None:
    data, invite = request.data, found.invite
    role = "korkab" if invite.kind is InviteKind.COORDINATOR else "pendamping"
    who = (
        request.t(f"staff.invitee_{role}_in", area=found.area.label)
        if found.area is not None
        else request.t(f"staff.invitee_{role}")
    )
    await request.show(
        Screen(
            request.t(
                "staff.invite_link",
                who=who,
                link=start_link(data.bot_username, invite.token),
                expires=format_datetime(invite.expires_at, data.settings.timezone, request.lang),
            ),
            rows([button(request.t("buttons.menu"), SHOW_MENU)]),
        ),
    )


async def _show_options(request: Request, kind: InviteKind, options: AreaOptions) -> None:
    t = request.t
    level = "kabupaten" if kind is InviteKind.COORDINATOR else "kecamatan"
    parts = []
    if options.inside:
        parts.append(t(f"staff.pick_{level}", typed=options.typed))
    else:
        parts.append(t(f"staff.no_{level}_inside", typed=options.typed))
    if options.elsewhere:
        names = "; ".join(choice.label for choice in options.elsewhere)
        parts.append(t("staff.elsewhere", names=names))
    parts.append(t(f"staff.how_{level}", command=COMMANDS[kind]))
    buttons = [
        button(choice.label, PICKS[kind], area_number(choice.code)) for choice in options.inside
    ]
    await request.show(
        Screen("\n".join(parts), rows(*column(buttons, 1), [button(t("buttons.menu"), SHOW_MENU)]))
    )


@action(Audience.COORDINATOR)
async def invite_facilitator(request: Request) -> None:
    """/undang [kecamatan]: a one-time link for a new pendamping, naming her kecamatan."""
    await _invite(request, InviteKind.FACILITATOR, " ".join(request.args) or None)


@action(Audience.COORDINATOR)
async def invite_korkab(request: Request) -> None:
    """/undang_korkab <kabupaten/kota>: a one-time link for a new Korkab (a Korwil's)."""
    await _invite(request, InviteKind.COORDINATOR, " ".join(request.args) or None)


@action(Audience.COORDINATOR)
async def picked_area(request: Request) -> None:
    """An area picked from the list (the button is untrusted: checked again)."""
    pressed = request.pressed
    kind = (
        InviteKind.COORDINATOR
        if pressed.button is PICK_INVITE_KABUPATEN
        else InviteKind.FACILITATOR
    )
    data = request.data
    found = await staff_invites.invite_in(
        data.db,
        request.actor,
        kind,
        area_from_number(pressed["area"]),
        data.clock.now(),
        timedelta(days=data.settings.invite_ttl_days),
    )
    await _show_link(request, found)


@action(Audience.OVERSEERS)
async def list_facilitators(request: Request) -> None:
    """The facilitators of the person's area and how many groups each runs."""
    found = await people.list_facilitators(request.data.db, request.actor)
    lines = [
        request.t("staff.facilitator_line", name=name, groups=count) for _, name, count in found
    ]
    key = "staff.facilitators" if found else "staff.no_facilitators"
    title = staff_title(request.lang, request.actor)
    invite = (
        [[button(request.t("buttons.invite_facilitator"), INVITE_FACILITATOR)]]
        if Audience.COORDINATOR.admits(request.actor)
        else []
    )
    await request.show(
        Screen(
            title
            + "\n"
            + request.t(key, count=len(found))
            + ("\n" + "\n".join(lines) if lines else ""),
            rows(*invite, [button(request.t("buttons.menu"), SHOW_MENU)]),
        ),
    )


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler("undang", invite_facilitator),
        CommandHandler("undang_korkab", invite_korkab),
        CommandHandler("pendamping", list_facilitators),
        on_button(INVITE_FACILITATOR, invite_facilitator),
        on_button(PICK_INVITE_KECAMATAN, picked_area),
        on_button(PICK_INVITE_KABUPATEN, picked_area),
        on_button(LIST_FACILITATORS, list_facilitators),
    ]
