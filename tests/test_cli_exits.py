"""Every way out of `p2k2` is one line on stderr without the token: failing CLI commands too."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import main as cli
from cli import offline
from config.settings import Settings

TOKEN = "0:FAKE-token-in-an-error-message"
ALIASES = [str(info.alias) for info in Settings.model_fields.values() if info.alias]


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ALIASES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")


def test_an_unexpected_error_is_one_line_without_the_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def broken(settings: Settings) -> int:
        raise RuntimeError(f"request to https://api.telegram.org/bot{TOKEN}/getMe failed\nagain")

    monkeypatch.setattr(offline, "db_upgrade", broken)
    assert cli.main(["db", "upgrade"]) == 1
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert TOKEN not in out and TOKEN.split(":")[1] not in out
    assert captured.err.count("\n") == 1 and captured.err.startswith("p2k2: ")
    assert "RuntimeError" in captured.err and "bot<token>/getMe" in captured.err


def test_a_database_that_cannot_be_reached_is_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Port 9 (discard) has no PostgreSQL listening: the connection is refused.
    assert cli.main(["status", "--database-url", "postgresql://nobody@127.0.0.1:9/none"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("p2k2: ")
    assert "Traceback" not in captured.err + captured.out
