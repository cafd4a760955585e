"""Complaint messages: the facilitator's notice, the member's updates, the coordinators' escalation.

Each is composed at send time from the ticket as it is then: an escalation due after the SLA
is skipped when someone acknowledged the ticket in the meantime. A protected complaint
(about the facilitator, the chair, or cuts from the aid) is told to the coordinators at once
and is never composed for the facilitator, whatever a delivery row says."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message

from content.texts import t
from scheduler.message import AfterSent, ComposeContext, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage import complaints
from storage.complaints import Ticket, TicketEvent
from storage.deliveries import DueDelivery
from storage.models.complaints import ComplaintStatus
from views.complaints import (
    category_name,
    header,
    member_markup,
    member_update_text,
    staff_body,
    staff_markup,
    with_header,
)


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
    if ticket.protected:
        return Skip("protected: for the coordinators only")
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
    to_coordinator = bool(delivery.payload.get("coordinator"))
    if ticket.protected and not to_coordinator:
        return Skip("protected: for the coordinators only")
    markup = (
        staff_markup(lang, ticket, coordinator=to_coordinator)
        if ticket.status is not ComplaintStatus.CLOSED
        else None
    )
    return Text(with_header(header(lang, ticket), body), markup)


@composer(complaints.PROTECTED_KIND)
async def complaint_protected(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    """To the nearest coordinators who can be reached (the Korkab first), at once: a complaint
    that may be about the facilitator or the chair."""
    found = await _ticket_for(context, delivery)
    if isinstance(found, Skip):
        return found
    lang, ticket = found
    intro = t(
        lang,
        "complaints.protected_intro",
        category=category_name(lang, ticket),
        facilitator=ticket.facilitator_name,
    )
    body = intro + "\n" + staff_body(lang, ticket)
    return Text(
        with_header(header(lang, ticket), body), staff_markup(lang, ticket, coordinator=True)
    )


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
    """To the next level up (storage/complaints/routing.py): unanswered after the SLA (skipped
    if answered since), forwarded by the pendamping, or at once because nobody below could be
    reached (payload "climbed"). The level above the top area (payload "above") gets no
    buttons: it acts through the coordinators."""
    found = await _ticket_for(context, delivery)
    if isinstance(found, Skip):
        return found
    lang, ticket = found
    forwarded = bool(delivery.payload.get("forwarded"))
    above = bool(delivery.payload.get("above"))
    climbed = bool(delivery.payload.get("climbed"))
    level = delivery.payload.get("level")
    if not forwarded and not climbed and ticket.acknowledged_at is not None:
        return Skip("acknowledged in time")
    if not ticket.is_open:
        return Skip("no longer open")
    if (
        not forwarded
        and not climbed
        and isinstance(level, str)
        and not await complaints.still_at_level(
            context.db,
            ticket.id,
            level,
            delivery.person_id,
            delivery.chat_id,
            context.settings.complaint_escalation_ids,
        )
    ):
        # Rows queued at the filing by the code before the climb steps (still in databases
        # filed then) name their readers of every level: whether she still reads it is
        # decided now. A climb step's rows are due when written: this holds for them.
        return Skip("no longer reached at this level")
    if forwarded:
        intro_key = "complaints.forwarded_intro"
    elif climbed and above:
        intro_key = "complaints.climbed_above_intro"
    elif climbed:
        intro_key = "complaints.climbed_intro"
    elif above:
        intro_key = "complaints.escalation_above_intro"
    elif ticket.protected:
        intro_key = "complaints.escalation_protected_intro"
    elif level in ("korwil", "whole") and ticket.escalated_at is not None:
        intro_key = "complaints.escalation_higher_intro"  # a level below was told already
    else:
        intro_key = "complaints.escalation_intro"
    intro = t(lang, intro_key, facilitator=ticket.facilitator_name)
    body = intro + "\n" + staff_body(lang, ticket)
    after = (
        None
        if forwarded or climbed
        else _escalated(ticket.id, context.now, level if isinstance(level, str) else None)
    )
    markup = None if above else staff_markup(lang, ticket, coordinator=True)
    return Text(with_header(header(lang, ticket), body), markup, after)


@composer(complaints.CLIMB_KIND)
async def complaint_climb(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    """One step of an unanswered complaint's climb (storage/complaints/climbing.py): sends
    nothing itself; queues the escalations of the next level up that can be reached now,
    and the next step. What it did is the skip's reason."""
    complaint_id = delivery.payload.get("complaint_id")
    step = delivery.payload.get("step")
    told = complaints.Level.named(delivery.payload.get("told"))
    if not isinstance(complaint_id, int) or not isinstance(step, int) or told is None:
        return Skip("no climb in payload")
    done = await complaints.climb_step(
        context.db,
        complaint_id,
        told,
        step,
        context.now,
        context.settings.complaint_sla,
        context.settings.complaint_escalation_ids,
    )
    return Skip(f"climb: {done}")


def _escalated(complaint_id: int, now: datetime, level: str | None) -> AfterSent:
    async def after(session: AsyncSession, message: Message) -> None:
        await complaints.record_escalation(session, complaint_id, now, level)

    return after
