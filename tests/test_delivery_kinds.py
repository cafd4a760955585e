"""Every delivery kind has a composer, and a kind's meeting membership decides cancellation."""

from __future__ import annotations

import pytest

import scheduler.composers  # noqa: F401  (registers every composer)
from scheduler.registry import COMPOSERS, check_every_kind_composed
from storage.deliveries.delivery_kinds import MEETING_KINDS, DeliveryKind


def test_every_kind_has_a_composer() -> None:
    check_every_kind_composed()
    assert set(COMPOSERS) == set(DeliveryKind)


def test_a_kind_without_composer_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(COMPOSERS, DeliveryKind.RECAP)
    with pytest.raises(RuntimeError, match="recap"):
        check_every_kind_composed()


def test_a_misspelt_kind_is_refused_where_it_is_written() -> None:
    with pytest.raises(ValueError):
        DeliveryKind("reminde")


def test_meeting_kinds_are_the_meetings_own_messages() -> None:
    assert set(MEETING_KINDS) == {"reminder", "summary", "recap", "quiz", "meeting_changed"}
    assert not DeliveryKind.NOTICE.meeting
