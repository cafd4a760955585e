"""Complaint limits, status groups, the refusal text and the delivery kinds."""

from __future__ import annotations

from storage.delivery_kinds import DeliveryKind
from storage.models.complaints import ComplaintStatus

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
NOT_YOURS = "complaints.not_yours"

NEW_KIND = DeliveryKind.COMPLAINT_NEW
MORE_KIND = DeliveryKind.COMPLAINT_MORE
UPDATE_KIND = DeliveryKind.COMPLAINT_UPDATE
ESCALATION_KIND = DeliveryKind.COMPLAINT_ESCALATION
