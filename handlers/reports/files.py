"""/ekspor and /grafik: the month's report as XLSX or CSV, and the attendance chart."""

from __future__ import annotations

import asyncio

from handlers.base import Audience, Request, action
from handlers.reports.common import KINDS, parse_args, this_month
from storage import reports
from storage.reports import exports
from views.buttons import EXPORT_BUTTON, SHOW_MENU
from views.charts import render_chart
from views.exports import build, file_name
from views.keyboards import button, rows
from views.reports import month_name
from views.screen import Screen, document, photo

# -- exports ------------------------------------------------------------------------------


@action(Audience.REPORTS)
async def export_command(request: Request) -> None:
    """/ekspor [YYYY-MM] [CODE] [xlsx|csv]: pick a format, or get the file at once."""
    current = await this_month(request)
    month, code, kind = parse_args(request, current)
    now = request.data.clock.now()
    month = month or current
    reports.check_month(month, now)
    group_id = await reports.group_for_code(request.data.db, request.actor, code) if code else 0
    if kind is not None:
        await _send_export(request, kind, month, group_id)
        return
    extra = (group_id,) if group_id else ()
    await request.say(
        Screen(
            request.t("reports.export_pick", month=month_name(request, month)),
            rows(
                [
                    button(request.t("reports.buttons.xlsx"), EXPORT_BUTTON, 1, month, *extra),
                    button(request.t("reports.buttons.csv"), EXPORT_BUTTON, 2, month, *extra),
                ],
                [button(request.t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


@action(Audience.REPORTS)
async def export_button(request: Request) -> None:
    """An export button: the file, sent as a document."""
    kind = KINDS.get(request.pressed.arg(0))
    month = request.pressed.month(1)
    if kind is None:
        await request.refuse("errors.stale_button")
        return
    await _send_export(request, kind, month, request.pressed.arg_or(2, 0))


async def _send_export(request: Request, kind: str, month: int, group_id: int) -> None:
    data = await exports.export_month(
        request.data.db,
        request.actor,
        month,
        request.data.clock.now(),
        group_id=group_id or None,
        with_chart=kind == "xlsx",
        sla=request.data.settings.complaint_sla,
    )
    await request.ack()
    content, _ = await asyncio.to_thread(build, data, request.lang, kind)
    code = data.report.groups[0].code if group_id and data.report.groups else None
    month_text = month_name(request, month)
    if kind == "csv":
        caption = request.t(
            "reports.export_caption_csv",
            month=month_text,
            rows=sum(len(s.members) * len(s.meetings) for s in data.sheets),
        )
    else:
        caption = request.t(
            "reports.export_caption",
            month=month_text,
            groups=len(data.report.groups),
            sheets=len(data.sheets),
        )
    await request.say(document(caption, content, file_name(data, kind, code)))


# -- the chart ----------------------------------------------------------------------------


@action(Audience.REPORTS)
async def chart(request: Request) -> None:
    """/grafik: attendance per group (per facilitator for coordinators) over six months."""
    data = await reports.attendance_chart(
        request.data.db, request.actor, request.data.clock.now(), await this_month(request)
    )
    if data.empty:
        await request.show(
            Screen(
                request.t("reports.chart_empty"),
                rows([button(request.t("buttons.menu"), SHOW_MENU)]),
            )
        )
        return
    await request.ack()
    images = await asyncio.to_thread(render_chart, data, request.lang)
    caption = request.t(
        "reports.chart_caption",
        first=month_name(request, data.months[0]),
        last=month_name(request, data.months[-1]),
    )
    for index, image in enumerate(images):
        last = index == len(images) - 1
        await request.say(
            photo(caption if last else "", content=image, file_name=f"grafik-{index + 1}.png")
        )
