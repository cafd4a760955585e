"""The month's proposal as the facilitator reads it, its day picker, and the rule itself."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from content.session_render import label
from content.sessions import get_session
from content.texts import Html, t
from storage.meetings.recurring import Confirmed, MonthItem, MonthProposal, RuleView
from timekeeping.holidays import holiday_on
from timekeeping.monthplan import Flag
from timekeeping.recurrence import describe
from timekeeping.timefmt import (
    format_date,
    format_datetime,
    format_day_button,
    format_month,
    format_time,
)
from timekeeping.timeparse import utc_to_local
from views.buttons import CHANGE_DAY, CONFIRM_ALL, DAY_PICKED, PROPOSAL_BUTTON, SHOW_MENU
from views.keyboards import Keyboard, button, column, rows
from views.screen import Screen


def month_name(month: int, lang: str) -> str:
    """ "Januari 2027", from Babel."""
    return format_month(month, lang)


def rule_text(rule: RuleView, lang: str) -> Html:
    """ "Selasa ke-2 setiap bulan, pukul 09.00, di Rumah ketua"."""
    return Html(
        t(
            lang,
            "recurring.rule_line",
            rule=describe(rule.rule, lang),
            time=format_time(rule.at, lang),
            venue=rule.place or t(lang, "meetings.venue_unknown"),
        )
    )


def _notes(item: MonthItem, proposal: MonthProposal, names: dict[int, str], lang: str) -> list[str]:
    p = item.proposal
    notes = []
    if item.already is not None:
        when = format_datetime(item.already, item.rule.timezone, lang)
        return [t(lang, "recurring.note_already", when=when)]
    if Flag.NO_SUCH_DAY in p.flags:
        notes.append(
            t(
                lang,
                "recurring.note_no_such_day",
                rule=describe(item.rule.rule, lang),
                month=month_name(proposal.month, lang),
            )
        )
    if p.holiday is not None and p.rule_day is not None and not item.changed:
        key = "recurring.note_moved" if Flag.HOLIDAY_MOVED in p.flags else "recurring.note_stuck"
        notes.append(t(lang, key, day=format_date(p.rule_day, lang), holiday=p.holiday.name))
    if item.changed and p.holiday is not None and p.day is not None:
        notes.append(t(lang, "recurring.note_chosen_holiday", holiday=p.holiday.name))
    if Flag.CLASH in p.flags:
        others = ", ".join(names.get(int(str(k)), str(k)) for k in p.clashes_with)
        notes.append(t(lang, "recurring.note_clash", groups=others))
    return notes


def _item_lines(
    number: int, item: MonthItem, proposal: MonthProposal, names: dict[int, str], lang: str
) -> str:
    rule = item.rule
    lines = [t(lang, "recurring.item_head", number=number, group=rule.name, code=rule.code)]
    starts_at = item.proposal.starts_at
    if item.already is None and starts_at is not None:
        session = get_session(item.session_number, lang)
        lines.append(
            t(
                lang,
                "recurring.item_when",
                when=format_datetime(starts_at, rule.timezone, lang),
                changed=t(lang, "recurring.item_changed") if item.changed else "",
            )
        )
        lines.append(
            t(
                lang,
                "recurring.item_where",
                venue=rule.place or t(lang, "meetings.venue_unknown"),
                session=label(session, lang),
                title=session.title,
            )
        )
    lines += [f"   ⚠️ {note}" for note in _notes(item, proposal, names, lang)]
    return "\n".join(lines)


def proposal_text(proposal: MonthProposal, lang: str) -> str:
    month = month_name(proposal.month, lang)
    if not proposal.items:
        return t(lang, "recurring.no_rules")
    names = {item.group_id: item.rule.name for item in proposal.items}
    parts = [t(lang, "recurring.proposal_title", month=month, groups=len(proposal.items))]
    parts += [
        _item_lines(number, item, proposal, names, lang)
        for number, item in enumerate(proposal.items, start=1)
    ]
    if not proposal.collective_leave_known:
        parts.append(t(lang, "recurring.leave_unknown", year=proposal.month // 100))
    ready = len(proposal.ready)
    parts.append(
        t(lang, "recurring.proposal_ready", count=ready, month=month)
        if ready
        else t(lang, "recurring.proposal_nothing")
    )
    return "\n\n".join(parts)


def proposal_markup(proposal: MonthProposal, lang: str) -> Keyboard:
    month = proposal.month
    ready = len(proposal.ready)
    confirm = (
        [
            button(
                t(lang, "recurring.buttons.confirm_all", count=ready),
                CONFIRM_ALL,
                month,
                proposal.facilitator_id,
            )
        ]
        if ready
        else []
    )
    changes = [
        button(
            t(lang, "recurring.buttons.change", group=item.rule.name),
            CHANGE_DAY,
            month,
            item.group_id,
        )
        for item in proposal.items
        if item.already is None
    ]
    return rows(confirm, *column(changes, 2), [button(t(lang, "buttons.menu"), SHOW_MENU)])


def proposal(proposal_: MonthProposal, lang: str) -> Screen:
    return Screen(proposal_text(proposal_, lang), proposal_markup(proposal_, lang))


def day_picker(item: MonthItem, month: int, lang: str, now: datetime) -> Screen:
    """Every remaining day of the month as a button; holidays and leave days marked."""
    rule = item.rule
    year, number = divmod(month, 100)
    first = date(year, number, 1)
    last = calendar.monthrange(year, number)[1]
    local_today = utc_to_local(now, rule.timezone).date()
    buttons = []
    for day in (first.replace(day=d) for d in range(1, last + 1)):
        if day < local_today:
            continue
        mark = "🔴 " if holiday_on(day) is not None else ""
        buttons.append(
            button(mark + format_day_button(day, lang), DAY_PICKED, month, rule.group_id, day.day)
        )
    text = t(
        lang,
        "recurring.pick_day",
        group=rule.name,
        month=month_name(month, lang),
        time=format_time(rule.at, lang),
    )
    back = [button(t(lang, "recurring.buttons.back"), PROPOSAL_BUTTON, month)]
    return Screen(text, rows(*column(buttons, 4), back))


def _already_text(result: Confirmed, lang: str) -> str:
    """A second press of "Jadwalkan semua" (a double tap): what was scheduled, not "0"."""
    month = month_name(result.month, lang)
    lines = [t(lang, "recurring.confirmed_before", month=month)]
    for item in result.already:
        assert item.already is not None
        when = format_datetime(item.already, item.rule.timezone, lang)
        lines.append(t(lang, "recurring.confirmed_line", group=item.rule.name, when=when))
    return "\n".join(lines)


def confirmed_text(result: Confirmed, lang: str) -> str:
    month = month_name(result.month, lang)
    if not result.scheduled and result.already:
        return _already_text(result, lang)
    lines = [t(lang, "recurring.confirmed", count=len(result.scheduled), month=month)]
    for item in result.scheduled:
        starts_at = item.proposal.starts_at
        assert starts_at is not None
        lines.append(
            t(
                lang,
                "recurring.confirmed_line",
                group=item.rule.name,
                when=format_datetime(starts_at, item.rule.timezone, lang),
            )
        )
    left = [item for item in result.left if item.already is None]
    if left:
        lines.append("")
        lines.append(
            t(lang, "recurring.confirmed_left", groups=", ".join(i.rule.name for i in left))
        )
    return "\n".join(lines)
