"""Complaint messages: the facilitator's notice, the member's updates, the coordinators' escalation.

Each is composed at send time from the ticket as it is then: an escalation due after the SLA
is skipped when someone acknowledged the ticket in the meantime."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message

from bot.keyboards import button, rows
from bot.outbox.message import AfterSent, ComposeContext, Outgoing, Skip, Text
from bot.outbox.recipients import private_recipient_language
from bot.outbox.registry import composer
from bot.outbox.split import LIMIT, split_html
from bot.timefmt import format_datetime
from content.texts import Html, t
from storage import complaints
from storage.complaints import Ticket, TicketEvent
from storage.deliveries import DueDelivery
from storage.models_complaints import AttachmentKind, ComplaintStatus

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
    if len(whole) <= LIMIT:
        return (whole,)
    parts = split_html(body, LIMIT - len(head) - 16)
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


async def _ticket_for(context: ComposeContext, delivery: DueDelivery) -> tuple[str, Ticket] | Skip:
    lang = await private_recipient_language(context, delivery)
    if isinstance(lang, Skip):
        return lang
    complaint_id = delivery.payload.get("complaint_id")
    if not isinstance(complaint_id, int):
        return Skip("no complaint in payload")
    ticket = await complaints.load_ticket(context.db, complaint_id)
    if ticket is None:
        return Skip("complaint gone")
    return lang, ticket


async def _ticket_and_event(
    context: ComposeContext, delivery: DueDelivery
) -> tuple[str, Ticket, TicketEvent] | Skip:
    """The ticket and the step on it (payload "event_id") the delivery is about."""
    found = await _ticket_for(context, delivery)
    if isinstance(found, Skip):
        return found
    lang, ticket = found
    event_id = delivery.payload.get("event_id")
    event = await complaints.load_event(context.db, event_id) if isinstance(event_id, int) else None
    if event is None:
        return Skip("event gone")
    return lang, ticket, event


@composer(complaints.NEW_KIND)
async def complaint_new(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    found = await _ticket_for(context, delivery)
    if isinstance(found, Skip):
        return found
    lang, ticket = found
    if delivery.person_id != ticket.facilitator_id:
        return Skip("handed over to another facilitator")
    body = t(lang, "complaints.new_intro") + "\n" + staff_body(lang, ticket)
    return Text(with_header(header(lang, ticket), body), staff_markup(lang, ticket))


@composer(complaints.MORE_KIND)
async def complaint_more(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    """The member added to the ticket, closed it or reopened it."""
    found = await _ticket_and_event(context, delivery)
    if isinstance(found, Skip):
        return found
    lang, ticket, event = found
    if event.action == "added":
        added = event.message_text or t(lang, "complaints.added_file")
        body = t(lang, "complaints.more_intro", member=ticket.member_name, text=added)
    else:
        body = t(lang, f"complaints.member_{event.action}", member=ticket.member_name)
    markup = staff_markup(lang, ticket) if ticket.status is not ComplaintStatus.CLOSED else None
    return Text(with_header(header(lang, ticket), body), markup)


@composer(complaints.UPDATE_KIND)
async def complaint_update(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    """Tell the member about a reply or a status change."""
    found = await _ticket_and_event(context, delivery)
    if isinstance(found, Skip):
        return found
    lang, ticket, event = found
    body = member_update_text(lang, ticket, event)
    # The buttons fit the ticket as it is now, not as it was at the event.
    return Text(with_header(header(lang, ticket), body), member_markup(lang, ticket))


@composer(complaints.ESCALATION_KIND)
async def complaint_escalation(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    """To a coordinator: unanswered after the SLA (skipped if answered since), or forwarded."""
    found = await _ticket_for(context, delivery)
    if isinstance(found, Skip):
        return found
    lang, ticket = found
    forwarded = bool(delivery.payload.get("forwarded"))
    if not forwarded and ticket.acknowledged_at is not None:
        return Skip("acknowledged in time")
    if not ticket.is_open:
        return Skip("no longer open")
    intro_key = "complaints.forwarded_intro" if forwarded else "complaints.escalation_intro"
    intro = t(lang, intro_key, facilitator=ticket.facilitator_name)
    body = intro + "\n" + staff_body(lang, ticket)
    after = None if forwarded else _escalated(ticket.id, context.now)
    return Text(
        with_header(header(lang, ticket), body),
        staff_markup(lang, ticket, coordinator=True),
        after,
    )


def _escalated(complaint_id: int, now: datetime) -> AfterSent:
    async def after(session: AsyncSession, message: Message) -> None:
        await complaints.record_escalation(session, complaint_id, now)

    return after
