"""The facilitator's question "Ibu X asks to erase her data", with Hapus / Jangan dulu.

Composed at send time: a request answered meanwhile (or no longer this person's to answer)
is not asked."""

from __future__ import annotations

from scheduler.message import ComposeContext, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage.deliveries import DueDelivery
from storage.delivery_kinds import DeliveryKind
from storage.privacy import erasure
from views.privacy import erase_question_markup, erase_question_text


@composer(DeliveryKind.ERASURE_QUESTION)
async def erasure_question(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    language = await private_recipient_language(context, delivery)
    if isinstance(language, Skip):
        return language
    request_id = delivery.payload.get("request_id")
    if not isinstance(request_id, int) or delivery.person_id is None:
        return Skip("no erasure request in payload")
    pending = await erasure.question_for(context.db, delivery.person_id, request_id)
    if pending is None:
        return Skip("erasure answered, or no longer this person's to answer")
    return Text((erase_question_text(language, pending),), erase_question_markup(language, pending))
