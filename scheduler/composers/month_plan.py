"""The monthly proposal of meetings, composed when due from the rules as they are then."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message

from scheduler.message import AfterSent, ComposeContext, Outgoing, Skip, Text
from scheduler.recipients import private_recipient_language
from scheduler.registry import composer
from storage.deliveries import DueDelivery
from storage.deliveries.delivery_kinds import DeliveryKind
from storage.meetings import recurring
from views import month_plan
from views.split import split_html


def _plan_the_next(person_id: int, context: ComposeContext) -> AfterSent:
    """Once this month's proposal is out, the next month's is written as a due delivery."""

    async def after(session: AsyncSession, message: Message) -> None:
        await recurring.enqueue_next_proposal(session, person_id, context.now)

    return after


@composer(DeliveryKind.MONTH_PLAN)
async def month_proposal(context: ComposeContext, delivery: DueDelivery) -> Outgoing:
    if delivery.person_id is None:
        return Skip("no facilitator")
    language = await private_recipient_language(context, delivery)
    if isinstance(language, Skip):
        return language
    month = int(delivery.payload.get("month", 0))
    proposal = await recurring.proposal_for(context.db, delivery.person_id, month, language)
    if not proposal.ready:
        # No rules left, or every group already scheduled by hand: nothing to propose.
        return Skip("nothing to propose")
    screen = month_plan.proposal(proposal, language)
    return Text(
        split_html(screen.text), screen.keyboard, after=_plan_the_next(delivery.person_id, context)
    )
