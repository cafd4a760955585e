"""The staff queue: /keluhan_masuk, its status filters and pages, and the meeting topics."""

from __future__ import annotations

import html

from handlers.base import Audience, Request, action
from storage import access, complaints, groups
from storage.models.complaints import ComplaintStatus
from views.buttons import COMPLAINT_INBOX, HANDOVER_FROM, MEETING_TOPICS, SHOW_MENU, VIEW_TICKET
from views.complaints import category_name
from views.keyboards import Key, button, column, rows, shorten
from views.screen import Screen

FILTERS: tuple[tuple[ComplaintStatus, ...], ...] = (
    complaints.OPEN,
    (ComplaintStatus.NEW,),
    (ComplaintStatus.RECEIVED,),
    (ComplaintStatus.IN_PROGRESS,),
    (ComplaintStatus.RESOLVED,),
    (ComplaintStatus.REJECTED,),
    (ComplaintStatus.CLOSED,),
)


@action(Audience.STAFF)
async def inbox_command(request: Request) -> None:
    """/keluhan_masuk: the open tickets, oldest first."""
    await show_inbox(request, 0, 0)


@action(Audience.STAFF)
async def inbox(request: Request) -> None:
    """The queue, filtered by status and paged."""
    await show_inbox(request, request.pressed.get("filter", 0), request.pressed.get("page", 0))


async def show_inbox(request: Request, filter_index: int, page: int) -> None:
    t, lang = request.t, request.lang
    if not 0 <= filter_index < len(FILTERS):
        filter_index = 0
    found = await complaints.queue(request.data.db, request.actor, FILTERS[filter_index], page)
    buttons = [
        button(
            ("🛡 " if complaints.is_protected(s.category) else "")
            + f"{s.number} · {shorten(s.group_name, 14)} · {category_name(lang, s.category.value)}"
            + ("" if s.acknowledged else " 🆕"),
            VIEW_TICKET,
            s.id,
        )
        for s in found.tickets
    ]
    paging = []
    if found.page > 0:
        paging.append(button("◀️", COMPLAINT_INBOX, filter_index, found.page - 1))
    if (found.page + 1) * complaints.PAGE < found.total:
        paging.append(button("▶️", COMPLAINT_INBOX, filter_index, found.page + 1))
    filter_buttons = [
        button(
            ("• " if i == filter_index else "") + t(f"complaints.filter.{i}"), COMPLAINT_INBOX, i, 0
        )
        for i in range(len(FILTERS))
    ]
    extra = [button(t("complaints.buttons.meeting_topics"), MEETING_TOPICS)]
    if access.may(request.actor, access.Duty.COORDINATE):
        extra.append(button(t("complaints.buttons.handover"), HANDOVER_FROM))
    title = t(
        "complaints.inbox" if found.total else "complaints.inbox_empty",
        filter=t(f"complaints.filter.{filter_index}"),
        count=found.total,
    )
    await request.show(
        Screen(
            title,
            rows(
                *column(buttons, 1),
                paging,
                *column(filter_buttons, 4),
                extra,
                [button(t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


@action(Audience.STAFF)
async def meeting_topics(request: Request) -> None:
    """Problems members allowed the facilitator to raise at the meeting in their own words.

    The member's text is not shown here (only the kind of problem and the ticket to open):
    a list to read out would break the promise of no names."""
    t, lang = request.t, request.lang
    sections = []
    opened: list[Key] = []
    for group in await groups.list_groups(request.data.db, request.actor):
        topics = await complaints.meeting_topics(request.data.db, request.actor, group.id)
        if not topics:
            continue
        lines = [
            t(
                "complaints.topic_line",
                n=i,
                category=category_name(lang, topic.category.value),
                number=topic.number,
            )
            for i, topic in enumerate(topics, start=1)
        ]
        opened.extend(button(topic.number, VIEW_TICKET, topic.id) for topic in topics)
        sections.append(f"<b>{_escape(group.name)}</b>\n" + "\n".join(lines))
    body = "\n\n".join(sections) if sections else t("complaints.topics_none")
    text = t("complaints.topics_title") + "\n\n" + body
    if len(text) > 4000:
        text = text[:3990].rsplit("\n", 1)[0] + "\n…"
    await request.show(
        Screen(
            text,
            rows(
                *column(opened[:24], 4),
                [button(t("complaints.buttons.inbox"), COMPLAINT_INBOX, 0, 0)],
            ),
        ),
    )


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
