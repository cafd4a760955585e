"""Complaint notices and updates: what staff and members read about a ticket."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from content.texts import Html, t
from storage.complaints import Ticket, TicketEvent
from storage.models.complaints import AttachmentKind, ComplaintStatus
from timekeeping.timefmt import format_datetime
from views.keyboards import button, rows
from views.split import LIMIT, split_html, visible_length

FILE_ICONS = {AttachmentKind.PHOTO: "🖼", AttachmentKind.VOICE: "🎤", AttachmentKind.DOCUMENT: "📄"}


def category_name(lang: str, ticket_or_value: Ticket | str) -> str:
    value = (
        ticket_or_value.category.value if isinstance(ticket_or_value, Ticket) else ticket_or_value
    )
    return t(lang, f"complaints.category.{value}")


def status_name(lang: str, status: ComplaintStatus) -> str:
    return t(lang, f"complaints.status.{status.value}")


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
        status=status_name(lang, ticket.status),
        filed=format_datetime(ticket.created_at, ticket.timezone, lang),
        anonymous=t(
            lang,
            "complaints.anonymous_yes" if ticket.discuss_anonymously else "complaints.anonymous_no",
        ),
        files=Html(files_line(lang, ticket)),
        text=ticket.member_text,
    )


def staff_markup(lang: str, ticket: Ticket, *, coordinator: bool = False) -> InlineKeyboardMarkup:
    tid = ticket.id
    first = [button(t(lang, "complaints.buttons.reply"), "klp", tid)]
    first.append(button(t(lang, "complaints.buttons.status"), "klt", tid))
    second = []
    if ticket.files:
        second.append(
            button(t(lang, "complaints.buttons.files", count=len(ticket.files)), "kle", tid)
        )
    second.append(button(t(lang, "complaints.buttons.history"), "klh", tid))
    third = [] if coordinator else [button(t(lang, "complaints.buttons.forward"), "klf", tid)]
    return rows(first, second, third)


def member_markup(lang: str, ticket: Ticket) -> InlineKeyboardMarkup:
    tid = ticket.id
    if ticket.status is ComplaintStatus.RESOLVED:
        return rows(
            [button(t(lang, "complaints.buttons.solved"), "klok", tid)],
            [button(t(lang, "complaints.buttons.not_solved"), "klre", tid)],
        )
    if ticket.status is ComplaintStatus.REJECTED:
        return rows(
            [button(t(lang, "complaints.buttons.not_solved"), "klre", tid)],
            [button(t(lang, "complaints.buttons.view"), "klv", tid)],
        )
    if ticket.is_open:
        return rows(
            [button(t(lang, "complaints.buttons.add_more"), "kld", tid)],
            [button(t(lang, "complaints.buttons.view"), "klv", tid)],
        )
    return rows([button(t(lang, "complaints.buttons.view"), "klv", tid)])


def event_line(lang: str, event: TicketEvent, tz: str) -> str:
    """One history line: when, who, what."""
    what = t(lang, f"complaints.event.{event.action}")
    if event.status is not None and event.action == "status":
        what = f"{what}: {status_name(lang, event.status)}"
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
        return t(
            lang,
            "complaints.update.reply",
            name=ticket.facilitator_name,
            text=event.message_text or "",
        )
    if event.action == "forwarded":
        return t(lang, "complaints.update.forwarded")
    status = event.status or ticket.status
    if status is ComplaintStatus.RESOLVED:
        return t(lang, "complaints.update.resolved")
    if status is ComplaintStatus.REJECTED:
        return t(lang, "complaints.update.rejected", reason=event.detail or "-")
    return t(lang, "complaints.update.status", status=status_name(lang, status))
