"""/minta_konfirmasi for facilitators; the chair's answers by buttons, typing or replying.

A chair's reply to any of the bot's messages about a request attaches to that request, even
when several are open: the replied-to message id is looked up, not "the latest request"."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from handlers.steps import text_step
from language.chair_reply import Reading, read_reply
from storage import access, confirmations, groups
from storage.confirmations import CONFIRM_INPUT, RequestView, confirmation_words
from storage.errors import UseCaseError
from storage.models.attendance import ConfirmOutcome, ConfirmStep
from timekeeping.timefmt import format_datetime, format_duration
from timekeeping.timeparse import DateInputError, parse_date, utc_to_local
from views import confirmation_words as words_view
from views.buttons import (
    ADD_LATE_NOTE,
    ASK_ALL,
    ASK_GROUP,
    ASK_MENU,
    CONFIRM_CORRECT,
    CONFIRM_COUNT,
    CONFIRM_INFO,
    CONFIRM_OUTCOME,
    CONFIRM_RESTART,
    DATE_UNKNOWN,
    MENU_CANCEL,
    NO_NOTES,
    OPEN_LIST,
    OPEN_REQUEST,
    SHOW_BOARD,
    SHOW_MENU,
)
from views.confirmations import render_step
from views.keyboards import button, column, rows
from views.refusals import words as refusal_words
from views.screen import Screen

LATE_NOTE = "confirm_late"
__all__ = [
    "CONFIRM_INPUT",
    "LATE_NOTE",
    "handlers",
    "parse_count",
    "parse_yes_no",
    "reply_received",
    "typed_answer",
    "typed_late_note",
]
OUTCOMES = {1: ConfirmOutcome.HELD, 2: ConfirmOutcome.MOVED, 3: ConfirmOutcome.NOT_HELD}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:

    return [
        CommandHandler("minta_konfirmasi", ask_menu),
        on_button(ASK_MENU, ask_menu),
        on_button(ASK_ALL, ask_all),
        on_button(ASK_GROUP, ask_group),
        on_button(OPEN_LIST, open_list),
        on_button(OPEN_REQUEST, open_request),
        on_button(CONFIRM_OUTCOME, outcome),
        on_button(CONFIRM_COUNT, count),
        on_button(CONFIRM_INFO, info),
        on_button(DATE_UNKNOWN, date_unknown),
        on_button(NO_NOTES, no_notes),
        on_button(CONFIRM_RESTART, restart),
        on_button(ADD_LATE_NOTE, add_late_note),
        on_button(CONFIRM_CORRECT, correct),
    ]


# -- reading what chairs type ------------------------------------------------------------

_UNITS = {
    "nol": 0,
    "kosong": 0,
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_WHOLE = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_FILLER = {"orang", "org", "yang", "yg", "datang", "hadir", "ada", "sekitar", "kira", "people"}
_DIGITS = re.compile(r"(-?)\s*(\d{1,6})", re.ASCII)


def parse_count(text: str) -> int | None:
    """A number of people: "20", "20 orang", "-3", or simple Indonesian words ("dua puluh")."""
    words = [w for w in re.split(r"[\s\-,.]+", text.lower()) if w and w not in _FILLER]
    if not words:
        return None
    digits = _DIGITS.fullmatch(text.strip().lower().split(" ")[0])
    if digits and all(w.isdigit() or w in _FILLER for w in words[1:]):
        value = int(digits[2])
        return -value if digits[1] else value
    if text.strip().startswith("-"):
        return None
    return _indonesian_number(words)


def _indonesian_number(words: list[str]) -> int | None:
    total, chunk, last = 0, 0, ""
    for word in words:
        if word in _UNITS:
            if last in ("unit", "whole_small"):
                return None
            chunk += _UNITS[word]
            last = "unit"
        elif word in _WHOLE:
            value = _WHOLE[word]
            if value == 100:
                total += 100
                chunk, last = 0, "hundred"
            else:
                chunk += value
                last = "whole_small"
        elif word == "belas" and last == "unit" and 1 <= chunk % 10 <= 9:
            chunk += 10
            last = "whole_small"
        elif word == "puluh" and last == "unit" and 1 <= chunk <= 9:
            chunk *= 10
            last = "tens"
        elif word == "ratus" and last == "unit" and 1 <= chunk <= 9:
            total += chunk * 100
            chunk, last = 0, "hundred"
        else:
            return None
    return total + chunk


_YES = {"ya", "iya", "sudah", "udah", "yes", "y", "sdh"}
_NO = {"tidak", "belum", "no", "n", "blm", "tdk", "nggak", "gak"}


# Said around a yes or no without changing it: "sudah bu 🙏", "belum pak".
_COURTESY = {"bu", "buk", "ibu", "pak", "bapak", "mbak", "kak", "pendamping", "sih", "kok", "deh"}


def parse_yes_no(text: str) -> bool | None:
    """A yes or a no, with the courtesies chairs add around it ("sudah bu 🙏")."""
    words = [w for w in re.findall(r"[a-z]+", text.lower()) if w not in _COURTESY]
    if words and all(w in _YES for w in words):
        return True
    if words and all(w in _NO for w in words):
        return False
    return None


# -- facilitators ask ---------------------------------------------------------------------


@action(Audience.STAFF)
async def ask_menu(request: Request) -> None:
    """Explain, then offer one group or all groups."""
    settings = request.data.settings
    found = await groups.list_groups(request.data.db, request.actor)
    t = request.t
    buttons = [button(g.name, ASK_GROUP, g.id) for g in found]
    all_row = (
        [button(t("confirm.buttons.all_groups", count=len(found)), ASK_ALL)]
        if access.may(request.actor, access.Duty.FACILITATE) and found
        else []
    )
    text = t(
        "confirm.ask_intro",
        chase=_duration(request, settings.chase_after),
        escalate=_duration(request, settings.escalate_after),
    )
    text += "\n\n" + (t("confirm.ask_pick") if found else t("groups.none"))
    await request.show(
        Screen(text, rows(all_row, *column(buttons, 1), [button(t("buttons.menu"), SHOW_MENU)]))
    )


def _duration(request: Request, span: timedelta) -> str:
    return format_duration(span, request.lang)


@action(Audience.STAFF)
async def ask_all(request: Request) -> None:
    """Ask every chair of the facilitator's groups about this month's meeting."""
    await _ask(request, None)


@action(Audience.STAFF)
async def ask_group(request: Request) -> None:
    """Ask one group's chair."""
    await _ask(request, request.pressed["group"])


async def _ask(request: Request, group_id: int | None) -> None:
    data = request.data
    lines = await confirmations.ask(
        data.db,
        request.actor,
        group_id,
        data.clock.now(),
        data.settings.chase_after,
        data.settings.escalate_after,
    )
    t = request.t
    text = "\n".join(
        [t("confirm.ask_result_title")]
        + [t(f"confirm.result.{line.result}", group=line.group_name) for line in lines]
    )
    await request.show(
        Screen(
            text,
            rows(
                [button(t("status.buttons.menu"), SHOW_BOARD)],
                [button(t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


# -- chairs answer ------------------------------------------------------------------------


async def _show_step(
    request: Request, view: RequestView, note: str | None = None, *, new_message: bool = False
) -> None:
    """Show the request's current question, and route plain typed text to it."""
    screen = render_step(request.lang, view, note)
    if view.answered:
        await request.expect(None)
    else:
        await request.expect(CONFIRM_INPUT, {"request_id": view.id})
    chat = request.update.effective_chat
    if new_message or request.update.callback_query is None:
        sent = await request.say(screen)
        if chat is not None:
            await confirmations.remember_message(
                request.data.db, view.id, chat.id, sent.message_id, "answer"
            )
    else:
        await request.show(screen)


@action()
async def open_list(request: Request) -> None:
    """The chair's open requests, one button each."""
    found = await confirmations.open_for_chair(request.data.db, request.actor)
    menu = [button(request.t("buttons.menu"), SHOW_MENU)]
    if not found:
        await request.show(Screen(request.t("confirm.none_open"), rows(menu)))
        return
    if len(found) == 1:
        await _show_step(request, found[0])
        return
    buttons = [
        button(
            f"{v.meeting.group_name} · "
            + format_datetime(v.meeting.starts_at, v.meeting.timezone, request.lang),
            OPEN_REQUEST,
            v.id,
        )
        for v in found
    ]
    await request.show(
        Screen(request.t("confirm.open_list", count=len(found)), rows(*column(buttons, 1), menu))
    )


@action()
async def open_request(request: Request) -> None:
    """One request at its current question."""
    view = await confirmations.chair_view(
        request.data.db, request.actor, request.pressed["request"]
    )
    if view.answered:
        await request.refuse("confirm.already_answered")
        return
    await _show_step(request, view)


@action()
async def outcome(request: Request) -> None:
    """Held, moved or not held."""
    callback = request.pressed
    chosen = OUTCOMES.get(callback["outcome"])
    if chosen is None:
        await request.refuse("errors.stale_button")
        return
    view = await confirmations.answer_outcome(
        request.data.db, request.actor, callback["request"], chosen, request.data.clock.now()
    )
    await _show_step(request, view)


@action()
async def count(request: Request) -> None:
    """How many came, from a number button."""
    callback = request.pressed
    view = await confirmations.answer_count(
        request.data.db,
        request.actor,
        callback["request"],
        callback["count"],
        request.data.clock.now(),
    )
    await _show_step(request, view)


@action()
async def info(request: Request) -> None:
    """Was the information passed on."""
    callback = request.pressed
    if callback["yes"] not in (0, 1):
        await request.refuse("errors.stale_button")
        return
    view = await confirmations.answer_info(
        request.data.db,
        request.actor,
        callback["request"],
        callback["yes"] == 1,
        request.data.clock.now(),
    )
    await _show_step(request, view)


@action()
async def date_unknown(request: Request) -> None:
    """Moved, but the new date is not known yet."""
    view = await confirmations.answer_date(
        request.data.db, request.actor, request.pressed["request"], None, request.data.clock.now()
    )
    await _show_step(request, view)


@action()
async def no_notes(request: Request) -> None:
    """Finish without notes: the answer goes to the facilitator."""
    view = await confirmations.add_notes(
        request.data.db, request.actor, request.pressed["request"], None, request.data.clock.now()
    )
    await _show_step(request, view)


@action()
async def restart(request: Request) -> None:
    """Back to the first question (notes are kept)."""
    view = await confirmations.restart_answer(
        request.data.db, request.actor, request.pressed["request"], request.data.clock.now()
    )
    await _show_step(request, view)


@text_step(CONFIRM_INPUT)
async def typed_answer(request: Request) -> None:
    """Typed text while a request is waiting (routed from free text)."""
    request_id = request.pending.draft.get("request_id")
    if not isinstance(request_id, int):
        await request.expect(None)
        return
    try:
        view = await confirmations.chair_view(request.data.db, request.actor, request_id)
    except UseCaseError:
        await request.expect(None)
        raise
    await _answer_text(request, view)


async def reply_received(request: Request) -> bool:
    """A reply to one of our messages about a request: True when it was one and is handled."""
    message = request.update.effective_message
    replied = message.reply_to_message if message else None
    chat = request.update.effective_chat
    if replied is None or chat is None or not request.text:
        return False
    view = await confirmations.request_for_reply(
        request.data.db, request.actor, chat.id, replied.message_id
    )
    if view is None:
        return False
    await _answer_text(request, view)
    return True


async def _answer_text(request: Request, view: RequestView) -> None:
    """Typed words go to the request's current question; anything else becomes notes."""
    data, text, now = request.data, request.text, request.data.clock.now()
    if view.answered:
        await _offer_late_note(request, view, text)
        return
    try:
        match view.step:
            case ConfirmStep.OUTCOME:
                await _answer_words(request, view, None)
                return
            case ConfirmStep.COUNT:
                number = parse_count(text)
                if number is None:
                    await _answer_words(request, view, "confirm.count_not_understood")
                    return
                view = await confirmations.answer_count(
                    data.db, request.actor, view.id, number, now
                )
            case ConfirmStep.INFO:
                passed = parse_yes_no(text)
                if passed is None:
                    await _answer_words(request, view, "confirm.info_not_understood")
                    return
                view = await confirmations.answer_info(data.db, request.actor, view.id, passed, now)
            case ConfirmStep.DATE:
                moved_to = _typed_date(request, view, text)
                if isinstance(moved_to, str):
                    await _show_step(request, view, moved_to, new_message=True)
                    return
                view = await confirmations.answer_date(
                    data.db, request.actor, view.id, moved_to, now
                )
            case _:
                view = await confirmations.add_notes(data.db, request.actor, view.id, text, now)
                if not view.answered:
                    await _show_step(
                        request, view, request.t("confirm.notes_kept"), new_message=True
                    )
                    return
    except UseCaseError as error:
        key, params = refusal_words(error)
        if key.startswith("confirm.count_") or key.startswith("errors."):
            await _show_step(request, view, request.t(key, **params), new_message=True)
            return
        raise
    await _show_step(request, view, new_message=True)


def _says_something(reading: Reading, view: RequestView) -> bool:
    """More than an unreadable attempt at the question asked (or a repeat of the outcome
    already recorded, "sudah bu" at the count question): worth recording or keeping."""
    outcome = confirmation_words.OUTCOMES.get(reading.outcome) if reading.outcome else None
    new_outcome = reading.outcome if outcome is not view.outcome else None
    stated = (new_outcome, reading.attended, reading.info_passed, reading.postponed_to)
    return (
        any(value is not None for value in stated)
        or bool(reading.problems or reading.note)
        or reading.cancelled_or_moved
    )


async def _answer_words(request: Request, view: RequestView, fallback: str | None) -> None:
    """Her own words, read by language.chair_reply: record what is clear in one use case and
    ask only for what is not. `fallback` is what to say at a step whose question her words
    did not answer at all (nothing is kept then, as with any unreadable typed answer)."""
    data, now = request.data, request.data.clock.now()
    today = utc_to_local(now, view.meeting.timezone).date()
    reading = read_reply(request.text, view.roster_size, request.lang, today=today)
    if fallback is not None and not _says_something(reading, view):
        await _show_step(request, view, request.t(fallback), new_message=True)
        return
    answer = await confirmation_words.answer_in_words(
        data.db, request.actor, view.id, request.text, reading, now
    )
    if not answer.finished:
        intro = words_view.intro(request.lang, answer)
        await _show_step(request, answer.view, intro or None, new_message=True)
        return
    await request.expect(None)
    sent = await request.say(words_view.recorded(request.lang, answer.view, reading.everyone))
    chat = request.update.effective_chat
    if chat is not None:
        # A reply to this message reaches the same request (as an extra note).
        await confirmations.remember_message(data.db, view.id, chat.id, sent.message_id, "answer")


@action()
async def correct(request: Request) -> None:
    """Back to the questions, to correct an answer recorded from her words."""
    view = await confirmation_words.reopen_answer(
        request.data.db, request.actor, request.pressed["request"], request.data.clock.now()
    )
    await _show_step(request, view, request.t("confirm.words.reopened"))


def _typed_date(request: Request, view: RequestView, text: str) -> date | str | None:
    """The date, None for "don't know", or the text explaining what to fix."""
    if text.strip().lower() in ("belum tahu", "tidak tahu", "don't know", "not known"):
        return None
    today = utc_to_local(request.data.clock.now(), view.meeting.timezone).date()
    try:
        return parse_date(text, today)
    except DateInputError as error:
        key = {
            "format": "confirm.date_not_understood",
            "invalid": "confirm.date_invalid",
            "past": "confirm.date_past",
        }[error.code]
        return request.t(key)


@text_step(LATE_NOTE)
async def typed_late_note(request: Request) -> None:
    """More text while the late-note offer is open: keep both and offer again."""
    draft = request.pending.draft
    request_id = draft.get("request_id")
    if not isinstance(request_id, int):
        await request.expect(None)
        return
    earlier = str(draft.get("text") or "")
    view = await confirmations.chair_view(request.data.db, request.actor, request_id)
    await _offer_late_note(request, view, f"{earlier}\n{request.text}".strip())


async def _offer_late_note(request: Request, view: RequestView, text: str) -> None:
    await request.expect(LATE_NOTE, {"request_id": view.id, "text": text})
    answered_at = view.answered_at or request.data.clock.now()
    when = format_datetime(answered_at, view.meeting.timezone, request.lang)
    await request.say(
        Screen(
            request.t("confirm.late_offer", when=when),
            rows(
                [button(request.t("confirm.buttons.add_late"), ADD_LATE_NOTE, view.id)],
                [button(request.t("buttons.cancel"), MENU_CANCEL)],
            ),
        ),
    )


@action()
async def add_late_note(request: Request) -> None:
    """Add the text typed after the answer as an extra note, and tell the facilitator."""
    draft = request.pending.draft
    if (
        request.pending.awaiting != LATE_NOTE
        or draft.get("request_id") != request.pressed["request"]
        or not isinstance(draft.get("text"), str)
    ):
        await request.refuse("errors.stale_button")
        return
    await confirmations.late_note(
        request.data.db,
        request.actor,
        request.pressed["request"],
        str(draft["text"]),
        request.data.clock.now(),
    )
    await request.expect(None)
    await request.show(
        Screen(
            request.t("confirm.late_added"), rows([button(request.t("buttons.menu"), SHOW_MENU)])
        )
    )
