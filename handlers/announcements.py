"""/siaran: a facilitator or coordinator announces to groups, previews, sends, gets a report."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from content.texts import t
from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from handlers.steps import text_step
from storage import access, announcements
from storage.views import GroupView
from timekeeping.send_windows import quiet_at, quiet_ends_after
from timekeeping.timefmt import format_datetime
from views.buttons import (
    ANNOUNCE,
    ANNOUNCE_ALL,
    ANNOUNCE_SEND,
    ANNOUNCE_TEXT,
    ANNOUNCE_TOGGLE,
    MENU_CANCEL,
)
from views.keyboards import Keyboard, button, column, rows
from views.screen import Screen

CHOOSING, TYPING, PREVIEW = "announce_groups", "announce_text", "announce_preview"
MAX_GROUP_BUTTONS = 40


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("siaran", start),
        on_button(ANNOUNCE, start),
        on_button(ANNOUNCE_TOGGLE, toggle),
        on_button(ANNOUNCE_ALL, choose_all),
        on_button(ANNOUNCE_TEXT, ask_text),
        on_button(ANNOUNCE_SEND, send),
    ]


def _chosen(request: Request) -> list[int]:
    if request.pending.awaiting not in (CHOOSING, TYPING, PREVIEW):
        return []
    return [int(g) for g in request.pending.draft.get("groups", []) if isinstance(g, int)]


@action(Audience.STAFF)
async def start(request: Request) -> None:
    """Begin an announcement: coordinators reach every group, facilitators choose theirs."""
    groups = await announcements.audience(request.data.db, request.actor)
    if not groups:
        await request.show(Screen(request.t("groups.none")))
        return
    if access.may(request.actor, access.Duty.COORDINATE):
        await request.expect(TYPING, {"groups": [g.id for g in groups]})
        await request.show(
            Screen(request.t("announce.ask_text_all", count=len(groups)), _cancel(request))
        )
        return
    await request.expect(CHOOSING, {"groups": [g.id for g in groups]})
    await request.show(_choice_screen(request, groups, {g.id for g in groups}))


def _choice_screen(request: Request, groups: list[GroupView], chosen: set[int]) -> Screen:
    marks = [
        button(("☑️ " if g.id in chosen else "⬜ ") + g.name, ANNOUNCE_TOGGLE, g.id)
        for g in groups[:MAX_GROUP_BUTTONS]
    ]
    t_ = request.t
    return Screen(
        t_("announce.choose", count=len(chosen)),
        rows(
            *column(marks, 2),
            [button(t_("announce.all"), ANNOUNCE_ALL), button(t_("announce.next"), ANNOUNCE_TEXT)],
            [button(t_("buttons.cancel"), MENU_CANCEL)],
        ),
    )


@action(Audience.STAFF)
async def toggle(request: Request) -> None:
    """Add or remove one group from the announcement."""
    groups = await announcements.audience(request.data.db, request.actor)
    gid = request.pressed["group"]
    if request.pending.awaiting != CHOOSING or gid not in {g.id for g in groups}:
        await request.refuse("errors.stale_button")
        return
    chosen = set(_chosen(request)) ^ {gid}
    await request.expect(CHOOSING, {"groups": sorted(chosen)})
    await request.show(_choice_screen(request, groups, chosen))


@action(Audience.STAFF)
async def choose_all(request: Request) -> None:
    """Select every group."""
    if request.pending.awaiting != CHOOSING:
        await request.refuse("errors.stale_button")
        return
    groups = await announcements.audience(request.data.db, request.actor)
    await request.expect(CHOOSING, {"groups": [g.id for g in groups]})
    await request.show(_choice_screen(request, groups, {g.id for g in groups}))


@action(Audience.STAFF)
async def ask_text(request: Request) -> None:
    """Groups chosen (or the text to change): ask for the message."""
    chosen = _chosen(request)
    if not chosen:
        await request.refuse("announce.none_chosen")
        return
    await request.expect(TYPING, {"groups": chosen, **_kept_text(request)})
    await request.show(Screen(request.t("announce.ask_text", count=len(chosen)), _cancel(request)))


def _kept_text(request: Request) -> dict[str, str]:
    text = request.pending.draft.get("text")
    return {"text": text} if isinstance(text, str) else {}


def _cancel(request: Request) -> Keyboard:
    return rows([button(request.t("buttons.cancel"), MENU_CANCEL)])


@text_step(TYPING)
async def typed_text(request: Request) -> None:
    """The announcement's text (routed from free text): show exactly what members will see."""
    chosen = _chosen(request)
    body = announcements.clean_announcement(request.text)
    await request.expect(PREVIEW, {"groups": chosen, "text": body})
    preview = t(request.lang, "announce.message", sender=request.actor.name, text=body, group="")
    head = request.t("announce.preview", count=len(chosen))
    if request.data.settings.paid_broadcast:
        messages = await announcements.reach(request.data.db, request.actor, chosen)
        head += "\n" + request.t(
            "announce.paid_cost",
            messages=messages,
            stars=announcements.paid_broadcast_stars(messages),
        )
    await request.say(
        Screen(
            head + "\n\n" + preview,
            rows(
                [button(request.t("announce.send"), ANNOUNCE_SEND)],
                [
                    button(request.t("announce.edit"), ANNOUNCE_TEXT),
                    button(request.t("buttons.cancel"), MENU_CANCEL),
                ],
            ),
        ),
    )


@action(Audience.STAFF)
async def send(request: Request) -> None:
    """Queue the announcement; the dispatcher sends it and reports back."""
    draft = request.pending.draft
    text = draft.get("text")
    if request.pending.awaiting != PREVIEW or not isinstance(text, str):
        await request.refuse("errors.stale_button")
        return
    sent = await announcements.send(
        request.data.db, request.actor, _chosen(request), text, request.data.clock.now()
    )
    await request.expect(None)
    text = request.t(
        "announce.queued",
        number=sent.announcement_id,
        groups=sent.group_chats,
        members=sent.private_chats,
    )
    settings, now = request.data.settings, request.data.clock.now()
    quiet, zone = settings.quiet, ZoneInfo(settings.timezone)
    if sent.private_chats and quiet is not None and quiet_at(now, zone, quiet):
        # Members are not woken at night: their copies wait for the morning.
        morning = quiet_ends_after(now, zone, quiet)
        text += "\n" + request.t(
            "announce.quiet_morning",
            when=format_datetime(morning, settings.timezone, request.lang),
        )
    await request.show(Screen(text))
