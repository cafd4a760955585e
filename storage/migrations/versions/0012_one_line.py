"""one line of history from here on

Revision ID: 0012
Revises: 0003, 0004, 0005, 0006rc, 0006tw, 0010, 0011
Create Date: 2026-12-06 00:00:00

Until 0011 every feature branched from 0002, so a database held seven heads and the order of
0010 and 0011 (both change `deliveries`) was not declared. This merge joins them; every later
migration revises the one before it, and the code upgrades to "head" (a single one).
"""

from collections.abc import Sequence

revision: str = "0012"
down_revision: tuple[str, ...] = ("0003", "0004", "0005", "0006rc", "0006tw", "0010", "0011")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
