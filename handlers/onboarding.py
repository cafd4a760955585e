"""Deep links: /start <token> makes a facilitator or a Korkab, or starts joining as a member
or chair.

Joining is confirmed (storage/joining/__init__.py): she finds her name, then proves it with the last
digits of her number or waits for the chair's or the facilitator's answer."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from content.texts import Html
from handlers import complaints
from handlers.base import Request, action, on_button
from handlers.context import BotContext
from handlers.menu import main_menu
from handlers.steps import text_step
from storage import joining
from storage.groups import invites
from storage.groups.invites import InviteError, InviteProblem
from storage.joining import Asked, Found, onboarding, staff_invites
from storage.joining.onboarding import Joined, JoinOffer
from storage.models import InviteKind, StaffRole
from views.buttons import JOIN_NO_NUMBER, JOIN_NOT_LISTED, JOIN_PAGE, JOIN_PICK_NAME, MENU_CANCEL
from views.keyboards import Key, Keyboard, button, column, rows
from views.screen import Screen

JOIN_PICK = "join"
JOIN_DIGITS = "join_digits"
SEARCH, TYPE = "search", "type"  # typing to find oneself on the roster, or one's full name


@action()
async def start(request: Request) -> None:
    """/start: open an invite link if one came with it, else show the menu."""
    token = request.args[0] if request.args else ""
    if not token:
        await request.say(main_menu(request))
        return
    if token == complaints.START_PAYLOAD:
        # The button under /keluhan in a group chat opens the intake here.
        await complaints.start_intake(request)
        return
    db, now = request.data.db, request.data.clock.now()
    async with db.begin() as session:
        invite = await invites.check(session, token, now)
        kind = invite.kind
    if kind in (InviteKind.FACILITATOR, InviteKind.COORDINATOR):
        accepted = await staff_invites.accept(db, request.actor, token, now)
        await request.reload()
        welcome = request.t(
            "onboarding.coordinator_welcome"
            if accepted.role is StaffRole.COORDINATOR
            else "onboarding.facilitator_welcome"
        )
        if accepted.area is not None:
            welcome += "\n" + request.t("onboarding.staff_area", area=accepted.area.label)
        await request.say(main_menu(request).above(welcome))
        return
    if kind is InviteKind.GROUP_CHAT:
        raise InviteError(InviteProblem.WRONG_KIND)
    offer = await onboarding.open_join(db, request.actor, token, now)
    await _show_offer(request, offer)


def _role(request: Request, offer: JoinOffer) -> str:
    return request.t("roles.chair") if offer.as_chair else request.t("roles.member")


def _cancel_row(request: Request) -> list[Key]:
    return [button(request.t("buttons.cancel"), MENU_CANCEL)]


async def _show_offer(request: Request, offer: JoinOffer) -> None:
    """Ask for the name first: the roster is never listed to whoever holds the link."""
    t = request.t
    if offer.waiting:
        await request.expect(None)
        await request.show(Screen(t("joining.still_waiting", group=offer.group.name)))
        return
    if offer.has_roster:
        await request.expect(JOIN_PICK, {"token": offer.token, "mode": SEARCH})
        intro = t("onboarding.role_intro", group=offer.group.name, role=_role(request, offer))
        text = t("onboarding.search_name", role_intro=Html(intro))
    else:
        await request.expect(JOIN_PICK, {"token": offer.token, "mode": TYPE})
        text = t("onboarding.type_name", group=offer.group.name, role=_role(request, offer))
    if offer.already_member is not None:
        text = t("onboarding.already_member", name=offer.already_member.name) + "\n\n" + text
    await request.show(Screen(text, rows(_cancel_row(request))))


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
    """The person tapped her name among those matching what she typed: now she proves it."""
    token = _join_token(request)
    member_id = request.pressed["choice"]
    # Only a name the bot showed her can be picked: ids are not a way around the search.
    if token is None or member_id not in request.pending.draft.get("shown", []):
        await request.refuse("errors.stale_button")
        return
    step = await joining.choose(
        request.data.db, request.actor, token, member_id, request.data.clock.now()
    )
    await _next_step(request, step)


async def _next_step(request: Request, step: joining.Step) -> None:
    """Ask for the digits, or say whom she waits for (and nothing of the group yet)."""
    t = request.t
    if step.asked is Asked.DIGITS:
        await request.expect(JOIN_DIGITS, {"request": step.request_id})
        await request.show(
            Screen(t("joining.ask_digits"), _digits_keyboard(request, step.request_id))
        )
        return
    await request.expect(None)
    await request.show(Screen(t(f"joining.waiting_{step.asked.value}", group=step.group_name)))


def _digits_keyboard(request: Request, request_id: int) -> Keyboard:
    return rows(
        [button(request.t("joining.buttons.no_number"), JOIN_NO_NUMBER, request_id)],
        _cancel_row(request),
    )


@text_step(JOIN_DIGITS)
async def join_digits(request: Request) -> None:
    """The last four digits of her number: right joins her, wrong counts against the limit."""
    request_id = request.pending.draft.get("request")
    if not isinstance(request_id, int):
        await request.expect(None)
        await request.refuse("errors.stale_button")
        return
    answer = await joining.check_digits(
        request.data.db, request.actor, request_id, request.text, request.data.clock.now()
    )
    if answer.joined is not None:
        await _welcome(request, answer.joined)
        return
    if answer.tries_left <= 0:
        await request.expect(None)
        await request.say(Screen(request.t("joining.stopped", facilitator=answer.facilitator)))
        return
    await request.say(
        Screen(
            request.t("joining.digits_wrong", left=answer.tries_left),
            _digits_keyboard(request, request_id),
        ),
    )


@action()
async def join_no_number(request: Request) -> None:
    """She does not know the number: the chair or the facilitator will confirm her instead."""
    request_id = request.pressed["join"]
    if (
        request.pending.awaiting != JOIN_DIGITS
        or request.pending.draft.get("request") != request_id
    ):
        await request.refuse("errors.stale_button")
        return
    step = await joining.ask_a_person(
        request.data.db, request.actor, request_id, request.data.clock.now()
    )
    await _next_step(request, step)


@action()
async def join_not_listed(request: Request) -> None:
    """The name is not on the roster: ask her to type it in full, for the facilitator."""
    token = _join_token(request)
    if token is None:
        await request.refuse("errors.stale_button")
        return
    await request.expect(JOIN_PICK, {"token": token, "mode": TYPE})
    await request.show(Screen(request.t("onboarding.type_name_short"), rows(_cancel_row(request))))


@text_step(JOIN_PICK)
async def join_typed_name(request: Request) -> None:
    """The typed name while joining: a search of the roster, or the name to ask to add."""
    token = _join_token(request)
    assert token is not None
    db, now = request.data.db, request.data.clock.now()
    if request.pending.draft.get("mode") == TYPE:
        step = await joining.ask_to_be_added(db, request.actor, token, request.text, now)
        await _next_step(request, step)
        return
    query = request.text
    found = await joining.search(db, request.actor, token, query, now)
    if found.found is Found.TOO_SHORT:
        await request.show(
            Screen(request.t("onboarding.search_too_short"), rows(_cancel_row(request)))
        )
        return
    await request.expect(
        JOIN_PICK,
        {"token": token, "mode": SEARCH, "shown": [c.member_id for c in found.choices]},
    )
    not_listed = [button(request.t("buttons.not_listed"), JOIN_NOT_LISTED)]
    if found.found is not Found.NAMES:
        key = (
            "joining.search_too_many" if found.found is Found.TOO_MANY else "onboarding.search_none"
        )
        await request.show(
            Screen(request.t(key, query=query[:40]), rows(not_listed, _cancel_row(request)))
        )
        return
    buttons = [button(c.label, JOIN_PICK_NAME, c.member_id) for c in found.choices]
    await request.show(
        Screen(
            request.t("onboarding.search_results", query=query[:40]),
            rows(*column(buttons, 1), not_listed, _cancel_row(request)),
        ),
    )


async def _welcome(request: Request, joined: Joined) -> None:
    await request.expect(None)
    await request.reload()
    key = "onboarding.chair_welcome" if joined.as_chair else "onboarding.member_welcome"
    await request.show(
        main_menu(request).above(request.t(key, name=joined.member.name, group=joined.group.name))
    )


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler("start", start, filters=filters.ChatType.PRIVATE),
        on_button(JOIN_PAGE, join_page),
        on_button(JOIN_PICK_NAME, join_pick),
        on_button(JOIN_NOT_LISTED, join_not_listed),
        on_button(JOIN_NO_NUMBER, join_no_number),
    ]
