"""Personal data (issue 21, UU No. 27 Tahun 2022): erasure requests and housekeeping runs.

A member may ask for her data to be erased; her facilitator decides, because her roster line
is the programme's record. The retention job's last run is kept so `p2k2 status` can show it
and so it runs at most once a day whichever process dispatches."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, _enum, utcnow


class ErasureStatus(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    REFUSED = "refused"


class ErasureRequest(Base):
    """A person's /hapus_data, waiting for (or answered by) her group's facilitator."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"))
    status: Mapped[ErasureStatus] = mapped_column(
        _enum(ErasureStatus), default=ErasureStatus.PENDING
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))


class HousekeepingRun(Base):
    """The last run of a daily job (e.g. "retention"): when, and what it did."""

    __tablename__ = "housekeeping_runs"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    ran_at: Mapped[datetime]
    # Counts of what was deleted; a run cut short by its batch limit says so ("more": true).
    detail: Mapped[dict[str, Any] | None]
