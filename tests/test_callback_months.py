"""Months in callback data are validated where the data is parsed (views/callbacks.py)."""

from __future__ import annotations

import pytest

import views.buttons  # noqa: F401  (the declarations unpack looks up)
from timekeeping.months import is_month
from views.callbacks import unpack


@pytest.mark.parametrize(
    "month", [12, -88, 999912, 0, 202600, 202613, 199912, 210001, 210101, -202612]
)
def test_forged_months_make_the_button_stale(month: int) -> None:
    assert unpack(f"sb:{month}") is None
    assert unpack(f"sbf:5:{month}") is None
    assert unpack(f"rx:1:{month}:3") is None
    assert not is_month(month)


def test_real_months_and_other_arguments_pass() -> None:
    assert unpack("sb:202612") is not None
    assert unpack("sbf:5:202601") is not None
    assert unpack("rp:0") is not None  # "this month"
    assert unpack("rp") is not None
    assert unpack("sbf:5") is not None  # the month is optional there
    assert unpack("g:12") is not None  # not a month argument
    assert is_month(202612) and is_month(200001) and is_month(209912)
