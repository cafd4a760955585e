"""What complaint use cases return: frozen views, never ORM objects."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.complaints.constants import OPEN, is_protected
from storage.models.complaints import AttachmentKind, ComplaintCategory, ComplaintStatus


@dataclass(frozen=True)
class Attachment:
    kind: AttachmentKind
    file_id: str
    file_name: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "file_id": self.file_id, "name": self.file_name}

    @classmethod
    def from_json(cls, raw: object) -> Attachment | None:
        if not isinstance(raw, dict):
            return None
        try:
            kind = AttachmentKind(str(raw.get("kind")))
        except ValueError:
            return None
        file_id, name = raw.get("file_id"), raw.get("name")
        if not isinstance(file_id, str) or kind is AttachmentKind.TEXT:
            return None
        return cls(kind, file_id, name if isinstance(name, str) else None)


@dataclass(frozen=True)
class TicketSummary:
    id: int
    number: str
    category: ComplaintCategory
    status: ComplaintStatus
    created_at: datetime
    group_name: str
    member_name: str
    discuss_anonymously: bool
    acknowledged: bool
    coordinator_acted_last: bool = False

    @property
    def by_coordinators(self) -> bool:
        """Whether the status words name the coordinators (see Ticket.by_coordinators)."""
        return is_protected(self.category) or self.coordinator_acted_last


@dataclass(frozen=True)
class TicketMessage:
    id: int
    author_name: str
    from_staff: bool
    kind: AttachmentKind
    text: str | None
    file_id: str | None
    file_name: str | None
    created_at: datetime


@dataclass(frozen=True)
class TicketEvent:
    id: int
    at: datetime
    actor_name: str | None
    action: str
    status: ComplaintStatus | None
    detail: str | None
    message_text: str | None
    by_coordinator: bool = False


@dataclass(frozen=True)
class Ticket:
    id: int
    number: str
    category: ComplaintCategory
    status: ComplaintStatus
    created_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    discuss_anonymously: bool
    reject_reason: str | None
    person_id: int
    member_name: str
    member_telegram_id: int | None
    group_id: int
    group_name: str
    timezone: str
    facilitator_id: int
    facilitator_name: str
    facilitator_telegram_id: int | None
    messages: tuple[TicketMessage, ...]
    events: tuple[TicketEvent, ...]
    coordinator_acted_last: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def protected(self) -> bool:
        """For coordinators only: it may be about the facilitator or the chair."""
        return is_protected(self.category)

    @property
    def by_coordinators(self) -> bool:
        """Whether "read" and "cannot handle" name the coordinators rather than the facilitator:
        a protected ticket, or one a coordinator answered last (after an escalation, say)."""
        return self.protected or self.coordinator_acted_last

    @property
    def member_text(self) -> str:
        """Everything the member wrote, in order."""
        return "\n\n".join(
            m.text
            for m in self.messages
            if not m.from_staff and m.kind is AttachmentKind.TEXT and m.text
        )

    @property
    def files(self) -> tuple[TicketMessage, ...]:
        return tuple(m for m in self.messages if m.file_id)


@dataclass(frozen=True)
class MeetingTopic:
    """A problem the facilitator may raise at the meeting in their own words, without a name."""

    id: int
    number: str
    category: ComplaintCategory


@dataclass(frozen=True)
class Filed:
    """A ticket just filed, and whether whoever handles it could be told now: the member is
    told "sent to ..." only then, and otherwise where else to take it."""

    ticket: Ticket
    handler_told: bool
    # Who was told now and who comes after, as the routing rule found them.
    route: Route | None = None


@dataclass(frozen=True)
class Queue:
    tickets: tuple[TicketSummary, ...]
    total: int
    page: int


class Level(enum.IntEnum):
    """The levels a complaint climbs, nearest first (storage/complaints/routing.py)."""

    PENDAMPING = 0
    KORKAB = 1  # koordinator kabupaten/kota
    KORWIL = 2  # koordinator wilayah: a province, or a list of kabupaten/kota
    WHOLE = 3  # coordinators of the whole deployment (no area)
    ABOVE = 4  # P2K2_COMPLAINT_ESCALATION_IDS, above the top area

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def named(cls, key: object) -> Level | None:
        """The level whose key this is (as a delivery's payload holds it), or None."""
        return next((level for level in cls if level.key == key), None)


@dataclass(frozen=True)
class Readers:
    """The people of one level who can be reached now: (person id or None, Telegram chat),
    and the names that say who they are (the pendamping's name, the areas' names)."""

    level: Level
    people: tuple[tuple[int | None, int], ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Route:
    """The levels that can be reached, nearest first: the first is told at once, each next
    one after one more SLA. Empty: nobody can be reached through the bot."""

    levels: tuple[Readers, ...] = ()

    @property
    def first(self) -> Readers | None:
        return self.levels[0] if self.levels else None

    @property
    def then(self) -> Readers | None:
        return self.levels[1] if len(self.levels) > 1 else None
