"""What a person reads about her own data: the summary, the file, the erasure steps."""

from __future__ import annotations

import enum
import html
from datetime import datetime, timedelta

from content.texts import catalogue, t
from storage.audit import Trail
from storage.models import (
    AttachmentKind,
    AttemptKind,
    AttendanceStatus,
    ComplaintCategory,
    ComplaintStatus,
    ConfirmOutcome,
    DeliveryStatus,
    ErasureStatus,
    JoinStatus,
)
from storage.privacy.erasure import PendingErasure
from storage.privacy.own_data import Code, OwnData, Value
from timekeeping.timefmt import format_datetime, format_duration
from views.buttons import ANSWER_ERASURE, MY_DATA, SHOW_MENU, SHOW_TRAIL
from views.keyboards import Keyboard, button, rows
from views.screen import Screen, document


def summary_text(lang: str, data: OwnData) -> str:
    lines = [
        t(
            lang,
            "privacy.summary_line",
            title=t(lang, f"privacy.section.{section.table}"),
            count=len(section.rows),
        )
        for section in data.sections
    ]
    return t(lang, "privacy.my_data", summary="\n".join(lines))


# The steps of "ds:<step>" (handlers/privacy.py): 1 the file, 2 a correction, 3 the
# erasure's explanation, 4 its confirmation (with the number the explanation set).
def summary_markup(lang: str) -> Keyboard:
    return rows(
        [button(t(lang, "privacy.buttons.file"), MY_DATA, 1)],
        [button(t(lang, "privacy.buttons.correct"), MY_DATA, 2)],
        [button(t(lang, "privacy.buttons.erase"), MY_DATA, 3)],
        [button(t(lang, "buttons.menu"), SHOW_MENU)],
    )


def _plain(text: str) -> str:
    return html.unescape(text.replace("<b>", "").replace("</b>", ""))


def _code(lang: str, value: enum.StrEnum) -> str:
    """A stored code in the words the rest of the bot uses for it."""
    match value:
        case AttendanceStatus():
            return t(lang, f"attendance.status.{value}")
        case ComplaintCategory():
            return t(lang, f"complaints.category.{value}")
        case ComplaintStatus():
            return t(lang, f"complaints.status.{value}")
        case ConfirmOutcome():
            return t(lang, f"confirmations.outcome.{value}")
        case AttachmentKind():
            return t(lang, f"privacy.value.attachment.{value}")
        case JoinStatus():
            return t(lang, f"privacy.value.join.{value}")
        case AttemptKind():
            return t(lang, f"privacy.value.attempt.{value}")
        case DeliveryStatus():
            return t(lang, f"privacy.value.delivery.{value}")
        case ErasureStatus():
            return t(lang, f"privacy.value.erasure.{value}")
    raise TypeError(f"no words for {type(value).__name__}")


def _step(lang: str, value: Code) -> str:
    match value.of:
        case "complaint_event":
            return t(lang, f"complaints.event.{value.code}")
        case "confirmation_message":
            return t(lang, f"privacy.value.message.{value.code}")
        case "delivery":
            return t(lang, f"privacy.value.delivery_kind.{value.code}")
        case "audit":
            return _action(lang, f"privacy.actions.{value.code.replace('.', '_')}", value.code)


def _value(lang: str, value: Value, timezone: str) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, Code):
        return _step(lang, value)
    if isinstance(value, enum.StrEnum):
        return _code(lang, value)
    if isinstance(value, bool):
        return t(lang, "privacy.yes" if value else "privacy.no")
    if isinstance(value, datetime):
        return _plain(format_datetime(value, timezone, lang))
    return str(value)


def file_text(lang: str, data: OwnData, now: datetime, retention: timedelta) -> str:
    """The whole record as plain text, section by section, one line per row."""
    when = _plain(format_datetime(now, data.timezone, lang))
    out = [
        _plain(t(lang, "privacy.file_title", name=data.name)),
        _plain(t(lang, "privacy.file_made", when=when)),
        "",
        _plain(t(lang, "privacy.file_why", retention=format_duration(retention, lang))),
    ]
    for section in data.sections:
        out += ["", f"== {_plain(t(lang, f'privacy.section.{section.table}'))} =="]
        if not section.rows:
            out.append(_plain(t(lang, "privacy.none")))
        for row in section.rows:
            out.append(
                "• "
                + "; ".join(
                    f"{_plain(t(lang, f'privacy.field.{key}'))}: "
                    f"{_value(lang, value, data.timezone)}"
                    for key, value in row.fields
                )
            )
    return "\n".join(out) + "\n"


def file_caption(lang: str, data: OwnData, now: datetime) -> str:
    return t(lang, "privacy.file_caption", when=_plain(format_datetime(now, data.timezone, lang)))


def erase_explain_markup(lang: str, nonce: int) -> Keyboard:
    return rows(
        [button(t(lang, "privacy.buttons.erase_confirm"), MY_DATA, 4, nonce)],
        [button(t(lang, "buttons.back"), MY_DATA)],
    )


def erase_question_text(lang: str, pending: PendingErasure) -> str:
    text = t(lang, "privacy.erase_question", member=pending.member_name, group=pending.group_name)
    if pending.status is ErasureStatus.DONE:
        text += "\n\n" + t(lang, "privacy.erase_status_done")
    elif pending.status is ErasureStatus.REFUSED:
        text += "\n\n" + t(lang, "privacy.erase_status_refused")
    return text


def erase_question_markup(lang: str, pending: PendingErasure) -> Keyboard | None:
    if pending.status is not ErasureStatus.PENDING:
        return None
    return rows(
        [
            button(t(lang, "privacy.buttons.erase_yes"), ANSWER_ERASURE, pending.id, 1),
            button(t(lang, "privacy.buttons.erase_no"), ANSWER_ERASURE, pending.id, 0),
        ]
    )


def trail_text(lang: str, trail: Trail, timezone: str) -> str:
    """The access trail, one line per read: when, who, what."""
    if not trail.lines:
        return t(lang, "privacy.trail_title") + "\n" + t(lang, "privacy.trail_empty")
    lines = [
        t(
            lang,
            "privacy.trail_line",
            at=_plain(format_datetime(line.at, timezone, lang)),
            who=line.who,
            action=_action(lang, f"privacy.actions.{line.action.replace('.', '_')}", line.action),
            detail=line.detail,
        )
        for line in trail.lines
    ]
    return t(lang, "privacy.trail_title") + "\n" + "\n".join(lines)


def _action(lang: str, key: str, fallback: str) -> str:
    """The action in words; a step recorded by another feature shows as it was written."""
    return catalogue(lang).get(key, fallback)


def trail_markup(lang: str, trail: Trail) -> Keyboard:
    nav = []
    if trail.more:
        nav.append(button(t(lang, "privacy.trail_older"), SHOW_TRAIL, trail.page + 1))
    if trail.page > 0:
        nav.append(button(t(lang, "privacy.trail_newer"), SHOW_TRAIL, trail.page - 1))
    return rows(nav, [button(t(lang, "buttons.menu"), SHOW_MENU)])


# -- the screens ---------------------------------------------------------------------------


def summary(lang: str, data: OwnData) -> Screen:
    """What is held about her, counted per kind, with the buttons of "Data saya"."""
    return Screen(summary_text(lang, data), summary_markup(lang))


def own_data_file(lang: str, data: OwnData, now: datetime, retention: timedelta) -> Screen:
    """The whole record as a text file, with its caption."""
    content = file_text(lang, data, now, retention).encode("utf-8")
    return document(file_caption(lang, data, now), content, f"data_saya_{now:%Y-%m-%d}.txt")


def erase_question(lang: str, pending: PendingErasure) -> Screen:
    """The facilitator's question about a member's erasure, or its answer."""
    return Screen(erase_question_text(lang, pending), erase_question_markup(lang, pending))


def trail_screen(lang: str, trail: Trail, timezone: str) -> Screen:
    return Screen(trail_text(lang, trail, timezone), trail_markup(lang, trail))
