"""Complaint use cases: file, read, answer, change status, escalate, hand over.

Who may see a ticket: the member who filed it, the facilitator handling it (or the group's
current facilitator) and coordinators. Nobody else, chairs included. A protected complaint
(cuts or levies from the aid, or about the facilitator or the chair) is for coordinators only.
Every refusal uses the same text whether the ticket exists or not, so ticket numbers cannot be
probed.

One idea per module: constants (limits, kinds), errors (why a use case says no), views (what
callers get back), access (who may see or act), reading (one ticket), lists (the member's
tickets, the queue, meeting topics), history (messages and events), notify (deliveries),
filing (submit, add more), routing (who is told, level by level), climbing (a step of the
SLA climb, decided when it is due), handling (reply, status, forward, the member's verdict,
escalation) and handover."""

from __future__ import annotations

from storage.complaints.climbing import climb_step
from storage.complaints.constants import (
    CLIMB_KIND,
    ESCALATION_KIND,
    MAX_FILES,
    MAX_REASON,
    MAX_REPLY,
    MAX_TEXT,
    MORE_KIND,
    NEW_KIND,
    OPEN,
    PAGE,
    PROTECTED,
    PROTECTED_KIND,
    STAFF_STATUSES,
    UPDATE_KIND,
    is_protected,
)
from storage.complaints.errors import (
    AlreadyClosed,
    AlreadyWithCoordinators,
    NobodyAbove,
    NotAFacilitator,
    NotInGroup,
    NotOpen,
    NotResolved,
    NotYours,
    SameFacilitator,
    SameStatus,
    TooManyFiles,
)
from storage.complaints.filing import add_more, submit
from storage.complaints.handling import (
    forward,
    member_verdict,
    record_escalation,
    reply,
    set_status,
)
from storage.complaints.handover import hand_over, open_counts
from storage.complaints.history import clean_complaint_text
from storage.complaints.lists import meeting_topics, my_tickets, queue
from storage.complaints.reading import load_event, load_ticket, readers_of, still_at_level, ticket
from storage.complaints.views import (
    Attachment,
    Filed,
    Level,
    MeetingTopic,
    Queue,
    Readers,
    Route,
    Ticket,
    TicketEvent,
    TicketMessage,
    TicketSummary,
)

__all__ = [
    "CLIMB_KIND",
    "ESCALATION_KIND",
    "MAX_FILES",
    "MAX_REASON",
    "MAX_REPLY",
    "MAX_TEXT",
    "MORE_KIND",
    "NEW_KIND",
    "OPEN",
    "PAGE",
    "PROTECTED",
    "PROTECTED_KIND",
    "STAFF_STATUSES",
    "UPDATE_KIND",
    "AlreadyClosed",
    "AlreadyWithCoordinators",
    "Attachment",
    "Filed",
    "Level",
    "MeetingTopic",
    "NobodyAbove",
    "NotAFacilitator",
    "NotInGroup",
    "NotOpen",
    "NotResolved",
    "NotYours",
    "Queue",
    "Readers",
    "Route",
    "SameFacilitator",
    "SameStatus",
    "Ticket",
    "TicketEvent",
    "TicketMessage",
    "TicketSummary",
    "TooManyFiles",
    "add_more",
    "clean_complaint_text",
    "climb_step",
    "forward",
    "hand_over",
    "is_protected",
    "load_event",
    "load_ticket",
    "meeting_topics",
    "member_verdict",
    "my_tickets",
    "open_counts",
    "queue",
    "readers_of",
    "record_escalation",
    "reply",
    "set_status",
    "still_at_level",
    "submit",
    "ticket",
]
