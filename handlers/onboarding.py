"""Deep links: /start <token> makes a facilitator, a member or a chair."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from content.texts import Html
from handlers import complaints
from handlers.base import Request, action, on_button
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.steps import text_step
from language import names
from storage import invites, onboarding
from storage.invites import InviteError, InviteProblem
from storage.models import InviteKind
from storage.onboarding import Joined, JoinOffer
from views.keyboards import button, column, rows

NAMES_SHOWN = 8
JOIN_PICK = "join"
SEARCH, TYPE = "search", "type"  # typing to find oneself on the roster, or one's full name


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
    await _show_offer(request, offer)


def _role(request: Request, offer: JoinOffer) -> str:
    return request.t("roles.chair") if offer.as_chair else request.t("roles.member")


def _cancel_row(request: Request) -> list[InlineKeyboardButton]:
    return [button(request.t("buttons.cancel"), "x")]


async def _show_offer(request: Request, offer: JoinOffer) -> None:
    """Ask for the name first: the roster is never listed to whoever holds the link."""
    t = request.t
    if offer.unclaimed:
        await request.expect(JOIN_PICK, {"token": offer.token, "mode": SEARCH})
        intro = t("onboarding.role_intro", group=offer.group.name, role=_role(request, offer))
        text = t("onboarding.search_name", role_intro=Html(intro))
    else:
        await request.expect(JOIN_PICK, {"token": offer.token, "mode": TYPE})
        text = t("onboarding.type_name", group=offer.group.name, role=_role(request, offer))
    if offer.already_member is not None:
        text = t("onboarding.already_member", name=offer.already_member.name) + "\n\n" + text
    await request.show(text, rows(_cancel_row(request)))


def _join_token(request: Request) -> str | None:
    if request.pending.awaiting != JOIN_PICK:
        return None
    token = request.pending.draft.get("token")
    return token if isinstance(token, str) else None


@action()
async def join_page(request: Request) -> None:
    """An old paging button (names were once listed): ask for the name instead."""
    token = _join_token(request)
    if token is None:
        await request.refuse("errors.stale_button")
        return
    offer = await onboarding.open_join(
        request.data.db, request.actor, token, request.data.clock.now()
    )
    await _show_offer(request, offer)


@action()
async def join_pick(request: Request) -> None:
    """The person tapped her name among those matching what she typed."""
    token = _join_token(request)
    assert request.callback is not None
    member_id = request.callback.arg(0)
    # Only a name the bot showed her can be picked: ids are not a way around the search.
    if token is None or member_id not in request.pending.draft.get("shown", []):
        await request.refuse("errors.stale_button")
        return
    joined = await onboarding.claim_member(
        request.data.db, request.actor, token, member_id, request.data.clock.now()
    )
    await _welcome(request, joined)


@action()
async def join_not_listed(request: Request) -> None:
    """The name is not on the roster: ask her to type it in full."""
    token = _join_token(request)
    if token is None:
        await request.refuse("errors.stale_button")
        return
    await request.expect(JOIN_PICK, {"token": token, "mode": TYPE})
    await request.show(request.t("onboarding.type_name_short"), rows(_cancel_row(request)))


@text_step(JOIN_PICK)
async def join_typed_name(request: Request) -> None:
    """The typed name while joining: a search of the roster, or the name to add."""
    token = _join_token(request)
    assert token is not None
    db, now = request.data.db, request.data.clock.now()
    offer = await onboarding.open_join(db, request.actor, token, now)
    if request.pending.draft.get("mode") == TYPE or not offer.unclaimed:
        joined = await onboarding.join_with_name(db, request.actor, token, request.text, now)
        await _welcome(request, joined)
        return
    query = request.text
    exact = [m for m in offer.unclaimed if names.same_name(query, m.name)]
    if len(exact) == 1:
        # She typed her whole name as the roster has it: nothing to choose.
        await _welcome(
            request, await onboarding.claim_member(db, request.actor, token, exact[0].id, now)
        )
        return
    if not names.query_ok(query):
        await request.show(request.t("onboarding.search_too_short"), rows(_cancel_row(request)))
        return
    found = [m for m in offer.unclaimed if names.matches(query, m.name)][:NAMES_SHOWN]
    await request.expect(
        JOIN_PICK, {"token": token, "mode": SEARCH, "shown": [m.id for m in found]}
    )
    not_listed = [button(request.t("buttons.not_listed"), "jn")]
    if not found:
        await request.show(
            request.t("onboarding.search_none", query=query[:40]),
            rows(not_listed, _cancel_row(request)),
        )
        return
    labels = [names.short_name(m.name) for m in found]
    numbered = [
        f"{label} ({labels[:index].count(label) + 1})" if labels.count(label) > 1 else label
        for index, label in enumerate(labels)
    ]
    buttons = [button(label, "jp", m.id) for label, m in zip(numbered, found, strict=True)]
    await request.show(
        request.t("onboarding.search_results", query=query[:40]),
        rows(*column(buttons, 2), not_listed, _cancel_row(request)),
    )


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
