"""Complaints (keluhan): a member writes privately, the facilitator answers, nothing is lost.

The member's draft lives in Person.awaiting/draft (one step constant per screen), so a
restart or a stray message never loses what was typed. Every button's ticket id is
untrusted: storage.complaints checks who may see or change the ticket on every press."""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.keyboards import button, column, rows, shorten, url_button
from bot.outbox.complaints import (
    FILE_ICONS,
    category_name,
    event_line,
    header,
    member_markup,
    staff_body,
    staff_markup,
    status_name,
    with_header,
)
from bot.timefmt import format_datetime
from handlers import menu, roster
from handlers.base import Audience, Request, action
from handlers.menu import main_menu
from storage import complaints, groups, membership
from storage.complaints import Attachment, Ticket
from storage.models_complaints import AttachmentKind, ComplaintCategory, ComplaintStatus

PICK_GROUP = "kl_group"
PICK_CATEGORY = "kl_category"
DESCRIBE = "kl_text"
ATTACH = "kl_files"
REVIEW = "kl_review"
OFFER = "kl_offer"
REPLY = "kl_reply"
REJECT = "kl_reject"
ADD = "kl_add"

# Steps that hold a half-written complaint: /batal asks before dropping them.
DRAFT_STEPS = (PICK_GROUP, PICK_CATEGORY, DESCRIBE, ATTACH, REVIEW)
# Steps that take typed text (routed from handlers/input.py).
TYPED_STEPS = (*DRAFT_STEPS, OFFER, REPLY, REJECT, ADD)
# Steps where a photo, voice note or document is welcome.
FILE_STEPS = (PICK_CATEGORY, DESCRIBE, ATTACH, REVIEW, ADD)

CATEGORIES = tuple(ComplaintCategory)
FILTERS: tuple[tuple[ComplaintStatus, ...], ...] = (
    complaints.OPEN,
    (ComplaintStatus.NEW,),
    (ComplaintStatus.RECEIVED,),
    (ComplaintStatus.IN_PROGRESS,),
    (ComplaintStatus.RESOLVED,),
    (ComplaintStatus.REJECTED,),
    (ComplaintStatus.CLOSED,),
)
PREVIEW = 1500
SNIPPET = 400
START_PAYLOAD = "keluhan"


def _cancel_button(request: Request) -> list[Any]:
    return [button(request.t("buttons.cancel"), "klq")]


def _id(request: Request, index: int = 0) -> int:
    assert request.callback is not None
    return request.callback.arg(index)


def _draft(request: Request) -> dict[str, Any]:
    return dict(request.pending.draft) if request.pending.awaiting in DRAFT_STEPS else {}


def _draft_files(draft: dict[str, Any]) -> list[Attachment]:
    raw = draft.get("files")
    found = [Attachment.from_json(item) for item in raw] if isinstance(raw, list) else []
    return [item for item in found if item is not None]


def _draft_text(draft: dict[str, Any]) -> str:
    text = draft.get("text")
    return text if isinstance(text, str) else ""


# -- intake -----------------------------------------------------------------------------


@action(private_only=False)
async def complaint_command(request: Request) -> None:
    """/keluhan: in a group, a button to the private chat; in private, the intake."""
    if not request.is_private:
        link = f"https://t.me/{request.data.bot_username}?start={START_PAYLOAD}"
        await request.say(
            request.t("complaints.group_redirect"),
            rows([url_button(request.t("complaints.buttons.open_private"), link)]),
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
    if actor.is_staff:
        await _show_inbox(request, 0, 0)
        return
    if not actor.member_of:
        await request.show(
            request.t("complaints.not_member"),
            rows(
                [button(request.t("complaints.buttons.mine"), "klm")],
                [button(request.t("buttons.menu"), "mn")],
            ),
        )
        return
    if request.pending.awaiting in DRAFT_STEPS and not kept_text:
        await _show_step(request, request.pending.awaiting, _draft(request), resumed=True)
        return
    draft: dict[str, Any] = {"text": kept_text, "files": [], "anon": False}
    if len(actor.member_of) == 1:
        (draft["group_id"],) = actor.member_of
        await _show_step(request, PICK_CATEGORY, draft)
    else:
        await _show_step(request, PICK_GROUP, draft)


async def _show_step(
    request: Request, step: str, draft: dict[str, Any], note: str = "", resumed: bool = False
) -> None:
    """Remember the step and draft, then show the screen for it."""
    await request.expect(step, draft)
    t = request.t
    intro = (t("complaints.resumed") + "\n\n" if resumed else "") + (note + "\n\n" if note else "")
    files = len(_draft_files(draft))
    if step == PICK_GROUP:
        mine = await membership.my_groups(request.data.db, request.actor)
        buttons = [button(g.name, "klg", g.group_id) for g in mine]
        await request.show(
            intro + t("complaints.pick_group"), rows(*column(buttons), _cancel_button(request))
        )
    elif step == PICK_CATEGORY:
        buttons = [
            button(t(f"complaints.category.{c.value}"), "klc", i) for i, c in enumerate(CATEGORIES)
        ]
        kept = t("complaints.text_kept") + "\n" if _draft_text(draft) else ""
        await request.show(
            intro + kept + t("complaints.pick_category"),
            rows(
                *column(buttons, 1),
                [button(t("complaints.buttons.mine"), "klm")],
                _cancel_button(request),
            ),
        )
    elif step == DESCRIBE:
        category = category_name(request.lang, str(draft.get("category", "other")))
        await request.show(
            intro + t("complaints.describe", category=category, files=files),
            rows(_cancel_button(request)),
        )
    elif step == ATTACH:
        await request.show(
            intro + t("complaints.attach", files=files),
            rows([button(t("complaints.buttons.next"), "klr")], _cancel_button(request)),
        )
    else:
        await _show_review(request, draft, intro)


async def _show_review(request: Request, draft: dict[str, Any], intro: str = "") -> None:
    t = request.t
    text = _draft_text(draft)
    preview = text if len(text) <= PREVIEW else text[:PREVIEW] + "…"
    files = _draft_files(draft)
    anon = bool(draft.get("anon"))
    await request.show(
        intro
        + t(
            "complaints.review",
            category=category_name(request.lang, str(draft.get("category", "other"))),
            text=preview,
            length=len(text),
            files=" ".join(FILE_ICONS[f.kind] for f in files) or "-",
            anonymous=t("complaints.anonymous_yes" if anon else "complaints.anonymous_no"),
        ),
        rows(
            [button(t("complaints.buttons.send"), "kls")],
            [
                button(
                    t("complaints.buttons.anon_off" if anon else "complaints.buttons.anon_on"),
                    "kla",
                )
            ],
            [
                button(t("complaints.buttons.add_file"), "klb"),
                button(t("complaints.buttons.change_category"), "klcc"),
            ],
            _cancel_button(request),
        ),
    )


async def _draft_or_stale(request: Request) -> dict[str, Any] | None:
    if request.pending.awaiting not in DRAFT_STEPS:
        await request.refuse("complaints.no_draft")
        return None
    return _draft(request)


@action()
async def pick_group(request: Request) -> None:
    """The member chose which of their groups the complaint is about."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    group_id = _id(request)
    if group_id not in request.actor.member_of:
        await request.refuse("complaints.not_in_group")
        return
    draft["group_id"] = group_id
    await _show_step(request, PICK_CATEGORY, draft)


@action()
async def pick_category(request: Request) -> None:
    """The member chose a category: ask for the text, unless they wrote it already."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    index = _id(request)
    if not 0 <= index < len(CATEGORIES):
        await request.refuse("errors.stale_button")
        return
    draft["category"] = CATEGORIES[index].value
    await _show_step(request, ATTACH if _draft_text(draft) else DESCRIBE, draft)


@action()
async def change_category(request: Request) -> None:
    """Back to the categories from the review."""
    draft = await _draft_or_stale(request)
    if draft is not None:
        await _show_step(request, PICK_CATEGORY, draft)


@action()
async def to_review(request: Request) -> None:
    """Next: show the whole complaint before sending."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    if not _draft_text(draft):
        await _show_step(request, DESCRIBE, draft, note=request.t("complaints.text_first"))
        return
    await _show_step(request, REVIEW, draft)


@action()
async def to_attach(request: Request) -> None:
    """From the review: add a photo, a voice note or a document."""
    draft = await _draft_or_stale(request)
    if draft is not None:
        await _show_step(request, ATTACH, draft)


@action()
async def toggle_anonymous(request: Request) -> None:
    """Allow (or not) the facilitator to raise it at the meeting without the member's name."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    draft["anon"] = not bool(draft.get("anon"))
    await _show_step(request, REVIEW, draft)


@action()
async def send(request: Request) -> None:
    """File the ticket; the draft is dropped only once it is stored."""
    draft = await _draft_or_stale(request)
    if draft is None:
        return
    if request.pending.awaiting != REVIEW:
        await _show_step(request, request.pending.awaiting or REVIEW, draft)
        return
    group_id = draft.get("group_id")
    category = draft.get("category")
    if not isinstance(group_id, int) or category not in {c.value for c in CATEGORIES}:
        await _show_step(request, PICK_CATEGORY, draft)
        return
    data = request.data
    ticket = await complaints.submit(
        data.db,
        request.actor,
        group_id=group_id,
        category=ComplaintCategory(category),
        text=_draft_text(draft),
        attachments=_draft_files(draft),
        discuss_anonymously=bool(draft.get("anon")),
        now=data.clock.now(),
        sla=data.settings.complaint_sla,
    )
    await request.expect(None)
    await request.show(
        request.t("complaints.sent", number=ticket.number, facilitator=ticket.facilitator_name),
        rows(
            [button(request.t("complaints.buttons.mine"), "klm")],
            [button(request.t("buttons.menu"), "mn")],
        ),
    )


# -- cancelling a draft -----------------------------------------------------------------


async def ask_cancel(request: Request) -> None:
    """/batal or Batal in the middle of a complaint: ask before dropping what was written."""
    await request.show(
        request.t("complaints.cancel_confirm"),
        rows(
            [button(request.t("complaints.buttons.discard"), "klx")],
            [button(request.t("complaints.buttons.keep"), "klk")],
        ),
    )


@action()
async def cancel_pressed(request: Request) -> None:
    """The intake's own Batal button."""
    if request.pending.awaiting in DRAFT_STEPS:
        await ask_cancel(request)
        return
    await request.expect(None)
    text, markup = main_menu(request)
    await request.show(request.t("cancel.done") + "\n\n" + text, markup)


@action()
async def discard(request: Request) -> None:
    """Confirmed: drop the draft."""
    had = request.pending.awaiting in DRAFT_STEPS
    await request.expect(None)
    text, markup = main_menu(request)
    key = "complaints.discarded" if had else "cancel.nothing"
    await request.show(request.t(key) + "\n\n" + text, markup)


@action()
async def keep(request: Request) -> None:
    """Not cancelled: back to where the member was."""
    step = request.pending.awaiting
    if step not in DRAFT_STEPS:
        await request.refuse("complaints.no_draft")
        return
    await _show_step(request, step or REVIEW, _draft(request))


menu.CANCEL_CONFIRMS.update(dict.fromkeys(DRAFT_STEPS, ask_cancel))


# -- typed text and files ---------------------------------------------------------------


async def typed(request: Request) -> None:
    """Free text in any complaint step (routed from handlers/input.py)."""
    step = request.pending.awaiting
    if step == REPLY:
        await _typed_reply(request)
    elif step == REJECT:
        await _typed_reason(request)
    elif step == ADD:
        await _add_to_ticket(request, text=request.text)
    elif step == OFFER:
        draft = dict(request.pending.draft)
        draft["text"] = _joined(_draft_text(draft), request.text)
        await _offer(request, draft)
    else:
        await _typed_draft(request, step or DESCRIBE)


def _joined(before: str, more: str) -> str:
    more = more.strip()
    return f"{before}\n\n{more}" if before and more else (before or more)


async def _typed_draft(request: Request, step: str) -> None:
    draft = _draft(request)
    text = _joined(_draft_text(draft), request.text)
    if len(text) > complaints.MAX_TEXT:
        note = request.t("errors.too_long", limit=complaints.MAX_TEXT, length=len(text))
        await _show_step(request, step, draft, note=note)
        return
    if not request.text.strip():
        await _show_step(request, step, draft, note=request.t("errors.empty_text"))
        return
    draft["text"] = text
    if step in (PICK_GROUP, PICK_CATEGORY):
        # Written before choosing: keep it and ask the choice again.
        await _show_step(request, step, draft)
    elif step == DESCRIBE:
        await _show_step(request, ATTACH, draft)
    else:
        await _show_step(request, step, draft, note=request.t("complaints.text_added"))


def _attachment(message: Message) -> Attachment | None:
    if message.photo:
        return Attachment(AttachmentKind.PHOTO, message.photo[-1].file_id)
    if message.voice is not None:
        return Attachment(AttachmentKind.VOICE, message.voice.file_id)
    if message.document is not None:
        return Attachment(
            AttachmentKind.DOCUMENT, message.document.file_id, message.document.file_name
        )
    return None


@action()
async def attachment_received(request: Request) -> None:
    """A photo, voice note or document: part of a complaint when one is being written."""
    message = request.update.effective_message
    found = _attachment(message) if message is not None else None
    step = request.pending.awaiting
    if found is None or step not in FILE_STEPS:
        # Not for a complaint: a document may be a roster file, anything else is unexpected.
        from handlers import input as text_input  # input imports this module

        other = roster.received_file if message and message.document else text_input.other_received
        await other(request.update, request.context)
        return
    if step == ADD:
        await _add_to_ticket(request, attachment=found, text=request.text or None)
        return
    draft = _draft(request)
    files = _draft_files(draft)
    if len(files) >= complaints.MAX_FILES:
        note = request.t("complaints.too_many_files", limit=complaints.MAX_FILES)
        await _show_step(request, step or ATTACH, draft, note=note)
        return
    draft["files"] = [f.to_json() for f in [*files, found]]
    caption = request.text.strip()
    if caption:
        draft["text"] = _joined(_draft_text(draft), caption)[: complaints.MAX_TEXT]
    note = request.t("complaints.file_saved", icon=FILE_ICONS[found.kind], count=len(files) + 1)
    next_step = ATTACH if step == DESCRIBE and _draft_text(draft) else step or ATTACH
    await _show_step(request, next_step, draft, note=note)


# -- free text outside any flow ---------------------------------------------------------


async def offer(request: Request) -> bool:
    """A member wrote to the bot out of the blue: offer to send it as a complaint (kept)."""
    if request.actor.is_staff or not request.actor.member_of or not request.text.strip():
        return False
    await _offer(request, {"text": request.text.strip()[: complaints.MAX_TEXT]})
    return True


async def _offer(request: Request, draft: dict[str, Any]) -> None:
    await request.expect(OFFER, draft)
    text = _draft_text(draft)
    await request.say(
        request.t(
            "complaints.offer",
            text=text if len(text) <= SNIPPET else text[:SNIPPET] + "…",
        ),
        rows(
            [button(request.t("complaints.buttons.offer_yes"), "klo")],
            [button(request.t("complaints.buttons.offer_no"), "kln")],
        ),
    )


@action()
async def offer_yes(request: Request) -> None:
    """Yes: start the intake with what they wrote."""
    if request.pending.awaiting != OFFER:
        await request.refuse("complaints.no_draft")
        return
    await start_intake(request, kept_text=_draft_text(dict(request.pending.draft)))


@action()
async def offer_no(request: Request) -> None:
    """No: nothing is sent; show the menu."""
    if request.pending.awaiting == OFFER:
        await request.expect(None)
    text, markup = main_menu(request)
    await request.show(request.t("complaints.offer_declined") + "\n\n" + text, markup)


# -- the member's tickets ---------------------------------------------------------------


@action()
async def my_tickets(request: Request) -> None:
    """/keluhanku: the member's tickets and statuses (or one ticket by its number)."""
    if request.args:
        number = "".join(ch for ch in request.args[0] if ch.isdigit())
        if number:
            await _show_ticket(request, int(number[:9]))
            return
    found = await complaints.my_tickets(request.data.db, request.actor)
    t = request.t
    buttons = [
        button(
            f"{s.number} · {category_name(request.lang, s.category.value)} · "
            f"{status_name(request.lang, s.status)}",
            "klv",
            s.id,
        )
        for s in found
    ]
    extra = [button(t("complaints.buttons.new"), "kl")] if request.actor.member_of else []
    await request.show(
        t("complaints.mine" if found else "complaints.mine_none", count=len(found)),
        rows(*column(buttons, 1), extra, [button(t("buttons.menu"), "mn")]),
    )


@action()
async def view_ticket(request: Request) -> None:
    """One ticket, for whoever may see it."""
    await _show_ticket(request, _id(request))


async def _show_ticket(request: Request, complaint_id: int) -> None:
    ticket = await complaints.ticket(request.data.db, request.actor, complaint_id)
    mine = ticket.person_id == request.actor.person_id
    await request.show(_ticket_card(request, ticket, mine), _ticket_markup(request, ticket, mine))


def _ticket_card(request: Request, ticket: Ticket, mine: bool) -> str:
    t, lang = request.t, request.lang
    lines = [
        header(lang, ticket),
        t(
            "complaints.card",
            category=category_name(lang, ticket),
            status=status_name(lang, ticket.status),
            filed=format_datetime(ticket.created_at, ticket.timezone, lang),
            facilitator=ticket.facilitator_name,
        ),
    ]
    if not mine:
        lines.append(t("complaints.card_member", member=ticket.member_name))
    if ticket.reject_reason and ticket.status is ComplaintStatus.REJECTED:
        lines.append(t("complaints.card_reason", reason=ticket.reject_reason))
    conversation = [_message_line(request, ticket, m, mine) for m in ticket.messages]
    while conversation and len("\n".join(lines + conversation)) > 3800:
        conversation.pop(0)
    if len(conversation) < len(ticket.messages):
        lines.append(t("complaints.earlier_hidden"))
    return "\n".join(lines + conversation)


def _message_line(request: Request, ticket: Ticket, message: Any, mine: bool) -> str:
    t = request.t
    if message.from_staff:
        who = message.author_name
    else:
        who = t("complaints.you") if mine else ticket.member_name
    if message.file_id:
        body = f"{FILE_ICONS[message.kind]} {message.file_name or ''}".strip()
    else:
        text = message.text or ""
        body = text if len(text) <= SNIPPET else text[:SNIPPET] + "…"
    return t(
        "complaints.message_line",
        who=who,
        at=format_datetime(message.created_at, ticket.timezone, request.lang),
        text=body,
    )


def _ticket_markup(request: Request, ticket: Ticket, mine: bool) -> InlineKeyboardMarkup:
    t, lang = request.t, request.lang
    if mine:
        base = member_markup(lang, ticket).inline_keyboard
        back = [button(t("complaints.buttons.mine"), "klm")]
    else:
        base = staff_markup(lang, ticket, coordinator=request.actor.is_coordinator).inline_keyboard
        back = [
            button(t("complaints.buttons.full_text"), "klft", ticket.id),
            button(t("complaints.buttons.inbox"), "kli", 0, 0),
        ]
    if mine and ticket.files:
        back.insert(
            0, button(t("complaints.buttons.files", count=len(ticket.files)), "kle", ticket.id)
        )
    return rows(*[list(row) for row in base], back)


@action()
async def add_more(request: Request) -> None:
    """The member wants to add text or files to their open ticket."""
    ticket = await complaints.ticket(request.data.db, request.actor, _id(request))
    if ticket.person_id != request.actor.person_id:
        await request.refuse(complaints.NOT_YOURS)
        return
    if not ticket.is_open:
        await request.refuse("complaints.not_open", number=ticket.number)
        return
    await request.expect(ADD, {"id": ticket.id})
    await request.show(
        request.t("complaints.add_prompt", number=ticket.number),
        rows([button(request.t("complaints.buttons.done"), "klv", ticket.id)]),
    )


async def _add_to_ticket(
    request: Request, *, text: str | None = None, attachment: Attachment | None = None
) -> None:
    complaint_id = request.pending.draft.get("id")
    if not isinstance(complaint_id, int):
        await request.expect(None)
        await request.refuse("complaints.no_draft")
        return
    data = request.data
    ticket: Ticket | None = None
    if attachment is not None:
        ticket = await complaints.add_more(
            data.db, request.actor, complaint_id, data.clock.now(), attachment=attachment
        )
    if text and text.strip():
        ticket = await complaints.add_more(
            data.db, request.actor, complaint_id, data.clock.now(), text=text
        )
    if ticket is None:
        await request.say(request.t("errors.empty_text"))
        return
    await request.say(
        request.t("complaints.added", number=ticket.number),
        rows([button(request.t("complaints.buttons.done"), "klv", ticket.id)]),
    )


@action()
async def solved(request: Request) -> None:
    """The member confirms it is solved: the ticket closes."""
    data = request.data
    ticket = await complaints.member_verdict(
        data.db, request.actor, _id(request), True, data.clock.now()
    )
    await request.show(
        request.t("complaints.closed", number=ticket.number),
        rows([button(request.t("complaints.buttons.mine"), "klm")]),
    )


@action()
async def reopen(request: Request) -> None:
    """Not solved: the ticket is open again and the facilitator is told."""
    data = request.data
    ticket = await complaints.member_verdict(
        data.db, request.actor, _id(request), False, data.clock.now()
    )
    await request.expect(ADD, {"id": ticket.id})
    await request.show(
        request.t("complaints.reopened", number=ticket.number),
        rows([button(request.t("complaints.buttons.done"), "klv", ticket.id)]),
    )


@action()
async def send_files(request: Request) -> None:
    """The ticket's photos, voice notes and documents, sent to whoever may see them."""
    ticket = await complaints.ticket(request.data.db, request.actor, _id(request))
    await request.ack()
    chat = request.update.effective_chat
    assert chat is not None
    bot = request.context.bot
    for item in ticket.files:
        caption = f"{ticket.number} · {item.author_name}"
        assert item.file_id is not None
        try:
            if item.kind is AttachmentKind.PHOTO:
                await bot.send_photo(chat.id, item.file_id, caption=caption)
            elif item.kind is AttachmentKind.VOICE:
                await bot.send_voice(chat.id, item.file_id, caption=caption)
            else:
                await bot.send_document(chat.id, item.file_id, caption=caption)
        except TelegramError:
            await request.say(request.t("complaints.file_unavailable", number=ticket.number))
    if not ticket.files:
        await request.say(request.t("complaints.no_files"))


@action()
async def history(request: Request) -> None:
    """Every step of the ticket, with who and when."""
    ticket = await complaints.ticket(request.data.db, request.actor, _id(request))
    lines = [event_line(request.lang, e, ticket.timezone) for e in ticket.events[-25:]]
    await request.show(
        header(request.lang, ticket)
        + "\n"
        + request.t("complaints.history")
        + "\n"
        + "\n".join(lines),
        rows([button(request.t("buttons.back"), "klv", ticket.id)]),
    )


# -- facilitators and coordinators ------------------------------------------------------


@action(Audience.STAFF)
async def inbox_command(request: Request) -> None:
    """/keluhan_masuk: the open tickets, oldest first."""
    await _show_inbox(request, 0, 0)


@action(Audience.STAFF)
async def inbox(request: Request) -> None:
    """The queue, filtered by status and paged."""
    assert request.callback is not None
    await _show_inbox(request, request.callback.arg_or(0, 0), request.callback.arg_or(1, 0))


async def _show_inbox(request: Request, filter_index: int, page: int) -> None:
    t, lang = request.t, request.lang
    if not 0 <= filter_index < len(FILTERS):
        filter_index = 0
    found = await complaints.queue(request.data.db, request.actor, FILTERS[filter_index], page)
    buttons = [
        button(
            f"{s.number} · {shorten(s.group_name, 14)} · {category_name(lang, s.category.value)}"
            + ("" if s.acknowledged else " 🆕"),
            "klv",
            s.id,
        )
        for s in found.tickets
    ]
    paging = []
    if found.page > 0:
        paging.append(button("◀️", "kli", filter_index, found.page - 1))
    if (found.page + 1) * complaints.PAGE < found.total:
        paging.append(button("▶️", "kli", filter_index, found.page + 1))
    filter_buttons = [
        button(("• " if i == filter_index else "") + t(f"complaints.filter.{i}"), "kli", i, 0)
        for i in range(len(FILTERS))
    ]
    extra = [button(t("complaints.buttons.meeting_topics"), "klan")]
    if request.actor.is_coordinator:
        extra.append(button(t("complaints.buttons.handover"), "klho"))
    title = t(
        "complaints.inbox" if found.total else "complaints.inbox_empty",
        filter=t(f"complaints.filter.{filter_index}"),
        count=found.total,
    )
    await request.show(
        title,
        rows(
            *column(buttons, 1),
            paging,
            *column(filter_buttons, 4),
            extra,
            [button(t("buttons.menu"), "mn")],
        ),
    )


async def _staff_ticket(request: Request, complaint_id: int) -> Ticket:
    """The ticket if this staff member handles it (storage refuses otherwise)."""
    return await complaints.ticket(request.data.db, request.actor, complaint_id)


@action(Audience.STAFF)
async def ask_reply(request: Request) -> None:
    """Ask the facilitator to type the answer for the member."""
    ticket = await _staff_ticket(request, _id(request))
    await request.expect(REPLY, {"id": ticket.id})
    await request.show(
        header(request.lang, ticket)
        + "\n"
        + request.t("complaints.reply_prompt", member=ticket.member_name),
        rows([button(request.t("buttons.cancel"), "klq")]),
    )


async def _typed_reply(request: Request) -> None:
    complaint_id = request.pending.draft.get("id")
    assert isinstance(complaint_id, int)
    data = request.data
    ticket = await complaints.reply(
        data.db, request.actor, complaint_id, request.text, data.clock.now()
    )
    await request.expect(None)
    await request.say(
        request.t("complaints.reply_sent", number=ticket.number, member=ticket.member_name),
        staff_markup(request.lang, ticket, coordinator=request.actor.is_coordinator),
    )


@action(Audience.STAFF)
async def status_menu(request: Request) -> None:
    """The statuses the facilitator can set."""
    ticket = await _staff_ticket(request, _id(request))
    t, lang = request.t, request.lang
    buttons = []
    for index, status in enumerate(complaints.STAFF_STATUSES):
        if status is ticket.status:
            continue
        action_name = "klj" if status is ComplaintStatus.REJECTED else "klu"
        args = (ticket.id,) if status is ComplaintStatus.REJECTED else (ticket.id, index)
        buttons.append(button(status_name(lang, status), action_name, *args))
    await request.show(
        header(lang, ticket)
        + "\n"
        + t("complaints.status_prompt", status=status_name(lang, ticket.status)),
        rows(*column(buttons, 2), [button(t("buttons.back"), "klv", ticket.id)]),
    )


@action(Audience.STAFF)
async def set_status(request: Request) -> None:
    """Set received, in progress or resolved; the member is told."""
    index = _id(request, 1)
    if not 0 <= index < len(complaints.STAFF_STATUSES):
        await request.refuse("errors.stale_button")
        return
    status = complaints.STAFF_STATUSES[index]
    if status is ComplaintStatus.REJECTED:
        await request.refuse("errors.stale_button")
        return
    data = request.data
    ticket = await complaints.set_status(
        data.db, request.actor, _id(request), status, data.clock.now()
    )
    await request.show(
        header(request.lang, ticket)
        + "\n"
        + request.t("complaints.status_set", status=status_name(request.lang, status)),
        staff_markup(request.lang, ticket, coordinator=request.actor.is_coordinator),
    )


@action(Audience.STAFF)
async def ask_reject(request: Request) -> None:
    """Rejecting needs a reason the member can understand."""
    ticket = await _staff_ticket(request, _id(request))
    await request.expect(REJECT, {"id": ticket.id})
    await request.show(
        header(request.lang, ticket) + "\n" + request.t("complaints.reject_prompt"),
        rows([button(request.t("buttons.cancel"), "klq")]),
    )


async def _typed_reason(request: Request) -> None:
    complaint_id = request.pending.draft.get("id")
    assert isinstance(complaint_id, int)
    data = request.data
    ticket = await complaints.set_status(
        data.db,
        request.actor,
        complaint_id,
        ComplaintStatus.REJECTED,
        data.clock.now(),
        reason=request.text,
    )
    await request.expect(None)
    await request.say(
        header(request.lang, ticket)
        + "\n"
        + request.t("complaints.status_set", status=status_name(request.lang, ticket.status)),
        staff_markup(request.lang, ticket, coordinator=request.actor.is_coordinator),
    )


@action(Audience.STAFF)
async def forward(request: Request) -> None:
    """Send the ticket to the coordinators."""
    data = request.data
    ticket = await complaints.forward(data.db, request.actor, _id(request), data.clock.now())
    await request.show(
        header(request.lang, ticket) + "\n" + request.t("complaints.forwarded"),
        staff_markup(request.lang, ticket, coordinator=True),
    )


@action(Audience.STAFF)
async def full_text(request: Request) -> None:
    """The whole ticket again, split like the notification."""
    ticket = await _staff_ticket(request, _id(request))
    await request.ack()
    parts = with_header(header(request.lang, ticket), staff_body(request.lang, ticket))
    for part in parts[:-1]:
        await request.say(part)
    await request.say(
        parts[-1], staff_markup(request.lang, ticket, coordinator=request.actor.is_coordinator)
    )


@action(Audience.STAFF)
async def meeting_topics(request: Request) -> None:
    """Open tickets members allowed to be raised at the meeting: no names."""
    t, lang = request.t, request.lang
    sections = []
    for group in await groups.list_groups(request.data.db, request.actor):
        topics = await complaints.meeting_topics(request.data.db, request.actor, group.id)
        if not topics:
            continue
        lines = [
            t(
                "complaints.topic_line",
                n=i,
                category=category_name(lang, c.value),
                text=text if len(text) <= SNIPPET else text[:SNIPPET] + "…",
            )
            for i, (c, text) in enumerate(topics, start=1)
        ]
        sections.append(f"<b>{_escape(group.name)}</b>\n" + "\n".join(lines))
    body = "\n\n".join(sections) if sections else t("complaints.topics_none")
    text = t("complaints.topics_title") + "\n\n" + body
    if len(text) > 4000:
        text = text[:3990].rsplit("\n", 1)[0] + "\n…"
    await request.show(text, rows([button(t("complaints.buttons.inbox"), "kli", 0, 0)]))


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


@action(Audience.COORDINATOR)
async def handover_from(request: Request) -> None:
    """Whose open tickets move (a facilitator who leaves)?"""
    found = await complaints.open_counts(request.data.db, request.actor)
    buttons = [button(f"{name} ({count})", "klhf", pid) for pid, name, count in found if count]
    key = "complaints.handover_from" if buttons else "complaints.handover_nothing"
    await request.show(
        request.t(key),
        rows(*column(buttons, 1), [button(request.t("complaints.buttons.inbox"), "kli", 0, 0)]),
    )


@action(Audience.COORDINATOR)
async def handover_to(request: Request) -> None:
    """To whom?"""
    source = _id(request)
    found = await complaints.open_counts(request.data.db, request.actor)
    buttons = [button(name, "klht", source, pid) for pid, name, _ in found if pid != source]
    await request.show(
        request.t("complaints.handover_to"),
        rows(*column(buttons, 1), [button(request.t("buttons.back"), "klho")]),
    )


@action(Audience.COORDINATOR)
async def handover(request: Request) -> None:
    """Move the open tickets and tell the new facilitator."""
    data = request.data
    moved = await complaints.hand_over(
        data.db, request.actor, _id(request), _id(request, 1), data.clock.now()
    )
    await request.show(
        request.t("complaints.handed_over", count=moved),
        rows([button(request.t("complaints.buttons.inbox"), "kli", 0, 0)]),
    )


# -- registration -----------------------------------------------------------------------


def _button(action_name: str, callback: Any) -> CallbackQueryHandler[BotContext, None]:
    return CallbackQueryHandler(callback, pattern=rf"^{action_name}(:|$)")


FILES = filters.PHOTO | filters.VOICE | filters.Document.ALL


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    return [
        CommandHandler("keluhan", complaint_command),
        CommandHandler("keluhanku", my_tickets),
        CommandHandler("keluhan_masuk", inbox_command),
        _button("kl", complaint_button),
        _button("klg", pick_group),
        _button("klc", pick_category),
        _button("klcc", change_category),
        _button("klr", to_review),
        _button("klb", to_attach),
        _button("kla", toggle_anonymous),
        _button("kls", send),
        _button("klq", cancel_pressed),
        _button("klx", discard),
        _button("klk", keep),
        _button("klo", offer_yes),
        _button("kln", offer_no),
        _button("klm", my_tickets),
        _button("klv", view_ticket),
        _button("kld", add_more),
        _button("klok", solved),
        _button("klre", reopen),
        _button("kle", send_files),
        _button("klh", history),
        _button("kli", inbox),
        _button("klp", ask_reply),
        _button("klt", status_menu),
        _button("klu", set_status),
        _button("klj", ask_reject),
        _button("klf", forward),
        _button("klft", full_text),
        _button("klan", meeting_topics),
        _button("klho", handover_from),
        _button("klhf", handover_to),
        _button("klht", handover),
        MessageHandler(filters.ChatType.PRIVATE & FILES, attachment_received),
    ]
