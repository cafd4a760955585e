"""Each group's month in figures, for the roll-up by area (storage/reports/month_counts.py
keeps it; storage/reports/rollup.py reads it)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class MonthCounts(Base):
    """What a group's month adds to the roll-up, counted from its source rows (meetings,
    attendance, the roster, the chairs' confirmations) in the transaction that changed them.

    A row exists for a month in which the group has a meeting not cancelled (the month as
    the group's time zone counts it); its figures follow the chat report's rules."""

    __tablename__ = "report_month_counts"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), primary_key=True)
    month: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)  # 202612
    meetings: Mapped[int] = mapped_column(Integer)  # not cancelled
    confirmed: Mapped[int] = mapped_column(Integer)  # the chair's last answer: it was held
    roll_calls: Mapped[int] = mapped_column(Integer)  # held (or not answered) with a roll call
    hadir: Mapped[int] = mapped_column(Integer)  # present at those meetings
    roster: Mapped[int] = mapped_column(Integer)  # their rosters, added up
    confirmations_open: Mapped[int] = mapped_column(Integer)  # asked, none answered yet
