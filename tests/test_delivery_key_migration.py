"""Migration 0011: existing deliveries of a group chat are keyed by the group, duplicates left
by a supergroup upgrade are folded into one (the one sent, else the oldest)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import Delivery, DeliveryStatus

migration = importlib.import_module("storage.migrations.versions.0011_delivery_keys_name_the_group")
DUE = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)


async def test_old_keys_name_the_group_and_duplicates_are_folded(engine: AsyncEngine) -> None:
    rows = [
        # Planned for the old group chat, sent there, then moved with the group...
        ("reminder:7:r1:259200:-5001", "reminder", -1005001, DeliveryStatus.SENT),
        # ...and planned a second time under the supergroup's id after a member joined.
        ("reminder:7:r1:259200:-1005001", "reminder", -1005001, DeliveryStatus.PENDING),
        ("reminder:7:r1:86400:-5001", "reminder", -1005001, DeliveryStatus.PENDING),
        ("reminder:7:r1:86400:-1005001", "reminder", -1005001, DeliveryStatus.PENDING),
        ("summary:7:r1:-5001", "summary", -1005001, DeliveryStatus.PENDING),
        ("quiz:7:r1:0:-1005001", "quiz", -1005001, DeliveryStatus.PENDING),
        ("changed:7:cancelled:-5001", "meeting_changed", -5001, DeliveryStatus.SENT),
        # A member's private chat keeps its key; other kinds are not touched.
        ("reminder:7:r1:259200:2001", "reminder", 2001, DeliveryStatus.PENDING),
        ("link_hint:-5001:1.000", "link_hint", -5001, DeliveryStatus.SENT),
    ]
    async with engine.begin() as connection:
        for key, kind, chat, status in rows:
            await connection.execute(
                insert(Delivery).values(
                    key=key,
                    kind=kind,
                    chat_id=chat,
                    due_at=DUE,
                    send_from=DUE,
                    send_by=DUE,
                    status=status,
                    attempts=0,
                )
            )
        await connection.run_sync(migration.rewrite_keys)
        found = {
            row.key: (row.status, row.reason)
            for row in await connection.execute(
                select(Delivery.key, Delivery.status, Delivery.reason).order_by(Delivery.id)
            )
        }
    duplicate = (DeliveryStatus.SKIPPED, migration.DUPLICATE)
    assert found == {
        "reminder:7:r1:259200:group": (DeliveryStatus.SENT, None),
        "reminder:7:r1:259200:group:duplicate:2": duplicate,
        "reminder:7:r1:86400:group": (DeliveryStatus.PENDING, None),
        "reminder:7:r1:86400:group:duplicate:4": duplicate,
        "summary:7:r1:group": (DeliveryStatus.PENDING, None),
        "quiz:7:r1:0:group": (DeliveryStatus.PENDING, None),
        "changed:7:cancelled:group": (DeliveryStatus.SENT, None),
        "reminder:7:r1:259200:2001": (DeliveryStatus.PENDING, None),
        "link_hint:-5001:1.000": (DeliveryStatus.SENT, None),
    }
