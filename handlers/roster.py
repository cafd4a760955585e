"""The roster: list and page it, import a file, rename, deactivate, move, make chair."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from handlers.groups import detail_keyboard, detail_text
from handlers.steps import text_step
from storage import access, groups, roster
from storage.roster.roster_file import RosterFileError, RosterParseResult, RowError, parse_roster
from storage.views import GroupView, MemberView
from views.buttons import (
    ACTIVATE,
    ASK_FILE,
    ASK_MOVE,
    ASK_RENAME,
    DEACTIVATE,
    FILE_TARGET,
    MAKE_CHAIR,
    MEMBER_MOVE,
    MENU_CANCEL,
    PICK_CHAIR,
    SHOW_GROUP,
    SHOW_MEMBER,
    SHOW_ROSTER,
    UNLINK,
)
from views.callbacks import Button
from views.keyboards import button, column, page_slice, rows
from views.screen import Screen

log = logging.getLogger(__name__)

PAGE = 10
ROSTER_FILE = "roster_file"
RENAME = "member_rename"
MAX_FILE_BYTES = 5 * 1024 * 1024
# Reading a spreadsheet is CPU work that blocks: on the event loop, one crafted file froze
# every user. It runs in these worker threads instead (two at a time, so a few hostile
# uploads cannot take every thread), bounded in rows and time by parse_roster itself.
_PARSERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="roster-file")


async def parse_off_loop(data: bytes, file_name: str) -> RosterParseResult:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_PARSERS, partial(parse_roster, data, file_name))


MAX_ERRORS_SHOWN = 15


def member_line(request: Request, member: MemberView, group: GroupView) -> str:
    marks = []
    if group.chair_member_id == member.id:
        marks.append(request.t("roster.chair_mark"))
    if member.has_telegram:
        marks.append("📱")
    if not member.active:
        marks.append(request.t("roster.inactive_mark"))
    return " ".join([member.name, *marks])


@action(Audience.STAFF)
async def show_roster(request: Request) -> None:
    """A page of the roster with one button per member."""
    gid, page = request.pressed["group"], request.pressed.get("page", 0)
    group, members = await roster.list_members(
        request.data.db, request.actor, gid, include_inactive=True, now=request.data.clock.now()
    )
    await request.show(_roster_page(request, group, members, page, action=SHOW_MEMBER))


def _roster_page(
    request: Request, group: GroupView, members: list[MemberView], page: int, action: Button
) -> Screen:
    t = request.t
    page, start, end = page_slice(len(members), page, PAGE)
    list_action = SHOW_ROSTER if action is SHOW_MEMBER else PICK_CHAIR
    buttons = [button(member_line(request, m, group), action, m.id) for m in members[start:end]]
    paging = []
    if start > 0:
        paging.append(button("◀️", list_action, group.id, page - 1))
    if end < len(members):
        paging.append(button("▶️", list_action, group.id, page + 1))
    key = "roster.title" if members else "roster.empty"
    if action is MAKE_CHAIR:
        key = "roster.pick_chair" if members else "roster.empty"
    text = t(key, group=group.name, count=len(members), first=start + 1, last=end)
    return Screen(
        text,
        rows(
            *column(buttons, 1),
            paging,
            [button(t("buttons.import_roster"), ASK_FILE, group.id)],
            [button(t("buttons.back"), SHOW_GROUP, group.id)],
        ),
    )


@action(Audience.STAFF)
async def pick_chair(request: Request) -> None:
    """Choose the chair from the roster."""
    gid, page = request.pressed["group"], request.pressed.get("page", 0)
    group, members = await roster.list_members(request.data.db, request.actor, gid)
    await request.show(_roster_page(request, group, members, page, action=MAKE_CHAIR))


@action(Audience.STAFF)
async def make_chair(request: Request) -> None:
    """Set the tapped member as the group's chair."""
    detail = await groups.set_chair(request.data.db, request.actor, request.pressed["member"])
    await request.show(
        Screen(
            request.t("roster.chair_set", name=detail.chair.name if detail.chair else "")
            + "\n\n"
            + detail_text(request, detail),
            detail_keyboard(request, detail),
        ),
    )


@action(Audience.STAFF)
async def show_member(request: Request) -> None:
    """One roster line with what can be done to it; identifiers are shown to staff only."""
    group, member = await roster.get_member(
        request.data.db, request.actor, request.pressed["member"]
    )
    await request.show(member_screen(request, group, member))


def member_screen(request: Request, group: GroupView, member: MemberView) -> Screen:
    t, mid = request.t, member.id
    text = t(
        "roster.member",
        name=member.name,
        group=group.name,
        programme_id=member.programme_id or "-",
        phone=member.phone or "-",
        telegram=t("roster.on_telegram") if member.has_telegram else t("roster.not_on_telegram"),
        status=t("roster.active") if member.active else t("roster.inactive"),
    )
    toggle = (
        button(t("buttons.deactivate"), DEACTIVATE, mid)
        if member.active
        else button(t("buttons.activate"), ACTIVATE, mid)
    )
    # A Telegram account that joined the wrong line is freed with one tap (she is told).
    unlink = [button(t("joining.buttons.unlink"), UNLINK, mid)] if member.has_telegram else []
    return Screen(
        text,
        rows(
            [button(t("buttons.rename"), ASK_RENAME, mid), toggle],
            [
                button(t("buttons.move"), ASK_MOVE, mid),
                button(t("buttons.make_chair"), MAKE_CHAIR, mid),
            ],
            unlink,
            [button(t("buttons.back"), SHOW_ROSTER, group.id, 0)],
        ),
    )


@action(Audience.STAFF)
async def ask_rename(request: Request) -> None:
    """Ask for the member's new name."""
    _, member = await roster.get_member(request.data.db, request.actor, request.pressed["member"])
    await request.expect(RENAME, {"member_id": member.id})
    await request.show(
        Screen(
            request.t("roster.ask_rename", name=member.name),
            rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
        ),
    )


@text_step(RENAME)
async def typed_rename(request: Request) -> None:
    """The new name, typed (routed from free text)."""
    member_id = request.pending.draft.get("member_id")
    if not isinstance(member_id, int):
        await request.expect(None)
        await request.refuse("errors.stale_button")
        return
    member = await roster.rename_member(request.data.db, request.actor, member_id, request.text)
    await request.expect(None)
    group, fresh = await roster.get_member(request.data.db, request.actor, member.id)
    await request.say(member_screen(request, group, fresh).above(request.t("roster.renamed")))


@action(Audience.STAFF)
async def deactivate(request: Request) -> None:
    """Take a member off the active roster (kept for history)."""
    await _set_active(request, False)


@action(Audience.STAFF)
async def activate(request: Request) -> None:
    """Put a member back on the active roster."""
    await _set_active(request, True)


async def _set_active(request: Request, active: bool) -> None:
    member = await roster.set_member_active(
        request.data.db, request.actor, request.pressed.arg(0), active
    )
    group, fresh = await roster.get_member(request.data.db, request.actor, member.id)
    await request.show(member_screen(request, group, fresh))


@action(Audience.STAFF)
async def ask_move(request: Request) -> None:
    """Offer the other groups this member can move to."""
    group, member = await roster.get_member(
        request.data.db, request.actor, request.pressed["member"]
    )
    targets = [
        g
        for g in await groups.list_groups(request.data.db, request.actor)
        if g.id != group.id and access.can(request.actor, access.Action.MANAGE, g)
    ]
    if not targets:
        await request.refuse("roster.no_other_group")
        return
    buttons = [button(f"{g.name} ({g.code})", MEMBER_MOVE, member.id, g.id) for g in targets]
    await request.show(
        Screen(
            request.t("roster.ask_move", name=member.name),
            rows(*column(buttons, 1), [button(request.t("buttons.back"), SHOW_MEMBER, member.id)]),
        ),
    )


@action(Audience.STAFF)
async def move(request: Request) -> None:
    """Move the member to the chosen group."""
    member_id, target_id = request.pressed["member"], request.pressed["group"]
    member, target = await roster.move_member(request.data.db, request.actor, member_id, target_id)
    group, fresh = await roster.get_member(request.data.db, request.actor, member.id)
    note = request.t("roster.moved", name=member.name, group=target.name)
    await request.show(member_screen(request, group, fresh).above(note))


@action(Audience.STAFF)
async def ask_file(request: Request) -> None:
    """Explain the roster file and wait for it."""
    group, _ = await roster.list_members(request.data.db, request.actor, request.pressed["group"])
    await request.expect(ROSTER_FILE, {"group_id": group.id})
    # A new message, so the invite links the button sat under stay on screen.
    await request.ack()
    await request.say(
        Screen(
            request.t("roster.send_file", group=group.name),
            rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
        ),
    )


@action(Audience.STAFF)
async def received_file(request: Request) -> None:
    """A document from staff: import it as the roster of the group it is meant for."""
    message = request.update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    group_id = (
        request.pending.draft.get("group_id") if request.pending.awaiting == ROSTER_FILE else None
    )
    if not isinstance(group_id, int):
        own = await groups.list_groups(request.data.db, request.actor)
        if len(own) != 1:
            await request.expect(
                "roster_file_target",
                {"file_id": document.file_id, "file_name": document.file_name or ""},
            )
            buttons = [button(f"{g.name} ({g.code})", FILE_TARGET, g.id) for g in own]
            key = "roster.which_group" if own else "groups.none"
            await request.say(Screen(request.t(key), rows(*column(buttons, 1))))
            return
        group_id = own[0].id
    await _import(request, group_id, document.file_id, document.file_name or "", document.file_size)


@action(Audience.STAFF)
async def file_target(request: Request) -> None:
    """The group picked for a roster file sent earlier."""
    draft = request.pending.draft
    if request.pending.awaiting != "roster_file_target" or "file_id" not in draft:
        await request.refuse("errors.stale_button")
        return
    await request.ack()
    await _import(
        request,
        request.pressed["group"],
        str(draft["file_id"]),
        str(draft.get("file_name", "")),
        None,
    )


async def _import(
    request: Request, group_id: int, file_id: str, file_name: str, size: int | None
) -> None:
    if size is not None and size > MAX_FILE_BYTES:
        await request.say(Screen(request.t("roster.file_errors.too_large")))
        return
    telegram_file = await request.context.bot.get_file(file_id)
    data = bytes(await telegram_file.download_as_bytearray())
    try:
        parsed = await parse_off_loop(data, file_name)
    except RosterFileError as exc:
        await request.say(Screen(request.t(f"roster.file_errors.{exc.code}")))
        return
    summary = await roster.import_rows(request.data.db, request.actor, group_id, list(parsed.rows))
    await request.expect(None)
    text = request.t(
        "roster.imported", group=summary.group.name, added=summary.added, updated=summary.updated
    )
    if summary.chair_name:
        text += "\n" + request.t("roster.imported_chair", name=summary.chair_name)
    if parsed.errors:
        text += "\n\n" + _error_lines(request, list(parsed.errors))
    await request.say(
        Screen(
            text,
            rows(
                [button(request.t("buttons.roster"), SHOW_ROSTER, group_id, 0)],
                [button(request.t("buttons.back"), SHOW_GROUP, group_id)],
            ),
        ),
    )


def _error_lines(request: Request, errors: list[RowError]) -> str:
    lines = [request.t("roster.row_errors", count=len(errors))]
    for error in errors[:MAX_ERRORS_SHOWN]:
        lines.append(
            request.t(f"roster.row_error.{error.code}", line=error.line, detail=error.detail)
        )
    if len(errors) > MAX_ERRORS_SHOWN:
        lines.append(request.t("roster.more_errors", count=len(errors) - MAX_ERRORS_SHOWN))
    return "\n".join(lines)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        on_button(SHOW_ROSTER, show_roster),
        on_button(PICK_CHAIR, pick_chair),
        on_button(MAKE_CHAIR, make_chair),
        on_button(SHOW_MEMBER, show_member),
        on_button(ASK_RENAME, ask_rename),
        on_button(DEACTIVATE, deactivate),
        on_button(ACTIVATE, activate),
        on_button(ASK_MOVE, ask_move),
        on_button(MEMBER_MOVE, move),
        on_button(ASK_FILE, ask_file),
        on_button(FILE_TARGET, file_target),
    ]
