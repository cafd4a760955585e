"""The capacity plan's shortcuts give the same counts as planning every meeting itself."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

from benchmarks.capacity import (
    MONTH,
    SCALES,
    WIB,
    Scale,
    meetings,
    pending_items,
    planned_rows,
    simulate,
    working_days,
)
from config.settings import Settings
from content.sessions import get_session
from storage.deliveries.meeting_plan import MeetingFacts, Recipient, plan

OFFSETS = Settings.model_fields["reminder_offsets"].default
CITY = SCALES[0]


def test_bucketed_planning_counts_what_planning_each_group_would() -> None:
    buckets = meetings(CITY, random.Random(1))
    assert sum(groups for groups, _ in buckets.values()) == CITY.groups
    assert sum(members for _, members in buckets.values()) == CITY.families
    bucketed: Counter[tuple[str, bool]] = Counter()
    for row in planned_rows(buckets, OFFSETS):
        bucketed[(row.kind, row.private)] += row.count
    direct: Counter[tuple[str, bool]] = Counter()
    for bucket, (groups, members) in buckets.items():
        session = get_session(bucket.session, "id")
        facts = MeetingFacts(1, 1, 1, bucket.starts_at, session.duration_minutes, len(session.quiz))
        everyone = [Recipient(chat, chat) for chat in range(1, members + 1)]
        # One plan per group; the members of the bucket's groups, all in one go, are the same
        # rows as each group's own members planned separately.
        for index in range(groups):
            people = everyone if index == 0 else []
            for item in plan(
                facts, -1 - index, people, OFFSETS, bucket.starts_at - timedelta(days=14)
            ):
                direct[(item.kind, item.chat_id > 0)] += 1
    assert bucketed == direct
    assert bucketed[("reminder", True)] == 3 * CITY.families


def test_one_facilitators_groups_meet_on_different_working_days_in_the_day() -> None:
    one = Scale("one facilitator", 8, 240, {WIB: 1.0}, CITY.tick)  # 8 groups of 30
    buckets = meetings(one, random.Random(2))
    local = [bucket.starts_at.astimezone(ZoneInfo(WIB)) for bucket in buckets]
    assert len(local) == 8 and len({moment.date() for moment in local}) == 8
    assert {moment.date() for moment in local} <= set(working_days(*MONTH))
    assert all(8 <= moment.hour <= 14 for moment in local)


def test_the_model_dispatcher_sends_each_message_once_and_none_before_its_window() -> None:
    rows = planned_rows(meetings(CITY, random.Random(3)), OFFSETS)
    items = pending_items(rows, windows=True)
    outcome = simulate(items, 30, CITY.tick, windows=True)
    assert outcome.total == sum(row.count for row in rows)
    assert outcome.early == 0 and outcome.late_max == 0
