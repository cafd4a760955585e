"""The message a person gets when something breaks is in the language she chose."""

from __future__ import annotations

from typing import Any

import pytest

from handlers import materials
from simulator.emulator import FakeTelegram
from tests.e2e.harness import RunningBot


async def test_the_error_message_follows_bahasa_not_the_telegram_app(
    bot: RunningBot, fake: FakeTelegram, people: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ani = people("Ani", language="id")  # her Telegram app is in Indonesian
    await ani.says("/start")
    choose = await ani.says("/bahasa")
    await ani.taps(choose, "English")

    def broken(lang: str) -> object:
        raise RuntimeError("a bug")

    monkeypatch.setattr(materials, "modules", broken)
    answer = await ani.says("/materi")
    assert "Sorry, something went wrong in the bot" in (answer.plain or "")

    budi = people("Budi", language="en")  # never chose: his app's language is used
    answer = await budi.says("/materi")
    assert "Sorry, something went wrong" in (answer.plain or "")
