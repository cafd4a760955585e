"""/laporan, /ekspor, /grafik, /foto: the month's report, its files, its chart, the record.

A facilitator taps "Laporan" and gets this month's report with an Excel button: two taps to a
spreadsheet of all their groups. Each group leads to its meetings' P2K2 activity records,
whose description the facilitator can rewrite and whose photo the chair can send."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

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


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    def on(name: str, callback: Any) -> CallbackQueryHandler[BotContext, None]:
        return CallbackQueryHandler(callback, pattern=rf"^{name}(:|$)")

    return [
        CommandHandler("laporan", report_command),
        CommandHandler("ekspor", export_command),
        CommandHandler("grafik", chart),
        CommandHandler("foto", photo_start),
        on("rp", report_button),
        on("rpg", group_button),
        on("rx", export_button),
        on("rc", chart),
        on("rr", record_button),
        on("rre", edit_description),
        on("rrt", ask_end_time),
        on("rrd", use_draft),
        on("rra", attendance_list),
        on("rph", photo_start),
        on("rpk", photo_picked),
        on("rpl", photo_done),
        on("rpv", see_photo),
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
