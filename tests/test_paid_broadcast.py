"""Paid broadcast: the fake Bot API allows 30 free messages a second, 1,000 paid ones; the
dispatcher marks its sends paid only when P2K2_PAID_BROADCAST is on."""

from __future__ import annotations

import pytest

from config.settings import Settings
from simulator.emulator import FloodLimits
from simulator.emulator.faults import FloodLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_free_sends_stop_at_30_a_second_paid_ones_at_1000() -> None:
    limiter = FloodLimiter(FloodLimits(enabled=True), FakeClock())
    free = [limiter.check(str(chat), is_group=False) for chat in range(40)]
    assert free.count(None) == 30 and free[30] == 1
    paid = [limiter.check(str(1000 + chat), is_group=False, paid=True) for chat in range(1100)]
    assert paid.count(None) == 1000 and paid[1000] == 1


@pytest.mark.parametrize(("value", "expected"), [("on", True), ("off", False), ("true", True)])
def test_the_setting_reads_on_and_off(value: str, expected: bool) -> None:
    settings = Settings(P2K2_PAID_BROADCAST=value)  # type: ignore[call-arg]
    assert settings.paid_broadcast is expected


def test_quiet_hours_are_checked_where_they_are_set() -> None:
    with pytest.raises(ValueError, match=r"21\.00-06\.00"):
        Settings(P2K2_QUIET_HOURS="late")  # type: ignore[call-arg]
    assert Settings(P2K2_QUIET_HOURS="off").quiet is None  # type: ignore[call-arg]
