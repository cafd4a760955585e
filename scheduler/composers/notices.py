"""Notices: a text from content/ to one person, in their language, e.g. for facilitators."""

from __future__ import annotations

from content.texts import t
from scheduler.message import ComposeContext, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage import groups
from storage.deliveries import DueDelivery
from storage.deliveries.delivery_kinds import DeliveryKind
from views.split import split_html


@composer(DeliveryKind.NOTICE)
async def notice(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    language = await private_recipient_language(context, delivery)
    if isinstance(language, Skip):
        return language
    key = str(delivery.payload.get("text", ""))
    params = delivery.payload.get("params") or {}
    return Text(split_html(t(language, key, **params)))


@composer(DeliveryKind.LINK_HINT)
async def link_hint(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    """Tell a new group chat how to link it, unless a startgroup link already did."""
    if await groups.groups_of_chat(context.db, delivery.chat_id) is not None:
        return Skip("already linked")
    language = str(delivery.payload.get("language") or context.settings.language)
    return Text((t(language, "group_chat.added_hint"),))
