"""/jadwal_tetap and /usulan_jadwal: a group's standing monthly rule, and the month's proposal.

A rule is set with buttons (day of the week, which one of the month, time, place) or in one
line: `/jadwal_tetap MAWAR1 selasa-2 09.00 Rumah ketua`. The proposal lists next month's
meetings of every group with a rule; "Jadwalkan semua" schedules them in one tap, ✏️ changes
one group's date first (kept in the person's pending draft until she confirms)."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from babel.dates import get_day_names
from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from handlers.base import Audience, Request, action, on_button
from handlers.context import BotContext
from handlers.meetings.common import TIME_CHOICES
from handlers.steps import text_step
from storage import groups, reports
from storage.errors import UseCaseError
from storage.meetings import recurring
from timekeeping.recurrence import (
    LAST,
    DayOfMonth,
    DayRule,
    NthWeekday,
    RuleInputError,
    describe,
    parse_rule,
)
from timekeeping.timefmt import format_time
from timekeeping.timeparse import TimeInputError, parse_time
from views import month_plan
from views.buttons import (
    CHANGE_DAY,
    CONFIRM_ALL,
    DAY_PICKED,
    MENU_CANCEL,
    NTH_PICKED,
    PROPOSAL_BUTTON,
    RECURRING_TIME_PICKED,
    RECURRING_USUAL_VENUE,
    RULE_CLEAR,
    RULE_START,
    RULES_LIST,
    SHOW_MENU,
    WEEKDAY_PICKED,
)
from views.keyboards import button, column, rows
from views.screen import Screen

RULE_DAY = "rule_day"  # the fixed day of the month, typed
RULE_TIME = "rule_time"
RULE_VENUE = "rule_venue"
FIXED_DAY = 7  # the "fixed date" choice among the weekday buttons
LAST_BUTTON = 9  # callback data carries small non-negative numbers
# A time in the one-line command has a separator ("09.00", "9:30"), so "selasa 2" stays a day.
_LINE_TIME = re.compile(r"\d{1,2}[.:]\d{2}", re.ASCII)
_TIME_WORDS = {"pukul", "jam", "at"}
_VENUE_WORDS = {"di", "at"}


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:

    return [
        CommandHandler("jadwal_tetap", rules_command),
        CommandHandler("usulan_jadwal", proposal_command),
        on_button(RULES_LIST, rules_list),
        on_button(RULE_START, rule_start),
        on_button(WEEKDAY_PICKED, weekday_picked),
        on_button(NTH_PICKED, nth_picked),
        on_button(RECURRING_TIME_PICKED, time_picked),
        on_button(RECURRING_USUAL_VENUE, usual_venue),
        on_button(RULE_CLEAR, rule_clear),
        on_button(PROPOSAL_BUTTON, proposal_button),
        on_button(CHANGE_DAY, change_day),
        on_button(DAY_PICKED, day_picked),
        on_button(CONFIRM_ALL, confirm_all),
    ]


# -- the rules --------------------------------------------------------------------------------


@action(Audience.FACILITATOR)
async def rules_command(request: Request) -> None:
    """/jadwal_tetap: the list with buttons, or one line that sets a rule."""
    if request.args:
        await _rule_from_line(request, request.args)
        return
    await _show_rules(request)


@action(Audience.FACILITATOR)
async def rules_list(request: Request) -> None:
    await _show_rules(request)


async def _show_rules(request: Request) -> None:
    t = request.t
    own = await groups.list_groups(request.data.db, request.actor)
    if not own:
        await request.show(
            Screen(t("recurring.no_groups"), rows([button(t("buttons.menu"), SHOW_MENU)]))
        )
        return
    rules = {r.group_id: r for r in await recurring.rules_of(request.data.db, request.actor)}
    lines = [t("recurring.list_title"), t("recurring.list_intro"), ""]
    for group in own:
        rule = rules.get(group.id)
        if rule is None:
            lines.append(t("recurring.list_none", group=group.name, code=group.code))
        else:
            lines.append(
                t(
                    "recurring.list_line",
                    group=group.name,
                    code=group.code,
                    rule=month_plan.rule_text(rule, request.lang),
                )
            )
    lines += ["", t("recurring.list_howto")]
    month = _next_month(request)
    proposal = (
        [
            [
                button(
                    t("recurring.buttons.proposal", month=_month(request, month)),
                    PROPOSAL_BUTTON,
                    month,
                )
            ]
        ]
        if rules
        else []
    )
    buttons = [button(f"🔁 {g.name}", RULE_START, g.id) for g in own]
    await request.show(
        Screen(
            "\n".join(lines),
            rows(*column(buttons, 2), *proposal, [button(t("buttons.menu"), SHOW_MENU)]),
        ),
    )


def _next_month(request: Request) -> int:
    return recurring.next_month_of(request.data.clock.now(), request.data.settings.timezone)


def _month(request: Request, month: int) -> str:
    return month_plan.month_name(month, request.lang)


def _split_line(words: list[str]) -> tuple[str, str, str]:
    """("selasa-2", "09.00", "Rumah ketua") from the words after the group code."""
    for index, word in enumerate(words):
        if _LINE_TIME.fullmatch(word):
            rule_words = [w for w in words[:index] if w.lower() not in _TIME_WORDS]
            venue = words[index + 1 :]
            if venue and venue[0].lower() in _VENUE_WORDS:
                venue = venue[1:]
            return " ".join(rule_words), word, " ".join(venue)
    raise UseCaseError("recurring.errors.no_time")


def _parse_rule(text: str) -> DayRule:
    try:
        return parse_rule(text)
    except RuleInputError as exc:
        raise UseCaseError(f"recurring.errors.rule_{exc.code}", words=exc.words[:40]) from None


async def _rule_from_line(request: Request, args: list[str]) -> None:
    if len(args) < 3:
        raise UseCaseError("recurring.errors.line_format")
    group_id = await recurring.group_id_for_code(request.data.db, request.actor, args[0])
    rule_words, time_word, venue = _split_line(args[1:])
    rule = _parse_rule(rule_words)
    try:
        at = parse_time(time_word)
    except TimeInputError as exc:
        raise UseCaseError(f"meetings.errors.time_{exc.code}") from None
    await _save(request, group_id, rule, at, venue or None)


async def _save(
    request: Request, group_id: int, rule: DayRule, at: time, venue: str | None
) -> None:
    saved = await recurring.set_rule(
        request.data.db, request.actor, group_id, rule, at, venue, request.data.clock.now()
    )
    await request.expect(None)
    t = request.t
    month = _next_month(request)
    await request.show(
        Screen(
            t("recurring.saved", group=saved.name, rule=month_plan.rule_text(saved, request.lang)),
            rows(
                [
                    button(
                        t("recurring.buttons.proposal", month=_month(request, month)),
                        PROPOSAL_BUTTON,
                        month,
                    )
                ],
                [button(t("buttons.back"), RULES_LIST)],
                [button(t("buttons.menu"), SHOW_MENU)],
            ),
        ),
    )


# -- the rule with buttons --------------------------------------------------------------------


def _weekday(lang: str, weekday: int) -> str:
    return str(get_day_names("wide", locale="en" if lang == "en" else "id")[weekday])


@action(Audience.FACILITATOR)
async def rule_start(request: Request) -> None:
    """Step 1: the day of the week (or a fixed date)."""
    group_id = request.pressed["group"]
    detail = await groups.group_detail(request.data.db, request.actor, group_id)
    current = await recurring.group_rule(request.data.db, request.actor, group_id)
    await request.expect(None)
    t = request.t
    days = [button(_weekday(request.lang, d), WEEKDAY_PICKED, group_id, d) for d in range(7)]
    days.append(button(t("recurring.buttons.fixed_day"), WEEKDAY_PICKED, group_id, FIXED_DAY))
    clear = [[button(t("recurring.buttons.clear"), RULE_CLEAR, group_id)]] if current else []
    text = t("recurring.pick_weekday", group=detail.group.name)
    if current is not None:
        text = (
            t(
                "recurring.list_line",
                group=current.name,
                code=current.code,
                rule=month_plan.rule_text(current, request.lang),
            )
            + "\n\n"
            + text
        )
    await request.show(
        Screen(text, rows(*column(days, 4), *clear, [button(t("buttons.back"), RULES_LIST)])),
    )


@action(Audience.FACILITATOR)
async def weekday_picked(request: Request) -> None:
    """Step 2: which one of the month (or, for a fixed date, the day typed)."""
    group_id, weekday = request.pressed["group"], request.pressed["weekday"]
    detail = await groups.group_detail(request.data.db, request.actor, group_id)
    t, name = request.t, detail.group.name
    if weekday == FIXED_DAY:
        await request.expect(RULE_DAY, _draft(detail.group.id, name, detail.group.venue))
        await request.show(
            Screen(
                t("recurring.ask_day_number", group=name),
                rows([button(t("buttons.cancel"), MENU_CANCEL)]),
            ),
        )
        return
    if not 0 <= weekday <= 6:
        await request.refuse("errors.stale_button")
        return
    nths = [
        button(t("recurring.nth_button", nth=n), NTH_PICKED, group_id, weekday, n)
        for n in range(1, 6)
    ]
    nths.append(button(t("recurring.buttons.last"), NTH_PICKED, group_id, weekday, LAST_BUTTON))
    await request.show(
        Screen(
            t("recurring.pick_nth", group=name, weekday=_weekday(request.lang, weekday)),
            rows(*column(nths, 3), [button(t("buttons.back"), RULE_START, group_id)]),
        ),
    )


def _draft(group_id: int, name: str, usual: str | None) -> dict[str, Any]:
    return {"group": group_id, "gname": name, "usual": usual}


def _draft_rule(draft: dict[str, Any]) -> DayRule:
    if "day" in draft:
        return DayOfMonth(int(draft["day"]))
    return NthWeekday(int(draft["weekday"]), int(draft["nth"]))


@action(Audience.FACILITATOR)
async def nth_picked(request: Request) -> None:
    """Step 3: the time."""
    pressed = request.pressed
    group_id, weekday, nth = pressed["group"], pressed["weekday"], pressed["nth"]
    if not (0 <= weekday <= 6 and (1 <= nth <= 5 or nth == LAST_BUTTON)):
        await request.refuse("errors.stale_button")
        return
    detail = await groups.group_detail(request.data.db, request.actor, group_id)
    draft = _draft(detail.group.id, detail.group.name, detail.group.venue)
    draft.update(weekday=weekday, nth=LAST if nth == LAST_BUTTON else nth)
    await _ask_time(request, draft)


@text_step(RULE_DAY)
async def typed_day(request: Request) -> None:
    """The fixed day of the month, typed."""
    draft = dict(request.pending.draft)
    text = request.text.strip()
    if not (text.isdigit() and 1 <= int(text) <= 31):
        await request.say(
            Screen(
                request.t("recurring.errors.day_number"),
                rows([button(request.t("buttons.cancel"), MENU_CANCEL)]),
            ),
        )
        return
    draft["day"] = int(text)
    await _ask_time(request, draft, typed=True)


async def _ask_time(
    request: Request, draft: dict[str, Any], error: str | None = None, typed: bool = False
) -> None:
    await request.expect(RULE_TIME, draft)
    sep = ":" if request.lang == "en" else "."
    times = [
        button(f"{h:02d}{sep}{m:02d}", RECURRING_TIME_PICKED, h * 100 + m) for h, m in TIME_CHOICES
    ]
    text = request.t(
        "recurring.pick_time",
        group=draft["gname"],
        rule=describe(_draft_rule(draft), request.lang),
    )
    markup = rows(*column(times, 3), [button(request.t("buttons.cancel"), MENU_CANCEL)])
    if error is not None or typed:
        await request.say(Screen(f"{error}\n\n{text}" if error else text, markup))
    else:
        await request.show(Screen(text, markup))


@action(Audience.FACILITATOR)
async def time_picked(request: Request) -> None:
    if request.pending.awaiting != RULE_TIME:
        await request.refuse("errors.stale_button")
        return
    hour, minute = divmod(request.pressed["time"], 100)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        await request.refuse("errors.stale_button")
        return
    await _ask_venue(request, dict(request.pending.draft), time(hour, minute))


@text_step(RULE_TIME)
async def typed_time(request: Request) -> None:
    draft = dict(request.pending.draft)
    try:
        at = parse_time(request.text)
    except TimeInputError as exc:
        await _ask_time(request, draft, request.t(f"meetings.errors.time_{exc.code}"))
        return
    await _ask_venue(request, draft, at, typed=True)


async def _ask_venue(
    request: Request, draft: dict[str, Any], at: time, typed: bool = False
) -> None:
    draft["time"] = at.strftime("%H:%M")
    await request.expect(RULE_VENUE, draft)
    t, usual = request.t, draft.get("usual")
    params = {
        "group": draft["gname"],
        "rule": describe(_draft_rule(draft), request.lang),
        "time": format_time(at, request.lang),
    }
    usual_row = (
        [button(t("recurring.buttons.usual_venue", venue=str(usual)), RECURRING_USUAL_VENUE)]
        if usual
        else []
    )
    markup = rows(usual_row, [button(t("buttons.cancel"), MENU_CANCEL)])
    text = t("recurring.ask_venue_usual" if usual else "recurring.ask_venue", **params)
    if typed:
        await request.say(Screen(text, markup))
    else:
        await request.show(Screen(text, markup))


@action(Audience.FACILITATOR)
async def usual_venue(request: Request) -> None:
    """The group's usual place: the rule keeps no place of its own and follows the group's."""
    if request.pending.awaiting != RULE_VENUE:
        await request.refuse("errors.stale_button")
        return
    draft = request.pending.draft
    at = time.fromisoformat(str(draft["time"]))
    await _save(request, int(draft["group"]), _draft_rule(draft), at, None)


@text_step(RULE_VENUE)
async def typed_venue(request: Request) -> None:
    draft = request.pending.draft
    at = time.fromisoformat(str(draft["time"]))
    await _save(request, int(draft["group"]), _draft_rule(draft), at, request.text)


@action(Audience.FACILITATOR)
async def rule_clear(request: Request) -> None:
    group_id = request.pressed["group"]
    current = await recurring.group_rule(request.data.db, request.actor, group_id)
    await recurring.clear_rule(request.data.db, request.actor, group_id)
    name = current.name if current is not None else ""
    await request.show(
        Screen(
            request.t("recurring.cleared", group=name),
            rows([button(request.t("buttons.back"), RULES_LIST)]),
        ),
    )


# -- the month's proposal ---------------------------------------------------------------------


def _changes(request: Request, month: int) -> dict[int, date]:
    """The days changed so far in this month's proposal, kept in the draft with no typed step
    pending: typing something else is answered as usual, and another flow's draft replaces
    them (the proposal then starts again from the rules)."""
    draft = request.pending.draft
    if request.pending.awaiting is not None or draft.get("plan") != month:
        return {}
    raw = draft.get("changes") or {}
    return {int(gid): date.fromisoformat(str(day)) for gid, day in raw.items()}


async def _show_proposal(request: Request, month: int, changes: dict[int, date]) -> None:
    proposal = await recurring.propose_month(
        request.data.db, request.actor, month, request.data.clock.now(), changes
    )
    await request.show(month_plan.proposal(proposal, request.lang))


def _month_arg(request: Request) -> int:
    if not request.args:
        return _next_month(request)
    return reports.parse_month(" ".join(request.args))


@action(Audience.FACILITATOR)
async def proposal_command(request: Request) -> None:
    """/usulan_jadwal [month]: next month's proposal now, without waiting for it."""
    month = _month_arg(request)
    await request.expect(None)
    await _show_proposal(request, month, {})


@action(Audience.FACILITATOR)
async def proposal_button(request: Request) -> None:
    month = request.pressed["month"]
    await _show_proposal(request, month, _changes(request, month))


@action(Audience.FACILITATOR)
async def change_day(request: Request) -> None:
    """✏️ on one group: every remaining day of the month as buttons."""
    month, group_id = request.pressed["month"], request.pressed["group"]
    changes = _changes(request, month)
    now = request.data.clock.now()
    proposal = await recurring.propose_month(request.data.db, request.actor, month, now, changes)
    item = proposal.item(group_id)
    if item is None:
        await request.refuse("errors.stale_button")
        return
    await request.expect(None, {"plan": month, "changes": _raw(changes)})
    await request.show(month_plan.day_picker(item, month, request.lang, now))


def _raw(changes: dict[int, date]) -> dict[str, str]:
    return {str(gid): day.isoformat() for gid, day in changes.items()}


@action(Audience.FACILITATOR)
async def day_picked(request: Request) -> None:
    """The new day for one group: back to the proposal, with that day."""
    pressed = request.pressed
    month, group_id, day_number = pressed["month"], pressed["group"], pressed["day"]
    try:
        day = date(month // 100, month % 100, day_number)
    except ValueError:
        await request.refuse("errors.stale_button")
        return
    changes = _changes(request, month)
    now = request.data.clock.now()
    proposal = await recurring.propose_month(request.data.db, request.actor, month, now, changes)
    item = proposal.item(group_id)
    if item is None:
        await request.refuse("errors.stale_button")
        return
    recurring.check_changed_day(day, month, item.rule, now)
    changes[group_id] = day
    await request.expect(None, {"plan": month, "changes": _raw(changes)})
    await _show_proposal(request, month, changes)


@action(Audience.FACILITATOR)
async def confirm_all(request: Request) -> None:
    """Schedule every meeting of the proposal that has a day, in one transaction."""
    month = request.pressed["month"]
    # The button names whose proposal it is: another facilitator's press (forged data) is
    # refused rather than answered with her own, different, month.
    if request.pressed["facilitator"] != request.actor.person_id:
        await request.refuse("recurring.errors.not_your_proposal")
        return
    data = request.data
    result = await recurring.confirm_month(
        data.db,
        request.actor,
        month,
        _changes(request, month),
        data.clock.now(),
        data.settings.reminder_offsets,
    )
    await request.expect(None)
    if not result.scheduled and not result.already:
        # Nothing to schedule and nothing scheduled before (the rules changed meanwhile):
        # the proposal as it is now says what is left to do.
        await _show_proposal(request, month, {})
        return
    await request.show(
        Screen(
            month_plan.confirmed_text(result, request.lang),
            rows([button(request.t("buttons.menu"), SHOW_MENU)]),
        ),
    )
