"""Complaint notices and updates: what staff and members read about a ticket."""

from __future__ import annotations

from datetime import timedelta

from babel.units import format_unit

from content.texts import Html, t
from storage.complaints import Ticket, TicketEvent
from storage.complaints.constants import is_protected
from storage.complaints.views import Level, Readers, Route, TicketMessage
from storage.models.complaints import AttachmentKind, ComplaintCategory, ComplaintStatus
from timekeeping.timefmt import format_datetime
from views.buttons import (
    ADD_MORE,
    ASK_REPLY,
    COMPLAINT_FILES,
    COMPLAINT_FORWARD,
    COMPLAINT_HISTORY,
    REOPEN,
    SOLVED,
    STATUS_MENU,
    VIEW_TICKET,
)
from views.keyboards import Keyboard, button, rows
from views.screen import Attachment, FileKind, Screen, TextFormat
from views.split import LIMIT, split_html, visible_length

FILE_ICONS = {AttachmentKind.PHOTO: "🖼", AttachmentKind.VOICE: "🎤", AttachmentKind.DOCUMENT: "📄"}


def category_name(lang: str, ticket_or_value: Ticket | str) -> str:
    value = (
        ticket_or_value.category.value if isinstance(ticket_or_value, Ticket) else ticket_or_value
    )
    return t(lang, f"complaints.category.{value}")


# Status words say what happened, not a verdict on the claim: "diterima" read as "your aid is
# approved", "ditolak" as "your aid is refused". A protected complaint is read by coordinators.
_BY_COORDINATORS = (ComplaintStatus.RECEIVED, ComplaintStatus.REJECTED)


def status_name(lang: str, status: ComplaintStatus, protected: bool = False) -> str:
    if protected and status in _BY_COORDINATORS:
        return t(lang, f"complaints.status_coordinators.{status.value}")
    return t(lang, f"complaints.status.{status.value}")


def ticket_status(lang: str, ticket: Ticket) -> str:
    return status_name(lang, ticket.status, ticket.by_coordinators)


_UNITS = (
    (timedelta(days=1), "duration-day"),
    (timedelta(hours=1), "duration-hour"),
    (timedelta(minutes=1), "duration-minute"),
)


def duration(lang: str, span: timedelta) -> str:
    """A setting's span ("3 hari", "36 jam") in the largest unit that states it exactly, so a
    promise of "3 hari" never stands for 60 hours; the words come from Babel."""
    for unit, name in _UNITS:
        if span >= unit and span % unit == timedelta(0):
            return format_unit(span // unit, name, locale=lang, length="long")
    return format_unit(max(1, round(span.total_seconds())), "duration-second", locale=lang)


def handler_name(lang: str, ticket: Ticket) -> str:
    """Who handles the ticket, as the member reads it on the card."""
    if ticket.protected:
        return t(lang, "complaints.handler_coordinators")
    return ticket.facilitator_name


def level_phrase(lang: str, readers: Readers | None) -> str:
    """Who reads at one level, by role and area: "pendamping Bu Rina", "koordinator PKH Kota
    Banjar", "koordinator wilayah PKH Jawa Barat"."""
    if readers is None:
        return Html(t(lang, "complaints.level.nobody"))
    return Html(t(lang, f"complaints.level.{readers.level.key}", names=", ".join(readers.names)))


def readers(
    lang: str,
    category: ComplaintCategory,
    facilitator: str,
    sla: timedelta,
    found: Route,
) -> str:
    """Who will read the complaint if it is sent now, from the routing rule itself: the level
    told at once, the one it climbs to after the SLA, and the truth when nobody can be
    reached (with the channels outside the bot)."""
    if found.first is None:
        key = (
            "complaints.route_nobody_protected"
            if is_protected(category)
            else "complaints.route_nobody"
        )
        return t(lang, key, facilitator=facilitator, channels=Html(channels(lang)))
    lines = [t(lang, "complaints.route_title")]
    protected = is_protected(category)
    if not protected and found.first.level is not Level.PENDAMPING:
        lines.append(t(lang, "complaints.route_skipped", facilitator=facilitator))
    lines.append(t(lang, "complaints.route_now", who=level_phrase(lang, found.first)))
    if found.then is not None:
        key = (
            "complaints.route_then_forwarded"
            if found.first.level is Level.PENDAMPING
            else "complaints.route_then"
        )
        lines.append(t(lang, key, who=level_phrase(lang, found.then), sla=duration(lang, sla)))
    elif found.first.level is not Level.PENDAMPING:
        lines.append(t(lang, "complaints.route_reminded", sla=duration(lang, sla)))
    lines.append(
        t(lang, "complaints.route_protected", facilitator=facilitator)
        if protected
        else t(lang, "complaints.route_ordinary")
    )
    return "\n".join(lines)


def sent_text(lang: str, ticket: Ticket, found: Route, sla: timedelta) -> str:
    """After sending: who was told now and who comes next, or the truth that nobody could be
    told and where else to go."""
    if found.first is None:
        key = "complaints.sent_nobody_protected" if ticket.protected else "complaints.sent_nobody"
        return t(lang, key, number=ticket.number, channels=Html(channels(lang)))
    notes = []
    if not ticket.protected and found.first.level is not Level.PENDAMPING:
        notes.append(t(lang, "complaints.route_skipped", facilitator=ticket.facilitator_name))
    if ticket.protected:
        notes.append(t(lang, "complaints.sent_protected_note"))
    if found.then is not None:
        key = (
            "complaints.sent_next_forwarded"
            if found.first.level is Level.PENDAMPING
            else "complaints.sent_next"
        )
        notes.append(t(lang, key, who=level_phrase(lang, found.then), sla=duration(lang, sla)))
    return t(
        lang,
        "complaints.sent_to",
        who=level_phrase(lang, found.first),
        number=ticket.number,
        notes=Html("".join(note + "\n" for note in notes)),
    )


def channels(lang: str) -> str:
    """The programme's own channels outside the bot (the texts cite their public sources)."""
    keys = (
        "complaints.channels_title",
        "complaints.channel_171",
        "complaints.channel_lapor",
        "complaints.channel_sapa",
    )
    return "\n".join(t(lang, key) for key in keys)


def header(lang: str, ticket: Ticket) -> str:
    return t(lang, "complaints.header", number=ticket.number, group=ticket.group_name)


def with_header(head: str, body: str) -> tuple[str, ...]:
    """The body split to fit, the header on every part so each can be read alone."""
    whole = f"{head}\n\n{body}"
    if visible_length(whole) <= LIMIT:
        return (whole,)
    # Room for the header, " (12/34)" and the blank line on every part.
    parts = split_html(body, LIMIT - visible_length(head) - 16)
    return tuple(
        f"{head} ({index}/{len(parts)})\n\n{part}" for index, part in enumerate(parts, start=1)
    )


def files_line(lang: str, ticket: Ticket) -> str:
    files = ticket.files
    if not files:
        return t(lang, "complaints.no_files")
    return t(
        lang,
        "complaints.files",
        icons=" ".join(FILE_ICONS[f.kind] for f in files),
        count=len(files),
    )


def staff_body(lang: str, ticket: Ticket) -> str:
    """Everything the facilitator needs, the member's full text last."""
    return t(
        lang,
        "complaints.staff_body",
        member=ticket.member_name,
        category=category_name(lang, ticket),
        status=ticket_status(lang, ticket),
        filed=format_datetime(ticket.created_at, ticket.timezone, lang),
        anonymous=t(
            lang,
            "complaints.anonymous_yes" if ticket.discuss_anonymously else "complaints.anonymous_no",
        ),
        files=Html(files_line(lang, ticket)),
        text=ticket.member_text,
    )


def staff_markup(lang: str, ticket: Ticket, *, coordinator: bool = False) -> Keyboard:
    tid = ticket.id
    first = [button(t(lang, "complaints.buttons.reply"), ASK_REPLY, tid)]
    first.append(button(t(lang, "complaints.buttons.status"), STATUS_MENU, tid))
    second = []
    if ticket.files:
        second.append(
            button(
                t(lang, "complaints.buttons.files", count=len(ticket.files)), COMPLAINT_FILES, tid
            )
        )
    second.append(button(t(lang, "complaints.buttons.history"), COMPLAINT_HISTORY, tid))
    forwardable = not coordinator and not ticket.protected
    third = (
        [button(t(lang, "complaints.buttons.forward"), COMPLAINT_FORWARD, tid)]
        if forwardable
        else []
    )
    return rows(first, second, third)


def member_markup(lang: str, ticket: Ticket) -> Keyboard:
    tid = ticket.id
    if ticket.status is ComplaintStatus.RESOLVED:
        return rows(
            [button(t(lang, "complaints.buttons.solved"), SOLVED, tid)],
            [button(t(lang, "complaints.buttons.not_solved"), REOPEN, tid)],
        )
    if ticket.status is ComplaintStatus.REJECTED:
        return rows(
            [button(t(lang, "complaints.buttons.not_solved"), REOPEN, tid)],
            [button(t(lang, "complaints.buttons.view"), VIEW_TICKET, tid)],
        )
    if ticket.is_open:
        return rows(
            [button(t(lang, "complaints.buttons.add_more"), ADD_MORE, tid)],
            [button(t(lang, "complaints.buttons.view"), VIEW_TICKET, tid)],
        )
    return rows([button(t(lang, "complaints.buttons.view"), VIEW_TICKET, tid)])


def event_line(lang: str, event: TicketEvent, tz: str, protected: bool = False) -> str:
    """One history line: when, who, what."""
    what = t(lang, f"complaints.event.{event.action}")
    if event.status is not None and event.action == "status":
        by_coordinators = protected or event.by_coordinator
        what = f"{what}: {status_name(lang, event.status, by_coordinators)}"
    extra = event.detail or ""
    return t(
        lang,
        "complaints.history_line",
        at=format_datetime(event.at, tz, lang),
        who=event.actor_name or t(lang, "complaints.system"),
        what=what,
        extra=f" — {extra}" if extra else "",
    )


def member_update_text(lang: str, ticket: Ticket, event: TicketEvent) -> str:
    """What the member is told about one step on their ticket."""
    if event.action == "reply":
        # The name of whoever answered: on a protected complaint a coordinator, and the member
        # must never read the facilitator's name there as if the facilitator had seen it.
        name = event.actor_name or handler_name(lang, ticket)
        return t(lang, "complaints.update.reply", name=name, text=event.message_text or "")
    if event.action == "forwarded":
        return t(lang, "complaints.update.forwarded")
    status = event.status or ticket.status
    by_coordinators = ticket.protected or event.by_coordinator
    if status is ComplaintStatus.RESOLVED:
        return t(lang, "complaints.update.resolved")
    if status is ComplaintStatus.REJECTED:
        key = (
            "complaints.update.rejected_coordinators"
            if by_coordinators
            else "complaints.update.rejected"
        )
        return t(lang, key, reason=event.detail or "-", channels=Html(channels(lang)))
    return t(lang, "complaints.update.status", status=status_name(lang, status, by_coordinators))


_FILE_KINDS = {AttachmentKind.PHOTO: FileKind.PHOTO, AttachmentKind.VOICE: FileKind.VOICE}


def ticket_file(ticket: Ticket, item: TicketMessage) -> Screen:
    """One of the ticket's files, sent again with its number and author as a plain caption
    (the author's name is theirs, not HTML)."""
    assert item.file_id is not None
    kind = _FILE_KINDS.get(item.kind, FileKind.DOCUMENT)
    return Screen(
        f"{ticket.number} · {item.author_name}",
        format=TextFormat.PLAIN,
        attachment=Attachment(kind, file_id=item.file_id),
    )
