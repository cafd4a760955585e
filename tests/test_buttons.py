"""Buttons are declared once (views/buttons.py): callback data is parsed and validated against
the declaration, months included (views/callbacks.py), and start-up checks the handlers."""

from __future__ import annotations

import pytest
from telegram.ext import CallbackQueryHandler

from bot.app import handler_list
from handlers.base import check_buttons_handled, on_button
from handlers.groups import show_group
from timekeeping.months import is_month
from views.buttons import SHOW_FACILITATOR, SHOW_GROUP, SHOW_MENU
from views.callbacks import Button, number, unpack


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


def test_a_button_that_can_exceed_64_bytes_is_refused_when_declared() -> None:
    fields = tuple(number(f"n{i}") for i in range(5))
    with pytest.raises(ValueError, match="64 bytes"):
        Button("toolong", fields)
    assert unpack("toolong") is None  # it was never registered


def test_a_code_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        Button(SHOW_GROUP.code, (number("group"),))


def test_data_is_checked_against_the_declaration() -> None:
    assert SHOW_GROUP.data(12) == "g:12"
    with pytest.raises(ValueError):
        SHOW_GROUP.data()  # a required field left out: a bug in a view, caught in its test
    with pytest.raises(ValueError):
        SHOW_FACILITATOR.data(5, 202613)  # not a month
    pressed = unpack("sbf:5:202601")
    assert pressed is not None and pressed.button is SHOW_FACILITATOR
    assert (pressed["facilitator"], pressed["month"]) == (5, 202601)
    assert unpack("sbf:5") is not None and unpack("sbf:5").get("month", 0) == 0  # type: ignore[union-attr]
    for forged in ("g", "g:x", "g:1.5", "zzz:1", f"g:{2**31}", "sbf:5:12"):
        assert unpack(forged) is None, forged


def test_start_up_refuses_buttons_without_handlers_and_handlers_without_declarations() -> None:
    everything = handler_list()
    check_buttons_handled(everything)
    without = [h for h in everything if getattr(h, "button", None) is not SHOW_GROUP]
    with pytest.raises(RuntimeError, match=r"no handler: g$"):
        check_buttons_handled(without)

    async def stray(update: object, context: object) -> None:
        return None

    with pytest.raises(RuntimeError, match="not declared"):
        check_buttons_handled([*everything, CallbackQueryHandler(stray, pattern=r"^zz(:|$)")])
    with pytest.raises(RuntimeError, match="handled twice"):
        check_buttons_handled([*everything, on_button(SHOW_GROUP, show_group)])


def test_a_handler_that_admits_other_people_than_its_declaration_is_refused() -> None:
    with pytest.raises(RuntimeError, match="the declaration"):
        on_button(SHOW_MENU, show_group)  # staff only, the menu button is anyone's
