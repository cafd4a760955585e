"""Facilitators' groups: create one step by step, see it, share its links, renew them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from handlers.steps import text_step
from storage import access, groups
from storage.areas.codes import ZONES, desa_code, desa_numbers, timezone_for
from storage.groups import GroupDetail, GroupLinks, places
from storage.groups.join_requests import PENDING_SHOWN
from storage.models import InviteKind
from timekeeping.timefmt import format_datetime, tz_abbreviation
from views.buttons import (
    ASK_FILE,
    ASK_PLACE,
    ASK_RENEW_LINKS,
    ASK_ZONE,
    KEEP_TYPED_PLACE,
    LIST_GROUPS,
    MENU_CANCEL,
    NEW_GROUP,
    PICK_CHAIR,
    PICKED_NEW_PLACE,
    PICKED_PLACE,
    RENEW_LINKS,
    RULE_START,
    SAVE_GROUP,
    SET_ZONE,
    SHOW_GROUP,
    SHOW_LINKS,
    SHOW_MENU,
    SHOW_QUESTION,
    SHOW_ROSTER,
    SKIP_GROUP_FIELD,
    TOGGLE_CHECK,
)
from views.deeplinks import group_chat_link, start_link
from views.joining import pending_label
from views.keyboards import Keyboard, button, column, rows
from views.screen import Screen

NEW_NAME, NEW_VILLAGE, NEW_VENUE = "group_name", "group_village", "group_venue"


@action(Audience.READERS)
async def list_groups(request: Request) -> None:
    """The facilitator's groups (all groups for a coordinator) as buttons."""
    found = await groups.list_groups(request.data.db, request.actor)
    t = request.t
    buttons = [button(f"{g.name} ({g.code})", SHOW_GROUP, g.id) for g in found]
    extra = (
        [button(t("buttons.new_group"), NEW_GROUP)]
        if access.may(request.actor, access.Duty.FACILITATE)
        else []
    )
    key = "groups.list" if found else "groups.none"
    await request.show(
        Screen(
            t(key, count=len(found)),
            rows(*column(buttons, 1), extra, [button(t("buttons.menu"), SHOW_MENU)]),
        ),
    )


@action(Audience.FACILITATOR)
async def new_group(request: Request) -> None:
    """Start creating a group: ask for its name."""
    await request.expect(NEW_NAME, {})
    await request.show(
        Screen(
            request.t("groups.ask_name"), rows([button(request.t("buttons.cancel"), MENU_CANCEL)])
        )
    )


@text_step(NEW_NAME, NEW_VILLAGE, NEW_VENUE)
async def typed_group_field(request: Request) -> None:
    """A typed answer in the new-group steps (routed from free text)."""
    step, draft = request.pending.awaiting, dict(request.pending.draft)
    value = groups.clean_text(
        request.text, groups.MAX_VENUE if step == NEW_VENUE else groups.MAX_NAME
    )
    await _next_group_step(request, step, draft, value)


@action(Audience.FACILITATOR)
async def skip_group_field(request: Request) -> None:
    """Skip the village or venue step."""
    step = request.pending.awaiting
    if step not in (NEW_VILLAGE, NEW_VENUE):
        await request.refuse("errors.stale_button")
        return
    await _next_group_step(request, step, dict(request.pending.draft), None)


async def _ask_venue(request: Request, draft: dict[str, object]) -> None:
    await request.expect(NEW_VENUE, draft)
    await request.show(
        Screen(
            request.t("groups.ask_venue"),
            rows(
                [button(request.t("buttons.skip"), SKIP_GROUP_FIELD)],
                [button(request.t("buttons.cancel"), MENU_CANCEL)],
            ),
        ),
    )


def place_prompt(request: Request, choices: places.Choices, typed: str, name: str) -> str:
    key = "places.pick" if choices.found else "places.none_found"
    return request.t(key, name=name, typed=typed)


@action(Audience.FACILITATOR)
async def picked_new_place(request: Request) -> None:
    """A desa/kelurahan picked for the group being created; then the venue."""
    if request.pending.awaiting != NEW_VILLAGE:
        await request.refuse("errors.stale_button")
        return
    code = desa_code(request.pressed["kecamatan"], request.pressed["desa"])
    place = await places.describe(request.data.db, request.actor, code)
    draft = dict(request.pending.draft)
    draft["area_code"], draft["place"] = place.code, place.label
    await _ask_venue(request, draft)


@action(Audience.FACILITATOR)
async def keep_typed_place(request: Request) -> None:
    """Keep the typed village as text only (not in the list, or no list here)."""
    if request.pending.awaiting != NEW_VILLAGE:
        await request.refuse("errors.stale_button")
        return
    draft = dict(request.pending.draft)
    draft.pop("area_code", None)
    draft.pop("place", None)
    await _ask_venue(request, draft)


async def _next_group_step(
    request: Request, step: str | None, draft: dict[str, object], value: str | None
) -> None:
    t, cancel, skip = (
        request.t,
        button(request.t("buttons.cancel"), MENU_CANCEL),
        button(request.t("buttons.skip"), SKIP_GROUP_FIELD),
    )
    if step == NEW_NAME:
        draft["name"] = value
        await request.expect(NEW_VILLAGE, draft)
        await request.show(Screen(t("groups.ask_village", name=str(value)), rows([skip], [cancel])))
    elif step == NEW_VILLAGE and value:
        draft["village"] = value
        draft.pop("area_code", None)
        choices = await places.find(request.data.db, request.actor, value)
        if not choices.loaded:
            await _ask_venue(request, draft)
            return
        await request.expect(NEW_VILLAGE, draft)
        await request.show(
            Screen(
                place_prompt(request, choices, value, str(draft["name"])),
                rows(
                    *[
                        [button(c.label, PICKED_NEW_PLACE, *desa_numbers(c.code))]
                        for c in choices.found
                    ],
                    [button(t("places.buttons.keep_text"), KEEP_TYPED_PLACE)],
                    [cancel],
                ),
            ),
        )
    elif step == NEW_VILLAGE:
        draft["village"] = None
        draft.pop("area_code", None)
        await _ask_venue(request, draft)
    else:
        draft["venue"] = value
        await request.expect("group_confirm", draft)
        await request.show(
            Screen(
                t(
                    "groups.confirm",
                    name=str(draft["name"]),
                    village=str(draft.get("place") or draft.get("village") or "-"),
                    venue=str(draft.get("venue") or "-"),
                ),
                rows([button(t("buttons.save"), SAVE_GROUP)], [cancel]),
            ),
        )


@action(Audience.FACILITATOR)
async def save_group(request: Request) -> None:
    """Create the group from the draft and show its three links."""
    draft = request.pending.draft
    if request.pending.awaiting != "group_confirm" or not draft.get("name"):
        await request.refuse("errors.stale_button")
        return
    data = request.data
    links = await groups.create_group(
        data.db,
        request.actor,
        name=str(draft["name"]),
        village=_optional(draft.get("village")),
        venue=_optional(draft.get("venue")),
        timezone=data.settings.timezone,
        now=data.clock.now(),
        ttl=_ttl(request),
        area_code=_optional(draft.get("area_code")),
    )
    await request.expect(None)
    await request.show(
        Screen(
            request.t("groups.created", name=links.group.name, code=links.group.code)
            + "\n\n"
            + links_text(request, links),
            links_keyboard(request, links),
        ),
    )


def _optional(value: object) -> str | None:
    return str(value) if value else None


def _ttl(request: Request) -> timedelta:
    return timedelta(days=request.data.settings.invite_ttl_days)


def links_text(request: Request, links: GroupLinks) -> str:
    username, tokens = request.data.bot_username, links.tokens
    group = links.group
    return request.t(
        "groups.links",
        member_link=start_link(username, tokens[InviteKind.MEMBER]),
        chair_link=start_link(username, tokens[InviteKind.CHAIR]),
        chat_link=group_chat_link(username, tokens[InviteKind.GROUP_CHAT]),
        expires=format_datetime(links.expires_at, group.timezone, request.lang),
    )


def links_keyboard(request: Request, links: GroupLinks) -> Keyboard:
    t, gid = request.t, links.group.id
    return rows(
        [
            button(t("buttons.import_roster"), ASK_FILE, gid),
            button(t("buttons.roster"), SHOW_ROSTER, gid, 0),
        ],
        [button(t("buttons.renew_links"), ASK_RENEW_LINKS, gid)],
        [button(t("buttons.back"), SHOW_GROUP, gid)],
    )


@action(Audience.READERS)
async def show_group(request: Request) -> None:
    """One group: code, place, chat, chair, roster size, and what can be done."""
    detail = await groups.group_detail(request.data.db, request.actor, request.pressed["group"])
    await request.show(Screen(detail_text(request, detail), detail_keyboard(request, detail)))


def detail_text(request: Request, detail: GroupDetail) -> str:
    group, t = detail.group, request.t
    text = t(
        "groups.detail",
        name=group.name,
        code=group.code,
        village=group.village or "-",
        venue=group.venue or "-",
        chat=(group.chat_title or t("groups.chat_linked"))
        if group.chat_id
        else t("groups.no_chat"),
        chair=detail.chair.name if detail.chair else t("groups.no_chair"),
        members=detail.members,
        on_telegram=detail.members_on_telegram,
        facilitator=detail.facilitator_name,
    )
    if detail.place is not None:
        text += "\n" + t(
            "places.line", place=detail.place.label, zone=tz_abbreviation(group.timezone)
        )
    elif detail.areas_loaded:
        text += "\n" + t("places.not_placed")
    text += "\n" + t(f"joining.check_{group.join_check.value}")
    if detail.pending_joins:
        text += "\n" + t("joining.pending_on_card", count=len(detail.pending_joins))
    return text


def detail_keyboard(request: Request, detail: GroupDetail) -> Keyboard:
    t, gid = request.t, detail.group.id
    if not detail.may_manage:
        return rows(
            [button(t("buttons.all_groups"), LIST_GROUPS)], [button(t("buttons.menu"), SHOW_MENU)]
        )
    pending = [
        [button(pending_label(join), SHOW_QUESTION, join.id)]
        for join in detail.pending_joins[:PENDING_SHOWN]
    ]
    return rows(
        *pending,
        [
            button(t("buttons.links"), SHOW_LINKS, gid),
            button(t("buttons.roster"), SHOW_ROSTER, gid, 0),
        ],
        [
            button(t("buttons.import_roster"), ASK_FILE, gid),
            button(t("buttons.change_chair"), PICK_CHAIR, gid, 0),
        ],
        *([[button(t("places.buttons.place"), ASK_PLACE, gid)]] if detail.areas_loaded else []),
        *(
            [
                [button(t("recurring.buttons.rule"), RULE_START, gid)],
                [button(t("joining.buttons.switch_check"), TOGGLE_CHECK, gid)],
                [button(t("places.buttons.zone"), ASK_ZONE, gid)],
            ]
            if access.may(request.actor, access.Duty.FACILITATE)
            else []
        ),
        [button(t("buttons.my_groups"), LIST_GROUPS)],
    )


@action(Audience.STAFF)
async def show_links(request: Request) -> None:
    """The group's three invite links (issued when missing or expired)."""
    data = request.data
    links = await groups.group_links(
        data.db, request.actor, request.pressed["group"], data.clock.now(), _ttl(request)
    )
    await request.show(Screen(links_text(request, links), links_keyboard(request, links)))


@action(Audience.STAFF)
async def ask_renew_links(request: Request) -> None:
    """Ask before revoking links that people may already hold."""
    gid = request.pressed["group"]
    # Refuse someone else's group at the first press, not after the confirmation.
    await groups.group_detail(request.data.db, request.actor, gid)
    await request.show(
        Screen(
            request.t("groups.renew_confirm"),
            rows(
                [button(request.t("buttons.renew_yes"), RENEW_LINKS, gid)],
                [button(request.t("buttons.back"), SHOW_LINKS, gid)],
            ),
        ),
    )


@action(Audience.STAFF)
async def renew_links(request: Request) -> None:
    """Revoke the old links and show new ones."""
    data = request.data
    links = await groups.renew_links(
        data.db, request.actor, request.pressed["group"], data.clock.now(), _ttl(request)
    )
    await request.show(
        Screen(
            request.t("groups.renewed") + "\n\n" + links_text(request, links),
            links_keyboard(request, links),
        ),
    )


PLACE = "group_place"


@action(Audience.FACILITATOR)
async def ask_zone(request: Request) -> None:
    """The group's time zone: what changing it changes, and the three zones to pick."""
    detail = await groups.group_detail(request.data.db, request.actor, request.pressed["group"])
    group, t = detail.group, request.t
    current = tz_abbreviation(group.timezone)
    province = tz_abbreviation(timezone_for(group.area_code)) if group.area_code else None
    text = t("places.zone_ask", name=group.name, zone=current)
    if province is not None:
        text += "\n" + t("places.zone_province", zone=province)
    choices = [
        button(
            ("✅ " if zone == group.timezone else "") + tz_abbreviation(zone), SET_ZONE, group.id, i
        )
        for i, zone in enumerate(ZONES)
    ]
    await request.show(
        Screen(text, rows(choices, [button(t("buttons.cancel"), SHOW_GROUP, group.id)]))
    )


@action(Audience.FACILITATOR)
async def set_zone(request: Request) -> None:
    """Change the group's time zone, then show its card again."""
    index = request.pressed["zone"]
    if not 0 <= index < len(ZONES):
        await request.refuse("errors.stale_button")
        return
    view = await groups.set_timezone(
        request.data.db, request.actor, request.pressed["group"], ZONES[index]
    )
    detail = await groups.group_detail(request.data.db, request.actor, view.id)
    note = request.t("places.zone_set", name=view.name, zone=tz_abbreviation(view.timezone))
    await request.show(
        Screen(note + "\n\n" + detail_text(request, detail), detail_keyboard(request, detail))
    )


@action(Audience.STAFF)
async def ask_place(request: Request) -> None:
    """Ask for part of the name of an existing group's desa/kelurahan."""
    detail = await groups.group_detail(request.data.db, request.actor, request.pressed["group"])
    await request.expect(PLACE, {"group_id": detail.group.id, "name": detail.group.name})
    await request.show(
        Screen(
            request.t("places.ask", name=detail.group.name),
            rows([button(request.t("buttons.cancel"), SHOW_GROUP, detail.group.id)]),
        ),
    )


@text_step(PLACE)
async def typed_place(request: Request) -> None:
    """Typed part of a desa's name: the nearest ones as buttons."""
    draft = request.pending.draft
    gid, name = int(draft.get("group_id") or 0), str(draft.get("name") or "")
    typed = groups.clean_text(request.text, groups.MAX_NAME)
    choices = await places.find(request.data.db, request.actor, typed)
    await request.show(
        Screen(
            place_prompt(request, choices, typed, name),
            rows(
                *[
                    [button(c.label, PICKED_PLACE, gid, *desa_numbers(c.code))]
                    for c in choices.found
                ],
                [button(request.t("buttons.cancel"), SHOW_GROUP, gid)],
            ),
        ),
    )


@action(Audience.STAFF)
async def picked_place(request: Request) -> None:
    """Put an existing group in the desa picked; show its card."""
    arg = request.pressed.arg
    code = desa_code(arg(1), arg(2))
    await groups.place_group(request.data.db, request.actor, arg(0), code)
    if request.pending.awaiting == PLACE:
        await request.expect(None)
    detail = await groups.group_detail(request.data.db, request.actor, arg(0))
    await request.show(
        Screen(
            request.t("places.placed") + "\n\n" + detail_text(request, detail),
            detail_keyboard(request, detail),
        ),
    )


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """This feature's commands and buttons (gathered in order by bot/app.py)."""
    return [
        CommandHandler("kelompok", list_groups),
        CommandHandler("buat_kelompok", new_group),
        on_button(LIST_GROUPS, list_groups),
        on_button(NEW_GROUP, new_group),
        on_button(SKIP_GROUP_FIELD, skip_group_field),
        on_button(SAVE_GROUP, save_group),
        on_button(PICKED_NEW_PLACE, picked_new_place),
        on_button(KEEP_TYPED_PLACE, keep_typed_place),
        on_button(ASK_PLACE, ask_place),
        on_button(ASK_ZONE, ask_zone),
        on_button(SET_ZONE, set_zone),
        on_button(PICKED_PLACE, picked_place),
        on_button(SHOW_GROUP, show_group),
        on_button(SHOW_LINKS, show_links),
        on_button(ASK_RENEW_LINKS, ask_renew_links),
        on_button(RENEW_LINKS, renew_links),
    ]
