"""The "replan" kind: plan a group's coming meetings again with the current settings.

Queued when a group chat is linked or a member joins after meetings were scheduled; it sends
nothing itself, it adds the deliveries those new chats should get."""

from __future__ import annotations

from functools import cache

from content.sessions import load_sessions
from scheduler.message import ComposeContext, Outgoing, Skip
from scheduler.registry import composer
from storage.deliveries import DueDelivery
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.deliveries.meeting_plan import replan_group


@cache
def quiz_sizes() -> dict[int, int]:
    return {session.number: len(session.quiz) for session in load_sessions("id")}


@composer(DeliveryKind.REPLAN)
async def replan(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    if delivery.group_id is None:
        return Skip("no group")
    added = await replan_group(
        context.db, delivery.group_id, quiz_sizes(), context.settings.reminder_offsets, context.now
    )
    return Skip(f"replanned: {added} added")
