"""Filing a new complaint: group, category, text, files, review, send.

Each screen stores its step and the draft first, so a restart or a stray message never
loses what was typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from telegram import Message
from telegram.error import BadRequest

from content.texts import Html
from handlers.base import Request, action
from handlers.complaints.common import (
    ATTACH,
    DESCRIBE,
    DRAFT_STEPS,
    PICK_CATEGORY,
    PICK_GROUP,
    REVIEW,
    callback_id,
    cancel_button,
    draft_files,
    draft_of,
    draft_text,
    joined,
)
from handlers.complaints.queue import show_inbox
from storage import access, complaints
from storage.complaints import Attachment
from storage.groups import membership
from storage.models.complaints import ComplaintCategory
from views.buttons import (
    CHANGE_CATEGORY,
    COMPLAINT_CATEGORY,
    COMPLAINT_GROUP,
    COMPLAINTS_SEND,
    MY_TICKETS,
    SHOW_CHANNELS,
    SHOW_MENU,
    TO_ATTACH,
    TO_REVIEW,
    TOGGLE_ANONYMOUS,
)
from views.complaints import (
    FILE_ICONS,
    category_name,
    channels,
    level_phrase,
    readers,
    sent_text,
)
from views.keyboards import Keyboard, button, column, rows, url_button
from views.screen import Screen

# A button carries a category's index here: new categories are added at the end so an old
# button never files a complaint under another category.
CATEGORIES = (
    ComplaintCategory.AID,
    ComplaintCategory.CARD,
    ComplaintCategory.DATA,
    ComplaintCategory.HEALTH,
    ComplaintCategory.SCHOOL,
    ComplaintCategory.MONEY,
    ComplaintCategory.OTHER,
    ComplaintCategory.LEVY,
    ComplaintCategory.ABOUT_STAFF,
)
# The order the member reads them in: the two that go to the coordinators before "other".
SHOWN = (0, 1, 2, 3, 4, 5, 7, 8, 6)
PREVIEW = 1500
START_PAYLOAD = "keluhan"


@action(private_only=False)
async def complaint_command(request: Request) -> None:
    """/keluhan: in a group, a button to the private chat; in private, the intake."""
    if not request.is_private:
        link = f"https://t.me/{request.data.bot_username}?start={START_PAYLOAD}"
        await request.say(
            Screen(
                request.t("complaints.group_redirect"),
                rows([url_button(request.t("complaints.buttons.open_private"), link)]),
            ),
        )
        return
    await start_intake(request)


@action()
async def complaint_button(request: Request) -> None:
    """The menu's Keluhan button."""
    await start_intake(request)


async def start_intake(request: Request, kept_text: str = "") -> None:
    """Open the intake, or take up the unfinished draft where it was left."""
    actor = request.actor
    if access.may(actor, access.Duty.STAFF):
        await show_inbox(request, 0, 0)
        return
    if not actor.member_of:
        await request.show(
            Screen(
                request.t("complaints.not_member"),
                rows(
                    [button(request.t("complaints.buttons.channels"), SHOW_CHANNELS)],
                    [button(request.t("complaints.buttons.mine"), MY_TICKETS)],
                    [button(request.t("buttons.menu"), SHOW_MENU)],
                ),
            ),
        )
        return
    if request.pending.awaiting in DRAFT_STEPS and not kept_text:
        await show_step(request, request.pending.awaiting, draft_of(request), resumed=True)
        return
    draft: dict[str, Any] = {"text": kept_text, "files": [], "anon": False}
    if len(actor.member_of) == 1:
        (draft["group_id"],) = actor.member_of
        await show_step(request, PICK_CATEGORY, draft)
    else:
        await show_step(request, PICK_GROUP, draft)


async def show_step(
    request: Request,
    step: str,
    draft: dict[str, Any],
    note: str = "",
    resumed: bool = False,
    edit: int | None = None,
) -> Message | None:
    """Remember the step and draft, then show the screen for it (in message `edit` if given).

    Returns the message sent, when a new one was sent."""
    await request.expect(step, draft)
    show = partial(_show, request, edit)
    t = request.t
    intro = (t("complaints.resumed") + "\n\n" if resumed else "") + (note + "\n\n" if note else "")
    files = len(draft_files(draft))
    if step == PICK_GROUP:
        mine = await membership.my_groups(request.data.db, request.actor)
        buttons = [button(g.name, COMPLAINT_GROUP, g.group_id) for g in mine]
        return await show(
            intro + t("complaints.pick_group"), rows(*column(buttons), cancel_button(request))
        )
    elif step == PICK_CATEGORY:
        buttons = [
            button(t(f"complaints.category.{CATEGORIES[i].value}"), COMPLAINT_CATEGORY, i)
            for i in SHOWN
        ]
        kept = t("complaints.text_kept") + "\n" if draft_text(draft) else ""
        return await show(
            intro
            + kept
            + t("complaints.pick_category")
            + "\n\n"
            + t(
                "complaints.pick_category_readers",
                coordinators=await _protected_readers(request, draft.get("group_id")),
            ),
            rows(
                *column(buttons, 1),
                [button(t("complaints.buttons.channels"), SHOW_CHANNELS)],
                [button(t("complaints.buttons.mine"), MY_TICKETS)],
                cancel_button(request),
            ),
        )
    elif step == DESCRIBE:
        category = category_name(request.lang, str(draft.get("category", "other")))
        return await show(
            intro + t("complaints.describe", category=category, files=files),
            rows(cancel_button(request)),
        )
    elif step == ATTACH:
        return await show(
            intro + t("complaints.attach", files=files),
            rows([button(t("complaints.buttons.next"), TO_REVIEW)], cancel_button(request)),
        )
    else:
        return await _show_review(request, draft, intro, show)


async def _route(
    request: Request, group_id: object, category: ComplaintCategory
) -> complaints.Route:
    """Who would read it if sent now: the routing rule the filing itself uses."""
    found = await complaints.readers_of(
        request.data.db,
        request.actor,
        group_id,
        category,
        request.data.settings.complaint_escalation_ids,
    )
    return found or complaints.Route()


async def _protected_readers(request: Request, group_id: object) -> str:
    """The coordinators a protected complaint about this group would reach first."""
    found = await _route(request, group_id, ComplaintCategory.LEVY)
    return level_phrase(request.lang, found.first)


async def _facilitator_name(request: Request, group_id: object) -> str:
    if not isinstance(group_id, int):
        return "-"
    for group in await membership.my_groups(request.data.db, request.actor):
        if group.group_id == group_id:
            return group.facilitator
    return "-"


def _category(draft: dict[str, Any]) -> ComplaintCategory:
    value = draft.get("category")
    return ComplaintCategory(value) if value in {c.value for c in CATEGORIES} else OTHER


OTHER = ComplaintCategory.OTHER


async def _show(
    request: Request, edit: int | None, text: str, markup: Keyboard | None = None
) -> Message | None:
    """Edit message `edit` (an album's one acknowledgement), or show the screen as usual."""
    chat = request.update.effective_chat
    if edit is not None and chat is not None:
        try:
            await request.data.screens.edit(
                request.context.bot, chat.id, edit, Screen(text, markup)
            )
            return None
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return None
            # The acknowledgement is gone (deleted): answer with a new message instead.
    if request.update.callback_query is None:
        return await request.say(Screen(text, markup))
    await request.show(Screen(text, markup))
    return None


async def _show_review(
    request: Request,
    draft: dict[str, Any],
    intro: str = "",
    show: Callable[..., Awaitable[Message | None]] | None = None,
) -> Message | None:
    show = show or partial(_show, request, None)
    t = request.t
    text = draft_text(draft)
    preview = text if len(text) <= PREVIEW else text[:PREVIEW] + "…"
    files = draft_files(draft)
    category = _category(draft)
    protected = complaints.is_protected(category)
    # A complaint about the facilitator or the chair is never a meeting topic.
    anon = bool(draft.get("anon")) and not protected
    settings = request.data.settings
    who = readers(
        request.lang,
        category,
        await _facilitator_name(request, draft.get("group_id")),
        settings.complaint_sla,
        await _route(request, draft.get("group_id"), category),
    )
    anon_row = (
        []
        if protected
        else [
            button(
                t("complaints.buttons.anon_off" if anon else "complaints.buttons.anon_on"),
                TOGGLE_ANONYMOUS,
            )
        ]
    )
    return await show(
        intro
        + t(
            "complaints.review",
            category=category_name(request.lang, str(draft.get("category", "other"))),
            text=preview,
            length=len(text),
            files=" ".join(FILE_ICONS[f.kind] for f in files) or "-",
            anonymous=t("complaints.anonymous_yes" if anon else "complaints.anonymous_no"),
            readers=Html(who),
            meeting=Html(t("complaints.meeting_yes") if anon else ""),
        ),
        rows(
            [button(t("complaints.buttons.send"), COMPLAINTS_SEND)],
            anon_row,
            [
                button(t("complaints.buttons.add_file"), TO_ATTACH),
                button(t("complaints.buttons.change_category"), CHANGE_CATEGORY),
            ],
            cancel_button(request),
        ),
    )


@action()
async def show_channels(request: Request) -> None:
    """The programme's own complaint channels outside the bot, as a message of their own so
    a complaint being written stays on its screen above."""
    await request.ack()
    await request.say(Screen(channels(request.lang)))


async def _draft_or_stale(request: Request) -> dict[str, Any] | None:
    if request.pending.awaiting not in DRAFT_STEPS:
        await request.refuse("complaints.no_draft")
        return None
    return draft_of(request)


@action()
async def pick_group(request: Request) -> None:
    """The member chose which of their groups the complaint is about."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    group_id = callback_id(request)
    if group_id not in request.actor.member_of:
        await request.refuse("complaints.not_in_group")
        return
    draft["group_id"] = group_id
    await show_step(request, PICK_CATEGORY, draft)


@action()
async def pick_category(request: Request) -> None:
    """The member chose a category: ask for the text, unless they wrote it already."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    index = callback_id(request)
    if not 0 <= index < len(CATEGORIES):
        await request.refuse("errors.stale_button")
        return
    draft["category"] = CATEGORIES[index].value
    await show_step(request, ATTACH if draft_text(draft) else DESCRIBE, draft)


@action()
async def change_category(request: Request) -> None:
    """Back to the categories from the review."""
    draft = await _draft_or_stale(request)
    if draft is not None:
        await show_step(request, PICK_CATEGORY, draft)


@action()
async def to_review(request: Request) -> None:
    """Next: show the whole complaint before sending."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    if not draft_text(draft):
        await show_step(request, DESCRIBE, draft, note=request.t("complaints.text_first"))
        return
    await show_step(request, REVIEW, draft)


@action()
async def to_attach(request: Request) -> None:
    """From the review: add a photo, a voice note or a document."""
    draft = await _draft_or_stale(request)
    if draft is not None:
        await show_step(request, ATTACH, draft)


@action()
async def toggle_anonymous(request: Request) -> None:
    """Allow (or not) the facilitator to raise it at the meeting without the member's name."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    draft["anon"] = not bool(draft.get("anon"))
    await show_step(request, REVIEW, draft)


@action()
async def send(request: Request) -> None:
    """File the ticket; the draft is dropped only once it is stored."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    if request.pending.awaiting != REVIEW:
        await show_step(request, request.pending.awaiting or REVIEW, draft)
        return
    group_id = draft.get("group_id")
    category = draft.get("category")
    if not isinstance(group_id, int) or category not in {c.value for c in CATEGORIES}:
        await show_step(request, PICK_CATEGORY, draft)
        return
    data = request.data
    filed = await complaints.submit(
        data.db,
        request.actor,
        group_id=group_id,
        category=ComplaintCategory(category),
        text=draft_text(draft),
        attachments=draft_files(draft),
        discuss_anonymously=bool(draft.get("anon")),
        now=data.clock.now(),
        sla=data.settings.complaint_sla,
        escalate_to=data.settings.complaint_escalation_ids,
    )
    await request.expect(None)
    await request.show(
        Screen(
            sent_text(
                request.lang,
                filed.ticket,
                filed.route or complaints.Route(),
                data.settings.complaint_sla,
            ),
            rows(
                [button(request.t("complaints.buttons.mine"), MY_TICKETS)],
                [button(request.t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


async def typed_draft(request: Request, step: str) -> None:
    """Text typed while a draft is open: it joins the draft's text."""
    draft = draft_of(request)
    text = joined(draft_text(draft), request.text)
    if len(text) > complaints.MAX_TEXT:
        note = request.t("errors.too_long", limit=complaints.MAX_TEXT, length=len(text))
        await show_step(request, step, draft, note=note)
        return
    if not request.text.strip():
        await show_step(request, step, draft, note=request.t("errors.empty_text"))
        return
    draft["text"] = text
    if step in (PICK_GROUP, PICK_CATEGORY):
        # Written before choosing: keep it and ask the choice again.
        await show_step(request, step, draft)
    elif step == DESCRIBE:
        await show_step(request, ATTACH, draft)
    else:
        await show_step(request, step, draft, note=request.t("complaints.text_added"))


async def file_received(request: Request, step: str | None, found: Attachment) -> None:
    """A photo, voice note or document sent while a draft is open: it joins the draft."""
    draft = draft_of(request)
    files = draft_files(draft)
    if len(files) >= complaints.MAX_FILES:
        note = request.t("complaints.too_many_files", limit=complaints.MAX_FILES)
        await show_step(request, step or ATTACH, draft, note=note)
        return
    draft["files"] = [f.to_json() for f in [*files, found]]
    caption = request.text.strip()
    if caption:
        draft["text"] = joined(draft_text(draft), caption)[: complaints.MAX_TEXT]
    next_step = ATTACH if step == DESCRIBE and draft_text(draft) else step or ATTACH
    album = _album_of(request)
    earlier = draft.get("album")
    if album is not None and isinstance(earlier, dict) and earlier.get("id") == album:
        # The next photo of an album: one acknowledgement for the album, updated in place.
        count = int(earlier.get("count", 1)) + 1
        draft["album"] = {**earlier, "count": count}
        note = request.t("complaints.album_saved", count=count, total=len(files) + 1)
        await show_step(request, next_step, draft, note=note, edit=int(earlier["message_id"]))
        return
    draft.pop("album", None)
    note = request.t("complaints.file_saved", icon=FILE_ICONS[found.kind], count=len(files) + 1)
    sent = await show_step(request, next_step, draft, note=note)
    if album is not None and sent is not None:
        # Remembered with the draft (not in memory), so the album's later photos find it.
        draft["album"] = {"id": album, "message_id": sent.message_id, "count": 1}
        await request.expect(next_step, draft)


def _album_of(request: Request) -> str | None:
    """Telegram delivers an album as separate messages sharing a media_group_id."""
    message = request.update.effective_message
    return message.media_group_id if message is not None else None
