"""Confirmation requests to chairs, their chase, the escalation and the answer to facilitators.

Every composer reads the request when it is due and skips once the chair has answered, so
a restart or a late tick never sends a question that is no longer open."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.keyboards import button, column, rows
from bot.outbox.message import ComposeContext, Outgoing, Skip, Text
from bot.outbox.recipients import private_recipient_language
from bot.outbox.registry import composer
from bot.outbox.split import split_html
from bot.timefmt import format_date, format_datetime
from content.texts import t
from storage import confirmations
from storage.confirmations import KIND_CHASE, KIND_ESCALATION, KIND_REQUEST, RequestView
from storage.deliveries import DueDelivery
from storage.models import Person
from storage.models_attendance import ConfirmOutcome, ConfirmStep

CONFIRM_INPUT = "confirm_input"
NUMBER_GRID_LIMIT = 40
OUTCOME_CODES = {ConfirmOutcome.HELD: 1, ConfirmOutcome.MOVED: 2, ConfirmOutcome.NOT_HELD: 3}


def header(lang: str, view: RequestView) -> str:
    meeting = view.meeting
    return t(
        lang,
        "confirm.header",
        group=meeting.group_name,
        when=format_datetime(meeting.starts_at, meeting.timezone, lang),
        session=meeting.session_number,
    )


def answers(lang: str, view: RequestView) -> str:
    """What the chair answered so far, one line each."""
    lines = []
    if view.outcome is not None:
        lines.append(
            t(lang, "confirm.line_outcome", value=t(lang, f"confirm.outcome.{view.outcome.value}"))
        )
    if view.attendees is not None:
        lines.append(t(lang, "confirm.line_count", count=view.attendees, roster=view.roster_size))
    if view.info_passed is not None:
        value = t(lang, "confirm.answer_yes" if view.info_passed else "confirm.answer_no")
        lines.append(t(lang, "confirm.line_info", value=value))
    if view.outcome is ConfirmOutcome.MOVED and view.step in (ConfirmStep.NOTES, ConfirmStep.DONE):
        value = (
            format_date(view.moved_to, lang) if view.moved_to else t(lang, "confirm.unknown_date")
        )
        lines.append(t(lang, "confirm.line_date", value=value))
    if view.notes:
        lines.append(t(lang, "confirm.line_notes", value=view.notes))
    if not lines:
        return ""
    return t(lang, "confirm.so_far") + "\n" + "\n".join(lines)


def render_step(
    lang: str, view: RequestView, intro: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The question the chair is at, with its buttons; the same in a delivery and a reply."""
    rid = view.id
    parts = [intro] if intro else []
    parts.append(header(lang, view))
    so_far = answers(lang, view)
    if so_far:
        parts.append(so_far)
    restart = [button(t(lang, "confirm.buttons.restart"), "cfr", rid)]
    keyboard: list[list[InlineKeyboardButton]] = []
    match view.step:
        case ConfirmStep.OUTCOME:
            parts.append(t(lang, "confirm.q_outcome"))
            parts.append(t(lang, "confirm.reply_hint"))
            keyboard = [
                [button(t(lang, f"confirm.buttons.{outcome.value}"), "cfa", rid, code)]
                for outcome, code in OUTCOME_CODES.items()
            ]
        case ConfirmStep.COUNT:
            parts.append(t(lang, "confirm.q_count", roster=view.roster_size))
            if view.roll_call_hadir is not None:
                parts.append(t(lang, "confirm.q_count_prefill", count=view.roll_call_hadir))
                keyboard.append(
                    [
                        button(
                            t(lang, "confirm.buttons.prefill", count=view.roll_call_hadir),
                            "cfn",
                            rid,
                            view.roll_call_hadir,
                        )
                    ]
                )
            if view.roster_size <= NUMBER_GRID_LIMIT:
                numbers = [button(str(n), "cfn", rid, n) for n in range(view.roster_size + 1)]
                keyboard.extend(column(numbers, 6))
            else:
                parts.append(t(lang, "confirm.q_count_large"))
            keyboard.append(restart)
        case ConfirmStep.INFO:
            parts.append(t(lang, "confirm.q_info"))
            keyboard = [
                [
                    button(t(lang, "confirm.buttons.info_yes"), "cfi", rid, 1),
                    button(t(lang, "confirm.buttons.info_no"), "cfi", rid, 0),
                ],
                restart,
            ]
        case ConfirmStep.DATE:
            parts.append(t(lang, "confirm.q_date"))
            keyboard = [[button(t(lang, "confirm.buttons.date_unknown"), "cfd", rid)], restart]
        case ConfirmStep.NOTES:
            parts.append(t(lang, "confirm.q_notes"))
            keyboard = [[button(t(lang, "confirm.buttons.no_notes"), "cfx", rid)], restart]
        case ConfirmStep.DONE:
            parts.append(t(lang, "confirm.done"))
            parts.append(t(lang, "confirm.done_hint"))
    return "\n\n".join(parts), rows(*keyboard) if keyboard else None


def _after(
    context: ComposeContext, view: RequestView, delivery: DueDelivery
) -> Callable[[AsyncSession, Message], Coroutine[Any, Any, None]]:
    request_id, kind, chat_id, person_id = (
        view.id,
        delivery.kind,
        delivery.chat_id,
        delivery.person_id,
    )

    async def after(session: AsyncSession, message: Message) -> None:
        label = "escalation" if kind == KIND_ESCALATION else kind.removeprefix("confirm_")
        await confirmations.record_message(session, request_id, chat_id, message.message_id, label)
        await confirmations.mark_delivered(session, request_id, kind, context.now)
        if kind != KIND_ESCALATION and person_id is not None:
            # Plain typed text (not a reply) answers this request unless she is mid-way
            # through something else.
            person = await session.get(Person, person_id)
            if person is not None and person.awaiting is None:
                person.awaiting = CONFIRM_INPUT
                person.draft = {"request_id": request_id}

    return after


async def _open_request(
    context: ComposeContext, delivery: DueDelivery
) -> tuple[RequestView, str] | Skip:
    request_id = delivery.payload.get("request_id")
    if not isinstance(request_id, int):
        return Skip("no request id")
    view = await confirmations.for_delivery(context.db, request_id)
    if view is None:
        return Skip("request gone")
    if view.answered:
        return Skip("answered")
    language = await private_recipient_language(context, delivery)
    if isinstance(language, Skip):
        return language
    return view, language


async def _to_chair(context: ComposeContext, delivery: DueDelivery, chase: bool) -> Outgoing:
    found = await _open_request(context, delivery)
    if isinstance(found, Skip):
        return found
    view, lang = found
    intro = t(lang, "confirm.chase_intro") if chase else None
    text, markup = render_step(lang, view, intro)
    return Text((text,), markup, after=_after(context, view, delivery))


@composer(KIND_REQUEST)
async def confirm_request(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    return await _to_chair(context, delivery, chase=False)


@composer(KIND_CHASE)
async def confirm_chase(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    return await _to_chair(context, delivery, chase=True)


@composer(KIND_ESCALATION)
async def confirm_escalation(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    found = await _open_request(context, delivery)
    if isinstance(found, Skip):
        return found
    view, lang = found
    meeting = view.meeting
    text = t(
        lang,
        "confirm.escalation",
        chair=view.chair_name,
        group=meeting.group_name,
        when=format_datetime(meeting.starts_at, meeting.timezone, lang),
        asked=format_datetime(view.created_at, meeting.timezone, lang),
    )
    markup = rows([button(t(lang, "status.buttons.menu"), "sb")])
    return Text((text,), markup, after=_after(context, view, delivery))


@composer("confirm_answered")
async def confirm_answered(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    request_id = delivery.payload.get("request_id")
    if not isinstance(request_id, int):
        return Skip("no request id")
    view = await confirmations.for_delivery(context.db, request_id)
    if view is None or not view.answered:
        return Skip("not answered")
    lang = await private_recipient_language(context, delivery)
    if isinstance(lang, Skip):
        return lang
    meeting = view.meeting
    text = t(
        lang,
        "confirm.answered_notice",
        chair=view.chair_name,
        group=meeting.group_name,
        when=format_datetime(meeting.starts_at, meeting.timezone, lang),
    )
    text += "\n" + answers(lang, view)
    return Text(split_html(text), rows([button(t(lang, "status.buttons.menu"), "sb")]))
