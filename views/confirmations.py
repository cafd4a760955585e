"""The confirmation request as the chair reads it, step by step, and the answers so far."""

from __future__ import annotations

from content.session_render import session_label
from content.texts import t
from storage.confirmations import RequestView
from storage.models.attendance import ConfirmOutcome, ConfirmStep
from timekeeping.timefmt import format_date, format_datetime
from views.buttons import (
    CONFIRM_COUNT,
    CONFIRM_INFO,
    CONFIRM_OUTCOME,
    CONFIRM_RESTART,
    DATE_UNKNOWN,
    NO_NOTES,
)
from views.keyboards import Key, button, column, rows
from views.screen import Screen

NUMBER_GRID_LIMIT = 40
OUTCOME_CODES = {ConfirmOutcome.HELD: 1, ConfirmOutcome.MOVED: 2, ConfirmOutcome.NOT_HELD: 3}


def header(lang: str, view: RequestView) -> str:
    meeting = view.meeting
    return t(
        lang,
        "confirm.header",
        group=meeting.group_name,
        when=format_datetime(meeting.starts_at, meeting.timezone, lang),
        session=session_label(meeting.session_number, lang),
    )


def answers(lang: str, view: RequestView) -> str:
    """What the chair answered so far, one line each."""
    lines = []
    if view.outcome is not None:
        lines.append(
            t(lang, "confirm.line_outcome", value=t(lang, f"confirm.outcome.{view.outcome.value}"))
        )
    if view.attendees is not None:
        lines.append(t(lang, "confirm.line_count", count=view.attendees, roster=view.roster_size))
    if view.info_passed is not None:
        value = t(lang, "confirm.answer_yes" if view.info_passed else "confirm.answer_no")
        lines.append(t(lang, "confirm.line_info", value=value))
    if view.outcome is ConfirmOutcome.MOVED and view.step in (ConfirmStep.NOTES, ConfirmStep.DONE):
        value = (
            format_date(view.moved_to, lang) if view.moved_to else t(lang, "confirm.unknown_date")
        )
        lines.append(t(lang, "confirm.line_date", value=value))
    if view.notes:
        lines.append(t(lang, "confirm.line_notes", value=view.notes))
    if not lines:
        return ""
    return t(lang, "confirm.so_far") + "\n" + "\n".join(lines)


def render_step(lang: str, view: RequestView, intro: str | None = None) -> Screen:
    """The question the chair is at, with its buttons; the same in a delivery and a reply."""
    rid = view.id
    parts = [intro] if intro else []
    parts.append(header(lang, view))
    so_far = answers(lang, view)
    if so_far:
        parts.append(so_far)
    restart = [button(t(lang, "confirm.buttons.restart"), CONFIRM_RESTART, rid)]
    keyboard: list[list[Key]] = []
    match view.step:
        case ConfirmStep.OUTCOME:
            parts.append(t(lang, "confirm.q_outcome"))
            parts.append(t(lang, "confirm.reply_hint"))
            keyboard = [
                [button(t(lang, f"confirm.buttons.{outcome.value}"), CONFIRM_OUTCOME, rid, code)]
                for outcome, code in OUTCOME_CODES.items()
            ]
        case ConfirmStep.COUNT:
            parts.append(t(lang, "confirm.q_count", roster=view.roster_size))
            if view.roll_call_hadir is not None:
                parts.append(t(lang, "confirm.q_count_prefill", count=view.roll_call_hadir))
                keyboard.append(
                    [
                        button(
                            t(lang, "confirm.buttons.prefill", count=view.roll_call_hadir),
                            CONFIRM_COUNT,
                            rid,
                            view.roll_call_hadir,
                        )
                    ]
                )
            if view.roster_size <= NUMBER_GRID_LIMIT:
                numbers = [
                    button(str(n), CONFIRM_COUNT, rid, n) for n in range(view.roster_size + 1)
                ]
                keyboard.extend(column(numbers, 6))
            else:
                parts.append(t(lang, "confirm.q_count_large"))
            keyboard.append(restart)
        case ConfirmStep.INFO:
            parts.append(t(lang, "confirm.q_info"))
            keyboard = [
                [
                    button(t(lang, "confirm.buttons.info_yes"), CONFIRM_INFO, rid, 1),
                    button(t(lang, "confirm.buttons.info_no"), CONFIRM_INFO, rid, 0),
                ],
                restart,
            ]
        case ConfirmStep.DATE:
            parts.append(t(lang, "confirm.q_date"))
            keyboard = [
                [button(t(lang, "confirm.buttons.date_unknown"), DATE_UNKNOWN, rid)],
                restart,
            ]
        case ConfirmStep.NOTES:
            parts.append(t(lang, "confirm.q_notes"))
            keyboard = [[button(t(lang, "confirm.buttons.no_notes"), NO_NOTES, rid)], restart]
        case ConfirmStep.DONE:
            parts.append(t(lang, "confirm.done"))
            parts.append(t(lang, "confirm.done_hint"))
    return Screen("\n\n".join(parts), rows(*keyboard) if keyboard else None)
