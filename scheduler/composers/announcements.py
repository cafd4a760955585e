"""Announcements to groups and members, and the report to the sender once all have gone."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from content.texts import t
from scheduler.message import ComposeContext, Defer, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage import announcements
from storage.deliveries import DueDelivery
from storage.deliveries.delivery_kinds import DeliveryKind
from views.split import split_html

REPORT_RECHECK = timedelta(minutes=1)
REASON_KEYS = {"blocked": "blocked", "removed": "removed", "chat not found": "gone"}


@composer(DeliveryKind.ANNOUNCEMENT)
async def announcement(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    language = await private_recipient_language(context, delivery)
    if isinstance(language, Skip):
        return language
    assert delivery.announcement_id is not None
    found = await _text(context, delivery.announcement_id, delivery.group_id)
    if found is None:
        return Skip("announcement deleted")
    text = t(
        language,
        "announce.message",
        sender=found.sender_name,
        text=found.text,
        group=found.group_name or "",
    )
    return Text(split_html(text))


async def _text(
    context: ComposeContext, announcement_id: int, group_id: int | None
) -> announcements.AnnouncementText | None:
    """The announcement as written; within a dispatcher tick, shared by its sends for a second
    (an announcement to a group and its thirty members reads it once, not thirty-one times)."""
    if context.recent is None:
        return await announcements.announcement_text(context.db, announcement_id, group_id)
    return await context.recent.get(
        ("announcement", announcement_id, group_id),
        lambda: announcements.announcement_text(context.db, announcement_id, group_id),
    )


@composer(DeliveryKind.ANNOUNCEMENT_REPORT)
async def announcement_report(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    language = await private_recipient_language(context, delivery)
    if isinstance(language, Skip):
        return language
    assert delivery.announcement_id is not None
    report = await announcements.report(context.db, delivery.announcement_id)
    if not report.finished:
        return Defer(context.now + REPORT_RECHECK, "sends still in progress")
    lines = [
        t(
            language,
            "announce.report",
            number=report.announcement_id,
            groups=report.delivered_groups,
            members=report.delivered_private,
        )
    ]
    group_failures = [(name, why) for name, why in report.failed if name != "private"]
    for name, why in group_failures:
        lines.append(
            t(language, "announce.report_group_failed", group=name, reason=_reason(language, why))
        )
    private = Counter(_reason(language, why) for name, why in report.failed if name == "private")
    for reason, count in private.items():
        lines.append(t(language, "announce.report_private_failed", count=count, reason=reason))
    for name in report.groups_without_chat:
        lines.append(t(language, "announce.report_no_chat", group=name))
    if not report.failed and not report.groups_without_chat:
        lines.append(t(language, "announce.report_all_ok"))
    return Text(split_html("\n".join(lines)))


def _reason(language: str, reason: str) -> str:
    key = REASON_KEYS.get(reason, "other")
    return t(language, f"announce.reasons.{key}")
