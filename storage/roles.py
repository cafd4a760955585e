"""A person's role, strongest first: it picks her command menu, her help and what she may do.

Staff roles are stored on the person (StaffRole); chair and member come from the roster. Every
permission check, menu and report scope reads this one enum (views/callbacks.Audience says which
roles an action admits, from storage/access.AUDIENCES, and what a refused person is told)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    VIEWER = "viewer"  # reads the programme (groups, reports, board) and changes nothing
    CHAIR = "chair"
    MEMBER = "member"
    NEWCOMER = "newcomer"

    @property
    def is_staff(self) -> bool:
        """Staff who act on groups (a viewer only reads)."""
        return self in (Role.COORDINATOR, Role.FACILITATOR)
