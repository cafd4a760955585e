"""/status: the facilitator's board for a month, the coordinator's view per facilitator."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from storage import attendance, confirmations
from storage.access import Duty, may
from storage.errors import NotFound
from storage.reports import status_board
from storage.reports.status_board import ANSWERED, NOT_ASKED, OPEN, Board, BoardLine
from timekeeping.months import month_of, shift_month
from timekeeping.timefmt import format_datetime
from views.buttons import (
    ASK_LOCK,
    ASK_MENU,
    CHASE_FACILITATOR,
    MONTH_LOCK,
    MONTH_UNLOCK,
    SHOW_BOARD,
    SHOW_FACILITATOR,
    SHOW_MENU,
)
from views.keyboards import Key, button, column, rows
from views.screen import Screen

TEXT_BUDGET = 3800  # Telegram allows 4096; the rest is for the header and notes


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:

    return [
        CommandHandler("status", show),
        on_button(SHOW_BOARD, show),
        on_button(SHOW_FACILITATOR, show_facilitator),
        on_button(CHASE_FACILITATOR, chase),
        on_button(ASK_LOCK, ask_lock),
        on_button(MONTH_LOCK, lock),
        on_button(MONTH_UNLOCK, unlock),
    ]


def this_month(request: Request) -> int:
    return month_of(request.data.clock.now(), request.data.settings.timezone)


def month_name(request: Request, month: int) -> str:
    year, number = divmod(month, 100)
    if not 1 <= number <= 12:
        raise NotFound()
    names = request.t("status.months").split(",")
    return f"{names[number - 1]} {year}"


def _confirm_text(request: Request, line: BoardLine) -> str:
    t = request.t
    if line.confirmation == ANSWERED and line.outcome is not None:
        text = t(f"status.confirm_answered_{line.outcome.value}", count=line.attendees or 0)
        if line.info_passed is not None:
            # The same answer the facilitator's notice shows: the information too.
            text += t("status.confirm_info_yes" if line.info_passed else "status.confirm_info_no")
        return text
    if line.confirmation == OPEN:
        return t("status.confirm_open")
    if line.meeting_id is not None and not line.started:
        return t("status.confirm_upcoming")
    return t("status.confirm_not_asked")


def _line_text(request: Request, line: BoardLine) -> str:
    t = request.t
    date = (
        format_datetime(line.starts_at, line.timezone, request.lang)
        if line.starts_at
        else t("status.no_meeting")
    )
    if line.hadir is None:
        presence = t("status.attendance_none", roster=line.roster)
    else:
        presence = t("status.attendance", hadir=line.hadir, roster=line.roster)
    return t(
        "status.group_line",
        group=line.group_name,
        date=date,
        confirm=_confirm_text(request, line),
        attendance=presence,
        yes=line.rsvp_yes,
        no=line.rsvp_no,
    )


def board_screen(request: Request, board: Board, note: str | None = None) -> Screen:
    t, month, fid = request.t, board.month, board.facilitator_id
    parts = [note] if note else []
    parts.append(t("status.title", month=month_name(request, month), name=board.facilitator_name))
    if not board.lines:
        parts.append(t("status.no_groups"))
    else:
        parts.append(
            t(
                "status.summary",
                groups=len(board.lines),
                answered=board.count(ANSWERED),
                open=board.count(OPEN),
                not_asked=sum(
                    1 for line in board.lines if line.confirmation == NOT_ASKED and line.started
                ),
            )
        )
    used = sum(len(p) for p in parts)
    for index, line in enumerate(board.lines):
        text = _line_text(request, line)
        if used + len(text) > TEXT_BUDGET:
            parts.append(t("status.more", count=len(board.lines) - index))
            break
        parts.append(text)
        used += len(text) + 2
    if board.locked:
        parts.append(t("status.locked_note"))
    keyboard: list[list[Key]] = []
    waiting = board.count(OPEN)
    if waiting and board.may_act:
        keyboard.append(
            [button(t("status.buttons.chase", count=waiting), CHASE_FACILITATOR, fid, month)]
        )
    if request.actor.person_id == fid:
        keyboard.append([button(t("confirm.buttons.menu_facilitator"), ASK_MENU)])
    if board.lines and board.may_act:
        keyboard.append(
            [button(t("status.buttons.unlock"), MONTH_UNLOCK, fid, month)]
            if board.locked
            else [button(t("status.buttons.lock"), ASK_LOCK, fid, month)]
        )
    keyboard.append(
        [
            button(t("status.buttons.previous"), SHOW_FACILITATOR, fid, shift_month(month, -1)),
            button(t("status.buttons.next"), SHOW_FACILITATOR, fid, shift_month(month, 1)),
        ]
    )
    back = (
        button(t("buttons.back"), SHOW_BOARD, month) if may(request.actor, Duty.OVERSEE) else None
    )
    keyboard.append([b for b in (back, button(t("buttons.menu"), SHOW_MENU)) if b is not None])
    return Screen("\n\n".join(parts), rows(*keyboard))


async def _board(request: Request, facilitator_id: int, month: int) -> Board:
    return await status_board.facilitator_board(
        request.data.db, request.actor, facilitator_id, month, request.data.clock.now()
    )


@action(Audience.READERS)
async def show(request: Request) -> None:
    """A facilitator's own board; a coordinator's overview of every facilitator."""
    callback = request.callback
    month = callback["month"] if callback and callback.args else this_month(request)
    if not may(request.actor, Duty.OVERSEE):  # a facilitator: her own board
        board = await _board(request, request.actor.person_id, month)
        await request.show(board_screen(request, board))
        return
    summaries = await status_board.coordinator_overview(
        request.data.db, request.actor, month, request.data.clock.now()
    )
    t = request.t
    parts = [t("status.overview_title", month=month_name(request, month))]
    for s in summaries:
        parts.append(
            t(
                "status.overview_line",
                name=s.name,
                groups=s.groups,
                answered=s.answered,
                open=s.open,
                not_asked=s.not_asked,
                hadir=s.hadir,
                roster=s.roster,
            )
        )
    parts.append(t("status.overview_hint") if summaries else t("status.no_facilitators"))
    buttons = [button(s.name, SHOW_FACILITATOR, s.facilitator_id, month) for s in summaries]
    await request.show(
        Screen(
            "\n\n".join(parts),
            rows(
                *column(buttons, 2),
                [
                    button(t("status.buttons.previous"), SHOW_BOARD, shift_month(month, -1)),
                    button(t("status.buttons.next"), SHOW_BOARD, shift_month(month, 1)),
                ],
                [button(t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


@action(Audience.READERS)
async def show_facilitator(request: Request) -> None:
    """One facilitator's board for a month (their own, or any for a coordinator)."""
    callback = request.pressed
    board = await _board(
        request, callback["facilitator"], callback.get("month", this_month(request))
    )
    await request.show(board_screen(request, board))


@action(Audience.STAFF)
async def chase(request: Request) -> None:
    """Remind now every chair who has not answered this month's request."""
    callback = request.pressed
    fid, month = callback["facilitator"], callback["month"]
    chased, skipped = await confirmations.nudge_open(
        request.data.db, request.actor, fid, month, request.data.clock.now()
    )
    notes = []
    if chased:
        notes.append(request.t("status.chased", count=chased))
    if skipped:
        notes.append(request.t("status.chase_skipped", count=skipped))
    if not notes:
        notes.append(request.t("status.nothing_to_chase"))
    board = await _board(request, fid, month)
    await request.show(board_screen(request, board, "\n".join(notes)))


@action(Audience.STAFF)
async def ask_lock(request: Request) -> None:
    """Ask before locking the month's roll calls."""
    callback = request.pressed
    fid, month = callback["facilitator"], callback["month"]
    # Refuse another facilitator's month at the first press, not after the confirmation.
    attendance.check_may_lock(request.actor, fid, month)
    await request.show(
        Screen(
            request.t("status.lock_confirm", month=month_name(request, month)),
            rows(
                [button(request.t("status.buttons.lock_yes"), MONTH_LOCK, fid, month)],
                [button(request.t("buttons.back"), SHOW_FACILITATOR, fid, month)],
            ),
        ),
    )


@action(Audience.STAFF)
async def lock(request: Request) -> None:
    """Lock the month: chairs can no longer change these roll calls."""
    await _set_lock(request, True)


@action(Audience.STAFF)
async def unlock(request: Request) -> None:
    """Open the month again for corrections."""
    await _set_lock(request, False)


async def _set_lock(request: Request, locked: bool) -> None:
    callback = request.pressed
    fid, month = callback.arg(0), callback.month(1)
    count = await attendance.set_month_lock(
        request.data.db, request.actor, fid, month, locked, request.data.clock.now()
    )
    name = month_name(request, month)
    note = (
        request.t("status.locked_done", month=name, count=count)
        if locked
        else request.t("status.unlocked_done", month=name)
    )
    board = await _board(request, fid, month)
    await request.show(board_screen(request, board, note))
