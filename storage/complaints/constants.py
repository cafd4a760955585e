"""Complaint limits, status groups and the delivery kinds."""

from __future__ import annotations

from storage.deliveries.delivery_kinds import DeliveryKind
from storage.models.complaints import PROTECTED_CATEGORIES, ComplaintCategory, ComplaintStatus

MAX_TEXT = 10_000
MAX_REPLY = 3_500
MAX_REASON = 500
MAX_FILES = 10
PAGE = 8

OPEN = (ComplaintStatus.NEW, ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)
# What the facilitator may set by hand, in the order the buttons show them.
STAFF_STATUSES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RESOLVED,
    ComplaintStatus.REJECTED,
)

# Complaints that may be about the facilitator or the chair themselves (cuts or levies taken
# from the aid, or their conduct): they go straight to the coordinators and never reach the
# facilitator or the chair: not their queue, notices, handover, exports or report counts.
PROTECTED = PROTECTED_CATEGORIES

NEW_KIND = DeliveryKind.COMPLAINT_NEW
MORE_KIND = DeliveryKind.COMPLAINT_MORE
UPDATE_KIND = DeliveryKind.COMPLAINT_UPDATE
ESCALATION_KIND = DeliveryKind.COMPLAINT_ESCALATION
# A protected complaint, told at once to the nearest coordinators who can be reached.
PROTECTED_KIND = DeliveryKind.COMPLAINT_PROTECTED
# One step of the SLA climb: sends nothing itself, tells the next level up when it is due.
CLIMB_KIND = DeliveryKind.COMPLAINT_CLIMB


def is_protected(category: ComplaintCategory) -> bool:
    return category in PROTECTED
