"""Monthly P2K2 reports: what happened in each group, rolled up per facilitator and per area.

A coordinator's month covers thousands of groups, so everything is read with a handful of
set-based queries (grouped counts over the month's meetings), never one query per group.
The chat report, the spreadsheet and the chart all read these same numbers.

    model     the figures (MeetingLine, GroupMonth, MonthReport, ChartData), no queries
    errors    why a report use case says no
    months    which month: parsing, the window that covers it in every time zone
    scope     whose groups: storage/access.py's condition, narrowed to one group
    queries   the per-month aggregation queries, one per kind of figure
    collect   the queries put together as GroupMonth, month by month; month_report
    charts    six months of attendance for the chart
    rollup    a coordinator's area level by level (kecamatan, kabupaten/kota, province),
              added up from each group's month in figures (storage/month_counts.py)
    exports   what a month's spreadsheet holds, from the same figures
    activity_record   one meeting in the fields of the government's form, with its photo
    status_board      the facilitator's month at a glance, group by group

The one table of report fields that the chat report and the files read is
views/report_fields.py: a field is worded there, computed from these figures."""

from storage.reports.charts import attendance_chart, chart_from
from storage.reports.collect import collect, month_report, natural, ordered_groups
from storage.reports.model import (
    ChartData,
    FacilitatorMonth,
    GroupMonth,
    MeetingLine,
    MeetingState,
    MonthReport,
    Point,
    Series,
    StatusCounts,
    rate,
)
from storage.reports.months import (
    CHART_MONTHS,
    EASTMOST,
    WESTMOST,
    chart_months,
    check_month,
    current_month,
    month_window,
    parse_month,
)
from storage.reports.queries import meeting_ids_between
from storage.reports.scope import Scope, group_for_code, home_month, resolve_scope

__all__ = [
    "CHART_MONTHS",
    "EASTMOST",
    "WESTMOST",
    "ChartData",
    "FacilitatorMonth",
    "GroupMonth",
    "MeetingLine",
    "MeetingState",
    "MonthReport",
    "Point",
    "Scope",
    "Series",
    "StatusCounts",
    "attendance_chart",
    "chart_from",
    "chart_months",
    "check_month",
    "collect",
    "current_month",
    "group_for_code",
    "home_month",
    "meeting_ids_between",
    "month_report",
    "month_window",
    "natural",
    "ordered_groups",
    "parse_month",
    "rate",
    "resolve_scope",
]
