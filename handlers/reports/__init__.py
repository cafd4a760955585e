"""/laporan, /ekspor, /grafik, /foto: the month's report, its files, its chart, the record.

A facilitator taps "Laporan" and gets this month's report with an Excel button: two taps to a
spreadsheet of all their groups. Each group leads to its meetings' P2K2 activity records,
whose description the facilitator can rewrite and whose photo the chair can send."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import on_button
from handlers.context import BotContext
from handlers.reports.common import DESCRIPTION, LOCATION, PHOTO
from handlers.reports.files import chart, export_button, export_command
from handlers.reports.month import group_button, report_button, report_command
from handlers.reports.photo import (
    media_received,
    photo_done,
    photo_picked,
    photo_start,
    see_photo,
    typed_while_photo,
)
from handlers.reports.record import (
    ask_end_time,
    attendance_list,
    edit_description,
    record_button,
    typed_description,
    typed_end_time,
    use_draft,
)
from views.buttons import (
    ASK_END_TIME,
    ATTENDANCE_LIST,
    CHART,
    EDIT_DESCRIPTION,
    EXPORT_BUTTON,
    GROUP_BUTTON,
    PHOTO_DONE,
    PHOTO_PICKED,
    PHOTO_START,
    RECORD_BUTTON,
    REPORT_BUTTON,
    SEE_PHOTO,
    USE_DRAFT,
)


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:

    return [
        CommandHandler("laporan", report_command),
        CommandHandler("ekspor", export_command),
        CommandHandler("grafik", chart),
        CommandHandler("foto", photo_start),
        on_button(REPORT_BUTTON, report_button),
        on_button(GROUP_BUTTON, group_button),
        on_button(EXPORT_BUTTON, export_button),
        on_button(CHART, chart),
        on_button(RECORD_BUTTON, record_button),
        on_button(EDIT_DESCRIPTION, edit_description),
        on_button(ASK_END_TIME, ask_end_time),
        on_button(USE_DRAFT, use_draft),
        on_button(ATTENDANCE_LIST, attendance_list),
        on_button(PHOTO_START, photo_start),
        on_button(PHOTO_PICKED, photo_picked),
        on_button(PHOTO_DONE, photo_done),
        on_button(SEE_PHOTO, see_photo),
    ]


__all__ = [
    "DESCRIPTION",
    "LOCATION",
    "PHOTO",
    "handlers",
    "media_received",
    "typed_description",
    "typed_end_time",
    "typed_while_photo",
]
