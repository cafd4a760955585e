"""Deep links: /start <token> makes a facilitator, a member or a chair."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from handlers import complaints
from handlers.base import Request, action, on_button
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.steps import text_step
from storage import invites, onboarding
from storage.invites import InviteError, InviteProblem
from storage.models import InviteKind
from storage.onboarding import Joined, JoinOffer
from views.keyboards import button, column, page_slice, rows

NAMES_PER_PAGE = 8
JOIN_PICK = "join"


@action()
async def start(request: Request) -> None:
    """/start: open an invite link if one came with it, else show the menu."""
    token = request.args[0] if request.args else ""
    if not token:
        text, markup = main_menu(request)
        await request.say(text, markup)
        return
    if token == complaints.START_PAYLOAD:
        # The button under /keluhan in a group chat opens the intake here.
        await complaints.start_intake(request)
        return
    db, now = request.data.db, request.data.clock.now()
    async with db.begin() as session:
        invite = await invites.check(session, token, now)
        kind = invite.kind
    if kind is InviteKind.FACILITATOR:
        await onboarding.accept_facilitator(db, request.actor, token, now)
        await request.reload()
        text, markup = main_menu(request)
        await request.say(request.t("onboarding.facilitator_welcome") + "\n\n" + text, markup)
        return
    if kind is InviteKind.GROUP_CHAT:
        raise InviteError(InviteProblem.WRONG_KIND)
    offer = await onboarding.open_join(db, request.actor, token, now)
    await _show_offer(request, offer, page=0)


def _offer_view(request: Request, offer: JoinOffer, page: int) -> tuple[str, InlineKeyboardMarkup]:
    t = request.t
    role = t("roles.chair") if offer.as_chair else t("roles.member")
    if not offer.unclaimed:
        return t("onboarding.type_name", group=offer.group.name, role=role), rows(
            [button(t("buttons.cancel"), "x")]
        )
    page, start, end = page_slice(len(offer.unclaimed), page, NAMES_PER_PAGE)
    names = [button(m.name, "jp", m.id) for m in offer.unclaimed[start:end]]
    paging = []
    if start > 0:
        paging.append(button("◀️", "jpg", page - 1))
    if end < len(offer.unclaimed):
        paging.append(button("▶️", "jpg", page + 1))
    return t("onboarding.pick_name", group=offer.group.name, role=role), rows(
        *column(names, 2),
        paging,
        [button(t("buttons.not_listed"), "jn")],
        [button(t("buttons.cancel"), "x")],
    )


async def _show_offer(request: Request, offer: JoinOffer, page: int) -> None:
    await request.expect(JOIN_PICK, {"token": offer.token, "page": page})
    text, markup = _offer_view(request, offer, page)
    if offer.already_member is not None:
        text = (
            request.t("onboarding.already_member", name=offer.already_member.name) + "\n\n" + text
        )
    await request.show(text, markup)


def _join_token(request: Request) -> str | None:
    if request.pending.awaiting != JOIN_PICK:
        return None
    token = request.pending.draft.get("token")
    return token if isinstance(token, str) else None


@action()
async def join_page(request: Request) -> None:
    """Page through the roster names."""
    token = _join_token(request)
    assert request.callback is not None
    if token is None:
        await request.refuse("errors.stale_button")
        return
    offer = await onboarding.open_join(
        request.data.db, request.actor, token, request.data.clock.now()
    )
    await _show_offer(request, offer, request.callback.arg(0))


@action()
async def join_pick(request: Request) -> None:
    """The person tapped their name on the roster."""
    token = _join_token(request)
    assert request.callback is not None
    if token is None:
        await request.refuse("errors.stale_button")
        return
    joined = await onboarding.claim_member(
        request.data.db, request.actor, token, request.callback.arg(0), request.data.clock.now()
    )
    await _welcome(request, joined)


@action()
async def join_not_listed(request: Request) -> None:
    """The name is not on the roster: ask them to type it."""
    token = _join_token(request)
    if token is None:
        await request.refuse("errors.stale_button")
        return
    await request.show(
        request.t("onboarding.type_name_short"), rows([button(request.t("buttons.cancel"), "x")])
    )


@text_step(JOIN_PICK)
async def join_typed_name(request: Request) -> None:
    """The typed name while joining (routed from free text)."""
    token = _join_token(request)
    assert token is not None
    joined = await onboarding.join_with_name(
        request.data.db, request.actor, token, request.text, request.data.clock.now()
    )
    await _welcome(request, joined)


async def _welcome(request: Request, joined: Joined) -> None:
    await request.expect(None)
    await request.reload()
    key = "onboarding.chair_welcome" if joined.as_chair else "onboarding.member_welcome"
    text, markup = main_menu(request)
    await request.show(
        request.t(key, name=joined.member.name, group=joined.group.name) + "\n\n" + text, markup
    )


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler("start", start, filters=filters.ChatType.PRIVATE),
        on_button("jpg", join_page),
        on_button("jp", join_pick),
        on_button("jn", join_not_listed),
    ]
