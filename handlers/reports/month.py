"""/laporan: the month's report for a facilitator, a coordinator or a chair, and a group's page."""

from __future__ import annotations

from typing import Any

from content.session_render import session_label
from handlers.base import Audience, Request, action
from handlers.reports.common import GROUP_BUTTONS, parse_args, send_parts, this_month
from storage import reports
from storage.reports import MonthReport
from storage.roles import Role
from timekeeping.months import shift_month
from timekeeping.timeparse import utc_to_local
from views.buttons import (
    CHART,
    EXPORT_BUTTON,
    GROUP_BUTTON,
    RECORD_BUTTON,
    REPORT_BUTTON,
    SHOW_MENU,
)
from views.keyboards import Keyboard, button, column, rows
from views.reports import group_block, month_name, render_report
from views.split import split_html

# -- the monthly report -------------------------------------------------------------------


@action(Audience.REPORTS)
async def report_command(request: Request) -> None:
    """/laporan [YYYY-MM] [CODE]: the month's report (this month by default)."""
    month, code, _ = parse_args(request, await this_month(request))
    await _show_report(request, month, code)


@action(Audience.REPORTS)
async def report_button(request: Request) -> None:
    """The report button (no month: this month) or a month's arrow."""
    # 0 (or no argument) is "this month"; anything else must be a real month.
    month = request.pressed.arg_or(0, 0) and request.pressed.month(0)
    await _show_report(request, month or None, None)


async def _show_report(request: Request, month: int | None, code: str | None) -> None:
    now = request.data.clock.now()
    db, actor = request.data.db, request.actor
    sla = request.data.settings.complaint_sla
    fallback = None
    if month is None:
        month = await this_month(request)
        report = await reports.month_report(db, actor, month, now, group_code=code, sla=sla)
        if report.meetings == 0:
            earlier = await reports.month_report(
                db, actor, shift_month(month, -1), now, group_code=code, sla=sla
            )
            if earlier.meetings:
                fallback, report = month, earlier
    else:
        report = await reports.month_report(db, actor, month, now, group_code=code, sla=sla)
    parts = render_report(request, report, fallback)
    await send_parts(request, split_html(parts), _report_keyboard(request, report, now))


def _report_keyboard(request: Request, report: MonthReport, now: Any) -> Keyboard:
    t, month = request.t, report.month
    files = (
        [
            button(t("reports.buttons.xlsx"), EXPORT_BUTTON, 1, month),
            button(t("reports.buttons.csv"), EXPORT_BUTTON, 2, month),
        ]
        if report.meetings
        else []
    )
    groups = []
    # Group pages lead to the activity record (programme ids, the facilitator's own words):
    # a facilitator's work, not a chair's or a coordinator's.
    if report.audience is Role.FACILITATOR:
        groups = [
            button(t("reports.buttons.group", group=g.name), GROUP_BUTTON, g.id, month)
            for g in report.groups[:GROUP_BUTTONS]
        ]
    previous, following = shift_month(month, -1), shift_month(month, 1)
    arrows = [
        button(
            t("reports.buttons.previous", month=month_name(request, previous)),
            REPORT_BUTTON,
            previous,
        )
    ]
    if following <= reports.current_month(now):
        arrows.append(
            button(
                t("reports.buttons.next", month=month_name(request, following)),
                REPORT_BUTTON,
                following,
            )
        )
    return rows(
        files,
        [button(t("reports.buttons.chart"), CHART)],
        *column(groups, 2),
        arrows,
        [button(t("buttons.menu"), SHOW_MENU)],
    )


@action(Audience.READERS)
async def group_button(request: Request) -> None:
    """One group's month: its meetings, each leading to the activity record."""
    group_id, month = request.pressed.arg(0), request.pressed.month(1)
    now = request.data.clock.now()
    report = await reports.month_report(
        request.data.db, request.actor, month, now, group_id=group_id
    )
    if not report.groups:
        await request.refuse("errors.stale_button")
        return
    group = report.groups[0]
    t = request.t
    text = "\n\n".join(
        [
            t(
                "reports.group_title",
                group=group.name,
                code=group.code,
                month=month_name(request, month),
            ),
            group_block(request, group, report),
            t("reports.group_pick_meeting") if group.meetings else "",
        ]
    ).strip()
    meetings = [
        button(
            t(
                "reports.buttons.meeting",
                date=utc_to_local(m.starts_at, group.timezone).strftime("%d/%m"),
                session=session_label(m.session_number, request.lang),
            ),
            RECORD_BUTTON,
            m.id,
        )
        for m in group.meetings
    ]
    files = (
        [button(t("reports.buttons.group_xlsx"), EXPORT_BUTTON, 1, month, group.id)]
        if report.meetings
        else []
    )
    await send_parts(
        request,
        split_html(text),
        rows(
            *column(meetings, 1),
            files,
            [button(t("reports.buttons.back_report"), REPORT_BUTTON, month)],
            [button(t("buttons.menu"), SHOW_MENU)],
        ),
    )
