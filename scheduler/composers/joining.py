"""The question to the chair or the facilitator: "X says she is Siti Aminah", Benar / Bukan.

Composed at send time: a join answered (or replaced) in the meantime is not asked again, and
nor is a person who may no longer answer it (the chair changed)."""

from __future__ import annotations

from scheduler.message import ComposeContext, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage import joining
from storage.deliveries import DueDelivery
from storage.delivery_kinds import DeliveryKind
from views.joining import question_markup, question_text


@composer(DeliveryKind.JOIN_QUESTION)
async def join_question(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    language = await private_recipient_language(context, delivery)
    if isinstance(language, Skip):
        return language
    request_id = delivery.payload.get("request_id")
    if not isinstance(request_id, int) or delivery.person_id is None:
        return Skip("no join request in payload")
    join = await joining.question_for(context.db, delivery.person_id, request_id)
    if join is None:
        return Skip("join answered, replaced, or no longer this person's to answer")
    return Text((question_text(language, join),), question_markup(language, join))
