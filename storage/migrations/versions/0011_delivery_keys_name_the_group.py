"""delivery keys name the group, not its chat id

Revision ID: 0011
Revises: 0002
Create Date: 2026-11-30 00:00:00

A meeting's deliveries to a group chat were keyed by the chat's id ("reminder:7:r1:259200:-5001");
when Telegram upgraded the group to a supergroup, planning again (a member joined) found no such
key under the new id and planned every reminder, summary, recap and quiz a second time. Keys
now say "group" in place of the chat id (storage/meeting_plan.py). This rewrites the keys of
existing rows the same way; where the old bug already left two rows for one purpose, the one
sent (or else the oldest) keeps the key and the others are renamed, and skipped if still due.
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEETING_KINDS = ("reminder", "summary", "recap", "quiz", "meeting_changed")
DUE = ("pending", "sending")
DUPLICATE = "duplicate after supergroup upgrade"

deliveries = sa.table(
    "deliveries",
    sa.column("id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("kind", sa.String),
    sa.column("status", sa.String),
    sa.column("reason", sa.String),
    sa.column("claimed_until", sa.DateTime),
)


def group_key(key: str) -> str | None:
    """The new key, when the old one ends with a group chat's (negative) id."""
    head, _, last = key.rpartition(":")
    if head and last.startswith("-") and last[1:].isdigit():
        return f"{head}:group"
    return None


def upgrade() -> None:
    rewrite_keys(op.get_bind())


def rewrite_keys(bind: sa.Connection) -> None:
    rows = bind.execute(
        sa.select(deliveries.c.id, deliveries.c.key, deliveries.c.status)
        .where(deliveries.c.kind.in_(MEETING_KINDS))
        .order_by(deliveries.c.id)
    ).all()
    by_purpose: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        new = group_key(row.key)
        if new is not None:
            by_purpose[new].append((row.id, row.status))
    for new, found in by_purpose.items():
        sent = [row for row in found if row[1] == "sent"]
        keeper = (sent or found)[0][0]
        for delivery_id, status in found:
            if delivery_id == keeper:
                continue
            values: dict[str, object] = {"key": f"{new}:duplicate:{delivery_id}"}
            if status in DUE:
                values.update(status="skipped", reason=DUPLICATE, claimed_until=None)
            bind.execute(
                sa.update(deliveries).where(deliveries.c.id == delivery_id).values(**values)
            )
        bind.execute(sa.update(deliveries).where(deliveries.c.id == keeper).values(key=new))


def downgrade() -> None:
    # The chat id a key named cannot be told from "group" alone; the new keys stay valid
    # for the old code (it would plan a group chat's deliveries once more, as before).
    pass
