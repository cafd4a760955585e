"""Questions put to one person about one request, with two buttons: the chair's or the
facilitator's "X says she is Siti Aminah" (Benar / Bukan), the facilitator's "Ibu X asks to
erase her data" (Hapus / Jangan dulu).

Composed at send time: a request answered (or replaced) in the meantime is not asked again,
and nor is a person who may no longer answer it (the chair changed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from scheduler.message import ComposeContext, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage import joining
from storage.db import SessionFactory
from storage.deliveries import DueDelivery
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.privacy import erasure
from views.joining import question_markup, question_text
from views.keyboards import Keyboard
from views.privacy import erase_question_markup, erase_question_text

Q = TypeVar("Q")


def question(
    kind: DeliveryKind,
    load: Callable[[SessionFactory, int, int], Awaitable[Q | None]],
    text: Callable[[str, Q], str],
    markup: Callable[[str, Q], Keyboard | None],
    what: str,
) -> None:
    """Register the composer of `kind`: the request in the payload, asked if still open."""

    @composer(kind)
    async def compose(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
        language = await private_recipient_language(context, delivery)
        if isinstance(language, Skip):
            return language
        request_id = delivery.payload.get("request_id")
        if not isinstance(request_id, int) or delivery.person_id is None:
            return Skip(f"no {what} request in payload")
        found = await load(context.db, delivery.person_id, request_id)
        if found is None:
            return Skip(f"{what} answered, replaced, or no longer this person's to answer")
        return Text((text(language, found),), markup(language, found))


question(DeliveryKind.JOIN_QUESTION, joining.question_for, question_text, question_markup, "join")
question(
    DeliveryKind.ERASURE_QUESTION,
    erasure.question_for,
    erase_question_text,
    erase_question_markup,
    "erasure",
)
