"""A revoked or mistyped token: `p2k2 run` ends with one clear line, and the token is nowhere.

The real command runs in a child process against the fake Bot API, which answers every call
made with this token with 401 Unauthorized, as Telegram does for a revoked token."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from config.settings import Settings
from simulator.emulator import FakeTelegram

TOKEN = "0:FAKE-revoked-token-that-must-never-be-printed"
SECRET = TOKEN.partition(":")[2]
ROOT = Path(__file__).resolve().parents[2]
ALIASES = [str(info.alias) for info in Settings.model_fields.values() if info.alias]


async def run_p2k2(
    fake: FakeTelegram, tmp_path: Path, *args: str, log_level: str = "INFO"
) -> tuple[int, str]:
    env = {name: value for name, value in os.environ.items() if name not in ALIASES}
    env |= {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_API_FILE_URL": fake.base_file_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        "P2K2_LOG_LEVEL": log_level,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "cli.main",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_run_with_a_rejected_token_says_so_in_one_line_without_the_token(
    tmp_path: Path,
) -> None:
    async with FakeTelegram() as fake:
        fake.invalid_tokens.add(TOKEN)
        code, output = await run_p2k2(fake, tmp_path, "run")
    assert code != 0
    assert TOKEN not in output and SECRET not in output
    assert "Traceback" not in output
    errors = [line for line in output.splitlines() if line.startswith("p2k2:")]
    assert len(errors) == 1, output
    assert "TELEGRAM_BOT_TOKEN" in errors[0] and "BotFather" in errors[0]
    # Nothing else at error level: the one line is the whole story.
    assert not [line for line in output.splitlines() if " ERROR " in line or "CRITICAL" in line]
    # On a new database the migrations say nothing; what is printed is what the README shows.
    assert [
        line.split(" ", 2)[2] for line in output.splitlines() if not line.startswith("p2k2:")
    ] == [], output


async def test_debug_logs_of_a_rejected_token_keep_the_token_out(tmp_path: Path) -> None:
    """The most talkative level shows tracebacks, but never the token."""
    async with FakeTelegram() as fake:
        fake.invalid_tokens.add(TOKEN)
        code, output = await run_p2k2(fake, tmp_path, "run", log_level="DEBUG")
    assert code != 0
    assert "getMe" in output  # the debug log did show the conversation with Telegram
    assert TOKEN not in output and SECRET not in output
    assert len([line for line in output.splitlines() if line.startswith("p2k2:")]) == 1
