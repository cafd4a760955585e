"""Which deliveries a meeting needs, as a pure function of the meeting and the time."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from storage.deliveries.meeting_plan import MeetingFacts, Recipient, change_notices, plan
from timekeeping.rules import (
    after_meeting_still_useful,
    quiz_time,
    reminder_still_useful,
    reminder_superseded,
)

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
OFFSETS = (timedelta(days=3), timedelta(days=1), timedelta(hours=2))
GROUP_CHAT = -4_000_000_001
MEMBERS = (Recipient(2001, 11), Recipient(2002, 12))


def meeting(starts_in: timedelta, revision: int = 1, quiz_items: int = 3) -> MeetingFacts:
    return MeetingFacts(
        id=7,
        group_id=3,
        revision=revision,
        starts_at=NOW + starts_in,
        duration_minutes=120,
        quiz_items=quiz_items,
    )


def test_a_meeting_ten_days_ahead_gets_every_reminder_in_every_chat() -> None:
    m = meeting(timedelta(days=10))
    planned = plan(m, GROUP_CHAT, MEMBERS, OFFSETS, NOW)
    kinds = Counter(p.kind for p in planned)
    assert kinds == {"reminder": 9, "summary": 1, "recap": 1, "quiz": 3}
    reminders = [p for p in planned if p.kind == "reminder"]
    assert sorted({p.due_at for p in reminders}) == [
        m.starts_at - timedelta(days=3),
        m.starts_at - timedelta(days=1),
        m.starts_at - timedelta(hours=2),
    ]
    assert {p.chat_id for p in reminders} == {GROUP_CHAT, 2001, 2002}
    # The group chat's deliveries are named after the group, not its chat id (which changes
    # when Telegram upgrades the group to a supergroup); a member's after her own chat.
    assert f"reminder:7:r1:{3 * 86400}:group" in {p.key for p in planned}
    assert f"reminder:7:r1:{3 * 86400}:2001" in {p.key for p in planned}
    assert not any(str(GROUP_CHAT) in p.key for p in planned)
    supergroup = plan(m, GROUP_CHAT - 1_000_000_000_000, MEMBERS, OFFSETS, NOW)
    assert [p.key for p in supergroup] == [p.key for p in planned]
    private = [p for p in reminders if p.chat_id == 2001]
    assert {p.person_id for p in private} == {11}
    assert all(p.person_id is None for p in reminders if p.chat_id == GROUP_CHAT)


def test_keys_are_unique_and_carry_the_revision() -> None:
    first = plan(meeting(timedelta(days=10)), GROUP_CHAT, MEMBERS, OFFSETS, NOW)
    second = plan(meeting(timedelta(days=12), revision=2), GROUP_CHAT, MEMBERS, OFFSETS, NOW)
    assert len({p.key for p in first}) == len(first)
    assert not {p.key for p in first} & {p.key for p in second}
    assert all(p.payload["revision"] == 2 for p in second)


def test_scheduled_late_the_missed_offsets_are_dropped_not_sent_at_once() -> None:
    # 30 hours ahead: the 3-day reminder is already past; 1 day and 2 hours remain.
    planned = plan(meeting(timedelta(hours=30)), GROUP_CHAT, (), OFFSETS, NOW)
    reminders = [p for p in planned if p.kind == "reminder"]
    assert [p.payload["offset"] for p in reminders] == [86400, 7200]
    assert min(p.due_at for p in reminders) > NOW


def test_scheduled_very_late_every_offset_folds_into_one_reminder_now() -> None:
    planned = plan(meeting(timedelta(minutes=90)), GROUP_CHAT, MEMBERS, OFFSETS, NOW)
    reminders = [p for p in planned if p.kind == "reminder"]
    assert len(reminders) == 3  # one per chat, not three per chat
    assert {p.due_at for p in reminders} == {NOW}
    assert {p.payload["offset"] for p in reminders} == {7200}


def test_summary_goes_the_day_before_or_now_when_sooner() -> None:
    far = meeting(timedelta(days=5))
    (summary,) = [p for p in plan(far, GROUP_CHAT, (), OFFSETS, NOW) if p.kind == "summary"]
    assert summary.due_at == far.starts_at - timedelta(days=1)
    assert summary.chat_id == GROUP_CHAT
    near = meeting(timedelta(hours=5))
    (summary,) = [p for p in plan(near, GROUP_CHAT, (), OFFSETS, NOW) if p.kind == "summary"]
    assert summary.due_at == NOW


def test_recap_and_quiz_follow_the_meeting_in_order() -> None:
    m = meeting(timedelta(days=2), quiz_items=2)
    planned = plan(m, GROUP_CHAT, MEMBERS, OFFSETS, NOW)
    (recap,) = [p for p in planned if p.kind == "recap"]
    quizzes = [p for p in planned if p.kind == "quiz"]
    assert recap.due_at == m.starts_at + timedelta(minutes=120)
    assert [q.payload["index"] for q in quizzes] == [0, 1]
    assert recap.due_at < quizzes[0].due_at < quizzes[1].due_at
    assert quizzes[1].due_at == quiz_time(m.starts_at, 120, 1)
    assert all(q.chat_id == GROUP_CHAT for q in quizzes)


def test_without_a_group_chat_only_private_reminders() -> None:
    planned = plan(meeting(timedelta(days=10)), None, MEMBERS, OFFSETS, NOW)
    assert {p.kind for p in planned} == {"reminder"}
    assert {p.chat_id for p in planned} == {2001, 2002}


def test_a_meeting_already_started_needs_nothing() -> None:
    assert plan(meeting(timedelta(0)), GROUP_CHAT, MEMBERS, OFFSETS, NOW) == []
    assert plan(meeting(-timedelta(hours=1)), GROUP_CHAT, MEMBERS, OFFSETS, NOW) == []


def test_change_notices_go_to_everyone_now_once_per_revision() -> None:
    moved = change_notices(
        meeting(timedelta(days=3), revision=2), GROUP_CHAT, MEMBERS, NOW, "rescheduled", NOW
    )
    assert [p.chat_id for p in moved] == [GROUP_CHAT, 2001, 2002]
    assert {p.due_at for p in moved} == {NOW}
    assert moved[0].key == "changed:7:r2:group"
    assert moved[0].payload["old_starts_at"] == NOW.isoformat()
    cancelled = change_notices(
        meeting(timedelta(days=3), revision=2), GROUP_CHAT, (), NOW, "cancelled"
    )
    assert [p.key for p in cancelled] == ["changed:7:cancelled:group"]


def test_late_rules() -> None:
    starts = NOW + timedelta(hours=1)
    assert reminder_still_useful(starts, NOW)
    assert not reminder_still_useful(starts, starts)
    assert after_meeting_still_useful(starts, 120, starts + timedelta(days=2))
    assert not after_meeting_still_useful(starts, 120, starts + timedelta(days=4))


def test_after_downtime_only_the_latest_due_reminder_is_sent() -> None:
    starts = NOW + timedelta(hours=20)  # the 3-day and 1-day reminders are both due
    assert reminder_superseded(starts, timedelta(days=3), OFFSETS, NOW)
    assert not reminder_superseded(starts, timedelta(days=1), OFFSETS, NOW)
    assert not reminder_superseded(starts, timedelta(hours=2), OFFSETS, NOW)
