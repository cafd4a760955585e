"""Confirmation requests to chairs, their chase, the escalation and the answer to facilitators.

Every composer reads the request when it is due and skips once the chair has answered, so
a restart or a late tick never sends a question that is no longer open."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message

from content.texts import t
from scheduler.message import ComposeContext, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage import confirmations
from storage.confirmations import KIND_CHASE, KIND_ESCALATION, KIND_REQUEST, RequestView
from storage.deliveries import DueDelivery
from storage.deliveries.delivery_kinds import DeliveryKind
from timekeeping.timefmt import format_datetime
from views.buttons import SHOW_BOARD
from views.confirmations import (
    answers,
    render_step,
)
from views.keyboards import button, rows
from views.split import split_html


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
        await confirmations.request_message_sent(
            session, request_id, kind, chat_id, message.message_id, person_id, context.now
        )

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
    screen = render_step(lang, view, intro)
    return Text((screen.text,), screen.keyboard, after=_after(context, view, delivery))


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
    markup = rows([button(t(lang, "status.buttons.menu"), SHOW_BOARD)])
    return Text((text,), markup, after=_after(context, view, delivery))


@composer(DeliveryKind.CONFIRM_ANSWERED)
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
    return Text(split_html(text), rows([button(t(lang, "status.buttons.menu"), SHOW_BOARD)]))
