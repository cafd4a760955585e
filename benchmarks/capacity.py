"""Capacity plan: a month of due messages for a city, a province and the country, planned
with the real rules and sent by a simulated dispatcher on a virtual clock.

What is planned comes from the code, not from numbers copied here:
storage/deliveries/meeting_plan.py's pure `plan` (reminders at config/settings.py's default
P2K2_REMINDER_OFFSETS, the summary, the recap and one quiz poll per question of the month's
session, a private copy of each reminder to every member on Telegram) and
timekeeping/send_windows.py's windows. Meetings are spread the way facilitators spread them:
each facilitator's groups on different working days, mornings and early afternoons. Meetings
with the same start, zone and session plan the same deliveries, so the planner runs once per
such bucket and its rows are counted by weight.

The dispatcher is timekeeping/send_planner.py's `plan_sends` on a virtual clock, at 30
messages a second (Telegram's bulk limit) and at 1,000 (paid broadcast), with and without
the send windows; "without" means each message's window is just its due time, which is what
the dispatcher does today. Nothing is sent; no database is used."""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from benchmarks.common import Options, Result, log
from config.settings import Settings
from content.sessions import get_session
from storage.deliveries.meeting_plan import MeetingFacts, Recipient, plan
from timekeeping.delivery_kinds import DeliveryKind
from timekeeping.send_planner import Pending, edf_order, plan_sends
from timekeeping.send_windows import DueMessage, Policy, Priority, window

BENCH = "capacity"
DATABASE = "model"  # the "database" column: this benchmark uses none

# Telegram's limits. Bot FAQ: about 30 messages a second for bulk notifications. Since Bot
# API 7.11 (31 Oct 2024) sendMessage and the other send methods take `allow_paid_broadcast`:
# "Pass True to allow up to 1000 messages per second, ignoring broadcasting limits for a fee
# of 0.1 Telegram Stars per message. The relevant Stars will be withdrawn from the bot's
# balance" (https://core.telegram.org/bots/api#sendmessage). Only what exceeds the free
# limit is billed: TransactionPartnerTelegramApi.request_count is "the number of successful
# requests that exceeded regular limits and were therefore billed"
# (https://core.telegram.org/bots/api#transactionpartnertelegramapi).
FREE_RATE = 30
PAID_RATE = 1_000
STARS_PER_PAID_MESSAGE = 0.1

MONTH = (2027, 11)  # November 2027: 22 working days and, as far as we know, no public holiday
# The assumption: every member on Telegram with a private chat open and private
# reminders on. Fewer in truth (many members will never use Telegram); private copies,
# most of the load, scale with this share.
TELEGRAM_SHARE = 1.0
FAMILIES_PER_FACILITATOR = 250  # a facilitator typically has 150 to 300 KPM
LOOKAHEAD = timedelta(days=2)  # what the simulated dispatcher looks at ahead of now
# Start times of meetings, local time, with their weights: mostly mornings, some early
# afternoons after the midday prayer (an assumption, not a survey).
STARTS = {
    (8, 0): 10,
    (8, 30): 8,
    (9, 0): 22,
    (9, 30): 10,
    (10, 0): 18,
    (10, 30): 6,
    (11, 0): 6,
    (13, 0): 8,
    (13, 30): 4,
    (14, 0): 8,
}
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


@dataclass(frozen=True)
class Scale:
    name: str
    groups: int
    families: int
    zones: dict[str, float]  # share of groups per time zone
    tick: timedelta  # the simulated dispatcher's step


SCALES = (
    # A city: Kota Banjar had 3,255 KPM, about 110 groups.
    Scale("city", 110, 3_255, {WIB: 1.0}, timedelta(seconds=60)),
    Scale("province", 3_400, 100_000, {WIB: 1.0}, timedelta(seconds=60)),
    # About 10 million families in about 330,000 groups. The split by zone is an
    # assumption, roughly by population (most in WIB; Papua and Maluku in WIT).
    Scale(
        "country",
        330_000,
        10_000_000,
        {WIB: 0.70, WITA: 0.22, WIT: 0.08},
        timedelta(seconds=300),
    ),
)


# -- planning a month --------------------------------------------------------------------


def working_days(year: int, month: int) -> list[date]:
    day = date(year, month, 1)
    days = []
    while day.month == month:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Bucket:
    """Meetings with the same start, zone and session: they plan the same deliveries."""

    zone: str
    starts_at: datetime  # UTC
    session: int


def meetings(scale: Scale, rng: random.Random) -> dict[Bucket, tuple[int, int]]:
    """Bucket -> (groups, members): each facilitator's groups on distinct working days."""
    days = working_days(*MONTH)
    base, extra = divmod(scale.families, scale.groups)
    per_facilitator = max(1, round(FAMILIES_PER_FACILITATOR / (scale.families / scale.groups)))
    starts = list(STARTS)
    weights = list(STARTS.values())
    found: dict[Bucket, list[int]] = defaultdict(lambda: [0, 0])
    group = 0
    for zone, share in scale.zones.items():
        tz = ZoneInfo(zone)
        last = group + round(scale.groups * share) if zone != list(scale.zones)[-1] else None
        end = scale.groups if last is None else last
        while group < end:
            count = min(per_facilitator, end - group)
            chosen_days = rng.sample(days, count)
            chosen_starts = rng.choices(starts, weights, k=count)
            for day, (hour, minute) in zip(chosen_days, chosen_starts, strict=True):
                local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
                # Groups started in different months are at different sessions.
                bucket = Bucket(zone, local.astimezone(UTC), group % 14 + 1)
                found[bucket][0] += 1
                found[bucket][1] += base + (1 if group < extra else 0)
                group += 1
    return {bucket: (g, m) for bucket, (g, m) in found.items()}


@dataclass
class Row:
    """A planned delivery standing for `count` identical ones."""

    kind: str
    private: bool
    zone: str
    due: datetime
    meeting: datetime
    offset: timedelta | None
    count: int


def planned_rows(buckets: dict[Bucket, tuple[int, int]], offsets: Sequence[timedelta]) -> list[Row]:
    """The real planner, once per bucket, for one group chat and one member; the member's
    rows are counted once per member on Telegram, the group's once per group."""
    rows: list[Row] = []
    for bucket, (groups, members) in buckets.items():
        session = get_session(bucket.session, "id")
        facts = MeetingFacts(
            id=1,
            group_id=1,
            revision=1,
            starts_at=bucket.starts_at,
            duration_minutes=session.duration_minutes,
            quiz_items=len(session.quiz),
        )
        # Meetings are set a fortnight ahead, so every reminder is still in the future.
        now = bucket.starts_at - timedelta(days=14)
        for item in plan(facts, -1, [Recipient(1, 1)], offsets, now):
            private = item.chat_id > 0
            offset = item.payload.get("offset") if item.kind == "reminder" else None
            rows.append(
                Row(
                    kind=item.kind,
                    private=private,
                    zone=bucket.zone,
                    due=item.due_at,
                    meeting=bucket.starts_at,
                    offset=timedelta(seconds=offset) if isinstance(offset, int) else None,
                    count=round(members * TELEGRAM_SHARE) if private else groups,
                )
            )
    return rows


# -- the dispatcher on a virtual clock ------------------------------------------------------


# A lever the figures suggest: the 2-hour reminder may go from 4 h before instead of 2.5 h.
WIDE = Policy(early_share=1.0)
DEFAULT = Policy()


def pending_items(
    rows: Iterable[Row], windows: bool, policy: Policy = DEFAULT
) -> list[Pending[int]]:
    """One pending item per distinct window (rows with equal windows merged)."""
    merged: Counter[tuple[datetime, datetime, datetime, int]] = Counter()
    for row in rows:
        w = window(
            DueMessage(DeliveryKind(row.kind), row.due, row.private, row.meeting, row.offset),
            ZoneInfo(row.zone),
            policy,
        )
        if windows:
            merged[(w.start, w.due, w.deadline, int(w.priority))] += row.count
        else:
            merged[(row.due, row.due, row.due, int(w.priority))] += row.count
    return [
        Pending(index, start, due, deadline, priority, count)
        for index, ((start, due, deadline, priority), count) in enumerate(merged.items())
    ]


def reminder_keys(items: Sequence[Pending[int]]) -> set[int]:
    """Pending items that are reminders: their priority says so."""
    reminders = {int(Priority.REMINDER_GROUP), int(Priority.REMINDER_PRIVATE)}
    return {item.key for item in items if item.priority in reminders}


@dataclass
class Outcome:
    """What the simulated dispatcher did."""

    rate: int
    windows: bool
    wide: bool = False  # windows widened (WIDE)
    sent_per_hour: Counter[datetime] = field(default_factory=Counter)
    # Lateness of reminders past their deadline, as (seconds, count) samples.
    lateness: list[tuple[float, int]] = field(default_factory=list)
    early: int = 0  # sent before their window: must stay 0
    late: int = 0  # messages of any kind sent after their deadline
    total: int = 0
    wall_seconds: float = 0.0

    def quantile(self, q: float) -> float:
        samples = sorted(self.lateness)
        total = sum(count for _, count in samples)
        if total == 0:
            return 0.0
        rank = q * total
        seen = 0
        for seconds, count in samples:
            seen += count
            if seen >= rank:
                return seconds
        return samples[-1][0]

    @property
    def short(self) -> str:
        return self.label.replace("without", "no").replace("with ", "")

    @property
    def label(self) -> str:
        if not self.windows:
            return "without windows"
        return "with wide windows" if self.wide else "with windows"

    @property
    def late_max(self) -> float:
        return max((s for s, c in self.lateness if c), default=0.0)


def simulate(
    items: Sequence[Pending[int]], rate: int, tick: timedelta, windows: bool, wide: bool = False
) -> Outcome:
    """Run the planner tick by tick; jump over idle stretches to the next thing due or the
    first moment the look-ahead could press."""
    started = time.perf_counter()
    outcome = Outcome(rate, windows, wide)
    reminders = reminder_keys(items)
    upcoming = sorted(items, key=lambda p: p.start)
    active: dict[int, Pending[int]] = {}
    step = tick.total_seconds()
    now = _floor(upcoming[0].start, step)
    cursor = 0
    while cursor < len(upcoming) or active:
        while cursor < len(upcoming) and upcoming[cursor].start <= now + LOOKAHEAD:
            active[upcoming[cursor].key] = upcoming[cursor]
            cursor += 1
        sends = plan_sends(active.values(), now, rate, tick)
        slot = 0
        for send in sends:
            item = send.item
            first = now + timedelta(seconds=slot / rate)
            last = now + timedelta(seconds=(slot + send.count - 1) / rate)
            slot += send.count
            outcome.total += send.count
            outcome.sent_per_hour[_floor(first, 3600)] += send.count
            if first < item.start:
                outcome.early += send.count
            if last > item.deadline:
                span = max((last - first).total_seconds(), 1e-9)
                share = min(1.0, (last - item.deadline).total_seconds() / span)
                outcome.late += max(1, round(send.count * share))
            if item.key in reminders:
                _record_lateness(outcome, first, last, item.deadline, send.count)
            # One item may come twice in a tick (pressed by the look-ahead, then due).
            left = active[item.key].count - send.count
            if left:
                active[item.key] = Pending(
                    item.key, item.start, item.due, item.deadline, item.priority, left
                )
            else:
                del active[item.key]
        if sends:
            now += tick
            continue
        following = [p.start - LOOKAHEAD for p in upcoming[cursor : cursor + 1]]
        now = max(now + tick, _next_event(active.values(), now, rate, step, following))
    outcome.wall_seconds = time.perf_counter() - started
    return outcome


def _record_lateness(
    outcome: Outcome, first: datetime, last: datetime, deadline: datetime, count: int
) -> None:
    """A chunk sent evenly from `first` to `last`: ten equal slices of its lateness."""
    a = (first - deadline).total_seconds()
    b = (last - deadline).total_seconds()
    if b <= 0:
        outcome.lateness.append((0.0, count))
        return
    slices = min(10, count)
    for index in range(slices):
        share = count // slices + (1 if index < count % slices else 0)
        seconds = a + (b - a) * (index + 1) / slices
        outcome.lateness.append((max(seconds, 0.0), share))


def _next_event(
    active: Iterable[Pending[int]], now: datetime, rate: int, step: float, following: list[datetime]
) -> datetime:
    """The next tick at which anything can happen: an item falls due, a window opens while
    a look-ahead presses, or the look-ahead starts to press."""
    items = list(active)
    candidates = list(following)
    candidates += [p.due for p in items if p.due > now]
    cumulative = 0
    for item in edf_order(items):
        cumulative += item.count
        candidates.append(item.deadline - timedelta(seconds=cumulative / rate + step))
        candidates.append(item.start)
    future = [c for c in candidates if c > now]
    if not future:
        return now + timedelta(seconds=step)
    return _floor(min(future), step)


def _floor(moment: datetime, step: float) -> datetime:
    seconds = moment.timestamp()
    return datetime.fromtimestamp(seconds - seconds % step, UTC)


# -- figures ------------------------------------------------------------------------------


@dataclass
class Plan:
    scale: Scale
    rows: list[Row]
    outcomes: list[Outcome]

    def per_day(self) -> Counter[date]:
        """Messages nominally due per day (the group's local day)."""
        days: Counter[date] = Counter()
        for row in self.rows:
            days[row.due.astimezone(ZoneInfo(row.zone)).date()] += row.count
        return days

    def per_hour(self) -> Counter[datetime]:
        hours: Counter[datetime] = Counter()
        for row in self.rows:
            hours[_floor(row.due, 3600)] += row.count
        return hours

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def build(scale: Scale, seed: int = 14) -> tuple[list[Row], float]:
    started = time.perf_counter()
    offsets = Settings.model_fields["reminder_offsets"].default
    rows = planned_rows(meetings(scale, random.Random(seed)), offsets)
    return rows, time.perf_counter() - started


def results(plan_: Plan) -> list[Result]:
    scale = plan_.scale
    name = scale.name
    out: list[Result] = []
    days = plan_.per_day()
    work = working_days(*MONTH)
    on_work = [days.get(d, 0) for d in work]
    per_work_day = sum(on_work) / len(work)
    busiest_day = max(days, key=lambda d: days[d])
    hours = plan_.per_hour()
    busiest_hour = max(hours, key=lambda h: hours[h])
    first_zone = ZoneInfo(next(iter(scale.zones)))
    local_hour = busiest_hour.astimezone(first_zone).strftime("%d %b %H.00 %Z")
    note = f"{scale.groups:,} groups, {scale.families:,} families"
    out.append(info(name, "messages in the month", plan_.total, "", note))
    out.append(
        info(
            name,
            "messages per working day (mean)",
            per_work_day,
            "",
            f"busiest day {busiest_day:%a %d %b}: {days[busiest_day]:,}",
        )
    )
    out.append(info(name, "busiest hour", hours[busiest_hour], "", f"due in {local_hour}"))
    for rate in (FREE_RATE, PAID_RATE):
        need = days[busiest_day] / rate / 3600
        mean = per_work_day / rate / 3600
        in_minutes = need < 1
        out.append(
            info(
                name,
                f"time of sending on the busiest day at {rate:,}/s",
                need * 60 if in_minutes else need,
                "min" if in_minutes else "h",
                f"mean working day {mean * 60:.1f} min" if in_minutes else f"mean {mean:.1f} h",
            )
        )
    for outcome in plan_.outcomes:
        label = outcome.label
        where = f"at {outcome.rate:,}/s {label}"
        late_note = f"simulated in {outcome.wall_seconds:.1f} s; {outcome.total:,} sent"
        if outcome.early:
            late_note += f"; {outcome.early:,} BEFORE their window"
        for q_name, seconds in (("max", outcome.late_max), ("p99", outcome.quantile(0.99))):
            passed = None
            target = ""
            if outcome.windows:
                # With send windows no reminder may be late, at either rate: the country at
                # 30/s fails this (one bot cannot carry it), which is what the model is for.
                target, passed = "0 min", seconds == 0 and outcome.early == 0
            out.append(
                Result(
                    BENCH,
                    f"{name}: reminder lateness {q_name} {where}",
                    DATABASE,
                    seconds / 60,
                    "min",
                    target,
                    passed,
                    note=late_note,
                )
            )
    return out


def info(scale: str, name: str, value: float, unit: str, note: str) -> Result:
    return Result(BENCH, f"{scale}: {name}", DATABASE, value, unit, "", None, note=note)


def peak_result() -> Result:
    """The issue's peak on the model: 10,000 private and 340 group reminders due in one
    minute at 30/s, with windows: the last must arrive by its deadline."""
    tz = ZoneInfo(WIB)
    meeting = datetime(2027, 11, 2, 11, 0, tzinfo=tz).astimezone(UTC)
    rows = [
        Row("reminder", False, WIB, meeting - timedelta(hours=2), meeting, timedelta(hours=2), 340),
        Row(
            "reminder", True, WIB, meeting - timedelta(hours=2), meeting, timedelta(hours=2), 10_000
        ),
    ]
    outcome = simulate(pending_items(rows, True), FREE_RATE, timedelta(seconds=10), True)
    late = outcome.late_max
    return Result(
        BENCH,
        "peak 10,000 + 340 reminders in one minute at 30/s with windows: last one late by",
        DATABASE,
        late,
        "s",
        "0 s, none early",
        late == 0 and outcome.early == 0 and outcome.total == 10_340,
        note=f"{outcome.total:,} sent, {outcome.early} before their window",
    )


async def plan_month(options: Options) -> tuple[list[Result], list[Plan]]:
    """The results of the capacity plan, and the plans its figures are drawn from
    (benchmarks/capacity_plot.run draws them)."""
    out = [peak_result()]
    plans: list[Plan] = []
    for scale in SCALES:
        rows, seconds = build(scale)
        planned = sum(r.count for r in rows)
        log(f"capacity {scale.name}: {planned:,} messages planned in {seconds:.1f} s")
        outcomes = []
        for rate in (FREE_RATE, PAID_RATE):
            for windows in (False, True):
                items = pending_items(rows, windows)
                tick = scale.tick if not options.quick else scale.tick * 3
                outcome = simulate(items, rate, tick, windows)
                log(
                    f"  {rate}/s windows={windows}: max {outcome.late_max / 60:.1f} min, "
                    f"p99 {outcome.quantile(0.99) / 60:.1f} min ({outcome.wall_seconds:.1f} s)"
                )
                outcomes.append(outcome)
        if scale.name == "country":
            wide = simulate(pending_items(rows, True, WIDE), FREE_RATE, tick, True, wide=True)
            log(f"  30/s wide windows: max {wide.late_max / 60:.1f} min")
            outcomes.append(wide)
        plan_ = Plan(scale, rows, outcomes)
        plans.append(plan_)
        out += results(plan_)
    out.append(one_bot_limit(plans[1]))
    out += stars(plans[-1])
    return out, plans


def one_bot_limit(province: Plan) -> Result:
    """How many families one bot at 30/s can serve in one time zone with no reminder late:
    the province's month scaled up (same spread, every count times f), bisected on f."""
    items = pending_items(province.rows, windows=True)

    def on_time(factor: float) -> bool:
        scaled = [
            Pending(p.key, p.start, p.due, p.deadline, p.priority, max(1, round(p.count * factor)))
            for p in items
        ]
        outcome = simulate(scaled, FREE_RATE, province.scale.tick, windows=True)
        return outcome.late_max == 0

    low, high = 1.0, 40.0
    if not on_time(low):
        low = high = 0.0
    while high - low > 0.05 * low:
        middle = (low + high) / 2
        low, high = (middle, high) if on_time(middle) else (low, middle)
    families = province.scale.families * low
    return info(
        "one bot",
        "families one bot serves at 30/s with windows, no reminder late (one zone)",
        families,
        "",
        f"about {families / 30.3:,.0f} groups; the province's month scaled up, to within 5%",
    )


def stars(country: Plan) -> list[Result]:
    """What paid broadcast would cost the country in a month, two ways."""
    free = next(o for o in country.outcomes if o.rate == FREE_RATE and o.windows and not o.wide)
    paid = next(o for o in country.outcomes if o.rate == PAID_RATE and o.windows)
    # Every send with the flag, in waves at 1,000/s: all but 30 of each second's are billed.
    everything = paid.total * (1 - FREE_RATE / PAID_RATE) * STARS_PER_PAID_MESSAGE
    # Only what 30/s with windows cannot deliver by its deadline goes with the flag.
    needed = free.late * STARS_PER_PAID_MESSAGE
    return [
        info(
            "country",
            "Stars a month, paid broadcast only for what 30/s cannot deliver in time",
            needed,
            "",
            f"{free.late:,} messages late at 30/s with windows, {STARS_PER_PAID_MESSAGE} Star each",
        ),
        info(
            "country",
            "Stars a month, paid broadcast for every send",
            everything,
            "",
            f"{paid.total:,} sends, billed beyond 30 a second",
        ),
    ]
