"""Complaint limits, status groups, the refusal text and the delivery kinds."""

from __future__ import annotations

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

NEW_KIND = "complaint_new"
MORE_KIND = "complaint_more"
UPDATE_KIND = "complaint_update"
ESCALATION_KIND = "complaint_escalation"
