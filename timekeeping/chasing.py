"""When an unanswered confirmation request is chased and escalated: pure functions of time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_CHASE_AFTER = timedelta(hours=24)
DEFAULT_ESCALATE_AFTER = timedelta(hours=48)
# A facilitator's "chase now" tap sends again only if the chair was not chased this recently.
NUDGE_GAP = timedelta(hours=1)


@dataclass(frozen=True)
class ChasePlan:
    request_at: datetime
    chase_at: datetime
    escalate_at: datetime


def chase_plan(
    requested_at: datetime,
    chase_after: timedelta = DEFAULT_CHASE_AFTER,
    escalate_after: timedelta = DEFAULT_ESCALATE_AFTER,
) -> ChasePlan:
    """The request goes now, the chase after `chase_after`, the escalation after `escalate_after`.

    The escalation never comes before the chase: the chair gets a second chance first."""
    chase_at = requested_at + chase_after
    escalate_at = max(requested_at + escalate_after, chase_at)
    return ChasePlan(requested_at, chase_at, escalate_at)


def may_nudge(last_contact: datetime | None, now: datetime) -> bool:
    """A manual chase is allowed when the chair was not written to within NUDGE_GAP."""
    return last_contact is None or now - last_contact >= NUDGE_GAP
